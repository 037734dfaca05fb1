"""Search keys for Chinese names: pinyin initials ("zs" finds 张三) and full pinyin for sorting."""

from __future__ import annotations

from collections.abc import Iterable

# pypinyin is imported inside the functions: loading its dictionaries takes ~0.7 s, which the
# window's start-up would pay for (home page → projects → pinyin) before anyone searches.

# Surnames whose reading differs from the character's common reading.
_SURNAME_READINGS = {
    "曾": "zeng", "单": "shan", "解": "xie", "查": "zha", "仇": "qiu", "朴": "piao",
    "区": "ou", "覃": "qin", "尉": "yu", "乐": "yue", "葛": "ge", "缪": "miao", "盖": "ge",
    "翟": "zhai", "祭": "zhai", "种": "chong", "员": "yun", "冼": "xian", "秘": "bi",
}


def name_pinyin(name: str) -> list[str]:
    from pypinyin import Style, lazy_pinyin

    syllables = lazy_pinyin(name, style=Style.NORMAL, errors="default")
    if name and name[0] in _SURNAME_READINGS and syllables:
        syllables[0] = _SURNAME_READINGS[name[0]]
    return [s.lower() for s in syllables]


def name_keys(name: str) -> tuple[str, str]:
    """(initials, full) — e.g. 张三 -> ("zs", "zhang san")."""
    syllables = name_pinyin(name)
    initials = "".join(s[0] for s in syllables if s)
    return initials, " ".join(syllables)


def name_grams(name: str) -> set[str]:
    """Every 1- and 2-character piece of a name: the index a fragment search looks up.

    Names are short (2–4 characters, up to ~10 for minority names), so a handful of
    rows per person keeps any fragment search an index lookup instead of a table scan.
    """
    grams = {name[i:i + n] for n in (1, 2) for i in range(len(name) - n + 1)}
    return {g for g in grams if g.strip()}


def pinyin_order(values: Iterable[str]) -> list[str]:
    """Chinese place and organization names as staff expect a list: by pinyin (安贞 before
    北苑), not by code point; blanks and duplicates dropped."""
    from pypinyin import lazy_pinyin

    return sorted({v for v in values if v}, key=lambda v: (lazy_pinyin(v), v))
