"""Service records (志愿服务记录): kiosk scans, manual entries, approval, reversal.

Rules live in app.domain.hours; this module fetches the facts they need and writes the
outcome with an audit row, one transaction per public function. Record times are naive
local times, like the activity's (a check-in is read off the kiosk's clock); `created_at`
and `decided_at` are UTC like every other timestamp.

started_at / ended_at are when the volunteer was there (scan times, or the activity's end
for a forgotten check-out); `minutes` is what counts after the honesty rules. A record
counts on the day it starts. Overlap and the daily cap look at every record that is not
rejected, reversed or a reversal. Each stay is judged alone against the minimum share: two
short stays at one activity do not add up.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from operator import itemgetter

import peewee as pw

from app.domain import hours as rules
from app.domain.errors import FormErrors, NotFoundError, ValidationError
from app.domain.hours import Flag, HoursPolicy, Kind, RecordStatus, StarPolicy, format_minutes
from app.domain.normalize import clean_text
from app.domain.volunteer import STATUS_LABELS as VOLUNTEER_STATUS_LABELS
from app.domain.volunteer import Status
from app.services.common import audit, progress, settings
from app.services.common.progress import NullProgress, ProgressState
from app.services.hours import report_sums as sums_of
from app.services.hours.report_sums import effective_kind
from app.store import rollups
from app.store.db import database, is_sqlite, tuples, writing
from app.store.models import Activity, ServiceRecord, Volunteer, utcnow

log = logging.getLogger(__name__)

CHUNK = 2000               # ids per IN (...) list: well under SQLite's variable limit
LONGEST_RECORD = dt.timedelta(hours=30)  # activity ≤ 24 h plus the scan margins
# A scan's flag (ScanOutcome.flags, the scan log), not a record's: accepted outside the
# activity's window under the "warn" setting (settings.KIOSK_OUTSIDE_WINDOW).
OUTSIDE_WINDOW_FLAG = "outside_window"


def hours_policy() -> HoursPolicy:
    return HoursPolicy(
        min_scan_share_percent=settings.get(settings.HOURS_MIN_SCAN_SHARE),
        daily_cap_minutes=settings.get(settings.HOURS_DAILY_CAP),
        scan_repeat_seconds=settings.get(settings.HOURS_SCAN_REPEAT_SECONDS),
        scan_margin_minutes=settings.get(settings.HOURS_SCAN_MARGIN),
        outside_window="warn" if settings.outside_window() == "warn" else "refuse")


def star_policy() -> StarPolicy:
    """The configured thresholds; a broken setting falls back to the national default."""
    try:
        return StarPolicy.parse(settings.get(settings.STAR_THRESHOLDS))
    except ValidationError:
        log.warning("invalid star thresholds setting, using defaults")
        return StarPolicy()


def local_now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def _local(moment: dt.datetime) -> dt.datetime:
    """A naive local time to the second (an aware time is converted first)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone().replace(tzinfo=None)
    return moment.replace(microsecond=0)


# ---- plain rows handed to screens, the kiosk and reports -------------------------------


@dataclass(frozen=True, slots=True)
class ScanOutcome:
    """What the kiosk shows after a scan (large text, colour by `kind`)."""

    kind: str  # checked_in / checked_out / repeat
    record_id: int
    minutes: int
    message: str
    volunteer_name: str = ""
    flags: tuple[str, ...] = ()
    warning: str = ""  # an accepted scan outside the activity's window (setting "warn")


@dataclass(frozen=True, slots=True)
class RecordRow:
    id: int
    volunteer_id: int
    volunteer_number: str
    volunteer_name: str
    activity_id: int
    activity_name: str
    kind: Kind
    status: RecordStatus
    started_at: dt.datetime
    ended_at: dt.datetime | None
    minutes: int
    flags: tuple[str, ...]
    content: str
    reason: str
    recorded_by: str
    decided_by: str
    reverses_id: int | None


@dataclass(frozen=True, slots=True)
class ApproveResult:
    approved: int      # records moved from pending to approved
    skipped: int       # ids that were not pending (already decided, open, unknown)
    minutes: int       # minutes added to the volunteers' totals
    volunteers: int
    points: int        # points granted by the ledger


@dataclass(frozen=True, slots=True)
class HoursSummary:
    volunteer_id: int
    approved_minutes: int        # the running total the star level comes from
    scanned_minutes: int         # approved, net of reversals
    manual_minutes: int          # approved, net of reversals
    pending_minutes: int
    star_level: int
    next_level_minutes: int | None   # the next threshold, None at the top level
    minutes_to_next: int | None
    hours_to_next: int | None


