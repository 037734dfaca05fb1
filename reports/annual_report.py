"""The annual work report (年度工作报告书) of one social organization for one year, as A4 PDF.

Sections follow DOMAIN.md §7 for the three registered types (a 社区社会组织 prints the 社会团体
layout): cover, declaration, contents, 一、基本信息, 二、内部建设, 三、财务会计报告,
四、业务活动情况, 五、孵化培育及监督管理情况, 六、其它需要说明的情况, 七、年检审查意见.

Built with reportlab platypus: every table is a fully ruled `Table(repeatRows=...)` of
Paragraphs (CJK wrapping), so long tables continue across pages under their repeated header
row and no text leaves its cell. `multiBuild` resolves the contents page; a page-saving canvas
writes "第 N 页 共 M 页" on every page but the cover once the total is known.

Money arrives as integer fen and prints in 元 with two decimals, or in 万元 with four decimals
(exact to the 元) for foundations. Volunteer time arrives as minutes and prints as hours.
"""

from __future__ import annotations

import datetime as dt
import enum
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
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
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

from reports.fonts import cjk_font

# --- input ---------------------------------------------------------------------------------


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


# --- formatting ----------------------------------------------------------------------------


def chinese_date(day: dt.date | None) -> str:
    """2026年11月23日 (DOMAIN.md §7); empty for no date."""
    return "" if day is None else f"{day.year}年{day.month}月{day.day}日"


def format_money(fen: int, wan: bool = False) -> str:
    """Fen as 元 with two decimals, or as 万元 with four (rounded half away from zero)."""
    sign = "-" if fen < 0 else ""
    fen = abs(fen)
    if wan:
        units = (fen + 50) // 100          # whole 元, rounded
        whole, frac = divmod(units, 10000)
        return f"{sign}{whole:,}.{frac:04d}"
    whole, frac = divmod(fen, 100)
    return f"{sign}{whole:,}.{frac:02d}"


def format_hours(minutes: int) -> str:
    """Minutes as hours: "12", "12.5", "2.08" (same rule as app.domain.signing)."""
    hundredths = (abs(minutes) * 100 + 30) // 60
    whole, frac = divmod(hundredths, 100)
    text = str(whole) if frac == 0 else f"{whole}.{frac:02d}".rstrip("0")
    return f"-{text}" if minutes < 0 else text


def _kind(data: AnnualReportData) -> OrgKind:
    """The layout: a community organization prints as a 社会团体."""
    kind = data.org.kind
    return OrgKind.SOCIAL_GROUP if kind is OrgKind.COMMUNITY else kind


def report_title(kind: OrgKind) -> str:
    layout = OrgKind.SOCIAL_GROUP if kind is OrgKind.COMMUNITY else kind
    return f"{layout.value}年度工作报告书"


_REGULATIONS = {
    OrgKind.SOCIAL_GROUP: "《社会团体登记管理条例》和《社会团体年度检查暂行办法》",
    OrgKind.PRIVATE_NON_ENTERPRISE:
        "《民办非企业单位登记管理暂行条例》和《民办非企业单位年度检查办法》",
    OrgKind.FOUNDATION: "《基金会管理条例》和《基金会年度检查办法》",
}
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

# --- styles --------------------------------------------------------------------------------

PAGE_W, PAGE_H = A4
MARGIN_X = 20 * mm
MARGIN_TOP = 22 * mm
MARGIN_BOTTOM = 20 * mm
BODY_W = PAGE_W - 2 * MARGIN_X        # 170 mm
GRID = 0.5
FRAME = 1.0
HEAD_FILL = colors.Color(0.92, 0.92, 0.92)


@dataclass(frozen=True)
class _Styles:
    font: str

    def make(self, name: str, size: float, align: int = TA_LEFT, leading: float = 0,
             **extra: Any) -> ParagraphStyle:
        return ParagraphStyle(name, fontName=self.font, fontSize=size,
                              leading=leading or size * 1.35, alignment=align,
                              wordWrap="CJK", **extra)


