from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import uscc as stdnum_uscc

from app.domain.errors import ValidationError
from app.domain.orgs.kinds import OrgKind
from app.domain.orgs.uscc import (
    ALPHABET,
    CHECK_CHARACTER,
    ORGANIZATION_CODE,
    UsccCheckError,
    check_character,
    is_valid_uscc,
    kind_mismatch,
    normalize_uscc,
    organization_check_character,
    parse_uscc,
)

VALID = ("51420000MJH200395N", "52420000MJH233402K", "53420000MJH2448303")
REAL = tuple(
    line.strip()
    for line in (Path(__file__).with_name("real_uscc.txt")).read_text("utf-8").splitlines()
    if line.strip() and not line.startswith("#"))


def test_alphabet_is_stdnums():
    assert stdnum_uscc._alphabet == ALPHABET
    assert not set("IOZSV") & set(ALPHABET)


@pytest.mark.parametrize("code", VALID)
def test_domain_examples_are_valid(code):
    info = parse_uscc(code)
    assert info.code == code
    assert info.department == "民政"
    assert info.is_civil_affairs
    assert info.area_code == "420000"
    assert info.area_name == "湖北省"
    assert info.organization_code == code[8:17]
    assert info.check_failures == ()


def test_decoded_kinds():
    assert [parse_uscc(c).kind for c in VALID] == ["社会团体", "民办非企业单位", "基金会"]
    assert [parse_uscc(c).kind_code for c in VALID] == ["1", "2", "3"]
    assert parse_uscc(VALID[0]).organization_code_display == "MJH20039-5"


def test_real_sample_is_large_enough():
    assert len(REAL) >= 50
    assert len(set(REAL)) == len(REAL)


@pytest.mark.parametrize("code", REAL)
def test_real_codes_pass_both_checks(code):
    info = parse_uscc(code)
    assert organization_check_character(code[8:16]) == code[16]
    assert check_character(code[:17]) == code[17]
    assert info.check_failures == ()


def test_real_codes_decode_department():
    assert parse_uscc("91340602MA2UJY0D0T").department == "市场监管"
    assert parse_uscc("91340602MA2UJY0D0T").kind == "企业"
    assert parse_uscc("92340603MA2PBMCG0U").kind == "个体工商户"
    assert parse_uscc("121200004013590816").kind == "事业单位"
    assert parse_uscc("91110000600037341L").area_name == "北京市"


@pytest.mark.parametrize(
    "raw",
    [
        "５１４２００００ＭＪＨ２００３９５Ｎ",  # full-width
        " 51420000 MJH200395N ",
        "51 420000 MJH20039 5N",
        "51420000mjh200395n",  # lower case
        "51420000-MJH200395-N",
        "５１４２００００　ＭＪＨ２００３９５ｎ",  # ideographic space, full-width lower case
    ],
)
def test_input_is_normalised(raw):
    assert normalize_uscc(raw) == "51420000MJH200395N"
    assert parse_uscc(raw).code == "51420000MJH200395N"


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("", "请填写"),
        (None, "请填写"),
        ("51420000MJH200395", "应为18位，现在是17位"),
        ("51420000MJH200395NN", "应为18位，现在是19位"),
        ("51420000MJH2003#5N", "第16位“#”不是允许的字符"),
        ("5142A000MJH200395N", "第3–8位应为行政区划代码"),
    ],
)
def test_structural_errors(raw, fragment):
    with pytest.raises(ValidationError) as err:
        parse_uscc(raw, field="code")
    assert fragment in err.value.message
    assert err.value.field == "code"
    assert not isinstance(err.value, UsccCheckError)


@pytest.mark.parametrize("letter", list("IOZSV"))
@pytest.mark.parametrize("position", [1, 2, 9, 12, 17, 18])
def test_refused_letters_named_with_position(letter, position):
    code = VALID[0]
    bad = code[:position - 1] + letter + code[position:]
    with pytest.raises(ValidationError) as err:
        parse_uscc(bad)
    assert f"第{position}位是字母{letter}" in err.value.message
    assert "I、O、Z、S、V" in err.value.message


def test_lower_case_refused_letter_is_named_upper_case():
    with pytest.raises(ValidationError, match="第11位是字母O"):
        parse_uscc("51420000MJo200395N")


