"""What the tests of the English renderings share: a check that no Chinese is left once the
user's own data is taken out (the `english` fixture is in this folder's conftest)."""

from __future__ import annotations

import re

from app.ui.common.service_text import shown

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")


def english_of(message: str, *typed: str) -> str:
    """`message` in English; fails if CJK is left once the user's own data is taken out."""
    out = shown(message)
    rest = out
    for value in sorted(typed, key=len, reverse=True):
        rest = rest.replace(value, "")
    assert not CJK.search(rest), f"{message!r} -> {out!r}"
    return out
