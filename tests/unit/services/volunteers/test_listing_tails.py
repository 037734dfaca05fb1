"""Search by the tail the masked list shows (尾号), and the default "all but merged" filter
counted without reading table rows — on both backends, through every writer of the tails."""

import datetime as dt

import pytest

from app.domain.volunteer import Status, VolunteerDraft
from app.services.volunteers import demo
from app.services.volunteers import importing as volunteer_import
from app.services.volunteers import listing as vl
from app.services.volunteers import registration as volunteers
from app.store.models import Volunteer

TODAY = dt.date(2026, 11, 23)

PEOPLE = [
    ("张三", "11010519491231002X", "13800138000"),
    ("李娜", "370105199205094736", "15012348000"),
    ("欧阳娜娜", "110105198203010954", "18611112222"),
]


@pytest.fixture
def people(register):
    return [volunteers.register(VolunteerDraft(
        name=name, id_number=idn, phone=phone, sex="", registered_on=TODAY), today=TODAY)
        for name, idn, phone in PEOPLE]


def names(text: str, statuses: tuple[str, ...] = vl.LISTED_STATUSES) -> list[str]:
    flt = vl.VolunteerFilter(text=text, statuses=statuses)
    found = [r.name for r in vl.page(flt, 0, 200, today=TODAY, matches=vl.count(flt, TODAY))]
    assert vl.count(flt, TODAY) == len(found)
    return found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8000", ["张三", "李娜"]),          # 138****8000 and 150****8000
        ("48000", ["李娜"]),
        ("002X", ["张三"]),                  # 110105********002X
        ("002x", ["张三"]),
        ("0954", ["欧阳娜娜"]),
        ("2222", ["欧阳娜娜"]),
        ("138", ["张三"]),                   # three digits: a prefix only, not a tail
        ("1101", ["张三", "欧阳娜娜"]),       # a prefix still matches
        ("7777", []),
    ],
)
def test_tails_of_phone_and_id_number(people, text, expected):
    assert names(text) == expected
    assert names(text, ()) == expected


def test_an_edit_moves_the_tails(people):
    record = volunteers.get(people[0].id)
    draft = record.draft
    draft.phone = "13912345678"
    volunteers.update(record.id, draft, record.version, today=TODAY)
    assert names("8000") == ["李娜"]
    assert names("5678") == ["张三"]


def test_merged_records_are_left_out_of_the_default_count(people):
    Volunteer.update(status=str(Status.MERGED)).where(Volunteer.id == people[1].id).execute()
    assert names("8000") == ["张三"]
    assert names("8000", (str(Status.MERGED),)) == ["李娜"]
    assert names("") == ["张三", "欧阳娜娜"]
    flt = vl.VolunteerFilter(statuses=vl.LISTED_STATUSES)
    assert vl.count(flt, TODAY) == 2


def test_demo_and_import_write_the_tails(register, sample):
    demo.generate(30, seed=3, today=TODAY)
    preview = volunteer_import.read(sample, today=TODAY)
    volunteer_import.commit(preview, skip_invalid=True)
    rows = list(Volunteer.select(Volunteer.phone, Volunteer.id_number, Volunteer.phone_rev,
                                 Volunteer.id_number_rev).tuples())
    assert len(rows) == 30 + 53
    assert all(p[::-1] == pr and i[::-1] == ir for p, i, pr, ir in rows)
    phone = rows[-1][0]
    flt = vl.VolunteerFilter(text=phone[-4:], statuses=vl.LISTED_STATUSES)
    assert phone in [p for p, *_ in rows if p.endswith(phone[-4:])]
    assert vl.count(flt, TODAY) >= 1
