"""The dialogs that change a volunteer: the registration form (add or edit, every field of
DOMAIN.md §1) and the status dialog (suspend, withdraw, reinstate with a reason).

The layout is forms/volunteer_editor.ui (see app.ui.forms for why it is loaded, not
compiled); every input widget there is named after its `VolunteerDraft` field and has a
`<field>_error` label under it, so the service's `FormErrors` land at their field without a
mapping table. The rules themselves stay in the service: this dialog only reads the form,
calls `volunteers.register` / `update` / `change_status`, and shows what comes back.
Nothing is deleted: a status change keeps the reason, and the service audits it.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QDate,
    QIODevice,
    QStringListModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QImage, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import (
    ConflictError,
    DuplicateError,
    FormErrors,
    ValidationError,
)
from app.domain.idcard import age_on, parse_id_number
from app.domain.pinyin import pinyin_order
from app.domain.volunteer import (
    EDUCATION_LEVELS,
    POLITICAL_STATUSES,
    IdType,
    Status,
    VolunteerDraft,
)
from app.services.common import settings
from app.services.volunteers import listing as volunteer_list
from app.services.volunteers import registration as volunteers
from app.services.volunteers.registration import VolunteerRecord
from app.ui import desk_settings
from app.ui.common.confirm_discard import ConfirmDiscardDialog, reload_after_conflict
from app.ui.common.edits import edited_signal
from app.ui.common.errors import message_box, show_error
from app.ui.common.service_text import shown
from app.ui.resources import child, load_form
from app.ui.volunteers.model import id_type_label, sex_label, status_label

log = logging.getLogger(__name__)

TEXT_FIELDS = ("name", "id_number", "phone", "district", "street", "community", "skills",
               "service_preferences", "available_time", "employer", "emergency_contact",
               "emergency_phone", "guardian_name", "guardian_id_number", "guardian_phone")
FIELD_ORDER = ("name", "sex", "id_type", "id_number", "birth_date", "phone", "district",
               "street", "community", "emergency_contact", "emergency_phone", "photo",
               "skills", "service_preferences", "available_time", "political_status",
               "education", "employer", "guardian_name", "guardian_id_number",
               "guardian_phone", "guardian_consent", "registered_on", "remarks")
NO_DATE = QDate(1900, 1, 1)  # the minimum of a date edit stands for "not given"
PHOTO_MAX_SIDE = 640

STYLE = """
QLineEdit[invalid="true"], QComboBox[invalid="true"], QDateEdit[invalid="true"],
QPlainTextEdit[invalid="true"], QPushButton[invalid="true"] { border: 1px solid #d32f2f; }
QCheckBox[invalid="true"] { color: #d32f2f; }
QLabel[role="error"] { color: #d32f2f; }
QLabel[role="hint"] { color: #2e7d32; }
QGroupBox[required="true"] { background-color: #fff8e1; }
"""


def to_qdate(day: dt.date | None) -> QDate:
    return NO_DATE if day is None else QDate(day.year, day.month, day.day)


def from_qdate(day: QDate) -> dt.date | None:
    if not day.isValid() or day == NO_DATE:
        return None
    return dt.date(day.year(), day.month(), day.day())


class VolunteerEditor(ConfirmDiscardDialog):
    """Add (`volunteer_id` None) or edit one volunteer.

    Signals:
        saved(int): the volunteer's id after a successful save.
        openExisting(str): the user asked to open the record a duplicate ID belongs to.
    """

    saved = Signal(int)
    openExisting = Signal(str)

    def __init__(self, parent: QWidget | None = None, volunteer_id: int | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("VolunteerEditor")
        self.setStyleSheet(STYLE)
        self.form = load_form("volunteer_editor", self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.form)
        self.record: VolunteerRecord | None = None
        self.photo_bytes: bytes | None = None
        self.photo_changed = False
        self.message_box: QMessageBox | None = None
        self._today = dt.date.today()
        self._policy = settings.minor_policy()
        self._find_widgets()
        self._fill_choices()
        self._connect()
        self.clear_errors()
        if volunteer_id is None:
            self.setWindowTitle(self.tr("New volunteer"))
            self.registered_on.setDate(to_qdate(self._today))
            self._on_id_type_changed()
        else:
            self.load(volunteers.get(volunteer_id))
        self._show_photo()
        self.resize(max(self.sizeHint().width(), 840), self.sizeHint().height())
        self.name.setFocus()
        self.mark_clean()

    # -- building ----------------------------------------------------------------------

    def _find_widgets(self) -> None:
        f = self.form
        self.inputs: dict[str, QWidget] = {}
        for name in TEXT_FIELDS:
            self.inputs[name] = child(f, QLineEdit, name)
        self.name = child(f, QLineEdit, "name")
        self.id_number = child(f, QLineEdit, "id_number")
        self.sex = child(f, QComboBox, "sex")
        self.id_type = child(f, QComboBox, "id_type")
        self.political_status = child(f, QComboBox, "political_status")
        self.education = child(f, QComboBox, "education")
        self.birth_date = child(f, QDateEdit, "birth_date")
        self.registered_on = child(f, QDateEdit, "registered_on")
        self.remarks = child(f, QPlainTextEdit, "remarks")
        self.guardian_consent = child(f, QCheckBox, "guardian_consent")
        self.guardian_group = child(f, QGroupBox, "guardian_group")
        self.photo_preview = child(f, QLabel, "photo_preview")
        self.photo_choose = child(f, QPushButton, "photo_choose")
        self.photo_clear = child(f, QPushButton, "photo_clear")
        self.form_message = child(f, QLabel, "form_message")
        self.buttons = child(f, QDialogButtonBox, "button_box")
        for name, widget in (("sex", self.sex), ("id_type", self.id_type),
                             ("political_status", self.political_status),
                             ("education", self.education), ("birth_date", self.birth_date),
                             ("registered_on", self.registered_on), ("remarks", self.remarks),
                             ("guardian_consent", self.guardian_consent),
                             ("photo", self.photo_choose)):
            self.inputs[name] = widget
        self.error_labels = {name: child(f, QLabel, f"{name}_error") for name in FIELD_ORDER}
        for label in self.error_labels.values():
            label.setProperty("role", "error")
        self.form_message.setProperty("role", "error")

    def _fill_choices(self) -> None:
        self.sex.addItem(self.tr("(from the ID number)"), "")
        for code in ("M", "F"):
            self.sex.addItem(sex_label(code), code)
        for kind in IdType:
            self.id_type.addItem(id_type_label(kind), str(kind))
        for combo, values in ((self.political_status, POLITICAL_STATUSES),
                              (self.education, EDUCATION_LEVELS)):
            combo.addItem("", "")
            for value in values:
                combo.addItem(value, value)
        for edit in (self.birth_date, self.registered_on):
            edit.setMinimumDate(NO_DATE)
            edit.setMaximumDate(QDate(2100, 12, 31))
            edit.setSpecialValueText(" ")
        self.birth_date.setDate(NO_DATE)
        self._areas = volunteer_list.areas()
        self._area_lists: dict[str, QStringListModel] = {}
        self._area_edits = {name: child(self.form, QLineEdit, name)
                            for name in ("district", "street", "community")}
        for name, line in self._area_edits.items():
            model = QStringListModel(self)
            completer = QCompleter(model, self)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setMaxVisibleItems(12)
            line.setCompleter(completer)
            pick = QAction(self.style().standardIcon(QStyle.StandardPixmap.SP_ArrowDown),
                           self.tr("Choose from the areas in the register"), line)
            pick.setObjectName(f"{name}_pick")
            line.addAction(pick, QLineEdit.ActionPosition.TrailingPosition)
            pick.triggered.connect(lambda _c=False, e=line: self.show_area_list(e))
            self._area_lists[name] = model
        for name in ("district", "street"):
            self._area_edits[name].editingFinished.connect(self._fill_area_lists)
        self._fill_area_lists()

    def _fill_area_lists(self) -> None:
        """Pick lists from the register's own areas, in pinyin order: the streets of the
        district typed and the communities of the street typed (all of them when the field
        above is empty or new to the register — the list never blocks typing a new area)."""
        district = self._area_edits["district"].text().strip()
        street = self._area_edits["street"].text().strip()
        streets = [a.street for a in self._areas if a.district == district] \
            or [a.street for a in self._areas]
        communities = [a.community for a in self._areas if a.street == street] \
            or [a.community for a in self._areas]
        lists = {"district": [a.district for a in self._areas], "street": streets,
                 "community": communities}
        for name, values in lists.items():
            self._area_lists[name].setStringList(pinyin_order(values))

    def show_area_list(self, edit: QLineEdit) -> None:
        """The whole list under the field, as a combo box would show it."""
        self._fill_area_lists()
        completer = edit.completer()
        edit.setFocus(Qt.FocusReason.OtherFocusReason)
        completer.setCompletionPrefix("")
        completer.complete()

    def _connect(self) -> None:
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.id_number.textChanged.connect(self._on_id_changed)
        self.id_type.currentIndexChanged.connect(self._on_id_type_changed)
        self.birth_date.dateChanged.connect(self._update_guardian)
        self.photo_choose.clicked.connect(self.choose_photo)
        self.photo_clear.clicked.connect(self.clear_photo)
        for name, widget in self.inputs.items():
            if name == "id_number":           # checked live as it is typed
                continue
            signal = edited_signal(widget)
            if signal is not None:
                signal.connect(lambda *_a, name=name: self._field_edited(name))

    def _field_edited(self, name: str) -> None:
        """A field's red message described the old input: it goes once the field changes.
        A new birth date also settles the guardian rules, which depend on the age."""
        names = [name]
        if name == "birth_date":
            names += [n for n in self.error_labels if n.startswith("guardian")]
        for each in names:
            label = self.error_labels.get(each)
            if label is not None and label.property("role") == "error" and label.text():
                self._set_error(each, "")

    # -- loading and reading -------------------------------------------------------------

    def load(self, record: VolunteerRecord) -> None:
        """Show `record` for editing (also after a conflict, to start from what is saved)."""
        self.record = record
        d = record.draft
        self.setWindowTitle(self.tr("Edit volunteer %1 — %2").replace(
            "%1", record.number).replace("%2", d.name))
        for name in TEXT_FIELDS:
            child(self.form, QLineEdit, name).setText(getattr(d, name) or "")
        self._set_combo(self.id_type, str(d.id_type))
        self._set_combo(self.sex, d.sex)
        self._set_combo(self.political_status, d.political_status)
        self._set_combo(self.education, d.education)
        self.birth_date.setDate(to_qdate(d.birth_date))
        self.registered_on.setDate(to_qdate(d.registered_on))
        self.remarks.setPlainText(d.remarks)
        self.guardian_consent.setChecked(d.guardian_consent)
        self.photo_bytes = volunteers.photo(record.id) if record.has_photo else None
        self.photo_changed = False
        self._show_photo()
        self._on_id_type_changed()
        self.clear_errors()
        self.mark_clean()

    @staticmethod
    def _set_combo(combo: QComboBox, value: str) -> None:
        index = combo.findData(value)
        if index < 0 and value:
            combo.addItem(value, value)  # a value from an import, not in today's list
            index = combo.count() - 1
        combo.setCurrentIndex(max(index, 0))

    def snapshot(self) -> object:
        """Everything typed, and whether the photo changed (Esc then asks before dropping it)."""
        return self.draft(), self.photo_changed

    def draft(self) -> VolunteerDraft:
        """What the form holds, as the service takes it (not yet validated)."""
        values = {name: child(self.form, QLineEdit, name).text() for name in TEXT_FIELDS}
        resident = self.id_type.currentData() == str(IdType.RESIDENT)
        return VolunteerDraft(
            **values,
            sex=self.sex.currentData() or "",
            id_type=self.id_type.currentData(),
            birth_date=None if resident else from_qdate(self.birth_date.date()),
            political_status=self.political_status.currentData() or "",
            education=self.education.currentData() or "",
            guardian_consent=self.guardian_consent.isChecked(),
            registered_on=from_qdate(self.registered_on.date()),
            remarks=self.remarks.toPlainText(),
        )

    # -- live checks -----------------------------------------------------------------------

    def _is_resident(self) -> bool:
        return self.id_type.currentData() == str(IdType.RESIDENT)

    def _on_id_type_changed(self) -> None:
        resident = self._is_resident()
        self.birth_date.setReadOnly(resident)
        self.birth_date.setButtonSymbols(
            QDateEdit.ButtonSymbols.NoButtons if resident else
            QDateEdit.ButtonSymbols.UpDownArrows)
        self.birth_date.setCalendarPopup(not resident)
        self.sex.setEnabled(not resident)
        self.sex.setItemText(0, self.tr("(from the ID number)") if resident else "")
        if not resident and self.birth_date.date() == NO_DATE:
            # Open the calendar near a likely birth year, not at the "no date" 1900.
            self.birth_date.calendarWidget().setCurrentPage(self._today.year - 30, 1)
        self._on_id_changed()

    def _on_id_changed(self) -> None:
        """Derive birth date and sex from a resident ID number while it is typed."""
        if not self._is_resident():
            self._update_guardian()
            return
        text = self.id_number.text().strip()
        label = self.error_labels["id_number"]
        if len(text) < 18:
            self._set_hint(label, "")
            self.birth_date.setDate(NO_DATE)
            self.sex.setCurrentIndex(0)
            return
        try:
            info = parse_id_number(text, self._today)
        except ValidationError as exc:
            self._set_error("id_number", exc.message)
            self.birth_date.setDate(NO_DATE)
            self.sex.setCurrentIndex(0)
            return
        self._set_invalid(self.id_number, False)
        self.birth_date.setDate(to_qdate(info.birth_date))
        self._set_combo(self.sex, info.sex)
        age = age_on(info.birth_date, self._today)
        self._set_hint(label, self.tr("Born %1, %2, age %3").replace(
            "%1", info.birth_date.isoformat()).replace("%2", sex_label(info.sex)).replace(
            "%3", str(age)))

    def _update_guardian(self) -> None:
        birth = from_qdate(self.birth_date.date())
        age = None if birth is None else age_on(birth, self._today)
        minor = age is not None and age < self._policy.guardian_under
        has_data = any(child(self.form, QLineEdit, n).text() for n in
                       ("guardian_name", "guardian_id_number", "guardian_phone"))
        self.guardian_group.setEnabled(minor or has_data or age is None)
        self.guardian_group.setProperty("required", minor)
        self.guardian_group.setTitle(
            self.tr("Guardian (required: under %1)").replace(
                "%1", str(self._policy.guardian_under))
            if minor else self.tr("Guardian (for minors)"))
        self._repolish(self.guardian_group)

    # -- errors ------------------------------------------------------------------------------

    def clear_errors(self) -> None:
        for name, label in self.error_labels.items():
            label.clear()
            label.hide()
            self._set_invalid(self.inputs[name], False)
        self.form_message.clear()
        self.form_message.hide()

    def show_errors(self, errors: dict[str, str]) -> None:
        """Each message at its field; focus to the first bad field in form order."""
        self.clear_errors()
        unplaced = []
        for name, message in errors.items():
            if name in self.error_labels:
                self._set_error(name, message)
            else:
                unplaced.append(shown(message))
        if any(name.startswith("guardian") for name in errors):
            self.guardian_group.setEnabled(True)
        if unplaced:
            self.form_message.setText("\n".join(unplaced))
            self.form_message.show()
        first = next((n for n in FIELD_ORDER if n in errors), None)
        if first is not None:
            self.inputs[first].setFocus(Qt.FocusReason.OtherFocusReason)

    def error_text(self, name: str) -> str:
        label = self.error_labels[name]
        return label.text() if label.property("role") == "error" and label.isVisibleTo(
            self) else ""

    def _set_error(self, name: str, message: str) -> None:
        label = self.error_labels[name]
        label.setProperty("role", "error")
        label.setText(shown(message))
        label.setVisible(bool(message))
        self._repolish(label)
        self._set_invalid(self.inputs[name], bool(message))

    def _set_hint(self, label: QLabel, text: str) -> None:
        label.setProperty("role", "hint")
        label.setText(text)
        label.setVisible(bool(text))
        self._repolish(label)

    def _set_invalid(self, widget: QWidget, invalid: bool) -> None:
        if bool(widget.property("invalid")) != invalid:
            widget.setProperty("invalid", invalid)
            self._repolish(widget)

    @staticmethod
    def _repolish(widget: QWidget) -> None:
        widget.style().unpolish(widget)
        widget.style().polish(widget)

    # -- photo -------------------------------------------------------------------------------

    def choose_photo(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Choose photo"), desk_settings.LAST_FOLDER.get(),
            self.tr("Images (*.jpg *.jpeg *.png *.bmp)"))
        if path:
            desk_settings.LAST_FOLDER.set(str(Path(path).parent))
            self.set_photo_file(Path(path))

    def set_photo_file(self, path: Path) -> bool:
        """Take a photo file; a large or odd-format picture is scaled to a JPEG for the card."""
        data = path.read_bytes()
        image = QImage.fromData(data)
        if image.isNull():
            self._set_error("photo", self.tr("This file is not a picture."))
            return False
        is_jpeg_or_png = data.startswith((b"\xff\xd8", b"\x89PNG\r\n\x1a\n"))
        if not is_jpeg_or_png or len(data) > volunteers.MAX_PHOTO_BYTES:
            data = self._as_jpeg(image)
        self.photo_bytes = data
        self.photo_changed = True
        self._set_error("photo", "")
        self._show_photo()
        return True

    @staticmethod
    def _as_jpeg(image: QImage) -> bytes:
        if max(image.width(), image.height()) > PHOTO_MAX_SIDE:
            image = image.scaled(PHOTO_MAX_SIDE, PHOTO_MAX_SIDE,
                                 Qt.AspectRatioMode.KeepAspectRatio,
                                 Qt.TransformationMode.SmoothTransformation)
        array = QByteArray()
        buffer = QBuffer(array)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, b"JPEG", 90)
        buffer.close()
        return bytes(array.data())

    def clear_photo(self) -> None:
        self.photo_bytes = None
        self.photo_changed = True
        self._show_photo()

    def _show_photo(self) -> None:
        pixmap = QPixmap()
        if self.photo_bytes and pixmap.loadFromData(self.photo_bytes):
            self.photo_preview.setPixmap(pixmap.scaled(
                self.photo_preview.size(), Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation))
        else:
            self.photo_preview.setText(self.tr("No photo"))
        self.photo_clear.setEnabled(self.photo_bytes is not None)

    # -- saving ------------------------------------------------------------------------------

    def save(self) -> bool:
        """Validate and store through the service; on any refusal nothing is saved."""
        draft = self.draft()
        self.clear_errors()
        try:
            if self.record is None:
                photo = self.photo_bytes if self.photo_changed else None
                record = volunteers.register(draft, photo=photo)
            else:
                volunteers.validate(draft)  # before the photo, so a bad form changes nothing
                if self.photo_changed:
                    volunteers.set_photo(self.record.id, self.photo_bytes)
                    self.photo_changed = False
                record = volunteers.update(self.record.id, draft, self.record.version)
        except FormErrors as exc:
            self.show_errors(exc.errors)
            return False
        except ValidationError as exc:
            self.show_errors({exc.field: exc.message})
            return False
        except DuplicateError as exc:
            self._show_duplicate(exc)
            return False
        except ConflictError as exc:
            self._show_conflict(exc)
            return False
        log.info("volunteer %s saved", record.number)
        self.record = record
        self.mark_clean()
        self.saved.emit(record.id)
        self.accept()
        return True

    def _show_duplicate(self, exc: DuplicateError) -> None:
        self._set_error("id_number", exc.message)
        self.id_number.setFocus()
        box = message_box(self, QMessageBox.Icon.Warning, self.tr("Already registered"),
                          shown(exc.message), QMessageBox.StandardButton.Close)
        if exc.existing:
            open_button = box.addButton(self.tr("Open %1").replace("%1", exc.existing),
                                        QMessageBox.ButtonRole.AcceptRole)
            box.setDefaultButton(open_button)
            open_button.clicked.connect(lambda: self._open_existing(exc.existing))
        self.message_box = box

    def _open_existing(self, number: str) -> None:
        self.openExisting.emit(number)
        self.reject()

    def _show_conflict(self, exc: ConflictError) -> None:
        assert self.record is not None
        text = self.tr("%1\nThe form now shows the record as it was saved by the other "
                       "person; please make your changes again.").replace("%1", shown(str(exc)))
        record_id = self.record.id
        box = reload_after_conflict(self, text, lambda: self.load(volunteers.get(record_id)),
                                    self.tr("Changed by someone else"))
        if box is not None:
            self.message_box = box


class StatusDialog(QDialog):
    """Ask for the reason and change the status of `record` to `target`.

    Signals:
        changed(int): the volunteer's id after the change is saved.
    """

    changed = Signal(int)

    def __init__(self, parent: QWidget | None, record: VolunteerRecord, target: Status) -> None:
        super().__init__(parent)
        self.record = record
        self.target = target
        self.form = load_form("status_dialog", self)
        QVBoxLayout(self).addWidget(self.form)
        self.summary = child(self.form, QLabel, "summary")
        self.reason = child(self.form, QPlainTextEdit, "reason")
        self.reason_label = child(self.form, QLabel, "reason_label")
        self.reason_error = child(self.form, QLabel, "reason_error")
        self.reason_error.setStyleSheet("color: #d32f2f")
        self.reason_error.hide()
        self.buttons = child(self.form, QDialogButtonBox, "button_box")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        titles = {Status.SUSPENDED: self.tr("Suspend volunteer"),
                  Status.WITHDRAWN: self.tr("Withdraw volunteer"),
                  Status.ACTIVE: self.tr("Reinstate volunteer")}
        self.setWindowTitle(titles[target])
        self.summary.setText(self.tr("%1 %2: %3 → %4").replace("%1", record.number).replace(
            "%2", record.name).replace("%3", status_label(record.status)).replace(
            "%4", status_label(target)))
        self.reason_label.setText(self.tr("Reason (optional)") if target == Status.ACTIVE
                                  else self.tr("Reason (required)"))
        self.reason.setFocus()
        self.resize(420, self.sizeHint().height())

    def save(self) -> bool:
        try:
            volunteers.change_status(self.record.id, self.target,
                                     self.reason.toPlainText(), self.record.version)
        except ValidationError as exc:
            self.reason_error.setText(shown(exc.message))
            self.reason_error.show()
            self.reason.setFocus()
            return False
        except ConflictError as exc:
            show_error(self.parentWidget(), exc)
            self.reject()
            return False
        self.changed.emit(self.record.id)
        self.accept()
        return True
