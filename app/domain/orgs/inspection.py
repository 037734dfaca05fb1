"""Annual inspection (年检 / 年度工作报告): which years are due, by when, and what a miss means.

Inspection year Y is reported in Y+1. Deadlines (all in Y+1):

* 社会团体 and 民办非企业单位: to the business supervisor (业务主管单位) by 31 March, then to the
  registration authority by 31 May; with no supervisor (direct registration since 2013) only
  the 31 May deadline applies.
* 基金会: to the registration authority by 31 March (through its supervisor, if any; the
  supervisor has no earlier deadline of its own).
* A 民办非企业单位 registered on or after 1 July Y skips year Y (fewer than six months).
* No inspection for Y when registered after Y or deregistered before Y; none for community
  organizations (filed only) or unregistered groups.

A deregistration during Y or later leaves year Y due: the rules here do not waive it; the
service may, when the liquidation audit covers the year.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from app.domain.orgs.kinds import CreditListKind, InspectionResult, OrgKind
from app.domain.orgs.periods import add_years, fmt_date

SERIOUS_AFTER_YEARS = 2
"""Years on the 活动异常名录 after which the 严重违法失信名单 is suggested."""


@dataclass(frozen=True, slots=True)
class InspectionDue:
    """The inspection an organization owes for `year`, with its deadlines (in year + 1)."""

    year: int
    kind: OrgKind
    supervisor_deadline: dt.date | None  # None: no separate supervisor step
    authority_deadline: dt.date  # the registration authority's (final) deadline

    @property
    def opens_on(self) -> dt.date:
        """The first day the report for `year` can be submitted."""
        return dt.date(self.year + 1, 1, 1)

    @property
    def deadline(self) -> dt.date:
        """The last day; missing it puts the inspection past due."""
        return self.authority_deadline

    def is_overdue(self, submitted_on: dt.date | None, today: dt.date) -> bool:
        """Not submitted and the final deadline has passed (the deadline day itself is in time)."""
        return submitted_on is None and today > self.deadline


@dataclass(frozen=True, slots=True)
class InspectionRecord:
    """What the register holds for one inspection year."""

    year: int
    submitted_on: dt.date | None = None
    result: InspectionResult | None = None


@dataclass(frozen=True, slots=True)
class CreditSuggestion:
    """A suggestion to put the organization on a credit list; staff decide and record it."""

    list_kind: CreditListKind
    reasons: tuple[str, ...]  # Chinese, one per cause
    years: tuple[int, ...] = ()  # the inspection years behind it (empty for SERIOUS)


def inspection_due(kind: OrgKind, registered_on: dt.date | None,
                   deregistered_on: dt.date | None, has_supervisor: bool,
                   year: int) -> InspectionDue | None:
    """The inspection owed for `year`, or None when the organization owes none."""
    if not kind.registrable or registered_on is None:
        return None
    if registered_on.year > year:
        return None
    if deregistered_on is not None and deregistered_on < dt.date(year, 1, 1):
        return None
    if kind is OrgKind.PRIVATE_NON_ENTERPRISE and registered_on >= dt.date(year, 7, 1):
        return None
    march, may = dt.date(year + 1, 3, 31), dt.date(year + 1, 5, 31)
    if kind is OrgKind.FOUNDATION:
        return InspectionDue(year, kind, None, march)
    return InspectionDue(year, kind, march if has_supervisor else None, may)


def years_due(kind: OrgKind, registered_on: dt.date | None, deregistered_on: dt.date | None,
              has_supervisor: bool, today: dt.date) -> tuple[int, ...]:
    """Inspection years whose reporting period has opened by `today` (year < today.year).

    These are the yearly records that should exist (submitted or not), oldest first.
    """
    if registered_on is None:
        return ()
    return tuple(
        year for year in range(registered_on.year, today.year)
        if inspection_due(kind, registered_on, deregistered_on, has_supervisor, year))


def suggest_abnormal_list(kind: OrgKind, registered_on: dt.date | None,
                          deregistered_on: dt.date | None, has_supervisor: bool,
                          records: Mapping[int, InspectionRecord], today: dt.date, *,
                          abnormal_listed_on: dt.date | None = None,
                          removed_on: dt.date | None = None) -> CreditSuggestion | None:
    """What the inspection history suggests for the credit lists, or None.

    * Already on the 活动异常名录 (`abnormal_listed_on`) for two full years by `today`:
      suggest the 严重违法失信名单. Listed for less: nothing new to suggest.
    * Not listed: an inspection not submitted past its deadline, or judged 不合格, suggests
      the 活动异常名录. Years whose deadline fell on or before `removed_on` (the last removal
      from the list) are left out: the authority has dealt with them.
    * A deregistered organization gets no suggestion.

    Args:
        records: by inspection year; a year absent from it counts as not submitted.
    """
    if deregistered_on is not None and deregistered_on <= today:
        return None
    if abnormal_listed_on is not None:
        serious_from = add_years(abnormal_listed_on, SERIOUS_AFTER_YEARS)
        if today >= serious_from:
            return CreditSuggestion(
                CreditListKind.SERIOUS,
                (f"自{fmt_date(abnormal_listed_on)}列入活动异常名录已满两年",))
        return None
    reasons: list[str] = []
    years: list[int] = []
    first_year = registered_on.year if registered_on is not None else today.year
    for year in range(first_year, today.year):
        due = inspection_due(kind, registered_on, deregistered_on, has_supervisor, year)
        if due is None:
            continue
        if removed_on is not None and due.deadline <= removed_on:
            continue
        record = records.get(year, InspectionRecord(year))
        if due.is_overdue(record.submitted_on, today):
            reasons.append(f"{year}年度年检未在{fmt_date(due.deadline)}前提交")
            years.append(year)
        elif record.result is InspectionResult.FAIL:
            reasons.append(f"{year}年度年检结论为不合格")
            years.append(year)
    if not reasons:
        return None
    return CreditSuggestion(CreditListKind.ABNORMAL, tuple(reasons), tuple(years))
