"""The project lifecycle (DOMAIN.md §6): draft → procurement → contracted → in service →
mid-term review → final acceptance → evaluated → closed; terminated from any open stage.

Skipping the mid-term review is allowed (short projects have none); nothing leaves closed or
terminated. Every move is kept for the timeline by the service.
"""

from __future__ import annotations

from app.domain.labels import LabelledEnum, set_labels
from app.domain.transitions import StateMachine


class ProjectStatus(LabelledEnum):
    DRAFT = "draft"
    PROCUREMENT = "procurement"
    CONTRACTED = "contracted"
    IN_SERVICE = "in_service"
    MID_TERM = "mid_term"
    FINAL_ACCEPTANCE = "final_acceptance"
    EVALUATED = "evaluated"
    CLOSED = "closed"
    TERMINATED = "terminated"


set_labels(ProjectStatus, {
    ProjectStatus.DRAFT: "草稿",
    ProjectStatus.PROCUREMENT: "采购中",
    ProjectStatus.CONTRACTED: "已签约",
    ProjectStatus.IN_SERVICE: "服务中",
    ProjectStatus.MID_TERM: "中期评估",
    ProjectStatus.FINAL_ACCEPTANCE: "结项验收",
    ProjectStatus.EVALUATED: "已评价",
    ProjectStatus.CLOSED: "已结项",
    ProjectStatus.TERMINATED: "已终止",
})

S = ProjectStatus
LIFECYCLE = StateMachine(
    ProjectStatus,
    {
        S.DRAFT: {S.PROCUREMENT, S.TERMINATED},
        S.PROCUREMENT: {S.CONTRACTED, S.TERMINATED},
        S.CONTRACTED: {S.IN_SERVICE, S.TERMINATED},
        S.IN_SERVICE: {S.MID_TERM, S.FINAL_ACCEPTANCE, S.TERMINATED},
        S.MID_TERM: {S.FINAL_ACCEPTANCE, S.TERMINATED},
        S.FINAL_ACCEPTANCE: {S.EVALUATED, S.TERMINATED},
        S.EVALUATED: {S.CLOSED},
    },
    "项目状态",
)

# Stages in which money may be paid out: after the contract, before closing.
PAYABLE = frozenset({S.CONTRACTED, S.IN_SERVICE, S.MID_TERM, S.FINAL_ACCEPTANCE, S.EVALUATED})
# Stages that count as "running" for the home page.
ACTIVE = frozenset({S.CONTRACTED, S.IN_SERVICE, S.MID_TERM, S.FINAL_ACCEPTANCE})


def check_move(current: ProjectStatus, target: ProjectStatus) -> None:
    """Raise IllegalTransition (Chinese message naming both states) for a move not allowed."""
    LIFECYCLE.check_move(current, target)


def next_states(state: ProjectStatus) -> tuple[ProjectStatus, ...]:
    return LIFECYCLE.next_states(state)
