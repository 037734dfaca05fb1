"""The home page's figures (首页): volunteers, hours, organizations, projects, what is due.

Everything is a handful of grouped queries, never a row per volunteer or record:

* volunteers: one GROUP BY on the status index (registered = every status but merged);
* hours: approved minutes per month for the last twelve months, read from the monthly
  roll-up `hours_month` (twelve rows; approval and reversal keep it in their transaction,
  and a reversal's negative minutes land in the month of the record it reverses); this
  month and this year come from those sums;
* organizations and projects: GROUP BY on their indexed status columns;
* the due-and-overdue list of every area (`app.services.due`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import peewee as pw

from app.domain.orgs.incubation import IncubationState
from app.domain.orgs.legal_status import LegalStatus
from app.domain.projects.lifecycle import ProjectStatus
from app.domain.volunteer import Status
from app.services import due
from app.services.due import DueItem
from app.store import rollups
from app.store.db import database, tuples
from app.store.models import Organization, Project, Volunteer

DUE_SHOWN = 20
MONTHS = 12


# --- the figures -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class VolunteerFigures:
    registered: int  # every status but merged (a merged record is a duplicate)
    active: int


@dataclass(frozen=True, slots=True)
class MonthHours:
    year: int
    month: int
    minutes: int

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@dataclass(frozen=True, slots=True)
class HoursFigures:
    this_month_minutes: int
    this_year_minutes: int
    by_month: tuple[MonthHours, ...]  # the last twelve months, oldest first, this one last


@dataclass(frozen=True, slots=True)
class Count:
    key: str  # the enum value
    label: str
    count: int


@dataclass(frozen=True, slots=True)
class OrgFigures:
    total: int
    by_stage: tuple[Count, ...]  # every incubation stage, in the machine's order
    never_applied: int  # organizations with no incubation stage
    by_legal_status: tuple[Count, ...]


@dataclass(frozen=True, slots=True)
class ProjectStatusFigure:
    status: ProjectStatus
    label: str
    count: int
    contracted_fen: int
    paid_fen: int


@dataclass(frozen=True, slots=True)
class ProjectFigures:
    total: int
    by_status: tuple[ProjectStatusFigure, ...]  # every status, in lifecycle order
    contracted_fen: int  # sum of contract amounts (projects without one count 0)
    paid_fen: int
    contracted_count: int = 0  # projects with a contract amount (ProjectMoney.CONTRACTED)
    paid_count: int = 0  # projects with something paid (ProjectMoney.PAID)


@dataclass(frozen=True, slots=True)
class DueFigures:
    items: tuple[DueItem, ...]  # the first DUE_SHOWN, most overdue first
    total: int
    overdue: int


@dataclass(frozen=True, slots=True)
class HomeSummary:
    today: dt.date
    volunteers: VolunteerFigures
    hours: HoursFigures
    orgs: OrgFigures
    projects: ProjectFigures
    due: DueFigures


# --- the queries -------------------------------------------------------------------------


def volunteers() -> VolunteerFigures:
    counts = dict(tuples(Volunteer.select(Volunteer.status, pw.fn.COUNT(Volunteer.id))
                         .group_by(Volunteer.status)))
    registered = sum(int(n) for status, n in counts.items() if status != Status.MERGED)
    return VolunteerFigures(registered, int(counts.get(str(Status.ACTIVE), 0)))


def _months(today: dt.date) -> list[tuple[int, int]]:
    """The last MONTHS (year, month) pairs, oldest first, today's month last."""
    index = today.year * 12 + today.month - 1
    return [divmod(i, 12) for i in range(index - MONTHS + 1, index + 1)]


def hours(today: dt.date) -> HoursFigures:
    """Twelve months of approved minutes from the monthly roll-up (kept by approval and
    reversal), so the figure costs the same at ten million records as at ten."""
    months = _months(today)
    first, last = (f"{y:04d}-{m + 1:02d}" for y, m in (months[0], months[-1]))
    sums = rollups.hours_by_month(first, last)
    by_month = tuple(MonthHours(year, month + 1, sums.get(f"{year:04d}-{month + 1:02d}", 0))
                     for year, month in months)
    return HoursFigures(
        this_month_minutes=by_month[-1].minutes,
        this_year_minutes=sum(h.minutes for h in by_month if h.year == today.year),
        by_month=by_month)


def orgs() -> OrgFigures:
    o = Organization
    stages = dict(tuples(o.select(o.incubation_state, pw.fn.COUNT(o.id))
                         .group_by(o.incubation_state)))
    legal = dict(tuples(o.select(o.legal_status, pw.fn.COUNT(o.id)).group_by(o.legal_status)))
    return OrgFigures(
        total=sum(int(n) for n in legal.values()),
        by_stage=tuple(Count(str(s), s.label, int(stages.get(str(s), 0)))
                       for s in IncubationState),
        never_applied=int(stages.get(None, 0)),
        by_legal_status=tuple(Count(str(s), s.label, int(legal.get(str(s), 0)))
                              for s in LegalStatus))


def projects() -> ProjectFigures:
    """Counts and money per status; the money totals also count the projects they sum, the
    ones `listing.ProjectMoney` filters the project list to (the tiles open that list)."""
    p = Project
    paying = pw.fn.SUM(pw.Case(None, [(p.paid_fen > 0, 1)], 0))
    rows = {}
    counted = [0, 0]
    for status, n, c, paid, with_contract, with_paid in tuples(
            p.select(p.status, pw.fn.COUNT(p.id), pw.fn.SUM(p.contract_amount_fen),
                     pw.fn.SUM(p.paid_fen), pw.fn.COUNT(p.contract_amount_fen), paying)
            .group_by(p.status)):
        rows[status] = (int(n), int(c or 0), int(paid or 0))
        counted[0] += int(with_contract or 0)
        counted[1] += int(with_paid or 0)
    by_status = tuple(ProjectStatusFigure(s, s.label, *rows.get(str(s), (0, 0, 0)))
                      for s in ProjectStatus)
    return ProjectFigures(
        total=sum(f.count for f in by_status), by_status=by_status,
        contracted_fen=sum(f.contracted_fen for f in by_status),
        paid_fen=sum(f.paid_fen for f in by_status),
        contracted_count=counted[0], paid_count=counted[1])


def due_figures(today: dt.date) -> DueFigures:
    found = due.items(today)
    return DueFigures(items=tuple(found[:DUE_SHOWN]), total=len(found),
                      overdue=sum(1 for item in found if item.overdue))


def summary(today: dt.date | None = None) -> HomeSummary:
    """Every figure of the home page, read in one snapshot of the register."""
    today = today or dt.date.today()
    with database.atomic():  # one read transaction: the figures agree with each other
        return HomeSummary(today=today, volunteers=volunteers(), hours=hours(today),
                           orgs=orgs(), projects=projects(), due=due_figures(today))
