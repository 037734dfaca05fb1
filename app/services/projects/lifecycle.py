"""Moving a project through its lifecycle, and its life as a dated history and timeline.

Every status change goes through `move`, which checks the machine's table
(`app.domain.projects.lifecycle`), the rules a stage has on entry (signing needs a contractor,
an amount and a date), keeps the move in `project_transition` and bumps the project's version.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import reduce
from operator import or_

from app.domain.errors import ConflictError, FormErrors, ValidationError
from app.domain.normalize import clean_text
from app.domain.orgs.periods import fmt_date
from app.domain.projects.kinds import Grade
from app.domain.projects.lifecycle import ProjectStatus, check_move
from app.domain.projects.money import format_yuan
from app.services.common import audit
from app.services.orgs.timeline import TimelineEvent
from app.services.projects import registration
from app.services.projects.evaluation import EVALUATION_KINDS
from app.services.projects.registration import ProjectRecord
from app.store.db import tuples, writing
from app.store.models import (
    AuditLog,
    Milestone,
    Payment,
    Project,
    ProjectDocument,
    ProjectEvaluation,
    ProjectTransition,
    Tranche,
    utcnow,
)

__all__ = ["KINDS", "KIND_LABELS", "TimelineEvent", "TransitionLine", "history", "move",
           "timeline"]

CONFLICT = "该项目已被其他人修改，请重新打开后再操作"
# Same-day order of the timeline (the life it describes), also each event's `kind`.
KINDS = ("status", "milestone", "payment", "evaluation", "document")
KIND_LABELS = {"status": "项目状态", "milestone": "项目节点", "payment": "付款",
               "evaluation": "评价", "document": "附件"}
_RANK = {kind: n for n, kind in enumerate(KINDS)}


@dataclass(frozen=True, slots=True)
class TransitionLine:
    on: dt.date
    from_state: ProjectStatus | None
    to_state: ProjectStatus
    from_label: str
    to_label: str
    note: str
    actor: str


def _signing_gaps(row: Project) -> dict[str, str]:
    """What a project must have before it is 已签约, by field."""
    gaps = {}
    if row.contractor_id is None:
        gaps["contractor_id"] = "签约前请先选择承接主体"
    if row.contract_amount_fen is None:
        gaps["contract_amount_fen"] = "签约前请先填写合同金额"
    if row.signed_on is None:
        gaps["signed_on"] = "签约前请先填写合同签订日期"
    return gaps


def move(project_id: int, target: ProjectStatus, on: dt.date, note: str = "",
         expected_version: int | None = None) -> ProjectRecord:
    """Move the project to `target` on `on`, keeping the move.

    Raises:
        IllegalTransition: the lifecycle does not allow the move (nothing is written).
        FormErrors: moving to 已签约 without a contractor, contract amount or signing date
            (each missing field named).
        ValidationError: `on` is before the current stage began.
        ConflictError: the project changed since `expected_version` was read.
        NotFoundError: no such project.
    """
    note = clean_text(note)
    with writing():
        row = registration.lock(project_id)
        if expected_version is not None and row.version != expected_version:
            raise ConflictError(CONFLICT)
        current = ProjectStatus(row.status)
        check_move(current, target)
        if target is ProjectStatus.CONTRACTED and (gaps := _signing_gaps(row)):
            raise FormErrors(gaps)
        if row.status_since is not None and on < row.status_since:
            raise ValidationError("on", f"变更日期不能早于当前状态“{current.label}”的开始日期"
                                        f"（{fmt_date(row.status_since)}）")
        updated = Project.update(
            status=str(target), status_since=on, updated_at=utcnow(),
            version=Project.version + 1,
        ).where((Project.id == project_id) & (Project.version == row.version)).execute()
        if updated != 1:
            raise ConflictError(CONFLICT)
        ProjectTransition.create(project=project_id, from_state=str(current),
                                 to_state=str(target), on=on, note=note,
                                 actor=audit.current_actor())
        audit.record("project_move", "project", row.number, {"status": str(current)},
                     {"status": str(target), "on": on, "note": note})
        return registration.get(project_id)


def _status(value: str | None) -> ProjectStatus | None:
    return ProjectStatus(value) if value else None


def history(project_id: int) -> list[TransitionLine]:
    """The project's moves, oldest first."""
    query = (ProjectTransition.select().where(ProjectTransition.project == project_id)
             .order_by(ProjectTransition.on, ProjectTransition.id))
    lines = []
    for t in query:
        before, after = _status(t.from_state), ProjectStatus(t.to_state)
        lines.append(TransitionLine(t.on, before, after, before.label if before else "",
                                    after.label, t.note, t.actor))
    return lines


