"""The list's hours, star level and points: carried on every row, ordered and filtered in
SQL on both backends, and the large-result plan gives the same rows for the new keys."""

import pytest

from app.services.points import ledger as points
from app.services.volunteers import demo
from app.services.volunteers import listing as vl
from app.store import volunteer_queries as q
from app.store.models import Volunteer

HOURS = [0, 99 * 60, 100 * 60, 350 * 60, 1500 * 60, 2000 * 60]


@pytest.fixture
def served(register) -> list[int]:
    """Six demo volunteers with known approved minutes and (ledger-backed) points."""
    demo.generate(len(HOURS), seed=21)
    ids = [v.id for v in Volunteer.select(Volunteer.id).order_by(Volunteer.id)]
    for vid, minutes, pts in zip(ids, HOURS, (5, 40, 0, 12, 300, 7), strict=True):
        Volunteer.update(approved_minutes=minutes).where(Volunteer.id == vid).execute()
        if pts:
            points.bonus(vid, pts, "测试积分")
    return ids


def test_rows_carry_hours_points_and_star_level(served):
    rows = {r.id: r for r in vl.page(vl.VolunteerFilter(), 0, 50)}
    assert [rows[i].approved_minutes for i in served] == HOURS
    assert [rows[i].points_balance for i in served] == [5, 40, 0, 12, 300, 7]
    assert [rows[i].star_level for i in served] == [0, 0, 1, 2, 5, 5]


def test_sort_by_hours_and_points(served):
    up = vl.page(vl.VolunteerFilter(sort=vl.SortKey.HOURS), 0, 50)
    assert [r.approved_minutes for r in up] == sorted(HOURS)
    down = vl.page(vl.VolunteerFilter(sort=vl.SortKey.POINTS, descending=True), 0, 50)
    assert [r.points_balance for r in down] == [300, 40, 12, 7, 5, 0]


def test_star_filter_is_a_minutes_threshold(served):
    thresholds = vl.star_thresholds_minutes()
    assert thresholds == [h * 60 for h in (100, 300, 600, 1000, 1500)]
    one_star = vl.VolunteerFilter(min_minutes=thresholds[0])
    assert vl.count(one_star) == 4
    assert {r.star_level for r in vl.page(one_star, 0, 50)} == {1, 2, 5}
    five = vl.VolunteerFilter(min_minutes=thresholds[4], sort=vl.SortKey.POINTS)
    assert [r.points_balance for r in vl.page(five, 0, 50)] == [7, 300]


def test_large_result_plan_covers_the_new_keys(served, monkeypatch):
    """With many matches SQLite walks the sort index; the rows must be the same."""
    for sort in (vl.SortKey.HOURS, vl.SortKey.POINTS, vl.SortKey.NUMBER):
        for descending in (False, True):
            flt = vl.VolunteerFilter(min_minutes=60, sort=sort, descending=descending)
            matches = vl.count(flt)
            plain = [r.id for r in vl.page(flt, 1, 3, matches=matches)]
            monkeypatch.setattr(q, "SORT_SCAN_MATCHES", 1)
            assert q.prefer_sort_index(flt, matches) == q.is_sqlite()
            walked = [r.id for r in vl.page(flt, 1, 3, matches=matches)]
            monkeypatch.setattr(q, "SORT_SCAN_MATCHES", 20_000)
            assert walked == plain
