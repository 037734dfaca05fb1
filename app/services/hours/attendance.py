"""Who served where: a volunteer's service history, an activity's attendance list, and who is
checked in right now (outside the kiosk).

Read-only queries over `service_record`, each on one of its indexes: the history on
(volunteer, started_at), an activity's list on (activity, volunteer), the open check-ins on
(status, id). Times are the records' naive local times (DOMAIN §2).

A reversal (冲正) is its own record that copies the original's times with negative minutes.
The two lists treat it differently, on purpose:

* `history` shows it **as its own line** (kind 冲正, minus the minutes), right above the
  record it corrects, which is marked 已冲正: the volunteer sees why the total went down.
* `attendance` **nets it**: one line per stay, a reversed stay shows 0 minutes and 已冲正,
  and the reversal itself is not listed (it is not a second visit).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import peewee as pw

from app.domain.errors import NotFoundError
from app.domain.hours import (
    FLAG_LABELS,
    KIND_LABELS,
    STATUS_LABELS,
    ActivityStatus,
    Flag,
    Kind,
    RecordStatus,
)
from app.store.db import tuples
from app.store.models import Activity, ServiceRecord, Volunteer

REVERSED_LABEL = "已冲正"
MAX_PAGE = 1000
_FLAG_VALUES = frozenset(f.value for f in Flag)


@dataclass(frozen=True, slots=True)
class HistoryLine:
    """One record in a volunteer's service history (newest first)."""

    record_id: int
    activity: str
    organizer: str
    started_at: dt.datetime
    ended_at: dt.datetime | None
    minutes: int                  # a reversal's are negative
    kind_label: str               # 扫码 / 补录 / 冲正
    status_label: str             # 已签到 / 待审核 / 已通过 / 已驳回 / 已冲正
    flags: tuple[Flag, ...]
    kind: Kind = Kind.SCANNED
    status: RecordStatus = RecordStatus.PENDING
    reversed: bool = False        # an approved record a later reversal corrected
    activity_id: int = 0
    reason: str = ""              # of a rejection or a reversal

    @property
    def flag_labels(self) -> tuple[str, ...]:
        return tuple(FLAG_LABELS[f] for f in self.flags)


@dataclass(frozen=True, slots=True)
class AttendanceLine:
    """One stay at an activity: a scanned check-in (and check-out), or a manual entry."""

    volunteer_id: int
    number: str
    name: str
    checked_in_at: dt.datetime
    checked_out_at: dt.datetime | None   # None: still on site
    minutes: int                         # net of a reversal (0 when reversed)
    status_label: str
    record_id: int = 0
    kind: Kind = Kind.SCANNED
    status: RecordStatus = RecordStatus.PENDING
    reversed: bool = False
    flags: tuple[Flag, ...] = ()

    @property
    def on_site(self) -> bool:
        return self.status == RecordStatus.OPEN


@dataclass(frozen=True, slots=True)
class OnSiteLine:
    """A volunteer checked in and not yet out, with the activity they are at."""

    record_id: int
    volunteer_id: int
    number: str
    name: str
    activity_id: int
    activity: str
    place: str
    checked_in_at: dt.datetime
    activity_ends_at: dt.datetime   # past it, the check-out was probably forgotten


def _flags(text: str) -> tuple[Flag, ...]:
    return tuple(Flag(f) for f in text.split(",") if f in _FLAG_VALUES)


def _status_label(status: RecordStatus, reversed_: bool) -> str:
    return REVERSED_LABEL if reversed_ else STATUS_LABELS[status]


def _reversed_among(volunteer_id: int | None, activity_id: int | None, ids: list[int],
                    first: dt.datetime, last: dt.datetime) -> set[int]:
    """Which of `ids` a reversal points at. A reversal copies its original's start, so the
    search stays inside [first, last] on the same index the caller read."""
    if not ids:
        return set()
    cond = ((ServiceRecord.kind == Kind.REVERSAL) & ServiceRecord.reverses.in_(ids)
            & (ServiceRecord.started_at >= first) & (ServiceRecord.started_at <= last))
    if volunteer_id is not None:
        cond &= ServiceRecord.volunteer == volunteer_id
    if activity_id is not None:
        cond &= ServiceRecord.activity == activity_id
    return {int(r) for (r,) in tuples(ServiceRecord.select(ServiceRecord.reverses).where(cond))}


# ---- a volunteer's history ----------------------------------------------------------------


def count_history(volunteer_id: int) -> int:
    """How many records (reversals included) the volunteer has."""
    return int(ServiceRecord.select().where(ServiceRecord.volunteer == volunteer_id).count())


