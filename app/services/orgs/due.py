"""What is due or overdue across the whole register, most overdue first.

Each kind of item comes from one *source*: a function `(today, within) -> Iterable[DueItem]`
registered in `SOURCES` with its label and default window. The projects area adds its own
source (payment tranches) with `add_source`, without touching the ones here.

Every source is set-based — a handful of queries however many organizations there are, never
one per organization — so the list stays fast on a district's 10,000 organizations:

* **inspection** (年检): per candidate year, one query for the currently registered
  organizations with no submission for that year (an anti-join on the (org_id, year) index),
  then the rules of `inspection_due` in Python on those few. Candidate years: the one being
  reported now (today.year − 1, deadline 31 March / 31 May of this year), the one before it
  (its deadline passed last year), and any later year whose deadline falls inside the window.
  Older unsubmitted years are not listed: by then the organization is a case for the credit
  lists (`inspections.suggestion`), not a reminder, and listing them would bury this year's
  work. Deregistered organizations are not chased here. 10,000 organizations with ten years
  of inspections: about 60 ms for the whole list on SQLite.
* **agreement** (孵化协议到期): organizations in INCUBATING with their newest agreement.
* **certificate** (登记证书到期): registered, certificate_valid_to inside the window or passed
  within the last `EXPIRED_SHOWN_DAYS`.
* **rating** (评估等级到期): the organization's current rating, valid_until inside the
  window or passed within the last `EXPIRED_SHOWN_DAYS` (not for deregistered organizations).

An expiry leaves the list when it is renewed (a new certificate date, a new rating), when the
organization is deregistered, or a year after it passed (`EXPIRED_SHOWN_DAYS`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import peewee as pw

from app.domain.orgs.incubation import IncubationState
from app.domain.orgs.inspection import inspection_due
from app.domain.orgs.kinds import OrgKind, Rating
from app.domain.orgs.legal_status import LegalStatus
from app.domain.orgs.periods import add_years, fmt_date
from app.domain.orgs.rating import rating_valid_until
from app.store.db import tuples
from app.store.models import OrgAgreement, Organization, OrgInspection


@dataclass(frozen=True, slots=True)
class DueItem:
    """One thing to chase. `days_overdue` > 0: late by that many days; ≤ 0: days left."""

    kind: str
    kind_label: str
    org_id: int
    credit_code: str
    name: str
    due: dt.date
    days_overdue: int
    detail: str
    project_id: int | None = None  # a project's tranche or milestone: open the project
    project: str = ""  # and its number and name, "XM2026-0001 社区居家养老服务项目"

    @property
    def subject(self) -> str:
        """Whom the item concerns: an organization's code and name; for a project's item the
        project first (its contractor alone does not say which of its projects is due)."""
        if self.project:
            return f"{self.project}（{self.name}）" if self.org_id else self.project
        return f"{self.credit_code} {self.name}" if self.credit_code else self.name

    @property
    def overdue(self) -> bool:
        return self.days_overdue > 0


EXPIRED_SHOWN_DAYS = 365
"""How long a lapsed certificate or rating stays listed as overdue, in days.

