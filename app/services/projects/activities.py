"""Activities held under a project, and the volunteers' hours they count toward it.

An activity belongs to at most one project (`activity.project_id`). Its hours are the
approved service records that were not reversed (a reversal and the record it corrects both
drop out), so the figure matches the hours report and the certificates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import peewee as pw

from app.domain.errors import ConflictError, NotFoundError, ValidationError
from app.domain.hours import Kind, RecordStatus
from app.services.common import audit
from app.store.db import tuples, writing
from app.store.models import Activity, Project, ServiceRecord


@dataclass(frozen=True, slots=True)
class ActivityLine:
    id: int
    name: str
    starts_at: dt.datetime  # local time of the event, naive
    volunteers: int  # distinct people with counted hours
    minutes: int


@dataclass(frozen=True, slots=True)
class VolunteerHours:
    volunteers: int  # distinct people
    records: int  # counted service records (人次)
    minutes: int

    @property
    def hours(self) -> float:
        return self.minutes / 60


def _project(project_id: int) -> Project:
    row = Project.get_or_none(Project.id == project_id)
    if row is None:
        raise NotFoundError(f"找不到该项目（内部编号{project_id}）")
    return row


def _activity(activity_id: int) -> Activity:
    row = Activity.get_or_none(Activity.id == activity_id)
    if row is None:
        raise NotFoundError(f"找不到活动（{activity_id}）")
    return row


def _set_project(act: Activity, project_id: int | None) -> None:
    """Bump the activity's version too: an activity form opened before must not write the
    old project back."""
    updated = Activity.update(project_id=project_id, version=Activity.version + 1).where(
        (Activity.id == act.id) & (Activity.version == act.version)).execute()
    if updated != 1:
        raise ConflictError("该活动已被其他人修改，请重新打开后再操作")


def link_activity(project_id: int, activity_id: int) -> None:
    """Count the activity's hours toward the project.

    Raises:
        ValidationError: the activity belongs to another project already.
        NotFoundError: no such project or activity.
    """
    with writing():
        project = _project(project_id)
        act = _activity(activity_id)
        if act.project_id == project_id:
            return
        if act.project_id is not None:
            other = Project.get_or_none(Project.id == act.project_id)
            shown = f"{other.number} {other.name}" if other else str(act.project_id)
            raise ValidationError("activity_id", f"活动“{act.name}”已关联项目{shown}，"
                                                 "请先在该项目中取消关联")
        _set_project(act, project_id)
        audit.record("link_activity", "activity", activity_id, {"project_id": None},
                     {"project_id": project_id, "project": project.number})


def unlink_activity(project_id: int, activity_id: int) -> None:
    """Stop counting the activity toward the project (nothing happens if it was not linked).

    Raises:
        NotFoundError: no such activity.
    """
    with writing():
        act = _activity(activity_id)
        if act.project_id != project_id:
            return
        _set_project(act, None)
        audit.record("unlink_activity", "activity", activity_id, {"project_id": project_id},
                     {"project_id": None})


def _counted() -> pw.Expression:
    """Approved, not a reversal, not reversed."""
    reversed_ids = ServiceRecord.select(ServiceRecord.reverses).where(
        (ServiceRecord.kind == str(Kind.REVERSAL)) & ServiceRecord.reverses.is_null(False))
    return ((ServiceRecord.status == str(RecordStatus.APPROVED))
            & (ServiceRecord.kind != str(Kind.REVERSAL))
            & ~ServiceRecord.id.in_(reversed_ids))


def _linked(project_id: int) -> pw.SelectQuery:
    return Activity.select(Activity.id).where(Activity.project_id == project_id)


def activities(project_id: int) -> list[ActivityLine]:
    """The linked activities by start time, each with its counted volunteers and minutes."""
    sums = {aid: (int(people), int(minutes or 0)) for aid, people, minutes in tuples(
        ServiceRecord.select(ServiceRecord.activity,
                             pw.fn.COUNT(ServiceRecord.volunteer.distinct()),
                             pw.fn.SUM(ServiceRecord.minutes))
        .where(_counted() & ServiceRecord.activity.in_(_linked(project_id)))
        .group_by(ServiceRecord.activity))}
    query = (Activity.select(Activity.id, Activity.name, Activity.starts_at)
             .where(Activity.project_id == project_id)
             .order_by(Activity.starts_at, Activity.id))
    return [ActivityLine(aid, name, starts_at, *sums.get(aid, (0, 0)))
            for aid, name, starts_at in tuples(query)]


def volunteer_hours(project_id: int) -> VolunteerHours:
    """Distinct volunteers, records and minutes counted on the project's activities."""
    people, records, minutes = tuples(
        ServiceRecord.select(pw.fn.COUNT(ServiceRecord.volunteer.distinct()),
                             pw.fn.COUNT(ServiceRecord.id), pw.fn.SUM(ServiceRecord.minutes))
        .where(_counted() & ServiceRecord.activity.in_(_linked(project_id))))[0]
    return VolunteerHours(int(people or 0), int(records or 0), int(minutes or 0))


def candidates(text: str = "", limit: int = 50) -> list[ActivityLine]:
    """Activities not linked to any project, newest first, for the link picker (hours are
    not counted here: 0)."""
    query = (Activity.select(Activity.id, Activity.name, Activity.starts_at)
             .where(Activity.project_id.is_null()
                    & (Activity.name.contains(text.strip()) if text.strip() else True))
             .order_by(Activity.starts_at.desc(), Activity.id.desc()).limit(limit))
    return [ActivityLine(aid, name, starts_at, 0, 0) for aid, name, starts_at in tuples(query)]
