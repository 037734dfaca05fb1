"""Rating (等级评估): 1A–5A, valid five years, open after two full years registered.

Choices made here:

* Validity: from the rating date through the day before its fifth anniversary (rated
  2021-12-15 -> valid through 2026-12-14); a 29 February rating runs through 28 February.
* "Two full years registered" (取得登记证书满两个年度) counts complete calendar years after
  registration: registered any day of 2022 except 1 January -> 2023 and 2024 are the two
  years -> eligible from 2025-01-01. Registered on 1 January 2022 -> 2022 counts -> eligible
  from 2024-01-01. Calendar years, because the 年度 is the unit of the annual inspection.
* Eligibility also needs: not deregistered, not on the 严重违法失信名单, a registrable type.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.domain.orgs.kinds import OrgKind, Rating
from app.domain.orgs.periods import add_years, fmt_date

VALID_YEARS = 5
FULL_YEARS_REQUIRED = 2
PRIORITY_LEVEL = 3  # 3A and above get priority in government purchasing


@dataclass(frozen=True, slots=True)
class RatingEligibility:
    """Whether an organization may apply for a rating on a given day, and why not."""

    eligible: bool
    reasons: tuple[str, ...]  # Chinese; empty when eligible
    eligible_from: dt.date | None  # first day the two-year condition holds; None: never


def rating_valid_until(rated_on: dt.date) -> dt.date:
    """The last day a rating given on `rated_on` is valid (day before the 5th anniversary)."""
    return add_years(rated_on, VALID_YEARS) - dt.timedelta(days=1)


def rating_valid_on(rated_on: dt.date, day: dt.date) -> bool:
    """Both ends inclusive."""
    return rated_on <= day <= rating_valid_until(rated_on)


def priority_in_purchasing(rating: Rating | None, rated_on: dt.date | None,
                           today: dt.date) -> bool:
    """3A or above and still valid on `today`."""
    if rating is None or rated_on is None:
        return False
    return rating.level >= PRIORITY_LEVEL and rating_valid_on(rated_on, today)


def eligible_from(registered_on: dt.date) -> dt.date:
    """1 January after two complete calendar years of registration (see module docstring)."""
    starts_year = (registered_on.month, registered_on.day) == (1, 1)
    first_full_year = registered_on.year if starts_year else registered_on.year + 1
    return dt.date(first_full_year + FULL_YEARS_REQUIRED, 1, 1)


def rating_eligibility(kind: OrgKind, registered_on: dt.date | None,
                       deregistered_on: dt.date | None, on_serious_list: bool,
                       today: dt.date) -> RatingEligibility:
    """Every reason the organization may not apply on `today`, in Chinese."""
    reasons: list[str] = []
    start: dt.date | None = None
    if not kind.registrable:
        reasons.append("社区社会组织只备案、未登记，不参加等级评估")
    elif registered_on is None:
        reasons.append("尚未登记；取得登记证书满两个年度后方可申请评估")
    else:
        start = eligible_from(registered_on)
        if today < start:
            reasons.append(
                f"登记于{fmt_date(registered_on)}，须满两个完整年度"
                f"（{start.year - 2}年、{start.year - 1}年），{fmt_date(start)}起方可申请评估")
    if deregistered_on is not None and deregistered_on <= today:
        reasons.append(f"已于{fmt_date(deregistered_on)}注销")
        start = None
    if on_serious_list:
        reasons.append("已列入严重违法失信名单")
    return RatingEligibility(not reasons, tuple(reasons), start)
