"""Text clean-up shared by forms and imports: full-width forms, stray spaces."""

from __future__ import annotations

import unicodedata


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
