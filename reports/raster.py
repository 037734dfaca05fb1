"""PDF pages as PNG images, for the in-app preview and for printing through QPrinter.

This PySide6 build has no QtPdf, so PDFium (pypdfium2) rasterises the pages here, with no Qt:
the GUI turns the PNG bytes into QImages. An image rendered at `dpi` printed at
printer-resolution / dpi device pixels per image pixel comes out at the page's true size.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

import pypdfium2 as pdfium

POINTS_PER_INCH = 72.0


def page_count(pdf: bytes) -> int:
    doc = pdfium.PdfDocument(pdf)
    try:
        return len(doc)
    finally:
        doc.close()


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    """Width and height of every page in points (1/72 inch)."""
    doc = pdfium.PdfDocument(pdf)
    try:
        return [doc[i].get_size() for i in range(len(doc))]
    finally:
        doc.close()


def iter_pages_png(pdf: bytes, dpi: int) -> Iterator[bytes]:
    """PNG bytes of each page rendered at `dpi` on white, one page at a time."""
    if dpi <= 0:
        raise ValueError(f"dpi must be positive, not {dpi}")
    doc = pdfium.PdfDocument(pdf)
    try:
        for i in range(len(doc)):
            page = doc[i]
            bitmap = page.render(scale=dpi / POINTS_PER_INCH, fill_color=(255, 255, 255, 255))
            image = bitmap.to_pil()
            out = io.BytesIO()
            image.save(out, format="PNG", dpi=(dpi, dpi), compress_level=1)
            bitmap.close()
            page.close()
            yield out.getvalue()
    finally:
        doc.close()


def pages_as_png(pdf: bytes, dpi: int) -> list[bytes]:
    """PNG bytes of every page rendered at `dpi` (pixels = points × dpi / 72)."""
    return list(iter_pages_png(pdf, dpi))


class PdfPages:
    """An open PDF whose pages are rendered one at a time, on demand (a long preview keeps
    only the pages in view, not every page of the document)."""

    def __init__(self, pdf: bytes) -> None:
        self._doc = pdfium.PdfDocument(pdf)
        self.sizes: list[tuple[float, float]] = [   # without loading every page
            tuple(self._doc.get_page_size(i)) for i in range(len(self._doc))]

    def __len__(self) -> int:
        return len(self.sizes)

    def rgb(self, index: int, dpi: int) -> tuple[bytes, int, int]:
        """Page `index` rendered at `dpi` on white: packed RGB bytes, width, height."""
        if dpi <= 0:
            raise ValueError(f"dpi must be positive, not {dpi}")
        page = self._doc[index]
        try:
            bitmap = page.render(scale=dpi / POINTS_PER_INCH, fill_color=(255, 255, 255, 255))
            image = bitmap.to_pil().convert("RGB")
            bitmap.close()
        finally:
            page.close()
        return image.tobytes(), image.width, image.height

    def close(self) -> None:
        self._doc.close()
