import datetime as dt

import pytest

from app.domain.errors import FormErrors, ValidationError
from app.domain.search import SearchKind, parse_search
from app.domain.volunteer import (
    AGE_GROUPS,
    IdType,
    MinorPolicy,
    Status,
    VolunteerDraft,
    birth_range,
    check_status_change,
    format_volunteer_number,
)

TODAY = dt.date(2026, 11, 23)


def draft(**kw) -> VolunteerDraft:
    base = {"name": "张三", "id_number": "11010519491231002X", "phone": "13800138000"}
    base.update(kw)
    return VolunteerDraft(**base)


def test_valid_adult_is_normalised():
    out = draft(name=" 张 三 ", phone="+86 138-0013-8000").validated(today=TODAY)
    assert out.name == "张三"
    assert out.phone == "13800138000"
    assert out.sex == "F"
    assert out.birth_date == dt.date(1949, 12, 31)
    assert out.registered_on == TODAY


def test_every_bad_field_is_reported_at_once():
    with pytest.raises(FormErrors) as err:
        draft(name="", id_number="110105194912310021", phone="123").validated(today=TODAY)
    assert set(err.value.errors) == {"name", "id_number", "phone"}


def test_sex_contradicting_the_id_number():
    with pytest.raises(FormErrors) as err:
        draft(sex="男").validated(today=TODAY)
    assert "身份证号码显示为女" in err.value.errors["sex"]


def test_minor_needs_guardian_and_consent():
    child = draft(id_number="370105201601011234")  # ten years old
    with pytest.raises(FormErrors) as err:
        child.validated(today=TODAY)
    assert {"guardian_name", "guardian_phone", "guardian_id_number",
            "guardian_consent"} <= set(err.value.errors)
    ok = child
    ok.guardian_name, ok.guardian_phone = "李四", "13900139000"
    ok.guardian_id_number, ok.guardian_consent = "11010519491231002X", True
    assert ok.validated(today=TODAY).guardian_phone == "13900139000"


def test_guardian_must_be_adult():
    child = draft(id_number="370105201601011234", guardian_name="小李",
                  guardian_phone="13900139000", guardian_id_number="370105201601011234",
                  guardian_consent=True)
    with pytest.raises(FormErrors) as err:
        child.validated(today=TODAY)
    assert "年满18岁" in err.value.errors["guardian_id_number"]


def test_minimum_age_is_configurable():
    child = draft(id_number="370105201601011234")
    with pytest.raises(FormErrors) as err:
        child.validated(MinorPolicy(min_age=14), today=TODAY)
    assert "未满14岁" in err.value.errors["id_number"]


def test_passport_needs_birth_date_and_sex():
    with pytest.raises(FormErrors) as err:
        draft(id_type=IdType.PASSPORT, id_number="E12345678").validated(today=TODAY)
    assert {"birth_date", "sex"} <= set(err.value.errors)
    ok = draft(id_type=IdType.PASSPORT, id_number="e12345678", sex="女",
               birth_date=dt.date(1990, 1, 1)).validated(today=TODAY)
    assert ok.id_number == "E12345678"


def test_status_changes_need_reasons():
    check_status_change(Status.ACTIVE, Status.SUSPENDED, "长期未参加活动")
    check_status_change(Status.SUSPENDED, Status.ACTIVE, "")
    with pytest.raises(ValidationError):
        check_status_change(Status.ACTIVE, Status.WITHDRAWN, " ")
    with pytest.raises(ValidationError):
        check_status_change(Status.ACTIVE, Status.ACTIVE, "x")


def test_volunteer_numbers_are_scanner_friendly():
    assert format_volunteer_number(1234) == "V00001234"


@pytest.mark.parametrize(
    ("text", "kind"),
    [("张", SearchKind.NAME), ("zs", SearchKind.PINYIN), ("ZS", SearchKind.PINYIN),
     ("1101", SearchKind.DIGITS), ("v0000012", SearchKind.NUMBER), ("", SearchKind.NONE),
     ("11010519491231002x", SearchKind.DIGITS)],
)
def test_search_text_kinds(text, kind):
    assert parse_search(text).kind == kind


def test_age_groups_cover_ages_without_gaps():
    for group in AGE_GROUPS:
        earliest, latest = birth_range(group, TODAY)
        assert latest <= TODAY
        assert earliest is None or earliest < latest
