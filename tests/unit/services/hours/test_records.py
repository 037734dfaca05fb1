"""Service records on SQLite and PostgreSQL: the kiosk scan, manual entries, the honesty
rules, approval with points, rejection, reversal and the hours queries."""

import datetime as dt
import json

import pytest

from app.domain.errors import FormErrors, NotFoundError, ValidationError
from app.domain.hours import ActivityDraft, Flag, Kind, RecordStatus
from app.domain.idcard import check_character
from app.domain.volunteer import Status, VolunteerDraft
from app.services.common import settings
from app.services.common.progress import Cancelled
from app.services.hours import activities
from app.services.hours import records as sr
from app.services.points import ledger as points
from app.services.volunteers import registration as volunteers
from app.store.models import AuditLog, PointsEntry, ServiceRecord, Volunteer

DAY = dt.date(2025, 3, 1)


def t(hh: int, mm: int = 0, ss: int = 0, day: int = 1) -> dt.datetime:
    return dt.datetime(2025, 3, day, hh, mm, ss)


def activity(name: str = "敬老院探访", start: dt.datetime | None = None,
             end: dt.datetime | None = None, category: str = "助老") -> int:
    return activities.create(ActivityDraft(name=name, starts_at=start or t(9),
                                           ends_at=end or t(12), category=category)).id


def volunteer(seq: int = 1, community: str = "和平社区") -> int:
    first17 = f"11010519800101{seq:03d}"
    return volunteers.register(VolunteerDraft(
        name=f"志愿者{seq}", id_number=first17 + check_character(first17),
        phone="13800138000", street="解放路街道", community=community)).id


def served(vid: int, aid: int, start: dt.datetime, end: dt.datetime) -> int:
    """A scanned stay: check-in and check-out."""
    sr.record_scan(vid, aid, start)
    return sr.record_scan(vid, aid, end).record_id


def approved_minutes(vid: int) -> int:
    return Volunteer.get_by_id(vid).approved_minutes


# ---- the kiosk ----------------------------------------------------------------------------


def test_first_scan_checks_in_the_next_checks_out(register):
    vid, aid = volunteer(), activity()
    first = sr.record_scan(vid, aid, t(8, 55), station="一号机")
    assert first.kind == "checked_in" and "签到成功" in first.message
    assert sr.get(first.record_id).status is RecordStatus.OPEN
    second = sr.record_scan(vid, aid, t(11, 40))
    assert second.kind == "checked_out" and second.record_id == first.record_id
    assert second.minutes == 160  # clipped to the activity's start
    rec = sr.get(first.record_id)
    assert rec.status is RecordStatus.PENDING and rec.kind is Kind.SCANNED
    assert (rec.started_at, rec.ended_at, rec.minutes) == (t(8, 55), t(11, 40), 160)
    assert isinstance(rec.minutes, int)
    actions = [a.action for a in AuditLog.select().where(AuditLog.entity == "service_record")]
    assert actions == ["check_in", "check_out"]
    assert json.loads(AuditLog.get(AuditLog.action == "check_in").after)["station"] == "一号机"


def test_repeat_scans_change_nothing(register):
    vid, aid = volunteer(), activity()
    first = sr.record_scan(vid, aid, t(9))
    again = sr.record_scan(vid, aid, t(9, 0, 30))
    assert again.kind == "repeat" and again.record_id == first.record_id
    out = sr.record_scan(vid, aid, t(11))
    after_out = sr.record_scan(vid, aid, t(11, 0, 59))
    assert after_out.kind == "repeat" and after_out.minutes == out.minutes
    assert ServiceRecord.select().count() == 1
    settings.put(settings.HOURS_SCAN_REPEAT_SECONDS, 5)
    assert sr.record_scan(vid, aid, t(11, 0, 10)).kind == "checked_in"  # a second stay


def test_refusals_at_the_kiosk(register):
    vid, aid = volunteer(), activity()
    with pytest.raises(ValidationError, match="尚未开始"):
        sr.record_scan(vid, aid, t(6, 59))
    with pytest.raises(ValidationError, match="已结束"):
        sr.record_scan(vid, aid, t(12, 1))
    sr.record_scan(vid, aid, t(9))
    with pytest.raises(ValidationError, match="超过2小时"):
        sr.record_scan(vid, aid, t(14, 1))
    volunteers.change_status(vid, Status.SUSPENDED, "调查中")
    with pytest.raises(ValidationError, match="暂停"):
        sr.record_scan(vid, aid, t(11))
    other = volunteer(2)
    volunteers.change_status(other, Status.WITHDRAWN, "搬离")
    with pytest.raises(ValidationError, match="已退出"):
        sr.record_scan(other, aid, t(9))
    cancelled = activity("取消的活动")
    activities.cancel(cancelled, "下雨")
    with pytest.raises(ValidationError, match="已取消"):
        sr.record_scan(volunteer(3), cancelled, t(9))
    with pytest.raises(NotFoundError):
        sr.record_scan(vid + 100, aid, t(9))


