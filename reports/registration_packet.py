"""The index page of a registration (or filing) packet: which materials are ready, as A4 PDF.

It goes on top of the zip of documents the centre hands to the registration authority, so
the clerk there can tick the materials off: one ruled table, 序号 | 材料 | 是否必需 | 状态 |
日期 | 附件 | 备注.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from reports.fonts import cjk_font

FILING_TITLE = "社会组织备案材料清单"
REGISTRATION_TITLE = "登记申请材料清单"


@dataclass(frozen=True)
class PacketItem:
    label: str
    required: bool
    done_on: dt.date | None
    file_name: str = ""  # the attached file's name inside the zip, if any
    note: str = ""


@dataclass(frozen=True)
class PacketData:
    filing: bool  # 备案 (community organization) rather than 登记
    org_name: str
    credit_code: str
    items: Sequence[PacketItem]
    made_on: dt.date

    @property
    def title(self) -> str:
        return FILING_TITLE if self.filing else REGISTRATION_TITLE


def _date(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def render(data: PacketData) -> bytes:
    """The index as PDF bytes (A4 portrait)."""
    font = cjk_font()
    title = ParagraphStyle("title", fontName=font, fontSize=18, leading=26, alignment=TA_CENTER)
    body = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=15)
    cell = ParagraphStyle("cell", fontName=font, fontSize=9.5, leading=13)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm,
                            topMargin=22 * mm, bottomMargin=20 * mm, title=data.title,
                            author="益联")

    def p(text: str, style: ParagraphStyle = cell) -> Paragraph:
        return Paragraph(escape(text), style)

    rows: list[list[object]] = [[p(h) for h in ("序号", "材料", "必需", "状态", "日期", "附件",
                                                "备注")]]
    for number, item in enumerate(data.items, start=1):
        rows.append([p(str(number)), p(item.label), p("是" if item.required else "否"),
                     p("已备" if item.done_on else "未备"), p(_date(item.done_on)),
                     p(item.file_name), p(item.note)])
    widths = [w * mm for w in (11, 46, 11, 13, 26, 40, 23)]
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEEEEE")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    story = [
        Paragraph(escape(data.title), title),
        Spacer(1, 6 * mm),
        p(f"组织名称：{data.org_name}", body),
    ]
    if data.credit_code:
        story.append(p(f"统一社会信用代码：{data.credit_code}", body))
    story += [p(f"制表日期：{_date(data.made_on)}", body), Spacer(1, 4 * mm), table]
    doc.build(story)
    return buffer.getvalue()
