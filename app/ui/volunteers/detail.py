"""The panel beside the volunteer list: one volunteer's full record.

ID number and phone are masked like the list; "Show" asks the service to reveal them, which
audits the viewing (personal data, 《志愿服务条例》 forbids disclosure without consent).

Below the record: service hours (scanned and manual apart, as DOMAIN §2 asks), the star
level and what is left to the next, the points balance, and the three things staff do from
here: read the points ledger, grant a bonus or adjust with a reason, issue a certificate.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QT_TRANSLATE_NOOP, QDate, Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import NotFoundError
from app.domain.idcard import age_on, mask_id_number, place_of_issue
from app.domain.phone import mask_phone
from app.domain.points import EntryKind
from app.domain.volunteer import IdType, Status
from app.services.hours import records as service_records
from app.services.hours.records import HoursSummary
from app.services.points import ledger as points
from app.services.points.ledger import LedgerRow
from app.services.volunteers import registration as volunteers
from app.services.volunteers.registration import VolunteerRecord
from app.ui.common.errors import show_error
from app.ui.common.pdf_preview import PdfPreviewDialog
from app.ui.common.row_table import Col, RowsModel, table_view
from app.ui.hours.certificate_list import preview_new_certificate
from app.ui.points.shop_dialogs import ServiceDialog
from app.ui.volunteers.history import HistoryDialog
from app.ui.volunteers.model import (
    hours_text,
    id_type_label,
    sex_label,
    star_glyphs,
    star_name,
    status_label,
)

PHOTO_SIZE = (96, 128)
LEDGER_PAGE = 100


def local_time(utc: dt.datetime | None) -> str:
    if utc is None:
        return ""
    return utc.replace(tzinfo=dt.UTC).astimezone().strftime("%Y-%m-%d %H:%M")


class VolunteerDetail(QScrollArea):
    """Shows the record of the volunteer selected in the list (or a hint when none is).

    Signals:
        changed(int): the volunteer's points changed here; the list re-reads its row.
    """

    changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("VolunteerDetail")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMinimumWidth(340)
        self.record: VolunteerRecord | None = None
        body = QWidget()
        outer = QVBoxLayout(body)
        self.empty = QLabel(self.tr("Select a volunteer in the list to see the record."))
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        outer.addWidget(self.empty)

        self.content = QWidget()
        outer.addWidget(self.content)
        outer.addStretch(1)
        layout = QVBoxLayout(self.content)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.photo = QLabel()
        self.photo.setFixedSize(*PHOTO_SIZE)
        self.photo.setFrameShape(QFrame.Shape.Box)
        self.photo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        top.addWidget(self.photo)
        heading = QVBoxLayout()
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 16pt; font-weight: bold")
        self.number = QLabel()
        self.status = QLabel()
        self.status.setWordWrap(True)
        for widget in (self.title, self.number, self.status):
            widget.setTextFormat(Qt.TextFormat.PlainText)  # user text: "<b>" is not markup
            widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            heading.addWidget(widget)
        heading.addStretch(1)
        top.addLayout(heading, 1)
        layout.addLayout(top)

        self.fields = QFormLayout()
        self.fields.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.values: dict[str, QLabel] = {}
        rows = (
            ("sex_age", self.tr("Sex / age")), ("birth_date", self.tr("Birth date")),
            ("id_type", self.tr("ID type")), ("id_number", self.tr("ID number")),
            ("place_of_issue", self.tr("Place of issue")),
            ("phone", self.tr("Mobile")), ("area", self.tr("Residence")),
            ("skills", self.tr("Skills")),
            ("service_preferences", self.tr("Service preferences")),
            ("available_time", self.tr("Available time")),
            ("political_status", self.tr("Political status")),
            ("education", self.tr("Education")), ("employer", self.tr("Employer or school")),
            ("emergency", self.tr("Emergency contact")), ("guardian", self.tr("Guardian")),
            ("registered_on", self.tr("Registered on")), ("remarks", self.tr("Remarks")),
        )
        for key, title in rows:
            value = QLabel()
            value.setTextFormat(Qt.TextFormat.PlainText)
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.values[key] = value
            if key == "id_number":
                line = QHBoxLayout()
                line.addWidget(value, 1)
                self.reveal_button = QPushButton(self.tr("Show"))
                self.reveal_button.setToolTip(
                    self.tr("Show the full ID number and mobile (the viewing is recorded)"))
                self.reveal_button.clicked.connect(self.reveal)
                line.addWidget(self.reveal_button)
                self.fields.addRow(title, line)
            else:
                self.fields.addRow(title, value)
        layout.addLayout(self.fields)
        self._build_service(layout)
        self.setWidget(body)
        self.show_record(None)

    def _fit_width(self) -> None:
        """Never narrower than the shown record needs in this language (English titles and
        buttons are wider; an ID number does not wrap): with no horizontal scroll bar, the
        rest would be cut off at the right."""
        body = self.widget()
        assert body is not None
        body.adjustSize()
        needed = body.minimumSizeHint().width() + self.verticalScrollBar().sizeHint().width() \
            + 2 * self.frameWidth()
        self.setMinimumWidth(max(340, needed))

    def show_volunteer(self, volunteer_id: int | None) -> None:
        """Load and show a volunteer by id (None clears the panel)."""
        if volunteer_id is None:
            self.show_record(None)
            return
        try:
            self.show_record(volunteers.get(volunteer_id))
        except NotFoundError as exc:
            self.show_record(None)
            show_error(self, exc)

    def show_record(self, record: VolunteerRecord | None) -> None:
        self.record = record
        self.empty.setVisible(record is None)
        self.content.setVisible(record is not None)
        if record is None:
            return
        d = record.draft
        self.title.setText(d.name)
        self.number.setText(self.tr("Volunteer no. %1").replace("%1", record.number))
        status = status_label(record.status)
        if record.status != Status.ACTIVE or record.status_reason:
            reason = record.status_reason or self.tr("no reason given")
            if record.status_changed_at is None:   # imported or demo records carry no date
                status = self.tr("%1 — %2").replace("%1", status).replace("%2", reason)
            else:
                status = self.tr("%1 since %2 — %3").replace("%1", status).replace(
                    "%2", local_time(record.status_changed_at)).replace("%3", reason)
        self.status.setText(status)
        color = {Status.ACTIVE: "#2e7d32", Status.SUSPENDED: "#b26a00",
                 Status.WITHDRAWN: "#616161", Status.MERGED: "#616161"}[record.status]
        self.status.setStyleSheet(f"color: {color}")
        age = "" if d.birth_date is None else str(age_on(d.birth_date, dt.date.today()))
        v = self.values
        v["sex_age"].setText(" / ".join(x for x in (sex_label(d.sex), age) if x))
        v["birth_date"].setText(d.birth_date.isoformat() if d.birth_date else "")
        v["id_type"].setText(id_type_label(d.id_type))
        v["id_number"].setText(mask_id_number(d.id_number))
        resident = d.id_type == IdType.RESIDENT
        v["place_of_issue"].setText(place_of_issue(d.id_number) if resident else "")
        self.fields.setRowVisible(v["place_of_issue"], resident)
        v["phone"].setText(mask_phone(d.phone))
        v["area"].setText(" ".join(x for x in (d.district, d.street, d.community) if x))
        for key in ("skills", "service_preferences", "available_time", "political_status",
                    "education", "employer", "remarks"):
            v[key].setText(getattr(d, key))
        v["emergency"].setText(" ".join(
            x for x in (d.emergency_contact, mask_phone(d.emergency_phone)) if x))
        guardian = ""
        if d.guardian_name:
            consent = self.tr("consent given") if d.guardian_consent else self.tr("no consent")
            guardian = " ".join(x for x in (d.guardian_name, mask_phone(d.guardian_phone),
                                            f"({consent})") if x)
        v["guardian"].setText(guardian)
        v["registered_on"].setText(d.registered_on.isoformat() if d.registered_on else "")
        self.reveal_button.setEnabled(True)
        self._show_photo(record)
        self.show_service(record.id)
        self._fit_width()

    def _build_service(self, layout: QVBoxLayout) -> None:
        heading = QLabel(self.tr("Service and points"))
        heading.setStyleSheet("font-weight: bold; margin-top: 8px")
        layout.addWidget(heading)
        self.service = QFormLayout()
        self.service_values: dict[str, QLabel] = {}
        for key, title in (("approved", self.tr("Approved hours")),
                           ("split", self.tr("Scanned / manual")),
                           ("pending", self.tr("Pending approval")),
                           ("star", self.tr("Star level")), ("next", self.tr("Next level")),
                           ("points", self.tr("Points balance"))):
            value = QLabel()
            value.setObjectName(f"service_{key}")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.service_values[key] = value
            self.service.addRow(title, value)
        self.service_values["star"].setStyleSheet("color: #c77700; font-size: 13pt")
        self.service_values["points"].setStyleSheet("font-weight: bold")
        layout.addLayout(self.service)
        buttons = QGridLayout()
        self.ledger_button = QPushButton(self.tr("Points ledger"))
        self.ledger_button.clicked.connect(self.open_ledger)
        self.points_button = QPushButton(self.tr("Bonus / adjust…"))
        self.points_button.clicked.connect(self.open_points)
        self.certificate_button = QPushButton(self.tr("Service certificate…"))
        self.certificate_button.clicked.connect(self.open_certificate)
        buttons.addWidget(self.ledger_button, 0, 0)
        buttons.addWidget(self.points_button, 0, 1)
        self.history_button = QPushButton(self.tr("Service history…"))
        self.history_button.clicked.connect(self.open_history)
        buttons.addWidget(self.certificate_button, 1, 0)
        buttons.addWidget(self.history_button, 1, 1)
        layout.addLayout(buttons)

    def show_service(self, volunteer_id: int) -> None:
        """Hours, star level and points: two key lookups and one indexed sum."""
        try:
            summary = service_records.volunteer_hours(volunteer_id)
            balance = points.balance(volunteer_id)
        except NotFoundError as exc:
            show_error(self, exc)
            return
        self.hours = summary
        v = self.service_values
        v["approved"].setText(self.hours_label(summary.approved_minutes))
        v["split"].setText(f"{self.hours_label(summary.scanned_minutes)} / "
                           f"{self.hours_label(summary.manual_minutes)}")
        v["pending"].setText(self.hours_label(summary.pending_minutes))
        level = summary.star_level
        v["star"].setText(f"{star_glyphs(level)} {star_name(level)}" if level
                          else self.tr("No star yet"))
        v["next"].setText(self._next_text(summary))
        v["points"].setText(str(balance))

    def hours_label(self, minutes: int) -> str:
        return self.tr("%1 h").replace("%1", hours_text(minutes))

    def _next_text(self, summary: HoursSummary) -> str:
        if summary.hours_to_next is None:
            return self.tr("Highest level reached")
        return self.tr("%1 h to %2").replace("%1", str(summary.hours_to_next)).replace(
            "%2", star_name(summary.star_level + 1))

    def _volunteer_changed(self, _result: object = None) -> None:
        if self.record is not None:
            self.show_service(self.record.id)
            self.changed.emit(self.record.id)

    def open_ledger(self) -> LedgerDialog | None:
        if self.record is None:
            return None
        dialog = LedgerDialog(self, self.record)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def open_points(self) -> PointsDialog | None:
        if self.record is None:
            return None
        dialog = PointsDialog(self, self.record)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.succeeded.connect(self._volunteer_changed)
        dialog.open()
        return dialog

    def open_history(self) -> HistoryDialog | None:
        """服务记录: every record of the person shown, newest first."""
        if self.record is None:
            return None
        dialog = HistoryDialog(self, self.record)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def open_certificate(self) -> CertificateDialog | None:
        if self.record is None:
            return None
        dialog = CertificateDialog(self, self.record)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _show_photo(self, record: VolunteerRecord) -> None:
        pixmap = QPixmap()
        data = volunteers.photo(record.id) if record.has_photo else None
        if data and pixmap.loadFromData(data):
            self.photo.setPixmap(pixmap.scaled(
                *PHOTO_SIZE, Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation))
        else:
            self.photo.setPixmap(QPixmap())
            self.photo.setText(self.tr("No photo"))

    def reveal(self) -> None:
        """Show the unmasked ID number and phone (the service audits this)."""
        if self.record is None:
            return
        try:
            id_number, phone = volunteers.reveal(self.record.id)
        except NotFoundError as exc:
            show_error(self, exc)
            return
        self.values["id_number"].setText(id_number)
        self.values["phone"].setText(phone)
        self.reveal_button.setEnabled(False)


ENTRY_KINDS = {
    EntryKind.EARN: QT_TRANSLATE_NOOP("LedgerDialog", "Earned by service"),
    EntryKind.BONUS: QT_TRANSLATE_NOOP("LedgerDialog", "Bonus"),
    EntryKind.ADJUST: QT_TRANSLATE_NOOP("LedgerDialog", "Adjustment"),
    EntryKind.REDEEM: QT_TRANSLATE_NOOP("LedgerDialog", "Redemption"),
    EntryKind.EXPIRE: QT_TRANSLATE_NOOP("LedgerDialog", "Expired"),
    EntryKind.REVERSE: QT_TRANSLATE_NOOP("LedgerDialog", "Reversal"),
    EntryKind.TRANSFER_OUT: QT_TRANSLATE_NOOP("LedgerDialog", "Transferred out (merge)"),
    EntryKind.TRANSFER_IN: QT_TRANSLATE_NOOP("LedgerDialog", "Transferred in (merge)"),
}


class LedgerDialog(QDialog):
    """积分明细: the volunteer's ledger, newest first, a page at a time ("More")."""

    def __init__(self, parent: QWidget | None, record: VolunteerRecord) -> None:
        super().__init__(parent)
        self.volunteer_id = record.id
        self.setWindowTitle(self.tr("Points ledger — %1 %2").replace(
            "%1", record.number).replace("%2", record.draft.name))
        kinds = {kind: self.tr(str(text)) for kind, text in ENTRY_KINDS.items()}
        self.model: RowsModel[LedgerRow] = RowsModel([
            Col(self.tr("Time"), lambda r: local_time(r.at)),
            Col(self.tr("Kind"), lambda r: kinds[r.kind]),
            Col(self.tr("Points"), lambda r: f"{r.points:+d}", True),
            Col(self.tr("Balance"), lambda r: r.balance_after, True),
            Col(self.tr("Activity"), lambda r: r.activity),
            Col(self.tr("Reason"), lambda r: r.reason),
            Col(self.tr("By"), lambda r: r.actor)], self)
        self.view = table_view(self.model, self)
        for column, width in enumerate((130, 90, 60, 60, 220, 200)):
            self.view.setColumnWidth(column, width)
        self.more = QPushButton(self.tr("More"), self)
        self.more.clicked.connect(self.load_more)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.more, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        layout.addWidget(buttons)
        self.resize(960, 440)
        self.load_more()

    def load_more(self) -> None:
        rows = points.ledger(self.volunteer_id, len(self.model.rows), LEDGER_PAGE)
        self.model.set_rows([*self.model.rows, *rows])
        self.more.setEnabled(len(rows) == LEDGER_PAGE)


