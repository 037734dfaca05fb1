"""The service certificate (志愿服务记录证明) as an A4 PDF.

One bordered, fully ruled table in the order of DOMAIN.md §7 (民发〔2015〕149号): the
volunteer, the hours and what was done over the period, the issuer and its people, the issue
date, remarks, and a seal box; the certificate number at the top right with the verifying QR
beside it.

The layout is data: page furniture as boxes in millimetres, the table as bands of rows over
six fixed columns, every row a fixed height with its text shrunk (then wrapped, then cut with
"…") to fit, so where everything lands is known before drawing. That makes paging exact: a
long list of activities continues on the next page under a repeated header, and the issuer
rows and the seal always stay together with at least the last activity row, so no page holds
a seal box alone.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass, field

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from reports.fonts import cjk_font
from reports.qr import draw_qr

TITLE = "志愿服务记录证明"


@dataclass(frozen=True)
class ActivityLine:
    """One activity of the period: when, what, who organised it, hours (already formatted)."""

    date_text: str
    name: str
    organizer: str
    hours: str


@dataclass(frozen=True)
class CertificateData:
    """Everything printed on a certificate, as plain text and dates."""

    number: str
    holder: str
    id_type: str
    id_number: str
    volunteer_number: str
    hours: str
    hours_note: str
    period_from: dt.date
    period_to: dt.date
    activities: Sequence[ActivityLine]
    issuer: str
    person_in_charge: str
    handler: str
    contact: str
    issued_on: dt.date
    remarks: str
    qr_payload: str
    record_count: int = 0


# --- layout (millimetres; y measured from the top edge) -----------------------------------

@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float


PAGE_W_MM, PAGE_H_MM = A4[0] / mm, A4[1] / mm
TABLE_X = 20.0
COLS = (34.0, 25.0, 33.0, 28.0, 30.0, 20.0)   # 170 mm: label | five content columns
FIRST_TOP = 50.0                              # table top on page 1 (below title, number, QR)
NEXT_TOP = 28.0                               # table top on continuation pages
BOTTOM = 276.0                                # the table never goes below this line
QR_BOX = Box(158.0, 10.0, 32.0, 32.0)
QR_CAPTION = Box(158.0, 42.0, 32.0, 4.0)
NUMBER_BOX = Box(60.0, 36.0, 96.0, 6.0)       # right-aligned, ends beside the QR
TITLE_BOX = Box(20.0, 18.0, 170.0, 14.0)
CONT_TITLE_BOX = Box(20.0, 14.0, 170.0, 8.0)
FOOTER_BOX = Box(20.0, 282.0, 170.0, 6.0)
PAD = 1.6                                     # text inset inside a cell (sides)
VPAD = 0.8                                    # and at top and bottom
ROW_H = 7.0                                   # one activity row
FIELD_H = 11.0
LINE = 0.5                                    # inner rules (pt)
FRAME = 1.2                                   # the table's border (pt)


@dataclass(frozen=True)
class Cell:
    """kind: label (centred), value (left), head (centred, shaded), item (activity text),
    seal (the seal box spanning the whole width)."""

    text: str
    span: int = 1
    kind: str = "value"


@dataclass(frozen=True)
class Row:
    height: float
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Band:
    """Rows sharing one label cell on the left (label None: rows span all six columns).

    A band with `body` rows may be split between pages: `lead` rows come first, `repeat`
    rows head every continuation, which carries `cont_label`.
    """

    label: str | None
    lead: tuple[Row, ...]
    body: tuple[Row, ...] = ()
    repeat: tuple[Row, ...] = ()
    cont_label: str = ""

    @property
    def height(self) -> float:
        return sum(r.height for r in self.lead + self.body)


@dataclass
class Segment:
    label: str | None
    rows: list[Row]
    y: float


@dataclass
class Page:
    segments: list[Segment] = field(default_factory=list)


def cn_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def build_bands(data: CertificateData) -> list[Band]:
    """The certificate's table, top to bottom (DOMAIN.md §7 order)."""
    def field_band(label: str, *cells: Cell, height: float = FIELD_H) -> Band:
        return Band(label, (Row(height, cells),))

    intro = (f"服务期间：{cn_date(data.period_from)}至{cn_date(data.period_to)}；"
             f"参加志愿服务活动{len(data.activities)}项"
             + (f"，已审核服务记录{data.record_count}条。" if data.record_count else "。"))
    header = Row(ROW_H, (Cell("日期", 1, "head"), Cell("活动名称", 2, "head"),
                         Cell("组织单位", 1, "head"), Cell("时长（小时）", 1, "head")))
    body = tuple(Row(ROW_H, (Cell(a.date_text, 1, "item"), Cell(a.name, 2, "item"),
                             Cell(a.organizer, 1, "item"), Cell(a.hours, 1, "item")))
                 for a in data.activities)
    if not body:
        body = (Row(ROW_H, (Cell("本期间内没有已审核的服务记录", 5, "item"),)),)
    hours = data.hours + (f"（{data.hours_note}）" if data.hours_note else "")
    return [
        field_band("姓名", Cell(data.holder, 2), Cell("证件类型", 1, "label"),
                   Cell(data.id_type, 2)),
        field_band("证件号码", Cell(data.id_number, 2), Cell("志愿者编号", 1, "label"),
                   Cell(data.volunteer_number, 2)),
        field_band("服务时间（小时）", Cell(hours, 5)),
        Band("服务内容", (Row(9.0, (Cell(intro, 5),)), header), body, (header,),
             "服务内容（续）"),
        field_band("出具单位名称", Cell(data.issuer, 5)),
        field_band("负责人（签字）", Cell(data.person_in_charge, 2),
                   Cell("经办人（签字）", 1, "label"), Cell(data.handler, 2), height=16.0),
        field_band("联系方式", Cell(data.contact, 5)),
        field_band("出具日期", Cell(cn_date(data.issued_on), 5)),
        field_band("其他需要说明的事项", Cell(data.remarks, 5), height=26.0),
        Band(None, (Row(40.0, (Cell("出具单位（盖章）", 6, "seal"),)),)),
    ]


