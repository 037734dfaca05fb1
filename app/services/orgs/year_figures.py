"""The yearly figures staff enter for an organization's annual report (年度工作报告书).

The register does not hold staff numbers, members, meetings, the financial statements, the
activity overview or the remarks of a year; staff type them from the organization's papers.
One `org_year_figures` row per organization and year keeps them, and
`annual_report.data_for` prints them. The JSON written here is the format that module reads
(`_meetings`, `_finance`): the field names come from `reports.annual_report.BalanceSheet` and
`ActivityStatement` themselves, so the two cannot drift apart. No finance entered means an
empty column: the report prints the statements as ruled blanks.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from app.domain.errors import FormErrors, NotFoundError
from app.domain.orgs.periods import fmt_date
from app.services.common import audit
from app.services.orgs.annual_report import FIRST_YEAR
from app.store.db import writing
from app.store.models import Organization, OrgYearFigures
from reports import annual_report as rpt

OVERVIEW_MAX = 1500        # characters, as the official form says (业务活动概述限1500字)
COUNT_MAX = 10_000_000     # staff and members: beyond this it is a typing slip
MONEY_MAX_FEN = 10 ** 15   # a hundred billion 元 (千亿): beyond this it is a typing slip

# Field → the label the report prints (reports.annual_report `_BALANCE_ROWS`, `_INCOME_ROWS`,
# `_EXPENSE_ROWS`), in the report's order.
_BALANCE_LABELS = {
    "current_assets": "流动资产合计",
    "long_term_investments": "长期投资合计",
    "fixed_assets": "固定资产合计",
    "total_assets": "资产总计",
    "current_liabilities": "流动负债合计",
    "long_term_liabilities": "长期负债合计",
    "total_liabilities": "负债合计",
    "unrestricted_net_assets": "非限定性净资产",
    "restricted_net_assets": "限定性净资产",
    "total_net_assets": "净资产合计",
}
_ACTIVITY_LABELS = {
    "donation": "捐赠收入",
    "membership_fees": "会费收入",
    "services": "提供服务收入",
    "sales": "商品销售收入",
    "government_grants": "政府补助收入",
    "investment": "投资收益",
    "other_income": "其他收入",
    "program_costs": "业务活动成本",
    "admin_expenses": "管理费用",
    "fundraising_expenses": "筹资费用",
    "other_expenses": "其他费用",
}
BALANCE_FIELD_NAMES = tuple(f.name for f in dataclasses.fields(rpt.BalanceSheet))
ACTIVITY_FIELD_NAMES = tuple(f.name for f in dataclasses.fields(rpt.ActivityStatement))
if set(_BALANCE_LABELS) != set(BALANCE_FIELD_NAMES) or \
        set(_ACTIVITY_LABELS) != set(ACTIVITY_FIELD_NAMES):  # pragma: no cover - drift guard
    raise ImportError("year_figures labels do not match reports.annual_report's statements")
BALANCE_FIELDS: dict[str, str] = {name: _BALANCE_LABELS[name] for name in BALANCE_FIELD_NAMES}
ACTIVITY_FIELDS: dict[str, str] = {name: _ACTIVITY_LABELS[name] for name in ACTIVITY_FIELD_NAMES}
INCOME_FIELDS = ACTIVITY_FIELD_NAMES[:7]    # 一、收入
EXPENSE_FIELDS = ACTIVITY_FIELD_NAMES[7:]   # 二、费用
# Net assets may be a deficit (negative); every other amount is ≥ 0.
SIGNED_FIELDS = frozenset({"unrestricted_net_assets", "restricted_net_assets",
                           "total_net_assets"})


@dataclass(frozen=True)
class Meeting:
    """A meeting held in the year (会员大会, 理事会, 监事会 …)."""

    kind: str
    held_on: dt.date | None = None
    charter_rule: str = ""   # what the charter requires, e.g. 每年至少召开1次
    attendance: str = ""     # e.g. 应到15人，实到13人
    content: str = ""        # topics, resolutions, elections


@dataclass(frozen=True)
class YearFigures:
    """What staff entered for one organization and year.

    `balance` maps a `BALANCE_FIELDS` name to (年初数, 期末数) in fen; `activity` an
    `ACTIVITY_FIELDS` name to (非限定性, 限定性) in fen. Both empty: no statements entered.
    """

    org_id: int
    year: int
    staff_full_time: int = 0
    staff_part_time: int = 0
    members_units: int | None = None
    members_individuals: int | None = None
    activity_overview: str = ""
    meetings: tuple[Meeting, ...] = ()
    balance: dict[str, tuple[int, int]] = field(default_factory=dict)
    activity: dict[str, tuple[int, int]] = field(default_factory=dict)
    remarks: str = ""

    @property
    def has_finance(self) -> bool:
        return bool(self.balance or self.activity)


def overview_length(text: str) -> int:
    """How the 1500-character limit counts: the text without surrounding blanks."""
    return len(text.strip())


# --- public API -----------------------------------------------------------------------------


def get(org_id: int, year: int) -> YearFigures:
    """The figures entered for `year`, or empty ones when none were.

    Raises:
        NotFoundError: no such organization.
    """
    _org(org_id)
    row = OrgYearFigures.get_or_none((OrgYearFigures.org == org_id)
                                     & (OrgYearFigures.year == year))
    if row is None:
        return YearFigures(org_id=org_id, year=year)
    return _figures(org_id, row)


def save(figures: YearFigures, today: dt.date | None = None) -> YearFigures:
    """Validate and store the figures (one row per organization and year, replaced).

    Raises:
        NotFoundError: no such organization.
        FormErrors: keyed by field (`year`, `staff_full_time`, …, `activity_overview`,
            `meetings.<index>`, `balance.<name>`, `activity.<name>`); nothing is stored.
    """
    today = today or dt.date.today()
    with writing():
        org = _org(figures.org_id)
        clean = _validated(figures, org, today)
        values = _columns(clean)
        y = OrgYearFigures
        row = y.get_or_none((y.org == clean.org_id) & (y.year == clean.year))
        if row is None:
            row = y.create(org=clean.org_id, year=clean.year, **values)
            audit.record("save_year_figures", "org_year_figures", row.id, None,
                         {"org_id": clean.org_id, "year": clean.year, **values})
        else:
            before = {k: getattr(row, k) for k in values}
            y.update(**values).where(y.id == row.id).execute()
            audit.record("save_year_figures", "org_year_figures", row.id,
                         *audit.changes(before, values))
            row = y.get_by_id(row.id)
        return _figures(clean.org_id, row)


# --- validation -----------------------------------------------------------------------------


def _org(org_id: int) -> Organization:
    row = Organization.get_or_none(Organization.id == org_id)
    if row is None:
        raise NotFoundError(f"找不到该社会组织（内部编号{org_id}）")
    return row


def first_year(org: Organization) -> int:
    """The earliest year the organization can report on: founded, filed or registered."""
    days = [d for d in (org.founded_on, org.filed_on, org.registered_on) if d is not None]
    return min(d.year for d in days) if days else FIRST_YEAR


def _validated(fig: YearFigures, org: Organization, today: dt.date) -> YearFigures:
    errors: dict[str, str] = {}
    start = first_year(org)
    if not start <= fig.year <= today.year:
        dated = min(((d, what) for d, what in ((org.founded_on, "成立"), (org.filed_on, "备案"),
                                               (org.registered_on, "登记")) if d is not None),
                    default=None)
        why = f"该组织于{fmt_date(dated[0])}{dated[1]}，" if dated else ""
        errors["year"] = f"{why}年度应在{start}年至{today.year}年之间，不能是{fig.year}年"
    for name, label, value, optional in (
            ("staff_full_time", "专职工作人员", fig.staff_full_time, False),
            ("staff_part_time", "兼职工作人员", fig.staff_part_time, False),
            ("members_units", "单位会员", fig.members_units, True),
            ("members_individuals", "个人会员", fig.members_individuals, True)):
        problem = _count_problem(label, value, optional)
        if problem:
            errors[name] = problem
    overview = fig.activity_overview.strip()
    if overview_length(overview) > OVERVIEW_MAX:
        errors["activity_overview"] = (f"业务活动概述不能超过{OVERVIEW_MAX}字，"
                                       f"现有{overview_length(overview)}字")
    meetings = []
    for i, m in enumerate(fig.meetings):
        meeting = Meeting(kind=m.kind.strip(), held_on=m.held_on,
                          charter_rule=m.charter_rule.strip(),
                          attendance=m.attendance.strip(), content=m.content.strip())
        if not any((meeting.kind, meeting.held_on, meeting.charter_rule, meeting.attendance,
                    meeting.content)):
            continue   # a blank row the table left
        row = f"第{i + 1}行会议："
        if not meeting.kind:
            errors[f"meetings.{i}"] = row + "请填写会议名称（如会员大会、理事会）"
        elif meeting.held_on is not None and meeting.held_on.year != fig.year:
            errors[f"meetings.{i}"] = (row + f"召开时间{fmt_date(meeting.held_on)}不在"
                                       f"{fig.year}年度内")
        meetings.append(meeting)
    balance = _amounts("balance", "资产负债表", BALANCE_FIELDS, fig.balance, errors)
    activity = _amounts("activity", "业务活动表", ACTIVITY_FIELDS, fig.activity, errors)
    if errors:
        raise FormErrors(errors)
    return dataclasses.replace(fig, activity_overview=overview, meetings=tuple(meetings),
                               balance=balance, activity=activity,
                               remarks=fig.remarks.strip())


def _count_problem(label: str, value: int | None, optional: bool) -> str:
    if value is None:
        return "" if optional else f"请填写{label}人数"
    if isinstance(value, bool) or not isinstance(value, int):
        return f"{label}人数应为整数"
    if value < 0:
        return f"{label}人数不能为负数"
    if value > COUNT_MAX:
        return f"{label}人数{value}过大，请检查"
    return ""


def _amounts(key: str, title: str, labels: Mapping[str, str],
             values: Mapping[str, Any], errors: dict[str, str]) -> dict[str, tuple[int, int]]:
    """The entered pairs in the report's order; problems go to `errors[key.name]`."""
    for name in values:
        if name not in labels:
            errors[f"{key}.{name}"] = f"{title}没有“{name}”这一项目"
    out: dict[str, tuple[int, int]] = {}
    for name, label in labels.items():
        if name not in values:
            continue
        pair = values[name]
        if not (isinstance(pair, list | tuple) and len(pair) == 2):
            errors[f"{key}.{name}"] = f"{title}“{label}”应填写两栏金额"
            continue
        for amount in pair:
            if isinstance(amount, bool) or not isinstance(amount, int):
                errors[f"{key}.{name}"] = f"{title}“{label}”的金额应为整数分，不能是{amount!r}"
            elif amount < 0 and name not in SIGNED_FIELDS:
                errors[f"{key}.{name}"] = f"{title}“{label}”不能为负数"
            elif abs(amount) >= MONEY_MAX_FEN:
                errors[f"{key}.{name}"] = f"{title}“{label}”金额过大，请检查"
            else:
                continue
            break
        else:
            out[name] = (int(pair[0]), int(pair[1]))
    return out


