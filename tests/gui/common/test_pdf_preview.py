"""The PDF preview dialog: one image per page, fitted to the width; printing to a QPrinter
(a PDF file here) paints every page at true size; saving writes the PDF unchanged."""

from __future__ import annotations

import datetime as dt
import io

import pdfplumber
import pytest
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from app.ui.common.pdf_preview import PdfPreviewDialog
from reports.card import CardData, render_cards


def sample(i: int) -> CardData:
    return CardData(name="欧阳娜娜", number=f"V{i:08d}", star_level=3,
                    center_name="解放路街道社会组织孵化中心", logo_path="",
                    issued_on=dt.date(2026, 11, 23), payload=f"YL1:V{i:08d}:1:ABCDEFGHIJ")


@pytest.fixture
def cards_pdf() -> bytes:
    return render_cards([sample(i) for i in range(1, 4)])     # three CR80 pages


def show(qtbot: QtBot, pdf: bytes) -> PdfPreviewDialog:
    dialog = PdfPreviewDialog(pdf, "Cards", None, "cards.pdf")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_one_image_per_page_fitted_to_the_width(qtbot, cards_pdf):
    dialog = show(qtbot, cards_pdf)
    assert len(dialog.images) == len(dialog.labels) == 3
    assert all(not label.pixmap().isNull() for label in dialog.labels)
    viewport = dialog.area.viewport().width()
    widths = {label.pixmap().width() for label in dialog.labels}
    assert len(widths) == 1 and 0 < widths.pop() <= viewport
    dialog.resize(500, 600)
    qtbot.waitUntil(lambda: dialog.labels[0].pixmap().width() <= dialog.area.viewport().width())
    sheet = show(qtbot, render_cards([sample(i) for i in range(1, 12)], sheet=True))
    assert len(sheet.labels) == 2


def test_printing_paints_every_page_at_true_size(qtbot, cards_pdf, tmp_path):
    dialog = show(qtbot, cards_pdf)
    printer = dialog.make_printer()
    out = tmp_path / "printed.pdf"
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    assert dialog.print_to(printer) == 3
    assert out.stat().st_size > 0
    with pdfplumber.open(io.BytesIO(out.read_bytes())) as doc:
        assert len(doc.pages) == 3
        page = doc.pages[0]
        assert round(page.width / 72 * 25.4) == 86 and round(page.height / 72 * 25.4) == 54
        (image,) = page.images                    # the card, filling the CR80 page
        assert abs((image["x1"] - image["x0"]) - page.width) < 1.0
        assert abs((image["bottom"] - image["top"]) - page.height) < 1.0


def test_print_button_opens_the_print_dialog_without_blocking(qtbot, cards_pdf):
    dialog = show(qtbot, cards_pdf)
    printing = dialog.print_()
    assert printing.isVisible() and dialog.print_dialog is printing
    printing.reject()


def test_save_writes_the_pdf(qtbot, cards_pdf, tmp_path, monkeypatch):
    target = tmp_path / "out"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a: (str(target), ""))
    dialog = show(qtbot, cards_pdf)
    dialog.save_button.click()
    assert dialog.saved_path == target.with_suffix(".pdf")
    assert dialog.saved_path.read_bytes() == cards_pdf


def test_cards_page_opens_the_preview_after_a_batch(qtbot, register, tmp_path, monkeypatch):
    from PySide6.QtCore import QThreadPool

    from app.domain.idcard import check_character
    from app.domain.volunteer import VolunteerDraft
    from app.services.volunteers import registration as volunteers
    from app.ui.cards.page import CardsPage

    for seq, name in ((21, "孙丽"), (22, "周杰")):
        first17 = f"11010519800101{seq:03d}"
        volunteers.register(VolunteerDraft(
            name=name, id_number=first17 + check_character(first17), phone="13800138000"))
    page = CardsPage()
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    page.sheet_box.setChecked(False)
    task = page.print_all()
    qtbot.waitUntil(lambda: task.done, timeout=60_000)
    assert QThreadPool.globalInstance().waitForDone(10_000)
    preview = page.preview
    assert preview is not None and preview.isVisible()
    assert len(preview.labels) == 2                        # one CR80 card per page
    assert page.preview_button.isEnabled()
    target = tmp_path / "cards.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a: (str(target), ""))
    preview.save_button.click()
    assert page.saved_path == target and target.read_bytes() == page.pdf
    preview.close()
    qtbot.waitUntil(lambda: page.preview is None)
    again = page.show_preview()
    assert again is not None and page.preview is again
    again.close()
