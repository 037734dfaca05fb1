"""At the desk: the register locked by another program, and the log file's permissions.

The locked case runs on SQLite (the file lock is the point): another connection holds a
write transaction past the busy timeout; the save fails, the application's exception hook
shows the "busy" message, and the dialog stays open with what was typed, so saving again
once the other program is done stores it.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import peewee
import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from app.services.hours import activities
from app.store.db import bound, make_database
from app.store.migrations import migrate
from app.ui.common import errors
from app.ui.hours.activity_dialog import ActivityDialog


def open_boxes() -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets()
            if isinstance(w, QMessageBox) and w.isVisible()]


@pytest.fixture
def sqlite_register(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "desk.sqlite3"
    with bound(make_database(path)) as db:
        db.connect()
        migrate()
        yield path
    QApplication.processEvents()


def test_locked_register_keeps_the_dialog_and_its_data(qtbot: QtBot, sqlite_register: Path,
                                                        tmp_path: Path) -> None:
    dialog = ActivityDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.name.setText("社区义诊")
    dialog.place.setText("街道服务中心")
    other = sqlite3.connect(sqlite_register, timeout=0, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another desk in a long write
    try:
        with qtbot.capture_exceptions() as raised:
            dialog.buttons.accepted.emit()  # waits out the busy timeout (10 s)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert len(raised) == 1
    kind, exc, tb = raised[0]
    assert isinstance(exc, peewee.OperationalError)
    errors.excepthook(kind, exc, tb)  # what the installed hook does with it
    boxes = open_boxes()
    assert len(boxes) == 1 and "busy" in boxes[0].text()
    dialog.grab().save(str(tmp_path / "locked-dialog.png"))
    boxes[0].close()
    assert dialog.isVisible()
    assert (dialog.name.text(), dialog.place.text()) == ("社区义诊", "街道服务中心")
    assert activities.page(0, 10) == []
    dialog.buttons.accepted.emit()  # the other program is done: the same form saves
    assert [a.name for a in activities.page(0, 10)] == ["社区义诊"]
    assert not dialog.isVisible()


def test_the_log_is_owner_only(tmp_path: Path) -> None:
    folder = tmp_path / "data" / "Yilian"
    root = logging.getLogger()
    before = list(root.handlers)
    try:
        path = errors.setup_logging(folder)
        logging.getLogger("test").warning("身份证号码不应被别人读到")
    finally:
        for handler in root.handlers[:]:
            if handler not in before:
                root.removeHandler(handler)
                handler.close()
    assert path.stat().st_mode & 0o777 == 0o600
    assert folder.stat().st_mode & 0o777 == 0o700
    assert (folder.parent.stat().st_mode & 0o777) == 0o700  # created here, by Yilian
