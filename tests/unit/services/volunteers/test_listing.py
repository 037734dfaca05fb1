"""The list's SQL: every search kind, filters, ordering and masking, on both backends."""

import datetime as dt

import pytest

from app.domain.volunteer import Status, VolunteerDraft
from app.services.volunteers import demo
from app.services.volunteers import listing as vl
from app.services.volunteers import registration as volunteers

TODAY = dt.date(2026, 11, 23)

PEOPLE = [
    ("张三", "11010519491231002X", "13800138000", "解放路街道", "和平社区"),
    ("张三丰", "440524188001010014", "13900139000", "解放路街道", "幸福社区"),
    ("李娜", "370105199205094736", "15012345678", "千佛山街道", "阳光社区"),
    ("欧阳娜娜", "110105198203010954", "18611112222", "千佛山街道", "阳光社区"),
]


@pytest.fixture
def people(register):
    recs = []
    for name, idn, phone, street, community in PEOPLE:
        recs.append(volunteers.register(VolunteerDraft(
            name=name, id_number=idn, phone=phone, street=street, community=community,
            sex="", registered_on=TODAY), today=TODAY))
    return recs


def names(flt: vl.VolunteerFilter) -> list[str]:
    return [r.name for r in vl.page(flt, 0, 100, today=TODAY)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("张", ["张三", "张三丰"]),
        ("三丰", ["张三丰"]),
        ("娜", ["李娜", "欧阳娜娜"]),
        ("阳娜娜", ["欧阳娜娜"]),
        ("zs", ["张三", "张三丰"]),
        ("zsf", ["张三丰"]),
        ("zhangsanf", ["张三丰"]),
        ("oyn", ["欧阳娜娜"]),
        ("110105", ["张三", "欧阳娜娜"]),
        ("11010519491231002x", ["张三"]),
        ("1390013", ["张三丰"]),
        ("V00000003", ["李娜"]),
        ("3", ["李娜"]),
        ("王", []),
    ],
)
def test_search_kinds(people, text, expected):
    flt = vl.VolunteerFilter(text=text)
    assert names(flt) == expected
    assert vl.count(flt, TODAY) == len(expected)


def test_filters_combine(people):
    volunteers.change_status(people[1].id, Status.SUSPENDED, "外出")
    assert names(vl.VolunteerFilter(statuses=("suspended",))) == ["张三丰"]
    assert names(vl.VolunteerFilter(street="千佛山街道")) == ["李娜", "欧阳娜娜"]
    assert names(vl.VolunteerFilter(street="解放路街道", community="和平社区")) == ["张三"]
    assert names(vl.VolunteerFilter(text="张", statuses=("active",))) == ["张三"]
    assert names(vl.VolunteerFilter(age_group="senior")) == ["张三", "张三丰"]
    assert names(vl.VolunteerFilter(age_group="youth")) == ["李娜"]


def test_sorting_in_sql(people):
    by_name = names(vl.VolunteerFilter(sort=vl.SortKey.NAME))
    assert by_name == ["李娜", "欧阳娜娜", "张三", "张三丰"]  # pinyin order
    youngest_first = names(vl.VolunteerFilter(sort=vl.SortKey.AGE))
    assert youngest_first[0] == "李娜" and youngest_first[-1] == "张三丰"
    desc = names(vl.VolunteerFilter(sort=vl.SortKey.NUMBER, descending=True))
    assert desc == ["欧阳娜娜", "李娜", "张三丰", "张三"]


def test_rows_are_masked_unless_asked(people):
    row = vl.page(vl.VolunteerFilter(text="zs"), 0, 1, today=TODAY)[0]
    assert row.id_number == "110105********002X"
    assert row.phone == "138****8000"
    assert row.age == 76
    full = vl.page(vl.VolunteerFilter(text="zs"), 0, 1, unmasked=True, today=TODAY)[0]
    assert full.id_number == "11010519491231002X"


def test_paging_is_stable(register):
    demo.generate(1200, seed=7, batch=500)
    flt = vl.VolunteerFilter(sort=vl.SortKey.STREET)
    seen = []
    for offset in range(0, 1200, 250):
        seen += [r.id for r in vl.page(flt, offset, 250)]
    assert len(seen) == len(set(seen)) == 1200 == vl.count(flt)
    assert {a.street for a in vl.areas()} == {s for _, s, _ in demo.areas()}


def test_large_result_plan_gives_the_same_rows(register, monkeypatch):
    """Many matches switch SQLite to walking the sort index; the rows must not change."""
    from app.store import volunteer_queries as q

    demo.generate(600, seed=3, batch=600)
    monkeypatch.setattr(q, "NUMBER_WALK_SHARE", 0)  # the share rule walks too: off for "plain"
    for text in ("张", "z", "3701", "V0000"):
        for sort in (vl.SortKey.NUMBER, vl.SortKey.NAME, vl.SortKey.AGE):
            flt = vl.VolunteerFilter(text=text, sort=sort)
            matches = vl.count(flt)
            plain = [r.id for r in vl.page(flt, 5, 50, matches=matches)]
            monkeypatch.setattr(q, "SORT_SCAN_MATCHES", 1)
            walked = [r.id for r in vl.page(flt, 5, 50, matches=matches)]
            monkeypatch.setattr(q, "SORT_SCAN_MATCHES", 20_000)
            assert walked == plain
            assert not q.prefer_sort_index(flt, matches)


def test_merged_duplicates_are_not_listed_as_volunteers(people):
    from app.services.volunteers import merge

    merge.merge(people[0].id, people[1].id, "同一人")
    listed = vl.VolunteerFilter(statuses=vl.LISTED_STATUSES)
    assert vl.count(listed) == len(PEOPLE) - 1
    assert names(vl.VolunteerFilter(statuses=("merged",))) == ["张三丰"]
