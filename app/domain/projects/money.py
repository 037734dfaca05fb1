"""Money: integer fen in storage, Decimal in code, ¥1,234.56 on screen, and the amount in
Chinese capitals (大写) as finance documents write it: 壹拾贰万叁仟肆佰伍拾陆元整."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from app.domain.errors import ValidationError
from app.domain.normalize import clean_text

MAX_FEN = 10**15  # ten trillion yuan: more is a typing slip
_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ("", "拾", "佰", "仟")
_GROUP_UNITS = ("", "万", "亿", "万亿")
_AMOUNT = re.compile(r"[+-]?[0-9]+(\.[0-9]{1,2})?")


def fen_to_yuan(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(Decimal("0.01"))


def yuan_to_fen(yuan: Decimal) -> int:
    return int((yuan * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def format_yuan(fen: int, symbol: bool = True) -> str:
    """¥1,234.56 (negative as -¥1,234.56)."""
    sign = "-" if fen < 0 else ""
    text = f"{fen_to_yuan(abs(fen)):,.2f}"
    return f"{sign}¥{text}" if symbol else f"{sign}{text}"


def parse_yuan(value: object, field: str = "amount", *, allow_zero: bool = True) -> int:
    """An amount typed in 元 (commas, ¥ and 元 forgiven; at most two decimals) as fen.

    Raises:
        ValidationError: with a Chinese message at `field`.
    """
    text = clean_text(value).replace(",", "").replace("¥", "").replace("￥", "")
    text = text.removesuffix("元").strip()
    if not text:
        raise ValidationError(field, "请填写金额")
    if not _AMOUNT.fullmatch(text):
        raise ValidationError(field, f"“{clean_text(value)}”不是有效金额，请填写数字，最多两位小数")
    try:
        fen = yuan_to_fen(Decimal(text))
    except InvalidOperation:
        raise ValidationError(field, "金额格式不正确") from None
    if fen < 0:
        raise ValidationError(field, "金额不能为负数")
    if fen == 0 and not allow_zero:
        raise ValidationError(field, "金额应大于0")
    if fen >= MAX_FEN:
        raise ValidationError(field, "金额过大，请核对")
    return fen


def _group(number: int) -> str:
    """0–9999 in capitals, with 零 for inner gaps ("1005" -> 壹仟零伍)."""
    out: list[str] = []
    zero = False
    for position in range(3, -1, -1):
        digit = number // 10**position % 10
        if digit == 0:
            zero = bool(out)
            continue
        if zero:
            out.append("零")
            zero = False
        out.append(_DIGITS[digit] + _SMALL_UNITS[position])
    return "".join(out)


def chinese_capitals(fen: int) -> str:
    """The amount in 大写 as on a contract or invoice.

    Examples: 0 -> 零元整; 1000 -> 壹拾元整; 12345600 -> 壹拾贰万叁仟肆佰伍拾陆元整;
    5 -> 伍分; 1010 -> 壹拾元壹角; 100000105 -> 壹佰万零壹元零伍分.
    """
    if fen < 0:
        return "负" + chinese_capitals(-fen)
    yuan, cents = divmod(fen, 100)
    jiao, fen_digit = divmod(cents, 10)
    head = ""
    if yuan:
        groups: list[int] = []
        while yuan:
            yuan, part = divmod(yuan, 10_000)
            groups.append(part)
        pieces: list[str] = []
        pending_zero = False
        for index in range(len(groups) - 1, -1, -1):
            part = groups[index]
            if part == 0:
                pending_zero = bool(pieces)
                continue
            if pieces and (pending_zero or part < 1000):
                pieces.append("零")
            pending_zero = False
            pieces.append(_group(part) + _GROUP_UNITS[index])
        head = "".join(pieces) + "元"
    if not jiao and not fen_digit:
        return (head or "零元") + "整"
    tail = ""
    if jiao:
        tail += _DIGITS[jiao] + "角"
    elif head:
        tail += "零"
    if fen_digit:
        tail += _DIGITS[fen_digit] + "分"
    return head + tail