# --- storage --------------------------------------------------------------------------------


def _columns(fig: YearFigures) -> dict[str, Any]:
    """The row's values; meetings and finance as the JSON `annual_report` reads."""
    meetings = [{"kind": m.kind, "held_on": m.held_on.isoformat() if m.held_on else "",
                 "charter_rule": m.charter_rule, "attendance": m.attendance,
                 "content": m.content} for m in fig.meetings]
    finance = ""
    if fig.has_finance:
        finance = json.dumps(
            {"balance": {n: list(fig.balance[n]) for n in BALANCE_FIELD_NAMES
                         if n in fig.balance},
             "activity": {n: list(fig.activity[n]) for n in ACTIVITY_FIELD_NAMES
                          if n in fig.activity}},
            ensure_ascii=False)
    return {"staff_full_time": fig.staff_full_time, "staff_part_time": fig.staff_part_time,
            "members_units": fig.members_units, "members_individuals": fig.members_individuals,
            "activity_overview": fig.activity_overview,
            "meetings": json.dumps(meetings, ensure_ascii=False) if meetings else "",
            "finance": finance, "remarks": fig.remarks}


def _figures(org_id: int, row: OrgYearFigures) -> YearFigures:
    return YearFigures(
        org_id=org_id, year=row.year, staff_full_time=row.staff_full_time,
        staff_part_time=row.staff_part_time, members_units=row.members_units,
        members_individuals=row.members_individuals,
        activity_overview=row.activity_overview or "",
        meetings=_read_meetings(row.meetings), balance=_read_pairs(row.finance, "balance"),
        activity=_read_pairs(row.finance, "activity"), remarks=row.remarks or "")


