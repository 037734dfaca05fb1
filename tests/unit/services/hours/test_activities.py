"""Activities on SQLite and PostgreSQL: create, edit with a version check, close, cancel, list."""

import datetime as dt
import json

import pytest

from app.domain.errors import ConflictError, FormErrors, NotFoundError, ValidationError
from app.domain.hours import ActivityDraft, ActivityStatus, Flag, RecordStatus
from app.domain.idcard import check_character
from app.domain.volunteer import VolunteerDraft
from app.services.hours import activities
from app.services.hours import records as service_records
from app.services.volunteers import registration as volunteers
from app.store.models import AuditLog


def draft(**kw) -> ActivityDraft:
    base = {"name": "敬老院探访", "starts_at": dt.datetime(2025, 3, 1, 9),
            "ends_at": dt.datetime(2025, 3, 1, 12), "organizer": "阳光志愿服务队",
            "place": "和平社区敬老院", "category": "助老", "capacity": 20}
    base.update(kw)
    return ActivityDraft(**base)


def volunteer(seq: int = 1) -> int:
    first17 = f"11010519800101{seq:03d}"
    return volunteers.register(VolunteerDraft(
        name=f"志愿者{seq}", id_number=first17 + check_character(first17),
        phone="13800138000")).id


def test_create_and_get(register):
    created = activities.create(draft(project_id=7))
    got = activities.get(created.id)
    assert got == created
    assert got.status is ActivityStatus.OPEN and got.minutes == 180
    assert got.project_id == 7 and got.capacity == 20
    row = AuditLog.get((AuditLog.entity == "activity") & (AuditLog.action == "create"))
    assert json.loads(row.after)["name"] == "敬老院探访"
    with pytest.raises(NotFoundError):
        activities.get(created.id + 1)


def test_invalid_activity_is_not_stored(register):
    with pytest.raises(FormErrors) as err:
        activities.create(draft(name="", ends_at=dt.datetime(2025, 3, 1, 8)))
    assert set(err.value.errors) == {"name", "ends_at"}
    assert activities.count() == 0


def test_update_checks_the_version(register):
    created = activities.create(draft())
    changed = activities.update(created.id, draft(place="社区活动室"), created.version)
    assert changed.place == "社区活动室" and changed.version == created.version + 1
    with pytest.raises(ConflictError):
        activities.update(created.id, draft(place="别处"), created.version)
    row = AuditLog.get((AuditLog.entity == "activity") & (AuditLog.action == "update"))
    assert json.loads(row.before) == {"place": "和平社区敬老院"}


def test_times_are_fixed_once_hours_are_recorded(register):
    act = activities.create(draft())
    service_records.record_scan(volunteer(), act.id, dt.datetime(2025, 3, 1, 9))
    with pytest.raises(FormErrors) as err:
        activities.update(act.id, draft(ends_at=dt.datetime(2025, 3, 1, 13)), act.version)
    assert "不能修改时间" in err.value.errors["starts_at"]
    assert activities.update(act.id, draft(name="探访老人"), act.version).name == "探访老人"


def test_close_checks_out_whoever_is_still_in(register):
    act = activities.create(draft())
    vid = volunteer()
    scan = service_records.record_scan(vid, act.id, dt.datetime(2025, 3, 1, 8, 50))
    closed = activities.close(act.id, now=dt.datetime(2025, 3, 1, 12, 30))
    assert closed.status is ActivityStatus.CLOSED
    rec = service_records.get(scan.record_id)
    assert rec.status is RecordStatus.PENDING and rec.minutes == 180
    assert rec.ended_at == dt.datetime(2025, 3, 1, 12)
    assert rec.flags == (Flag.AUTO_CHECKOUT,)
    with pytest.raises(ValidationError, match="已结束"):
        service_records.record_scan(vid, act.id, dt.datetime(2025, 3, 1, 12, 40))
    with pytest.raises(ValidationError):
        activities.close(act.id)


def test_cancel_needs_a_reason_and_no_standing_records(register):
    act = activities.create(draft())
    with pytest.raises(ValidationError):
        activities.cancel(act.id, " ")
    scan = service_records.record_scan(volunteer(), act.id, dt.datetime(2025, 3, 1, 9))
    with pytest.raises(ValidationError, match="驳回"):
        activities.cancel(act.id, "下雨")
    service_records.reject([scan.record_id], "误扫")
    cancelled = activities.cancel(act.id, "下雨", expected_version=act.version)
    assert cancelled.status is ActivityStatus.CANCELLED
    with pytest.raises(FormErrors):
        activities.update(act.id, draft(), cancelled.version)


def test_list_is_newest_first_paged_and_filtered(register):
    for day in range(1, 8):
        activities.create(draft(name=f"活动{day}", starts_at=dt.datetime(2025, 3, day, 9),
                                ends_at=dt.datetime(2025, 3, day, 11),
                                category="环保" if day % 2 else "助老"))
    names = [a.name for a in activities.page(0, 3)]
    assert names == ["活动7", "活动6", "活动5"]
    assert [a.name for a in activities.page(6, 3)] == ["活动1"]
    assert activities.count("环保") == 4
    assert [a.name for a in activities.page(0, 10, "环保 活动3")] == ["活动3"]
    assert activities.count("敬老院") == 7  # place matches
    assert activities.count(status=ActivityStatus.CLOSED) == 0