@dataclass(frozen=True, slots=True)
class ServiceLine:
    """One approved, standing record for a certificate."""

    record_id: int
    started_at: dt.datetime
    ended_at: dt.datetime | None
    activity_id: int
    activity_name: str
    organizer: str
    place: str
    category: str
    content: str
    kind: Kind
    minutes: int


@dataclass(frozen=True, slots=True)
class ReportRow:
    key: str
    label: str
    scanned_minutes: int
    manual_minutes: int
    records: int
    volunteers: int

    @property
    def total_minutes(self) -> int:
        return self.scanned_minutes + self.manual_minutes


GROUPS = ("volunteer", "activity", "community", "month")



def _row_query() -> pw.ModelSelect[ServiceRecord]:
    return (ServiceRecord.select(
        ServiceRecord.id, ServiceRecord.volunteer, Volunteer.number, Volunteer.name,
        ServiceRecord.activity, Activity.name, ServiceRecord.kind, ServiceRecord.status,
        ServiceRecord.started_at, ServiceRecord.ended_at, ServiceRecord.minutes,
        ServiceRecord.flags, ServiceRecord.content, ServiceRecord.reason,
        ServiceRecord.recorded_by, ServiceRecord.decided_by, ServiceRecord.reverses)
        .join_from(ServiceRecord, Volunteer).join_from(ServiceRecord, Activity))


def _row(t: tuple) -> RecordRow:
    """A tuple of `_row_query` columns, which follow RecordRow's field order."""
    values = list(t)
    values[6], values[7] = Kind(values[6]), RecordStatus(values[7])
    values[11] = tuple(f for f in values[11].split(",") if f)
    return RecordRow(*values)


def get(record_id: int) -> RecordRow:
    found = tuples(_row_query().where(ServiceRecord.id == record_id))
    if not found:
        raise NotFoundError(f"找不到服务记录（{record_id}）")
    return _row(found[0])


# ---- facts the rules need ---------------------------------------------------------------


def _volunteer(volunteer_id: int) -> Volunteer:
    """The volunteer row, locked on PostgreSQL so two kiosks scanning one card queue."""
    query = Volunteer.select(Volunteer.id, Volunteer.number, Volunteer.name,
                             Volunteer.status).where(Volunteer.id == volunteer_id)
    if not is_sqlite():
        query = query.for_update()
    row = query.first()
    if row is None:
        raise NotFoundError(f"找不到志愿者（{volunteer_id}）")
    return row


def _activity(activity_id: int) -> Activity:
    row = Activity.get_or_none(Activity.id == activity_id)
    if row is None:
        raise NotFoundError(f"找不到活动（{activity_id}）")
    return row


def _used_on_day(volunteer_id: int, moment: dt.datetime) -> int:
    """Minutes already counted (pending or approved, net of reversals) on moment's day."""
    first, after = rules.day_bounds(moment)
    total = ServiceRecord.select(pw.fn.COALESCE(pw.fn.SUM(ServiceRecord.minutes), 0)).where(
        (ServiceRecord.volunteer == volunteer_id) & (ServiceRecord.started_at >= first)
        & (ServiceRecord.started_at < after)
        & ServiceRecord.status.in_([RecordStatus.PENDING, RecordStatus.APPROVED])).scalar()
    return int(total or 0)


def _find_overlap(volunteer_id: int, start: dt.datetime, end: dt.datetime,
                  exclude: int | None = None) -> tuple[str, dt.datetime, dt.datetime | None] | None:
    """The first standing record of the volunteer that shares time with [start, end).

    An open record lasts until its activity ends. Reversals are read in the same range
    (they copy the original's times), so reversed records drop out without another index.
    """
    rows = tuples(ServiceRecord.select(
        ServiceRecord.id, ServiceRecord.kind, ServiceRecord.status, ServiceRecord.reverses,
        ServiceRecord.started_at, ServiceRecord.ended_at, Activity.ends_at, Activity.name)
        .join(Activity)
        .where((ServiceRecord.volunteer == volunteer_id)
               & (ServiceRecord.started_at > start - LONGEST_RECORD)
               & (ServiceRecord.started_at < end)
               & (ServiceRecord.status != RecordStatus.REJECTED))
        .order_by(ServiceRecord.started_at))
    reversed_ids = {r[3] for r in rows if r[1] == Kind.REVERSAL}
    for rid, kind, _status, _rev, started, ended, act_end, name in rows:
        if rid == exclude or kind == Kind.REVERSAL or rid in reversed_ids:
            continue
        if (ended or act_end) > start:
            return name, started, ended
    return None


