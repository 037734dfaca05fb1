"""Pages far down the whole list (found by key at an offset in the sort index) and pages
after a key are the very rows OFFSET gives, merged records left out, on both backends."""

import random

import pytest

from app.domain.volunteer import Status
from app.services.volunteers import demo
from app.services.volunteers import listing as vl
from app.store import volunteer_queries as q
from app.store.models import Volunteer


@pytest.fixture
def with_merged(register) -> int:
    count = demo.generate(300, seed=11).volunteers
    merged = random.Random(3).sample(range(1, count + 1), 25)
    Volunteer.update(status=str(Status.MERGED)).where(Volunteer.id.in_(merged)).execute()
    return count - 25


@pytest.mark.parametrize(("sort", "descending"), [
    (vl.SortKey.NUMBER, False), (vl.SortKey.NUMBER, True), (vl.SortKey.NAME, False),
    (vl.SortKey.AGE, True), (vl.SortKey.STREET, False), (vl.SortKey.POINTS, False)])
@pytest.mark.parametrize("statuses", [vl.LISTED_STATUSES, ()])
def test_a_jump_finds_the_rows_offset_finds(with_merged, monkeypatch, sort, descending,
                                            statuses):
    flt = vl.VolunteerFilter(statuses=statuses, sort=sort, descending=descending)
    total = vl.count(flt)
    assert total == (with_merged if statuses else with_merged + 25)
    plain = [[r.id for r in vl.page(flt, start, 40)] for start in range(0, total + 40, 37)]
    monkeypatch.setattr(q, "JUMP_OFFSET", 1)
    jumped = [[r.id for r in vl.page(flt, start, 40)] for start in range(0, total + 40, 37)]
    assert jumped == plain
    merged = {v.id for v in Volunteer.select().where(Volunteer.status == str(Status.MERGED))}
    assert not statuses or merged.isdisjoint(i for ids in jumped for i in ids)


def test_pages_after_a_key_follow_on(with_merged):
    flt = vl.VolunteerFilter(statuses=vl.LISTED_STATUSES, text="1")  # a search, not the whole list
    first = vl.page_keyed(flt, 0, 7)
    second = vl.page_keyed(flt, 7, 7, after=first.last_key)
    assert [r.id for r in first.rows + second.rows] == [r.id for r in vl.page(flt, 0, 14)]


@pytest.mark.parametrize("sort", [vl.SortKey.NUMBER, vl.SortKey.NAME, vl.SortKey.AGE])
def test_positions_in_the_whole_list_leave_out_merged_records(with_merged, sort):
    flt = vl.VolunteerFilter(statuses=vl.LISTED_STATUSES, sort=sort)
    rows = vl.page(flt, 0, with_merged + 10)
    for at in (0, 1, 57, 160, len(rows) - 1):
        assert vl.position(flt, rows[at].id) == at
    merged = Volunteer.get(Volunteer.status == str(Status.MERGED))
    assert vl.position(flt, merged.id) is None
