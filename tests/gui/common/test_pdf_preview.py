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

from app.ui.common.pdf_preview import CACHE_PAGES, PdfPreviewDialog
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
    assert len(dialog.labels) == 3
    qtbot.waitUntil(lambda: len(dialog.rendered_pages()) == 3)   # all three are in view
    assert all(not label.pixmap().isNull() for label in dialog.labels)
    viewport = dialog.area.viewport().width()
    widths = {label.pixmap().width() for label in dialog.labels}
    assert len(widths) == 1 and 0 < widths.pop() <= viewport
    dialog.resize(500, 600)
    qtbot.waitUntil(lambda: dialog.labels[0].pixmap().width() <= dialog.area.viewport().width())
    sheet = show(qtbot, render_cards([sample(i) for i in range(1, 12)], sheet=True))
    assert len(sheet.labels) == 2


def test_a_long_preview_renders_only_the_pages_in_view(qtbot):
    """A 100-page PDF holds a few rendered pixmaps, not a hundred: after opening and after
    scrolling to the end (where the last page is rendered and the first ones dropped)."""
    pdf = render_cards([sample(i) for i in range(1, 101)])     # 100 CR80 pages
    dialog = show(qtbot, pdf)
    assert len(dialog.labels) == 100
    qtbot.waitUntil(lambda: 0 in dialog.rendered_pages())
    assert 0 < len(dialog.rendered_pages()) <= CACHE_PAGES
    first = dialog.labels[0].size()
    assert all(label.size() == first for label in dialog.labels)      # placeholders sized
    bar = dialog.area.verticalScrollBar()

    def at_the_end() -> bool:      # the pages settle to the window's width once shown
        bar.setValue(bar.maximum())
        return 99 in dialog.rendered_pages()

    qtbot.waitUntil(at_the_end)
    assert 0 not in dialog.rendered_pages()
    assert len(dialog.rendered_pages()) <= CACHE_PAGES
    assert not dialog.labels[99].pixmap().isNull() and dialog.labels[0].pixmap().isNull()
    for value in range(0, bar.maximum(), max(1, bar.maximum() // 20)):   # a scroll through
        bar.setValue(value)
        dialog.render_visible()
        assert len(dialog.rendered_pages()) <= CACHE_PAGES


def test_confirm_is_asked_before_saving(qtbot, cards_pdf, tmp_path, monkeypatch):
    target = tmp_path / "held.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a: (str(target), ""))
    waiting: list = []
    dialog = PdfPreviewDialog(cards_pdf, "Cards", None, "cards.pdf", confirm=waiting.append)
    qtbot.addWidget(dialog)
    assert dialog.save() is None and not target.exists()       # asked, not yet answered
    waiting.pop()()
    assert dialog.saved_path == target and target.read_bytes() == cards_pdf


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
    assert page.issue_question is not None                 # issuing is asked first
    page.issue_question.button(page.issue_question.StandardButton.Yes).click()
    assert page.saved_path == target and target.read_bytes() == page.pdf
    preview.close()
    qtbot.waitUntil(lambda: page.preview is None)
    again = page.show_preview()
    assert again is not None and page.preview is again
    again.close()
    qtbot.waitUntil(lambda: page.preview is None)   # deleted before the page's teardown
