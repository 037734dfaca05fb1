"""Text clean-up shared by forms and imports: full-width forms, stray spaces."""

from __future__ import annotations

import re
import unicodedata

# C0 and C1 controls except tab and line breaks (multi-line fields keep those).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean_text(value: object) -> str:
    """Return `value` as a stripped string with full-width ASCII folded (NFKC) and
    inner runs of whitespace (including the ideographic space) reduced to one."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    return " ".join(text.split())


def clean_name(value: object) -> str:
    """Names keep no inner spaces between Chinese characters ("张 三" -> "张三")."""
    text = clean_text(value)
    if all(_is_cjk(ch) or ch == " " for ch in text):
        text = text.replace(" ", "")
    return text


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def contains_cjk(text: str) -> bool:
    return any(_is_cjk(ch) for ch in text)


def text_problem(text: str, label: str, limit: int) -> str | None:
    """Why free text cannot be stored, in Chinese, or None.

    A control character is refused: a NUL cannot be stored in PostgreSQL text, and the
    others are invisible on screen and on paper. More than `limit` characters (the column's
    width) is refused rather than cut, so nothing typed is lost silently.
    """
    control = _CONTROL.search(text)
    if control:
        return f"{label}含有不可见的控制字符（U+{ord(control.group()):04X}），请删除后重新填写"
    if len(text) > limit:
        return f"{label}过长（{len(text)}个字），不能超过{limit}个字"
    return None


def foreign_digit(value: object) -> str | None:
    """The first digit of another script in `value` (Devanagari १, Arabic-Indic ٣, Thai ๓),
    or None.

    Full-width digits (from Chinese input methods) and compatibility forms (①, ²) are folded
    to ASCII by NFKC in `clean_text`. Digits of other scripts are not, yet `\\d` and `int()`
    accept them: an ID or phone kept as typed would escape the unique index that finds the
    same person typed in ASCII, so ID and phone fields refuse them.
    """
    if value is None or type(value) is not str or value.isascii():
        return None
    text = unicodedata.normalize("NFKC", value)
    return next((ch for ch in text if ch.isdigit() and not "0" <= ch <= "9"), None)
