"""The redemption receipt (爱心超市积分兑换凭证): a small PDF for an 80 mm receipt roll.

A roll has no fixed page length, so the page is exactly as long as its content: the layout
is computed first as a list of blocks (kind, top, height, content, all in millimetres),
its sum gives the page height, and then each block is drawn by the `_draw_*` of its kind,
inside saveState/restoreState. Text that is too wide is shrunk down to a floor size, then
wrapped (goods names, up to three lines) or cut with "…", so nothing runs off the paper.
The same page prints on A6 or A4 printers too, centred by the print dialog.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass, field

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from reports.fonts import cjk_font

TITLE = "爱心超市积分兑换凭证"
FOOTER = "请当面核对物品与积分，妥善保管本凭证"


@dataclass(frozen=True)
class ReceiptLine:
    """One good on the receipt."""

    name: str
    unit: str
    quantity: int
    points_each: int

    @property
    def points(self) -> int:
        return self.quantity * self.points_each


@dataclass(frozen=True)
class ReceiptData:
    """Everything a receipt prints; `at` is local time. `void_note` (e.g. "本单已撤销")
    is printed large across the top of a reprint of an undone redemption."""

    center_name: str
    number: str
    at: dt.datetime
    volunteer_name: str
    volunteer_number: str
    lines: Sequence[ReceiptLine]
    total_points: int
    balance_after: int
    handler: str
    void_note: str = ""


# --- layout (millimetres; y from the top edge) ---------------------------------------------

PAGE_W = 80.0
MARGIN_X = 5.0
MARGIN_TOP = 6.0
MARGIN_BOTTOM = 8.0
CONTENT_W = PAGE_W - 2 * MARGIN_X
# Goods table: name | quantity | points each | points (70 mm).
COLS = (33.0, 12.0, 11.0, 14.0)
HEADERS = ("物品", "数量", "单价", "积分")
LEADING = 1.25          # line height / font size
PT = 25.4 / 72          # one point in millimetres

SIZES = {               # font size (pt) and floor when shrinking, per block kind
    "center": (10.5, 8.5), "title": (12.0, 9.0), "field": (8.5, 6.5), "head": (8.0, 6.5),
    "line": (8.5, 6.5), "total": (10.0, 8.0), "sum": (8.5, 6.5), "sign": (8.5, 7.0),
    "footer": (7.0, 5.5), "void": (16.0, 10.0),
}
GAP_AFTER = {"center": 1.0, "title": 2.0, "field": 0.6, "head": 0.8, "line": 0.8,
             "total": 0.8, "sum": 0.6, "sign": 3.0, "footer": 0.0, "void": 2.0, "rule": 0.0}
RULE_H = 3.0
SIGN_H = 12.0            # room above the signature line to sign in


@dataclass
class Block:
    """One piece of the receipt: `kind` picks the drawing method, `parts` its text."""

    kind: str
    y: float = 0.0
    h: float = 0.0
    parts: tuple[str, ...] = ()
    lines: tuple[str, ...] = ()       # wrapped text (goods name, centre name)
    size: float = 8.0
    extra: dict[str, object] = field(default_factory=dict)


def _width(text: str, size: float) -> float:
    return stringWidth(text, cjk_font(), size) / mm


def _fit(text: str, size: float, floor: float, width: float) -> tuple[str, float]:
    """The largest size down to `floor` at which `text` fits; else cut with "…"."""
    while size > floor and _width(text, size) > width:
        size = max(floor, size - 0.5)
    if _width(text, size) <= width:
        return text, size
    while text and _width(text + "…", size) > width:
        text = text[:-1]
    return text + "…", size


def _wrap(text: str, size: float, width: float, max_lines: int) -> tuple[str, ...]:
    """Break `text` into lines no wider than `width` (by character: Chinese has no spaces,
    and a long Latin word is rare in a goods name); the last line ends in "…" if cut."""
    lines: list[str] = []
    current = ""
    for char in text:
        if _width(current + char, size) > width and current:
            lines.append(current)
            current = char.lstrip()
        else:
            current += char
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and _width(last + "…", size) > width:
            last = last[:-1]
        lines = [*lines[:max_lines - 1], last + "…"]
    return tuple(lines) or ("",)


def _line_h(size: float) -> float:
    return size * PT * LEADING


def _field(label: str, value: str) -> Block:
    size, floor = SIZES["field"]
    prefix = f"{label}："
    text, size = _fit(prefix + value, size, floor, CONTENT_W)
    return Block("field", parts=(text,), size=size)


def blocks_for(data: ReceiptData) -> list[Block]:
    """The receipt's blocks in order, with sizes decided; positions come from `place`."""
    center_size, floor = SIZES["center"]
    shrunk, size = _fit(data.center_name, center_size, floor, CONTENT_W)
    if shrunk == data.center_name:  # one line, a little smaller, reads better than two
        out = [Block("center", lines=(shrunk,), size=size)]
    else:
        out = [Block("center", lines=_wrap(data.center_name, center_size, CONTENT_W, 2),
                     size=center_size)]
    title, size = _fit(TITLE, *SIZES["title"], CONTENT_W)
    out.append(Block("title", parts=(title,), size=size))
    if data.void_note:
        out.append(Block("void", parts=_fit(data.void_note, *SIZES["void"], CONTENT_W)[:1],
                         size=SIZES["void"][0]))
    out += [
        _field("单号", data.number),
        _field("时间", data.at.strftime("%Y-%m-%d %H:%M")),
        _field("志愿者", f"{data.volunteer_name}（{data.volunteer_number}）"),
        Block("rule"),
        Block("head", parts=HEADERS, size=SIZES["head"][0]),
    ]
    line_size = SIZES["line"][0]
    for line in data.lines:
        qty, _ = _fit(f"{line.quantity}{line.unit}", line_size, SIZES["line"][1], COLS[1] - 1)
        out.append(Block("line", lines=_wrap(line.name, line_size, COLS[0] - 1, 3),
                         parts=(qty, str(line.points_each), str(line.points)), size=line_size))
    out += [
        Block("rule"),
        Block("total", parts=("合计", f"{data.total_points} 分"), size=SIZES["total"][0]),
        Block("sum", parts=("兑换后积分余额", f"{data.balance_after} 分"), size=SIZES["sum"][0]),
        Block("rule"),
        _field("经办人", data.handler),
        Block("sign", parts=("领取人签名：",), size=SIZES["sign"][0]),
        Block("footer", parts=_fit(FOOTER, *SIZES["footer"], CONTENT_W)[:1],
              size=SIZES["footer"][0]),
    ]
    return out


