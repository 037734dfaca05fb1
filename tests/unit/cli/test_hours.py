"""`yilian activity …` and `yilian hours …` as a user runs them: real processes, a real
register (a SQLite file, or the PostgreSQL server when one is configured)."""

import datetime as dt

from app.domain.idcard import check_character
from app.domain.volunteer import VolunteerDraft
from app.services.hours import records as service_records
from app.services.volunteers import registration as volunteers
from app.store.db import bound, make_database
from tests.unit.cli.helpers import yilian


def add(db: str, name: str, start: str, end: str, *extra: str) -> int:
    out = yilian("--db", db, "activity", "add", "--name", name, "--start", start, "--end", end,
                 *extra)
    assert out.returncode == 0, out.stderr
    return int(out.stdout.strip())


def test_activity_add_prints_the_id_and_list_shows_it(db_target):
    first = add(db_target, "敬老院探访", "2025-03-01 09:00", "2025-03-01 11:30",
                "--category", "助老", "--place", "和平社区敬老院", "--organizer", "阳光服务队")
    second = add(db_target, "河道清洁", "2025-03-08 08:00", "2025-03-08 10:00")
    assert second == first + 1
    listing = yilian("--db", db_target, "activity", "list")
    assert listing.returncode == 0, listing.stderr
    lines = listing.stdout.splitlines()
    assert lines[0].startswith(f"{second}\t2025-03-08 08:00")
    assert "敬老院探访" in lines[1] and "助老" in lines[1] and "阳光服务队" in lines[1]
    assert "共2项活动" in listing.stderr
    found = yilian("--db", db_target, "activity", "list", "--search", "河道")
    assert "河道清洁" in found.stdout and "敬老院" not in found.stdout


def test_activity_add_refuses_bad_times(db_target):
    bad = yilian("--db", db_target, "activity", "add", "--name", "探访",
                 "--start", "2025-03-01 11:00", "--end", "2025-03-01 09:00")
    assert bad.returncode == 1
    assert "结束时间" in bad.stderr and "晚于开始时间" in bad.stderr
    garbled = yilian("--db", db_target, "activity", "add", "--name", "探访",
                     "--start", "3月1日", "--end", "2025-03-01 09:00")
    assert garbled.returncode == 1 and "YYYY-MM-DD HH:MM" in garbled.stderr


def _scan_two_volunteers(db_target: str, activity_id: int) -> list[int]:
    """Two volunteers: one checks in and out, one forgets to check out."""
    with bound(make_database(db_target)) as db:
        db.connect()
        ids = []
        for seq in (1, 2):
            first17 = f"11010519800101{seq:03d}"
            ids.append(volunteers.register(VolunteerDraft(
                name=f"志愿者{seq}", id_number=first17 + check_character(first17),
                phone="13800138000")).id)
        service_records.record_scan(ids[0], activity_id, dt.datetime(2025, 3, 1, 9))
        service_records.record_scan(ids[0], activity_id, dt.datetime(2025, 3, 1, 11))
        service_records.record_scan(ids[1], activity_id, dt.datetime(2025, 3, 1, 9))
    return ids


def test_close_forgotten_then_approve_an_activity(db_target):
    aid = add(db_target, "敬老院探访", "2025-03-01 09:00", "2025-03-01 11:30")
    ids = _scan_two_volunteers(db_target, aid)
    closed = yilian("--db", db_target, "hours", "close-forgotten")
    assert closed.returncode == 0, closed.stderr
    assert "1条" in closed.stdout
    approved = yilian("--db", db_target, "hours", "approve", "--activity", str(aid))
    assert approved.returncode == 0, approved.stderr
    assert "审核通过2条" in approved.stdout and "4小时30分" in approved.stdout
    assert "正在审核服务记录 2/2" in approved.stderr  # progress
    with bound(make_database(db_target)) as db:
        db.connect()
        assert [service_records.volunteer_hours(v).approved_minutes for v in ids] == [120, 150]
    again = yilian("--db", db_target, "hours", "approve", "--activity", str(aid))
    assert again.returncode == 0 and "没有待审核" in again.stdout
    missing = yilian("--db", db_target, "hours", "approve", "--activity", str(aid + 9))
    assert missing.returncode == 1 and "找不到活动" in missing.stderr
