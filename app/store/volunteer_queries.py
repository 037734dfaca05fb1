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
from app.store.db import is_sqlite
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
    HOURS = "hours"      # approved minutes; the star level sorts the same way
    POINTS = "points"


_SORT_COLUMNS: dict[SortKey, tuple[pw.Field, ...]] = {
    SortKey.NUMBER: (Volunteer.number,),
    SortKey.NAME: (Volunteer.name_pinyin,),
    SortKey.SEX: (Volunteer.sex,),
    SortKey.AGE: (Volunteer.birth_date,),
    SortKey.STREET: (Volunteer.street, Volunteer.community),
    SortKey.COMMUNITY: (Volunteer.community,),
    SortKey.REGISTERED: (Volunteer.registered_on,),
    SortKey.STATUS: (Volunteer.status,),
    SortKey.HOURS: (Volunteer.approved_minutes,),
    SortKey.POINTS: (Volunteer.points_balance,),
}


@dataclass(frozen=True, slots=True)
class VolunteerFilter:
    """Everything the list can be narrowed and ordered by."""

    text: str = ""
    statuses: tuple[str, ...] = ()
    street: str = ""
    community: str = ""
    age_group: str = ""
    min_minutes: int = 0     # approved minutes at least this (a star level's threshold)
    sort: SortKey = SortKey.NUMBER
    descending: bool = False


LIST_COLUMNS = (
    Volunteer.id, Volunteer.number, Volunteer.name, Volunteer.sex, Volunteer.birth_date,
    Volunteer.id_type, Volunteer.id_number, Volunteer.phone, Volunteer.street,
    Volunteer.community, Volunteer.registered_on, Volunteer.status,
    Volunteer.approved_minutes, Volunteer.points_balance,
)


def _unindexed(column: pw.ColumnBase) -> pw.ColumnBase:
    """`+column`: SQLite then cannot drive the query from this column's index."""
    return pw.NodeList((pw.SQL("+"), column), glue="")


def _search_condition(term: SearchTerm, scan_sort_index: bool = False) -> pw.Expression | None:
    """The WHERE term for a search. With `scan_sort_index` (SQLite, many matches) the
    search columns are marked unindexable, so SQLite walks the ORDER BY index and stops after
    one page instead of collecting and sorting every match (124k rows for an area code)."""

    def col(column: pw.Field) -> pw.ColumnBase:
        return _unindexed(column) if scan_sort_index else column

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
        cond = col(v.id).in_(ids)
        if len(term.text) > 2:
            cond &= Volunteer.name.contains(term.text)
        return cond
    if term.kind is SearchKind.PINYIN:
        bound = prefix_upper_bound(term.text)
        return (((col(v.name_initials) >= term.text) & (col(v.name_initials) < bound))
                | ((col(v.name_pinyin) >= term.text) & (col(v.name_pinyin) < bound)))
    bound = prefix_upper_bound(term.text)
    if term.kind is SearchKind.NUMBER:
        return (col(v.number) >= term.text) & (col(v.number) < bound)
    cond = (col(v.id_number) >= term.text) & (col(v.id_number) < bound)
    if term.text.isdigit() and term.text.startswith("1") and len(term.text) <= 11:
        cond |= (col(v.phone) >= term.text) & (col(v.phone) < bound)
    if term.number:
        cond |= col(v.number) == term.number
    return cond


