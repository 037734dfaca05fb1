"""Rules for activities and service hours (DOMAIN.md §2, §4), on plain values.

The services fetch the facts (the activity's window, the volunteer's last scan, the minutes
already recorded that day) and ask these functions what they mean, so every honesty rule can
be tested without a database. Times are naive local datetimes: an activity happens at a
place, and a scan is read off the kiosk's clock.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Literal

from app.domain.errors import FormErrors, ValidationError
from app.domain.normalize import clean_text, text_problem

MAX_ACTIVITY_MINUTES = 24 * 60


class Kind(StrEnum):
    SCANNED = "scanned"    # check-in/check-out at the kiosk; staff cannot type these
    MANUAL = "manual"      # entered by staff, needs approval
    REVERSAL = "reversal"  # corrects an approved record with negative minutes


class RecordStatus(StrEnum):
    OPEN = "open"          # checked in, not out yet
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class Flag(StrEnum):
    """Why a record needs a second look in the approval list."""

    AUTO_CHECKOUT = "auto_checkout"  # the check-out was forgotten; closed at the end
    SHORT_STAY = "short_stay"        # stayed less than the minimum share: 0 minutes counted
    DAILY_CAP = "daily_cap"          # minutes cut to the daily cap
    OVERLAP = "overlap"              # overlaps another record: 0 minutes counted


class ActivityStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class ActivityPhase(StrEnum):
    """What an activity's row says: an open activity follows the clock until it is closed."""

    UPCOMING = "upcoming"
    ONGOING = "ongoing"
    ENDED = "ended"        # its time is over but nobody closed it yet
    CLOSED = "closed"
    CANCELLED = "cancelled"


def activity_phase(status: ActivityStatus, starts_at: dt.datetime, ends_at: dt.datetime,
                   now: dt.datetime) -> ActivityPhase:
    if status == ActivityStatus.CANCELLED:
        return ActivityPhase.CANCELLED
    if status == ActivityStatus.CLOSED:
        return ActivityPhase.CLOSED
    if now < starts_at:
        return ActivityPhase.UPCOMING
    return ActivityPhase.ONGOING if now <= ends_at else ActivityPhase.ENDED


def capacity_message(name: str, capacity: int, present: int) -> str:
    return f"活动“{name}”人数已满（上限{capacity}人，已有{present}人）"


KIND_LABELS = {Kind.SCANNED: "扫码", Kind.MANUAL: "补录", Kind.REVERSAL: "冲正"}
STATUS_LABELS = {RecordStatus.OPEN: "已签到", RecordStatus.PENDING: "待审核",
                 RecordStatus.APPROVED: "已通过", RecordStatus.REJECTED: "已驳回"}
FLAG_LABELS = {Flag.AUTO_CHECKOUT: "未签退（自动签退）", Flag.SHORT_STAY: "在场时间不足",
               Flag.DAILY_CAP: "超出每日上限", Flag.OVERLAP: "与其他记录时间重叠"}
ACTIVITY_STATUS_LABELS = {ActivityStatus.OPEN: "进行中", ActivityStatus.CLOSED: "已结束",
                          ActivityStatus.CANCELLED: "已取消"}


def format_minutes(minutes: int) -> str:
    """Minutes as staff say them: 2小时30分, 45分钟, -1小时."""
    sign = "-" if minutes < 0 else ""
    hours, rest = divmod(abs(minutes), 60)
    if hours and rest:
        return f"{sign}{hours}小时{rest}分"
    if hours:
        return f"{sign}{hours}小时"
    return f"{sign}{rest}分钟"


def whole_minutes(start: dt.datetime, end: dt.datetime) -> int:
    """Whole minutes from start to end (a started minute is not counted), never a float."""
    return int((end - start).total_seconds()) // 60


