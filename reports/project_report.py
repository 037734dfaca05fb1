"""The report of a government-purchased service project (政府购买服务项目绩效评价报告), as A4 PDF.

Outline after 财预〔2020〕10号 (DOMAIN.md §7): cover (project, contractor 盖章, purchaser,
evaluator, contract amount in figures and in capitals, lead's signature, date); 一、项目基本情况
(basic data, budget execution, payments); 二、评价工作开展情况; 三、综合评价结论 (score table,
grade); 四、绩效指标分析 (indicator table, a chart of weight against score by 二级 group,
milestones, services and volunteer hours); 五、经验做法、存在问题及原因; 六、建议; 七、其他;
附件; signature and seal boxes of the project and finance leads.

The ruled tables, the CJK wrapping fix, headings and the "第 N 页 共 M 页" canvas are the annual
report's (reports.annual_report), so both printouts look alike. Money arrives as integer fen and
prints in 元; the capitals (大写) arrive as text, filled by the service.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)

from reports.annual_report import (
    BODY_W,
    GRID,
    HEAD_FILL,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    PAGE_H,
    PAGE_W,
    NumberedCanvas,
    chinese_date,
    fit_text,
    form_table,
    format_hours,
    format_money,
    list_table,
    para,
    ruled_table,
    section,
    styles,
    sub_heading,
    text_box,
)
from reports.fonts import cjk_font

DEFAULT_TITLE = "政府购买服务项目绩效评价报告"
BUDGET_SOURCES = ("财政资金", "单位资金", "其他资金")

# --- input ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class BudgetRow:
    """One row of the budget-execution table."""

    source: str                       # 财政资金 / 单位资金 / 其他资金
    initial_fen: int = 0              # 年初预算
    adjusted_fen: int = 0             # 调整后预算 (A)
    executed_fen: int = 0             # 执行数 (B)
    weight: Decimal | None = None
    score: Decimal | None = None
    reason: str = ""                  # 原因 (of a shortfall)


@dataclass(frozen=True)
class PaymentRow:
    """A line of the payments table: a tranche with one of its payments, a further payment
    of the tranche above (`planned_fen` None), or a payment outside any tranche."""

    batch: str                        # 第1批 / 计划外
    condition: str = ""
    planned_fen: int | None = None
    due_on: dt.date | None = None
    paid_on: dt.date | None = None
    amount_fen: int | None = None


@dataclass(frozen=True)
class IndicatorRow:
    level1: str                       # 产出指标 / 效益指标 / 满意度指标
    level2: str                       # 数量指标 / 质量指标 …
    name: str                         # 三级指标
    unit: str = ""
    target: str = ""                  # 指标值
    actual: str = ""                  # 完成值
    weight: Decimal = Decimal(0)
    score: Decimal | None = None      # None: not scored yet
    deviation: str = ""               # 偏差原因及改进措施


@dataclass(frozen=True)
class MilestoneRow:
    name: str
    due_on: dt.date | None = None
    done_on: dt.date | None = None
    note: str = ""


@dataclass(frozen=True)
class ServiceLine:
    """An activity linked to the project: volunteers who served (net of reversals) and
    their approved minutes."""

    activity: str
    held_on: dt.date
    volunteers: int
    minutes: int


@dataclass(frozen=True)
class ProjectReportData:
    """Everything printed in one project's report."""

    number: str
    name: str
    purchaser: str                    # 主管部门 / 购买主体
    contractor: str                   # 实施单位 / 承接主体
    report_date: dt.date
    method: str = ""                  # 采购方式 (label)
    status: str = ""                  # 项目状态 (label)
    budget_fen: int = 0
    contract_fen: int | None = None
    contract_capitals: str = ""       # 合同金额大写, e.g. 肆拾捌万元整
    paid_fen: int = 0
    signed_on: dt.date | None = None
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    service_area: str = ""
    target_group: str = ""
    content: str = ""
    lead: str = ""                    # 项目负责人
    finance_lead: str = ""            # 财务负责人
    evaluator: str = ""               # 评价机构
    title: str = DEFAULT_TITLE
    evaluation_kind: str = ""         # 终期评价 / 中期评估; empty when not evaluated
    evaluated_on: dt.date | None = None
    score: Decimal | None = None      # 综合得分
    grade: str = ""                   # 优秀 / 良好 / 合格 / 不合格
    work_done: str = ""               # 二、评价工作开展情况
    conclusion: str = ""              # 三、综合评价结论 (text)
    experience: str = ""              # 五、(一) 经验做法
    problems: str = ""                # 五、(二) 存在问题及原因
    suggestions: str = ""             # 六、建议
    other: str = ""                   # 七、其他
    budget: Sequence[BudgetRow] = ()
    payments: Sequence[PaymentRow] = ()
    indicators: Sequence[IndicatorRow] = ()
    milestones: Sequence[MilestoneRow] = ()
    services: Sequence[ServiceLine] = ()
    volunteers: int = 0               # distinct volunteers over all linked activities
    volunteer_minutes: int = 0
    attachments: Sequence[str] = ()   # titles of the documents on file