def _styles() -> dict[str, ParagraphStyle]:
    s = _Styles(cjk_font())
    return {
        "cover_title": s.make("cover_title", 26, TA_CENTER, 36),
        "cover_year": s.make("cover_year", 16, TA_CENTER, 22),
        "cover_label": s.make("cover_label", 13, TA_RIGHT, 18),
        "cover_value": s.make("cover_value", 13, TA_LEFT, 18),
        "title": s.make("title", 18, TA_CENTER, 26, spaceAfter=6 * mm),
        "section": s.make("section", 14, TA_LEFT, 20, spaceBefore=4 * mm, spaceAfter=2 * mm),
        "sub": s.make("sub", 11.5, TA_LEFT, 16, spaceBefore=2.5 * mm, spaceAfter=1.5 * mm),
        "body": s.make("body", 12, TA_LEFT, 22, firstLineIndent=24),
        "plain": s.make("plain", 12, TA_LEFT, 22),
        "minor": s.make("minor", 10, TA_LEFT, 14, spaceBefore=2 * mm, spaceAfter=1 * mm),
        "note": s.make("note", 9, TA_RIGHT, 12, spaceAfter=1 * mm),
        "cell": s.make("cell", 9, TA_LEFT, 12),
        "cell_c": s.make("cell_c", 9, TA_CENTER, 12),
        "cell_r": s.make("cell_r", 9, TA_RIGHT, 12),
        "head": s.make("head", 9, TA_CENTER, 12),
        "label": s.make("label", 9.5, TA_CENTER, 12.5),
        "value": s.make("value", 9.5, TA_LEFT, 12.5),
        "seal": s.make("seal", 11, TA_RIGHT, 18, rightIndent=8 * mm),
        "toc": s.make("toc", 12, TA_LEFT, 24),
    }


class _Para(Paragraph):
    """A Paragraph that keeps CJK hanging punctuation inside its width.

    reportlab's CJK wrapping lets a character that may not start a line (，。）…) hang one
    glyph past the right edge, which in a narrow cell runs over the rule. When a line hangs,
    the paragraph is wrapped again with one glyph of indent on the side(s) the hang needs.
    """

    style: ParagraphStyle
    _indented = False

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        size = super().wrap(avail_width, avail_height)
        if self._indented or not self._hangs():
            return size
        self._indented = True
        st = self.style
        glyph = st.fontSize
        left, right = {TA_CENTER: (glyph / 2, glyph / 2),
                       TA_RIGHT: (glyph, 0.0)}.get(st.alignment, (0.0, glyph))
        self.style = ParagraphStyle(f"{st.name}-hang", parent=st,
                                    leftIndent=st.leftIndent + left,
                                    rightIndent=st.rightIndent + right)
        return super().wrap(avail_width, avail_height)

    def _hangs(self) -> bool:
        lines = getattr(getattr(self, "blPara", None), "lines", None) or []
        for line in lines:
            extra = line[0] if isinstance(line, tuple) else getattr(line, "extraSpace", 0)
            if extra < -0.01:
                return True
        return False


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    """A Paragraph of plain text (markup escaped, newlines kept)."""
    return _Para(escape(text).replace("\n", "<br/>"), style)


# --- tables --------------------------------------------------------------------------------


class _FramedTable(Table):
    """A Table whose every page part is closed by the outer frame: reportlab leaves the box
    open where a row is split between pages (splitInRow)."""

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        parts: list[Flowable] = super().split(avail_width, avail_height)
        for part in parts:
            if isinstance(part, Table):
                part.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), FRAME, colors.black)]))
        return parts


