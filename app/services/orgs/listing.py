"""The organization list as screens and exports see it: filtered and sorted in SQL.

The one search box means what it means for volunteers (`app.domain.search`): Chinese text is
a fragment of the name, Latin letters are pinyin initials or full pinyin, and anything with a
digit is the start of a credit code. At a district's scale (10,000 organizations) a name
fragment is a scan of one narrow column, a few milliseconds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import peewee as pw

from app.domain.orgs.incubation import IncubationState
from app.domain.orgs.kinds import OrgKind, Rating, ServiceField
from app.domain.orgs.legal_status import LegalStatus
from app.domain.orgs.uscc import normalize_uscc
from app.domain.search import SearchKind, parse_search, prefix_upper_bound
from app.store.db import tuples
from app.store.models import Organization, OrgInspection

_CODE_TEXT = re.compile(r"^[0-9A-Z]*[0-9][0-9A-Z]*$")
IN_INCUBATOR = "in_incubator"  # incubation filter: every stage from application to incubating


class OrgSort(StrEnum):
    NAME = "name"
    KIND = "kind"
    CODE = "code"
    LEGAL = "legal"
    INCUBATION = "incubation"
    STREET = "street"
    UPDATED = "updated"


@dataclass(frozen=True)
class OrgFilter:
    """What the list shows. Empty values mean "any"."""

    text: str = ""
    kind: OrgKind | None = None
    legal_status: LegalStatus | None = None
    incubation: IncubationState | str | None = None  # a state, or IN_INCUBATOR
    service_field: ServiceField | None = None
    street: str = ""
    ids: tuple[int, ...] | None = None  # a fixed set (the due view opens its organizations)
    sort: OrgSort = OrgSort.NAME
    descending: bool = False


@dataclass(frozen=True)
class OrgRow:
    """One line of the list."""

    id: int
    name: str
    kind: OrgKind
    credit_code: str
    legal_status: LegalStatus
    incubation_state: IncubationState | None
    service_field: ServiceField | None
    street: str
    community: str
    legal_representative: str
    contact_phone: str
    rating: Rating | None
    last_inspection: str  # "2025 合格", or ""


_COLUMNS = (
    Organization.id, Organization.name, Organization.kind, Organization.credit_code,
    Organization.legal_status, Organization.incubation_state, Organization.service_field,
    Organization.street, Organization.community, Organization.legal_representative,
    Organization.contact_phone, Organization.rating,
)
_SORT_COLUMNS: dict[OrgSort, tuple[pw.Field, ...]] = {
    OrgSort.NAME: (Organization.name_pinyin,),
    OrgSort.KIND: (Organization.kind, Organization.name_pinyin),
    OrgSort.CODE: (Organization.credit_code,),
    OrgSort.LEGAL: (Organization.legal_status, Organization.name_pinyin),
    OrgSort.INCUBATION: (Organization.incubation_state, Organization.name_pinyin),
    OrgSort.STREET: (Organization.street, Organization.community, Organization.name_pinyin),
    OrgSort.UPDATED: (Organization.updated_at,),
}


def _search(text: str) -> pw.Expression | None:
    term = parse_search(text)
    o = Organization
    if term.kind is SearchKind.NONE:
        return None
    if term.kind is SearchKind.PINYIN:
        bound = prefix_upper_bound(term.text)
        return (o.name_initials.contains(term.text)
                | ((o.name_pinyin >= term.text) & (o.name_pinyin < bound)))
    code = normalize_uscc(term.text)
    if _CODE_TEXT.match(code):
        bound = prefix_upper_bound(code)
        return ((o.credit_code >= code) & (o.credit_code < bound)) | o.name.contains(term.text)
    return o.name.contains(term.text)


def where(flt: OrgFilter) -> pw.Expression:
    """The WHERE clause of a filter (also used by exports and batch printing)."""
    o = Organization
    cond: Any = pw.SQL("1 = 1")
    search = _search(flt.text)
    if search is not None:
        cond &= search
    if flt.kind is not None:
        cond &= o.kind == str(flt.kind)
    if flt.legal_status is not None:
        cond &= o.legal_status == str(flt.legal_status)
    if flt.incubation == IN_INCUBATOR:
        cond &= o.incubation_state.in_([str(s) for s in IN_INCUBATOR_STATES])
    elif flt.incubation is not None:
        cond &= o.incubation_state == str(flt.incubation)
    if flt.service_field is not None:
        cond &= o.service_field == str(flt.service_field)
    if flt.street:
        cond &= o.street == flt.street
    if flt.ids is not None:
        cond &= o.id.in_(list(flt.ids)) if flt.ids else pw.SQL("1 = 0")
    return cond


IN_INCUBATOR_STATES = (IncubationState.APPLIED, IncubationState.UNDER_REVIEW,
                       IncubationState.ADMITTED, IncubationState.INCUBATING)


def count(flt: OrgFilter) -> int:
    return Organization.select().where(where(flt)).count()


def ids(flt: OrgFilter) -> list[int]:
    """Every matching id in list order (batch printing, export)."""
    query = Organization.select(Organization.id).where(where(flt)).order_by(*_ordering(flt))
    return [row[0] for row in tuples(query)]


def _ordering(flt: OrgFilter) -> list[pw.Ordering]:
    cols = _SORT_COLUMNS[flt.sort]
    order = [c.desc() if flt.descending else c.asc() for c in cols]
    return [*order, Organization.id.desc() if flt.descending else Organization.id.asc()]


def page(flt: OrgFilter, offset: int, limit: int) -> list[OrgRow]:
    query = (Organization.select(*_COLUMNS).where(where(flt)).order_by(*_ordering(flt))
             .offset(offset).limit(limit))
    rows = tuples(query)
    last = _last_inspections([r[0] for r in rows])
    return [_row(r, last.get(r[0], "")) for r in rows]


def _last_inspections(org_ids: list[int]) -> dict[int, str]:
    """The newest inspection with a result, per organization, as "2025 合格"."""
    if not org_ids:
        return {}
    from app.domain.orgs.kinds import InspectionResult

    newest = (OrgInspection.select(OrgInspection.org, pw.fn.MAX(OrgInspection.year))
              .where(OrgInspection.org.in_(org_ids) & OrgInspection.result.is_null(False))
              .group_by(OrgInspection.org))
    years = {org: year for org, year in tuples(newest)}
    if not years:
        return {}
    query = OrgInspection.select(OrgInspection.org, OrgInspection.year, OrgInspection.result
                                 ).where(OrgInspection.org.in_(list(years)))
    return {org: f"{year} {InspectionResult(result).label}"
            for org, year, result in tuples(query) if years.get(org) == year and result}


def _row(t: tuple, last_inspection: str) -> OrgRow:
    (oid, name, kind, code, legal, incubation, field, street, community, rep, phone,
     rating) = t
    return OrgRow(
        id=oid, name=name, kind=OrgKind(kind), credit_code=code or "",
        legal_status=LegalStatus(legal),
        incubation_state=IncubationState(incubation) if incubation else None,
        service_field=ServiceField(field) if field else None, street=street,
        community=community, legal_representative=rep, contact_phone=phone,
        rating=Rating(rating) if rating else None, last_inspection=last_inspection)


def streets() -> list[str]:
    """Streets seen in the organization register, for the filter list."""
    query = (Organization.select(Organization.street).where(Organization.street != "")
             .distinct().order_by(Organization.street))
    return [s for (s,) in tuples(query)]