def paginate(bands: Sequence[Band]) -> list[Page]:
    """Place bands on pages; only a band with body rows is split, at a row boundary."""
    pages = [Page()]
    y = FIRST_TOP

    def new_page() -> None:
        nonlocal y
        pages.append(Page())
        y = NEXT_TOP

    for index, band in enumerate(bands):
        if not band.body:
            if y + band.height > BOTTOM + 1e-6 and pages[-1].segments:
                new_page()
            pages[-1].segments.append(Segment(band.label, list(band.lead), y))
            y += band.height
            continue
        tail = sum(b.height for b in bands[index + 1:])
        lead, label, body = list(band.lead), band.label, list(band.body)
        while body:
            room = BOTTOM - y - sum(r.height for r in lead)
            fit, used = 0, 0.0
            while fit < len(body) and used + body[fit].height <= room + 1e-6:
                used += body[fit].height
                fit += 1
            if fit == len(body) and y + sum(r.height for r in lead) + used + tail > BOTTOM:
                fit -= 1  # carry the last row over so the issuer rows and seal have company
            if fit <= 0:
                if not pages[-1].segments:  # nothing fits even on an empty page: force one
                    fit = 1
                else:
                    new_page()
                    continue
            rows = lead + body[:fit]
            pages[-1].segments.append(Segment(label, rows, y))
            y += sum(r.height for r in rows)
            body = body[fit:]
            if body:
                new_page()
                lead, label = list(band.repeat), band.cont_label
    return pages


# --- drawing -------------------------------------------------------------------------------

