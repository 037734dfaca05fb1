"""The numbered sections of the annual report, 一 to 五: basic information, internal affairs
(changes, meetings), the financial statements, business activities and the incubation and
supervision record. Each takes the report's data and styles and returns its flowables.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from reports.annual.data import (
    ActivityRow,
    AnnualReportData,
    Balance,
    MeetingRow,
    OrgKind,
    Split,
    layout_kind,
)
from reports.annual.style import chinese_date, format_hours, format_money, para
from reports.annual.tables import (
    form_table,
    list_table,
    section,
    sub_heading,
    text_box,
    unit_note,
)

_CAPITAL_LABEL = {
    OrgKind.SOCIAL_GROUP: "注册资金",
    OrgKind.PRIVATE_NON_ENTERPRISE: "开办资金",
    OrgKind.FOUNDATION: "原始基金",
}
_MEETINGS_HEADING = {
    OrgKind.SOCIAL_GROUP: "（二）会员（代表）大会、理事会会议情况",
    OrgKind.PRIVATE_NON_ENTERPRISE: "（二）理事会（董事会）、监事会会议情况",
    OrgKind.FOUNDATION: "（二）理事会、监事会会议情况",
}


def basic_info(data: AnnualReportData, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    kind, org, staff = layout_kind(data), data.org, data.staff
    wan = kind is OrgKind.FOUNDATION
    unit = "万元" if wan else "元"

    def num(value: int | None) -> str:
        return "" if value is None else str(value)

    capital = ("" if org.registered_capital_fen is None
               else format_money(org.registered_capital_fen, wan))
    rows: list[list[tuple[str, str]]] = [
        [("单位名称", org.name)],
        [("统一社会信用代码", org.credit_code), ("登记证号", org.certificate_number)],
        [("业务主管单位", org.supervisor or "无"),
         ("登记管理机关", org.registration_authority)],
        [("法定代表人", org.legal_representative), ("成立登记时间", chinese_date(org.founded_on))],
        [("所属行（事）业" if kind is OrgKind.PRIVATE_NON_ENTERPRISE else "服务领域", org.sector),
         (f"{_CAPITAL_LABEL[kind]}（{unit}）", capital)],
    ]
    if kind is OrgKind.PRIVATE_NON_ENTERPRISE:
        rows.append([("单位形式", org.form), ("党员人数", num(staff.party_members))])
    rows += [
        [("业务范围", org.business_scope)],
        [("住所", org.address)],
        [("邮政编码", org.post_code), ("联系电话", org.phone)],
        [("联系人", org.contact), ("电子邮箱", org.email)],
        [("网址", org.website)],
    ]
    if kind is OrgKind.SOCIAL_GROUP:
        rows += [[("单位会员（个）", num(org.unit_members)),
                  ("个人会员（人）", num(org.individual_members))],
                 [("党员人数", num(staff.party_members)), ("", "")]]
    rows += [[("专职工作人员（人）", num(staff.full_time)),
              ("兼职工作人员（人）", num(staff.part_time))]]
    if kind is OrgKind.PRIVATE_NON_ENTERPRISE:
        employed = (None if staff.full_time is None or staff.part_time is None
                    else staff.full_time + staff.part_time)
        rows.append([("从业人员（人）", num(employed)),
                     ("执业人员（人）", num(staff.practitioners))])
    if kind is OrgKind.FOUNDATION:
        rows.append([("党员人数", num(staff.party_members)), ("", "")])
    rows.append([("志愿者（人）", str(staff.volunteers)),
                 ("志愿服务时长（小时）", format_hours(staff.volunteer_minutes))])
    return [*section("一、基本信息", st), form_table(st, rows)]


def internal(data: AnnualReportData, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    kind = layout_kind(data)
    out = [*section("二、内部建设情况", st), *sub_heading("（一）登记事项变更情况", st)]
    if kind is OrgKind.SOCIAL_GROUP:
        out.append(list_table(
            st, ("序号", "事项", "办理情况", "批准时间"), (12, 48, 80, 30), "CLLC",
            [(str(i), c.item, c.handling, chinese_date(c.approved_on))
             for i, c in enumerate(data.changes, 1)], "本年度无登记事项变更"))
    else:
        out.append(list_table(
            st, ("序号", "变更事项", "批准时间", "变更前", "变更后"), (12, 34, 28, 48, 48),
            "CLCLL",
            [(str(i), c.item, chinese_date(c.approved_on), c.before, c.after)
             for i, c in enumerate(data.changes, 1)], "本年度无登记事项变更"))
    out += sub_heading(_MEETINGS_HEADING[kind], st)
    out.append(list_table(
        st, ("序号", "会议名称", "章程规定", "召开时间", "出席情况", "主要议题及决议"),
        (12, 26, 28, 28, 26, 50), "CLLCLL",
        _meeting_rows(data.meetings), "本年度未召开"))
    return out


BLANK_MEETING_ROWS = 3
"""Ruled empty rows printed when staff entered nothing for the year's meetings."""


