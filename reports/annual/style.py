"""How the A4 reports look: page geometry, how dates, money and hours print, the paragraph
styles, and a Paragraph that keeps CJK hanging punctuation inside its cell.

Money arrives as integer fen and prints in 元 with two decimals, or in 万元 with four
decimals (exact to the 元) for foundations. Volunteer time arrives as minutes and prints as
hours.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph

from reports.fonts import cjk_font

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


def styles() -> dict[str, ParagraphStyle]:
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


def para(text: str, style: ParagraphStyle) -> Paragraph:
    """A Paragraph of plain text (markup escaped, newlines kept)."""
    return _Para(escape(text).replace("\n", "<br/>"), style)