class _Painter:
    """Draws boxes given in millimetres from the top edge onto a reportlab canvas."""

    def __init__(self, canvas: Canvas) -> None:
        self.c = canvas
        self.font = cjk_font()

    @staticmethod
    def _y(y_mm: float) -> float:
        return (PAGE_H_MM - y_mm) * mm

    def wrap(self, text: str, width: float, size: float) -> list[str]:
        """Greedy wrap by character (Chinese breaks anywhere); explicit newlines kept."""
        lines: list[str] = []
        for para in text.split("\n") or [""]:
            line, used = "", 0.0
            for ch in para:
                w = stringWidth(ch, self.font, size)
                if line and used + w > width:
                    lines.append(line)
                    line, used = "", 0.0
                line += ch
                used += w
            lines.append(line)
        return lines

    def balanced(self, text: str, width: float, size: float, count: int) -> list[str]:
        """Wrap into `count` lines of even length (no line holding a lone bracket): the
        narrowest width that still needs no more lines, found by bisection."""
        if count <= 1:
            return self.wrap(text, width, size)
        low, high = stringWidth(text, self.font, size) / count, width
        for _ in range(12):
            mid = (low + high) / 2
            if len(self.wrap(text, mid, size)) <= count:
                high = mid
            else:
                low = mid
        return self.wrap(text, high, size)

    def fit(self, text: str, box: Box, size: float, min_size: float = 6.0,
            single: bool = False) -> tuple[list[str], float]:
        """The largest size (down to min_size) at which the text fits the box, on one
        line or (unless `single`) wrapped; at the smallest size the excess is cut with "…"."""
        width, height = (box.w - 2 * PAD) * mm, (box.h - 2 * VPAD) * mm
        s = size
        while s >= min_size:
            if stringWidth(text, self.font, s) <= width and s * 1.2 <= height:
                return [text], s
            if not single:
                lines = self.wrap(text, width, s)
                if len(lines) * s * 1.25 <= height:
                    return self.balanced(text, width, s, len(lines)), s
            s -= 0.5
        lines = self.wrap(text, width, min_size)
        keep = max(1, int(height // (min_size * 1.25)))
        if len(lines) > keep:
            lines = lines[:keep]
            last = lines[-1]
            while last and stringWidth(last + "…", self.font, min_size) > width:
                last = last[:-1]
            lines[-1] = last + "…"
        return lines, min_size

    def text(self, text: str, box: Box, size: float, align: str = "left",
             single: bool = False) -> None:
        if not text:
            return
        lines, s = self.fit(text, box, size, single=single)
        leading = s * 1.25 if len(lines) > 1 else s * 1.2
        block = leading * len(lines)
        top = self._y(box.y) - (box.h * mm - block) / 2
        c = self.c
        c.saveState()
        c.setFont(self.font, s)
        for i, line in enumerate(lines):
            base = top - leading * i - (leading + s * 0.72) / 2
            if align == "center":
                c.drawCentredString((box.x + box.w / 2) * mm, base, line)
            elif align == "right":
                c.drawRightString((box.x + box.w - PAD) * mm, base, line)
            else:
                c.drawString((box.x + PAD) * mm, base, line)
        c.restoreState()

    def rect(self, box: Box, width: float = LINE, fill: float | None = None) -> None:
        c = self.c
        c.saveState()
        c.setLineWidth(width)
        if fill is not None:
            c.setFillGray(fill)
        c.rect(box.x * mm, self._y(box.y + box.h), box.w * mm, box.h * mm,
               stroke=1, fill=1 if fill is not None else 0)
        c.restoreState()

    def qr(self, payload: str, box: Box) -> None:
        """Quiet zone inside the box."""
        draw_qr(self.c, payload, box.x * mm, self._y(box.y), box.w * mm, border=4)


def _draw_cell(p: _Painter, cell: Cell, box: Box) -> None:
    if cell.kind == "seal":
        p.rect(box)
        right = Box(box.x, box.y + box.h * 0.30, box.w - 22.0, 8.0)
        p.text(cell.text, right, 12.0, "right", single=True)
        p.text("年　　月　　日", Box(box.x, right.y + 10.0, box.w - 22.0, 8.0), 12.0,
               "right", single=True)
        return
    p.rect(box, fill=0.93 if cell.kind == "head" else None)
    if cell.kind in ("label", "head"):  # labels shrink rather than break a word in two
        p.text(cell.text, box, 10.0 if cell.kind == "label" else 9.0, "center", single=True)
    elif cell.kind == "item":
        centred = cell.span == 5 or _is_short(cell.text)
        p.text(cell.text, box, 9.0, "center" if centred else "left")
    else:
        p.text(cell.text, box, 10.5)


def _is_short(text: str) -> bool:
    """Hours and similar figures sit centred in their column."""
    return len(text) <= 8 and all(ch in "0123456789.-" for ch in text)


def _draw_segment(p: _Painter, seg: Segment) -> float:
    x0, first_col = TABLE_X, 0
    height = sum(r.height for r in seg.rows)
    if seg.label is not None:
        label_box = Box(TABLE_X, seg.y, COLS[0], height)
        p.rect(label_box)
        p.text(seg.label, label_box, 10.0, "center", single=True)
        x0, first_col = TABLE_X + COLS[0], 1
    y = seg.y
    for row in seg.rows:
        x, col = x0, first_col
        for cell in row.cells:
            w = sum(COLS[col:col + cell.span])
            _draw_cell(p, cell, Box(x, y, w, row.height))
            x, col = x + w, col + cell.span
        y += row.height
    return height


def _draw_page(p: _Painter, data: CertificateData, page: Page, index: int,
               total: int) -> None:
    if index == 0:
        p.text(TITLE, TITLE_BOX, 22.0, "center", single=True)
        p.text(f"证明编号：{data.number}", NUMBER_BOX, 10.5, "right", single=True)
        p.qr(data.qr_payload, QR_BOX)
        p.text("扫码核验", QR_CAPTION, 7.5, "center", single=True)
    else:
        p.text(TITLE + "（续）", CONT_TITLE_BOX, 14.0, "center", single=True)
        p.text(f"证明编号：{data.number}", CONT_TITLE_BOX, 10.0, "right", single=True)
    top = page.segments[0].y if page.segments else FIRST_TOP
    bottom = top
    for seg in page.segments:
        bottom = seg.y + _draw_segment(p, seg)
    p.rect(Box(TABLE_X, top, sum(COLS), bottom - top), width=FRAME)
    p.text(f"第{index + 1}页 共{total}页", FOOTER_BOX, 8.0, "center", single=True)


def render_certificate(data: CertificateData) -> bytes:
    """The certificate as PDF bytes (A4 portrait; more pages only for a long activity list)."""
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=A4, pageCompression=1)
    canvas.setTitle(f"{TITLE} {data.number}")
    canvas.setAuthor(data.issuer)
    canvas.setSubject(f"{data.holder} {data.volunteer_number}")
    painter = _Painter(canvas)
    pages = paginate(build_bands(data))
    for i, page in enumerate(pages):
        _draw_page(painter, data, page, i, len(pages))
        canvas.showPage()
    canvas.save()
    return buf.getvalue()
