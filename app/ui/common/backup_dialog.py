"""File → Back up the register… and File → Restore from a backup…

A backup runs on a worker thread (SQLite's online backup lets every page keep working). A
restore is checked on a worker first and shown in `RestoreDialog`; only after the user
confirms is it run, on the GUI thread, because it closes and reopens this thread's
connection and replaces the file under it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QThreadPool, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.common import backup, restore
from app.services.common.backup import BackupResult
from app.services.common.restore import Inspection, RestoreResult
from app.ui import desk_settings
from app.ui.common.errors import message_box, show_error
from app.ui.common.worker import Task, TaskState, run_task


def size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    return f"{max(size, 1) / 1024:.0f} KB"


def local_time(utc: dt.datetime | None) -> str:
    """A naive UTC time as this desk's local time, to the minute."""
    if utc is None:
        return "—"
    return utc.replace(tzinfo=dt.UTC).astimezone().strftime("%Y-%m-%d %H:%M")


def _failed(parent: QWidget, exc: BaseException) -> None:
    show_error(parent, exc)


def last_backup_text() -> str:
    """When the register was last backed up, local time; "" if never."""
    last = backup.last_backup_at()
    return local_time(last) if last else ""


def run_due() -> BackupResult | None:
    """The scheduled backup if it is due (for a worker thread)."""
    return backup.run_due()


def backup_now(parent: QWidget, path: str | None = None,
               on_done: Callable[[BackupResult], object] | None = None) -> Task | None:
    """Ask for the file (unless given), back up on a worker, then say where and how big."""
    if path is None:
        folder = desk_settings.LAST_FOLDER.get() or str(backup.backup_folder())
        name = f"yilian-{dt.datetime.now():%Y%m%d-%H%M}{backup.EXTENSION}"
        path, _f = QFileDialog.getSaveFileName(
            parent, QCoreApplication.translate("Backup", "Back up the register"),
            str(Path(folder) / name),
            QCoreApplication.translate("Backup", "Yilian backup (*.ylbak)"))
        if not path:
            return None
        desk_settings.LAST_FOLDER.set(str(Path(path).parent))
    target = Path(path)
    if not target.suffix:
        target = target.with_suffix(backup.EXTENSION)

    def job(state: TaskState) -> BackupResult:
        return backup.create(target, state)

    def done(result: object) -> None:
        assert isinstance(result, BackupResult)
        if on_done is not None:
            on_done(result)
        text = QCoreApplication.translate(
            "Backup", "The register was backed up to %1 (%2, %3 attached files).")
        message_box(parent, QMessageBox.Icon.Information,
                    QCoreApplication.translate("Backup", "Backup"),
                    text.replace("%1", str(result.path)).replace("%2", size_text(result.size))
                    .replace("%3", str(result.files)))

    return run_task(job, parent,
                    QCoreApplication.translate("Backup", "Backing up the register"),
                    on_success=done, on_failure=partial(_failed, parent))


