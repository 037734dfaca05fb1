"""The volunteer list as screens and exports see it: filtered and sorted in SQL, masked."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.domain.hours import StarPolicy
from app.domain.idcard import age_on, mask_id_number
from app.domain.phone import mask_phone
from app.domain.volunteer import IdType, Status
from app.services.hours import records as service_records
from app.store import volunteer_queries as q
from app.store.models import Area
from app.store.volunteer_queries import COUNT_CAP, CountKind, SortKey, VolunteerFilter

# What "all volunteers" means in lists: merged duplicates are kept for history, not listed.
LISTED_STATUSES = tuple(str(s) for s in (Status.ACTIVE, Status.SUSPENDED, Status.WITHDRAWN))

__all__ = ["COUNT_CAP", "LISTED_STATUSES", "AreaChoice", "CountKind", "KeyedPage", "ListCount",
           "SortKey", "VolunteerFilter", "VolunteerRow", "count", "count_upto", "page",
           "page_keyed", "star_policy", "star_thresholds_minutes"]


@dataclass(frozen=True, slots=True)
class VolunteerRow:
    """One line of the list. `id_number` and `phone` are masked unless asked otherwise."""

    id: int
    number: str
    name: str
    sex: str
    age: int
    id_type: IdType
    id_number: str
    phone: str
    street: str
    community: str
    registered_on: dt.date
    status: Status
    approved_minutes: int = 0   # the running total of approved service (minutes)
    points_balance: int = 0     # the running points balance (equals the ledger's sum)
    star_level: int = 0         # from approved_minutes and the STAR_THRESHOLDS setting


def _row(t: tuple, unmasked: bool, today: dt.date, stars: StarPolicy | None = None,
         ) -> VolunteerRow:
    (vid, number, name, sex, birth, id_type, id_number, phone, street, community,
     registered_on, status, approved_minutes, points_balance) = t
    if isinstance(birth, str):  # SQLite hands back ISO text for raw selects
        birth = dt.date.fromisoformat(birth)
    if isinstance(registered_on, str):
        registered_on = dt.date.fromisoformat(registered_on)
    return VolunteerRow(
        id=vid, number=number, name=name, sex=sex, age=age_on(birth, today),
        id_type=IdType(id_type),
        id_number=id_number if unmasked else mask_id_number(id_number),
        phone=phone if unmasked else mask_phone(phone),
        street=street, community=community, registered_on=registered_on,
        status=Status(status), approved_minutes=int(approved_minutes),
        points_balance=int(points_balance),
        star_level=(stars or StarPolicy()).level(int(approved_minutes)))


def count(flt: VolunteerFilter, today: dt.date | None = None) -> int:
    return q.count(flt, today)


@dataclass(frozen=True, slots=True)
class ListCount:
    """How many rows a list has, and how sure that is (EXACT, AT_LEAST, ABOUT)."""

    rows: int
    kind: CountKind

    @property
    def exact(self) -> bool:
        return self.kind is CountKind.EXACT


def count_upto(flt: VolunteerFilter, cap: int = COUNT_CAP,
               today: dt.date | None = None) -> ListCount:
    """The count when it is cheap: exact up to `cap` matches; past it an estimate for the
    whole list, or "at least `cap`" for a search. Its cost does not grow with the register,
    so a list of ten million opens as fast as one of a million."""
    rows, kind = q.count_upto(flt, cap, today)
    return ListCount(rows, kind)


@dataclass(frozen=True, slots=True)
class KeyedPage:
    """A page of the list and the sort key of its last row (None when empty): pass it as
    `after` for the page below, which is then an index range, not an OFFSET."""

    rows: list[VolunteerRow]
    last_key: tuple | None


def page_keyed(flt: VolunteerFilter, offset: int, limit: int, after: tuple | None = None,
               matches: int | None = None, unmasked: bool = False,
               today: dt.date | None = None) -> KeyedPage:
    """Like `page`; with `after`, the rows following that key (`offset` is then unused)."""
    today = today or dt.date.today()
    rows, last = q.page_keyed(flt, offset, limit, today=today, matches=matches, after=after)
    stars = star_policy()
    return KeyedPage([_row(t, unmasked, today, stars) for t in rows], last)


def position(flt: VolunteerFilter, volunteer_id: int, today: dt.date | None = None) -> int | None:
    """Where a volunteer sits in the list (None when the filter leaves them out)."""
    return q.position(flt, volunteer_id, today)


def page(flt: VolunteerFilter, offset: int, limit: int, unmasked: bool = False,
         today: dt.date | None = None, matches: int | None = None) -> list[VolunteerRow]:
    """Rows of the list; pass `matches` (from `count`) when known so the query plan fits."""
    today = today or dt.date.today()
    rows = q.page(flt, offset, limit, today=today, matches=matches)
    stars = star_policy()  # one settings read per page, not per row
    return [_row(t, unmasked, today, stars) for t in rows]


def star_policy() -> StarPolicy:
    """The configured star thresholds (the list's 星级 column and its filter)."""
    return service_records.star_policy()


def star_thresholds_minutes() -> list[int]:
    """Minutes of approved service each star level starts at, lowest level first: the
    star-level filter turns level N into `VolunteerFilter(min_minutes=...[N - 1])`."""
    return [hours * 60 for hours in star_policy().thresholds_hours]


@dataclass(frozen=True, slots=True)
class AreaChoice:
    district: str
    street: str
    community: str


def areas() -> list[AreaChoice]:
    """Streets and communities for the filter lists, in a stable order."""
    query = Area.select().order_by(Area.street, Area.community)
    return [AreaChoice(a.district, a.street, a.community) for a in query]
