"""What an annual report prints: the dataclasses the services fill, one per part of the report.

`layout_kind` says which of the three layouts a kind prints (a 社区社会组织 prints the
社会团体 layout) and `report_title` its title, so the pages and sections agree on it.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from dataclasses import dataclass, field


class OrgKind(enum.StrEnum):
    SOCIAL_GROUP = "社会团体"
    PRIVATE_NON_ENTERPRISE = "民办非企业单位"
    FOUNDATION = "基金会"
    COMMUNITY = "社区社会组织"   # prints the 社会团体 layout


@dataclass(frozen=True)
class OrgInfo:
    """Registration data of the organization (一、基本信息 and the cover)."""

    kind: OrgKind
    name: str
    credit_code: str
    certificate_number: str
    legal_representative: str
    registration_authority: str
    supervisor: str = ""              # 业务主管单位; empty when registered directly
    form: str = ""                    # 民非 only: 法人 / 合伙 / 个体
    sector: str = ""                  # 所属行(事)业 / service field
    business_scope: str = ""
    founded_on: dt.date | None = None
    registered_capital_fen: int | None = None   # 注册资金 / 开办资金 / 原始基金
    address: str = ""
    post_code: str = ""
    phone: str = ""
    contact: str = ""
    website: str = ""
    email: str = ""
    unit_members: int | None = None        # 社会团体 only
    individual_members: int | None = None  # 社会团体 only


@dataclass(frozen=True)
class StaffInfo:
    full_time: int | None = 0    # None: staff entered no figures for the year (blank)
    part_time: int | None = 0
    volunteers: int = 0
    volunteer_minutes: int = 0
    practitioners: int | None = None   # 执业人员 (民非)
    party_members: int | None = None   # 党员人数


@dataclass(frozen=True)
class ChangeRow:
    """A change of a registered item during the year."""

    item: str
    approved_on: dt.date | None = None
    handling: str = ""      # 办理情况 (社会团体 layout)
    before: str = ""        # 变更前 (民非 / 基金会 layout)
    after: str = ""         # 变更后


@dataclass(frozen=True)
class MeetingRow:
    kind: str               # 会员大会 / 理事会 / 监事会 …
    held_on: dt.date | None = None
    charter_rule: str = ""  # what the charter requires, e.g. 每年至少召开1次
    attendance: str = ""    # e.g. 应到15人，实到13人
    content: str = ""       # topics, resolutions, elections


@dataclass(frozen=True)
class Balance:
    start_fen: int   # 年初数
    end_fen: int     # 期末数


@dataclass(frozen=True)
class BalanceSheet:
    """资产负债表 (民间非营利组织会计制度), totals as reported."""

    current_assets: Balance
    long_term_investments: Balance
    fixed_assets: Balance
    total_assets: Balance
    current_liabilities: Balance
    long_term_liabilities: Balance
    total_liabilities: Balance
    unrestricted_net_assets: Balance
    restricted_net_assets: Balance
    total_net_assets: Balance


@dataclass(frozen=True)
class Split:
    unrestricted_fen: int = 0   # 非限定性
    restricted_fen: int = 0     # 限定性

    @property
    def total_fen(self) -> int:
        return self.unrestricted_fen + self.restricted_fen


@dataclass(frozen=True)
class ActivityStatement:
    """业务活动表 for the report year; the totals are computed."""

    donation: Split = field(default_factory=Split)
    membership_fees: Split = field(default_factory=Split)
    services: Split = field(default_factory=Split)
    sales: Split = field(default_factory=Split)
    government_grants: Split = field(default_factory=Split)
    investment: Split = field(default_factory=Split)
    other_income: Split = field(default_factory=Split)
    program_costs: Split = field(default_factory=Split)
    admin_expenses: Split = field(default_factory=Split)
    fundraising_expenses: Split = field(default_factory=Split)
    other_expenses: Split = field(default_factory=Split)


@dataclass(frozen=True)
class FinanceData:
    balance: BalanceSheet
    activity: ActivityStatement


@dataclass(frozen=True)
class ActivityRow:
    name: str
    kind: str
    held_on: dt.date
    place: str = ""
    ended_on: dt.date | None = None
    approved_by: str = ""     # 批准单位
    fee: str = "不收费"        # 收费情况


@dataclass(frozen=True)
class ProjectRow:
    """A government-purchased service project undertaken and its funds."""

    number: str
    name: str
    purchaser: str
    amount_fen: int
    paid_fen: int


@dataclass(frozen=True)
class VolunteerLine:
    activity: str
    volunteers: int       # 人次
    minutes: int


@dataclass(frozen=True)
class TrainingLine:
    title: str
    held_on: dt.date
    attendance: str = ""


@dataclass(frozen=True)
class EvaluationLine:
    kind: str             # 中期评估 / 出壳评估 …
    evaluated_on: dt.date
    result: str
    evaluator: str = ""


@dataclass(frozen=True)
class IncubationStatus:
    stage: str                               # 入驻孵化 / 已出壳 …
    agreement_start: dt.date | None = None
    agreement_end: dt.date | None = None
    mentors: Sequence[str] = ()
    services: Sequence[str] = ()             # office space, registration help, grants …
    trainings: Sequence[TrainingLine] = ()
    evaluations: Sequence[EvaluationLine] = ()


@dataclass(frozen=True)
class InspectionRow:
    year: int
    result: str                      # 合格 / 基本合格 / 不合格 / 未参检
    submitted_on: dt.date | None = None
    remarks: str = ""


@dataclass(frozen=True)
class RatingInfo:
    grade: str                       # 1A … 5A
    rated_on: dt.date | None = None
    valid_until: dt.date | None = None


@dataclass(frozen=True)
class CreditEntry:
    list_name: str                   # 活动异常名录 / 严重违法失信名单
    listed_on: dt.date
    reason: str = ""
    removed_on: dt.date | None = None


@dataclass(frozen=True)
class AnnualReportData:
    """Everything printed in one organization's report for one year."""

    org: OrgInfo
    year: int
    report_date: dt.date
    number: str = ""                 # printed at the top right of the cover
    staff: StaffInfo = field(default_factory=StaffInfo)
    changes: Sequence[ChangeRow] = ()
    meetings: Sequence[MeetingRow] | None = ()  # None: not entered, ruled rows to fill by hand
    finance: FinanceData | None = None   # None: the statements print as ruled blanks
    activity_overview: str = ""
    activities: Sequence[ActivityRow] = ()
    projects: Sequence[ProjectRow] = ()
    volunteer_lines: Sequence[VolunteerLine] = ()
    incubation: IncubationStatus | None = None
    inspections: Sequence[InspectionRow] = ()
    rating: RatingInfo | None = None
    credit_entries: Sequence[CreditEntry] = ()
    remarks: str = ""


# --- layout --------------------------------------------------------------------------------


def layout_kind(data: AnnualReportData) -> OrgKind:
    """The layout: a community organization prints as a 社会团体."""
    kind = data.org.kind
    return OrgKind.SOCIAL_GROUP if kind is OrgKind.COMMUNITY else kind


def report_title(kind: OrgKind) -> str:
    layout = OrgKind.SOCIAL_GROUP if kind is OrgKind.COMMUNITY else kind
    return f"{layout.value}年度工作报告书"
