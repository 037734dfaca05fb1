"""居民身份证号码 per GB 11643-1999: structure, check character, birth date and sex."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from stdnum import numdb

from app.domain.errors import ValidationError
from app.domain.normalize import clean_text, foreign_digit

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_SHAPE = re.compile(r"[0-9]{17}[0-9X]")
_SCIENTIFIC = re.compile(r"[0-9](\.[0-9]+)?E\+[0-9]+")


@dataclass(frozen=True, slots=True)
class IdCardInfo:
    """What an ID number tells: the normalised number, birth date, sex and area code."""

    number: str
    birth_date: dt.date
    sex: str  # "M" or "F"
    area_code: str


def check_character(first17: str) -> str:
    """The 18th character for the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


def normalize_id_number(value: object) -> str:
    """Upper-case, full-width digits folded, spaces removed."""
    return clean_text(value).replace(" ", "").upper()


def parse_id_number(value: object, today: dt.date | None = None,
                    field: str = "id_number") -> IdCardInfo:
    """Validate an 18-digit resident ID number and return what it encodes.

    Raises:
        ValidationError: with a Chinese message naming the first problem found.
    """
    foreign = foreign_digit(value)
    if foreign is not None:
        raise ValidationError(field, f"身份证号码只能包含数字0–9和X（“{foreign}”不是）")
    number = normalize_id_number(value)
    today = today or dt.date.today()
    if not number:
        raise ValidationError(field, "请填写身份证号码")
    if _SCIENTIFIC.fullmatch(number):
        raise ValidationError(
            field, f"身份证号码被存成了数字，后几位已丢失（{number}），请把该列设为文本后重新填写")
    if len(number) == 15 and number.isascii() and number.isdigit():
        raise ValidationError(field, "这是15位旧身份证号码，请填写18位号码")
    if len(number) != 18:
        raise ValidationError(field, f"身份证号码应为18位，现在是{len(number)}位")
    if not _SHAPE.fullmatch(number):
        raise ValidationError(field, "身份证号码前17位应为数字，最后一位为数字或X")
    if province_of(number) is None:
        raise ValidationError(
            field, f"身份证号码前两位“{number[:2]}”不是省级行政区划代码，请核对号码是否抄错")
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(field, f"身份证号码中的出生日期{number[6:14]}不是有效日期") from None
    if birth > today or birth.year < 1800:
        raise ValidationError(field, f"身份证号码中的出生日期{birth.isoformat()}不合理")
    expected = check_character(number[:17])
    if number[17] != expected:
        raise ValidationError(field, "身份证号码校验位不正确，请核对号码是否抄错")
    sex = "M" if int(number[16]) % 2 == 1 else "F"
    return IdCardInfo(number=number, birth_date=birth, sex=sex, area_code=number[:6])


def _places(code: str) -> dict[str, str]:
    """python-stdnum's table of China's region codes, with their history."""
    return {k: v for _part, props in numdb.get("cn/loc").info(code) for k, v in props.items()}


def province_of(number: str) -> str | None:
    """The province (省级行政区) a resident ID number was issued in, or None if unknown."""
    return _places(number[:2]).get("province")


def place_of_issue(number: str) -> str:
    """Province and county of issue as the code meant in the holder's birth year
    ("广东省 潮阳县"); the county is left out when the code is not in the table (new codes)."""
    places = _places(number[:6])
    province = places.get("province", "")
    year = int(number[6:10]) if number[6:10].isascii() and number[6:10].isdigit() else 0
    county = ""
    for name in places.get("county", "").split(","):
        if not name.startswith("["):
            county = county or name
            continue
        span, _, label = name[1:].partition("]")
        start, _, end = span.partition("-")
        if (not start or year >= int(start)) and (not end or year <= int(end)):
            county = label
            break
        county = county or label
    if county and county != province:
        return f"{province} {county}".strip()
    return province


def mask_id_number(number: str) -> str:
    """110105********002X: area code and last four kept, the rest hidden."""
    if len(number) <= 10:
        return number[:2] + "*" * max(len(number) - 4, 0) + number[-2:]
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def age_on(birth: dt.date, day: dt.date) -> int:
    """Completed years of age on `day`."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