def parse_local_datetime(text: str, field_name: str = "starts_at") -> dt.datetime:
    """Read "YYYY-MM-DD HH:MM" (seconds and a T separator accepted) as a naive local time."""
    value = clean_text(text).replace("T", " ")
    for pattern in ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M"):
        try:
            return dt.datetime.strptime(value, pattern)
        except ValueError:
            continue
    raise ValidationError(field_name, f"时间“{text}”格式不正确，应为 YYYY-MM-DD HH:MM")


@dataclass(frozen=True, slots=True)
class HoursPolicy:
    """The honesty rules a center sets (settings `hours.*`).

    scan_margin_minutes: how long before the start a kiosk accepts a check-in, and how long
    after the end a check-out; later than that a forgotten check-out is closed for review.
    outside_window: what a scan beyond those limits on the activity's day does — "refuse"
    it, or "warn" (accept it with a warning; see `check_scan_time`).
    """

    min_scan_share_percent: int = 60
    daily_cap_minutes: int = 720
    scan_repeat_seconds: int = 60
    scan_margin_minutes: int = 120
    outside_window: Literal["refuse", "warn"] = "refuse"

    def counts(self, stay_minutes: int, activity_minutes: int) -> bool:
        """Whether a scanned stay covers the minimum share of the activity (integer maths)."""
        if activity_minutes <= 0:
            return stay_minutes > 0
        return stay_minutes * 100 >= self.min_scan_share_percent * activity_minutes


@dataclass(frozen=True, slots=True)
class StarPolicy:
    """Star levels (星级志愿者) from cumulative approved hours; local rules add tiers."""

    thresholds_hours: tuple[int, ...] = (100, 300, 600, 1000, 1500)

    @classmethod
    def parse(cls, text: str) -> StarPolicy:
        """Read "100,300,600" (full-width commas accepted); thresholds must rise."""
        parts = [p for p in clean_text(text).replace("，", ",").split(",") if p.strip()]
        try:
            values = tuple(int(p) for p in parts)
        except ValueError:
            raise ValidationError("star_thresholds",
                                  "星级门槛应为以逗号分隔的整数小时数，如 100,300,600") from None
        if not values or values[0] <= 0 or any(
                b <= a for a, b in itertools.pairwise(values)):
            raise ValidationError("star_thresholds", "星级门槛须为递增的正整数小时数")
        return cls(values)

    def level(self, minutes: int) -> int:
        """0 below the first threshold, 1 for 一星, and so on."""
        return sum(1 for hours in self.thresholds_hours if minutes >= hours * 60)

    def next_threshold_minutes(self, minutes: int) -> int | None:
        level = self.level(minutes)
        if level >= len(self.thresholds_hours):
            return None
        return self.thresholds_hours[level] * 60

    def minutes_to_next(self, minutes: int) -> int | None:
        """Minutes still to serve for the next level; None at the top level."""
        target = self.next_threshold_minutes(minutes)
        return None if target is None else target - minutes

    def hours_to_next(self, minutes: int) -> int | None:
        """Whole hours still to serve (rounded up, so "1 hour to go" is never 59 minutes short)."""
        left = self.minutes_to_next(minutes)
        return None if left is None else math.ceil(left / 60)


def star_label(level: int) -> str:
    return "—" if level <= 0 else f"{'一二三四五六七八九十'[min(level, 10) - 1]}星"


# ---- activities -------------------------------------------------------------------------