def choose_restore(parent: QWidget, path: str | None = None,
                   on_restored: Callable[[RestoreResult], object] | None = None) -> Task | None:
    """Ask for the backup file (unless given), check it on a worker, then show what it
    holds in a `RestoreDialog` (a child of `parent` while open)."""
    if path is None:
        folder = desk_settings.LAST_FOLDER.get() or str(backup.backup_folder())
        path, _f = QFileDialog.getOpenFileName(
            parent, QCoreApplication.translate("Backup", "Restore from a backup"), folder,
            QCoreApplication.translate("Backup", "Yilian backup (*.ylbak);;All files (*)"))
        if not path:
            return None
    file = Path(path)

    def done(result: object) -> None:
        assert isinstance(result, Inspection)
        dialog = RestoreDialog(result, parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if on_restored is not None:
            dialog.restored.connect(on_restored)
        dialog.open()

    return run_task(lambda _state: restore.inspect(file), parent,
                    QCoreApplication.translate("Backup", "Checking the backup"), on_success=done,
                    on_failure=partial(_failed, parent))


class RestoreDialog(QDialog):
    """What a backup holds and what is wrong with it; Restore replaces the register.

    Signals:
        restored(object): the RestoreResult, after the register was replaced and reopened.
    """

    restored = Signal(object)

    def __init__(self, inspection: Inspection, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.inspection = inspection
        self.setWindowTitle(self.tr("Restore from a backup"))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        seen = inspection
        kind = self.tr("automatic") if seen.automatic else self.tr("made by hand")
        self.created_label = QLabel(f"{local_time(seen.created_at)} ({kind})")
        self.created_label.setObjectName("created_at")
        form.addRow(self.tr("File"), self._wrapped(str(seen.path)))
        form.addRow(self.tr("Backed up at"), self.created_label)
        form.addRow(self.tr("Size"), QLabel(size_text(seen.size)))
        form.addRow(self.tr("Database"), QLabel(
            self.tr("%1, schema version %2, Yilian %3").replace("%1", seen.backend or "—")
            .replace("%2", str(seen.schema_version)).replace("%3", seen.app_version or "—")))
        form.addRow(self.tr("Attached files"), QLabel(str(seen.files)))
        layout.addLayout(form)
        self.counts = QTableWidget(0, 2, self)
        self.counts.setObjectName("counts")
        self.counts.setHorizontalHeaderLabels([self.tr("Records"), self.tr("Count")])
        self.counts.verticalHeader().hide()
        self.counts.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        tables = (
            ("volunteer", self.tr("Volunteers")), ("activity", self.tr("Activities")),
            ("service_record", self.tr("Service records")),
            ("points_entry", self.tr("Points entries")),
            ("organization", self.tr("Social organizations")),
            ("project", self.tr("Service projects")),
            ("org_document", self.tr("Organization documents")),
            ("project_document", self.tr("Project documents")),
            ("audit_log", self.tr("Audit log entries")),
        )
        for table, label in tables:
            if table in seen.counts:
                row = self.counts.rowCount()
                self.counts.insertRow(row)
                self.counts.setItem(row, 0, QTableWidgetItem(label))
                number = QTableWidgetItem(str(seen.counts[table]))
                number.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                        | Qt.AlignmentFlag.AlignVCenter)
                self.counts.setItem(row, 1, number)
        self.counts.resizeColumnsToContents()
        self.counts.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.counts, 1)
        self.counts.setVisible(self.counts.rowCount() > 0)
        self.problems = QLabel("\n".join(seen.problems))
        self.problems.setObjectName("problems")
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #d32f2f")
        self.problems.setVisible(bool(seen.problems))
        layout.addWidget(self.problems)
        self.note = QLabel(self.tr(
            "Restoring replaces the register and its attachments with this backup. The "
            "register as it is now is backed up first and its file is kept beside it. Other "
            "desks must close Yilian first.") if seen.ok else self.tr(
            "This backup cannot be restored; the register has not been changed."))
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        self.buttons = QDialogButtonBox(self)
        self.restore_button = self.buttons.addButton(
            self.tr("Restore"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button.setObjectName("restore_button")
        self.restore_button.setEnabled(seen.ok)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.run_restore)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(560, 520 if self.counts.rowCount() else 260)

    def _wrapped(self, text: str) -> QLabel:
        label = QLabel(text)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def run_restore(self) -> RestoreResult | None:
        """Replace the register now (on this thread, after background jobs finished)."""
        QThreadPool.globalInstance().waitForDone()
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            result = restore.restore(self.inspection.path)
        except Exception as exc:  # shown to the user; the register is as it was
            QGuiApplication.restoreOverrideCursor()
            show_error(self, exc)
            return None
        QGuiApplication.restoreOverrideCursor()
        self.restored.emit(result)
        self.accept()
        return result