# ---- the kiosk ----------------------------------------------------------------------------


def record_scan(volunteer_id: int, activity_id: int, at: dt.datetime,
                station: str = "") -> ScanOutcome:
    """A card scanned at an activity: first scan checks in, the next checks out.

    A scan within the repeat window of the last one changes nothing. Check-out computes the
    minutes under the honesty rules and leaves the record pending for approval.

    Raises:
        ValidationError: withdrawn or suspended volunteer, closed or cancelled activity, a
            scan far outside the activity's time, or the volunteer is still checked in at
            another activity that is under way. The message is for the kiosk to show.
        NotFoundError: unknown volunteer or activity.
    """
    at = _local(at)
    policy = hours_policy()
    with writing():
        vol = _volunteer(volunteer_id)
        if vol.status != Status.ACTIVE:
            label = VOLUNTEER_STATUS_LABELS[Status(vol.status)]
            raise ValidationError("volunteer",
                                  f"{vol.name}（{vol.number}）{label}，不能记录服务时长")
        act = _activity(activity_id)
        if act.status != rules.ActivityStatus.OPEN:
            label = rules.ACTIVITY_STATUS_LABELS[rules.ActivityStatus(act.status)]
            raise ValidationError("activity", f"活动“{act.name}”{label}，不能扫码")
        here = (ServiceRecord.select()
                .where((ServiceRecord.activity == act.id) & (ServiceRecord.volunteer == vol.id)
                       & (ServiceRecord.kind == Kind.SCANNED))
                .order_by(ServiceRecord.id.desc()).first())
        open_here = here if here is not None and here.status == RecordStatus.OPEN else None
        last_scan = None if here is None else (
            here.started_at if open_here else (here.ended_at or here.started_at))
        action = rules.scan_action(open_here.started_at if open_here else None, last_scan,
                                   at, policy)
        if action == "repeat":
            assert here is not None
            return ScanOutcome("repeat", here.id, here.minutes,
                               f"{vol.name} 重复扫码，已忽略", vol.name)
        warning = rules.check_scan_time(action, at, act.starts_at, act.ends_at, policy)
        if open_here is None:
            full = _capacity_left(act, vol.id) == 0
            outcome = _check_in(vol, act, at, station, policy)
            outcome = _warned(outcome, warning) if warning else outcome
            if full:  # accepted (the person is here), but staff should know
                present = attendees(act.id)
                note = rules.capacity_message(act.name, int(act.capacity or 0), present - 1)
                outcome = dataclasses.replace(
                    outcome, warning="；".join(w for w in (outcome.warning, note) if w))
            return outcome
        counted = _close(open_here, act, at, policy, auto=False, station=station)
        message = f"{vol.name} 签退成功：{format_minutes(counted.minutes)}，待审核"
        if Flag.SHORT_STAY in counted.flags:
            message = (f"{vol.name} 已签退：在场时间不足活动时长的"
                       f"{policy.min_scan_share_percent}%，本次不计时长")
        elif Flag.OVERLAP in counted.flags:
            message = f"{vol.name} 已签退：与其他服务记录时间重叠，本次不计时长，请联系工作人员"
        elif Flag.DAILY_CAP in counted.flags:
            message += f"（已达每日上限{format_minutes(policy.daily_cap_minutes)}）"
        outcome = ScanOutcome("checked_out", open_here.id, counted.minutes, message, vol.name,
                              tuple(counted.flags))
        return _warned(outcome, warning) if warning else outcome


def attendees(activity_id: int) -> int:
    """People with a standing (not rejected) scanned or manual record at the activity."""
    return int(ServiceRecord.select(pw.fn.COUNT(ServiceRecord.volunteer.distinct())).where(
        (ServiceRecord.activity == activity_id)
        & ServiceRecord.kind.in_([Kind.SCANNED, Kind.MANUAL])
        & (ServiceRecord.status != RecordStatus.REJECTED)).scalar() or 0)


def _capacity_left(act: Activity, volunteer_id: int) -> int | None:
    """Places left for `volunteer_id` at `act` (None: no capacity set). Someone already
    counted there takes no new place."""
    if not act.capacity:
        return None
    counted = ServiceRecord.select().where(
        (ServiceRecord.activity == act.id) & (ServiceRecord.volunteer == volunteer_id)
        & ServiceRecord.kind.in_([Kind.SCANNED, Kind.MANUAL])
        & (ServiceRecord.status != RecordStatus.REJECTED)).exists()
    return None if counted else max(0, int(act.capacity) - attendees(act.id))


