"""The volunteer list's SQL: filters, search and ordering all run in the database, so the
list stays fast at a million rows (a Python-side sort of that many rows takes seconds)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import peewee as pw

from app.domain.pinyin import name_grams
from app.domain.search import SearchKind, SearchTerm, parse_search, prefix_upper_bound
from app.domain.volunteer import AGE_GROUPS, birth_range
from app.store.models import Volunteer, VolunteerNameGram


class SortKey(StrEnum):
    NUMBER = "number"
    NAME = "name"
    SEX = "sex"
    AGE = "age"
    STREET = "street"
    COMMUNITY = "community"
    REGISTERED = "registered"
    STATUS = "status"


_SORT_COLUMNS: dict[SortKey, tuple[pw.Field, ...]] = {
    SortKey.NUMBER: (Volunteer.number,),
    SortKey.NAME: (Volunteer.name_pinyin,),
    SortKey.SEX: (Volunteer.sex,),
    SortKey.AGE: (Volunteer.birth_date,),
    SortKey.STREET: (Volunteer.street, Volunteer.community),
    SortKey.COMMUNITY: (Volunteer.community,),
    SortKey.REGISTERED: (Volunteer.registered_on,),
    SortKey.STATUS: (Volunteer.status,),
}


@dataclass(frozen=True, slots=True)
class VolunteerFilter:
    """Everything the list can be narrowed and ordered by."""

    text: str = ""
    statuses: tuple[str, ...] = ()
    street: str = ""
    community: str = ""
    age_group: str = ""
    sort: SortKey = SortKey.NUMBER
    descending: bool = False


LIST_COLUMNS = (
    Volunteer.id, Volunteer.number, Volunteer.name, Volunteer.sex, Volunteer.birth_date,
    Volunteer.id_type, Volunteer.id_number, Volunteer.phone, Volunteer.street,
    Volunteer.community, Volunteer.registered_on, Volunteer.status,
)


def _search_condition(term: SearchTerm) -> pw.Expression | None:
    v = Volunteer
    if term.kind is SearchKind.NONE:
        return None
    if term.kind is SearchKind.NAME:
        grams = name_grams(term.text)
        key = term.text[:2] if len(term.text) >= 2 else term.text
        if key not in grams:
            key = max(grams, key=len) if grams else term.text
        ids = VolunteerNameGram.select(VolunteerNameGram.volunteer).where(
            VolunteerNameGram.gram == key)
        cond = v.id.in_(ids)
        if len(term.text) > 2:
            cond &= v.name.contains(term.text)
        return cond
    if term.kind is SearchKind.PINYIN:
        bound = prefix_upper_bound(term.text)
        return (((v.name_initials >= term.text) & (v.name_initials < bound))
                | ((v.name_pinyin >= term.text) & (v.name_pinyin < bound)))
    bound = prefix_upper_bound(term.text)
    if term.kind is SearchKind.NUMBER:
        return (v.number >= term.text) & (v.number < bound)
    cond = (v.id_number >= term.text) & (v.id_number < bound)
    if term.text.isdigit() and term.text.startswith("1") and len(term.text) <= 11:
        cond |= (v.phone >= term.text) & (v.phone < bound)
    if term.number:
        cond |= v.number == term.number
    return cond


def where_clause(flt: VolunteerFilter, today: dt.date | None = None) -> pw.Expression | None:
    v = Volunteer
    conds: list[pw.Expression] = []
    search = _search_condition(parse_search(flt.text))
    if search is not None:
        conds.append(search)
    if flt.statuses:
        conds.append(v.status.in_(list(flt.statuses)))
    if flt.street:
        conds.append(v.street == flt.street)
    if flt.community:
        conds.append(v.community == flt.community)
    if flt.age_group:
        group = next(g for g in AGE_GROUPS if g.key == flt.age_group)
        earliest, latest = birth_range(group, today or dt.date.today())
        conds.append(v.birth_date <= latest)
        if earliest is not None:
            conds.append(v.birth_date > earliest)
    if not conds:
        return None
    cond = conds[0]
    for extra in conds[1:]:
        cond &= extra
    return cond


def _apply(query: pw.Select, flt: VolunteerFilter, today: dt.date | None) -> pw.Select:
    cond = where_clause(flt, today)
    return query if cond is None else query.where(cond)


def count(flt: VolunteerFilter, today: dt.date | None = None) -> int:
    return int(_apply(Volunteer.select(pw.fn.COUNT(Volunteer.id)), flt, today).scalar() or 0)


def ordering(flt: VolunteerFilter) -> list[pw.Ordering]:
    cols = [*_SORT_COLUMNS[flt.sort], Volunteer.id]
    # Age ascending means the youngest first: the latest birth date first.
    desc = flt.descending != (flt.sort is SortKey.AGE)
    return [c.desc() if desc else c.asc() for c in cols]


def page(flt: VolunteerFilter, offset: int, limit: int,
         columns: Sequence[pw.Field] = LIST_COLUMNS,
         today: dt.date | None = None) -> list[tuple]:
    """Rows `offset`..`offset+limit` of the filtered, ordered list, as tuples of `columns`."""
    query = _apply(Volunteer.select(*columns), flt, today)
    query = query.order_by(*ordering(flt)).limit(limit).offset(offset)
    return list(query.tuples())


def ids(flt: VolunteerFilter, today: dt.date | None = None) -> list[int]:
    query = _apply(Volunteer.select(Volunteer.id), flt, today).order_by(*ordering(flt))
    return [row[0] for row in query.tuples()]
