"""Volunteer ID cards (志愿者证) as PDF: CR80, one per page or A4 sheets of ten to cut.

Card (85.6 × 54 mm, landscape)::

    ┌──────────────────────────────────────────────┐
    │ [logo] 中心名称                    (red band) │
    │        志愿者证 VOLUNTEER ID CARD             │
    │ ┌──────┐ 姓名                       ┌───────┐ │
    │ │ 照片 │ 编号 V00000123             │  QR   │ │
    │ │      │ 星级 ★★☆☆☆                 │       │ │
    │ └──────┘ 发证 2026年11月23日        └───────┘ │
    │ 本证仅限本人使用…                  扫码签到   │
    └──────────────────────────────────────────────┘

Every box is data below (millimetres, y from the card's top edge). The A4 sheet holds 2 × 5
cards: rows abut (one cut between them), columns have a gutter; crop marks sit outside every
card, in the margins and the gutter, on the lines of the card edges.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from reports.fonts import cjk_font
from reports.qr import draw_qr

TITLE = "志愿者证"
SUBTITLE = "志愿者证  VOLUNTEER ID CARD"
NOTICE = "本证仅限本人使用，遗失请及时到中心挂失补发"
QR_CAPTION = "扫码签到"
PHOTO_PLACEHOLDER = "照片"
MAX_STARS = 5


@dataclass(frozen=True)
class CardData:
    """Everything printed on one card."""

    name: str
    number: str
    star_level: int
    center_name: str
    logo_path: str
    issued_on: dt.date
    payload: str
    photo: bytes | None = None
    serial: int = 1


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float


# --- layout (mm) ---------------------------------------------------------------------------

CARD_W, CARD_H = 85.6, 54.0
BAND = Box(0.0, 0.0, CARD_W, 11.5)           # coloured header, printed to the edge
LOGO = Box(3.0, 1.75, 8.0, 8.0)
CENTER = Box(12.0, 1.0, 71.0, 5.8)           # starts at 3.0 when there is no logo
SUBTITLE_BOX = Box(12.0, 6.2, 71.0, 4.6)
PHOTO = Box(4.0, 14.0, 20.0, 26.0)
NAME = Box(26.5, 14.0, 31.0, 8.0)
NUMBER = Box(26.5, 22.5, 31.0, 5.0)
STARS = Box(26.5, 28.0, 31.0, 5.0)
ISSUED = Box(26.5, 33.5, 31.0, 5.0)
QR = Box(58.6, 13.5, 25.0, 25.0)             # the symbol ≥ 21 mm plus a 2-module margin
QR_LABEL = Box(58.6, 38.5, 25.0, 3.6)
FOOTER = Box(4.0, 45.0, 77.6, 5.0)
BAND_RGB = (0.75, 0.09, 0.13)
PAD = 0.6

# A4 sheet: 2 columns × 5 rows.
SHEET_COLS, SHEET_ROWS = 2, 5
PER_SHEET = SHEET_COLS * SHEET_ROWS
GUTTER = 10.0                                 # between the two columns
PAGE_W, PAGE_H = A4[0] / mm, A4[1] / mm
SHEET_X = (PAGE_W - SHEET_COLS * CARD_W - GUTTER) / 2   # 14.4
SHEET_Y = (PAGE_H - SHEET_ROWS * CARD_H) / 2             # 13.5
MARK_GAP, MARK_LEN, MARK_WIDTH = 1.0, 3.5, 0.3           # mm, mm, pt


def sheet_origins() -> list[tuple[float, float]]:
    """Top-left corners (mm from the page's top-left) of the ten cards, row by row."""
    return [(SHEET_X + c * (CARD_W + GUTTER), SHEET_Y + r * CARD_H)
            for r in range(SHEET_ROWS) for c in range(SHEET_COLS)]


def crop_marks() -> list[tuple[float, float, float, float]]:
    """Crop-mark segments (x1, y1, x2, y2 in mm from the page's top-left) for a full sheet:
    horizontal marks beside every card edge line (left margin, gutter, right margin) and
    vertical marks above the top row and below the bottom row. None enters a card."""
    marks = []
    lefts = [SHEET_X + c * (CARD_W + GUTTER) for c in range(SHEET_COLS)]
    for r in range(SHEET_ROWS + 1):
        y = SHEET_Y + r * CARD_H
        for x in lefts:
            marks.append((x - MARK_GAP - MARK_LEN, y, x - MARK_GAP, y))
            right = x + CARD_W
            marks.append((right + MARK_GAP, y, right + MARK_GAP + MARK_LEN, y))
    top, bottom = SHEET_Y, SHEET_Y + SHEET_ROWS * CARD_H
    for x in lefts:
        for edge in (x, x + CARD_W):
            marks.append((edge, top - MARK_GAP - MARK_LEN, edge, top - MARK_GAP))
            marks.append((edge, bottom + MARK_GAP, edge, bottom + MARK_GAP + MARK_LEN))
    return marks


def stars_text(level: int) -> str:
    level = max(0, level)
    return "★" * level + "☆" * max(0, MAX_STARS - level)


def cn_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


# --- drawing ---------------------------------------------------------------------------------

class _Painter:
    """Draws card boxes (mm from the card's top-left) at an origin on a page."""

    def __init__(self, canvas: Canvas, page_h: float) -> None:
        self.c = canvas
        self.page_h = page_h
        self.font = cjk_font()
        self.ox = 0.0
        self.oy = 0.0
        self._images: dict[int, ImageReader | None] = {}

    def x(self, x_mm: float) -> float:
        return (self.ox + x_mm) * mm

    def y(self, y_mm: float) -> float:
        return (self.page_h - self.oy - y_mm) * mm

    def fit_size(self, text: str, box: Box, size: float, min_size: float = 5.0) -> float:
        width = (box.w - 2 * PAD) * mm
        s = size
        while s > min_size and (stringWidth(text, self.font, s) > width
                                or s * 1.15 > box.h * mm):
            s -= 0.25
        return s

    def clip(self, text: str, box: Box, size: float) -> str:
        width = (box.w - 2 * PAD) * mm
        if stringWidth(text, self.font, size) <= width:
            return text
        while text and stringWidth(text + "…", self.font, size) > width:
            text = text[:-1]
        return text + "…"

    def text(self, text: str, box: Box, size: float, align: str = "left",
             gray: float = 0.0, white: bool = False) -> None:
        """One line, shrunk to fit the box (and cut with … below 5 pt), centred vertically."""
        if not text:
            return
        s = self.fit_size(text, box, size)
        text = self.clip(text, box, s)
        c = self.c
        c.saveState()
        c.setFont(self.font, s)
        if white:
            c.setFillColorRGB(1, 1, 1)
        else:
            c.setFillGray(gray)
        base = self.y(box.y + box.h / 2) - s * 0.36
        if align == "center":
            c.drawCentredString(self.x(box.x + box.w / 2), base, text)
        elif align == "right":
            c.drawRightString(self.x(box.x + box.w - PAD), base, text)
        else:
            c.drawString(self.x(box.x + PAD), base, text)
        c.restoreState()

    def fill(self, box: Box, rgb: tuple[float, float, float]) -> None:
        c = self.c
        c.saveState()
        c.setFillColorRGB(*rgb)
        c.rect(self.x(box.x), self.y(box.y + box.h), box.w * mm, box.h * mm, stroke=0, fill=1)
        c.restoreState()

    def image(self, data: bytes, box: Box) -> bool:
        """Draw an image fitted into the box (aspect kept, centred); False if unreadable."""
        key = id(data)
        if key not in self._images:
            try:
                reader = ImageReader(io.BytesIO(data))
                reader.getSize()
            except Exception:
                reader = None
            self._images[key] = reader
        reader = self._images[key]
        if reader is None:
            return False
        self.c.drawImage(reader, self.x(box.x), self.y(box.y + box.h), box.w * mm, box.h * mm,
                         preserveAspectRatio=True, anchor="c", mask="auto")
        return True

    def placeholder(self, box: Box) -> None:
        c = self.c
        c.saveState()
        c.setFillGray(0.93)
        c.setStrokeGray(0.7)
        c.setLineWidth(0.4)
        c.rect(self.x(box.x), self.y(box.y + box.h), box.w * mm, box.h * mm, stroke=1, fill=1)
        c.restoreState()
        self.text(PHOTO_PLACEHOLDER, box, 10.0, "center", gray=0.55)

    def qr(self, payload: str, box: Box) -> None:
        """A 2-module light margin inside the box: the card's blank surround completes the
        quiet zone."""
        draw_qr(self.c, payload, self.x(box.x), self.y(box.y), box.w * mm, border=2)


def _logo(path: str) -> bytes | None:
    if not path:
        return None
    try:
        file = Path(path)
        return file.read_bytes() if file.is_file() else None
    except OSError:
        return None


def _draw_card(p: _Painter, card: CardData, logo: bytes | None) -> None:
    p.fill(BAND, BAND_RGB)
    shift = 0.0
    if logo is None or not p.image(logo, LOGO):
        shift = CENTER.x - LOGO.x
    center = Box(CENTER.x - shift, CENTER.y, CENTER.w + shift, CENTER.h)
    subtitle = Box(SUBTITLE_BOX.x - shift, SUBTITLE_BOX.y, SUBTITLE_BOX.w + shift, SUBTITLE_BOX.h)
    p.text(card.center_name, center, 10.5, white=True)
    p.text(SUBTITLE, subtitle, 7.0, white=True)
    if card.photo is None or not p.image(card.photo, PHOTO):
        p.placeholder(PHOTO)
    p.text(card.name, NAME, 15.0)
    p.text(f"编号  {card.number}", NUMBER, 8.5)
    p.text(f"星级  {stars_text(card.star_level)}", STARS, 8.5)
    p.text(f"发证  {cn_date(card.issued_on)}", ISSUED, 8.5)
    p.qr(card.payload, QR)
    p.text(QR_CAPTION, QR_LABEL, 6.5, "center", gray=0.3)
    p.text(NOTICE, FOOTER, 6.0, gray=0.4)


def render_cards(cards: Sequence[CardData], sheet: bool = False) -> bytes:
    """The cards as PDF bytes: one CR80-sized page per card, or (sheet) A4 pages of ten with
    crop marks. An empty selection gives an empty document of one blank page."""
    buf = io.BytesIO()
    size = A4 if sheet else (CARD_W * mm, CARD_H * mm)
    canvas = Canvas(buf, pagesize=size, pageCompression=1)
    canvas.setTitle(TITLE)
    if cards:
        canvas.setAuthor(cards[0].center_name)
    painter = _Painter(canvas, PAGE_H if sheet else CARD_H)
    logos: dict[str, bytes | None] = {}
    for i, card in enumerate(cards):
        if card.logo_path not in logos:
            logos[card.logo_path] = _logo(card.logo_path)
        if sheet:
            slot = i % PER_SHEET
            if slot == 0:
                _draw_marks(canvas)
            painter.ox, painter.oy = sheet_origins()[slot]
        _draw_card(painter, card, logos[card.logo_path])
        if not sheet or i % PER_SHEET == PER_SHEET - 1 or i == len(cards) - 1:
            canvas.showPage()
    canvas.save()
    return buf.getvalue()


def _draw_marks(canvas: Canvas) -> None:
    canvas.saveState()
    canvas.setLineWidth(MARK_WIDTH)
    canvas.setStrokeGray(0)
    for x1, y1, x2, y2 in crop_marks():
        canvas.line(x1 * mm, (PAGE_H - y1) * mm, x2 * mm, (PAGE_H - y2) * mm)
    canvas.restoreState()