def _warned(outcome: ScanOutcome, warning: str) -> ScanOutcome:
    """An accepted scan outside the activity's window: flagged, with the warning."""
    return dataclasses.replace(outcome, flags=(*outcome.flags, OUTSIDE_WINDOW_FLAG),
                               warning=warning)


def _check_in(vol: Volunteer, act: Activity, at: dt.datetime, station: str,
              policy: HoursPolicy) -> ScanOutcome:
    elsewhere = (ServiceRecord.select(ServiceRecord, Activity).join(Activity)
                 .where((ServiceRecord.volunteer == vol.id)
                        & (ServiceRecord.status == RecordStatus.OPEN)))
    for other in elsewhere:
        if at >= other.activity.ends_at:  # that activity is over: a forgotten check-out
            _close(other, other.activity, other.activity.ends_at, policy, auto=True)
        else:
            raise ValidationError("activity", f"{vol.name}在“{other.activity.name}”签到后"
                                              "尚未签退，请先在该活动签退")
    clash = _find_overlap(vol.id, at, at + dt.timedelta(seconds=1))
    if clash is not None:
        raise ValidationError("at", rules.overlap_message(*clash))
    rec = ServiceRecord.create(volunteer=vol.id, activity=act.id, kind=Kind.SCANNED,
                               status=RecordStatus.OPEN, started_at=at,
                               recorded_by=audit.current_actor())
    audit.record("check_in", "service_record", rec.id, None,
                 {"volunteer": vol.number, "activity": act.id, "at": at, "station": station})
    return ScanOutcome("checked_in", rec.id, 0, f"{vol.name} 签到成功：{act.name}", vol.name)


def _close(rec: ServiceRecord, act: Activity, check_out: dt.datetime, policy: HoursPolicy,
           auto: bool, station: str = "") -> rules.Counted:
    """Close an open record at `check_out` under the rules; it becomes pending."""
    clash = _find_overlap(rec.volunteer_id, rec.started_at, check_out, exclude=rec.id)
    counted = rules.count_scanned(
        rec.started_at, check_out, act.starts_at, act.ends_at,
        _used_on_day(rec.volunteer_id, rec.started_at), policy,
        overlaps=clash is not None, auto=auto)
    flags = ",".join(counted.flags)
    ServiceRecord.update(
        ended_at=check_out, minutes=counted.minutes, flags=flags,
        status=RecordStatus.PENDING, version=ServiceRecord.version + 1,
    ).where((ServiceRecord.id == rec.id) & (ServiceRecord.status == RecordStatus.OPEN)).execute()
    audit.record("auto_checkout" if auto else "check_out", "service_record", rec.id,
                 {"status": RecordStatus.OPEN},
                 {"status": RecordStatus.PENDING, "ended_at": check_out,
                  "minutes": counted.minutes, "flags": flags, "station": station})
    return counted


def close_forgotten(now: dt.datetime | None = None) -> int:
    """Close check-outs nobody scanned: at the activity's end, flagged `auto_checkout`.

    Only activities that ended more than the scan margin ago, so a late check-out at the
    kiosk still works. Run by `yilian hours close-forgotten` and at start-up.
    """
    now = _local(now or local_now())
    policy = hours_policy()
    limit = now - dt.timedelta(minutes=policy.scan_margin_minutes)
    with writing():
        forgotten = list(ServiceRecord.select(ServiceRecord, Activity).join(Activity)
                         .where((ServiceRecord.status == RecordStatus.OPEN)
                                & (Activity.ends_at <= limit))
                         .order_by(ServiceRecord.id))
        for rec in forgotten:
            _close(rec, rec.activity, rec.activity.ends_at, policy, auto=True)
    return len(forgotten)


def close_open_at(activity_id: int, now: dt.datetime) -> int:
    """Close the activity's open records when staff close it: at its end, or now if that
    is sooner; flagged `auto_checkout`. Call inside the caller's transaction."""
    act = _activity(activity_id)
    policy = hours_policy()
    rows = list(ServiceRecord.select().where(
        (ServiceRecord.activity == activity_id) & (ServiceRecord.status == RecordStatus.OPEN)))
    for rec in rows:
        _close(rec, act, max(rec.started_at, min(_local(now), act.ends_at)), policy, auto=True)
    return len(rows)


# ---- staff at the desk ----------------------------------------------------------------------


