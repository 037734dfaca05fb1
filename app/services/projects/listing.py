"""The project list: filtered and sorted in SQL, paged as the view scrolls.

Search: Chinese text is a fragment of the project's name or the contractor's; Latin letters
are pinyin initials; an XM number prefix finds the project. 5,000 projects are a small table:
a fragment scan is a few milliseconds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import peewee as pw

from app.domain.projects.kinds import PurchaseMethod
from app.domain.projects.lifecycle import ProjectStatus
from app.domain.search import SearchKind, parse_search, prefix_upper_bound
from app.store.db import tuples
from app.store.models import Organization, Project, Purchaser


class ProjectSort(StrEnum):
    NUMBER = "number"
    NAME = "name"
    PURCHASER = "purchaser"
    CONTRACTOR = "contractor"
    STATUS = "status"
    AMOUNT = "amount"
    ENDS = "ends"


class ProjectMoney(StrEnum):
    """The projects a money total counts (the home page's 合同总额 and 已支付 tiles)."""

    CONTRACTED = "contracted"  # a contract amount is entered
    PAID = "paid"  # something has been paid


@dataclass(frozen=True)
class ProjectFilter:
    text: str = ""
    status: ProjectStatus | None = None
    statuses: tuple[ProjectStatus, ...] = ()
    purchaser_id: int | None = None
    contractor_id: int | None = None
    year: int | None = None  # projects whose service term touches this year
    money: ProjectMoney | None = None
    sort: ProjectSort = ProjectSort.NUMBER
    descending: bool = True


@dataclass(frozen=True)
class ProjectRow:
    id: int
    number: str
    name: str
    purchaser: str
    contractor: str
    method: PurchaseMethod
    status: ProjectStatus
    budget_fen: int
    contract_amount_fen: int | None
    paid_fen: int
    starts_on: dt.date | None
    ends_on: dt.date | None


_C = Organization.alias("c")
_COLUMNS = (Project.id, Project.number, Project.name, Purchaser.name, _C.name, Project.method,
            Project.status, Project.budget_fen, Project.contract_amount_fen, Project.paid_fen,
            Project.starts_on, Project.ends_on)
_SORT: dict[ProjectSort, tuple[Any, ...]] = {
    ProjectSort.NUMBER: (Project.number,),
    ProjectSort.NAME: (Project.name_pinyin,),
    ProjectSort.PURCHASER: (Purchaser.name, Project.number),
    ProjectSort.CONTRACTOR: (_C.name_pinyin, Project.number),
    ProjectSort.STATUS: (Project.status, Project.number),
    ProjectSort.AMOUNT: (pw.fn.COALESCE(Project.contract_amount_fen, Project.budget_fen),),
    ProjectSort.ENDS: (Project.ends_on, Project.number),
}


def _base(*columns: Any) -> Any:
    return (Project.select(*columns).join(Purchaser, on=(Project.purchaser == Purchaser.id))
            .switch(Project).join(_C, pw.JOIN.LEFT_OUTER, on=(Project.contractor == _C.id)))


def where(flt: ProjectFilter) -> Any:
    cond: Any = pw.SQL("1 = 1")
    term = parse_search(flt.text)
    if term.kind is SearchKind.PINYIN:
        cond &= Project.name_initials.contains(term.text) | Project.name_pinyin.startswith(
            term.text)
    elif term.kind is not SearchKind.NONE:
        text = term.text.upper()
        if text.startswith("XM"):
            cond &= (Project.number >= text) & (Project.number < prefix_upper_bound(text))
        else:
            cond &= Project.name.contains(term.text) | _C.name.contains(term.text)
    statuses = [*flt.statuses, *([flt.status] if flt.status else [])]
    if statuses:
        cond &= Project.status.in_([str(s) for s in statuses])
    if flt.purchaser_id is not None:
        cond &= Project.purchaser == flt.purchaser_id
    if flt.contractor_id is not None:
        cond &= Project.contractor == flt.contractor_id
    if flt.money is ProjectMoney.CONTRACTED:
        cond &= Project.contract_amount_fen.is_null(False)
    elif flt.money is ProjectMoney.PAID:
        cond &= Project.paid_fen > 0
    if flt.year is not None:
        first, last = dt.date(flt.year, 1, 1), dt.date(flt.year, 12, 31)
        cond &= ((Project.starts_on.is_null() | (Project.starts_on <= last))
                 & (Project.ends_on.is_null() | (Project.ends_on >= first)))
    return cond


def count(flt: ProjectFilter) -> int:
    return int(_base(pw.fn.COUNT(Project.id)).where(where(flt)).scalar() or 0)


def _ordering(flt: ProjectFilter) -> list[Any]:
    cols = [*_SORT[flt.sort], Project.id]
    return [c.desc() if flt.descending else c.asc() for c in cols]


def page(flt: ProjectFilter, offset: int, limit: int) -> list[ProjectRow]:
    query = _base(*_COLUMNS).where(where(flt)).order_by(*_ordering(flt)).offset(offset).limit(
        limit)
    return [_row(t) for t in tuples(query)]


def ids(flt: ProjectFilter) -> list[int]:
    return [r[0] for r in tuples(_base(Project.id).where(where(flt)).order_by(*_ordering(flt)))]


def position(flt: ProjectFilter, project_id: int) -> int | None:
    """The row of a project in the filtered, ordered list (None when the filter hides it)."""
    for index, pid in enumerate(ids(flt)):
        if pid == project_id:
            return index
    return None


def _row(t: tuple[Any, ...]) -> ProjectRow:
    (pid, number, name, purchaser, contractor, method, status, budget, amount, paid, starts,
     ends) = t
    return ProjectRow(pid, number, name, purchaser, contractor or "", PurchaseMethod(method),
                      ProjectStatus(status), int(budget), None if amount is None else int(amount),
                      int(paid), starts, ends)