def place(blocks: list[Block]) -> float:
    """Give every block its top and height; returns the page height in millimetres."""
    y = MARGIN_TOP
    for block in blocks:
        if block.kind == "rule":
            block.h = RULE_H
        elif block.kind == "sign":
            block.h = SIGN_H
        else:
            count = max(1, len(block.lines))
            block.h = _line_h(block.size) * count
        block.y = y
        y += block.h + GAP_AFTER[block.kind]
    return y + MARGIN_BOTTOM


# --- drawing -------------------------------------------------------------------------------

class _Page:
    """Millimetre coordinates from the top edge, over a reportlab canvas."""

    def __init__(self, canvas: Canvas, height: float) -> None:
        self.c = canvas
        self.height = height

    def baseline(self, top: float, size: float, line: int = 0) -> float:
        """The PDF y (points) of the baseline of text line `line` in a block at `top`."""
        line_h = _line_h(size)
        return (self.height - top - line_h * line - line_h * 0.78) * mm

    def text(self, x: float, top: float, text: str, size: float, align: str = "left",
             line: int = 0) -> None:
        self.c.setFont(cjk_font(), size)
        y = self.baseline(top, size, line)
        if align == "center":
            self.c.drawCentredString(x * mm, y, text)
        elif align == "right":
            self.c.drawRightString(x * mm, y, text)
        else:
            self.c.drawString(x * mm, y, text)