def add_manual(volunteer_id: int, activity_id: int, started_at: dt.datetime | None,
               ended_at: dt.datetime | None, content: str, recorded_by: str = "",
               now: dt.datetime | None = None) -> RecordRow:
    """Record hours served without a scan (补录); pending until approved.

    Raises:
        FormErrors: times, content, overlap (named), the daily cap (refused, not cut), or
            the activity is full (unless the capacity setting allows it).
        NotFoundError: unknown volunteer or activity.
    """
    now = _local(now or local_now())
    policy = hours_policy()
    start = None if started_at is None else _local(started_at)
    end = None if ended_at is None else _local(ended_at)
    with writing():
        vol = _volunteer(volunteer_id)
        act = _activity(activity_id)
        if act.status == rules.ActivityStatus.CANCELLED:
            raise FormErrors({"activity_id": f"活动“{act.name}”已取消，不能补录服务时长"})
        if _capacity_left(act, vol.id) == 0 and settings.capacity_manual() == "refuse":
            raise FormErrors({"activity_id": rules.capacity_message(
                act.name, int(act.capacity or 0), attendees(act.id)) + "，不能再补录其他人"})
        used = 0 if start is None else _used_on_day(vol.id, start)
        minutes = rules.validate_manual(start, end, act.starts_at, act.ends_at, content,
                                        used, now, policy)
        assert start is not None and end is not None
        clash = _find_overlap(vol.id, start, end)
        if clash is not None:
            raise FormErrors({"started_at": rules.overlap_message(*clash)})
        rec = ServiceRecord.create(
            volunteer=vol.id, activity=act.id, kind=Kind.MANUAL, status=RecordStatus.PENDING,
            started_at=start, ended_at=end, minutes=minutes, content=clean_text(content),
            recorded_by=clean_text(recorded_by) or audit.current_actor())
        audit.record("add_manual", "service_record", rec.id, None,
                     {"volunteer": vol.number, "activity": act.id, "started_at": start,
                      "ended_at": end, "minutes": minutes, "content": clean_text(content)})
        return get(rec.id)


def approve(record_ids: Iterable[int], state: ProgressState | None = None,
            decided_by: str = "") -> ApproveResult:
    """Approve pending records in one transaction, with their points.

    Set-based so 100,000 records go in one call: chunks of UPDATE ... WHERE id IN (...),
    one points call per chunk, and each volunteer's total raised once at the end. A cancel
    (through `state`) rolls everything back. Ids that are not pending are skipped.
    """
    from app.services.points import ledger as points

    state = state or NullProgress()
    ids = sorted({int(i) for i in record_ids})
    actor = clean_text(decided_by) or audit.current_actor()
    now = utcnow()
    per_volunteer: dict[int, int] = defaultdict(int)
    approved = granted = 0
    with writing():
        for first in range(0, len(ids), CHUNK):
            progress.check(state)
            chunk = ids[first:first + CHUNK]
            query = (ServiceRecord.select(ServiceRecord.id, ServiceRecord.volunteer,
                                          ServiceRecord.minutes, ServiceRecord.activity,
                                          Activity.category, ServiceRecord.started_at,
                                          ServiceRecord.kind)
                     .join(Activity)
                     .where(ServiceRecord.id.in_(chunk)
                            & (ServiceRecord.status == RecordStatus.PENDING)))
            if not is_sqlite():
                query = query.for_update(of=ServiceRecord)
            rows = tuples(query)
            if rows:
                ServiceRecord.update(
                    status=RecordStatus.APPROVED, decided_by=actor, decided_at=now,
                    version=ServiceRecord.version + 1,
                ).where(ServiceRecord.id.in_([r[0] for r in rows])).execute()
                items = [points.EarnItem(vid, rid, minutes, category, aid)
                         for rid, vid, minutes, aid, category, _at, _k in rows if minutes > 0]
                if items:
                    granted += int(points.earn_for_records(items) or 0)
                for _rid, vid, minutes, _aid, _cat, _at, _k in rows:
                    per_volunteer[vid] += minutes
                rollups.add_hours_month([(r[5], r[2]) for r in rows])  # (start, minutes)
                rollups.add_hours_volunteer_month(  # (volunteer, start, kind, minutes, +1)
                    [(r[1], r[5], r[6], r[2], 1) for r in rows])
                audit.record_many("approve", "service_record", [
                    (rid, {"status": RecordStatus.APPROVED, "minutes": minutes})
                    for rid, _vid, minutes, _aid, _cat, _at, _k in rows])
                approved += len(rows)
            state.set_progress(min(first + CHUNK, len(ids)), len(ids), "正在审核服务记录")
        progress.check(state)
        _add_to_totals(per_volunteer)
    return ApproveResult(approved=approved, skipped=len(ids) - approved,
                         minutes=sum(per_volunteer.values()), volunteers=len(per_volunteer),
                         points=granted)