# --- formatting ----------------------------------------------------------------------------


def format_decimal(value: Decimal | None) -> str:
    """A weight or score with at most two decimals, trailing zeros dropped: 10, 8.5, 7.25."""
    if value is None:
        return ""
    text = f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_rate(part: int | Decimal, whole: int | Decimal) -> str:
    """part / whole as a percentage with two decimals; "—" when there is no whole."""
    if not whole:
        return "—"
    rate = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return f"{rate}%"


def yuan(fen: int | None) -> str:
    """¥480,000.00 as on the cover (empty for no amount)."""
    return "" if fen is None else f"¥{format_money(fen)}"


def milestone_status(m: MilestoneRow, today: dt.date) -> str:
    if m.done_on is not None:
        return "逾期完成" if m.due_on and m.done_on > m.due_on else "已完成"
    if m.due_on is not None and m.due_on < today:
        return "已逾期"
    return "未到期" if m.due_on else "进行中"


def _with_unit(value: str, unit: str) -> str:
    return f"{value}{unit}" if value and unit and not value.endswith(unit) else value


def _together(*flowables: Flowable) -> list[Flowable]:
    """Headings and what follows them on one page: the leading conditional breaks stay
    outside, the rest moves as a block (a heading never ends a page alone)."""
    parts = list(flowables)
    lead: list[Flowable] = []
    while parts and isinstance(parts[0], CondPageBreak):
        lead.append(parts.pop(0))
    rest = [p for p in parts if not isinstance(p, CondPageBreak)]
    return [*lead, KeepTogether(rest)]


def _sum(values: Sequence[Decimal | None]) -> Decimal | None:
    present = [v for v in values if v is not None]
    return sum(present, Decimal(0)) if present else None


# --- pages ---------------------------------------------------------------------------------


