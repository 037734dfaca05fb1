"""Service activities (志愿服务活动): what volunteers scan in to and record hours against.

"Whoever organizes records": an activity names its organizer, place and times, and every
service record points at one. Times are naive local datetimes (the event's wall clock).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import peewee as pw

from app.domain.errors import ConflictError, FormErrors, NotFoundError, ValidationError
from app.domain.hours import (
    ACTIVITY_STATUS_LABELS,
    ActivityDraft,
    ActivityPhase,
    ActivityStatus,
    RecordStatus,
    activity_phase,
    whole_minutes,
)
from app.domain.normalize import clean_text
from app.services.common import audit
from app.services.hours import records as service_records
from app.store.db import writing
from app.store.models import Activity, ServiceRecord

CONFLICT = "该活动已被其他人修改，请重新打开后再编辑"
DRAFT_FIELDS = ("name", "starts_at", "ends_at", "organizer", "place", "category", "capacity",
                "project_id")


@dataclass(frozen=True, slots=True)
class ActivityRecord:
    id: int
    name: str
    organizer: str
    place: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    category: str
    capacity: int | None
    project_id: int | None
    status: ActivityStatus
    created_at: dt.datetime
    version: int

    @property
    def minutes(self) -> int:
        return whole_minutes(self.starts_at, self.ends_at)

    @property
    def status_label(self) -> str:
        return ACTIVITY_STATUS_LABELS[self.status]

    def phase(self, now: dt.datetime) -> ActivityPhase:
        """未开始 / 进行中 / 已结束 by the clock while open; closed or cancelled otherwise."""
        return activity_phase(self.status, self.starts_at, self.ends_at, now)

    def draft(self) -> ActivityDraft:
        """The editable fields, for a form to start from."""
        return ActivityDraft(**{f: getattr(self, f) for f in DRAFT_FIELDS})


def _record(row: Activity) -> ActivityRecord:
    return ActivityRecord(
        id=row.id, name=row.name, organizer=row.organizer, place=row.place,
        starts_at=row.starts_at, ends_at=row.ends_at, category=row.category,
        capacity=row.capacity, project_id=row.project_id, status=ActivityStatus(row.status),
        created_at=row.created_at, version=row.version)


def _columns(draft: ActivityDraft) -> dict:
    return {f: getattr(draft, f) for f in DRAFT_FIELDS}


def _has_records(activity_id: int) -> bool:
    """Whether any record that is not rejected points at the activity."""
    return ServiceRecord.select(ServiceRecord.id).where(
        (ServiceRecord.activity == activity_id)
        & (ServiceRecord.status != RecordStatus.REJECTED)).exists()


def create(draft: ActivityDraft) -> ActivityRecord:
    """Validate and store a new activity.

    Raises:
        FormErrors: the draft is invalid (nothing is stored).
    """
    clean = draft.validated()
    with writing():
        row = Activity.create(**_columns(clean))
        audit.record("create", "activity", row.id, None, _columns(clean))
        return _record(row)


def get(activity_id: int) -> ActivityRecord:
    row = Activity.get_or_none(Activity.id == activity_id)
    if row is None:
        raise NotFoundError(f"找不到活动（{activity_id}）")
    return _record(row)


def update(activity_id: int, draft: ActivityDraft, expected_version: int) -> ActivityRecord:
    """Save edits, refusing them if someone else saved since `expected_version`.

    Times are fixed once records exist (their minutes were counted against them); a
    cancelled activity is read-only.

    Raises:
        FormErrors: invalid draft, or changed times on an activity with records.
        ConflictError: the activity changed since it was loaded.
    """
    clean = draft.validated()
    with writing():
        current = get(activity_id)
        if current.version != expected_version:
            raise ConflictError(CONFLICT)
        if current.status == ActivityStatus.CANCELLED:
            raise FormErrors({"status": "活动已取消，不能修改"})
        moved = (clean.starts_at, clean.ends_at) != (current.starts_at, current.ends_at)
        if moved and _has_records(activity_id):
            raise FormErrors({"starts_at": "该活动已有服务记录，不能修改时间"})
        updated = Activity.update(**_columns(clean), version=Activity.version + 1).where(
            (Activity.id == activity_id) & (Activity.version == expected_version)).execute()
        if updated != 1:
            raise ConflictError(CONFLICT)
        before, after = audit.changes(_columns(current.draft()), _columns(clean))
        audit.record("update", "activity", activity_id, before, after)
        return get(activity_id)


def close(activity_id: int, now: dt.datetime | None = None,
          expected_version: int | None = None) -> ActivityRecord:
    """Stop taking scans; whoever is still checked in is checked out (flagged for review)
    at the end, or now if staff close it early. Manual entries stay possible."""
    now = now or service_records.local_now()
    with writing():
        current = _for_status_change(activity_id, expected_version)
        if current.status != ActivityStatus.OPEN:
            raise ValidationError("status", f"活动{current.status_label}，不能结束登记")
        closed = service_records.close_open_at(activity_id, now)
        Activity.update(status=ActivityStatus.CLOSED, version=Activity.version + 1).where(
            Activity.id == activity_id).execute()
        audit.record("close", "activity", activity_id, {"status": current.status},
                     {"status": ActivityStatus.CLOSED, "auto_checkouts": closed})
        return get(activity_id)


def cancel(activity_id: int, reason: str, expected_version: int | None = None) -> ActivityRecord:
    """Mark an activity that did not take place. Refused while it has records that are
    not rejected: those hours would lose their activity."""
    reason = clean_text(reason)
    if not reason:
        raise ValidationError("reason", "请填写取消原因")
    with writing():
        current = _for_status_change(activity_id, expected_version)
        if current.status == ActivityStatus.CANCELLED:
            raise ValidationError("status", "活动已取消")
        if _has_records(activity_id):
            raise ValidationError("status", "该活动已有服务记录，请先驳回这些记录再取消活动")
        Activity.update(status=ActivityStatus.CANCELLED, version=Activity.version + 1).where(
            Activity.id == activity_id).execute()
        audit.record("cancel", "activity", activity_id, {"status": current.status},
                     {"status": ActivityStatus.CANCELLED, "reason": reason})
        return get(activity_id)


def _for_status_change(activity_id: int, expected_version: int | None) -> ActivityRecord:
    current = get(activity_id)
    if expected_version is not None and current.version != expected_version:
        raise ConflictError(CONFLICT)
    return current


def _filtered(text: str, status: ActivityStatus | None) -> pw.ModelSelect[Activity]:
    query = Activity.select()
    words = clean_text(text)
    if words:
        for word in words.split():
            query = query.where(Activity.name.contains(word) | Activity.organizer.contains(word)
                                | Activity.place.contains(word)
                                | Activity.category.contains(word))
    if status is not None:
        query = query.where(Activity.status == status)
    return query


def page(offset: int = 0, limit: int = 50, text: str = "",
         status: ActivityStatus | None = None) -> list[ActivityRecord]:
    """Activities newest first (by start), filtered by words in name, organizer, place or
    category (every word must match)."""
    query = (_filtered(text, status).order_by(Activity.starts_at.desc(), Activity.id.desc())
             .offset(offset).limit(limit))
    return [_record(row) for row in query]


def count(text: str = "", status: ActivityStatus | None = None) -> int:
    return int(_filtered(text, status).count())