def _add_to_totals(per_volunteer: dict[int, int]) -> None:
    """Raise each volunteer's approved_minutes once, by the driver's batch path."""
    pairs = [(vid, minutes) for vid, minutes in sorted(per_volunteer.items()) if minutes]
    if not pairs:
        return
    conn = database.connection()
    if is_sqlite():
        conn.executemany("UPDATE volunteer SET approved_minutes = approved_minutes + ? "
                         "WHERE id = ?", [(m, v) for v, m in pairs])
        return
    from psycopg2.extras import execute_values

    with conn.cursor() as cur:
        execute_values(cur, "UPDATE volunteer AS v SET approved_minutes = v.approved_minutes "
                            "+ d.m FROM (VALUES %s) AS d(id, m) WHERE v.id = d.id",
                       pairs, page_size=5000)


def reject(record_ids: Iterable[int], reason: str, decided_by: str = "") -> int:
    """Reject pending (or wrongly opened) records with a reason; returns how many."""
    reason = clean_text(reason)
    if not reason:
        raise ValidationError("reason", "请填写驳回原因")
    ids = sorted({int(i) for i in record_ids})
    actor = clean_text(decided_by) or audit.current_actor()
    now = utcnow()
    done = 0
    with writing():
        for first in range(0, len(ids), CHUNK):
            chunk = ids[first:first + CHUNK]
            found = [r for (r,) in tuples(ServiceRecord.select(ServiceRecord.id).where(
                ServiceRecord.id.in_(chunk)
                & ServiceRecord.status.in_([RecordStatus.PENDING, RecordStatus.OPEN])))]
            if not found:
                continue
            ServiceRecord.update(
                status=RecordStatus.REJECTED, reason=reason, decided_by=actor, decided_at=now,
                version=ServiceRecord.version + 1).where(ServiceRecord.id.in_(found)).execute()
            audit.record_many("reject", "service_record", [
                (rid, {"status": RecordStatus.REJECTED, "reason": reason}) for rid in found])
            done += len(found)
    return done


def reverse(record_id: int, reason: str, decided_by: str = "") -> RecordRow:
    """Correct an approved record by a reversing one (never by editing it).

    The reversal is approved at once with the negative minutes and the original's times;
    the volunteer's total goes down and the points ledger reverses the earn.

    Raises:
        ValidationError: no reason, not approved, a reversal itself, or reversed already.
    """
    reason = clean_text(reason)
    if not reason:
        raise ValidationError("reason", "请填写冲正原因")
    actor = clean_text(decided_by) or audit.current_actor()
    with writing():
        orig = ServiceRecord.get_or_none(ServiceRecord.id == record_id)
        if orig is None:
            raise NotFoundError(f"找不到服务记录（{record_id}）")
        if orig.kind == Kind.REVERSAL:
            raise ValidationError("record", "冲正记录不能再冲正")
        if orig.status != RecordStatus.APPROVED:
            raise ValidationError("record", "只有已通过的记录需要冲正；未审核的记录请直接驳回")
        _volunteer(orig.volunteer_id)  # lock: totals change below
        done = ServiceRecord.select(ServiceRecord.id).where(
            (ServiceRecord.volunteer == orig.volunteer_id)
            & (ServiceRecord.started_at == orig.started_at)
            & (ServiceRecord.reverses == orig.id)).exists()
        if done:
            raise ValidationError("record", "该记录已冲正，不能重复冲正")
        rev = ServiceRecord.create(
            volunteer=orig.volunteer_id, activity=orig.activity_id, kind=Kind.REVERSAL,
            status=RecordStatus.APPROVED, started_at=orig.started_at, ended_at=orig.ended_at,
            minutes=-orig.minutes, content=orig.content, reverses=orig.id, reason=reason,
            recorded_by=actor, decided_by=actor, decided_at=utcnow())
        if orig.minutes:
            Volunteer.update(approved_minutes=Volunteer.approved_minutes - orig.minutes).where(
                Volunteer.id == orig.volunteer_id).execute()
            rollups.add_hours_month([(orig.started_at, -orig.minutes)])
            from app.services.points import ledger as points

            points.reverse_for_record(orig.id, reason)
        # One standing record fewer even at zero minutes; the minutes net out of its kind.
        rollups.add_hours_volunteer_month(
            [(orig.volunteer_id, orig.started_at, orig.kind, -orig.minutes, -1)])
        audit.record("reverse", "service_record", orig.id,
                     {"minutes": orig.minutes},
                     {"reversal": rev.id, "minutes": -orig.minutes, "reason": reason})
        return get(rev.id)