def test_wrong_check_character_names_expected():
    with pytest.raises(UsccCheckError) as err:
        parse_uscc("51420000MJH200395M")
    assert "第18位校验码不符，应为N" in err.value.message
    assert err.value.failed == (CHECK_CHARACTER,)
    assert err.value.expected == {18: "N"}
    assert isinstance(err.value, ValidationError)
    assert err.value.field == "credit_code"


def test_wrong_organization_code_check_is_reported_first():
    # position 17 changed and the 18th recomputed: only the organization code fails
    first17 = "51420000MJH200396"
    code = first17 + check_character(first17)
    with pytest.raises(UsccCheckError) as err:
        parse_uscc(code)
    assert err.value.failed == (ORGANIZATION_CODE,)
    assert "第9–17位组织机构代码校验位不符" in err.value.message
    assert "应为5" in err.value.message
    assert "第18位" not in err.value.message


def test_both_checks_failing_do_not_suggest_an_18th_character():
    with pytest.raises(UsccCheckError) as err:
        parse_uscc("51420000MJH200396N")
    assert err.value.failed == (ORGANIZATION_CODE, CHECK_CHARACTER)
    assert "第9–17位组织机构代码校验位不符" in err.value.message
    assert "第18位校验码也不符" in err.value.message
    assert "应为R" not in err.value.message  # computed from a mistyped body: no use


def test_check_failure_can_be_accepted_for_a_recorded_override():
    info = parse_uscc("51420000MJH200395M", accept_check_failure=True)
    assert info.code == "51420000MJH200395M"
    assert info.check_failures == ("统一社会信用代码第18位校验码不符，应为N",)
    # structural problems are never accepted
    with pytest.raises(ValidationError):
        parse_uscc("51420000MJH20039", accept_check_failure=True)


def test_stdnum_and_domain_agree_on_the_18th_character():
    for code in REAL:
        assert stdnum_uscc.calc_check_digit(code[:17]) == check_character(code[:17])


def test_letters_allowed_in_positions_one_and_two():
    # GB 32100 departments A, N, Y; stdnum's validate would refuse these
    first17 = "N2440300MJH200395"
    code = first17 + check_character(first17)
    info = parse_uscc(code)
    assert info.department == "农业"
    assert info.kind is None


def test_is_valid():
    assert is_valid_uscc(VALID[0])
    assert not is_valid_uscc("51420000MJH200395M")
    assert not is_valid_uscc("abc")


@st.composite
def single_change(draw):
    code = draw(st.sampled_from(VALID + REAL))
    position = draw(st.integers(0, 17))
    replacement = draw(st.sampled_from(ALPHABET).filter(lambda ch: ch != code[position]))
    return code[:position] + replacement + code[position + 1:]


@given(single_change())
def test_any_single_character_change_is_refused(code):
    with pytest.raises(ValidationError):
        parse_uscc(code)


@given(st.sampled_from(VALID + REAL), st.integers(0, 16))
def test_any_adjacent_swap_is_refused(code, position):
    swapped = code[:position] + code[position + 1] + code[position] + code[position + 2:]
    if swapped != code:
        assert not is_valid_uscc(swapped)


@given(st.text(alphabet=ALPHABET, min_size=17, max_size=17))
def test_computed_check_character_always_passes_when_organization_code_does(first17):
    if not first17[2:8].isdigit():
        return
    body = first17[:16] + organization_check_character(first17[8:16])
    code = body + check_character(body)
    assert parse_uscc(code).code == code


def test_kind_mismatch_warnings():
    social, pne, foundation = (parse_uscc(c) for c in VALID)
    assert kind_mismatch(social, OrgKind.SOCIAL_GROUP) is None
    assert kind_mismatch(pne, OrgKind.PRIVATE_NON_ENTERPRISE) is None
    assert kind_mismatch(foundation, OrgKind.FOUNDATION) is None
    warning = kind_mismatch(pne, OrgKind.FOUNDATION)
    assert warning is not None
    assert "第2位为2" in warning
    assert "应为3" in warning
    company = parse_uscc("91340602MA2UJY0D0T")
    warning = kind_mismatch(company, OrgKind.SOCIAL_GROUP)
    assert warning is not None
    assert "第1位应为5" in warning