def _cover(data: ProjectReportData, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    amount = yuan(data.contract_fen)
    if amount and data.contract_capitals:
        amount += f"\n（大写：{data.contract_capitals}）"
    fields = [
        ("项目名称：", data.name),
        ("项目编号：", data.number),
        ("实施单位（盖章）：", data.contractor),
        ("主管部门：", data.purchaser),
        ("评价机构：", data.evaluator),
        ("合同金额：", amount),
        ("项目负责人（签名）：", ""),
        ("报告日期：", chinese_date(data.report_date)),
    ]
    rows = [[para(label, st["cover_label"]), para(value, st["cover_value"])]
            for label, value in fields]
    table = Table(rows, colWidths=[52 * mm, 102 * mm], hAlign="CENTER",
                  minRowHeights=[12 * mm] * len(rows))
    table.setStyle(TableStyle([
        ("LINEBELOW", (1, 0), (1, -1), GRID, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    kind = f"（{data.evaluation_kind}）" if data.evaluation_kind else ""
    return [Spacer(1, 38 * mm), para(data.title, st["cover_title"]), Spacer(1, 6 * mm),
            para(kind, st["cover_year"]), Spacer(1, 30 * mm), table]


def _term(data: ProjectReportData) -> str:
    if not (data.starts_on or data.ends_on):
        return ""
    return f"{chinese_date(data.starts_on)}至{chinese_date(data.ends_on)}"


def _basic(data: ProjectReportData, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    contract = "" if data.contract_fen is None else format_money(data.contract_fen)
    rows: list[list[tuple[str, str]]] = [
        [("项目名称", data.name)],
        [("项目编号", data.number), ("项目状态", data.status)],
        [("购买主体", data.purchaser), ("采购方式", data.method)],
        [("承接主体", data.contractor)],
        [("预算金额（元）", format_money(data.budget_fen)), ("合同金额（元）", contract)],
        [("合同签订日期", chinese_date(data.signed_on)), ("已拨付（元）",
                                                      format_money(data.paid_fen))],
        [("服务期限", _term(data))],
        [("服务区域", data.service_area)],
        [("服务对象", data.target_group)],
        [("项目负责人", data.lead), ("财务负责人", data.finance_lead)],
        [("服务内容", data.content)],
    ]
    return [*section("一、项目基本情况", st), *sub_heading("（一）项目基本信息", st),
            form_table(st, rows)]


def _budget_rows(data: ProjectReportData) -> list[BudgetRow]:
    """The three fixed rows in order; a source without figures prints as zeros."""
    by_source = {b.source: b for b in data.budget}
    rows = [by_source.get(s, BudgetRow(s)) for s in BUDGET_SOURCES]
    return rows + [b for b in data.budget if b.source not in BUDGET_SOURCES]


def _budget(data: ProjectReportData, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    rows = _budget_rows(data)
    lines = [(b.source, format_money(b.initial_fen), format_money(b.adjusted_fen),
              format_money(b.executed_fen), format_rate(b.executed_fen, b.adjusted_fen),
              format_decimal(b.weight), format_decimal(b.score), b.reason) for b in rows]
    adjusted = sum(b.adjusted_fen for b in rows)
    executed = sum(b.executed_fen for b in rows)
    total = ("合计", format_money(sum(b.initial_fen for b in rows)), format_money(adjusted),
             format_money(executed), format_rate(executed, adjusted),
             format_decimal(_sum([b.weight for b in rows])),
             format_decimal(_sum([b.score for b in rows])), "")
    return [*sub_heading("（二）项目资金及预算执行情况", st), para("单位：元", st["note"]),
            list_table(st, ("资金来源", "年初预算", "调整后预算\n（A）", "执行数\n（B）",
                            "执行率\n（B/A）", "权重", "得分", "原因"),
                       (17, 23, 23, 23, 18, 11, 11, 44), "CRRRRCCL", lines, total=total)]


def _payments(data: ProjectReportData, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    lines = [(p.batch, p.condition,
              "" if p.planned_fen is None else format_money(p.planned_fen),
              chinese_date(p.due_on), chinese_date(p.paid_on),
              "" if p.amount_fen is None else format_money(p.amount_fen))
             for p in data.payments]
    total = None
    if lines:
        total = ("合计", "", format_money(sum(p.planned_fen or 0 for p in data.payments)), "",
                 "", format_money(sum(p.amount_fen or 0 for p in data.payments)))
    summary = (f"合同金额{format_money(data.contract_fen or 0)}元，已拨付"
               f"{format_money(data.paid_fen)}元，未拨付"
               f"{format_money(max((data.contract_fen or 0) - data.paid_fen, 0))}元，"
               f"拨付进度{format_rate(data.paid_fen, data.contract_fen or 0)}。")
    return [*sub_heading("（三）资金拨付情况", st), para("单位：元", st["note"]),
            list_table(st, ("批次", "支付条件", "计划金额", "到期日", "支付日期", "支付金额"),
                       (16, 48, 26, 27, 27, 26), "CLRCCR", lines, "尚无拨付计划", total),
            Spacer(1, 2 * mm), para(summary, st["value"])]


def _work(data: ProjectReportData, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    return [*section("二、评价工作开展情况", st, need_mm=60),
            para("（评价范围、指标体系、评价方法与组织实施）", st["note"]),
            text_box(st, data.work_done, 30)]


def _level1_groups(data: ProjectReportData) -> list[tuple[str, Decimal, Decimal | None]]:
    """(一级指标, weight, score) in the order the indicators come."""
    order: list[str] = []
    weights: dict[str, Decimal] = {}
    scores: dict[str, list[Decimal | None]] = {}
    for ind in data.indicators:
        if ind.level1 not in weights:
            order.append(ind.level1)
            weights[ind.level1], scores[ind.level1] = Decimal(0), []
        weights[ind.level1] += ind.weight
        scores[ind.level1].append(ind.score)
    return [(name, weights[name], _sum(scores[name])) for name in order]


def _conclusion(data: ProjectReportData, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    budget = _budget_rows(data)
    parts: list[tuple[str, Decimal | None, Decimal | None]] = []
    budget_weight = _sum([b.weight for b in budget])
    if budget_weight:
        parts.append(("预算执行", budget_weight, _sum([b.score for b in budget])))
    parts += _level1_groups(data)
    lines = [(name, format_decimal(w), format_decimal(s),
              format_rate(s, w) if s is not None and w else "—") for name, w, s in parts]
    weight, score = _sum([w for _, w, _ in parts]), _sum([s for _, _, s in parts])
    total = ("合计", format_decimal(weight), format_decimal(score),
             format_rate(score, weight) if score is not None and weight else "—")
    result = form_table(st, [
        [("综合得分", f"{format_decimal(data.score)}分" if data.score is not None else "未评分"),
         ("评价等级", data.grade or "未评定")],
        [("评价机构", data.evaluator), ("评价时间", chinese_date(data.evaluated_on))],
    ])
    scores = list_table(st, ("评价内容", "权重（分）", "得分（分）", "得分率"), (70, 30, 30, 40),
                        "LCCC", lines, "尚无评分", total if lines else None)
    return [*_together(*section("三、综合评价结论", st, need_mm=80),
                       *sub_heading("（一）评分情况", st), scores, Spacer(1, 3 * mm), result),
            *sub_heading("（二）评价结论", st), text_box(st, data.conclusion, 25)]


def _indicators(data: ProjectReportData, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    lines = [(i.level1, i.level2, i.name, _with_unit(i.target, i.unit),
              _with_unit(i.actual, i.unit), format_decimal(i.weight), format_decimal(i.score),
              i.deviation) for i in data.indicators]
    total = None
    if lines:
        total = ("合计", "", "", "", "", format_decimal(_sum([i.weight for i in data.indicators])),
                 format_decimal(_sum([i.score for i in data.indicators])), "")
    return [*section("四、绩效指标分析", st, need_mm=60),
            *sub_heading("（一）绩效指标完成情况", st),
            list_table(st, ("一级指标", "二级指标", "三级指标", "指标值", "完成值", "权重",
                            "得分", "偏差原因及改进措施"),
                       (19, 22, 40, 18, 18, 10, 10, 33), "CCLCCCCL", lines, "尚未设定绩效指标",
                       total)]


# --- the chart -----------------------------------------------------------------------------

CHART_WEIGHT = colors.Color(0.78, 0.80, 0.84)
CHART_SCORE = colors.Color(0.16, 0.36, 0.62)


def chart_groups(data: ProjectReportData) -> list[tuple[str, float, float]]:
    """(label, weight, score) per 二级 group in order of appearance, then 预算执行: a chart
    of seven-odd bars stays readable however many indicators there are."""
    order: list[str] = []
    sums: dict[str, list[float]] = {}
    for ind in data.indicators:
        if ind.level2 not in sums:
            order.append(ind.level2)
            sums[ind.level2] = [0.0, 0.0]
        sums[ind.level2][0] += float(ind.weight)
        sums[ind.level2][1] += float(ind.score or 0)
    groups = [(name, sums[name][0], sums[name][1]) for name in order]
    budget_weight = _sum([b.weight for b in data.budget])
    if budget_weight:
        groups.insert(0, ("预算执行", float(budget_weight),
                          float(_sum([b.score for b in data.budget]) or 0)))
    return groups


def _nice_max(value: float) -> tuple[float, float]:
    """An axis end at or above `value` and a step giving 4–10 ticks."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100):
        if value / step <= 8:
            top = step * max(1, -(-value // step))
            return float(top), float(step)
    return float(value), float(value / 5)


def score_chart(data: ProjectReportData) -> Drawing | None:
    """Horizontal bars of weight (grey) and score (blue) per group, Chinese labels."""
    groups = chart_groups(data)
    if not groups:
        return None
    font = cjk_font()
    label_w = max(stringWidth(name, font, 9) for name, _, _ in groups) + 8
    label_w = min(max(label_w, 22 * mm), 60 * mm)
    band = 11 * mm
    plot_h = band * len(groups)
    height = plot_h + 26 * mm
    drawing = Drawing(BODY_W, height)
    drawing.hAlign = "CENTER"
    chart = HorizontalBarChart()
    chart.x, chart.y = label_w + 2, 10 * mm
    chart.width, chart.height = BODY_W - label_w - 16 * mm, plot_h
    chart.data = [[w for _, w, _ in groups], [s for _, _, s in groups]]
    chart.categoryAxis.categoryNames = [name for name, _, _ in groups]
    chart.categoryAxis.reverseDirection = 1            # first group at the top
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 9
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    chart.categoryAxis.tickLeft = 0
    top, step = _nice_max(max(w for _, w, _ in groups) or 1)
    chart.valueAxis.valueMin, chart.valueAxis.valueMax = 0, top
    chart.valueAxis.valueStep = step
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 8
    chart.valueAxis.labelTextFormat = lambda v: f"{v:g}"
    chart.valueAxis.visibleGrid = 1
    chart.valueAxis.gridStrokeColor = colors.Color(0.85, 0.85, 0.85)
    chart.valueAxis.gridStrokeWidth = 0.4
    chart.bars[0].fillColor, chart.bars[1].fillColor = CHART_WEIGHT, CHART_SCORE
    chart.bars.strokeColor = None
    chart.barSpacing, chart.groupSpacing = 1, 3 * mm
    chart.barLabelFormat = lambda v: f"{v:.2f}".rstrip("0").rstrip(".")
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = 7
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 2
    drawing.add(chart)
    legend = Legend()
    legend.fontName, legend.fontSize = font, 8.5
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.deltax = 20 * mm
    legend.dx = legend.dy = 7
    legend.x, legend.y = chart.x, height - 4 * mm
    legend.colorNamePairs = [(CHART_SCORE, "得分（分）"), (CHART_WEIGHT, "权重（分）")]
    drawing.add(legend)
    drawing.add(String(BODY_W - 2, 1 * mm, "单位：分", fontName=font, fontSize=8,
                       textAnchor="end"))
    return drawing


def _chart(data: ProjectReportData, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    drawing = score_chart(data)
    if drawing is None:
        return []
    caption = para(f"图1　各二级指标权重与得分（共{len(data.indicators)}项三级指标）",
                   st["caption"])
    return _together(*sub_heading("（二）指标得分情况", st), drawing, caption)


# --- progress, services, texts, signatures -------------------------------------------------


def _milestones(data: ProjectReportData, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    lines = [(str(n), m.name, chinese_date(m.due_on), chinese_date(m.done_on),
              milestone_status(m, data.report_date), m.note)
             for n, m in enumerate(data.milestones, 1)]
    return [*sub_heading("（三）项目实施进度", st),
            list_table(st, ("序号", "节点", "计划日期", "完成日期", "状态", "备注"),
                       (11, 55, 27, 27, 18, 32), "CLCCCL", lines, "未设置里程碑")]


def _services(data: ProjectReportData, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    lines = [(str(n), s.activity, chinese_date(s.held_on), str(s.volunteers),
              format_hours(s.minutes)) for n, s in enumerate(data.services, 1)]
    total = None
    if lines:
        total = ("", "合计", "", str(sum(s.volunteers for s in data.services)),
                 format_hours(sum(s.minutes for s in data.services)))
    summary = (f"项目共开展关联服务活动{len(data.services)}场，参与志愿者{data.volunteers}人，"
               f"志愿服务总时长{format_hours(data.volunteer_minutes)}小时。")
    return [*sub_heading("（四）服务开展及志愿服务情况", st), para(summary, st["value"]),
            Spacer(1, 2 * mm),
            list_table(st, ("序号", "服务活动", "日期", "参与志愿者\n（人次）",
                            "服务时长\n（小时）"),
                       (11, 79, 28, 26, 26), "CLCRR", lines, "尚无关联的服务活动", total),
            para("注：服务时长按已审核的志愿服务记录统计，冲正记录已扣除。", st["minor"])]


def _texts(data: ProjectReportData, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    out = [*section("五、经验做法、存在问题及原因", st),
           *sub_heading("（一）主要经验做法", st), text_box(st, data.experience, 25),
           *sub_heading("（二）存在问题及原因", st), text_box(st, data.problems, 25),
           *section("六、建议", st), text_box(st, data.suggestions, 25),
           *section("七、其他", st), text_box(st, data.other, 20)]
    if data.attachments:
        out += [*sub_heading("附件", st)]
        out += [para(f"{n}. {title}", st["value"]) for n, title in
                enumerate(data.attachments, 1)]
    return out


def _signatures(data: ProjectReportData, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    def cell(name: str) -> list[Flowable]:
        line = Table([[para(f"姓名：{name}", st["value"]), para("签字：", st["value"])]],
                     colWidths=[60 * mm, 60 * mm], hAlign="LEFT")
        line.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0)]))
        return [line, Spacer(1, 16 * mm),
                para("（盖章）", st["seal"]), Spacer(1, 4 * mm),
                para("年　　月　　日", st["seal"]), Spacer(1, 2 * mm)]

    rows = [[para("项目负责人", st["label"]), cell(data.lead)],
            [para("财务负责人", st["label"]), cell(data.finance_lead)]]
    table = ruled_table(rows, (36, 134), header_rows=0, min_heights_mm=10,
                        extra=[("BACKGROUND", (0, 0), (0, -1), HEAD_FILL),
                               ("VALIGN", (1, 0), (1, -1), "TOP"),
                               ("TOPPADDING", (1, 0), (1, -1), 6)])
    return [CondPageBreak(110 * mm), para("签字盖章", st["section"]),
            para("本报告所填内容及所附材料真实、准确、完整。", st["plain"]), Spacer(1, 3 * mm),
            table]


def build_story(data: ProjectReportData) -> list[Flowable]:
    """All flowables of the report, cover first."""
    st = styles()
    st["caption"] = ParagraphStyle("caption", parent=st["minor"], alignment=TA_CENTER)
    return [
        *_cover(data, st), NextPageTemplate("body"), PageBreak(),
        *_basic(data, st), *_budget(data, st), *_payments(data, st),
        *_work(data, st),
        *_conclusion(data, st),
        *_indicators(data, st), *_chart(data, st), *_milestones(data, st),
        *_services(data, st),
        *_texts(data, st),
        *_signatures(data, st),
    ]


# --- document ------------------------------------------------------------------------------


class _ReportDoc(BaseDocTemplate):
    def __init__(self, buf: io.BytesIO, data: ProjectReportData) -> None:
        super().__init__(buf, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X,
                         topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM,
                         title=f"{data.name} {data.title}", author=data.contractor,
                         subject=data.title, pageCompression=1)
        self.data = data
        frame = Frame(MARGIN_X, MARGIN_BOTTOM, BODY_W, PAGE_H - MARGIN_TOP - MARGIN_BOTTOM,
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body")
        self.addPageTemplates([
            PageTemplate("cover", [frame], onPage=self._cover_page),
            PageTemplate("body", [frame], onPage=self._body_page),
        ])

    def _cover_page(self, canvas: Canvas, _doc: BaseDocTemplate) -> None:
        font = cjk_font()
        text, size = fit_text(f"编号：{self.data.number}", font, 12, 80 * mm)
        canvas.saveState()
        canvas.setFont(font, size)
        canvas.drawRightString(PAGE_W - MARGIN_X, PAGE_H - 15 * mm, text)
        canvas.restoreState()

    def _body_page(self, canvas: Canvas, _doc: BaseDocTemplate) -> None:
        font = cjk_font()
        suffix = f"　{self.data.title.removeprefix('政府购买服务项目')}"
        size = 9.0
        name, size = fit_text(self.data.name, font, size,
                              BODY_W - stringWidth(suffix, font, size))
        canvas.saveState()
        canvas.setFont(font, size)
        canvas.drawCentredString(PAGE_W / 2, PAGE_H - 13 * mm, name + suffix)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN_X, PAGE_H - 15 * mm, PAGE_W - MARGIN_X, PAGE_H - 15 * mm)
        canvas.restoreState()


def render_project_report(data: ProjectReportData) -> bytes:
    """The report as PDF bytes (A4 portrait)."""
    buf = io.BytesIO()
    doc = _ReportDoc(buf, data)
    doc.build(build_story(data), canvasmaker=NumberedCanvas)
    return buf.getvalue()