# ---- queries ------------------------------------------------------------------------------


def _pending_query(activity_id: int | None) -> pw.ModelSelect[ServiceRecord]:
    query = _row_query().where(ServiceRecord.status == RecordStatus.PENDING)
    if activity_id is not None:
        query = query.where(ServiceRecord.activity == activity_id)
    return query


def pending(offset: int = 0, limit: int = 100, activity_id: int | None = None) -> list[RecordRow]:
    """A page of the approval list, oldest first."""
    query = _pending_query(activity_id).order_by(ServiceRecord.id).offset(offset).limit(limit)
    return [_row(t) for t in tuples(query)]


def count_pending(activity_id: int | None = None) -> int:
    query = ServiceRecord.select().where(ServiceRecord.status == RecordStatus.PENDING)
    if activity_id is not None:
        query = query.where(ServiceRecord.activity == activity_id)
    return int(query.count())


def pending_ids(activity_id: int | None = None) -> list[int]:
    """Every pending id (of one activity), for "approve all"."""
    query = ServiceRecord.select(ServiceRecord.id).where(
        ServiceRecord.status == RecordStatus.PENDING)
    if activity_id is not None:
        query = query.where(ServiceRecord.activity == activity_id)
    return [rid for (rid,) in tuples(query.order_by(ServiceRecord.id))]


def volunteer_hours(volunteer_id: int) -> HoursSummary:
    """Hours for the detail panel: one indexed pass over the volunteer's records."""
    total = Volunteer.select(Volunteer.approved_minutes).where(
        Volunteer.id == volunteer_id).scalar()
    if total is None:
        raise NotFoundError(f"找不到志愿者（{volunteer_id}）")
    kind = effective_kind()
    sums: dict[tuple[str, str], int] = defaultdict(int)
    query = (ServiceRecord.select(kind, ServiceRecord.status, pw.fn.SUM(ServiceRecord.minutes))
             .where((ServiceRecord.volunteer == volunteer_id)
                    & ServiceRecord.status.in_([RecordStatus.APPROVED, RecordStatus.PENDING]))
             .group_by(kind, ServiceRecord.status))
    for k, status, minutes in tuples(query):
        sums[(k, status)] += int(minutes or 0)
    stars = star_policy()
    total = int(total)
    return HoursSummary(
        volunteer_id=volunteer_id, approved_minutes=total,
        scanned_minutes=sums[(Kind.SCANNED, RecordStatus.APPROVED)],
        manual_minutes=sums[(Kind.MANUAL, RecordStatus.APPROVED)],
        pending_minutes=sums[(Kind.SCANNED, RecordStatus.PENDING)]
        + sums[(Kind.MANUAL, RecordStatus.PENDING)],
        star_level=stars.level(total), next_level_minutes=stars.next_threshold_minutes(total),
        minutes_to_next=stars.minutes_to_next(total), hours_to_next=stars.hours_to_next(total))


def _range(date_from: dt.date | None, date_to: dt.date | None) -> pw.Expression:
    cond: pw.Expression = ServiceRecord.status == RecordStatus.APPROVED
    if date_from is not None:
        cond &= ServiceRecord.started_at >= dt.datetime.combine(date_from, dt.time())
    if date_to is not None:
        cond &= ServiceRecord.started_at < dt.datetime.combine(
            date_to + dt.timedelta(days=1), dt.time())
    return cond


def records_for_volunteer(volunteer_id: int, date_from: dt.date | None = None,
                          date_to: dt.date | None = None) -> list[ServiceLine]:
    """Approved records still standing (reversed ones and their reversals left out),
    oldest first, for a service certificate. Dates are inclusive, by the day served."""
    rows = tuples(ServiceRecord.select(
        ServiceRecord.id, ServiceRecord.kind, ServiceRecord.reverses, ServiceRecord.started_at,
        ServiceRecord.ended_at, Activity.id, Activity.name, Activity.organizer, Activity.place,
        Activity.category, ServiceRecord.content, ServiceRecord.minutes)
        .join(Activity)
        .where((ServiceRecord.volunteer == volunteer_id) & _range(date_from, date_to))
        .order_by(ServiceRecord.started_at, ServiceRecord.id))
    reversed_ids = {r[2] for r in rows if r[1] == Kind.REVERSAL}
    return [ServiceLine(rid, started, ended, aid, name, organizer, place, category, content,
                        Kind(kind), minutes)
            for (rid, kind, _rev, started, ended, aid, name, organizer, place, category,
                 content, minutes) in rows
            if kind != Kind.REVERSAL and rid not in reversed_ids]