class PointsDialog(ServiceDialog):
    """奖励/调整积分: a bonus (positive) or an adjustment (either sign), with a reason."""

    def __init__(self, parent: QWidget | None, record: VolunteerRecord) -> None:
        super().__init__(parent, self.tr("Bonus or adjust points"))
        self.volunteer_id = record.id
        self.form.addRow(QLabel(self.tr("%1 %2 — balance %3").replace("%1", record.number)
                                .replace("%2", record.draft.name)
                                .replace("%3", str(points.balance(record.id)))))
        self.kind = QComboBox(self)
        self.kind.addItem(self.tr("Bonus (add points)"), "bonus")
        self.kind.addItem(self.tr("Adjustment (add or take away)"), "adjust")
        self.amount = QSpinBox(self)
        self.amount.setRange(-100_000, 100_000)
        self.amount.setValue(10)
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText(self.tr("Required, e.g. referred a new volunteer"))
        self.form.addRow(self.tr("Kind"), self.kind)
        self.form.addRow(self.tr("Points"), self.amount)
        self.form.addRow(self.tr("Reason"), self.reason)
        self.resize(400, self.sizeHint().height())

    def call(self) -> LedgerRow:
        if self.kind.currentData() == "bonus":
            return points.bonus(self.volunteer_id, self.amount.value(), self.reason.text())
        return points.adjust(self.volunteer_id, self.amount.value(), self.reason.text())


