"""The ruled tables and headings every section is made of.

Every table is a fully ruled `Table(repeatRows=...)` of Paragraphs (CJK wrapping), so long
tables continue across pages under their repeated header row and no text leaves its cell;
a section heading carries its contents-page entry (`Heading.toc_text`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Table, TableStyle

from reports.annual.style import BODY_W, FRAME, GRID, HEAD_FILL, para


class _FramedTable(Table):
    """A Table whose every page part is closed by the outer frame: reportlab leaves the box
    open where a row is split between pages (splitInRow)."""

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        parts: list[Flowable] = super().split(avail_width, avail_height)
        for part in parts:
            if isinstance(part, Table):
                part.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), FRAME, colors.black)]))
        return parts


def ruled_table(rows: list[list[Any]], widths_mm: Sequence[float], *, header_rows: int = 1,
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


def list_table(st: dict[str, ParagraphStyle], headers: Sequence[str],
               widths_mm: Sequence[float], aligns: str,
               rows: Sequence[Sequence[str]], empty: str = "无",
               total: Sequence[str] | None = None) -> Table:
    """Header row plus data rows; `aligns` holds one of L/C/R per column; an empty list
    prints one spanning row with `empty`."""
    by_align = {"L": st["cell"], "C": st["cell_c"], "R": st["cell_r"]}
    data: list[list[Any]] = [[para(h, st["head"]) for h in headers]]
    extra: list[tuple[Any, ...]] = []
    for row in rows:
        data.append([para(text, by_align[a]) for text, a in zip(row, aligns, strict=True)])
    if not rows:
        data.append([para(empty, st["cell_c"])] + [""] * (len(headers) - 1))
        extra.append(("SPAN", (0, 1), (-1, 1)))
    if total is not None:
        data.append([para(text, by_align[a]) for text, a in zip(total, aligns, strict=True)])
    return ruled_table(data, widths_mm, extra=extra)


def form_table(st: dict[str, ParagraphStyle],
               rows: Sequence[Sequence[tuple[str, str]]]) -> Table:
    """Label | value form rows; a row of one pair spans the value over three columns."""
    widths = (34.0, 51.0, 34.0, 51.0)
    data: list[list[Any]] = []
    extra: list[tuple[Any, ...]] = []
    for i, row in enumerate(rows):
        cells: list[Any] = []
        for label, value in row:
            cells += [para(label, st["label"]), para(value, st["value"])]
            extra.append(("BACKGROUND", (len(cells) - 2, i), (len(cells) - 2, i), HEAD_FILL))
        if len(row) == 1:
            cells += ["", ""]
            extra.append(("SPAN", (1, i), (3, i)))
        data.append(cells)
    return ruled_table(data, widths, header_rows=0, extra=extra, min_heights_mm=8.0,
                       split_in_row=True)


def text_box(st: dict[str, ParagraphStyle], text: str, min_height_mm: float) -> Table:
    """A ruled box of free text that may run over pages: one cell holding a Paragraph per
    line of the text, split between pages inside the row."""
    paragraphs = [p for p in text.split("\n") if p.strip()] or [""]
    style = ParagraphStyle("boxed", parent=st["value"], fontSize=10.5, leading=17,
                           firstLineIndent=21, spaceAfter=3)
    table = _FramedTable([[[para(p, style) for p in paragraphs]]], colWidths=[BODY_W],
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


class Heading(Paragraph):
    """A section heading that enters the contents page."""

    toc_text: str = ""


def section(text: str, st: dict[str, ParagraphStyle], need_mm: float = 50) -> list[Flowable]:
    """A numbered section heading, on a new page unless `need_mm` are left below it."""
    heading = Heading(escape(text), st["section"])
    heading.toc_text = text
    return [CondPageBreak(need_mm * mm), heading]


def sub_heading(text: str, st: dict[str, ParagraphStyle], style: str = "sub") -> list[Flowable]:
    # no keepWithNext: it would move a whole table that fits a fresh page off this one;
    # the conditional break leaves room for the heading, the header row and a row or two
    return [CondPageBreak(36 * mm), para(text, st[style])]


def unit_note(st: dict[str, ParagraphStyle], wan: bool, extra: str = "") -> Paragraph:
    return para(f"{extra}单位：{'万元' if wan else '元'}", st["note"])
