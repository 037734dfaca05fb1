"""What the one search box means: the kind of text decides which index answers it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from app.domain.normalize import clean_text, contains_cjk
from app.domain.volunteer import format_volunteer_number, looks_like_volunteer_number


class SearchKind(StrEnum):
    NONE = "none"
    NAME = "name"              # Chinese characters: a fragment of the name
    PINYIN = "pinyin"          # Latin letters: initials ("zs") or full pinyin prefix ("zhangs")
    DIGITS = "digits"          # digits: ID-number or phone prefix or tail, volunteer number
    NUMBER = "number"          # V00001234: a volunteer number (prefix)


@dataclass(frozen=True, slots=True)
class SearchTerm:
    kind: SearchKind
    text: str
    number: str | None = None  # the volunteer number that plain digits would denote

    @property
    def tail(self) -> str | None:
        """The reversed text when it may be the end of a phone or ID number (尾号: the list
        masks all but the last four), else None. Matched against the reversed columns."""
        if self.kind is not SearchKind.DIGITS or len(self.text) < TAIL_MIN:
            return None
        return reversed_key(self.text)


TAIL_MIN = 4  # fewer digits would match a tenth of the register per digit dropped

_DIGITS = re.compile(r"[0-9]+X?")
_LETTERS = re.compile(r"^[a-z]+$")


def parse_search(raw: str) -> SearchTerm:
    text = clean_text(raw).replace(" ", "")
    if not text:
        return SearchTerm(SearchKind.NONE, "")
    if contains_cjk(text):
        return SearchTerm(SearchKind.NAME, text)
    upper = text.upper()
    if upper.startswith("V") and upper[1:].isascii() and upper[1:].isdigit():
        full = upper if looks_like_volunteer_number(upper) else None
        return SearchTerm(SearchKind.NUMBER, upper, full)
    if _DIGITS.fullmatch(upper):
        short = upper.isdigit() and len(upper) <= 8
        number = format_volunteer_number(int(upper)) if short else None
        return SearchTerm(SearchKind.DIGITS, upper, number)
    if _LETTERS.match(text.lower()):
        return SearchTerm(SearchKind.PINYIN, text.lower())
    return SearchTerm(SearchKind.NAME, text)


def prefix_upper_bound(prefix: str) -> str:
    """The smallest string greater than every string starting with `prefix`, so a prefix
    search is an index range `>= prefix AND < bound` on any backend and collation."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def reversed_key(value: str) -> str:
    """A phone or ID number written backwards, as stored beside it for tail searches."""
    return value[::-1]