A year is one full round of the desk's calendar: the next annual inspection and annual
report both come round inside it, so staff meet the organization and can chase the renewal
(or learn it will not re-apply; a rating is voluntary). After that the lapse is a standing
fact shown on the organization's own record, not a reminder; kept on the list it would
bury this month's work under the same old names forever, as unsubmitted inspections older
than last year's would (they are not listed either). Applies to `yilian due`, the due view
and the home page alike, since all read `items`.
"""

Collect = Callable[[dt.date, int], Iterable[DueItem]]
"""A source: (today, window in days) -> its due items."""


@dataclass(frozen=True, slots=True)
class DueSource:
    kind: str
    label: str
    within: int  # default window in days
    collect: Collect


SOURCES: dict[str, DueSource] = {}


def add_source(kind: str, label: str, within: int, collect: Collect) -> None:
    """Register a kind of due item (a later one with the same kind replaces it)."""
    SOURCES[kind] = DueSource(kind, label, within, collect)


def kind_labels() -> dict[str, str]:
    """Kind → Chinese label, for a filter list."""
    return {kind: source.label for kind, source in SOURCES.items()}


def items(today: dt.date | None = None, within: int | None = None,
          kinds: Iterable[str] | None = None) -> list[DueItem]:
    """Everything due within each kind's window (or `within` days for all), most overdue first.

    Args:
        within: overrides every kind's window.
        kinds: only these kinds (default: all).
    """
    today = today or dt.date.today()
    wanted = set(kinds) if kinds is not None else None
    found: list[DueItem] = []
    for source in SOURCES.values():
        if wanted is not None and source.kind not in wanted:
            continue
        found.extend(source.collect(today, source.within if within is None else within))
    found.sort(key=lambda i: (-i.days_overdue, i.name, i.org_id, i.kind))
    return found


def _item(kind: str, org_id: int, code: str | None, name: str, due: dt.date,
          today: dt.date, detail: str) -> DueItem:
    return DueItem(kind, SOURCES[kind].label, org_id, code or "", name, due,
                   (today - due).days, detail)


# --- the organization sources --------------------------------------------------------------


def _inspections(today: dt.date, within: int) -> list[DueItem]:
    horizon = today + dt.timedelta(days=within)
    first = today.year - 2
    # year Y's deadline is in Y+1: take every year whose deadline can fall by the horizon
    years = list(range(first, max(horizon.year - 1, today.year - 1) + 1))
    kinds = {k.value: k for k in OrgKind}
    found = []
    o, i = Organization, OrgInspection.alias()
    for year in years:
        if dt.date(year + 1, 3, 31) > horizon:  # the earliest deadline of any kind
            continue
        # registered organizations with no submission for `year`: an anti-join on the
        # (org_id, year) index, so only the few that owe something come back
        submitted = (i.select(pw.SQL("1"))
                     .where((i.org == o.id) & (i.year == year) & i.submitted_on.is_null(False)))
        query = (o.select(o.id, o.credit_code, o.name, o.kind, o.registered_on,
                          o.deregistered_on, o.supervisor_unit)
                 .where((o.legal_status == str(LegalStatus.REGISTERED))
                        & (o.kind != str(OrgKind.COMMUNITY))
                        & (o.registered_on <= dt.date(year, 12, 31))
                        & ~pw.fn.EXISTS(submitted)))
        for oid, code, name, kind, registered_on, deregistered_on, supervisor in tuples(query):
            due = inspection_due(kinds[kind], registered_on, deregistered_on,
                                 bool(supervisor.strip()), year)
            if due is None or due.deadline > horizon:
                continue
            detail = f"{year}年度年检，报送登记管理机关截止{fmt_date(due.deadline)}"
            if due.supervisor_deadline is not None:
                detail += f"（业务主管单位初审截止{fmt_date(due.supervisor_deadline)}）"
            found.append(_item("inspection", oid, code, name, due.deadline, today, detail))
    return found


def _agreements(today: dt.date, within: int) -> list[DueItem]:
    horizon = today + dt.timedelta(days=within)
    o = Organization
    query = (OrgAgreement.select(o.id, o.credit_code, o.name, OrgAgreement.ends_on,
                                 OrgAgreement.id)
             .join(o, on=(OrgAgreement.org == o.id))
             .where(o.incubation_state == str(IncubationState.INCUBATING))
             .order_by(OrgAgreement.id))
    newest: dict[int, tuple] = {}
    for row in tuples(query):
        newest[row[0]] = row  # the newest agreement of each organization wins
    found = []
    for oid, code, name, ends_on, _ in newest.values():
        if ends_on > horizon:
            continue
        detail = (f"孵化协议{'已于' if ends_on < today else '将于'}{fmt_date(ends_on)}到期，"
                  "请办理出壳、延期或退出")
        found.append(_item("agreement", oid, code, name, ends_on, today, detail))
    return found


def _certificates(today: dt.date, within: int) -> list[DueItem]:
    horizon = today + dt.timedelta(days=within)
    o = Organization
    oldest = today - dt.timedelta(days=EXPIRED_SHOWN_DAYS)
    query = (o.select(o.id, o.credit_code, o.name, o.certificate_valid_to, o.certificate_number)
             .where((o.legal_status == str(LegalStatus.REGISTERED))
                    & o.certificate_valid_to.is_null(False)
                    & (o.certificate_valid_to <= horizon)
                    & (o.certificate_valid_to >= oldest)))
    found = []
    for oid, code, name, valid_to, number in tuples(query):
        shown = f"（证号{number}）" if number else ""
        detail = f"登记证书{shown}有效期至{fmt_date(valid_to)}，请办理换证"
        found.append(_item("certificate", oid, code, name, valid_to, today, detail))
    return found


def _ratings(today: dt.date, within: int) -> list[DueItem]:
    horizon = today + dt.timedelta(days=within)
    # valid_until = 5th anniversary - 1 day <= horizon  <=>  rated_on <= horizon + 1 - 5 years
    # (one spare day for 29 February; the exact test follows in Python)
    latest = add_years(horizon + dt.timedelta(days=2), -5)
    oldest = today - dt.timedelta(days=EXPIRED_SHOWN_DAYS)
    earliest = add_years(oldest - dt.timedelta(days=2), -5)  # lapsed longer ago: not listed
    o = Organization
    query = (o.select(o.id, o.credit_code, o.name, o.rating, o.rated_on)
             .where((o.rating != "") & o.rated_on.is_null(False) & (o.rated_on <= latest)
                    & (o.rated_on >= earliest)
                    & (o.legal_status != str(LegalStatus.DEREGISTERED))))
    found = []
    for oid, code, name, rating, rated_on in tuples(query):
        until = rating_valid_until(rated_on)
        if until > horizon or until < oldest:
            continue
        detail = (f"{Rating(rating).label}（{fmt_date(rated_on)}评定）有效期至{fmt_date(until)}，"
                  "可申请重新评估")
        found.append(_item("rating", oid, code, name, until, today, detail))
    return found


add_source("inspection", "年检", 60, _inspections)
add_source("agreement", "孵化协议到期", 30, _agreements)
add_source("certificate", "登记证书到期", 90, _certificates)
add_source("rating", "评估等级到期", 90, _ratings)
