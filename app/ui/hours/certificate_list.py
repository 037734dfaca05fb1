"""The 证书 tab of the hours area: every certificate issued, searchable, each reprinted with
its own number; and the preview that issues a new certificate only when it is saved or
printed.

Why a tab here rather than a dialog off the volunteer panel: a certificate is a record of
service hours, and the people who reprint one ("the school lost it", "print it again for
the file") come with a number or a name, not from the volunteer list; the register of
certificates (证明台账) also belongs beside the hours reports. Issuing stays on the
volunteer panel, where the person is chosen.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.hours import certificate_list, certificates
from app.services.hours.certificate_list import CertificateFilter, IssuedRow
from app.services.hours.certificates import IssuedCertificate
from app.ui.common.errors import show_error
from app.ui.common.pdf_preview import PdfPreviewDialog, Proceed
from app.ui.common.row_table import Col, RowsModel, table_view

SHOWN = 500  # the newest certificates listed; the search finds older ones


def local_date(utc: dt.datetime) -> str:
    return utc.replace(tzinfo=dt.UTC).astimezone().strftime("%Y-%m-%d")


class CertificateIssuer:
    """The `confirm` of a certificate preview: issues the certificate (a number is used
    up) the first time the preview is saved or printed, swaps the preview's PDF for the
    numbered one, then lets the output go ahead. A second save or print of the same preview
    uses the same number."""

    def __init__(self, volunteer_id: int, date_from: dt.date, date_to: dt.date) -> None:
        self.volunteer_id, self.date_from, self.date_to = volunteer_id, date_from, date_to
        self.issued: IssuedCertificate | None = None
        self.dialog: PdfPreviewDialog | None = None

    def __call__(self, proceed: Proceed) -> None:
        dialog = self.dialog
        assert dialog is not None
        try:
            if self.issued is None:
                self.issued = certificates.issue(self.volunteer_id, self.date_from,
                                                 self.date_to)
                dialog.pdf = certificates.pdf(self.issued.id)
                dialog.setWindowTitle(QCoreApplication.translate(
                    "CertificatePreview", "Service certificate %1").replace(
                    "%1", self.issued.number))
        except Exception as exc:  # a refusal (records changed meanwhile) or a bug
            show_error(dialog, exc)
            return
        proceed()


def preview_new_certificate(parent: QWidget | None, volunteer_id: int, volunteer_number: str,
                            date_from: dt.date, date_to: dt.date) -> PdfPreviewDialog:
    """Show what the certificate would say; it is issued when saved or printed.

    Raises:
        NotFoundError, ValidationError: as certificates.issue would (nothing to certify).
    """
    pdf = certificates.preview_pdf(volunteer_id, date_from, date_to)
    issuer = CertificateIssuer(volunteer_id, date_from, date_to)
    dialog = PdfPreviewDialog(pdf, "", parent, f"{volunteer_number}.pdf", confirm=issuer)
    dialog.setWindowTitle(QCoreApplication.translate(
        "CertificatePreview", "Service certificate (preview: numbered when saved or printed)"))
    issuer.dialog = dialog
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def preview_reprint(parent: QWidget | None, row: IssuedRow) -> PdfPreviewDialog | None:
    """The issued certificate again (same number, the facts as issued), to print or save."""
    try:
        pdf = certificate_list.reprint_pdf(row.id)
    except Exception as exc:  # a tampered row fails its signature check; say so
        show_error(parent, exc)
        return None
    dialog = PdfPreviewDialog(pdf, "", parent, f"{row.number}.pdf")
    dialog.setWindowTitle(QCoreApplication.translate(
        "CertificatePreview", "Service certificate %1").replace("%1", row.number))
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


class CertificateListTab(QWidget):
    """证书: the issued certificates, newest first, with reprint."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CertificateListTab")
        self.model: RowsModel[IssuedRow] = RowsModel([
            Col(self.tr("Number"), lambda r: r.number),
            Col(self.tr("Volunteer no."), lambda r: r.volunteer_number),
            Col(self.tr("Name"), lambda r: r.holder),
            Col(self.tr("Period"), lambda r: r.period_text),
            Col(self.tr("Hours"), lambda r: r.hours_text, True),
            Col(self.tr("Issued on"), lambda r: local_date(r.issued_at)),
            Col(self.tr("Issued by"), lambda r: r.issued_by)], self)
        self.view = table_view(self.model, self)
        for column, width in enumerate((130, 100, 80, 190, 60, 100)):
            self.view.setColumnWidth(column, width)
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        self.view.doubleClicked.connect(lambda _index: self.reprint())
        self.search = QLineEdit(self)
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("Certificate no., volunteer no. or name"))
        self.search.returnPressed.connect(self.refresh)
        self.reprint_button = QPushButton(self.tr("Reprint…"), self)
        self.reprint_button.setToolTip(self.tr(
            "Preview, print or save this certificate again, with the same number and the "
            "hours as issued"))
        self.reprint_button.clicked.connect(self.reprint)
        self.count_label = QLabel(self)
        bar = QHBoxLayout()
        bar.addWidget(self.search, 1)
        bar.addWidget(self.reprint_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.count_label)
        self.hint = QLabel(self.tr("New certificates are issued from a volunteer's panel "
                                   "(Service certificate…)."), self)
        self.hint.setStyleSheet("color: #555")
        layout.addWidget(self.hint)
        self._update_buttons()

    def refresh(self) -> None:
        f = CertificateFilter(text=self.search.text())
        self.model.set_rows(certificate_list.issued(f, 0, SHOWN))
        total = certificate_list.count(f)
        shown = self.model.rowCount()
        self.count_label.setText(
            self.tr("%n certificate(s)", "", total) if shown >= total
            else self.tr("Newest %1 of %2 shown; search to find others.").replace(
                "%1", str(shown)).replace("%2", str(total)))
        self._update_buttons()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()

    def current(self) -> IssuedRow | None:
        return self.model.row(self.view.currentIndex().row())

    def _update_buttons(self) -> None:
        self.reprint_button.setEnabled(self.current() is not None)

    def reprint(self) -> PdfPreviewDialog | None:
        row = self.current()
        return None if row is None else preview_reprint(self, row)
