"""Searches in number order are answered in id order from the indexes alone (SQLite): the
rows, pages and counts are the very ones the plan that sorts by number gives, and numbers
follow ids on every path that creates volunteers, which is what makes the two orders one."""

import random
from pathlib import Path

import pytest

from app.domain.idcard import check_character
from app.domain.volunteer import Status, VolunteerDraft
from app.services.volunteers import demo, importing, merge, registration
from app.services.volunteers import listing as vl
from app.store import volunteer_queries as q
from app.store.models import Volunteer

SAMPLE = Path(__file__).resolve().parents[4].parent / "shared" / "samples" / \
    "volunteers-community-roster.xlsx"


@pytest.fixture
def listed(register) -> list[Volunteer]:
    count = demo.generate(400, seed=23).volunteers
    merged = random.Random(4).sample(range(1, count + 1), 30)
    Volunteer.update(status=str(Status.MERGED)).where(Volunteer.id.in_(merged)).execute()
    return list(Volunteer.select().order_by(Volunteer.id))


def _searches(people: list[Volunteer]) -> list[str]:
    rng = random.Random(8)
    picked = rng.sample(people, 12)
    texts = []
    for v in picked:
        texts += [v.name[0], v.name[-2:], v.name, v.name_initials[:2], v.name_initials,
                  v.id_number[:6], v.id_number[:10], v.phone[:7], v.phone[-4:],
                  v.id_number[-4:], v.number, str(int(v.number[1:]))]
    return texts


def _pages(flt: vl.VolunteerFilter, size: int) -> list[int]:
    """Every row of the list, page after page by key, as the list's model reads it."""
    ids: list[int] = []
    after = None
    while True:
        page = vl.page_keyed(flt, len(ids), size, after=after, matches=vl.count(flt))
        ids += [r.id for r in page.rows]
        if len(page.rows) < size:
            return ids
        after = page.last_key


@pytest.mark.parametrize("descending", [False, True])
def test_a_search_in_id_order_gives_the_rows_the_number_order_gives(listed, monkeypatch,
                                                                    descending):
    if not q.is_sqlite():
        pytest.skip("the id-order plan is SQLite's; PostgreSQL plans from its statistics")
    texts = _searches(listed)
    filters = [vl.VolunteerFilter(text=t, statuses=vl.LISTED_STATUSES, descending=descending)
               for t in texts]
    assert all(q._id_order_search(f) for f in filters)
    fast = {f.text: (_pages(f, 7), [r.id for r in vl.page(f, 5, 9)], vl.count(f))
            for f in filters}
    monkeypatch.setattr(q, "_id_order_search", lambda flt: False)
    slow = {f.text: (_pages(f, 7), [r.id for r in vl.page(f, 5, 9)], vl.count(f))
            for f in filters}
    assert fast == slow
    merged = {v.id for v in listed if v.status == str(Status.MERGED)}
    assert all(merged.isdisjoint(ids) for ids, _o, _c in fast.values())
    assert sum(1 for ids, _o, _c in fast.values() if len(ids) > 7) >= 5  # pages followed on


def test_many_matches_walk_the_number_index_and_give_the_same_rows(listed, monkeypatch):
    if not q.is_sqlite():
        pytest.skip("the id-order plan is SQLite's")
    flt = vl.VolunteerFilter(text="1", statuses=vl.LISTED_STATUSES)  # most phones and IDs
    collected = _pages(flt, 11)
    monkeypatch.setattr(q, "WALK_SHARE", 0)
    monkeypatch.setattr(q, "COUNT_CAP", 5)
    q._many_cache.clear()
    assert q._many_matches(flt, None)
    assert _pages(flt, 11) == collected
    q._many_cache.clear()


def test_a_longer_name_needs_every_piece_and_the_whole_name(register):
    for seq, name in enumerate(("王明轩", "明轩王", "王明", "李王明轩"), start=1):
        first17 = f"11010519900307{seq:02d}1"
        registration.register(VolunteerDraft(name=name, phone="13800138000",
                                             id_number=first17 + check_character(first17)))
    found = {r.name for r in vl.page(vl.VolunteerFilter(text="王明轩"), 0, 50)}
    assert found == {"王明轩", "李王明轩"}
    assert vl.count(vl.VolunteerFilter(text="王明轩", statuses=vl.LISTED_STATUSES)) == 2


def test_numbers_follow_ids_on_every_path_that_makes_volunteers(register):
    demo.generate(40, seed=2)
    registration.register(VolunteerDraft(name="张三", id_number="11010519491231002X",
                                         phone="13800138000"))
    if SAMPLE.exists():
        importing.commit(importing.read(SAMPLE), skip_invalid=True)
    merge.merge(1, 2, "重复登记")
    demo.generate(10, seed=3)
    by_number = [v.id for v in Volunteer.select(Volunteer.id).order_by(Volunteer.number)]
    assert len(by_number) > 50
    assert by_number == sorted(by_number)


@pytest.mark.parametrize("descending", [False, True])
def test_jumps_and_positions_by_id_hold_and_a_gap_in_the_ids_is_noticed(listed, monkeypatch,
                                                                        descending):
    flt = vl.VolunteerFilter(statuses=vl.LISTED_STATUSES, descending=descending)
    plain = vl.page(flt, 0, 1000)
    monkeypatch.setattr(q, "JUMP_OFFSET", 1)
    for at in (0, 1, 33, 150, len(plain) - 1):
        assert [r.id for r in vl.page(flt, at, 5)] == [r.id for r in plain[at:at + 5]]
        assert vl.position(flt, plain[at].id) == at
    assert q._dense_ids() is q.is_sqlite()
    # A row taken out by hand (the application never deletes one) leaves a gap: a register
    # checked afresh gives up the plan by id and the answers stay right.
    Volunteer.delete().where(Volunteer.id == plain[10].id).execute()
    q._dense_cache.clear()
    assert not q._dense_ids()
    rest = vl.page(flt, 0, 1000)
    for at in (0, 9, 10, 150):
        assert [r.id for r in vl.page(flt, at, 5)] == [r.id for r in rest[at:at + 5]]
        assert vl.position(flt, rest[at].id) == at
