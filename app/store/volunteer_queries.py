"""The volunteer list's SQL: filters, search and ordering all run in the database, so the
list stays fast at a million rows (a Python-side sort of that many rows takes seconds)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

import peewee as pw

from app.domain.pinyin import name_grams
from app.domain.search import SearchKind, SearchTerm, parse_search, prefix_upper_bound
from app.domain.volunteer import AGE_GROUPS, Status, birth_range
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
    """`+column`: SQLite then cannot drive the query from this column's index. PostgreSQL
    plans from its statistics and has no such operator: the column is left as it is."""
    return pw.NodeList((pw.SQL("+"), column), glue="") if is_sqlite() else column


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
        cond = col(v.id).in_(_gram_ids(term.text))
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
    tail = term.tail
    if tail is not None:
        tail_bound = prefix_upper_bound(tail)
        if tail[0].isdigit():
            cond |= (col(v.phone_rev) >= tail) & (col(v.phone_rev) < tail_bound)
        cond |= (col(v.id_number_rev) >= tail) & (col(v.id_number_rev) < tail_bound)
    return cond


def where_clause(flt: VolunteerFilter, today: dt.date | None = None,
                 scan_sort_index: bool = False,
                 indexed: frozenset[str] | None = None) -> pw.Expression | None:
    """The WHERE for a filter. With `scan_sort_index`, no filter column may drive the plan
    (see `prefer_sort_index`), except the sort key's own column, whose index serves both
    the range and the order. `indexed` names the only columns that may drive it instead."""
    if scan_sort_index:
        indexed = frozenset(c.name for c in _SORT_COLUMNS[flt.sort])

    def col(column: pw.Field) -> pw.ColumnBase:
        if indexed is not None and column.name not in indexed:
            return _unindexed(column)
        return column

    v = Volunteer
    conds: list[pw.Expression] = []
    search = _search_condition(parse_search(flt.text), indexed is not None)
    if search is not None:
        conds.append(search)
    if flt.statuses:
        # Four values: the status index only helps when status is all the filter asks
        # (it counts a rare status alone). Beside anything else it is never the better
        # driver, and without ANALYZE statistics SQLite would take it anyway: the default
        # "all but merged" beside a volunteer-number search read a million rows (0.8 s).
        status = _unindexed(v.status) if _has_others(flt) and indexed is None \
            else col(v.status)
        conds.append(status.in_(list(flt.statuses)))
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


def _gram_only(flt: VolunteerFilter) -> str | None:
    """The name gram that alone decides the filter (a 1- or 2-character name search and
    nothing else), else None."""
    term = parse_search(flt.text)
    if term.kind is not SearchKind.NAME or len(term.text) > 2 or flt.statuses \
            or flt.street or flt.community or flt.age_group or flt.min_minutes > 0:
        return None
    return term.text if term.text in name_grams(term.text) else None


def _has_others(flt: VolunteerFilter) -> bool:
    """Whether the filter asks anything besides statuses."""
    return bool(flt.text.strip() or flt.street or flt.community or flt.age_group
                or flt.min_minutes > 0)


# Every status but merged: what lists show by default (merged duplicates are kept for
# history only). Merged records are few, so such a filter is counted as "everything the other
# conditions match, less the merged ones" — both answered from indexes alone, where checking
# the status of each match would read its table row (124,000 rows: 1.7 s instead of 0.14 s).
_ALL_BUT_MERGED = frozenset(str(s) for s in Status if s is not Status.MERGED)
_STATUS_ONLY = frozenset({"status"})


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
    if matches is None or flt.sort is SortKey.SEX or not is_sqlite():
        return False
    if matches > SORT_SCAN_MATCHES:
        return True
    # In number order the table is read in id order too (numbers are given in id order),
    # so a walk is cheap while one row in NUMBER_WALK_SHARE matches: a page of 200 among
    # 16,000 matches of 1M took 8 ms walking, 29-159 ms collecting and sorting them.
    if flt.sort is SortKey.NUMBER and matches > 0:
        top = int(Volunteer.select(pw.fn.MAX(Volunteer.id)).scalar() or 0)
        return matches * NUMBER_WALK_SHARE >= top
    return False


NUMBER_WALK_SHARE = 500


def count(flt: VolunteerFilter, today: dt.date | None = None) -> int:
    if frozenset(flt.statuses) == _ALL_BUT_MERGED and _has_others(flt):
        everyone = replace(flt, statuses=())
        merged = replace(flt, statuses=(str(Status.MERGED),))
        return _count(everyone, today) - _count(merged, today, _STATUS_ONLY)
    return _count(flt, today)


def _count(flt: VolunteerFilter, today: dt.date | None,
           indexed: frozenset[str] | None = None, limit: int | None = None) -> int:
    """Matching rows; with `limit`, stop counting there."""
    key = _gram_only(flt)
    query: pw.Select
    if key is not None and indexed is None:
        # Counted in the gram index alone: reading each match's table row to count it
        # cost 1.4 s for a common character (14,000 matches) on a cold cache.
        query = VolunteerNameGram.select(VolunteerNameGram.volunteer).where(
            VolunteerNameGram.gram == key)
    else:
        cond = where_clause(flt, today, indexed=indexed)
        query = Volunteer.select(Volunteer.id)
        query = query if cond is None else query.where(cond)
    if limit is not None:
        query = query.limit(limit)
    return int(pw.Select([query.alias("m")], [pw.fn.COUNT(pw.SQL("*"))])
               .bind(Volunteer._meta.database).scalar() or 0)


def ordering(flt: VolunteerFilter, sort_unindexed: bool = False) -> list[pw.Ordering]:
    """ORDER BY for the filter; `sort_unindexed` keeps SQLite from walking the sort index."""
    cols: list[pw.ColumnBase] = list(sort_key_columns(flt))
    if sort_unindexed:
        cols = [_unindexed(c) for c in cols]
    desc = _descending(flt)
    return [c.desc() if desc else c.asc() for c in cols]


def prefer_match_index(flt: VolunteerFilter, matches: int | None) -> bool:
    """Collect the few matches through the filter's index and sort them, rather than walk
    the ORDER BY index hoping to meet them: SQLite, without statistics, walks the number
    index for an OR of ranges and reads a million rows to find none (2.3 s)."""
    return (matches is not None and _has_others(flt) and is_sqlite()
            and not prefer_sort_index(flt, matches))


def page(flt: VolunteerFilter, offset: int, limit: int,
         columns: Sequence[pw.Field] = LIST_COLUMNS,
         today: dt.date | None = None, matches: int | None = None,
         after: tuple | None = None) -> list[tuple]:
    """Rows `offset`..`offset+limit` of the filtered, ordered list, as tuples of `columns`.

    `matches` is the count the caller already has; it lets SQLite pick the cheaper plan.
    `after` (keyset paging) is the sort key of the row just before the page, as
    `page_keyed` returns it: the page then starts there by an index range, and `offset` is
    ignored — skipping 500,000 rows by OFFSET reads them all (1 s at 1M, 10 s at 10M).
    """
    if _id_order_search(flt) and not _many_matches(flt, matches):
        return _page_in_id_order(flt, offset, limit, columns, after)
    walk = prefer_sort_index(flt, matches)
    match_index = not walk and matches is not None and _has_others(flt) and is_sqlite()
    query = _apply(Volunteer.select(*columns), flt, today, walk)
    inclusive = False
    if after is None and offset >= JUMP_OFFSET and _whole_list(flt):
        after = _key_at(flt, offset)
        if after is None:
            return []
        inclusive = True
    if after is not None:
        cols = [_unindexed(c) if match_index else c for c in sort_key_columns(flt)]
        key, last = pw.Tuple(*cols), pw.Tuple(*after)
        if _descending(flt):
            query = query.where(key <= last if inclusive else key < last)
        else:
            query = query.where(key >= last if inclusive else key > last)
        offset = 0
    query = query.order_by(*ordering(flt, match_index))
    query = query.limit(limit).offset(offset)
    return list(query.tuples())


# Volunteer numbers are handed out in id order (`numbering.reserve` inside the transaction
# that inserts the rows, in number order; a number is never changed), so the list in number
# order is the list in id order. Every index holds the row id, so a search's matches can be
# found AND put in that order from its indexes alone, and only the page's 200 rows are read
# from the table. Sorting by `number` needs each match's table row: ~19,000 scattered reads,
# 0.3-0.8 s at 10M volunteers, against 3-11 ms this way.
#
# With very many matches, walking the number index and testing rows finds a page sooner
# than collecting and sorting every match: a page's walk reads about 200 x N / matches table
# rows, a collection `matches` index entries, each roughly a tenth of a table row's cost;
# the two meet near sqrt(2,000 x N) matches (45,000 at 1M volunteers, 141,000 at 10M).
WALK_SHARE = 2_000
_many_cache: dict[tuple, bool] = {}


def _id_order_search(flt: VolunteerFilter) -> bool:
    """A search (SQLite) in number order with nothing but the default statuses beside it."""
    return (is_sqlite() and flt.sort is SortKey.NUMBER
            and parse_search(flt.text).kind is not SearchKind.NONE
            and (not flt.statuses or frozenset(flt.statuses) == _ALL_BUT_MERGED)
            and not (flt.street or flt.community or flt.age_group or flt.min_minutes > 0))


def _many_matches(flt: VolunteerFilter, matches: int | None) -> bool:
    """Whether the search matches so many that a walk is cheaper (see WALK_SHARE): counted
    from the indexes only when the list's own count stopped at its cap, and kept per
    register and search, as it only chooses a plan (both give the same rows)."""
    if matches is not None and matches < COUNT_CAP:
        return False
    if parse_search(flt.text).kind is SearchKind.NAME:
        return False  # the gram index is walked in id order: no collecting, no sorting
    key = (Volunteer._meta.database.database, flt.text)
    if key not in _many_cache:
        if len(_many_cache) > 64:
            _many_cache.clear()
        top = int(Volunteer.select(pw.fn.MAX(Volunteer.id)).scalar() or 0)
        walk_from = max(COUNT_CAP, math.isqrt(WALK_SHARE * top))
        _many_cache[key] = _count(replace(flt, statuses=()), None, limit=walk_from) >= walk_from
    return _many_cache[key]


def _ids_in_order(flt: VolunteerFilter, after_id: int | None) -> pw.Select:
    """The ids of the search's listed matches in id order, read from indexes alone."""
    term = parse_search(flt.text)
    desc = flt.descending
    merged = Volunteer.alias("merged_v")
    merged_ids = merged.select(merged.id).where(merged.status == str(Status.MERGED))
    if term.kind is SearchKind.NAME:
        # Walk the gram's primary key (gram, volunteer), already in id order; a longer
        # fragment must also hold every other 2-character piece (index probes) before its
        # table row is read for the whole-name check.
        vid: pw.Field = VolunteerNameGram.volunteer
        query = _gram_ids(term.text)
        if len(term.text) > 2:
            query = query.join(Volunteer, on=(Volunteer.id == vid)).where(
                Volunteer.name.contains(term.text))
        order: pw.ColumnBase = vid
    else:
        cond = _search_condition(term)
        vid = Volunteer.id
        query = Volunteer.select(vid).where(cond)
        # `+id`: collect the matches through their indexes and sort them, rather than
        # walk the whole table in id order testing each row.
        order = _unindexed(vid)
    if flt.statuses:
        query = query.where(vid.not_in(merged_ids))
    if after_id is not None:
        query = query.where(_unindexed(vid) < after_id if desc else _unindexed(vid) > after_id)
    return query.order_by(order.desc() if desc else order.asc())


