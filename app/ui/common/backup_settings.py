"""The settings dialog's Backups page: how often the register is backed up by itself, how
many automatic backups are kept, and where they go. The checks are the service's
(`backup.check_settings`), so the page and any other caller refuse the same values."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from app.services.common import backup, settings

ERROR_STYLE = "color: #d32f2f"


class BackupSettingsTab(QWidget):
    """Interval (hours, 0 = off), number of automatic backups kept, and the folder."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.interval = QLineEdit(self)
        self.interval.setObjectName("backup_interval")
        self.keep = QLineEdit(self)
        self.keep.setObjectName("backup_keep")
        self.folder = QLineEdit(self)
        self.folder.setObjectName("backup_folder")
        self.errors: dict[str, QLabel] = {}
        browse = QPushButton(self.tr("Browse…"), self)
        browse.clicked.connect(self.browse)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        self.last = QLabel(self)
        self.last.setObjectName("backup_last")
        hint = QLabel(self.tr(
            "The register backs itself up when Yilian starts and while it runs, once the "
            "interval has passed since the last backup, and always before a schema upgrade "
            "and before a restore. Only automatic backups are deleted, oldest first; backups "
            "made with File → Back up the register are kept. Set the interval to 0 to turn "
            "the schedule off."), self)
        hint.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(self.tr("Back up every (hours)"), self.interval)
        form.addRow("", self._error(settings.BACKUP_INTERVAL_HOURS.key))
        form.addRow(self.tr("Automatic backups kept"), self.keep)
        form.addRow("", self._error(settings.BACKUP_KEEP.key))
        form.addRow(self.tr("Backup folder"), row)
        form.addRow("", self._error(settings.BACKUP_FOLDER.key))
        form.addRow(self.tr("Last backup"), self.last)
        form.addRow(hint)

    def _error(self, key: str) -> QLabel:
        label = QLabel(self)
        label.setStyleSheet(ERROR_STYLE)
        label.setWordWrap(True)
        label.hide()
        self.errors[key] = label
        return label

    def load(self) -> None:
        from app.ui.common.backup_dialog import local_time

        self.interval.setText(str(settings.get(settings.BACKUP_INTERVAL_HOURS)))
        self.keep.setText(str(settings.get(settings.BACKUP_KEEP)))
        self.folder.setText(settings.get(settings.BACKUP_FOLDER))
        self.folder.setPlaceholderText(str(backup.backup_folder()))
        last = backup.last_backup_at()
        self.last.setText(local_time(last) if last else self.tr("Never"))

    def browse(self) -> None:
        start = self.folder.text().strip() or str(backup.backup_folder())
        path = QFileDialog.getExistingDirectory(self, self.tr("Backup folder"), start)
        if path:
            self.folder.setText(str(Path(path)))

    def validate(self) -> dict[str, str]:
        """Show each problem at its field; {setting key: message}, empty when all is well."""
        errors = backup.check_settings(self.interval.text(), self.keep.text(),
                                       self.folder.text())
        for key, label in self.errors.items():
            label.setText(errors.get(key, ""))
            label.setVisible(key in errors)
        return errors

    def save(self) -> None:
        backup.put_settings(self.interval.text(), self.keep.text(), self.folder.text())
