"""Everything due or overdue, across the areas: the organizations' deadlines (`orgs.due`,
which owns the list and its sources) with the projects' payment tranches and milestones
plugged in. Screens and commands ask here, so no caller has to know which modules register
a source before the list is read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from app.services.orgs import due as _due
from app.services.orgs.due import DueItem
from app.services.projects import milestones as _milestones  # registers 项目节点
from app.services.projects import money as _money  # registers 项目付款

SOURCES = _due.SOURCES
VIEW_WINDOWS = (30, 60, 90)
"""The due view's choice of window in days; it opens on the first."""
_REGISTERED = (_milestones, _money)

__all__ = ["SOURCES", "VIEW_WINDOWS", "DueItem", "items", "kind_labels"]


def items(today: dt.date | None = None, within: int | None = None,
          kinds: Iterable[str] | None = None) -> list[DueItem]:
    """Every area's due items, most overdue first (see `orgs.due.items`)."""
    return _due.items(today, within, kinds)


def kind_labels() -> dict[str, str]:
    return _due.kind_labels()
