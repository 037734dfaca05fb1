"""The monthly roll-up of approved hours always equals the raw sum of the records."""

import datetime as dt

from app.domain.hours import ActivityDraft
from app.domain.idcard import check_character
from app.domain.volunteer import VolunteerDraft
from app.services.hours import activities
from app.services.hours import records as sr
from app.services.volunteers import registration as volunteers
from app.store import rollups
from app.store.models import HoursMonth, ServiceRecord


def raw_by_month() -> dict[str, int]:
    sums: dict[str, int] = {}
    for rec in ServiceRecord.select().where(ServiceRecord.status == "approved"):
        key = rollups.month_key(rec.started_at)
        sums[key] = sums.get(key, 0) + rec.minutes
    return {k: v for k, v in sums.items() if v}


def rolled() -> dict[str, int]:
    return {h.month: h.minutes for h in HoursMonth.select() if h.minutes}


def person(seq: int) -> int:
    first17 = f"11010519800101{seq:03d}"
    return volunteers.register(VolunteerDraft(
        name=f"志愿者{seq}", id_number=first17 + check_character(first17),
        phone="13800138000")).id


def test_approval_and_reversal_keep_the_roll_up_equal_to_the_records(register):
    ids = []
    for month in (1, 2, 3):
        start = dt.datetime(2025, month, 28, 9)
        aid = activities.create(ActivityDraft(name=f"活动{month}", starts_at=start,
                                              ends_at=start + dt.timedelta(hours=3))).id
        for seq in range(3):
            vid = person(month * 10 + seq)
            ids.append(sr.add_manual(vid, aid, start, start + dt.timedelta(hours=2), "服务",
                                     "", now=start + dt.timedelta(hours=5)).id)
    sr.approve(ids[:7])
    assert rolled() == raw_by_month() == {"2025-01": 360, "2025-02": 360, "2025-03": 120}
    sr.reverse(ids[0], "录错")
    sr.approve(ids[7:])
    assert rolled() == raw_by_month() == {"2025-01": 240, "2025-02": 360, "2025-03": 360}
    # The schema step's rebuild gives the same figures from the records alone.
    rollups.rebuild_hours_month()
    assert rolled() == raw_by_month()
    assert rollups.hours_by_month("2025-02", "2025-03") == {"2025-02": 360, "2025-03": 360}