def hours_report(date_from: dt.date | None, date_to: dt.date | None,
                 group_by: str = "volunteer", source: str = "rollup") -> list[ReportRow]:
    """Approved minutes over a period grouped in SQL, scanned and manual kept apart.

    Reversals net out against the kind they reverse; `records` counts standing records.
    By volunteer, community or month the whole months inside the period are read from the
    roll-up `hours_volunteer_month` (one row per volunteer and month) and only the partial
    months at its edges from the records; by activity (the roll-up has none), or with
    `source="raw"` (kept to check the roll-up against), everything comes from the records.
    The sums are made per volunteer (or activity, or month) first and only those are joined
    to their volunteers: joining each of a month's ~400,000 records to the volunteer table
    instead costs seconds at city scale.
    """
    sums = report_source(date_from, date_to, group_by, source)
    totals = (sums.c.scanned, sums.c.manual, sums.c.records, sums.c.people)
    query: pw.Select
    if group_by == "month":
        query = pw.Select([sums], [sums.c.k, *totals]).order_by(sums.c.k)
    elif group_by == "activity":
        keys = [Activity.id, Activity.name, Activity.starts_at]
        query = (Activity.select(*keys, *totals)
                 .join(sums, on=(Activity.id == sums.c.k)).order_by(*keys))
    elif group_by == "volunteer":
        keys = [Volunteer.number, Volunteer.name]
        query = (Volunteer.select(*keys, *totals)
                 .join(sums, on=(Volunteer.id == sums.c.k)))
        if not is_sqlite():  # SQLite's order is sorted in Python below: 10x cheaper
            query = query.order_by(Volunteer.number)
    else:
        keys = [Volunteer.street, Volunteer.community]
        query = (Volunteer.select(*keys, *(pw.fn.SUM(t) for t in totals))
                 .join(sums, on=(Volunteer.id == sums.c.k)).group_by(*keys).order_by(*keys))
    with sums_of.gc_paused():  # ~350,000 rows a month by volunteer
        fetched = database.execute(query).fetchall()
        if group_by == "volunteer":
            if is_sqlite():  # numbers are unique; BINARY collation is code-point order
                fetched.sort(key=itemgetter(0))
                return [ReportRow(*row) for row in fetched]  # (str, str, int, int, int, int)
            return [ReportRow(str(number), str(name), int(s or 0), int(m or 0), int(n or 0),
                              int(v or 0)) for number, name, s, m, n, v in fetched]
        out = []
        for row in fetched:
            key, (s, m, n, v) = list(row[:-4]), row[-4:]
            code, label = _label(group_by, key)
            out.append(ReportRow(code, label, int(s or 0), int(m or 0), int(n or 0),
                                 int(v or 0)))
        return out


def report_source(date_from: dt.date | None, date_to: dt.date | None, group_by: str,
                  source: str = "rollup") -> pw.SelectBase:
    """(k, scanned, manual, records, people) per group key over the period: the whole months
    from the roll-up, the partial months at the edges from the records (see hours_report)."""
    if group_by not in GROUPS:
        raise ValidationError("group_by", "统计方式应为志愿者、活动、社区或月份")
    if source not in ("rollup", "raw"):
        raise ValidationError("source", "数据来源应为 rollup 或 raw")
    split = sums_of.split_period(date_from, date_to) if source == "rollup" else None
    if split is None or group_by == "activity":
        parts = [sums_of.raw_sums(group_by, _range(date_from, date_to))]
    else:
        (first, last), edges = split
        parts = [sums_of.rollup_sums(group_by, first, last),
                 *(sums_of.raw_sums(group_by, sums_of.span(a, b)) for a, b in edges)]
    return sums_of.combined(group_by, parts)


def _label(group_by: str, key: list) -> tuple[str, str]:
    if group_by == "volunteer":
        return str(key[0]), str(key[1])
    if group_by == "activity":
        starts = key[2]
        if isinstance(starts, str):
            starts = dt.datetime.fromisoformat(starts)
        return str(key[0]), f"{key[1]}（{starts:%Y-%m-%d}）"
    if group_by == "community":
        return f"{key[0]}/{key[1]}", " ".join(p for p in key if p) or "（未填写社区）"
    return str(key[0]), str(key[0])
