"""QR codes drawn as vector rectangles: crisp at any print resolution, one per dark run."""

from __future__ import annotations

import qrcode
import qrcode.constants
from reportlab.pdfgen.canvas import Canvas


def draw_qr(canvas: Canvas, payload: str, left: float, top: float, size: float,
            border: int = 4) -> None:
    """Draw `payload` as a square of side `size` points whose top-left corner is at
    (`left`, `top`) in page points; `border` light modules of quiet zone are inside it."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=border)
    code.add_data(payload)
    code.make(fit=True)
    matrix = code.get_matrix()
    module = size / len(matrix)
    canvas.saveState()
    canvas.setFillGray(0)
    for r, row in enumerate(matrix):
        col = 0
        while col < len(row):
            if not row[col]:
                col += 1
                continue
            start = col
            while col < len(row) and row[col]:
                col += 1
            canvas.rect(left + start * module, top - (r + 1) * module,
                        (col - start) * module, module, stroke=0, fill=1)
    canvas.restoreState()