def test_short_stay_is_kept_with_no_minutes(register):
    vid, aid = volunteer(), activity()  # 180 minutes: 60 % is 108
    short = served(vid, aid, t(9), t(10, 47))
    rec = sr.get(short)
    assert rec.minutes == 0 and rec.flags == (Flag.SHORT_STAY,)
    assert rec.status is RecordStatus.PENDING  # visible in the approval list
    assert sr.pending()[0].id == short
    enough = served(volunteer(2), aid, t(9), t(10, 48))
    assert sr.get(enough).minutes == 108 and sr.get(enough).flags == ()


def test_min_share_is_configurable(register):
    settings.put(settings.HOURS_MIN_SCAN_SHARE, 20)
    rid = served(volunteer(), activity(), t(9), t(10))
    assert sr.get(rid).minutes == 60


def test_daily_cap_cuts_scans_and_refuses_manual(register):
    settings.put(settings.HOURS_DAILY_CAP, 240)
    vid = volunteer()
    morning = activity("上午", t(9), t(12))
    afternoon = activity("下午", t(13), t(17))
    assert sr.get(served(vid, morning, t(9), t(12))).minutes == 180
    rid = served(vid, afternoon, t(13), t(17))
    rec = sr.get(rid)
    assert rec.minutes == 60 and rec.flags == (Flag.DAILY_CAP,)
    evening = activity("晚上", t(18), t(20))
    with pytest.raises(FormErrors) as err:
        sr.add_manual(vid, evening, t(18), t(19), "整理", "王老师", now=t(21))
    assert "每日上限4小时" in err.value.errors["ended_at"]
    # the next day starts afresh
    tomorrow = activity("次日", t(9, day=2), t(12, day=2))
    assert sr.add_manual(vid, tomorrow, t(9, day=2), t(12, day=2), "整理", "王老师",
                         now=t(13, day=2)).minutes == 180


def test_records_of_one_volunteer_never_overlap(register):
    vid = volunteer()
    first = activity("上午探访", t(9), t(12))
    second = activity("社区义诊", t(10), t(15))
    served(vid, first, t(9), t(11))
    with pytest.raises(FormErrors) as err:
        sr.add_manual(vid, second, t(10, 30), t(12), "义诊协助", "王老师", now=t(16))
    assert "上午探访" in err.value.errors["started_at"]
    assert sr.add_manual(vid, second, t(11), t(13), "义诊协助", "王老师",
                         now=t(16)).minutes == 120  # touching is fine
    with pytest.raises(ValidationError, match="社区义诊"):
        sr.record_scan(vid, second, t(12))  # inside the manual record


def test_checked_in_elsewhere_is_refused_until_that_activity_ends(register):
    vid = volunteer()
    first = activity("上午探访", t(9), t(12))
    second = activity("午间送餐", t(11), t(13))
    sr.record_scan(vid, first, t(9))
    with pytest.raises(ValidationError, match="上午探访"):
        sr.record_scan(vid, second, t(11, 30))
    # after the first activity ended, its forgotten check-out is closed at its end
    scan = sr.record_scan(vid, second, t(12, 5))
    assert scan.kind == "checked_in"
    closed = ServiceRecord.get(ServiceRecord.activity == first)
    assert closed.ended_at == t(12) and closed.flags == Flag.AUTO_CHECKOUT


def test_manual_entries(register):
    vid, aid = volunteer(), activity()
    row = sr.add_manual(vid, aid, t(9), t(11, 30), " 陪老人聊天 ", "", now=t(13))
    assert (row.kind, row.status, row.minutes) == (Kind.MANUAL, RecordStatus.PENDING, 150)
    assert row.content == "陪老人聊天" and row.recorded_by == "tester"
    with pytest.raises(FormErrors) as err:
        sr.add_manual(volunteer(2), aid, t(8), t(11, 30), "布置会场", "王老师", now=t(13))
    assert "超过活动时长3小时" in err.value.errors["ended_at"]
    with pytest.raises(FormErrors) as err:
        sr.add_manual(volunteer(3), aid, t(9), t(10), "", "王老师", now=t(9, 30))
    assert set(err.value.errors) == {"content", "ended_at"}