# --- the timeline ---------------------------------------------------------------------------


def _local_date(moment: dt.datetime) -> dt.date:
    """The desk's calendar day of a naive-UTC moment."""
    return moment.replace(tzinfo=dt.UTC).astimezone().date()


def _join(*parts: str) -> str:
    return "；".join(p for p in parts if p)


def _actors(entity: str, ids: list[int], action: str) -> dict[int, str]:
    """Who wrote each record (the first audit row of `action` on it), in one query."""
    if not ids:
        return {}
    found: dict[int, str] = {}
    conds = [AuditLog.entity_id.in_([str(i) for i in ids[n:n + 500]])
             for n in range(0, len(ids), 500)]
    query = (AuditLog.select(AuditLog.entity_id, AuditLog.actor)
             .where((AuditLog.entity == entity) & (AuditLog.action == action)
                    & reduce(or_, conds))
             .order_by(AuditLog.id))
    for entity_id, actor in tuples(query):
        found.setdefault(int(entity_id), actor)
    return found


def timeline(project_id: int) -> list[TimelineEvent]:
    """Every recorded event of the project, newest first: status moves, milestones done,
    payments, evaluations and attachments."""
    events: list[tuple[dt.date, int, int, TimelineEvent]] = []

    def add(on: dt.date, kind: str, seq: int, title: str, detail: str, actor: str) -> None:
        events.append((on, _RANK[kind], seq, TimelineEvent(on, kind, title, detail, actor)))

    for t in ProjectTransition.select().where(ProjectTransition.project == project_id):
        before, after = _status(t.from_state), ProjectStatus(t.to_state)
        title = (f"项目状态：{before.label} → {after.label}" if before
                 else f"项目状态：{after.label}")
        add(t.on, "status", t.id, title, t.note, t.actor)

    done = list(Milestone.select().where((Milestone.project == project_id)
                                         & Milestone.done_on.is_null(False)))
    who = _actors("milestone", [m.id for m in done], "complete_milestone")
    for m in done:
        assert m.done_on is not None
        late = (f"计划{fmt_date(m.due_on)}，逾期{(m.done_on - m.due_on).days}天完成"
                if m.due_on and m.done_on > m.due_on
                else f"计划{fmt_date(m.due_on)}" if m.due_on else "")
        add(m.done_on, "milestone", m.id, f"完成节点：{m.name}", _join(late, m.note),
            who.get(m.id, ""))

    seqs = dict(tuples(Tranche.select(Tranche.id, Tranche.seq)
                       .where(Tranche.project == project_id)))
    for p in Payment.select().where(Payment.project == project_id):
        tid = p.tranche_id  # type: ignore[attr-defined]
        tranche = f"第{seqs[tid]}期" if tid in seqs else ""
        add(p.paid_on, "payment", p.id, f"付款：{format_yuan(p.amount_fen)}",
            _join(tranche, p.note), p.actor)

    evaluations = list(ProjectEvaluation.select()
                       .where(ProjectEvaluation.project == project_id))
    who = _actors("project_evaluation", [e.id for e in evaluations], "record_evaluation")
    for e in evaluations:
        grade = Grade(e.grade).label if e.grade else ""
        score = f"{e.score:.1f}分" if e.score is not None else ""
        head = EVALUATION_KINDS.get(e.kind, e.kind)
        result = "".join((grade, f"（{score}）" if grade and score else score))
        add(e.on, "evaluation", e.id, f"{head}：{result}" if result else head,
            _join(f"评价机构：{e.evaluator}" if e.evaluator else "", e.conclusion),
            who.get(e.id, ""))

    for d in ProjectDocument.select().where(ProjectDocument.project == project_id):
        add(_local_date(d.added_at), "document", d.id, f"添加附件：{d.title}", d.file_name,
            d.actor)

    events.sort(key=lambda e: e[:3], reverse=True)
    return [e[3] for e in events]

