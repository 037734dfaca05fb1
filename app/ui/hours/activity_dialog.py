"""Dialogs of the service-hours area: the activity form, manual hours (补录), a reason.

The activity form is forms/activity_dialog.ui; like the volunteer editor, every input is
named after its `ActivityDraft` field and has a `<field>_error` label under it, so the
service's `FormErrors` land at their field. The rules stay in the services: these dialogs
read the widgets, call `activities` / `service_records`, and show the Chinese message that
comes back, keeping the dialog open so nothing typed is lost.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from PySide6.QtCore import QDateTime, QStringListModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import ConflictError, FormErrors, NotFoundError, ValidationError
from app.domain.hours import ActivityDraft, format_minutes
from app.services.hours import activities
from app.services.hours import records as service_records
from app.services.hours.activities import ActivityRecord
from app.services.volunteers import listing as volunteer_list
from app.services.volunteers.listing import VolunteerFilter
from app.ui.common.edits import edited_signal
from app.ui.common.errors import show_error
from app.ui.common.service_text import shown
from app.ui.resources import child, load_form

log = logging.getLogger(__name__)

ACTIVITY_FIELDS = ("name", "organizer", "place", "starts_at", "ends_at", "category",
                   "capacity")
PICKER_LIMIT = 15
STYLE = """
QLineEdit[invalid="true"], QComboBox[invalid="true"], QDateTimeEdit[invalid="true"],
QPlainTextEdit[invalid="true"], QSpinBox[invalid="true"] { border: 1px solid #d32f2f; }
QLabel[role="error"] { color: #d32f2f; }
"""


def to_qdatetime(moment: dt.datetime) -> QDateTime:
    return QDateTime(moment.year, moment.month, moment.day, moment.hour, moment.minute, 0)


def from_qdatetime(value: QDateTime) -> dt.datetime:
    d, t = value.date(), value.time()
    return dt.datetime(d.year(), d.month(), d.day(), t.hour(), t.minute())


class FieldErrors:
    """Messages under the fields of a form: red text, a red frame, focus on the first.

    Args:
        inputs: field name → input widget, in form order.
        labels: field name → the QLabel that shows its error.
        general: the label for messages that belong to no field.
    """

    def __init__(self, inputs: dict[str, QWidget], labels: dict[str, QLabel],
                 general: QLabel) -> None:
        self.inputs, self.labels, self.general = inputs, labels, general
        for label in (*labels.values(), general):
            label.setProperty("role", "error")
            label.setWordWrap(True)
        for name, widget in inputs.items():   # a message about the old input goes with it
            signal = edited_signal(widget)
            if signal is not None:
                signal.connect(lambda *_a, name=name: self.clear_field(name))
        self.clear()

    def clear_field(self, name: str) -> None:
        label = self.labels.get(name)
        if label is not None and not label.isHidden():
            label.clear()
            label.hide()
            self._mark(self.inputs[name], False)

    def clear(self) -> None:
        for name, label in self.labels.items():
            label.clear()
            label.hide()
            self._mark(self.inputs[name], False)
        self.general.clear()
        self.general.hide()

    def show(self, errors: dict[str, str]) -> None:
        self.clear()
        unplaced = []
        for name, service_message in errors.items():
            message = shown(service_message)
            label = self.labels.get(name)
            if label is None:
                unplaced.append(message)
                continue
            label.setText(message)
            label.show()
            self._mark(self.inputs[name], True)
        if unplaced:
            self.general.setText("\n".join(unplaced))
            self.general.show()
        first = next((n for n in self.inputs if n in errors), None)
        if first is not None:
            self.inputs[first].setFocus(Qt.FocusReason.OtherFocusReason)

    def text(self, name: str) -> str:
        label = self.labels.get(name, self.general)
        return label.text() if not label.isHidden() else ""

    @staticmethod
    def _mark(widget: QWidget, invalid: bool) -> None:
        if bool(widget.property("invalid")) != invalid:
            widget.setProperty("invalid", invalid)
            widget.style().unpolish(widget)
            widget.style().polish(widget)


class ActivityDialog(QDialog):
    """Add (`activity_id` None) or edit one activity.

    Signals:
        saved(int): the activity's id after a successful save.
    """

    saved = Signal(int)

    def __init__(self, parent: QWidget | None = None, activity_id: int | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ActivityDialog")
        self.setStyleSheet(STYLE)
        self.form = load_form("activity_dialog", self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.form)
        f = self.form
        self.name = child(f, QLineEdit, "name")
        self.organizer = child(f, QLineEdit, "organizer")
        self.place = child(f, QLineEdit, "place")
        self.starts_at = child(f, QDateTimeEdit, "starts_at")
        self.ends_at = child(f, QDateTimeEdit, "ends_at")
        self.category = child(f, QComboBox, "category")
        self.capacity = child(f, QSpinBox, "capacity")
        self.buttons = child(f, QDialogButtonBox, "button_box")
        inputs: dict[str, QWidget] = {name: child(f, QWidget, name) for name in ACTIVITY_FIELDS}
        self.errors = FieldErrors(inputs, {n: child(f, QLabel, f"{n}_error")
                                           for n in ACTIVITY_FIELDS},
                                  child(f, QLabel, "form_message"))
        self.record: ActivityRecord | None = None
        self._fill_categories()
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        if activity_id is None:
            self.setWindowTitle(self.tr("New activity"))
            start = dt.datetime.now().replace(minute=0, second=0, microsecond=0) \
                + dt.timedelta(hours=1)
            self.starts_at.setDateTime(to_qdatetime(start))
            self.ends_at.setDateTime(to_qdatetime(start + dt.timedelta(hours=2)))
        else:
            self.load(activities.get(activity_id))
        self.resize(max(self.sizeHint().width(), 520), self.sizeHint().height())
        self.name.setFocus()

    def _fill_categories(self) -> None:
        """Categories already in use, so one service area is not spelled three ways."""
        used = sorted({a.category for a in activities.page(0, 500) if a.category})
        self.category.addItem("")
        self.category.addItems(used)

    def load(self, record: ActivityRecord) -> None:
        self.record = record
        self.setWindowTitle(self.tr("Edit activity: %1").replace("%1", record.name))
        self.name.setText(record.name)
        self.organizer.setText(record.organizer)
        self.place.setText(record.place)
        self.starts_at.setDateTime(to_qdatetime(record.starts_at))
        self.ends_at.setDateTime(to_qdatetime(record.ends_at))
        self.category.setCurrentText(record.category)
        self.capacity.setValue(record.capacity or 0)

    def draft(self) -> ActivityDraft:
        return ActivityDraft(
            name=self.name.text(), organizer=self.organizer.text(), place=self.place.text(),
            starts_at=from_qdatetime(self.starts_at.dateTime()),
            ends_at=from_qdatetime(self.ends_at.dateTime()),
            category=self.category.currentText(), capacity=self.capacity.value() or None,
            project_id=self.record.project_id if self.record else None)

    def save(self) -> ActivityRecord | None:
        """Store the form; on a user error show it at its field and keep the dialog open."""
        self.errors.clear()
        try:
            if self.record is None:
                saved = activities.create(self.draft())
            else:
                saved = activities.update(self.record.id, self.draft(), self.record.version)
        except FormErrors as exc:
            self.errors.show(exc.errors)
            return None
        except ValidationError as exc:
            self.errors.show({exc.field: exc.message})
            return None
        except ConflictError as exc:
            self.errors.show({"": str(exc)})
            return None
        self.record = saved
        self.saved.emit(saved.id)
        self.accept()
        return saved


class VolunteerPicker(QLineEdit):
    """A line edit that completes volunteer numbers and names from the register (SQL search,
    a few matches at a time) and resolves what was typed to a volunteer id."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(self.tr("Volunteer number, name or ID number"))
        self._choices: dict[str, int] = {}
        self._model = QStringListModel(self)
        completer = QCompleter(self._model, self)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.setCompleter(completer)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(200)
        self._timer.timeout.connect(self.update_choices)
        self.textEdited.connect(lambda _t: self._timer.start())

    @staticmethod
    def _find(text: str) -> list[volunteer_list.VolunteerRow]:
        flt = VolunteerFilter(text=text, statuses=volunteer_list.LISTED_STATUSES)
        return volunteer_list.page(flt, 0, PICKER_LIMIT)

    def update_choices(self) -> list[str]:
        text = self.text().strip()
        rows = self._find(text) if text else []
        self._choices = {f"{r.number} {r.name}": r.id for r in rows}
        self._model.setStringList(list(self._choices))
        if self._choices and self.hasFocus():
            self.completer().complete()   # re-fits the popup to these results, not the last
        return list(self._choices)

    def volunteer_id(self) -> int | None:
        """The chosen volunteer: a completion picked, an exact number, or the only match."""
        text = self.text().strip()
        if not text:
            return None
        if text in self._choices:
            return self._choices[text]
        token = text.split()[0]
        rows = self._find(token)
        exact = [r for r in rows if r.number.upper() == token.upper()]
        if exact:
            return exact[0].id
        return rows[0].id if len(rows) == 1 else None


class ManualHoursDialog(QDialog):
    """补录: hours served without a scan, for one activity; pending until approved.

    Signals:
        saved(int): the new record's id.
    """

    saved = Signal(int)

    def __init__(self, activity: ActivityRecord, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ManualHoursDialog")
        self.setStyleSheet(STYLE)
        self.activity = activity
        self.setWindowTitle(self.tr("Add manual hours: %1").replace("%1", activity.name))
        self.volunteer = VolunteerPicker(self)
        self.starts_at = QDateTimeEdit(self)
        self.ends_at = QDateTimeEdit(self)
        for edit in (self.starts_at, self.ends_at):
            edit.setDisplayFormat("yyyy-MM-dd HH:mm")
            edit.setCalendarPopup(True)
        self.starts_at.setDateTime(to_qdatetime(activity.starts_at))
        end = min(activity.ends_at, dt.datetime.now().replace(second=0, microsecond=0))
        self.ends_at.setDateTime(to_qdatetime(max(end, activity.starts_at)))
        self.content = QPlainTextEdit(self)
        self.content.setPlaceholderText(self.tr("What the volunteer did"))
        self.content.setFixedHeight(80)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        inputs: dict[str, QWidget] = {"volunteer": self.volunteer, "started_at": self.starts_at,
                                      "ended_at": self.ends_at, "content": self.content}
        titles = {"volunteer": self.tr("Volunteer"), "started_at": self.tr("Started at"),
                  "ended_at": self.tr("Ended at"), "content": self.tr("Service content")}
        labels: dict[str, QLabel] = {}
        when = QLabel(self.tr("Activity time: %1 – %2").replace(
            "%1", f"{activity.starts_at:%Y-%m-%d %H:%M}").replace(
            "%2", f"{activity.ends_at:%Y-%m-%d %H:%M}"))
        form.addRow(when)
        for name, widget in inputs.items():
            form.addRow(titles[name], widget)
            labels[name] = QLabel(self)
            form.addRow("", labels[name])
        general = QLabel(self)
        self.errors = FieldErrors(inputs, labels, general)
        self.done_label = QLabel(self)
        self.done_label.setObjectName("done")
        self.done_label.setWordWrap(True)
        self.done_label.setStyleSheet("color: #2e7d32")
        self.done_label.hide()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(general)
        layout.addWidget(self.done_label)
        layout.addWidget(self.buttons)
        self.resize(520, self.sizeHint().height())

    def save(self) -> service_records.RecordRow | None:
        self.errors.clear()
        volunteer_id = self.volunteer.volunteer_id()
        if volunteer_id is None:
            self.errors.show({"volunteer": self.tr(
                "Choose a volunteer from the list or type a volunteer number.")})
            return None
        try:
            row = service_records.add_manual(
                volunteer_id, self.activity.id, from_qdatetime(self.starts_at.dateTime()),
                from_qdatetime(self.ends_at.dateTime()), self.content.toPlainText())
        except FormErrors as exc:
            self.errors.show(exc.errors)
            return None
        except ValidationError as exc:
            field = "volunteer" if exc.field.startswith("volunteer") else exc.field
            self.errors.show({field: exc.message})
            return None
        except NotFoundError as exc:
            self.errors.show({"volunteer": str(exc)})
            return None
        self._confirm(row)
        self.saved.emit(row.id)
        return row

    def _confirm(self, row: service_records.RecordRow) -> None:
        """Say what was saved and stay open for the next person: 补录 comes in batches
        from a paper sign-in sheet. The times stay; the person and the content clear."""
        self.done_label.setText(self.tr("Saved: %1 %2, %3, pending approval. Enter the next "
                                        "person, or close.")
                                .replace("%1", row.volunteer_number)
                                .replace("%2", row.volunteer_name)
                                .replace("%3", format_minutes(row.minutes)))
        self.done_label.show()
        self.volunteer.clear()
        self.content.clear()
        self.errors.clear()
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Close"))
        self.volunteer.setFocus(Qt.FocusReason.OtherFocusReason)


class ReasonDialog(QDialog):
    """Asks for a reason and hands it to `apply`; a user error stays in the dialog.

    Args:
        apply: does the work with the reason; may raise ValidationError / FormErrors,
            shown under the field, or anything else, shown as an error box.
    """

    def __init__(self, title: str, prompt: str, apply: Callable[[str], object],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ReasonDialog")
        self.setStyleSheet(STYLE)
        self.setWindowTitle(title)
        self.apply = apply
        self.result_value: object = None
        self.reason = QLineEdit(self)
        self.reason.setMaxLength(200)
        error = QLabel(self)
        self.errors = FieldErrors({"reason": self.reason}, {"reason": error}, QLabel(self))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        prompt_label = QLabel(prompt, self)
        prompt_label.setWordWrap(True)
        layout.addWidget(prompt_label)
        layout.addWidget(self.reason)
        layout.addWidget(error)
        layout.addWidget(self.errors.general)
        layout.addWidget(self.buttons)
        self.resize(420, self.sizeHint().height())

    def submit(self) -> bool:
        self.errors.clear()
        try:
            self.result_value = self.apply(self.reason.text())
        except FormErrors as exc:
            self.errors.show({k if k == "reason" else "": v for k, v in exc.errors.items()})
            return False
        except ValidationError as exc:
            self.errors.show({"reason" if exc.field == "reason" else "": exc.message})
            return False
        except Exception as exc:
            self.reject()
            show_error(self.parentWidget(), exc)
            return False
        self.accept()
        return True
