"""Supervision: annual inspections (年检), credit lists (活动异常名录 / 严重违法失信名单),
ratings (等级评估), and the standing that sums them up.

The rules (which years are due, by when, what suggests a credit list, who may be rated) are in
`app.domain.orgs.inspection` and `.rating`; this module reads the register, applies them and
records what the authorities decided.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from app.domain.errors import FormErrors, NotFoundError, ValidationError
from app.domain.normalize import clean_text
from app.domain.orgs.inspection import (
    CreditSuggestion,
    InspectionDue,
    InspectionRecord,
    inspection_due,
    suggest_abnormal_list,
    years_due,
)
from app.domain.orgs.kinds import CreditListKind, InspectionResult, OrgKind, Rating
from app.domain.orgs.legal_status import LegalStatus
from app.domain.orgs.periods import fmt_date
from app.domain.orgs.rating import rating_eligibility, rating_valid_on, rating_valid_until
from app.services.common import audit
from app.store.db import writing
from app.store.models import Organization, OrgCreditEntry, OrgInspection, OrgRating, utcnow


def _org(org_id: int) -> Organization:
    row = Organization.get_or_none(Organization.id == org_id)
    if row is None:
        raise NotFoundError(f"找不到该社会组织（内部编号{org_id}）")
    return row

def _fk(row: Any) -> int:
    """The organization id of a row (the models declare no `org_id` attribute for mypy)."""
    return int(row.org_id)



def _due(org: Organization, year: int) -> InspectionDue | None:
    return inspection_due(OrgKind(org.kind), org.registered_on, org.deregistered_on,
                          bool(org.supervisor_unit.strip()), year)


def no_inspection_reason(org: Organization, year: int) -> str:
    """Why the organization owes no inspection for `year` (Chinese)."""
    kind = OrgKind(org.kind)
    if not kind.registrable:
        return "社区社会组织只备案、不登记，不参加年检"
    if org.registered_on is None:
        return "该组织尚未登记，不参加年检"
    if org.registered_on.year > year:
        return f"该组织于{fmt_date(org.registered_on)}登记，{year}年度无需年检"
    if org.deregistered_on is not None and org.deregistered_on < dt.date(year, 1, 1):
        return f"该组织已于{fmt_date(org.deregistered_on)}注销，{year}年度无需年检"
    return (f"民办非企业单位于{fmt_date(org.registered_on)}登记，当年登记不满6个月，"
            f"{year}年度无需年检")


# --- inspections ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class InspectionLine:
    year: int
    recorded: bool  # False: a due year with no row yet
    due: InspectionDue | None  # None: a row for a year the rules no longer say is due
    deadline: dt.date | None
    supervisor_submitted_on: dt.date | None
    submitted_on: dt.date | None
    result: InspectionResult | None
    concluded_on: dt.date | None
    remarks: str
    overdue: bool
    result_label: str


def record(org_id: int, year: int, supervisor_submitted_on: dt.date | None = None,
           submitted_on: dt.date | None = None, result: InspectionResult | None = None,
           concluded_on: dt.date | None = None, remarks: str = "", *,
           today: dt.date | None = None) -> InspectionLine:
    """Record (or correct) the inspection for `year`: one row per organization and year.

    Raises:
        ValidationError: the organization owes nothing for `year` (the reason in Chinese).
        FormErrors: a date in the future or before the reporting period opened, a result
            without a submission date, a conclusion before the submission.
    """
    today = today or dt.date.today()
    remarks = remarks.strip()
    with writing():
        org = _org(org_id)
        due = _due(org, year)
        if due is None:
            raise ValidationError("year", no_inspection_reason(org, year))
        errors: dict[str, str] = {}
        for field, day in (("supervisor_submitted_on", supervisor_submitted_on),
                           ("submitted_on", submitted_on), ("concluded_on", concluded_on)):
            if day is None:
                continue
            if day > today:
                errors[field] = "日期不能晚于今天"
            elif day < due.opens_on:
                errors[field] = f"{year}年度年检自{fmt_date(due.opens_on)}起报送，日期不能更早"
        if result is not None and submitted_on is None:
            errors["submitted_on"] = "填写年检结论前，请先填写报送登记管理机关的日期"
        if concluded_on is not None and result is None:
            errors["result"] = "请选择年检结论"
        if (concluded_on and submitted_on and concluded_on < submitted_on
                and "concluded_on" not in errors):
            errors["concluded_on"] = "结论日期不能早于报送日期"
        if errors:
            raise FormErrors(errors)
        values = {"supervisor_submitted_on": supervisor_submitted_on,
                  "submitted_on": submitted_on,
                  "result": str(result) if result is not None else None,
                  "concluded_on": concluded_on, "remarks": remarks}
        row = OrgInspection.get_or_none((OrgInspection.org == org_id)
                                        & (OrgInspection.year == year))
        if row is None:
            row = OrgInspection.create(org=org_id, year=year, **values)
            audit.record("record_inspection", "org_inspection", row.id, None,
                         {"org_id": org_id, "year": year, **values})
        else:
            before = {k: getattr(row, k) for k in values}
            OrgInspection.update(**values, updated_at=utcnow()).where(
                OrgInspection.id == row.id).execute()
            audit.record("record_inspection", "org_inspection", row.id,
                         *audit.changes(before, values))
            row = OrgInspection.get_by_id(row.id)
        return _line(row.year, row, due, today)


def _line(year: int, row: OrgInspection | None, due: InspectionDue | None,
          today: dt.date) -> InspectionLine:
    submitted = row.submitted_on if row else None
    result = InspectionResult(row.result) if row and row.result else None
    overdue = due is not None and due.is_overdue(submitted, today)
    if result is not None:
        label = result.label
    elif submitted is not None:
        label = "已报送，待审"
    elif overdue:
        label = "逾期未报送"
    elif due is not None and today < due.opens_on:
        label = "未开始"
    else:
        label = "待报送"
    return InspectionLine(
        year, row is not None, due, due.deadline if due else None,
        row.supervisor_submitted_on if row else None, submitted, result,
        row.concluded_on if row else None, row.remarks if row else "", overdue, label)


def history(org_id: int, today: dt.date | None = None) -> list[InspectionLine]:
    """Newest year first: every recorded year and every due year still missing a record."""
    today = today or dt.date.today()
    org = _org(org_id)
    rows = {r.year: r for r in OrgInspection.select().where(OrgInspection.org == org_id)}
    due_years = years_due(OrgKind(org.kind), org.registered_on, org.deregistered_on,
                          bool(org.supervisor_unit.strip()), today)
    years = sorted(set(rows) | set(due_years), reverse=True)
    return [_line(year, rows.get(year), _due(org, year), today) for year in years]


def suggestion(org_id: int, today: dt.date | None = None) -> CreditSuggestion | None:
    """What the inspection history suggests for the credit lists (staff decide)."""
    today = today or dt.date.today()
    org = _org(org_id)
    entries = credit_entries(org_id)
    if any(e.active and e.list_kind is CreditListKind.SERIOUS for e in entries):
        return None  # already on the most severe list
    abnormal = [e for e in entries if e.list_kind is CreditListKind.ABNORMAL]
    listed = min((e.listed_on for e in abnormal if e.active), default=None)
    removed = max((e.removed_on for e in abnormal if e.removed_on is not None), default=None)
    records = {
        r.year: InspectionRecord(r.year, r.submitted_on,
                                 InspectionResult(r.result) if r.result else None)
        for r in OrgInspection.select().where(OrgInspection.org == org_id)}
    return suggest_abnormal_list(
        OrgKind(org.kind), org.registered_on, org.deregistered_on,
        bool(org.supervisor_unit.strip()), records, today,
        abnormal_listed_on=listed, removed_on=removed)


# --- credit lists --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CreditLine:
    id: int
    org_id: int
    list_kind: CreditListKind
    listed_on: dt.date
    reason: str
    authority: str
    removed_on: dt.date | None
    removal_reason: str

    @property
    def active(self) -> bool:
        return self.removed_on is None

    @property
    def list_label(self) -> str:
        return self.list_kind.label


def _credit_line(r: OrgCreditEntry) -> CreditLine:
    return CreditLine(r.id, _fk(r), CreditListKind(r.list_kind), r.listed_on, r.reason,
                      r.authority, r.removed_on, r.removal_reason)


def list_entry(org_id: int, list_kind: CreditListKind, listed_on: dt.date, reason: str,
               authority: str = "") -> CreditLine:
    """Record that the authority put the organization on a credit list.

    Raises:
        FormErrors: no reason; already on that list.
    """
    reason = reason.strip()
    authority = clean_text(authority)
    with writing():
        _org(org_id)
        errors: dict[str, str] = {}
        if not reason:
            errors["reason"] = "请填写列入原因"
        active = OrgCreditEntry.get_or_none(
            (OrgCreditEntry.org == org_id) & (OrgCreditEntry.list_kind == str(list_kind))
            & OrgCreditEntry.removed_on.is_null())
        if active is not None:
            errors["list_kind"] = (f"该组织已于{fmt_date(active.listed_on)}列入{list_kind.label}，"
                                   "尚未移出")
        if errors:
            raise FormErrors(errors)
        row = OrgCreditEntry.create(org=org_id, list_kind=str(list_kind), listed_on=listed_on,
                                    reason=reason, authority=authority)
        audit.record("credit_list", "org_credit_entry", row.id, None,
                     {"org_id": org_id, "list_kind": str(list_kind), "listed_on": listed_on,
                      "reason": reason, "authority": authority})
        return _credit_line(row)


def remove_entry(entry_id: int, removed_on: dt.date, reason: str) -> CreditLine:
    """Record the removal from a credit list (the entry stays, with its removal).

    Raises:
        FormErrors: no reason; a date before the listing; already removed.
    """
    reason = reason.strip()
    with writing():
        row = OrgCreditEntry.get_or_none(OrgCreditEntry.id == entry_id)
        if row is None:
            raise NotFoundError("找不到该名录记录")
        errors: dict[str, str] = {}
        if not reason:
            errors["reason"] = "请填写移出原因"
        if row.removed_on is not None:
            errors["removed_on"] = f"该记录已于{fmt_date(row.removed_on)}移出"
        elif removed_on < row.listed_on:
            errors["removed_on"] = f"移出日期不能早于列入日期（{fmt_date(row.listed_on)}）"
        if errors:
            raise FormErrors(errors)
        OrgCreditEntry.update(removed_on=removed_on, removal_reason=reason).where(
            OrgCreditEntry.id == entry_id).execute()
        audit.record("credit_remove", "org_credit_entry", entry_id,
                     {"removed_on": None}, {"removed_on": removed_on, "reason": reason})
        return _credit_line(OrgCreditEntry.get_by_id(entry_id))


def credit_entries(org_id: int) -> list[CreditLine]:
    """Newest listing first."""
    query = (OrgCreditEntry.select().where(OrgCreditEntry.org == org_id)
             .order_by(OrgCreditEntry.listed_on.desc(), OrgCreditEntry.id.desc()))
    return [_credit_line(r) for r in query]


# --- ratings -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RatingLine:
    id: int
    org_id: int
    rating: Rating
    rated_on: dt.date
    valid_until: dt.date
    evaluator: str
    valid_on_today: bool

    @property
    def label(self) -> str:
        return self.rating.label


def _on_serious_list(org_id: int) -> bool:
    return OrgCreditEntry.select().where(
        (OrgCreditEntry.org == org_id) & (OrgCreditEntry.list_kind == str(CreditListKind.SERIOUS))
        & OrgCreditEntry.removed_on.is_null()).exists()


def rate(org_id: int, rating: Rating, rated_on: dt.date, evaluator: str = "") -> RatingLine:
    """Record a rating; the organization's current rating follows the newest one.

    Raises:
        ValidationError: the organization was not eligible on `rated_on` (every reason).
    """
    evaluator = clean_text(evaluator)
    with writing():
        org = _org(org_id)
        eligibility = rating_eligibility(OrgKind(org.kind), org.registered_on,
                                         org.deregistered_on, _on_serious_list(org_id), rated_on)
        if not eligibility.eligible:
            raise ValidationError("rating", "不能评定等级：" + "；".join(eligibility.reasons))
        valid_until = rating_valid_until(rated_on)
        row = OrgRating.create(org=org_id, rating=str(rating), rated_on=rated_on,
                               valid_until=valid_until, evaluator=evaluator)
        if org.rated_on is None or rated_on >= org.rated_on:
            Organization.update(rating=str(rating), rated_on=rated_on, updated_at=utcnow(),
                                version=Organization.version + 1).where(
                Organization.id == org_id).execute()
        audit.record("rate", "org_rating", row.id, {"rating": org.rating, "rated_on": org.rated_on},
                     {"org_id": org_id, "rating": str(rating), "rated_on": rated_on,
                      "valid_until": valid_until, "evaluator": evaluator})
        return RatingLine(row.id, org_id, rating, rated_on, valid_until, evaluator,
                          rating_valid_on(rated_on, dt.date.today()))


def ratings(org_id: int, today: dt.date | None = None) -> list[RatingLine]:
    """Newest first."""
    today = today or dt.date.today()
    query = (OrgRating.select().where(OrgRating.org == org_id)
             .order_by(OrgRating.rated_on.desc(), OrgRating.id.desc()))
    return [RatingLine(r.id, _fk(r), Rating(r.rating), r.rated_on, r.valid_until, r.evaluator,
                       r.rated_on <= today <= r.valid_until) for r in query]


# --- standing ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Standing:
    """Whether the organization is in good standing, and every reason it is not (Chinese)."""

    ok: bool
    problems: tuple[str, ...]


def standing(org_id: int, today: dt.date | None = None) -> Standing:
    """Deregistered, on a credit list, last inspection failed, an inspection overdue."""
    today = today or dt.date.today()
    org = _org(org_id)
    problems: list[str] = []
    if org.legal_status == str(LegalStatus.DEREGISTERED):
        on = org.deregistered_on
        problems.append(f"已于{fmt_date(on)}注销" if on else "已注销")
    for entry in reversed(credit_entries(org_id)):
        if entry.active:
            problems.append(f"自{fmt_date(entry.listed_on)}列入{entry.list_label}：{entry.reason}")
    lines = history(org_id, today)
    judged = [line for line in lines if line.result is not None]
    if judged and judged[0].result is InspectionResult.FAIL:
        problems.append(f"{judged[0].year}年度年检结论为不合格")
    if org.legal_status != str(LegalStatus.DEREGISTERED):
        overdue = [(line.year, line.deadline) for line in reversed(lines)
                   if line.overdue and line.deadline is not None]
        if overdue:
            years = "、".join(str(year) for year, _ in overdue)
            problems.append(f"{years}年度年检逾期未报送（最近一次截止{fmt_date(overdue[-1][1])}）")
    return Standing(not problems, tuple(problems))
