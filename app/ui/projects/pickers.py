"""Choosing a record from another register: the contractor among organizations, an activity
to link to a project.

Both search in SQL as the user types (a few matches at a time), so they stay quick at ten
thousand organizations or a city's activities; what was chosen is kept as an id, never as the
text shown.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QObject, QStringListModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.services.hours import activities
from app.services.hours.activities import ActivityRecord
from app.services.orgs import listing as org_listing
from app.services.orgs.listing import OrgFilter, OrgRow
from app.ui.common.row_table import Col, RowsModel, table_view

PICKER_LIMIT = 20
SEARCH_DELAY_MS = 200


def org_choice_text(name: str, code: str) -> str:
    """How a chosen organization reads in the field: its name, then its code if it has one."""
    return f"{name}（{code}）" if code else name


class ContractorCompleter(QObject):
    """Turns a QLineEdit into a searchable picker over the organization register.

    Typing a name fragment, pinyin initials or a credit code lists matching organizations;
    choosing one keeps its id. Editing the text afterwards drops the choice (the field then
    names no organization until one is picked again).

    Signals:
        chosen(object): the organization id picked, or None when the choice was dropped.
    """

    chosen = Signal(object)

    def __init__(self, edit: QLineEdit) -> None:
        super().__init__(edit)
        self.edit = edit
        self.org_id: int | None = None
        self._choices: dict[str, int] = {}
        self._model = QStringListModel(self)
        self.completer = QCompleter(self._model, edit)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setMaxVisibleItems(12)
        self.completer.activated.connect(self.choose_text)  # the str overload
        edit.setCompleter(self.completer)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.update_choices)
        edit.textEdited.connect(self._on_edited)
        edit.editingFinished.connect(self._resolve)

    @staticmethod
    def find(text: str) -> list[OrgRow]:
        return org_listing.page(OrgFilter(text=text), 0, PICKER_LIMIT)

    def update_choices(self) -> list[str]:
        """Search for what is typed now; returns the texts offered."""
        self._timer.stop()
        text = self.edit.text().strip()
        rows = self.find(text) if text else []
        self._choices = {org_choice_text(r.name, r.credit_code): r.id for r in rows}
        self._model.setStringList(list(self._choices))
        if rows and self.edit.hasFocus():
            self.completer.complete()
        return list(self._choices)

    def choose_text(self, text: str) -> None:
        """A completion was picked."""
        org_id = self._choices.get(text)
        if org_id is not None:
            self.set_choice(org_id, text)

    def set_choice(self, org_id: int | None, text: str = "") -> None:
        """Show `org_id` as chosen (loading a record, or a pick)."""
        self.edit.setText(text if org_id is not None else "")
        self._choices = {text: org_id} if org_id is not None else {}
        self._model.setStringList([])  # nothing more to offer until something is typed
        if org_id != self.org_id:
            self.org_id = org_id
            self.chosen.emit(org_id)

    def _on_edited(self, _text: str) -> None:
        if self.org_id is not None:
            self.org_id = None
            self.chosen.emit(None)
        self._timer.start()

    def _resolve(self) -> None:
        """Leaving the field: the text typed exactly as offered (or the only match)."""
        text = self.edit.text().strip()
        if self.org_id is not None or not text:
            return
        if text in self._choices:
            self.set_choice(self._choices[text], text)
            return
        rows = self.find(text)
        if len(rows) == 1:
            self.set_choice(rows[0].id, org_choice_text(rows[0].name, rows[0].credit_code))


def activity_time(record: ActivityRecord) -> str:
    start: dt.datetime = record.starts_at
    return start.strftime("%Y-%m-%d %H:%M")


class ActivityPicker(QDialog):
    """Find a service activity by words of its name, organizer or place, and pick it.

    Signals:
        picked(int): the activity id chosen.
    """

    picked = Signal(int)

    def __init__(self, parent: QWidget | None = None, exclude: set[int] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ActivityPicker")
        self.setWindowTitle(self.tr("Link an activity"))
        self.exclude = exclude or set()
        self.search = QLineEdit(self)
        self.search.setObjectName("activity_search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("Words of the name, organizer or place"))
        self.model: RowsModel[ActivityRecord] = RowsModel([
            Col(self.tr("Activity"), lambda a: a.name),
            Col(self.tr("Starts"), activity_time),
            Col(self.tr("Organizer"), lambda a: a.organizer),
            Col(self.tr("Place"), lambda a: a.place),
            Col(self.tr("Status"), lambda a: a.status_label),
            Col(self.tr("Project"), lambda a: self.tr("linked") if a.project_id else "")], self)
        self.view = table_view(self.model, self)
        self.view.setObjectName("activities")
        self.view.doubleClicked.connect(lambda _i: self.accept_current())
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #c62828")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept_current)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.note)
        layout.addWidget(self.buttons)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.search.returnPressed.connect(self.refresh)
        self.refresh()
        self.resize(760, 420)

    def refresh(self) -> None:
        self._timer.stop()
        rows = activities.page(0, 50, self.search.text())
        self.model.set_rows([r for r in rows if r.id not in self.exclude])
        self.view.resizeColumnsToContents()
        if self.model.rowCount():
            self.view.selectRow(0)

    def accept_current(self) -> bool:
        row = self.model.row(self.view.currentIndex().row())
        if row is None:
            self.note.setText(self.tr("Choose an activity in the list."))
            return False
        self.picked.emit(row.id)
        self.accept()
        return True


def open_activity_picker(parent: QWidget, exclude: set[int]) -> ActivityPicker:
    dialog = ActivityPicker(parent, exclude)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
