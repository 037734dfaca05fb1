"""The panel beside the volunteer list: one volunteer's full record.

ID number and phone are masked like the list; "Show" asks the service to reveal them, which
audits the viewing (personal data, 《志愿服务条例》 forbids disclosure without consent).
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import NotFoundError
from app.domain.idcard import age_on, mask_id_number
from app.domain.phone import mask_phone
from app.domain.volunteer import Status
from app.services import volunteers
from app.services.volunteers import VolunteerRecord
from app.ui.errors import show_error
from app.ui.volunteer_model import id_type_label, sex_label, status_label

PHOTO_SIZE = (96, 128)


def local_time(utc: dt.datetime | None) -> str:
    if utc is None:
        return ""
    return utc.replace(tzinfo=dt.UTC).astimezone().strftime("%Y-%m-%d %H:%M")


class VolunteerDetail(QScrollArea):
    """Shows the record of the volunteer selected in the list (or a hint when none is)."""

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
        self.setWidget(body)
        self.show_record(None)

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
            status = self.tr("%1 since %2 — %3").replace("%1", status).replace(
                "%2", local_time(record.status_changed_at)).replace(
                "%3", record.status_reason or self.tr("no reason given"))
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
