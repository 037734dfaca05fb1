"""Mainland mobile numbers: one pattern, no carrier-prefix lists (they go stale)."""

from __future__ import annotations

import re

from app.domain.errors import ValidationError
from app.domain.normalize import clean_text, foreign_digit

_MOBILE = re.compile(r"(?:(?:\+|00)86)?(1[3-9][0-9]{9})")
_SEPARATORS = re.compile(r"[\s\-()（）.]")


def normalize_phone(value: object, field: str = "phone") -> str:
    """Return the 11-digit mobile number; separators and a +86/0086 prefix are dropped.

    Raises:
        ValidationError: when what remains is not a mainland mobile number.
    """
    foreign = foreign_digit(value)
    if foreign is not None:
        raise ValidationError(field, f"手机号码只能包含数字0–9（“{foreign}”不是）")
    raw = clean_text(value)
    if not raw:
        raise ValidationError(field, "请填写手机号码")
    if re.fullmatch(r"[0-9]+\.0", raw):  # a number cell read as float
        raw = raw[:-2]
    compact = _SEPARATORS.sub("", raw)
    match = _MOBILE.fullmatch(compact)
    if match:
        return match.group(1)
    digits = re.sub(r"[^0-9]", "", compact)
    if 7 <= len(digits) <= 8 and not digits.startswith("1"):
        raise ValidationError(field, f"“{raw}”像是座机号码且缺少区号，请填写11位手机号码")
    raise ValidationError(field, f"“{raw}”不是有效的手机号码（应为1开头的11位数字）")


def mask_phone(number: str) -> str:
    """138****8000."""
    if len(number) < 7:
        return number
    return number[:3] + "*" * (len(number) - 7) + number[-4:]
