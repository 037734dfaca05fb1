"""Certificates as staff handle them: preview from the volunteer panel (no number yet),
the number used only when saved or printed, the 证书 tab listing it and reprinting the same
number; on SQLite and PostgreSQL. The PDFs written are read back."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QFileDialog

from app.store.models import Activity, AuditLog, Certificate, ServiceRecord
from app.ui.common.pdf_preview import PdfPreviewDialog
from app.ui.hours.certificate_list import CertificateListTab
from app.ui.hours.page import ServiceHoursPage
from app.ui.volunteers.detail import CertificateDialog

SHOTS = Path("/tmp/shots-b4")


def text_of(path: Path) -> str:
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(path.read_bytes())).pages)


@pytest.fixture
def served(make_volunteer):
    """A volunteer registered a year ago with three approved hours last month."""
    record = make_volunteer(registered_on=dt.date.today() - dt.timedelta(days=365))
    start = dt.datetime.combine(dt.date.today() - dt.timedelta(days=30), dt.time(9))
    act = Activity.create(name="社区敬老服务", organizer="和平社区居委会", starts_at=start,
                          ends_at=start + dt.timedelta(hours=3), category="助老")
    ServiceRecord.create(volunteer=record.id, activity=act.id, kind="manual",
                         status="approved", started_at=start,
                         ended_at=start + dt.timedelta(hours=3), minutes=180)
    return record


def preview_of(qtbot, record) -> PdfPreviewDialog:
    dialog = CertificateDialog(None, record)
    qtbot.addWidget(dialog)
    start = dialog.date_from.date().toPython()
    assert start == record.draft.registered_on            # registration date to today
    assert dialog.date_to.date().toPython() == dt.date.today()
    assert dialog.submit()
    assert isinstance(dialog.preview, PdfPreviewDialog)
    return dialog.preview   # deletes itself when closed: each test closes it


def test_number_is_used_only_when_saved(qtbot, served, tmp_path, monkeypatch):
    preview = preview_of(qtbot, served)
    assert Certificate.select().count() == 0              # previewing uses no number
    assert "预览" in preview.pdf.decode("latin-1", "ignore") or preview.windowTitle()
    target = tmp_path / "cert.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a: (str(target), ""))
    assert preview.save() == target
    (cert,) = Certificate.select()
    assert cert.number in text_of(target) and cert.number in preview.windowTitle()
    assert "预览" not in text_of(target)
    again = tmp_path / "again.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a: (str(again), ""))
    preview.save()
    assert Certificate.select().count() == 1              # the same number again
    assert cert.number in text_of(again)
    preview.close()


def test_closing_the_preview_uses_no_number(qtbot, served):
    preview = preview_of(qtbot, served)
    preview.close()
    assert Certificate.select().count() == 0


def test_printing_issues_the_certificate(qtbot, served, tmp_path):
    """What OK in the print dialog runs: the preview's confirm, then the printing."""
    preview = preview_of(qtbot, served)
    printer = preview.make_printer()
    out = tmp_path / "printed.pdf"
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    assert preview.confirm is not None
    sent: list[int] = []
    preview.confirm(lambda: sent.append(preview.print_to(printer)))
    (cert,) = Certificate.select()
    assert sent == [1] and out.stat().st_size > 0
    assert cert.number in preview.windowTitle()
    preview.close()


def test_tab_lists_and_reprints_the_same_number(qtbot, served, tmp_path, monkeypatch):
    first = tmp_path / "first.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a: (str(first), ""))
    preview = preview_of(qtbot, served)
    preview.save()
    preview.close()
    (cert,) = Certificate.select()
    page = ServiceHoursPage()
    qtbot.addWidget(page)
    page.resize(1000, 500)
    page.show()
    page.setCurrentWidget(page.certificates)
    tab = page.certificates
    assert isinstance(tab, CertificateListTab)
    assert tab.model.rowCount() == 1 and not tab.reprint_button.isEnabled()
    row = tab.model.rows[0]
    assert (row.number, row.holder, row.hours_text) == (cert.number, served.draft.name, "3")
    assert row.period_from == served.draft.registered_on
    tab.view.selectRow(0)
    assert tab.reprint_button.isEnabled()
    SHOTS.mkdir(exist_ok=True)
    page.grab().save(str(SHOTS / "certificates-tab.png"))
    reprint = tab.reprint()
    assert reprint is not None
    reprint.grab().save(str(SHOTS / "certificate-reprint.png"))
    second = tmp_path / "second.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a: (str(second), ""))
    reprint.save()
    assert Certificate.select().count() == 1
    assert cert.number in text_of(second) and cert.number in reprint.windowTitle()
    assert AuditLog.select().where(AuditLog.action == "print").count() == 2
    reprint.close()
    tab.search.setText("nobody")
    tab.refresh()
    assert tab.model.rowCount() == 0
