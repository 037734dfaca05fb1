"""An editing dialog with a message under each field (the organization and project forms).

`FormDialog` places the service's refusals: each message under its field (`error_labels`,
the field's widget in `inputs` marked invalid), what has no field in `form_message`, focus to
the first bad field in `field_order`. It asks before discarding changes
(`ConfirmDiscardDialog`).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel, QWidget

from app.ui.common.confirm_discard import ConfirmDiscardDialog


class FormDialog(ConfirmDiscardDialog):
    """A subclass fills `inputs`, `error_labels`, `form_message` and names `field_order`."""

    field_order: tuple[str, ...] = ()
    inputs: dict[str, QWidget]
    error_labels: dict[str, QLabel]
    form_message: QLabel

    def clear_errors(self) -> None:
        for name in self.error_labels:
            self._set_error(name, "")
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
                unplaced.append(message)
        self._errors_placed(errors)
        if unplaced:
            self.form_message.setText("\n".join(unplaced))
            self.form_message.show()
        first = next((n for n in self.field_order if n in errors), None)
        if first is not None:
            self.inputs[first].setFocus(Qt.FocusReason.OtherFocusReason)

    def _errors_placed(self, errors: dict[str, str]) -> None:
        """After the field messages are shown: a form may reveal more (a reason to give)."""

    def error_text(self, name: str) -> str:
        label = self.error_labels[name]
        return label.text() if label.isVisibleTo(self) else ""

    def _clear_error(self, name: str) -> None:
        if name in self.error_labels and self.error_labels[name].text():
            self._set_error(name, "")

    def _set_error(self, name: str, message: str) -> None:
        label = self.error_labels[name]
        label.setProperty("role", "error")
        label.setText(message)
        label.setVisible(bool(message))
        self._repolish(label)
        if message:
            QTimer.singleShot(0, self._grow)
        widget = self.inputs[name]
        if bool(widget.property("invalid")) != bool(message):
            widget.setProperty("invalid", bool(message))
            self._repolish(widget)

    def _grow(self) -> None:
        """Make room for messages that appeared (the dialog never shrinks under the user)."""
        wanted = self.sizeHint().height()
        if wanted > self.height():
            self.resize(self.width(), wanted)

    @staticmethod
    def _repolish(widget: QWidget) -> None:
        widget.style().unpolish(widget)
        widget.style().polish(widget)
