"""The hours report read from the per-volunteer monthly roll-up (schema 8) equals the report
summed from the raw records, for any period and grouping, after approvals, reversals,
manual and scanned records across months, and a merge that moves records."""

import datetime as dt
import random

from app.domain.hours import ActivityDraft
from app.domain.idcard import check_character
from app.domain.volunteer import VolunteerDraft
from app.services.hours import activities
from app.services.hours import records as sr
from app.services.hours.volunteer_report import volunteer_report
from app.services.volunteers import merge as merging
from app.services.volunteers import registration as volunteers
from app.store import rollups
from app.store.migrations import MIGRATIONS, migrate
from app.store.models import HoursVolunteerMonth, SchemaVersion

COMMUNITIES = ("和平社区", "光明社区", "")


def person(seq: int) -> int:
    first17 = f"11010519800101{seq:03d}"
    return volunteers.register(VolunteerDraft(
        name=f"志愿者{seq}", id_number=first17 + check_character(first17), phone="13800138000",
        street="解放路街道", community=COMMUNITIES[seq % 3])).id


def rolled() -> list[tuple]:
    h = HoursVolunteerMonth
    return sorted(h.select(h.volunteer_id, h.month, h.scanned_minutes, h.manual_minutes,
                           h.records).tuples())


def build(rng: random.Random) -> tuple[list[int], list[int]]:
    """Activities on days spread over Dec 2024 – Jun 2025 (month edges included), people
    with scanned and manual records; two of them (0 and 1) never at the same activity, so
    they can be merged. Returns (volunteer ids, approved record ids)."""
    days = sorted({dt.date(2024, 12, 31), dt.date(2025, 1, 1), dt.date(2025, 2, 28),
                   dt.date(2025, 3, 1), dt.date(2025, 3, 31), dt.date(2025, 6, 30)}
                  | {dt.date(2024, 12, 1) + dt.timedelta(days=rng.randrange(212))
                     for _ in range(14)})
    acts = []
    for n, day in enumerate(days):
        start = dt.datetime.combine(day, dt.time(9))
        acts.append((activities.create(ActivityDraft(
            name=f"活动{n}", starts_at=start, ends_at=start + dt.timedelta(hours=3))).id, start))
    people = [person(seq) for seq in range(8)]
    made: list[int] = []
    for i, vid in enumerate(people):
        for n, (aid, start) in enumerate(acts):
            if (i == 0 and n % 2) or (i == 1 and not n % 2) or rng.random() < 0.35:
                continue
            length = dt.timedelta(minutes=rng.choice((60, 95, 150, 180)))
            if rng.random() < 0.5:
                sr.record_scan(vid, aid, start)
                made.append(sr.record_scan(vid, aid, start + length).record_id)
            else:
                made.append(sr.add_manual(vid, aid, start, start + length, "服务", "",
                                          now=start + dt.timedelta(days=1)).id)
    rng.shuffle(made)
    pending = made[len(made) // 5:]
    first, second = pending[:len(pending) // 2], pending[len(pending) // 2:]
    sr.approve(first)
    for rid in rng.sample(first, len(first) // 4):
        sr.reverse(rid, "录错")
    sr.reject(made[:len(made) // 10], "重复")  # some stay pending, some rejected
    return people, first + second


def check_periods(rng: random.Random, rounds: int) -> None:
    periods: list[tuple[dt.date | None, dt.date | None]] = [
        (None, None), (dt.date(2025, 1, 1), dt.date(2025, 1, 31)),
        (dt.date(2025, 1, 1), dt.date(2025, 3, 31)), (dt.date(2025, 2, 28), dt.date(2025, 3, 1)),
        (dt.date(2025, 3, 1), dt.date(2025, 3, 1)), (None, dt.date(2025, 2, 27)),
        (dt.date(2025, 2, 2), None), (dt.date(2025, 4, 1), dt.date(2025, 3, 31)),
        (dt.date(2024, 12, 31), dt.date(2025, 6, 30))]
    for _ in range(rounds):
        a = dt.date(2024, 11, 20) + dt.timedelta(days=rng.randrange(240))
        periods.append((a, a + dt.timedelta(days=rng.randrange(120))))
    for date_from, date_to in periods:
        for group in sr.GROUPS:
            assert sr.hours_report(date_from, date_to, group) == sr.hours_report(
                date_from, date_to, group, source="raw"), (date_from, date_to, group)
        # The screen's report by volunteer, labels read as rows are asked for, is the same.
        lazy = volunteer_report(date_from, date_to)
        assert list(lazy) == [lazy[i] for i in range(len(lazy))] \
            == sr.hours_report(date_from, date_to, "volunteer"), (date_from, date_to)


def test_the_report_from_the_roll_up_equals_the_raw_report(register):
    rng = random.Random(12)
    people, approved = build(rng)
    before = sr.hours_report(None, None, "volunteer", source="raw")
    assert sum(r.records for r in before) > 0
    assert any(r.manual_minutes for r in before) and any(r.scanned_minutes for r in before)
    check_periods(rng, 40)

    merging.merge(people[0], people[1], "同一人重复登记")
    sr.approve(approved[len(approved) // 2:])  # the merged person's pending ones too
    standing = [r.record_id for r in sr.records_for_volunteer(people[0])]
    sr.reverse(standing[0], "冲正")
    check_periods(rng, 40)

    # Kept row by row, the roll-up equals what the schema step fills from the records.
    kept = rolled()
    rollups.rebuild_hours_volunteer_month()
    assert rolled() == kept
    assert not any(vid == people[1] for vid, *_ in kept)


def test_a_reversal_to_zero_keeps_the_volunteer_in_the_month(register):
    """A volunteer whose only record was reversed is listed with zeros by the raw report, so
    the roll-up keeps their row (0 minutes, 0 records) rather than dropping it."""
    vid = person(1)
    start = dt.datetime(2025, 5, 6, 9)
    aid = activities.create(ActivityDraft(name="活动", starts_at=start,
                                          ends_at=start + dt.timedelta(hours=3))).id
    rid = sr.add_manual(vid, aid, start, start + dt.timedelta(hours=2), "服务", "",
                        now=start + dt.timedelta(days=1)).id
    sr.approve([rid])
    sr.reverse(rid, "录错")
    may = (dt.date(2025, 5, 1), dt.date(2025, 5, 31))
    rows = sr.hours_report(*may, "volunteer")
    assert [(r.scanned_minutes, r.manual_minutes, r.records, r.volunteers) for r in rows] \
        == [(0, 0, 0, 1)]
    assert rows == sr.hours_report(*may, "volunteer", source="raw")
    assert sr.hours_report(*may, "month") == sr.hours_report(*may, "month", source="raw")


def test_schema_8_fills_the_roll_up_from_the_records_there(register):
    rng = random.Random(5)
    build(rng)
    kept = rolled()
    assert kept
    db = HoursVolunteerMonth._meta.database
    db.execute_sql("DROP TABLE hours_volunteer_month")  # as at version 7
    SchemaVersion.update(version=7).execute()
    result = migrate(backup=lambda _label: None)
    assert (result.from_version, result.to_version) == (7, MIGRATIONS[-1].version)
    assert rolled() == kept
    indexes = {tuple(i.columns) for i in db.get_indexes("hours_volunteer_month")}
    assert ("month", "volunteer_id", "scanned_minutes", "manual_minutes", "records") in indexes
    check_periods(rng, 10)
