"""The page furniture of the annual report: cover, declaration, contents, the review page
(七、年检审查意见), and the document whose page templates draw the cover number and the running
header, with a canvas that writes "第 N 页 共 M 页" on every page but the cover once the total
is known.
"""

from __future__ import annotations

import io
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageBreak,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

from reports.annual.data import AnnualReportData, OrgKind, layout_kind, report_title
from reports.annual.style import (
    BODY_W,
    GRID,
    HEAD_FILL,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    PAGE_H,
    PAGE_W,
    chinese_date,
    para,
)
from reports.annual.tables import Heading, ruled_table
from reports.fonts import cjk_font

_REGULATIONS = {
    OrgKind.SOCIAL_GROUP: "《社会团体登记管理条例》和《社会团体年度检查暂行办法》",
    OrgKind.PRIVATE_NON_ENTERPRISE:
        "《民办非企业单位登记管理暂行条例》和《民办非企业单位年度检查办法》",
    OrgKind.FOUNDATION: "《基金会管理条例》和《基金会年度检查办法》",
}


def cover(data: AnnualReportData, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    kind, org = layout_kind(data), data.org
    fields: list[tuple[str, str]] = [
        ("单位名称（盖章）：", org.name),
        ("登记证号：", org.certificate_number),
        ("统一社会信用代码：", org.credit_code),
    ]
    if kind is OrgKind.PRIVATE_NON_ENTERPRISE:
        fields += [("单位形式：", org.form), ("所属行（事）业：", org.sector)]
    fields += [("登记管理机关：", org.registration_authority),
               ("报告日期：", chinese_date(data.report_date))]
    rows = [[para(label, st["cover_label"]), para(value, st["cover_value"])]
            for label, value in fields]
    table = Table(rows, colWidths=[52 * mm, 98 * mm], hAlign="CENTER",
                  minRowHeights=[12 * mm] * len(rows))
    table.setStyle(TableStyle([
        ("LINEBELOW", (1, 0), (1, -1), GRID, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    return [Spacer(1, 45 * mm), para(report_title(kind), st["cover_title"]),
            Spacer(1, 6 * mm), para(f"（{data.year}年度）", st["cover_year"]),
            Spacer(1, 45 * mm), table]


def declaration(data: AnnualReportData, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    kind, org = layout_kind(data), data.org
    out: list[Flowable] = [para("声　　明", st["title"]),
                           para(f"{org.registration_authority}：", st["plain"])]
    if kind is OrgKind.FOUNDATION:
        out += [
            para(f"本基金会依照{_REGULATIONS[kind]}的规定，编制了{data.year}年度工作报告书，"
                 "现报送贵机关。", st["body"]),
            para("本基金会理事会全体理事及监事保证本报告书内容真实、准确、完整，不存在虚假记载、"
                 "误导性陈述或者重大遗漏，并对其真实性、准确性和完整性承担个别及连带责任。",
                 st["body"]),
            para("（理事、监事本人亲笔签名，不得代签或加盖印章）", st["note"]),
            Spacer(1, 4 * mm),
        ]
        rows: list[list[Any]] = []
        for _ in range(4):
            rows.append(["", "", "", "", ""])
        rows.append(["", "", "", "", ""])
        rows[0][0] = para("理事（签字）", st["label"])
        rows[4][0] = para("监事（签字）", st["label"])
        signatures = ruled_table(rows, (30, 35, 35, 35, 35), header_rows=0, min_heights_mm=15,
                                 extra=[("SPAN", (0, 0), (0, 3)),
                                        ("BACKGROUND", (0, 0), (0, -1), HEAD_FILL)])
        out += [signatures, Spacer(1, 12 * mm), para("年　　月　　日", st["seal"])]
        return out
    out += [
        para(f"本单位依照{_REGULATIONS[kind]}的规定，编制了{data.year}年度工作报告书，"
             "现报送贵机关，请予审查。", st["body"]),
        para("本单位保证本报告书所填内容及所附材料真实、准确、完整，如有虚假记载、误导性陈述或者"
             "重大遗漏，愿承担相应的法律责任。", st["body"]),
        Spacer(1, 8 * mm),
    ]
    seal_cell = [Spacer(1, 22 * mm), para("（印鉴）", st["seal"]), Spacer(1, 4 * mm),
                 para("年　　月　　日", st["seal"])]
    rows = [[para("法定代表人（签字）", st["label"]), ""],
            [para("单位印鉴", st["label"]), seal_cell]]
    out.append(ruled_table(rows, (40, 130), header_rows=0, min_heights_mm=25,
                           extra=[("BACKGROUND", (0, 0), (0, -1), HEAD_FILL),
                                  ("VALIGN", (1, 1), (1, 1), "TOP")]))
    return out


def contents(st: dict[str, ParagraphStyle]) -> list[Flowable]:
    toc = TableOfContents(dotsMinLevel=0)
    toc.levelStyles = [ParagraphStyle("toc0", parent=st["toc"], leftIndent=10 * mm,
                                      rightIndent=10 * mm)]
    return [para("目　　录", st["title"]), toc]


def review(data: AnnualReportData, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    last = next((r for r in reversed(data.inspections) if r.year == data.year - 1), None)
    last_text = f"{data.year - 1}年度：{last.result}" if last else f"{data.year - 1}年度："
    supervisor = (data.org.supervisor and f"业务主管单位：{data.org.supervisor}") or \
        "（无业务主管单位）"

    def seal_cell(lead: list[Flowable], space_mm: float) -> list[Flowable]:
        return [*lead, Spacer(1, space_mm * mm), para("（盖章）", st["seal"]),
                Spacer(1, 4 * mm), para("年　　月　　日", st["seal"]), Spacer(1, 2 * mm)]

    handler = Table([[para("承办人：", st["value"]), para("负责人：", st["value"])]],
                    colWidths=[60 * mm, 60 * mm], hAlign="LEFT")
    handler.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    rows = [
        [para("上年度年检结论", st["label"]), para(last_text, st["value"])],
        [para("业务主管单位初审意见", st["label"]),
         seal_cell([para(supervisor, st["value"])], 72)],
        [para("登记管理机关审定意见", st["label"]),
         seal_cell([Spacer(1, 68 * mm), handler], 6)],
    ]
    table = ruled_table(rows, (36, 134), header_rows=0, min_heights_mm=10,
                        extra=[("BACKGROUND", (0, 0), (0, -1), HEAD_FILL),
                               ("VALIGN", (1, 1), (1, -1), "TOP")])
    heading = Heading("七、年检审查意见", st["section"])
    heading.toc_text = "七、年检审查意见"
    return [PageBreak(), heading, Spacer(1, 2 * mm), table]


# --- document: running header, cover number, page numbers ------------------------------


def fit_text(text: str, font: str, size: float, width: float,
             floor: float = 7.5) -> tuple[str, float]:
    """Shrink to at most `width` points (down to `floor`), then cut with "…"."""
    while size > floor and stringWidth(text, font, size) > width:
        size -= 0.5
    while text and stringWidth(text, font, size) > width:
        text = text[:-2] + "…"
    return text, size


class NumberedCanvas(Canvas):
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


class ReportDoc(BaseDocTemplate):
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
        text, size = fit_text(f"编号：{self.data.number}", font, 12, 80 * mm)
        canvas.saveState()
        canvas.setFont(font, size)
        canvas.drawRightString(PAGE_W - MARGIN_X, PAGE_H - 15 * mm, text)
        canvas.restoreState()

    def _body_page(self, canvas: Canvas, _doc: BaseDocTemplate) -> None:
        font = cjk_font()
        suffix = f"　{self.data.year}年度工作报告书"
        size = 9.0
        name, size = fit_text(self.data.org.name, font, size,
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