def _ruled(rows: list[list[Any]], widths_mm: Sequence[float], *, header_rows: int = 1,
           extra: Sequence[tuple[Any, ...]] = (), min_heights_mm: float = 7.0,
           split_in_row: bool = False) -> Table:
    """A fully ruled table; the header rows repeat on every page the table spans."""
    table = _FramedTable(rows, colWidths=[w * mm for w in widths_mm], repeatRows=header_rows,
                  minRowHeights=[min_heights_mm * mm] * len(rows),
                  splitInRow=1 if split_in_row else 0, hAlign="CENTER")
    style: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), GRID, colors.black),
        ("BOX", (0, 0), (-1, -1), FRAME, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if header_rows:
        style.append(("BACKGROUND", (0, 0), (-1, header_rows - 1), HEAD_FILL))
    style.extend(extra)
    table.setStyle(TableStyle(style))
    return table


def _list_table(st: dict[str, ParagraphStyle], headers: Sequence[str],
                widths_mm: Sequence[float], aligns: str,
                rows: Sequence[Sequence[str]], empty: str = "无",
                total: Sequence[str] | None = None) -> Table:
    """Header row plus data rows; `aligns` holds one of L/C/R per column; an empty list
    prints one spanning row with `empty`."""
    by_align = {"L": st["cell"], "C": st["cell_c"], "R": st["cell_r"]}
    data: list[list[Any]] = [[_p(h, st["head"]) for h in headers]]
    extra: list[tuple[Any, ...]] = []
    for row in rows:
        data.append([_p(text, by_align[a]) for text, a in zip(row, aligns, strict=True)])
    if not rows:
        data.append([_p(empty, st["cell_c"])] + [""] * (len(headers) - 1))
        extra.append(("SPAN", (0, 1), (-1, 1)))
    if total is not None:
        data.append([_p(text, by_align[a]) for text, a in zip(total, aligns, strict=True)])
    return _ruled(data, widths_mm, extra=extra)


def _form_table(st: dict[str, ParagraphStyle],
                rows: Sequence[Sequence[tuple[str, str]]]) -> Table:
    """Label | value form rows; a row of one pair spans the value over three columns."""
    widths = (34.0, 51.0, 34.0, 51.0)
    data: list[list[Any]] = []
    extra: list[tuple[Any, ...]] = []
    for i, row in enumerate(rows):
        cells: list[Any] = []
        for label, value in row:
            cells += [_p(label, st["label"]), _p(value, st["value"])]
            extra.append(("BACKGROUND", (len(cells) - 2, i), (len(cells) - 2, i), HEAD_FILL))
        if len(row) == 1:
            cells += ["", ""]
            extra.append(("SPAN", (1, i), (3, i)))
        data.append(cells)
    return _ruled(data, widths, header_rows=0, extra=extra, min_heights_mm=8.0,
                  split_in_row=True)


def _text_box(st: dict[str, ParagraphStyle], text: str, min_height_mm: float) -> Table:
    """A ruled box of free text that may run over pages: one cell holding a Paragraph per
    line of the text, split between pages inside the row."""
    paragraphs = [p for p in text.split("\n") if p.strip()] or [""]
    style = ParagraphStyle("boxed", parent=st["value"], fontSize=10.5, leading=17,
                           firstLineIndent=21, spaceAfter=3)
    table = _FramedTable([[[_p(p, style) for p in paragraphs]]], colWidths=[BODY_W],
                         splitInRow=1, hAlign="CENTER", minRowHeights=[min_height_mm * mm])
    table.setStyle(TableStyle([
        ("BOX", (0, 0), (-1, -1), FRAME, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 6),
        ("RIGHTPADDING", (0, 0), (-1, -1), 6),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    return table


class _Heading(Paragraph):
    """A section heading that enters the contents page."""

    toc_text: str = ""


def _section(text: str, st: dict[str, ParagraphStyle], need_mm: float = 50) -> list[Flowable]:
    """A numbered section heading, on a new page unless `need_mm` are left below it."""
    heading = _Heading(escape(text), st["section"])
    heading.toc_text = text
    return [CondPageBreak(need_mm * mm), heading]


def _sub(text: str, st: dict[str, ParagraphStyle], style: str = "sub") -> list[Flowable]:
    # no keepWithNext: it would move a whole table that fits a fresh page off this one;
    # the conditional break leaves room for the heading, the header row and a row or two
    return [CondPageBreak(36 * mm), _p(text, st[style])]


def _unit_note(st: dict[str, ParagraphStyle], wan: bool, extra: str = "") -> Paragraph:
    return _p(f"{extra}单位：{'万元' if wan else '元'}", st["note"])


# --- pages ---------------------------------------------------------------------------------


def _cover(data: AnnualReportData, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    kind, org = _kind(data), data.org
    fields: list[tuple[str, str]] = [
        ("单位名称（盖章）：", org.name),
        ("登记证号：", org.certificate_number),
        ("统一社会信用代码：", org.credit_code),
    ]
    if kind is OrgKind.PRIVATE_NON_ENTERPRISE:
        fields += [("单位形式：", org.form), ("所属行（事）业：", org.sector)]
    fields += [("登记管理机关：", org.registration_authority),
               ("报告日期：", chinese_date(data.report_date))]
    rows = [[_p(label, st["cover_label"]), _p(value, st["cover_value"])]
            for label, value in fields]
    table = Table(rows, colWidths=[52 * mm, 98 * mm], hAlign="CENTER",
                  minRowHeights=[12 * mm] * len(rows))
    table.setStyle(TableStyle([
        ("LINEBELOW", (1, 0), (1, -1), GRID, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    return [Spacer(1, 45 * mm), _p(report_title(kind), st["cover_title"]),
            Spacer(1, 6 * mm), _p(f"（{data.year}年度）", st["cover_year"]),
            Spacer(1, 45 * mm), table]


def _declaration(data: AnnualReportData, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    kind, org = _kind(data), data.org
    out: list[Flowable] = [_p("声　　明", st["title"]),
                           _p(f"{org.registration_authority}：", st["plain"])]
    if kind is OrgKind.FOUNDATION:
        out += [
            _p(f"本基金会依照{_REGULATIONS[kind]}的规定，编制了{data.year}年度工作报告书，"
               "现报送贵机关。", st["body"]),
            _p("本基金会理事会全体理事及监事保证本报告书内容真实、准确、完整，不存在虚假记载、"
               "误导性陈述或者重大遗漏，并对其真实性、准确性和完整性承担个别及连带责任。",
               st["body"]),
            _p("（理事、监事本人亲笔签名，不得代签或加盖印章）", st["note"]),
            Spacer(1, 4 * mm),
        ]
        rows: list[list[Any]] = []
        for _ in range(4):
            rows.append(["", "", "", "", ""])
        rows.append(["", "", "", "", ""])
        rows[0][0] = _p("理事（签字）", st["label"])
        rows[4][0] = _p("监事（签字）", st["label"])
        signatures = _ruled(rows, (30, 35, 35, 35, 35), header_rows=0, min_heights_mm=15,
                            extra=[("SPAN", (0, 0), (0, 3)),
                                   ("BACKGROUND", (0, 0), (0, -1), HEAD_FILL)])
        out += [signatures, Spacer(1, 12 * mm), _p("年　　月　　日", st["seal"])]
        return out
    out += [
        _p(f"本单位依照{_REGULATIONS[kind]}的规定，编制了{data.year}年度工作报告书，"
           "现报送贵机关，请予审查。", st["body"]),
        _p("本单位保证本报告书所填内容及所附材料真实、准确、完整，如有虚假记载、误导性陈述或者"
           "重大遗漏，愿承担相应的法律责任。", st["body"]),
        Spacer(1, 8 * mm),
    ]
    seal_cell = [Spacer(1, 22 * mm), _p("（印鉴）", st["seal"]), Spacer(1, 4 * mm),
                 _p("年　　月　　日", st["seal"])]
    rows = [[_p("法定代表人（签字）", st["label"]), ""],
            [_p("单位印鉴", st["label"]), seal_cell]]
    out.append(_ruled(rows, (40, 130), header_rows=0, min_heights_mm=25,
                      extra=[("BACKGROUND", (0, 0), (0, -1), HEAD_FILL),
                             ("VALIGN", (1, 1), (1, 1), "TOP")]))
    return out


def _contents(st: dict[str, ParagraphStyle]) -> list[Flowable]:
    toc = TableOfContents(dotsMinLevel=0)
    toc.levelStyles = [ParagraphStyle("toc0", parent=st["toc"], leftIndent=10 * mm,
                                      rightIndent=10 * mm)]
    return [_p("目　　录", st["title"]), toc]


def _basic_info(data: AnnualReportData, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    kind, org, staff = _kind(data), data.org, data.staff
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
    return [*_section("一、基本信息", st), _form_table(st, rows)]


def _internal(data: AnnualReportData, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    kind = _kind(data)
    out = [*_section("二、内部建设情况", st), *_sub("（一）登记事项变更情况", st)]
    if kind is OrgKind.SOCIAL_GROUP:
        out.append(_list_table(
            st, ("序号", "事项", "办理情况", "批准时间"), (12, 48, 80, 30), "CLLC",
            [(str(i), c.item, c.handling, chinese_date(c.approved_on))
             for i, c in enumerate(data.changes, 1)], "本年度无登记事项变更"))
    else:
        out.append(_list_table(
            st, ("序号", "变更事项", "批准时间", "变更前", "变更后"), (12, 34, 28, 48, 48),
            "CLCLL",
            [(str(i), c.item, chinese_date(c.approved_on), c.before, c.after)
             for i, c in enumerate(data.changes, 1)], "本年度无登记事项变更"))
    out += _sub(_MEETINGS_HEADING[kind], st)
    out.append(_list_table(
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


_BALANCE_ROWS = (
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
_INCOME_ROWS = (
    ("捐赠收入", "donation"), ("会费收入", "membership_fees"), ("提供服务收入", "services"),
    ("商品销售收入", "sales"), ("政府补助收入", "government_grants"),
    ("投资收益", "investment"), ("其他收入", "other_income"),
)
_EXPENSE_ROWS = (
    ("业务活动成本", "program_costs"), ("管理费用", "admin_expenses"),
    ("筹资费用", "fundraising_expenses"), ("其他费用", "other_expenses"),
)


def _finance(data: AnnualReportData, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    wan = _kind(data) is OrgKind.FOUNDATION
    fin = data.finance

    def money(fen: int) -> str:
        return format_money(fen, wan)

    balance_rows: list[tuple[str, ...]] = []
    for line, (label, attr) in enumerate(_BALANCE_ROWS, 1):
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
    incomes = [getattr(act, a) for _, a in _INCOME_ROWS] if act else []
    expenses = [getattr(act, a) for _, a in _EXPENSE_ROWS] if act else []

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
                      for label, a in _INCOME_ROWS]
    activity_rows.append(split_row("　　收入合计", income_total))
    activity_rows.append(split_row("二、费用", None))
    activity_rows += [split_row(f"　　{label}", getattr(act, a) if act else None)
                      for label, a in _EXPENSE_ROWS]
    activity_rows.append(split_row("　　费用合计", expense_total))
    activity_rows.append(split_row("三、净资产变动额", change))

    as_of = f"{data.year}年12月31日"
    out = [*_section("三、财务会计报告", st, need_mm=120),
           _p("（执行《民间非营利组织会计制度》）", st["note"]),
           *_sub(f"（一）资产负债表（{as_of}）", st), _unit_note(st, wan),
           _list_table(st, ("项目", "行次", "年初数", "期末数"), (66, 16, 44, 44), "LCRR",
                       balance_rows),
           *_sub(f"（二）业务活动表（{data.year}年度）", st), _unit_note(st, wan),
           _list_table(st, ("项目", "非限定性", "限定性", "合计"), (56, 38, 38, 38), "LRRR",
                       activity_rows)]
    return out


def _activities(data: AnnualReportData, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    wan = _kind(data) is OrgKind.FOUNDATION
    unit = "万元" if wan else "元"

    def when(a: ActivityRow) -> str:
        if a.ended_on and a.ended_on != a.held_on:
            return f"{chinese_date(a.held_on)}至{chinese_date(a.ended_on)}"
        return chinese_date(a.held_on)

    out = [*_section("四、业务活动情况", st), *_sub("（一）业务活动概述", st),
           _text_box(st, data.activity_overview, 30),
           *_sub("（二）主要业务活动", st),
           _list_table(st, ("序号", "活动名称", "类型", "时间", "地点", "批准单位", "收费情况"),
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
    out += [*_sub("（三）承接政府购买服务项目及资金情况", st),
            _list_table(st, ("序号", "项目编号", "项目名称", "购买主体",
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
    out += [*_sub("（四）志愿者及志愿服务时长", st),
            _p(f"本年度登记志愿者{staff.volunteers}人，志愿服务总时长"
               f"{format_hours(staff.volunteer_minutes)}小时。", st["value"]),
            Spacer(1, 2 * mm),
            _list_table(st, ("序号", "服务活动（项目）", "参与志愿者（人次）", "服务时长（小时）"),
                        (12, 90, 34, 34), "CLRR", lines, "本年度无", vol_total)]
    return out


def _supervision(data: AnnualReportData, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    out = [*_section("五、孵化培育及监督管理情况", st), *_sub("（一）孵化培育情况", st)]
    inc = data.incubation
    if inc is None:
        out.append(_form_table(st, [[("孵化阶段", "本年度未入驻孵化基地")]]))
    else:
        period = ""
        if inc.agreement_start or inc.agreement_end:
            period = f"{chinese_date(inc.agreement_start)}至{chinese_date(inc.agreement_end)}"
        out.append(_form_table(st, [
            [("孵化阶段", inc.stage)],
            [("孵化协议期限", period)],
            [("孵化导师", "、".join(inc.mentors) or "无")],
            [("提供服务", "；".join(inc.services) or "无")],
        ]))
        out += [*_sub("孵化期间参加培训情况", st, "minor"), _list_table(
            st, ("序号", "培训名称", "培训时间", "参加情况"), (12, 86, 32, 40), "CLCL",
            [(str(i), t.title, chinese_date(t.held_on), t.attendance)
             for i, t in enumerate(inc.trainings, 1)], "本年度无培训")]
        out += [*_sub("孵化评估情况", st, "minor"), _list_table(
            st, ("序号", "评估类型", "评估时间", "评估结论", "评估人（机构）"),
            (12, 40, 32, 40, 46), "CLCLL",
            [(str(i), e.kind, chinese_date(e.evaluated_on), e.result, e.evaluator)
             for i, e in enumerate(inc.evaluations, 1)], "本年度无评估")]
    out += [*_sub("（二）历年年度检查情况", st), _list_table(
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
    out += [*_sub("（三）社会组织评估等级及信用情况", st),
            _form_table(st, [[("评估等级", rating)]]), Spacer(1, 3 * mm),
            _list_table(st, ("名录", "列入时间", "列入事由", "移出时间"), (40, 32, 66, 32),
                        "LCLC",
                        [(c.list_name, chinese_date(c.listed_on), c.reason,
                          chinese_date(c.removed_on)) for c in data.credit_entries],
                        "未被列入活动异常名录或严重违法失信名单")]
    return out


def _review(data: AnnualReportData, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    last = next((r for r in reversed(data.inspections) if r.year == data.year - 1), None)
    last_text = f"{data.year - 1}年度：{last.result}" if last else f"{data.year - 1}年度："
    supervisor = (data.org.supervisor and f"业务主管单位：{data.org.supervisor}") or \
        "（无业务主管单位）"

    def seal_cell(lead: list[Flowable], space_mm: float) -> list[Flowable]:
        return [*lead, Spacer(1, space_mm * mm), _p("（盖章）", st["seal"]),
                Spacer(1, 4 * mm), _p("年　　月　　日", st["seal"]), Spacer(1, 2 * mm)]

    handler = Table([[_p("承办人：", st["value"]), _p("负责人：", st["value"])]],
                    colWidths=[60 * mm, 60 * mm], hAlign="LEFT")
    handler.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    rows = [
        [_p("上年度年检结论", st["label"]), _p(last_text, st["value"])],
        [_p("业务主管单位初审意见", st["label"]),
         seal_cell([_p(supervisor, st["value"])], 72)],
        [_p("登记管理机关审定意见", st["label"]),
         seal_cell([Spacer(1, 68 * mm), handler], 6)],
    ]
    table = _ruled(rows, (36, 134), header_rows=0, min_heights_mm=10,
                   extra=[("BACKGROUND", (0, 0), (0, -1), HEAD_FILL),
                          ("VALIGN", (1, 1), (1, -1), "TOP")])
    heading = _Heading("七、年检审查意见", st["section"])
    heading.toc_text = "七、年检审查意见"
    return [PageBreak(), heading, Spacer(1, 2 * mm), table]


def build_story(data: AnnualReportData) -> list[Flowable]:
    """All flowables of the report, cover first."""
    st = _styles()
    return [
        *_cover(data, st), NextPageTemplate("body"), PageBreak(),
        *_declaration(data, st), PageBreak(),
        *_contents(st), PageBreak(),
        *_basic_info(data, st),
        *_internal(data, st),
        *_finance(data, st),
        *_activities(data, st),
        *_supervision(data, st),
        *_section("六、其它需要说明的情况", st),
        _p("（包括上年度年检整改情况等）", st["note"]),
        _text_box(st, data.remarks, 50),
        *_review(data, st),
    ]


# --- document ------------------------------------------------------------------------------


def _fit_text(text: str, font: str, size: float, width: float,
              floor: float = 7.5) -> tuple[str, float]:
    """Shrink to at most `width` points (down to `floor`), then cut with "…"."""
    while size > floor and stringWidth(text, font, size) > width:
        size -= 0.5
    while text and stringWidth(text, font, size) > width:
        text = text[:-2] + "…"
    return text, size


class _NumberedCanvas(Canvas):
    """Keeps every page until save(), then writes "第 N 页 共 M 页" on all but the cover."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages) - 1
        font = cjk_font()
        for state in self._pages:
            self.__dict__.update(state)
            number = self._pageNumber - 1
            if number >= 1:
                self.saveState()
                self.setFont(font, 9)
                self.drawCentredString(PAGE_W / 2, 11 * mm, f"第 {number} 页 共 {total} 页")
                self.restoreState()
            super().showPage()
        super().save()


class _ReportDoc(BaseDocTemplate):
    def __init__(self, buf: io.BytesIO, data: AnnualReportData) -> None:
        super().__init__(buf, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X,
                         topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM,
                         title=f"{data.org.name} {data.year}年度工作报告书",
                         author=data.org.name, subject=report_title(data.org.kind),
                         pageCompression=1)
        self.data = data
        frame = Frame(MARGIN_X, MARGIN_BOTTOM, BODY_W, PAGE_H - MARGIN_TOP - MARGIN_BOTTOM,
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body")
        self.addPageTemplates([
            PageTemplate("cover", [frame], onPage=self._cover_page),
            PageTemplate("body", [frame], onPage=self._body_page),
        ])

    def _cover_page(self, canvas: Canvas, _doc: BaseDocTemplate) -> None:
        if not self.data.number:
            return
        font = cjk_font()
        text, size = _fit_text(f"编号：{self.data.number}", font, 12, 80 * mm)
        canvas.saveState()
        canvas.setFont(font, size)
        canvas.drawRightString(PAGE_W - MARGIN_X, PAGE_H - 15 * mm, text)
        canvas.restoreState()

    def _body_page(self, canvas: Canvas, _doc: BaseDocTemplate) -> None:
        font = cjk_font()
        suffix = f"　{self.data.year}年度工作报告书"
        size = 9.0
        name, size = _fit_text(self.data.org.name, font, size,
                               BODY_W - stringWidth(suffix, font, size))
        text = name + suffix
        canvas.saveState()
        canvas.setFont(font, size)
        canvas.drawCentredString(PAGE_W / 2, PAGE_H - 13 * mm, text)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN_X, PAGE_H - 15 * mm, PAGE_W - MARGIN_X, PAGE_H - 15 * mm)
        canvas.restoreState()

    def afterFlowable(self, flowable: Flowable) -> None:
        text = getattr(flowable, "toc_text", "")
        if text:
            self.notify("TOCEntry", (0, text, self.page - 1))


def render_annual_report(data: AnnualReportData) -> bytes:
    """The report as PDF bytes (A4 portrait)."""
    buf = io.BytesIO()
    doc = _ReportDoc(buf, data)
    doc.multiBuild(build_story(data), canvasmaker=_NumberedCanvas)
    return buf.getvalue()


# --- shared with the other A4 reports (reports.project_report) ----------------------------
# The same ruled tables, wrapping fix, headings and page numbering, under public names.
styles = _styles
para = _p
ruled_table = _ruled
list_table = _list_table
form_table = _form_table
text_box = _text_box
section = _section
sub_heading = _sub
fit_text = _fit_text
NumberedCanvas = _NumberedCanvas
