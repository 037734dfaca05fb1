"""A volunteer's service history, an activity's attendance list and who is on site now, on
SQLite and PostgreSQL: reversals shown (history) or netted (attendance), paging newest
first, open check-ins only at open activities."""

import datetime as dt

import pytest

from app.domain.errors import NotFoundError
from app.domain.hours import ActivityDraft, Flag, Kind, RecordStatus
from app.domain.idcard import check_character
from app.domain.volunteer import VolunteerDraft
from app.services.hours import activities, attendance
from app.services.hours import records as sr
from app.services.volunteers import registration as volunteers
from app.store.db import writing
from app.store.models import ServiceRecord


def t(hh: int, mm: int = 0, day: int = 1) -> dt.datetime:
    return dt.datetime(2025, 3, day, hh, mm)


def activity(name: str = "敬老院探访", start: dt.datetime | None = None,
             end: dt.datetime | None = None) -> int:
    return activities.create(ActivityDraft(name=name, starts_at=start or t(9),
                                           ends_at=end or t(12), organizer="孵化中心")).id


def volunteer(seq: int = 1) -> int:
    first17 = f"11010519800101{seq:03d}"
    return volunteers.register(VolunteerDraft(
        name=f"志愿者{seq}", id_number=first17 + check_character(first17),
        phone="13800138000")).id


def served(vid: int, aid: int, start: dt.datetime, end: dt.datetime) -> int:
    sr.record_scan(vid, aid, start)
    return sr.record_scan(vid, aid, end).record_id


def test_history_is_newest_first_with_reversal_as_its_own_line(register):
    vid = volunteer()
    a1 = activity("敬老院探访", t(9, day=1), t(12, day=1))
    a2 = activity("社区义诊", t(9, day=2), t(12, day=2))
    a3 = activity("环保宣传", t(9, day=3), t(12, day=3))
    first = served(vid, a1, t(9, day=1), t(11, day=1))
    short = served(vid, a2, t(9, day=2), t(9, 30, day=2))        # short stay: flagged
    manual = sr.add_manual(vid, a3, t(9, day=3), t(10, day=3), "宣传").id
    sr.approve([first])
    sr.reject([short], "误扫")
    rev = sr.reverse(first, "活动记录有误").id

    lines = attendance.history(vid)
    assert [x.record_id for x in lines] == [manual, short, rev, first]
    by_id = {x.record_id: x for x in lines}
    assert (by_id[manual].kind_label, by_id[manual].status_label) == ("补录", "待审核")
    assert by_id[manual].activity == "环保宣传" and by_id[manual].organizer == "孵化中心"
    assert by_id[short].status_label == "已驳回" and by_id[short].reason == "误扫"
    assert by_id[short].flags == (Flag.SHORT_STAY,)
    assert by_id[short].flag_labels == ("在场时间不足",)
    assert (by_id[rev].kind, by_id[rev].minutes, by_id[rev].kind_label) == (
        Kind.REVERSAL, -120, "冲正")
    assert by_id[first].reversed and by_id[first].status_label == "已冲正"
    assert by_id[first].minutes == 120
    assert (by_id[first].started_at, by_id[first].ended_at) == (t(9, day=1), t(11, day=1))
    assert attendance.count_history(vid) == 4


def test_history_pages_through_thousands_of_records(register):
    vid, aid = volunteer(), activity()
    start = dt.datetime(2020, 1, 1, 9)
    with writing():
        ServiceRecord.insert_many([
            {"volunteer": vid, "activity": aid, "kind": Kind.MANUAL,
             "status": RecordStatus.APPROVED, "started_at": start + dt.timedelta(days=i),
             "ended_at": start + dt.timedelta(days=i, hours=1), "minutes": 60}
            for i in range(2500)]).execute()
    assert attendance.count_history(vid) == 2500
    pages = [attendance.history(vid, offset, 1000) for offset in (0, 1000, 2000)]
    assert [len(p) for p in pages] == [1000, 1000, 500]
    starts = [x.started_at for p in pages for x in p]
    assert starts == sorted(starts, reverse=True) and len(set(starts)) == 2500
    assert starts[0] == start + dt.timedelta(days=2499)
    assert attendance.history(vid, 2500) == []


def test_history_of_nobody(register):
    assert attendance.history(volunteer()) == []
    with pytest.raises(NotFoundError):
        attendance.history(999_999)


def test_attendance_lists_stays_by_check_in_and_nets_reversals(register):
    aid = activity()
    v1, v2, v3, v4 = (volunteer(i) for i in range(1, 5))
    out = served(v1, aid, t(8, 50), t(11, 30))
    sr.record_scan(v2, aid, t(9, 10))                       # still here
    manual = sr.add_manual(v3, aid, t(9, 30), t(11, 30), "补登记").id
    gone = served(v4, aid, t(9, 0), t(11, 0))
    sr.approve([gone])
    sr.reverse(gone, "记错人")

    lines = attendance.attendance(aid)
    assert [x.volunteer_id for x in lines] == [v1, v4, v2, v3]
    by_vid = {x.volunteer_id: x for x in lines}
    assert by_vid[v1].record_id == out and by_vid[v1].checked_out_at == t(11, 30)
    assert by_vid[v1].minutes == 150 and by_vid[v1].status_label == "待审核"
    assert by_vid[v2].checked_out_at is None and by_vid[v2].on_site
    assert by_vid[v2].status_label == "已签到"
    assert by_vid[v3].kind == Kind.MANUAL and by_vid[v3].record_id == manual
    assert by_vid[v4].reversed and by_vid[v4].minutes == 0
    assert by_vid[v4].status_label == "已冲正"
    assert by_vid[v1].number and by_vid[v1].name == "志愿者1"
    assert attendance.present_count(lines) == 1
    assert attendance.attendance(activity("无人到场")) == []
    with pytest.raises(NotFoundError):
        attendance.attendance(999_999)


def test_on_site_is_open_check_ins_at_open_activities(register):
    now = sr.local_now()
    here = activity("社区义诊", now - dt.timedelta(hours=1), now + dt.timedelta(hours=2))
    there = activity("敬老院探访", now - dt.timedelta(hours=2), now + dt.timedelta(hours=1))
    v1, v2, v3, v4 = (volunteer(i) for i in range(1, 5))
    sr.record_scan(v1, here, now - dt.timedelta(minutes=50))
    sr.record_scan(v2, there, now - dt.timedelta(minutes=90))
    sr.record_scan(v3, here, now - dt.timedelta(minutes=40))
    served(v4, here, now - dt.timedelta(minutes=55), now - dt.timedelta(minutes=5))

    everyone = attendance.on_site()
    assert [(x.volunteer_id, x.activity) for x in everyone] == [
        (v2, "敬老院探访"), (v1, "社区义诊"), (v3, "社区义诊")]
    assert everyone[0].activity_ends_at == (now + dt.timedelta(hours=1)).replace(second=0)
    assert everyone[1].checked_in_at == now - dt.timedelta(minutes=50)
    assert [x.volunteer_id for x in attendance.on_site(here)] == [v1, v3]
    activities.close(there, now=now)              # closing checks everyone out
    assert [x.volunteer_id for x in attendance.on_site()] == [v1, v3]
    assert attendance.present_count(attendance.attendance(here)) == 2