def _gram_ids(text: str) -> pw.Select:
    """Ids of the names that hold every gram of a fragment, from the gram index alone: a
    1-2 character fragment is one gram; a longer one must hold each of its 2-character
    pieces (probes of the same index), so few table rows are read for the whole-name check
    (`王明轩` read the 20,000 holders of `王明` at 10M; the holders of both are ~1,000)."""
    grams = name_grams(text)
    if len(text) <= 2:
        key = text if text in grams else (max(grams, key=len) if grams else text)
        keys = [key]
    else:
        keys = [p for p in dict.fromkeys(text[i:i + 2] for i in range(len(text) - 1))
                if p in grams] or [max(grams, key=len) if grams else text]
    g = VolunteerNameGram
    query = g.select(g.volunteer).where(g.gram == keys[0])
    for key in keys[1:]:
        other = VolunteerNameGram.alias("g_other")
        query = query.where(pw.fn.EXISTS(other.select(pw.SQL("1")).where(
            (other.gram == key) & (other.volunteer == g.volunteer))))
    return query


def _page_in_id_order(flt: VolunteerFilter, offset: int, limit: int,
                      columns: Sequence[pw.Field], after: tuple | None) -> list[tuple]:
    ids = _ids_in_order(flt, None if after is None else int(after[-1]))
    ids = ids.limit(limit).offset(0 if after is not None else offset)
    order = Volunteer.id.desc() if flt.descending else Volunteer.id.asc()
    query: pw.Select = Volunteer.select(*columns).where(Volunteer.id.in_(ids)).order_by(order)
    return list(query.tuples())


