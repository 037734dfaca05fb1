"""Incubation (孵化): from application to graduation, and the incubation agreement's dates.

Independent of legal status: an unregistered group can be incubated and register on the way.
The review sub-steps (初审, 专家评审, 公示) are events inside `UNDER_REVIEW`, not states.
"""

from __future__ import annotations

import datetime as dt

from app.domain.orgs.kinds import LabelledEnum, set_labels
from app.domain.orgs.periods import check_after, fmt_date
from app.domain.transitions import StateMachine


class IncubationState(LabelledEnum):
    APPLIED = "applied"
    UNDER_REVIEW = "under_review"
    ADMITTED = "admitted"
    REJECTED = "rejected"
    INCUBATING = "incubating"
    GRADUATED = "graduated"
    EXITED = "exited"


set_labels(IncubationState, {
    IncubationState.APPLIED: "申请入驻",
    IncubationState.UNDER_REVIEW: "评审中",
    IncubationState.ADMITTED: "已入驻",
    IncubationState.REJECTED: "未通过",
    IncubationState.INCUBATING: "孵化中",
    IncubationState.GRADUATED: "已出壳",
    IncubationState.EXITED: "中途退出",
})


INCUBATION = StateMachine(
    IncubationState,
    {
        IncubationState.APPLIED: {IncubationState.UNDER_REVIEW},
        IncubationState.UNDER_REVIEW: {IncubationState.ADMITTED, IncubationState.REJECTED},
        IncubationState.ADMITTED: {IncubationState.INCUBATING},
        IncubationState.INCUBATING: {IncubationState.GRADUATED, IncubationState.EXITED},
    },
    subject="孵化状态",
)
"""The frozen table; REJECTED, GRADUATED and EXITED are final (a new application starts anew)."""

INCUBATION_MOVES = INCUBATION.moves


def check_move(current: IncubationState, target: IncubationState) -> None:
    """Raises IllegalTransition (Chinese message naming both states and the allowed ones)."""
    INCUBATION.check_move(current, target)


def next_states(state: IncubationState) -> tuple[IncubationState, ...]:
    """The states an organization in `state` may move to; empty when final."""
    return INCUBATION.next_states(state)


def check_agreement(start: dt.date, end: dt.date, field: str = "end_date") -> None:
    """An incubation agreement ends strictly after it starts.

    Raises:
        ValidationError: on `field` (the end date's field).
    """
    check_after(start, end, field,
                f"孵化协议结束日期（{fmt_date(end)}）应晚于开始日期（{fmt_date(start)}）")


def check_extension(current_end: dt.date, new_end: dt.date, field: str = "new_end_date") -> None:
    """An extension moves the end strictly later than the agreement's current end.

    Raises:
        ValidationError: on `field`.
    """
    check_after(current_end, new_end, field,
                f"延期后的结束日期（{fmt_date(new_end)}）应晚于当前结束日期（{fmt_date(current_end)}）")
