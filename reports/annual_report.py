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

This module puts the report together and is the one to import; its parts live in
`reports.annual`: `data` (the dataclasses it takes), `style` (formats, geometry, paragraph
styles), `tables` (ruled tables and headings), `pages` (cover, declaration, contents, review
page, the document and its numbered canvas) and `sections` (一 to 五).
"""

from __future__ import annotations

import io

from reportlab.platypus import Flowable, NextPageTemplate, PageBreak

from reports.annual.data import (
    ActivityRow,
    ActivityStatement,
    AnnualReportData,
    Balance,
    BalanceSheet,
    ChangeRow,
    CreditEntry,
    EvaluationLine,
    FinanceData,
    IncubationStatus,
    InspectionRow,
    MeetingRow,
    OrgInfo,
    OrgKind,
    ProjectRow,
    RatingInfo,
    Split,
    StaffInfo,
    TrainingLine,
    VolunteerLine,
    report_title,
)
from reports.annual.pages import (
    NumberedCanvas,
    ReportDoc,
    contents,
    cover,
    declaration,
    fit_text,
    review,
)
from reports.annual.sections import (
    BALANCE_ROWS,
    BLANK_MEETING_ROWS,
    EXPENSE_ROWS,
    INCOME_ROWS,
    activities,
    basic_info,
    finance,
    internal,
    supervision,
)
from reports.annual.style import (
    BODY_W,
    FRAME,
    GRID,
    HEAD_FILL,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    PAGE_H,
    PAGE_W,
    chinese_date,
    format_hours,
    format_money,
    para,
    styles,
)
from reports.annual.tables import (
    form_table,
    list_table,
    ruled_table,
    section,
    sub_heading,
    text_box,
)

# The input dataclasses, the formats, the statements' rows (year_figures checks its labels
# against them), the report itself, and what the other A4 reports (reports.project_report)
# share: the same geometry, ruled tables, wrapping fix, headings and page numbering.
__all__ = [
    "BALANCE_ROWS", "BLANK_MEETING_ROWS", "BODY_W", "EXPENSE_ROWS", "FRAME", "GRID",
    "HEAD_FILL", "INCOME_ROWS", "MARGIN_BOTTOM", "MARGIN_TOP", "MARGIN_X", "PAGE_H", "PAGE_W",
    "ActivityRow", "ActivityStatement", "AnnualReportData", "Balance", "BalanceSheet",
    "ChangeRow", "CreditEntry", "EvaluationLine", "FinanceData", "IncubationStatus",
    "InspectionRow", "MeetingRow", "NumberedCanvas", "OrgInfo", "OrgKind", "ProjectRow",
    "RatingInfo", "Split", "StaffInfo", "TrainingLine", "VolunteerLine", "build_story",
    "chinese_date", "fit_text", "form_table", "format_hours", "format_money", "list_table",
    "para", "render_annual_report", "report_title", "ruled_table", "section", "styles",
    "sub_heading", "text_box",
]

# The names the statements' rows had before the split (bench/bench_orgs.py and
# tests/unit/services/orgs/test_year_figures.py read them).
_BALANCE_ROWS = BALANCE_ROWS
_INCOME_ROWS = INCOME_ROWS
_EXPENSE_ROWS = EXPENSE_ROWS


def build_story(data: AnnualReportData) -> list[Flowable]:
    """All flowables of the report, cover first."""
    st = styles()
    return [
        *cover(data, st), NextPageTemplate("body"), PageBreak(),
        *declaration(data, st), PageBreak(),
        *contents(st), PageBreak(),
        *basic_info(data, st),
        *internal(data, st),
        *finance(data, st),
        *activities(data, st),
        *supervision(data, st),
        *section("六、其它需要说明的情况", st),
        para("（包括上年度年检整改情况等）", st["note"]),
        text_box(st, data.remarks, 50),
        *review(data, st),
    ]


def render_annual_report(data: AnnualReportData) -> bytes:
    """The report as PDF bytes (A4 portrait)."""
    buf = io.BytesIO()
    doc = ReportDoc(buf, data)
    doc.multiBuild(build_story(data), canvasmaker=NumberedCanvas)
    return buf.getvalue()
