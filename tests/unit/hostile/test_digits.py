"""Digits that are not ASCII in ID numbers, phones and credit codes.

Chinese input methods type full-width digits (１１０１…) and letters (Ｘ): those are folded to
ASCII, so the stored number is the one the unique index knows. Digits of other scripts
(Devanagari १, Arabic-Indic ٣ …) are accepted by `\\d` and `int()` — before this was fixed
they were stored as typed and the same person could be registered twice. They are refused
with a Chinese reason, and the register holds one person after every form has been tried.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain.errors import DuplicateError, FormErrors, ValidationError
from app.domain.idcard import check_character, parse_id_number
from app.domain.orgs.uscc import check_character as uscc_check
from app.domain.orgs.uscc import organization_check_character, parse_uscc
from app.domain.phone import normalize_phone
from app.domain.volunteer import VolunteerDraft
from app.services.volunteers import registration
from app.store.models import Volunteer

TODAY = dt.date(2026, 11, 30)
AREAS = ("110105", "310104", "440106", "510107", "420102", "370102")
# Zero of each script: Arabic-Indic, Extended Arabic-Indic, Devanagari, Bengali, Thai,
# Tibetan, Myanmar, Khmer, Mongolian.
FOREIGN_ZEROS = (0x0660, 0x06F0, 0x0966, 0x09E6, 0x0E50, 0x0F20, 0x1040, 0x17E0, 0x1810)
EXAMPLES = 300
REGISTER_EXAMPLES = 15


@st.composite
def id_numbers(draw: st.DrawFn) -> str:
    """A valid resident ID number of an adult."""
    area = draw(st.sampled_from(AREAS))
    birth = draw(st.dates(dt.date(1930, 1, 1), dt.date(2000, 12, 31)))
    first17 = f"{area}{birth:%Y%m%d}{draw(st.integers(0, 999)):03d}"
    return first17 + check_character(first17)


def full_width(text: str, lower_x: bool = False) -> str:
    """Digits and letters as a Chinese IME types them (Ｘ, or ｘ)."""
    out = []
    for ch in text:
        if ch.isdigit() or ch.isupper():
            typed = ch.lower() if lower_x and ch == "X" else ch
            out.append(chr(ord(typed) + 0xFEE0))
        else:
            out.append(ch)
    return "".join(out)


def in_script(text: str, zero: int, position: int | None) -> str:
    """Every digit (or only the one at `position`) in the script whose zero is `zero`."""
    return "".join(chr(zero + int(ch)) if ch.isdigit() and (position is None or i == position)
                   else ch for i, ch in enumerate(text))


foreign = st.tuples(st.sampled_from(FOREIGN_ZEROS), st.one_of(st.none(), st.integers(0, 16)))


@settings(max_examples=EXAMPLES, derandomize=True, deadline=None)
@given(id_numbers(), st.booleans(), foreign)
def test_an_id_number_full_width_is_the_same_number_and_other_scripts_are_refused(
        number, lower_x, script):
    assert parse_id_number(number, TODAY).number == number
    assert parse_id_number(full_width(number, lower_x), TODAY).number == number
    assert parse_id_number(f" {number[:6]} {number[6:]} ", TODAY).number == number
    zero, position = script
    with pytest.raises(ValidationError) as refused:
        parse_id_number(in_script(number, zero, position), TODAY)
    assert refused.value.message.startswith("身份证号码只能包含数字0–9和X")


def test_a_devanagari_id_number_was_accepted_as_typed_before_the_fix():
    """The case that slipped through: \\d matched it and int() read the check digits."""
    number = "11010519491231002X"
    with pytest.raises(ValidationError, match="只能包含数字0–9和X（“१”不是）"):
        parse_id_number(in_script(number, 0x0966, None), TODAY)


mobiles = st.builds(lambda second, rest: f"1{second}{rest:09d}",
                    st.sampled_from("3456789"), st.integers(0, 10**9 - 1))


@settings(max_examples=EXAMPLES, derandomize=True, deadline=None)
@given(mobiles, foreign)
def test_a_phone_full_width_is_the_same_number_and_other_scripts_are_refused(phone, script):
    assert normalize_phone(full_width(phone)) == phone
    assert normalize_phone(f"+86 {phone[:3]}-{phone[3:7]} {phone[7:]}") == phone
    zero, position = script
    with pytest.raises(ValidationError, match="手机号码只能包含数字0–9"):
        normalize_phone(in_script(phone, zero, None if position is None else position % 11))


@st.composite
def credit_codes(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from("1239"))
    body = f"MJH{draw(st.integers(0, 99999)):05d}"
    first17 = f"5{kind}{draw(st.sampled_from(AREAS))}{body}{organization_check_character(body)}"
    return first17 + uscc_check(first17)


@settings(max_examples=EXAMPLES, derandomize=True, deadline=None)
@given(credit_codes(), foreign)
def test_a_credit_code_full_width_is_the_same_code_and_other_scripts_are_refused(code, script):
    assert parse_uscc(full_width(code)).code == code
    assert parse_uscc(full_width(code).lower()).code == code  # ｍｊｈ typed in lower case
    zero, position = script
    digits = [i for i, ch in enumerate(code) if ch.isdigit()]
    where = None if position is None else digits[position % len(digits)]
    with pytest.raises(ValidationError, match="统一社会信用代码只能包含数字0–9和大写字母"):
        parse_uscc(in_script(code, zero, where))


@settings(max_examples=REGISTER_EXAMPLES, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(id_numbers(), foreign)
def test_the_register_holds_one_person_after_every_form_of_the_number(register, number,
                                                                        script):
    """ASCII, then full-width (a duplicate of the same person), then another script
    (refused as a form error): one row, stored in ASCII."""
    def draft(id_number: str, phone: str = "13800138000") -> VolunteerDraft:
        return VolunteerDraft(name="张三", id_number=id_number, phone=phone)

    if not Volunteer.select().where(Volunteer.id_number == number).exists():
        registration.register(draft(number))
    with pytest.raises(DuplicateError):
        registration.register(draft(full_width(number)))
    zero, position = script
    with pytest.raises(FormErrors) as refused:
        registration.register(draft(in_script(number, zero, position)))
    assert "只能包含数字0–9和X" in refused.value.errors["id_number"]
    with pytest.raises(FormErrors) as refused:
        registration.register(draft(number, phone=in_script("13800138000", zero, None)))
    assert "只能包含数字0–9" in refused.value.errors["phone"]
    assert Volunteer.select().where(Volunteer.id_number == number).count() == 1
    assert all(r.id_number.isascii() for r in Volunteer.select(Volunteer.id_number))


def test_case_counts_are_reported(capsys):
    """The number of cases each run tries (docs/TESTING.md, "Hostile input")."""
    with capsys.disabled():
        print(f"\nhostile digits: {EXAMPLES} ID numbers, {EXAMPLES} phones, {EXAMPLES} credit "
              f"codes, {REGISTER_EXAMPLES} register round trips per backend")