def test_forgotten_check_outs_are_closed_for_review(register):
    vid, aid = volunteer(), activity()
    scan = sr.record_scan(vid, aid, t(9))
    assert sr.close_forgotten(now=t(13)) == 0  # a late check-out may still come
    assert sr.close_forgotten(now=t(14)) == 1
    rec = sr.get(scan.record_id)
    assert rec.status is RecordStatus.PENDING and rec.ended_at == t(12)
    assert rec.minutes == 180 and rec.flags == (Flag.AUTO_CHECKOUT,)
    assert AuditLog.select().where(AuditLog.action == "auto_checkout").count() == 1
    assert sr.close_forgotten(now=t(15)) == 0


# ---- approval -------------------------------------------------------------------------------


class FakeState:
    def __init__(self, cancel_after: int | None = None) -> None:
        self.calls: list[tuple[int, int]] = []
        self.cancel_after = cancel_after

    def set_progress(self, done: int, total: int, message: str = "") -> None:
        self.calls.append((done, total))

    def is_cancelled(self) -> bool:
        return self.cancel_after is not None and len(self.calls) >= self.cancel_after


def test_approve_adds_minutes_and_points(register):
    settings.put(settings.POINTS_RATES, "*=1;助老=2")
    a, b = volunteer(1), volunteer(2)
    aid = activity()
    r1 = served(a, aid, t(9), t(12))                                    # 180 scanned
    r2 = sr.add_manual(b, aid, t(9), t(11), "整理物资", "王老师", now=t(13)).id  # 120 manual
    r3 = served(volunteer(3), aid, t(9), t(9, 30))                     # short stay, 0 min
    state = FakeState()
    result = sr.approve([r1, r2, r3, r1, 99999], state=state)
    assert (result.approved, result.skipped, result.minutes, result.volunteers) == (3, 1, 300, 3)
    assert result.points == 6 + 4  # 2 points an hour for 助老
    assert state.calls[-1][0] == state.calls[-1][1]
    assert approved_minutes(a) == 180 and approved_minutes(b) == 120
    rec = sr.get(r1)
    assert rec.status is RecordStatus.APPROVED and rec.decided_by == "tester"
    earns = {e.record_id: e.points for e in PointsEntry.select()}
    assert earns == {r1: 6, r2: 4}
    assert points.balance(a) == 6 and Volunteer.get_by_id(b).points_balance == 4
    assert AuditLog.select().where(AuditLog.action == "approve").count() == 3
    again = sr.approve([r1, r2])
    assert (again.approved, again.skipped, again.points) == (0, 2, 0)
    assert approved_minutes(a) == 180


def test_approve_many_in_chunks_and_cancel_rolls_back(register, monkeypatch):
    monkeypatch.setattr(sr, "CHUNK", 3)
    vids = [volunteer(i) for i in range(1, 8)]
    aid = activity()
    ids = [served(v, aid, t(9), t(12)) for v in vids]
    with pytest.raises(Cancelled):
        sr.approve(ids, state=FakeState(cancel_after=2))
    assert sr.count_pending() == 7
    assert PointsEntry.select().count() == 0
    assert sum(approved_minutes(v) for v in vids) == 0
    state = FakeState()
    result = sr.approve(sr.pending_ids(aid), state=state)
    assert result.approved == 7 and len(state.calls) == 3
    assert [approved_minutes(v) for v in vids] == [180] * 7
    assert PointsEntry.select().count() == 7


def test_reject_needs_a_reason(register):
    vid, aid = volunteer(), activity()
    rid = served(vid, aid, t(9), t(12))
    with pytest.raises(ValidationError):
        sr.reject([rid], "  ")
    assert sr.reject([rid], "未实际参加") == 1
    rec = sr.get(rid)
    assert rec.status is RecordStatus.REJECTED and rec.reason == "未实际参加"
    assert sr.approve([rid]).approved == 0
    assert sr.reject([rid], "再次") == 0
    # a rejected record no longer blocks its time
    assert sr.add_manual(vid, aid, t(9), t(12), "补录", "王老师", now=t(13)).minutes == 180


