"""Small dialogs of the organization area, built from a list of fields.

Every record the detail panel adds (a move of either machine, a review, an agreement, an
inspection, a credit-list entry, a rating, …) is a handful of typed values passed to one
service call. `FieldDialog` lays the fields out, reads them, runs the call, and shows what
the service refuses in Chinese: a `ValidationError`/`FormErrors` under its field when the
field is on the form, anything else (an `IllegalTransition`, a conflict) in the red line
above the buttons. Nothing closes until the call succeeded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
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

from app.domain.errors import FormErrors, ValidationError
from app.domain.transitions import IllegalTransition
from app.ui.common.errors import show_error, user_message
from app.ui.common.service_text import shown
from app.ui.orgs.editor import from_qdate, parse_yuan, setup_date_edit, to_qdate

TEXT, MULTILINE, DATE, OPTIONAL_DATE, NUMBER, SCORE, MONEY, CHOICE = (
    "text", "multiline", "date", "optional_date", "number", "score", "money", "choice")


@dataclass(frozen=True)
class Field:
    """One input: `name` is the keyword the service takes (and the field its errors name).

    Attributes:
        kind: TEXT, MULTILINE, DATE (required, defaults to `default` or today),
            OPTIONAL_DATE, NUMBER (an int in `minimum`..`maximum`), SCORE (a decimal, may be
            empty), MONEY (元 typed, fen returned), CHOICE (`choices`: (label, value)).
    """

    name: str
    label: str
    kind: str = TEXT
    default: Any = None
    choices: Sequence[tuple[str, Any]] = field(default_factory=tuple)
    minimum: int = 0
    maximum: int = 1_000_000
    placeholder: str = ""
    aliases: tuple[str, ...] = ()  # other field names the service may use for this input


class FieldDialog(QDialog):
    """Ask for `fields`, then run `action(values)`; refusals stay in the dialog.

    Signals:
        succeeded(object): the service's result, after which the dialog closes.
    """

    succeeded = Signal(object)

    def __init__(self, parent: QWidget | None, title: str, summary: str,
                 fields: Sequence[Field], action: Callable[[dict[str, Any]], object]) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.action = action
        self.fields = {f.name: f for f in fields}
        self.inputs: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        layout = QVBoxLayout(self)
        if summary:
            note = QLabel(summary, self)
            note.setObjectName("summary")
            note.setWordWrap(True)
            layout.addWidget(note)
        self.form = QFormLayout()
        layout.addLayout(self.form)
        for spec in fields:
            widget = self._make(spec)
            widget.setObjectName(spec.name)
            self.inputs[spec.name] = widget
            error = QLabel(self)
            error.setObjectName(f"{spec.name}_error")
            error.setWordWrap(True)
            error.setStyleSheet("color: #c62828")
            error.hide()
            self.errors[spec.name] = error
            box = QVBoxLayout()
            box.setSpacing(1)
            box.addWidget(widget)
            box.addWidget(error)
            self.form.addRow(spec.label, box)
        self.message = QLabel(self)
        self.message.setObjectName("error")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #c62828")
        self.message.hide()
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(max(self.sizeHint().width(), 440), self.sizeHint().height())

    def _make(self, spec: Field) -> QWidget:
        if spec.kind == MULTILINE:
            edit = QPlainTextEdit(self)
            edit.setTabChangesFocus(True)
            edit.setMaximumHeight(80)
            edit.setPlainText(str(spec.default or ""))
            return edit
        if spec.kind in (DATE, OPTIONAL_DATE):
            date = QDateEdit(self)
            setup_date_edit(date, empty=spec.kind == OPTIONAL_DATE)
            default = spec.default if spec.kind == OPTIONAL_DATE else (
                spec.default or dt.date.today())
            if default is not None:
                date.setDate(to_qdate(default))
            elif spec.kind == OPTIONAL_DATE:
                date.calendarWidget().setCurrentPage(dt.date.today().year,
                                                     dt.date.today().month)
            return date
        if spec.kind == NUMBER:
            spin = QSpinBox(self)
            spin.setRange(spec.minimum, spec.maximum)
            spin.setValue(int(spec.default or spec.minimum))
            return spin
        if spec.kind == CHOICE:
            combo = QComboBox(self)
            for text, _value in spec.choices:
                combo.addItem(text)
            combo.setCurrentIndex(self._choice_index(spec, spec.default))
            return combo
        line = QLineEdit(self)
        line.setPlaceholderText(spec.placeholder)
        if spec.default is not None:
            line.setText(str(spec.default))
        return line

    @staticmethod
    def _choice_index(spec: Field, value: Any) -> int:
        """Choices are kept as Python values (Qt would turn an enum into a plain str)."""
        return next((n for n, (_t, v) in enumerate(spec.choices) if v == value), 0)

    # -- reading -----------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        """The typed values, converted; a value that cannot be read raises ValidationError
        on its field."""
        out: dict[str, Any] = {}
        for name, spec in self.fields.items():
            widget = self.inputs[name]
            if isinstance(widget, QPlainTextEdit):
                out[name] = widget.toPlainText().strip()
            elif isinstance(widget, QDateEdit):
                out[name] = from_qdate(widget.date())
            elif isinstance(widget, QSpinBox):
                out[name] = widget.value()
            elif isinstance(widget, QComboBox):
                index = widget.currentIndex()
                out[name] = spec.choices[index][1] if 0 <= index < len(spec.choices) else None
            elif isinstance(widget, QLineEdit):
                out[name] = self._read_line(spec, widget.text())
        return out

    def _read_line(self, spec: Field, text: str) -> Any:
        if spec.kind == MONEY:
            try:
                return parse_yuan(text) or 0
            except ValueError:
                raise ValidationError(spec.name, self.tr(
                    "Type the amount in yuan, e.g. 5000 or 5000.50.")) from None
        if spec.kind == SCORE:
            if not text.strip():
                return None
            try:
                score = Decimal(text.strip())
            except InvalidOperation:
                raise ValidationError(spec.name, self.tr(
                    "Type the score as a number, e.g. 86.5.")) from None
            if not score.is_finite() or not 0 <= score <= 1000:
                raise ValidationError(spec.name, self.tr("The score is out of range."))
            return score
        return text.strip()

    def set_value(self, name: str, value: Any) -> None:
        """Fill one input (tests, and dialogs that prefill from the record)."""
        widget = self.inputs[name]
        if isinstance(widget, QPlainTextEdit):
            widget.setPlainText(str(value))
        elif isinstance(widget, QDateEdit):
            widget.setDate(to_qdate(value) if isinstance(value, dt.date) else QDate())
        elif isinstance(widget, QSpinBox):
            widget.setValue(int(value))
        elif isinstance(widget, QComboBox):
            widget.setCurrentIndex(self._choice_index(self.fields[name], value))
        elif isinstance(widget, QLineEdit):
            widget.setText(str(value))

    # -- errors and submitting ---------------------------------------------------------

    def clear_errors(self) -> None:
        for label in self.errors.values():
            label.clear()
            label.hide()
        self.message.clear()
        self.message.hide()

    def error_text(self, name: str | None = None) -> str:
        """The message at field `name`, or the dialog's own line when None."""
        label = self.message if name is None else self.errors[name]
        return label.text() if not label.isHidden() else ""

    def _field_of(self, name: str) -> str | None:
        if name in self.fields:
            return name
        return next((f.name for f in self.fields.values() if name in f.aliases), None)

    def show_errors(self, errors: dict[str, str]) -> None:
        self.clear_errors()
        loose = []
        for name, text in errors.items():
            target = self._field_of(name)
            if target is None:
                loose.append(shown(text))
            else:
                self.errors[target].setText(shown(text))
                self.errors[target].show()
        if loose:
            self.message.setText("\n".join(loose))
            self.message.show()

    def submit(self) -> bool:
        """Run the service call; True if it succeeded (and the dialog closed)."""
        self.clear_errors()
        try:
            result = self.action(self.values())
        except FormErrors as exc:
            self.show_errors(exc.errors)
            return False
        except ValidationError as exc:
            self.show_errors({exc.field: exc.message})
            return False
        except IllegalTransition as exc:
            self.show_errors({"": exc.message})
            return False
        except Exception as exc:  # user errors stay here, bugs go to the box
            text = user_message(exc)
            if text is None:
                show_error(self, exc)
            else:
                self.show_errors({"": text})
            return False
        self.succeeded.emit(result)
        self.accept()
        return True


def open_dialog(parent: QWidget, title: str, summary: str, fields: Sequence[Field],
                action: Callable[[dict[str, Any]], object],
                on_success: Callable[[object], None] | None = None) -> FieldDialog:
    """Build, connect and `open()` a FieldDialog (deleted on close)."""
    dialog = FieldDialog(parent, title, summary, fields, action)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if on_success is not None:
        dialog.succeeded.connect(on_success)
    dialog.open()
    return dialog
