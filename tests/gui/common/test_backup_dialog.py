"""File → Back up / Restore in the main window, the restore dialog and the Backups page of
the settings, on real registers (SQLite and PostgreSQL)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QMessageBox

from app.services.common import backup, settings
from app.store.models import Volunteer
from app.ui.common import backup_dialog
from app.ui.common.backup_dialog import RestoreDialog
from app.ui.main_window import MainWindow
from app.ui.settings_dialog import SettingsDialog

SHOTS = os.environ.get("YILIAN_SHOTS")  # a folder to save screenshots into, when set


@pytest.fixture(autouse=True)
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data-home"))


def shot(widget, name: str) -> None:
    if SHOTS:
        widget.grab().save(str(Path(SHOTS) / f"{name}.png"))


def finish(qtbot, task) -> None:
    assert task is not None
    qtbot.waitUntil(lambda: task.done, timeout=60_000)


def test_status_bar_shows_the_time_after_a_backup(qtbot, register, tmp_path):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    assert window.backup_label.text() == window.tr("Last backup: %1").replace("%1", "never")
    settings.put(settings.BACKUP_FOLDER, str(tmp_path / "auto"))
    finish(qtbot, window.run_due_backup())
    last = backup.last_backup_at()
    assert last is not None
    assert backup_dialog.local_time(last) in window.backup_label.text()
    assert len(list((tmp_path / "auto").glob("yilian-auto-*-scheduled.ylbak"))) == 1
    shot(window, "main-window-last-backup")


def test_backup_from_the_menu_says_where_and_how_big(qtbot, register, make_volunteer,
                                                     tmp_path):
    make_volunteer()
    window = MainWindow()
    qtbot.addWidget(window)
    finish(qtbot, backup_dialog.backup_now(window, str(tmp_path / "mine"),
                                           on_done=lambda _r: window.show_last_backup()))
    assert (tmp_path / "mine.ylbak").is_file()
    boxes = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    assert boxes and "mine.ylbak" in boxes[-1].text()
    assert "never" not in window.backup_label.text()


def test_restore_dialog_shows_the_check_and_restores(qtbot, register, make_volunteer,
                                                     tmp_path):
    make_volunteer()
    made = backup.create(tmp_path / "save.ylbak")
    make_volunteer(name="李四", id_number="11010519491231002X")
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    finish(qtbot, backup_dialog.choose_restore(window, str(made.path),
                                               on_restored=window.after_restore))
    dialog = window.findChild(RestoreDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.restore_button.isEnabled()
    assert not dialog.problems.isVisible()
    rows = {dialog.counts.item(r, 0).text(): dialog.counts.item(r, 1).text()
            for r in range(dialog.counts.rowCount())}
    assert rows[dialog.tr("Volunteers")] == "1"
    assert dialog.created_label.text().startswith(backup_dialog.local_time(made.created_at))
    shot(dialog, "restore-dialog")
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert Volunteer.select().count() == 1
    assert window.successor is not None
    qtbot.addWidget(window.successor)
    assert window.successor.isVisible() and not window.isVisible()


def test_damaged_backup_cannot_be_restored(qtbot, register, make_volunteer, tmp_path):
    make_volunteer()
    made = backup.create(tmp_path / "save.ylbak")
    made.path.write_bytes(made.path.read_bytes()[:-100])
    window = MainWindow()
    qtbot.addWidget(window)
    finish(qtbot, backup_dialog.choose_restore(window, str(made.path)))
    dialog = window.findChild(RestoreDialog)
    assert dialog is not None
    assert not dialog.restore_button.isEnabled()
    assert dialog.problems.isVisible() and "不完整" in dialog.problems.text()
    shot(dialog, "restore-dialog-damaged")


def test_backup_settings_are_checked_at_their_fields(qtbot, register, tmp_path):
    dialog = SettingsDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    tab = dialog.backup_tab
    assert tab.interval.text() == "24" and tab.keep.text() == "14"
    tab.interval.setText("abc")
    tab.keep.setText("0")
    assert not dialog.save()
    assert dialog.tabs.currentWidget() is tab
    assert tab.errors["backup.interval_hours"].isVisible()
    assert tab.errors["backup.keep"].isVisible()
    shot(dialog, "settings-backups-errors")
    tab.interval.setText("6")
    tab.keep.setText("30")
    tab.findChild(QLineEdit, "backup_folder").setText(str(tmp_path / "kept"))
    assert dialog.save()
    assert settings.get(settings.BACKUP_INTERVAL_HOURS) == 6
    assert settings.get(settings.BACKUP_KEEP) == 30
    assert backup.backup_folder() == tmp_path / "kept"