# From this offset on, a page of the whole list is found by first finding the sort key at
# the offset in the sort index alone, then reading the page after it by key: OFFSET over
# the table reads every skipped row (500,000 rows: 1.6 s), over the index only its entries.
JUMP_OFFSET = 2_000


def _whole_list(flt: VolunteerFilter) -> bool:
    """No filter but the statuses, none or all but merged, and a sort with an index."""
    return (not _has_others(flt) and flt.sort is not SortKey.SEX
            and (not flt.statuses or frozenset(flt.statuses) == _ALL_BUT_MERGED))


def _key_at(flt: VolunteerFilter, offset: int) -> tuple | None:
    """The sort key of row `offset` of the whole list, read from the sort index alone.

    Merged records are left out of the list but not of the index, so the position in the
    index is `offset` plus the merged records before it: few, counted on the status index,
    and the position is corrected until it holds (each step only moves forward).
    """
    if flt.sort is SortKey.NUMBER and _dense_ids():
        return _key_at_by_id(flt, offset)
    cols = sort_key_columns(flt)
    desc = _descending(flt)
    listed = bool(flt.statuses)
    merged = Volunteer.status == str(Status.MERGED)
    position = offset
    for _ in range(64):
        key = Volunteer.select(*cols).order_by(*ordering(flt)).limit(1).offset(position) \
            .tuples().first()
        if key is None or not listed:
            return key
        # Unindexed: the few merged rows come from the status index, not half the sort index.
        row_key, at = pw.Tuple(*[_unindexed(c) for c in cols]), pw.Tuple(*key)
        before = Volunteer.select(pw.fn.COUNT(Volunteer.id)).where(
            merged & ((row_key > at) if desc else (row_key < at))).scalar() or 0
        wanted = offset + int(before)
        if wanted == position:
            if not Volunteer.select().where(merged & (Volunteer.id == key[-1])).exists():
                return key
            wanted += 1
        position = wanted
    # Merged records everywhere: count them off the plain way.
    return _apply(Volunteer.select(*cols), flt, None).order_by(*ordering(flt)).limit(1) \
        .offset(offset).tuples().first()


