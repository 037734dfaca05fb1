import pytest

from app.domain.errors import ValidationError
from app.domain.phone import mask_phone, normalize_phone


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13800138000", "13800138000"),
        ("138-0013-8000", "13800138000"),
        ("+86 18211083948", "18211083948"),
        ("008613800138000", "13800138000"),
        ("１３８００１３８０００", "13800138000"),
        ("13800138000.0", "13800138000"),  # a number cell read as float
        ("(138) 0013 8000", "13800138000"),
    ],
)
def test_accepted_forms(raw, expected):
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("", "请填写"),
        ("8825431", "座机"),
        ("12800138000", "不是有效的手机号码"),
        ("1380013800", "不是有效的手机号码"),
        ("+1 13800138000", "不是有效的手机号码"),
    ],
)
def test_refused_forms(raw, fragment):
    with pytest.raises(ValidationError) as err:
        normalize_phone(raw)
    assert fragment in err.value.message


def test_mask():
    assert mask_phone("13800138000") == "138****8000"