def _draw_center(p: _Page, b: Block) -> None:
    for i, line in enumerate(b.lines):
        p.text(PAGE_W / 2, b.y, line, b.size, "center", i)


def _draw_title(p: _Page, b: Block) -> None:
    p.text(PAGE_W / 2, b.y, b.parts[0], b.size, "center")


def _draw_void(p: _Page, b: Block) -> None:
    p.c.setFillColorRGB(0.75, 0.1, 0.1)
    p.c.setStrokeColorRGB(0.75, 0.1, 0.1)
    p.text(PAGE_W / 2, b.y, b.parts[0], b.size, "center")
    p.c.setLineWidth(1.2)
    width = _width(b.parts[0], b.size) + 6
    p.c.rect((PAGE_W - width) / 2 * mm, (p.height - b.y - b.h) * mm, width * mm, b.h * mm)


def _draw_field(p: _Page, b: Block) -> None:
    p.text(MARGIN_X, b.y, b.parts[0], b.size)


def _draw_rule(p: _Page, b: Block) -> None:
    p.c.setDash(2, 1.5)
    p.c.setLineWidth(0.6)
    y = (p.height - b.y - b.h / 2) * mm
    p.c.line(MARGIN_X * mm, y, (PAGE_W - MARGIN_X) * mm, y)


def _columns(p: _Page, b: Block, parts: Sequence[str]) -> None:
    """Quantity, price and points right-aligned at their columns' right edges."""
    right = MARGIN_X + COLS[0]
    for width, text in zip(COLS[1:], parts, strict=True):
        right += width
        p.text(right, b.y, text, b.size, "right")


def _draw_head(p: _Page, b: Block) -> None:
    p.c.setFillColorRGB(0.3, 0.3, 0.3)
    p.text(MARGIN_X, b.y, b.parts[0], b.size)
    _columns(p, b, b.parts[1:])


def _draw_line(p: _Page, b: Block) -> None:
    for i, text in enumerate(b.lines):
        p.text(MARGIN_X, b.y, text, b.size, line=i)
    _columns(p, b, b.parts)


def _draw_total(p: _Page, b: Block) -> None:
    p.text(MARGIN_X, b.y, b.parts[0], b.size)
    p.text(PAGE_W - MARGIN_X, b.y, b.parts[1], b.size, "right")


_draw_sum = _draw_total


def _draw_sign(p: _Page, b: Block) -> None:
    top = b.y + b.h - _line_h(b.size)
    p.text(MARGIN_X, top, b.parts[0], b.size)
    start = MARGIN_X + _width(b.parts[0], b.size) + 1
    y = p.baseline(top, b.size) - 1.2
    p.c.setLineWidth(0.6)
    p.c.line(start * mm, y, (PAGE_W - MARGIN_X) * mm, y)


def _draw_footer(p: _Page, b: Block) -> None:
    p.c.setFillColorRGB(0.35, 0.35, 0.35)
    p.text(PAGE_W / 2, b.y, b.parts[0], b.size, "center")


DRAW = {
    "center": _draw_center, "title": _draw_title, "void": _draw_void, "field": _draw_field,
    "rule": _draw_rule, "head": _draw_head, "line": _draw_line, "total": _draw_total,
    "sum": _draw_sum, "sign": _draw_sign, "footer": _draw_footer,
}


def render_receipt(data: ReceiptData) -> bytes:
    """The receipt as PDF bytes: one page 80 mm wide and as long as its content."""
    blocks = blocks_for(data)
    height = place(blocks)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(PAGE_W * mm, height * mm))
    canvas.setTitle(f"{TITLE} {data.number}")
    canvas.setAuthor(data.center_name)
    canvas.setCreator("益联 Yilian")
    page = _Page(canvas, height)
    for block in blocks:
        canvas.saveState()
        DRAW[block.kind](page, block)
        canvas.restoreState()
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