@dataclass(slots=True)
class ActivityDraft:
    """What the activity form or `yilian activity add` supplies."""

    name: str = ""
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    organizer: str = ""
    place: str = ""
    category: str = ""
    capacity: int | None = None
    project_id: int | None = None

    def validated(self) -> ActivityDraft:
        """Clean the text and check the times (end after start, same or next day, ≤ 24 h).

        Raises:
            FormErrors: every field that is wrong, each with its Chinese message.
        """
        out = replace(self, name=clean_text(self.name), organizer=clean_text(self.organizer),
                      place=clean_text(self.place), category=clean_text(self.category))
        errors: dict[str, str] = {}
        for name, label, limit in (("name", "活动名称", 120), ("organizer", "组织单位", 120),
                                   ("place", "地点", 200), ("category", "服务类别", 40)):
            problem = text_problem(getattr(out, name), label, limit)
            if problem:
                errors[name] = problem
        if not out.name:
            errors["name"] = "请填写活动名称"
        if out.starts_at is None:
            errors["starts_at"] = "请填写开始时间"
        if out.ends_at is None:
            errors["ends_at"] = "请填写结束时间"
        if out.starts_at is not None and out.ends_at is not None:
            out.starts_at = out.starts_at.replace(second=0, microsecond=0, tzinfo=None)
            out.ends_at = out.ends_at.replace(second=0, microsecond=0, tzinfo=None)
            message = check_window(out.starts_at, out.ends_at)
            if message:
                errors["ends_at"] = message
        if out.capacity is not None and out.capacity <= 0:
            errors["capacity"] = "人数上限须为正整数（不限请留空）"
        if out.project_id is not None and out.project_id <= 0:
            errors["project_id"] = "项目编号不正确"
        if errors:
            raise FormErrors(errors)
        return out


def check_window(start: dt.datetime, end: dt.datetime) -> str | None:
    """The Chinese reason an activity's times are impossible, or None."""
    if end <= start:
        return "结束时间须晚于开始时间"
    if end.date() - start.date() > dt.timedelta(days=1):
        return "活动须在开始当天或次日结束"
    if whole_minutes(start, end) > MAX_ACTIVITY_MINUTES:
        return "活动时长不能超过24小时"
    return None


# ---- scans ------------------------------------------------------------------------------

ScanAction = Literal["check_in", "check_out", "repeat"]


def scan_action(open_since: dt.datetime | None, last_scan: dt.datetime | None,
                at: dt.datetime, policy: HoursPolicy) -> ScanAction:
    """What a scan means for one volunteer at one activity.

    Args:
        open_since: the check-in time of the volunteer's open record there, if any.
        last_scan: the latest scan there (check-in or check-out), if any.
    Raises:
        ValidationError: the scan is earlier than the check-in it would close (clock wrong).
    """
    if last_scan is not None and abs((at - last_scan).total_seconds()) < \
            policy.scan_repeat_seconds:
        return "repeat"
    if open_since is None:
        return "check_in"
    if at < open_since:
        raise ValidationError("at", "扫码时间早于签到时间，请检查本机时钟")
    return "check_out"


def check_scan_time(action: ScanAction, at: dt.datetime, start: dt.datetime,
                    end: dt.datetime, policy: HoursPolicy) -> str:
    """Judge a scan far outside the activity's window (a wrong activity picked at the kiosk).

    With `policy.outside_window == "warn"`, such a scan on the activity's own day (the day it
    starts or ends) is accepted and the warning is returned for the kiosk to show in amber;
    otherwise, and on any other day, it is refused.

    Returns:
        "" for a scan inside the window, else the Chinese warning of an accepted scan.
    Raises:
        ValidationError: with the reason, for the kiosk to show in red.
    """
    margin = dt.timedelta(minutes=policy.scan_margin_minutes)
    hours = format_minutes(policy.scan_margin_minutes)
    refusal = warning = ""
    if action == "check_in":
        if at < start - margin:
            refusal = f"活动尚未开始，开始前{hours}内才能签到"
            warning = f"活动{start:%H:%M}才开始，已提前签到，时长从活动开始计算"
        elif at >= end:
            refusal = "活动已结束，不能再签到"
            warning = f"活动已于{end:%H:%M}结束，仍已签到，请向工作人员确认"
    elif action == "check_out" and at > end + margin:
        refusal = f"活动结束已超过{hours}，不能签退，请联系工作人员处理"
        warning = f"活动结束已超过{hours}，仍已签退，时长只计到{end:%H:%M}"
    if not refusal:
        return ""
    if policy.outside_window == "warn" and start.date() <= at.date() <= end.date():
        return warning
    raise ValidationError("at", refusal)