def test_reverse_corrects_an_approved_record(register):
    vid, aid = volunteer(), activity()
    rid = served(vid, aid, t(9), t(12))
    with pytest.raises(ValidationError, match="驳回"):
        sr.reverse(rid, "误录")  # still pending
    sr.approve([rid])
    assert approved_minutes(vid) == 180 and points.balance(vid) == 3
    rev = sr.reverse(rid, "志愿者未到场，误扫")
    assert (rev.kind, rev.status, rev.minutes, rev.reverses_id) == (
        Kind.REVERSAL, RecordStatus.APPROVED, -180, rid)
    assert sr.get(rid).status is RecordStatus.APPROVED  # the original is never edited
    assert approved_minutes(vid) == 0 and points.balance(vid) == 0
    with pytest.raises(ValidationError, match="已冲正"):
        sr.reverse(rid, "再来")
    with pytest.raises(ValidationError, match="冲正记录"):
        sr.reverse(rev.id, "再来")
    summary = sr.volunteer_hours(vid)
    assert (summary.scanned_minutes, summary.approved_minutes) == (0, 0)
    # the time is free again for the right entry
    sr.add_manual(vid, aid, t(9), t(10), "实际服务1小时", "王老师", now=t(13))


# ---- queries --------------------------------------------------------------------------------


def test_volunteer_hours_and_star_level(register):
    settings.put(settings.STAR_THRESHOLDS, "3,5,10")
    vid = volunteer()
    aid = activity()
    approved = served(vid, aid, t(9), t(12))
    later = activity("下午", t(13), t(17))
    manual = sr.add_manual(vid, later, t(13), t(15), "整理", "王老师", now=t(18)).id
    sr.approve([approved])
    evening = activity("晚上", t(18), t(21))
    sr.add_manual(vid, evening, t(18), t(19), "宣传", "王老师", now=t(22))
    summary = sr.volunteer_hours(vid)
    assert (summary.scanned_minutes, summary.manual_minutes, summary.pending_minutes) == (
        180, 0, 180)
    assert summary.star_level == 1 and summary.hours_to_next == 2
    sr.approve([manual])
    summary = sr.volunteer_hours(vid)
    assert (summary.approved_minutes, summary.manual_minutes) == (300, 120)
    assert summary.star_level == 2 and summary.minutes_to_next == 300
    assert summary.next_level_minutes == 600
    with pytest.raises(NotFoundError):
        sr.volunteer_hours(vid + 50)


def test_star_level_crosses_thresholds_exactly(register):
    settings.put(settings.STAR_THRESHOLDS, "1,2")
    vid = volunteer()
    ids = []
    for hour in (9, 10):
        aid = activity(f"{hour}点", t(hour), t(hour + 1))
        ids.append(sr.add_manual(vid, aid, t(hour), t(hour, 59), "服务", "王老师",
                                 now=t(20)).id)
    extra = activity("补充", t(11), t(11, 2))
    ids.append(sr.add_manual(vid, extra, t(11), t(11, 1), "服务", "王老师", now=t(20)).id)
    sr.approve(ids[:1])
    assert sr.volunteer_hours(vid).star_level == 0   # 59 minutes
    sr.approve(ids[2:])
    assert sr.volunteer_hours(vid).star_level == 1   # 60 minutes
    sr.approve(ids[1:2])
    summary = sr.volunteer_hours(vid)
    assert summary.star_level == 1 and summary.minutes_to_next == 1  # 119 minutes


def test_pending_list_pages_and_filters(register):
    aid, other = activity(), activity("另一项", t(13), t(15))
    ids = [served(volunteer(i), aid, t(9), t(12)) for i in range(1, 6)]
    served(volunteer(9), other, t(13), t(15))
    assert sr.count_pending() == 6 and sr.count_pending(aid) == 5
    page = sr.pending(2, 2, activity_id=aid)
    assert [r.id for r in page] == ids[2:4]
    assert page[0].activity_name == "敬老院探访" and page[0].volunteer_name == "志愿者3"


def test_records_for_a_certificate_leave_out_reversed_ones(register):
    vid = volunteer()
    kept = served(vid, activity("三月探访", t(9), t(12)), t(9), t(12))
    wrong = served(vid, activity("三月义诊", t(13), t(15)), t(13), t(15))
    may = activity("五月植树", dt.datetime(2025, 5, 1, 9), dt.datetime(2025, 5, 1, 11))
    in_may = served(vid, may, dt.datetime(2025, 5, 1, 9), dt.datetime(2025, 5, 1, 11))
    pending_one = served(vid, activity("未审核", t(9, day=2), t(10, day=2)), t(9, day=2),
                         t(10, day=2))
    sr.approve([kept, wrong, in_may])
    sr.reverse(wrong, "重复记录")
    lines = sr.records_for_volunteer(vid)
    assert [x.record_id for x in lines] == [kept, in_may]
    assert pending_one not in [x.record_id for x in lines]
    march = sr.records_for_volunteer(vid, DAY, dt.date(2025, 3, 31))
    assert [(x.activity_name, x.minutes, x.kind) for x in march] == [
        ("三月探访", 180, Kind.SCANNED)]


