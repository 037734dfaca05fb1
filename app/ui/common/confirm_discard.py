"""What every editing dialog does on leaving and on a lost race.

`ConfirmDiscardDialog`: Esc or Cancel on a changed form asks before discarding, so no work is
lost by a key. A subclass says what the form holds (`snapshot`) and calls `mark_clean` once
it is loaded or saved. `reload_after_conflict`: another desk saved first; the form reloads
the record and says so.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from app.ui.common.errors import message_box, show_error


class ConfirmDiscardDialog(QDialog):
    """A dialog whose Esc or Cancel asks first when the form changed since `mark_clean`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.message_box: QMessageBox | None = None
        self._initial: object = None

    def snapshot(self) -> object:
        """Everything typed, to tell whether the form changed since it was loaded."""
        raise NotImplementedError

    def mark_clean(self) -> None:
        """The form as it is now is what leaving may drop without asking."""
        self._initial = self.snapshot()

    def is_changed(self) -> bool:
        return self.snapshot() != self._initial

    def discard_question(self) -> str:
        return self.tr("The form has changes that are not saved. Discard them?")

    def reject(self) -> None:
        """Esc or Cancel: ask first when something was typed, so no work is lost by a key."""
        if not self.is_changed():
            super().reject()
            return

        def answered(button: QMessageBox.StandardButton) -> None:
            self.message_box = None
            if button == QMessageBox.StandardButton.Discard:
                self.mark_clean()
                QDialog.reject(self)

        self.message_box = message_box(
            self, QMessageBox.Icon.Question, self.tr("Discard changes?"),
            self.discard_question(),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel, answered)


def reload_after_conflict(dialog: QWidget, text: str, reload: Callable[[], None],
                          title: str) -> QMessageBox | None:
    """Reload the form (`reload`) after a stale save and tell why (`text`, `title`); when
    the reload itself fails, report that error instead. Returns the box shown on success."""
    try:
        reload()
    except Exception as error:  # the reload itself failed: report both
        show_error(dialog, error)
        return None
    return message_box(dialog, QMessageBox.Icon.Warning, title, text)