def stay_minutes(check_in: dt.datetime, check_out: dt.datetime, start: dt.datetime,
                 end: dt.datetime) -> int:
    """Minutes of the stay inside the activity's window (travel and waiting do not count)."""
    first, last = max(check_in, start), min(check_out, end)
    return max(0, whole_minutes(first, last))


@dataclass(frozen=True, slots=True)
class Counted:
    """The minutes a record counts and the flags that explain any difference."""

    minutes: int
    flags: tuple[Flag, ...] = field(default=())


def count_scanned(check_in: dt.datetime, check_out: dt.datetime, start: dt.datetime,
                  end: dt.datetime, used_today: int, policy: HoursPolicy,
                  overlaps: bool = False, auto: bool = False) -> Counted:
    """Minutes a scanned stay counts, in the order the rules apply.

    Overlap and a short stay keep the record with 0 minutes so it stays visible for review;
    minutes over the daily cap are cut (the kiosk cannot refuse a volunteer who served).
    """
    flags: list[Flag] = [Flag.AUTO_CHECKOUT] if auto else []
    stay = stay_minutes(check_in, check_out, start, end)
    if overlaps:
        return Counted(0, (*flags, Flag.OVERLAP))
    if not policy.counts(stay, whole_minutes(start, end)):
        return Counted(0, (*flags, Flag.SHORT_STAY))
    room = max(0, policy.daily_cap_minutes - used_today)
    if stay > room:
        return Counted(room, (*flags, Flag.DAILY_CAP))
    return Counted(stay, tuple(flags))


def validate_manual(started_at: dt.datetime | None, ended_at: dt.datetime | None,
                    activity_start: dt.datetime, activity_end: dt.datetime, content: str,
                    used_today: int, now: dt.datetime, policy: HoursPolicy) -> int:
    """Check a manually entered record and return its minutes.

    Manual minutes are capped at the activity's length and refused (not cut) over the daily
    cap: staff at a desk can correct the entry, where a kiosk could not.

    Raises:
        FormErrors: per field (started_at, ended_at, content).
    """
    errors: dict[str, str] = {}
    if not clean_text(content):
        errors["content"] = "请填写服务内容"
    elif len(clean_text(content)) > 500:
        errors["content"] = "服务内容不能超过500个字"
    if started_at is None:
        errors["started_at"] = "请填写开始时间"
    if ended_at is None:
        errors["ended_at"] = "请填写结束时间"
    if started_at is None or ended_at is None:
        raise FormErrors(errors)
    minutes = whole_minutes(started_at, ended_at)
    length = whole_minutes(activity_start, activity_end)
    if ended_at <= started_at or minutes <= 0:
        errors["ended_at"] = "结束时间须晚于开始时间（至少1分钟）"
    elif ended_at > now:
        errors["ended_at"] = "不能录入尚未发生的服务时间"
    elif minutes > length:
        errors["ended_at"] = (f"补录时长{format_minutes(minutes)}超过活动时长"
                              f"{format_minutes(length)}，请核对")
    elif used_today + minutes > policy.daily_cap_minutes:
        room = max(0, policy.daily_cap_minutes - used_today)
        errors["ended_at"] = (f"当天已记录{format_minutes(used_today)}，每日上限"
                              f"{format_minutes(policy.daily_cap_minutes)}，"
                              f"最多还可补录{format_minutes(room)}")
    if errors:
        raise FormErrors(errors)
    return minutes


def day_bounds(moment: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """The local day a record counts on (the day it starts), as [start, next start)."""
    start = dt.datetime.combine(moment.date(), dt.time())
    return start, start + dt.timedelta(days=1)


def overlap_message(activity_name: str, start: dt.datetime, end: dt.datetime | None) -> str:
    until = "尚未签退" if end is None else end.strftime("%H:%M")
    return (f"与“{activity_name}”的服务记录（{start:%Y-%m-%d %H:%M}–{until}）时间重叠，"
            "同一志愿者的服务时间不能重叠")
