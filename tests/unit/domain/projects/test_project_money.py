"""Money in fen, shown as ¥1,234.56 and in Chinese capitals (大写) as finance papers write it."""

import pytest

from app.domain.errors import ValidationError
from app.domain.projects.money import chinese_capitals, format_yuan, parse_yuan


@pytest.mark.parametrize(("fen", "capitals"), [
    (0, "零元整"),
    (1_000, "壹拾元整"),
    (10_000_000, "壹拾万元整"),                  # ¥100,000
    (100_000_100, "壹佰万零壹元整"),              # ¥1,000,001
    (5, "伍分"),                                 # ¥0.05
    (1_010, "壹拾元壹角"),                        # ¥10.10
    (12_345_600, "壹拾贰万叁仟肆佰伍拾陆元整"),
    (10_500, "壹佰零伍元整"),                      # a zero inside a group
    (10_050_000, "壹拾万零伍佰元整"),              # a zero between groups
    (100_000_105, "壹佰万零壹元零伍分"),           # no 角 before 分
    (10_001_000_000, "壹亿零壹万元整"),
    (100_000_000_100, "壹拾亿零壹元整"),
    (123_456_789_012, "壹拾贰亿叁仟肆佰伍拾陆万柒仟捌佰玖拾元壹角贰分"),
])
def test_chinese_capitals(fen, capitals):
    assert chinese_capitals(fen) == capitals


def test_format_and_parse():
    assert format_yuan(123_456) == "¥1,234.56"
    assert format_yuan(-5) == "-¥0.05"
    assert parse_yuan("¥1,234.5") == 123_450
    assert parse_yuan("1234.56元") == 123_456
    refusals = (("12.345", "最多两位小数"), ("-3", "不能为负数"), ("3,4a", "不是有效金额"),
                ("", "请填写"))
    for bad, fragment in refusals:
        with pytest.raises(ValidationError, match=fragment):
            parse_yuan(bad)