def _load(text: str | None) -> Any:
    if not text or not text.strip():
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def _read_meetings(text: str | None) -> tuple[Meeting, ...]:
    """Tolerant, like the report: entries it cannot read are left out."""
    value = _load(text)
    if not isinstance(value, list):
        return ()
    out = []
    for item in value:
        if not isinstance(item, dict) or not item.get("kind"):
            continue
        try:
            held = dt.date.fromisoformat(str(item["held_on"])[:10]) \
                if item.get("held_on") else None
        except ValueError:
            held = None
        out.append(Meeting(kind=str(item["kind"]), held_on=held,
                           charter_rule=str(item.get("charter_rule", "")),
                           attendance=str(item.get("attendance", "")),
                           content=str(item.get("content", ""))))
    return tuple(out)


def _read_pairs(text: str | None, key: str) -> dict[str, tuple[int, int]]:
    value = _load(text)
    part = value.get(key) if isinstance(value, dict) else None
    if not isinstance(part, dict):
        return {}
    names = BALANCE_FIELD_NAMES if key == "balance" else ACTIVITY_FIELD_NAMES
    out = {}
    for name in names:
        pair = part.get(name)
        if isinstance(pair, list) and len(pair) == 2 and all(
                isinstance(v, int) and not isinstance(v, bool) for v in pair):
            out[name] = (pair[0], pair[1])
    return out