def where_clause(flt: VolunteerFilter, today: dt.date | None = None,
                 scan_sort_index: bool = False) -> pw.Expression | None:
    """The WHERE for a filter. With `scan_sort_index`, no filter column may drive the plan
    (see `prefer_sort_index`), except the sort key's own column, whose index serves both
    the range and the order."""
    sort_columns = {c.name for c in _SORT_COLUMNS[flt.sort]}

    def col(column: pw.Field) -> pw.ColumnBase:
        if scan_sort_index and column.name not in sort_columns:
            return _unindexed(column)
        return column

    v = Volunteer
    conds: list[pw.Expression] = []
    search = _search_condition(parse_search(flt.text), scan_sort_index)
    if search is not None:
        conds.append(search)
    if flt.statuses:
        conds.append(col(v.status).in_(list(flt.statuses)))
    if flt.street:
        conds.append(col(v.street) == flt.street)
    if flt.community:
        conds.append(col(v.community) == flt.community)
    if flt.age_group:
        group = next(g for g in AGE_GROUPS if g.key == flt.age_group)
        earliest, latest = birth_range(group, today or dt.date.today())
        conds.append(col(v.birth_date) <= latest)
        if earliest is not None:
            conds.append(col(v.birth_date) > earliest)
    if flt.min_minutes > 0:
        conds.append(col(v.approved_minutes) >= flt.min_minutes)
    if not conds:
        return None
    cond = conds[0]
    for extra in conds[1:]:
        cond &= extra
    return cond


def _apply(query: pw.Select, flt: VolunteerFilter, today: dt.date | None,
           scan_sort_index: bool = False) -> pw.Select:
    cond = where_clause(flt, today, scan_sort_index)
    return query if cond is None else query.where(cond)


# Above this many matches, walking the sort index finds a page sooner than sorting every
# match: 100 rows need about 100 x total/matches index steps, ≤ 5,000 at 1M / 20,000.
SORT_SCAN_MATCHES = 20_000


def prefer_sort_index(flt: VolunteerFilter, matches: int | None) -> bool:
    """Walk the ORDER BY index (SQLite, many matches) rather than collect and sort every
    match. Any filter can select most of the register — the default "all but merged"
    statuses select all of it — and SQLite would otherwise drive the query from the
    filter's index and sort a million rows for one page. Sex has no index to walk."""
    return (matches is not None and matches > SORT_SCAN_MATCHES
            and flt.sort is not SortKey.SEX and is_sqlite())


def count(flt: VolunteerFilter, today: dt.date | None = None) -> int:
    return int(_apply(Volunteer.select(pw.fn.COUNT(Volunteer.id)), flt, today).scalar() or 0)


def ordering(flt: VolunteerFilter) -> list[pw.Ordering]:
    cols = [*_SORT_COLUMNS[flt.sort], Volunteer.id]
    # Age ascending means the youngest first: the latest birth date first.
    desc = flt.descending != (flt.sort is SortKey.AGE)
    return [c.desc() if desc else c.asc() for c in cols]


def page(flt: VolunteerFilter, offset: int, limit: int,
         columns: Sequence[pw.Field] = LIST_COLUMNS,
         today: dt.date | None = None, matches: int | None = None) -> list[tuple]:
    """Rows `offset`..`offset+limit` of the filtered, ordered list, as tuples of `columns`.

    `matches` is the count the caller already has; it lets SQLite pick the cheaper plan.
    """
    query = _apply(Volunteer.select(*columns), flt, today, prefer_sort_index(flt, matches))
    query = query.order_by(*ordering(flt)).limit(limit).offset(offset)
    return list(query.tuples())



def position(flt: VolunteerFilter, volunteer_id: int, today: dt.date | None = None) -> int | None:
    """The row a volunteer has in the filtered, ordered list, or None when the filter hides
    it: the number of matching rows that sort before it (a row-value comparison on the
    ORDER BY columns, so the list can select and scroll to a record it has not loaded)."""
    cols = [*_SORT_COLUMNS[flt.sort], Volunteer.id]
    row = _apply(Volunteer.select(*cols), flt, today).where(Volunteer.id == volunteer_id)
    values = row.tuples().first()
    if values is None:
        return None
    desc = flt.descending != (flt.sort is SortKey.AGE)
    key, target = pw.Tuple(*cols), pw.Tuple(*values)
    before = key > target if desc else key < target
    query = _apply(Volunteer.select(pw.fn.COUNT(Volunteer.id)), flt, today).where(before)
    return int(query.scalar() or 0)
