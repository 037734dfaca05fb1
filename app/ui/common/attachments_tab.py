"""The 附件 tab of an organization or a project: files attached to it.

添加… copies the chosen file beside the register (the area's `attach`); 打开 checks the copy
against its recorded hash (`path_for`) and hands it to the desktop. A copy that is missing or
changed is shown in red with the service's Chinese reason. Both areas store their files
through app/services/common/attachments.py; the tab takes their three service functions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.common.attachments import DocumentLine
from app.ui import desk_settings
from app.ui.common.errors import show_error
from app.ui.common.row_table import Col, RowsModel, table_view


@dataclass(frozen=True)
class Attachment:
    line: DocumentLine
    problem: str  # "" when the stored copy matches its hash


def size_text(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def local_time(utc: dt.datetime) -> str:
    return utc.replace(tzinfo=dt.UTC).astimezone().strftime("%Y-%m-%d %H:%M")


class AttachmentsTab(QWidget):
    """The files of one owner (an organization, a project), given the area's service calls:
    `attach(owner_id, path, title, kind)`, `documents(owner_id)`, `path_for(document_id)` (the
    full hash check, on opening) and `problem(document_id)` (a quick word for the list).
    With `kinds`, the kind of the next file is an editable list of suggestions; without, a
    free text.

    Signals:
        changed(): a file was attached.
    """

    changed = Signal()

    def __init__(self, attach: Callable[[int, Path, str, str], DocumentLine],
                 documents: Callable[[int], list[DocumentLine]],
                 path_for: Callable[[int], Path], problem: Callable[[int], str],
                 parent: QWidget | None = None, kinds: Sequence[str] | None = None) -> None:
        super().__init__(parent)
        self._attach, self._documents, self._path_for = attach, documents, path_for
        self._problem = problem
        self.owner_id: int | None = None
        self.model: RowsModel[Attachment] = RowsModel([
            Col(self.tr("Title"), lambda a: a.line.title),
            Col(self.tr("Kind"), lambda a: a.line.kind),
            Col(self.tr("File"), lambda a: a.line.file_name),
            Col(self.tr("Size"), lambda a: size_text(a.line.size), True),
            Col(self.tr("Added"), lambda a: local_time(a.line.added_at)),
            Col(self.tr("By"), lambda a: a.line.actor),
            Col(self.tr("Check"), lambda a: a.problem or self.tr("OK"))], self,
            flagged=lambda a: bool(a.problem))
        self.view = table_view(self.model, self)
        self.view.setObjectName("documents")
        self.view.doubleClicked.connect(lambda _i: self.open_current())
        self.kind: QLineEdit | QComboBox
        if kinds is None:
            self.kind = QLineEdit(self)
            self.kind.setPlaceholderText(self.tr("Kind of the next file (e.g. charter)"))
        else:
            self.kind = QComboBox(self)
            self.kind.setEditable(True)
            self.kind.addItems(["", *kinds])
            self.kind.setToolTip(self.tr("Kind of the next file"))
        self.kind.setObjectName("document_kind")
        self.add_button = QPushButton(self.tr("Add…"), self)
        self.add_button.clicked.connect(self.ask_attach)
        self.open_button = QPushButton(self.tr("Open"), self)
        self.open_button.clicked.connect(self.open_current)
        row = QHBoxLayout()
        row.addWidget(self.kind, 1)
        row.addWidget(self.add_button)
        row.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(row)

    def show_owner(self, owner_id: int) -> None:
        """List the owner's files with a quick check of each copy (there, and the size it
        had); the full hash check waits until a file is opened, so showing a record never
        reads every attachment from disk."""
        self.owner_id = owner_id
        rows = [Attachment(line, self._problem(line.id)) for line in self._documents(owner_id)]
        self.model.set_rows(rows)
        self.view.resizeColumnsToContents()

    def ask_attach(self) -> None:
        if self.owner_id is None:
            return
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Attach a file"),
                                              desk_settings.LAST_FOLDER.get())
        if path:
            desk_settings.LAST_FOLDER.set(str(Path(path).parent))
            self.attach(Path(path))

    def attach(self, path: Path, title: str = "") -> DocumentLine | None:
        """Copy `path` into the register's attachments for the owner on show."""
        if self.owner_id is None:
            return None
        kind = self.kind.text() if isinstance(self.kind, QLineEdit) else self.kind.currentText()
        try:
            line = self._attach(self.owner_id, path, title, kind)
        except Exception as exc:
            show_error(self, exc)
            return None
        if isinstance(self.kind, QLineEdit):
            self.kind.clear()
        else:
            self.kind.setCurrentIndex(0)
        self.changed.emit()
        return line

    def open_current(self) -> bool:
        row = self.model.row(self.view.currentIndex().row())
        if row is None:
            return False
        try:
            path = self._path_for(row.line.id)
        except Exception as exc:
            show_error(self, exc)
            return False
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