def _meeting_rows(meetings: Sequence[MeetingRow] | None) -> list[tuple[str, ...]]:
    """The meetings entered; None (the register holds nothing for the year) gives ruled
    blank rows to fill by hand, not a claim that none were held."""
    if meetings is None:
        return [(str(i), "", "", "", "", "") for i in range(1, BLANK_MEETING_ROWS + 1)]
    return [(str(i), m.kind, m.charter_rule, chinese_date(m.held_on), m.attendance, m.content)
            for i, m in enumerate(meetings, 1)]


BALANCE_ROWS = (
    ("流动资产合计", "current_assets"),
    ("长期投资合计", "long_term_investments"),
    ("固定资产合计", "fixed_assets"),
    ("资产总计", "total_assets"),
    ("流动负债合计", "current_liabilities"),
    ("长期负债合计", "long_term_liabilities"),
    ("负债合计", "total_liabilities"),
    ("非限定性净资产", "unrestricted_net_assets"),
    ("限定性净资产", "restricted_net_assets"),
    ("净资产合计", "total_net_assets"),
)
INCOME_ROWS = (
    ("捐赠收入", "donation"), ("会费收入", "membership_fees"), ("提供服务收入", "services"),
    ("商品销售收入", "sales"), ("政府补助收入", "government_grants"),
    ("投资收益", "investment"), ("其他收入", "other_income"),
)
EXPENSE_ROWS = (
    ("业务活动成本", "program_costs"), ("管理费用", "admin_expenses"),
    ("筹资费用", "fundraising_expenses"), ("其他费用", "other_expenses"),
)