def history(volunteer_id: int, offset: int = 0, limit: int = 100) -> list[HistoryLine]:
    """A page of the volunteer's records, newest first (by start, then entry order).

    Every record is listed, rejected ones too; a reversal is a line of its own (see the
    module's docstring). Paged on the (volunteer, started_at) index, so a volunteer with
    thousands of records costs one page's rows per call.

    Raises:
        NotFoundError: no such volunteer (only checked when the page is empty).
    """
    limit = max(0, min(limit, MAX_PAGE))
    rows = tuples(ServiceRecord.select(
        ServiceRecord.id, Activity.name, Activity.organizer, ServiceRecord.started_at,
        ServiceRecord.ended_at, ServiceRecord.minutes, ServiceRecord.kind,
        ServiceRecord.status, ServiceRecord.flags, ServiceRecord.activity,
        ServiceRecord.reason)
        .join(Activity)
        .where(ServiceRecord.volunteer == volunteer_id)
        .order_by(ServiceRecord.started_at.desc(), ServiceRecord.id.desc())
        .offset(max(0, offset)).limit(limit))
    if not rows:
        if not Volunteer.select().where(Volunteer.id == volunteer_id).exists():
            raise NotFoundError(f"找不到志愿者（{volunteer_id}）")
        return []
    approved = [r[0] for r in rows
                if r[6] != Kind.REVERSAL and r[7] == RecordStatus.APPROVED]
    starts = [r[3] for r in rows]
    reversed_ids = _reversed_among(volunteer_id, None, approved, min(starts), max(starts))
    out = []
    for rid, name, organizer, started, ended, minutes, raw_kind, raw_status, flags, aid, \
            reason in rows:
        kind, status = Kind(raw_kind), RecordStatus(raw_status)
        is_reversed = rid in reversed_ids
        out.append(HistoryLine(
            record_id=rid, activity=name, organizer=organizer, started_at=started,
            ended_at=ended, minutes=int(minutes), kind_label=KIND_LABELS[kind],
            status_label=_status_label(status, is_reversed), flags=_flags(flags), kind=kind,
            status=status, reversed=is_reversed, activity_id=aid, reason=reason))
    return out


# ---- an activity's attendance ---------------------------------------------------------------


def attendance(activity_id: int) -> list[AttendanceLine]:
    """Everyone who came to the activity, by check-in time: scanned and manual records,
    rejected ones included (with their status); reversals netted (see the module's
    docstring). A person with two stays has two lines.

    Raises:
        NotFoundError: no such activity.
    """
    if not Activity.select().where(Activity.id == activity_id).exists():
        raise NotFoundError(f"找不到活动（{activity_id}）")
    rows = tuples(ServiceRecord.select(
        ServiceRecord.id, ServiceRecord.volunteer, Volunteer.number, Volunteer.name,
        ServiceRecord.started_at, ServiceRecord.ended_at, ServiceRecord.minutes,
        ServiceRecord.kind, ServiceRecord.status, ServiceRecord.flags)
        .join(Volunteer)
        .where((ServiceRecord.activity == activity_id)
               & ServiceRecord.kind.in_([Kind.SCANNED, Kind.MANUAL]))
        .order_by(ServiceRecord.started_at, ServiceRecord.id))
    if not rows:
        return []
    approved = [r[0] for r in rows if r[8] == RecordStatus.APPROVED]
    starts = [r[4] for r in rows]
    reversed_ids = _reversed_among(None, activity_id, approved, min(starts), max(starts))
    out = []
    for rid, vid, number, name, started, ended, minutes, kind, raw_status, flags in rows:
        status = RecordStatus(raw_status)
        is_reversed = rid in reversed_ids
        out.append(AttendanceLine(
            volunteer_id=vid, number=number, name=name, checked_in_at=started,
            checked_out_at=ended, minutes=0 if is_reversed else int(minutes),
            status_label=_status_label(status, is_reversed), record_id=rid, kind=Kind(kind),
            status=status, reversed=is_reversed, flags=_flags(flags)))
    return out


def present_count(lines: list[AttendanceLine]) -> int:
    """People on site now among an attendance list (checked in, not out)."""
    return len({line.volunteer_id for line in lines if line.on_site})


# ---- who is on site now ---------------------------------------------------------------------


def _on_site_query(activity_id: int | None) -> pw.ModelSelect[ServiceRecord]:
    query = (ServiceRecord.select(
        ServiceRecord.id, ServiceRecord.volunteer, Volunteer.number, Volunteer.name,
        ServiceRecord.activity, Activity.name, Activity.place, ServiceRecord.started_at,
        Activity.ends_at)
        .join_from(ServiceRecord, Volunteer).join_from(ServiceRecord, Activity)
        .where((ServiceRecord.status == RecordStatus.OPEN)
               & (Activity.status == ActivityStatus.OPEN)))
    if activity_id is not None:
        query = query.where(ServiceRecord.activity == activity_id)
    return query


def on_site(activity_id: int | None = None) -> list[OnSiteLine]:
    """Volunteers checked in and not yet out (open scanned records) at open activities, or
    at one activity; by activity (start), then check-in time. Read from the (status, id)
    index: only open records are touched however large the register."""
    query = _on_site_query(activity_id).order_by(
        Activity.starts_at, Activity.id, ServiceRecord.started_at, ServiceRecord.id)
    return [OnSiteLine(*row) for row in tuples(query)]