# Volunteers are never deleted, and SQLite gives a new row the highest id plus one, so on
# SQLite the ids are 1..N without a gap: the row at a position in number (= id) order is
# known from its position, less the few merged records before it, where counting the index
# entries before it takes 0.45 s for row 5,000,000 of 10M. Checked, not assumed: the count
# of rows must equal the highest id (45 ms at 10M, once per register and highest id).
_dense_cache: dict[str, int] = {}


def _dense_ids() -> bool:
    if not is_sqlite():
        return False  # PostgreSQL's sequence leaves gaps behind rolled-back inserts
    top = int(Volunteer.select(pw.fn.MAX(Volunteer.id)).scalar() or 0)
    path = str(Volunteer._meta.database.database)
    if _dense_cache.get(path) != top:
        if int(Volunteer.select(pw.fn.COUNT(pw.SQL("*"))).scalar() or 0) != top:
            return False
        _dense_cache[path] = top
    return True


def _merged_beyond(vid: int, desc: bool) -> int:
    """Merged records before `vid` in the list's order (status index: they are few)."""
    beyond = _unindexed(Volunteer.id) > vid if desc else _unindexed(Volunteer.id) < vid
    return int(Volunteer.select(pw.fn.COUNT(Volunteer.id)).where(
        (Volunteer.status == str(Status.MERGED)) & beyond).scalar() or 0)


