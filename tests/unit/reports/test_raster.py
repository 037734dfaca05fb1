"""PDF pages rasterised by PDFium (reports.raster): real card PDFs come out as PNGs of the
page's true size at the asked resolution, and the QR read back from the PNG is the payload."""

import datetime as dt
import io

import pytest
import zxingcpp
from PIL import Image

from reports.card import CardData, render_cards
from reports.raster import page_count, page_sizes, pages_as_png


def sample(i: int) -> CardData:
    return CardData(name="欧阳娜娜", number=f"V{i:08d}", star_level=3,
                    center_name="解放路街道社会组织孵化中心", logo_path="",
                    issued_on=dt.date(2026, 11, 23), payload=f"YL1:V{i:08d}:1:ABCDEFGHIJ")


def test_single_cards_render_to_png_and_the_qr_decodes():
    pdf = render_cards([sample(1), sample(2)])
    pngs = pages_as_png(pdf, 300)
    assert len(pngs) == page_count(pdf) == 2
    for i, png in enumerate(pngs, 1):
        assert png.startswith(b"\x89PNG\r\n\x1a\n")
        image = Image.open(io.BytesIO(png))
        # CR80 85.6 × 54 mm at 300 dpi
        w, h = image.size
        assert abs(w - 85.6 / 25.4 * 300) <= 1 and abs(h - 54.0 / 25.4 * 300) <= 1
        found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCodeModel2)
        assert [r.text for r in found] == [f"YL1:V{i:08d}:1:ABCDEFGHIJ"]


def test_sheet_pages_render_all_ten_codes():
    pdf = render_cards([sample(i) for i in range(1, 11)], sheet=True)
    (png,) = pages_as_png(pdf, 200)
    (width, height), = page_sizes(pdf)
    image = Image.open(io.BytesIO(png))
    assert abs(image.width - width / 72 * 200) <= 1
    assert abs(image.height - height / 72 * 200) <= 1
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCodeModel2)
    assert sorted(r.text for r in found) == [f"YL1:V{i:08d}:1:ABCDEFGHIJ" for i in range(1, 11)]


def test_bad_input_is_refused():
    with pytest.raises(ValueError):
        pages_as_png(render_cards([sample(1)]), 0)
    with pytest.raises(Exception):  # noqa: B017 — PDFium's own error type
        pages_as_png(b"not a pdf", 100)