class CertificateDialog(ServiceDialog):
    """开具服务证明: choose the period (registration date to today by default), then preview;
    the certificate is issued, and a number used up, only when the preview is saved or
    printed (app.ui.hours.certificate_list)."""

    def __init__(self, parent: QWidget | None, record: VolunteerRecord) -> None:
        super().__init__(parent, self.tr("Service certificate"))
        self.record = record
        today = QDate.currentDate()
        start = record.draft.registered_on or dt.date(today.year(), 1, 1)
        self.date_from = QDateEdit(QDate(start.year, start.month, start.day), self)
        self.date_to = QDateEdit(today, self)
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setMaximumDate(today)
        self.form.addRow(QLabel(self.tr("Certificate of service hours for %1 %2").replace(
            "%1", record.number).replace("%2", record.draft.name)))
        self.form.addRow(self.tr("From"), self.date_from)
        self.form.addRow(self.tr("To"), self.date_to)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Preview…"))
        self.preview: PdfPreviewDialog | None = None

    def call(self) -> object:
        start = self.date_from.date().toPython()
        end = self.date_to.date().toPython()
        assert isinstance(start, dt.date) and isinstance(end, dt.date)
        self.preview = preview_new_certificate(self.parentWidget(), self.record.id,
                                               self.record.number, start, end)
        return self.preview
