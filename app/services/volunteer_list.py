"""The volunteer list as screens and exports see it: filtered and sorted in SQL, masked."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.domain.idcard import age_on, mask_id_number
from app.domain.phone import mask_phone
from app.domain.volunteer import IdType, Status
from app.store import volunteer_queries as q
from app.store.models import Area
from app.store.volunteer_queries import SortKey, VolunteerFilter

# What "all volunteers" means in lists: merged duplicates are kept for history, not listed.
LISTED_STATUSES = tuple(str(s) for s in (Status.ACTIVE, Status.SUSPENDED, Status.WITHDRAWN))

__all__ = ["LISTED_STATUSES", "AreaChoice", "SortKey", "VolunteerFilter", "VolunteerRow",
           "count", "page"]


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


def _row(t: tuple, unmasked: bool, today: dt.date) -> VolunteerRow:
    (vid, number, name, sex, birth, id_type, id_number, phone, street, community,
     registered_on, status) = t
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
        status=Status(status))


def count(flt: VolunteerFilter, today: dt.date | None = None) -> int:
    return q.count(flt, today)


def page(flt: VolunteerFilter, offset: int, limit: int, unmasked: bool = False,
         today: dt.date | None = None, matches: int | None = None) -> list[VolunteerRow]:
    """Rows of the list; pass `matches` (from `count`) when known so the query plan fits."""
    today = today or dt.date.today()
    rows = q.page(flt, offset, limit, today=today, matches=matches)
    return [_row(t, unmasked, today) for t in rows]


@dataclass(frozen=True, slots=True)
class AreaChoice:
    district: str
    street: str
    community: str


def areas() -> list[AreaChoice]:
    """Streets and communities for the filter lists, in a stable order."""
    query = Area.select().order_by(Area.street, Area.community)
    return [AreaChoice(a.district, a.street, a.community) for a in query]