def test_hours_report_keeps_scanned_and_manual_apart(register):
    a, b = volunteer(1, "和平社区"), volunteer(2, "幸福社区")
    morning = activity("上午", t(9), t(12))
    afternoon = activity("下午", t(13), t(16))
    april = activity("四月", dt.datetime(2025, 4, 2, 9), dt.datetime(2025, 4, 2, 12))
    ids = [
        served(a, morning, t(9), t(12)),                                         # a 180 s
        sr.add_manual(a, afternoon, t(13), t(14), "整理", "王", now=t(17)).id,    # a 60 m
        served(b, morning, t(9), t(11)),                                         # b 120 s
        sr.add_manual(b, april, dt.datetime(2025, 4, 2, 9), dt.datetime(2025, 4, 2, 10),
                      "宣传", "王", now=dt.datetime(2025, 4, 3)).id,             # b 60 m (Apr)
    ]
    reversed_one = served(b, afternoon, t(13), t(16))                           # b 180 s
    sr.approve([*ids, reversed_one])
    sr.reverse(reversed_one, "误扫")
    served(a, activity("待审", t(18), t(20)), t(18), t(20))                     # pending
    by_volunteer = sr.hours_report(None, None, "volunteer")
    assert [(r.label, r.scanned_minutes, r.manual_minutes, r.records)
            for r in by_volunteer] == [("志愿者1", 180, 60, 2), ("志愿者2", 120, 60, 2)]
    march = sr.hours_report(DAY, dt.date(2025, 3, 31), "activity")
    assert [(r.label, r.scanned_minutes, r.manual_minutes, r.volunteers) for r in march] == [
        ("上午（2025-03-01）", 300, 0, 2), ("下午（2025-03-01）", 0, 60, 2)]
    months = sr.hours_report(None, None, "month")
    assert [(r.key, r.total_minutes) for r in months] == [("2025-03", 360), ("2025-04", 60)]
    communities = sr.hours_report(None, None, "community")
    assert [(r.label, r.total_minutes) for r in communities] == [
        ("解放路街道 和平社区", 240), ("解放路街道 幸福社区", 180)]
    with pytest.raises(ValidationError):
        sr.hours_report(None, None, "street")


def test_capacity_warns_at_the_kiosk_and_refuses_manual_entries(register):
    """人数上限 (issue 12, item 13): the kiosk lets the person in with an amber warning;
    a manual entry for someone new is refused, unless the setting allows it."""
    aid = activities.create(ActivityDraft(name="小型讲座", starts_at=t(9), ends_at=t(12),
                                          capacity=2)).id
    a, b, c, d = (volunteer(n) for n in (1, 2, 3, 4))
    assert sr.record_scan(a, aid, t(9)).warning == ""
    sr.add_manual(b, aid, t(9), t(11), "签到表补录", "", now=t(13))
    full = sr.record_scan(c, aid, t(9, 5))
    assert full.kind == "checked_in" and "人数已满（上限2人，已有2人）" in full.warning
    assert sr.attendees(aid) == 3
    with pytest.raises(FormErrors) as err:
        sr.add_manual(d, aid, t(9), t(11), "协助布置", "", now=t(13))
    assert "人数已满" in err.value.errors["activity_id"]
    sr.record_scan(a, aid, t(11, 50))  # someone already counted is never "beyond" it
    settings.put(settings.HOURS_CAPACITY_MANUAL, "allow")
    assert sr.add_manual(d, aid, t(9), t(11), "协助布置", "", now=t(13)).minutes == 120


def test_an_open_activity_follows_the_clock():
    from app.domain.hours import ActivityPhase, ActivityStatus, activity_phase

    start, end = t(9), t(12)
    open_ = ActivityStatus.OPEN
    assert activity_phase(open_, start, end, t(8)) is ActivityPhase.UPCOMING
    assert activity_phase(open_, start, end, t(10)) is ActivityPhase.ONGOING
    assert activity_phase(open_, start, end, t(13)) is ActivityPhase.ENDED
    assert activity_phase(ActivityStatus.CLOSED, start, end, t(10)) is ActivityPhase.CLOSED