def _key_at_by_id(flt: VolunteerFilter, offset: int) -> tuple | None:
    """`_key_at` in number order on dense ids: the id is the position, corrected for the
    merged records before it until it holds."""
    desc = _descending(flt)
    top = _dense_cache[str(Volunteer._meta.database.database)]
    listed = bool(flt.statuses)
    vid = top - offset if desc else offset + 1
    for _ in range(64):
        if not 1 <= vid <= top:
            return None
        if not listed:
            break
        shift = _merged_beyond(vid, desc)
        wanted = (top - offset - shift) if desc else (offset + 1 + shift)
        if wanted == vid:
            if Volunteer.select().where((Volunteer.id == vid) & (
                    Volunteer.status == str(Status.MERGED))).exists():
                vid += -1 if desc else 1
                continue
            break
        vid = wanted
    else:
        return None
    return Volunteer.select(*sort_key_columns(flt)).where(Volunteer.id == vid).tuples().first()


def sort_key_columns(flt: VolunteerFilter) -> list[pw.Field]:
    """The ORDER BY columns, the id last: together they name one row."""
    return [*_SORT_COLUMNS[flt.sort], Volunteer.id]


def _descending(flt: VolunteerFilter) -> bool:
    # Age ascending means the youngest first: the latest birth date first.
    return flt.descending != (flt.sort is SortKey.AGE)


def page_keyed(flt: VolunteerFilter, offset: int, limit: int, today: dt.date | None = None,
               matches: int | None = None, after: tuple | None = None,
               ) -> tuple[list[tuple], tuple | None]:
    """`page` of LIST_COLUMNS, with the sort key of its last row for the next page's
    `after` (None for an empty page)."""
    keys = sort_key_columns(flt)
    rows = page(flt, offset, limit, (*LIST_COLUMNS, *keys), today, matches, after)
    n = len(LIST_COLUMNS)
    return [r[:n] for r in rows], (tuple(rows[-1][n:]) if rows else None)


class CountKind(StrEnum):
    EXACT = "exact"
    AT_LEAST = "at_least"   # more than this many: counting further was not cheap
    ABOUT = "about"         # an estimate from the highest id (never below the true count)


# A count stops here: counting past it costs time in proportion to the matches (a million
# index entries is 0.1 s at 1M volunteers and 1 s at 10M), and the list does not need it
# to show a page. The same figure decides whether a page walks the sort index.
COUNT_CAP = SORT_SCAN_MATCHES


def count_upto(flt: VolunteerFilter, cap: int = COUNT_CAP,
               today: dt.date | None = None) -> tuple[int, CountKind]:
    """The number of matches when at most `cap`; otherwise, for the whole list (no filter,
    or all but merged) an estimate from the highest id, and for anything else `cap` with
    AT_LEAST. The cost is bounded by `cap`, not by the register's size."""
    listed = frozenset(flt.statuses) == _ALL_BUT_MERGED
    if listed:
        everyone = _count(replace(flt, statuses=()), today, limit=cap + 1)
        if everyone <= cap:
            merged = replace(flt, statuses=(str(Status.MERGED),))
            return everyone - _count(merged, today, _STATUS_ONLY), CountKind.EXACT
    else:
        found = _count(flt, today, limit=cap + 1)
        if found <= cap:
            return found, CountKind.EXACT
    if not _has_others(flt) and (listed or not flt.statuses):
        top = int(Volunteer.select(pw.fn.MAX(Volunteer.id)).scalar() or 0)
        if listed:
            merged = replace(flt, statuses=(str(Status.MERGED),))
            top -= _count(merged, today, _STATUS_ONLY)
        return max(top, cap + 1), CountKind.ABOUT
    return cap, CountKind.AT_LEAST



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
    if _whole_list(flt) and flt.sort is SortKey.NUMBER and _dense_ids():
        top = _dense_cache[str(Volunteer._meta.database.database)]
        before_it = top - volunteer_id if desc else volunteer_id - 1
        return before_it - (_merged_beyond(volunteer_id, desc) if flt.statuses else 0)
    if _whole_list(flt):
        # The sort index alone (no table rows), less the merged records before it.
        found = int(Volunteer.select(pw.fn.COUNT(Volunteer.id)).where(before).scalar() or 0)
        if flt.statuses:
            plain = pw.Tuple(*[_unindexed(c) for c in cols])
            found -= int(Volunteer.select(pw.fn.COUNT(Volunteer.id)).where(
                (Volunteer.status == str(Status.MERGED))
                & (plain > target if desc else plain < target)).scalar() or 0)
        return found
    query = _apply(Volunteer.select(pw.fn.COUNT(Volunteer.id)), flt, today).where(before)
    return int(query.scalar() or 0)
