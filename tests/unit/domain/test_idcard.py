import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.errors import ValidationError
from app.domain.idcard import (
    check_character,
    mask_id_number,
    parse_id_number,
    place_of_issue,
    province_of,
)

TODAY = dt.date(2026, 11, 23)


@pytest.mark.parametrize(
    ("number", "birth", "sex"),
    [
        ("11010519491231002X", dt.date(1949, 12, 31), "F"),
        ("440524188001010014", dt.date(1880, 1, 1), "M"),
        ("11010519491231002x", dt.date(1949, 12, 31), "F"),  # lower-case x is read as X
        ("１１０１０５１９４９１２３１００２Ｘ", dt.date(1949, 12, 31), "F"),  # full-width
        (" 110105 19491231 002X ", dt.date(1949, 12, 31), "F"),
    ],
)
def test_valid_numbers_give_birth_date_and_sex(number, birth, sex):
    info = parse_id_number(number, TODAY)
    assert info.number == "11010519491231002X" or info.number == "440524188001010014"
    assert info.birth_date == birth
    assert info.sex == sex


@pytest.mark.parametrize(
    ("number", "fragment"),
    [
        ("", "请填写"),
        ("11010519491231002", "18位"),
        ("110105194912310021", "校验位"),
        ("11010519491332002X", "不是有效日期"),
        ("110105203012310029", "不合理"),  # born in the future
        ("1.10105E+17", "存成了数字"),
        ("110105491231002", "15位"),
        ("11010519491231A02X", "前17位"),
    ],
)
def test_invalid_numbers_say_why_in_chinese(number, fragment):
    with pytest.raises(ValidationError) as err:
        parse_id_number(number, TODAY)
    assert fragment in err.value.message
    assert err.value.field == "id_number"


def test_mask_keeps_area_and_last_four():
    assert mask_id_number("11010519491231002X") == "110105********002X"


@given(st.integers(min_value=0, max_value=10**17 - 1), st.integers(0, 16), st.integers(1, 9))
def test_changing_one_digit_breaks_the_check(first, position, delta):
    """The GB 11643 check character catches every single-digit error."""
    first17 = f"{first:017d}"
    number = first17 + check_character(first17)
    digit = (int(number[position]) + delta) % 10
    mutated = number[:position] + str(digit) + number[position + 1:]
    assert check_character(mutated[:17]) != mutated[17]


def test_an_unknown_province_is_refused_and_the_place_of_issue_is_known():
    """python-stdnum's region table: 99 is no province; 440524 was 潮阳县 in 1983–1993."""
    with pytest.raises(ValidationError, match="不是省级行政区划代码"):
        parse_id_number("990426199112010074", TODAY)
    assert province_of("11010519491231002X") == "北京市"
    assert place_of_issue("11010519491231002X") == "北京市 朝阳区"
    assert place_of_issue("440524198801010011").startswith("广东省")