def finance(data: AnnualReportData, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    wan = layout_kind(data) is OrgKind.FOUNDATION
    fin = data.finance

    def money(fen: int) -> str:
        return format_money(fen, wan)

    balance_rows: list[tuple[str, ...]] = []
    for line, (label, attr) in enumerate(BALANCE_ROWS, 1):
        b: Balance | None = getattr(fin.balance, attr) if fin else None
        balance_rows.append((label, str(line), money(b.start_fen) if b else "",
                             money(b.end_fen) if b else ""))
    if fin:
        total = (fin.balance.total_liabilities.start_fen + fin.balance.total_net_assets.start_fen,
                 fin.balance.total_liabilities.end_fen + fin.balance.total_net_assets.end_fen)
        balance_rows.append(("负债和净资产总计", str(len(balance_rows) + 1),
                             money(total[0]), money(total[1])))
    else:
        balance_rows.append(("负债和净资产总计", str(len(balance_rows) + 1), "", ""))

    def split_row(label: str, s: Split | None) -> tuple[str, ...]:
        if s is None:
            return (label, "", "", "")
        return (label, money(s.unrestricted_fen), money(s.restricted_fen), money(s.total_fen))

    act = fin.activity if fin else None
    incomes = [getattr(act, a) for _, a in INCOME_ROWS] if act else []
    expenses = [getattr(act, a) for _, a in EXPENSE_ROWS] if act else []

    def summed(parts: list[Split]) -> Split | None:
        if act is None:
            return None
        return Split(sum(p.unrestricted_fen for p in parts),
                     sum(p.restricted_fen for p in parts))

    income_total, expense_total = summed(incomes), summed(expenses)
    change = (None if income_total is None or expense_total is None else
              Split(income_total.unrestricted_fen - expense_total.unrestricted_fen,
                    income_total.restricted_fen - expense_total.restricted_fen))
    activity_rows = [split_row("一、收入", None)]
    activity_rows += [split_row(f"　　{label}", getattr(act, a) if act else None)
                      for label, a in INCOME_ROWS]
    activity_rows.append(split_row("　　收入合计", income_total))
    activity_rows.append(split_row("二、费用", None))
    activity_rows += [split_row(f"　　{label}", getattr(act, a) if act else None)
                      for label, a in EXPENSE_ROWS]
    activity_rows.append(split_row("　　费用合计", expense_total))
    activity_rows.append(split_row("三、净资产变动额", change))

    as_of = f"{data.year}年12月31日"
    out = [*section("三、财务会计报告", st, need_mm=120),
           para("（执行《民间非营利组织会计制度》）", st["note"]),
           *sub_heading(f"（一）资产负债表（{as_of}）", st), unit_note(st, wan),
           list_table(st, ("项目", "行次", "年初数", "期末数"), (66, 16, 44, 44), "LCRR",
                      balance_rows),
           *sub_heading(f"（二）业务活动表（{data.year}年度）", st), unit_note(st, wan),
           list_table(st, ("项目", "非限定性", "限定性", "合计"), (56, 38, 38, 38), "LRRR",
                      activity_rows)]
    return out


def activities(data: AnnualReportData, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    wan = layout_kind(data) is OrgKind.FOUNDATION
    unit = "万元" if wan else "元"

    def when(a: ActivityRow) -> str:
        if a.ended_on and a.ended_on != a.held_on:
            return f"{chinese_date(a.held_on)}至{chinese_date(a.ended_on)}"
        return chinese_date(a.held_on)

    out = [*section("四、业务活动情况", st), *sub_heading("（一）业务活动概述", st),
           text_box(st, data.activity_overview, 30),
           *sub_heading("（二）主要业务活动", st),
           list_table(st, ("序号", "活动名称", "类型", "时间", "地点", "批准单位", "收费情况"),
                      (11, 38, 18, 28, 26, 30, 19), "CLCCLLC",
                      [(str(i), a.name, a.kind, when(a), a.place, a.approved_by, a.fee)
                       for i, a in enumerate(data.activities, 1)], "本年度无")]
    projects = [(str(i), p.number, p.name, p.purchaser, format_money(p.amount_fen, wan),
                 format_money(p.paid_fen, wan)) for i, p in enumerate(data.projects, 1)]
    total = None
    if projects:
        total = ("", "", "合计", "",
                 format_money(sum(p.amount_fen for p in data.projects), wan),
                 format_money(sum(p.paid_fen for p in data.projects), wan))
    out += [*sub_heading("（三）承接政府购买服务项目及资金情况", st),
            list_table(st, ("序号", "项目编号", "项目名称", "购买主体",
                            f"合同金额（{unit}）", f"已拨付（{unit}）"),
                       (11, 24, 45, 30, 30, 30), "CLLLRR", projects, "本年度无",
                       total)]
    staff = data.staff
    lines = [(str(i), v.activity, str(v.volunteers), format_hours(v.minutes))
             for i, v in enumerate(data.volunteer_lines, 1)]
    vol_total = None
    if lines:
        vol_total = ("", "合计", str(sum(v.volunteers for v in data.volunteer_lines)),
                     format_hours(sum(v.minutes for v in data.volunteer_lines)))
    out += [*sub_heading("（四）志愿者及志愿服务时长", st),
            para(f"本年度登记志愿者{staff.volunteers}人，志愿服务总时长"
                 f"{format_hours(staff.volunteer_minutes)}小时。", st["value"]),
            Spacer(1, 2 * mm),
            list_table(st, ("序号", "服务活动（项目）", "参与志愿者（人次）", "服务时长（小时）"),
                       (12, 90, 34, 34), "CLRR", lines, "本年度无", vol_total)]
    return out


def supervision(data: AnnualReportData, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    out = [*section("五、孵化培育及监督管理情况", st), *sub_heading("（一）孵化培育情况", st)]
    inc = data.incubation
    if inc is None:
        out.append(form_table(st, [[("孵化阶段", "本年度未入驻孵化基地")]]))
    else:
        period = ""
        if inc.agreement_start or inc.agreement_end:
            period = f"{chinese_date(inc.agreement_start)}至{chinese_date(inc.agreement_end)}"
        out.append(form_table(st, [
            [("孵化阶段", inc.stage)],
            [("孵化协议期限", period)],
            [("孵化导师", "、".join(inc.mentors) or "无")],
            [("提供服务", "；".join(inc.services) or "无")],
        ]))
        out += [*sub_heading("孵化期间参加培训情况", st, "minor"), list_table(
            st, ("序号", "培训名称", "培训时间", "参加情况"), (12, 86, 32, 40), "CLCL",
            [(str(i), t.title, chinese_date(t.held_on), t.attendance)
             for i, t in enumerate(inc.trainings, 1)], "本年度无培训")]
        out += [*sub_heading("孵化评估情况", st, "minor"), list_table(
            st, ("序号", "评估类型", "评估时间", "评估结论", "评估人（机构）"),
            (12, 40, 32, 40, 46), "CLCLL",
            [(str(i), e.kind, chinese_date(e.evaluated_on), e.result, e.evaluator)
             for i, e in enumerate(inc.evaluations, 1)], "本年度无评估")]
    out += [*sub_heading("（二）历年年度检查情况", st), list_table(
        st, ("年度", "年检结论", "报送时间", "备注"), (24, 34, 36, 76), "CCCL",
        [(f"{r.year}年度", r.result, chinese_date(r.submitted_on), r.remarks)
         for r in sorted(data.inspections, key=lambda r: r.year)], "无年检记录")]
    rating = "未参加评估"
    if data.rating:
        rating = data.rating.grade
        if data.rating.rated_on:
            rating += f"（{chinese_date(data.rating.rated_on)}评定"
            if data.rating.valid_until:
                rating += f"，有效期至{chinese_date(data.rating.valid_until)}"
            rating += "）"
    out += [*sub_heading("（三）社会组织评估等级及信用情况", st),
            form_table(st, [[("评估等级", rating)]]), Spacer(1, 3 * mm),
            list_table(st, ("名录", "列入时间", "列入事由", "移出时间"), (40, 32, 66, 32),
                       "LCLC",
                       [(c.list_name, chinese_date(c.listed_on), c.reason,
                         chinese_date(c.removed_on)) for c in data.credit_entries],
                       "未被列入活动异常名录或严重违法失信名单")]
    return out
