"""A project's milestones (项目节点): planned with a due date, ticked off with the day done.

Open milestones of running projects join the due list (项目节点, 14 days ahead) when
`app.services.projects.money` is imported, which imports this module.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import peewee as pw

from app.domain.errors import FormErrors, NotFoundError, ValidationError
from app.domain.normalize import clean_text
from app.domain.orgs.periods import fmt_date
from app.domain.projects.lifecycle import ProjectStatus
from app.services.common import audit
from app.services.orgs import due
from app.store.db import tuples, writing
from app.store.models import Milestone, Organization, Project

MAX_NAME = 200
CLOSED = (ProjectStatus.CLOSED, ProjectStatus.TERMINATED)


@dataclass(frozen=True, slots=True)
class MilestoneLine:
    id: int
    name: str
    due_on: dt.date | None
    done_on: dt.date | None
    note: str
    overdue: bool  # not done and its due date has passed

    @property
    def done(self) -> bool:
        return self.done_on is not None


def _line(row: Milestone, today: dt.date) -> MilestoneLine:
    overdue = row.done_on is None and row.due_on is not None and row.due_on < today
    return MilestoneLine(row.id, row.name, row.due_on, row.done_on, row.note, overdue)


def _name(name: str) -> str:
    name = clean_text(name)
    if not name:
        raise FormErrors({"name": "请填写节点名称"})
    if len(name) > MAX_NAME:
        raise FormErrors({"name": f"节点名称不能超过{MAX_NAME}个字"})
    return name


def _milestone(milestone_id: int) -> Milestone:
    row = Milestone.get_or_none(Milestone.id == milestone_id)
    if row is None:
        raise NotFoundError(f"找不到该项目节点（{milestone_id}）")
    return row


def add_milestone(project_id: int, name: str, due_on: dt.date | None = None,
                  note: str = "") -> MilestoneLine:
    """Plan a milestone.

    Raises:
        FormErrors: no name, or one too long.
        NotFoundError: no such project.
    """
    name = _name(name)
    with writing():
        project = Project.get_or_none(Project.id == project_id)
        if project is None:
            raise NotFoundError(f"找不到该项目（内部编号{project_id}）")
        row = Milestone.create(project=project_id, name=name, due_on=due_on, note=note.strip())
        audit.record("add_milestone", "milestone", row.id, None,
                     {"project": project.number, "name": name, "due_on": due_on})
        return _line(row, dt.date.today())


def update_milestone(milestone_id: int, name: str, due_on: dt.date | None,
                     note: str = "") -> MilestoneLine:
    """Rename or re-plan a milestone."""
    name = _name(name)
    with writing():
        row = _milestone(milestone_id)
        before = {"name": row.name, "due_on": row.due_on, "note": row.note}
        after = {"name": name, "due_on": due_on, "note": note.strip()}
        Milestone.update(**after).where(Milestone.id == milestone_id).execute()
        audit.record("update_milestone", "milestone", milestone_id, *audit.changes(before, after))
        return _line(_milestone(milestone_id), dt.date.today())


def complete(milestone_id: int, done_on: dt.date) -> MilestoneLine:
    """Tick a milestone off on `done_on` (again: corrects the date).

    Raises:
        ValidationError: a date in the future.
        NotFoundError: no such milestone.
    """
    if done_on is None:
        raise ValidationError("done_on", "请填写完成日期")
    if done_on > dt.date.today():
        raise ValidationError("done_on", "完成日期不能晚于今天")
    with writing():
        row = _milestone(milestone_id)
        Milestone.update(done_on=done_on).where(Milestone.id == milestone_id).execute()
        audit.record("complete_milestone", "milestone", milestone_id,
                     {"done_on": row.done_on}, {"done_on": done_on})
        return _line(_milestone(milestone_id), dt.date.today())


def reopen(milestone_id: int) -> MilestoneLine:
    """Undo a tick made by mistake."""
    with writing():
        row = _milestone(milestone_id)
        Milestone.update(done_on=None).where(Milestone.id == milestone_id).execute()
        audit.record("reopen_milestone", "milestone", milestone_id, {"done_on": row.done_on},
                     {"done_on": None})
        return _line(_milestone(milestone_id), dt.date.today())


def milestones(project_id: int, today: dt.date | None = None) -> list[MilestoneLine]:
    """By due date (undated last), then as added."""
    today = today or dt.date.today()
    query = (Milestone.select().where(Milestone.project == project_id)
             .order_by(Milestone.due_on.is_null(), Milestone.due_on, Milestone.id))
    return [_line(r, today) for r in query]


def _due_milestones(today: dt.date, within: int) -> list[due.DueItem]:
    """Open milestones of projects still running, due by the horizon or overdue."""
    horizon = today + dt.timedelta(days=within)
    o = Organization
    query = (Milestone.select(Milestone.name, Milestone.due_on, Project.number, Project.name,
                              Project.contractor, o.credit_code, o.name, Project.id)
             .join(Project, on=(Milestone.project == Project.id))
             .join(o, pw.JOIN.LEFT_OUTER, on=(Project.contractor == o.id))
             .where(Milestone.done_on.is_null() & Milestone.due_on.is_null(False)
                    & (Milestone.due_on <= horizon)
                    & Project.status.not_in([str(s) for s in CLOSED])))
    found = []
    for name, due_on, number, project_name, oid, code, org_name, project_id in tuples(query):
        when = "已于" if due_on < today else "将于"
        detail = f"{number} {project_name}：节点“{name}”{when}{fmt_date(due_on)}到期"
        found.append(due.DueItem("milestone", due.SOURCES["milestone"].label, oid or 0,
                                 code or "", org_name or project_name, due_on,
                                 (today - due_on).days, detail, project_id=project_id,
                                 project=f"{number} {project_name}"))
    return found


due.add_source("milestone", "项目节点", 14, _due_milestones)
