"""A register file opened at the last start and missing now (a share offline) is not
silently replaced by a new empty one: the desk is asked, and may try again, create one or
stop. A file never opened before (a first start, a new demo file) is created as always."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from app.services import register as register_service
from app.ui import desk_settings
from app.ui.application import confirm_missing_register, open_or_explain


def answer(label: str, before=None) -> list[str]:
    """Click the button named `label` on the next message box; returns the texts seen."""
    seen: list[str] = []

    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, click)
            return
        seen.append(box.text())
        if before is not None:
            before()
        for button in box.buttons():
            if button.text() == label:
                button.click()
                return
        box.reject()

    QTimer.singleShot(0, click)
    return seen


def test_opening_remembers_the_file_and_a_new_file_is_created_without_a_question(qapp,
                                                                                  tmp_path):
    target = tmp_path / "first.sqlite3"
    try:
        assert open_or_explain(str(target))
    finally:
        register_service.close()
    assert target.exists()
    assert desk_settings.LAST_OPENED.get() == str(target.resolve())


def test_a_vanished_register_is_asked_about(qapp, tmp_path):
    gone = tmp_path / "share" / "yilian.sqlite3"
    desk_settings.LAST_OPENED.set(str(gone.resolve()))
    seen = answer("Close")
    assert not confirm_missing_register(str(gone))
    assert seen and str(gone) in seen[0] and "not there" in seen[0]
    assert not gone.exists()

    answer("Create an empty register there")
    assert confirm_missing_register(str(gone))

    def reconnect() -> None:  # the share comes back while the question is open
        gone.parent.mkdir()
        gone.write_bytes(b"")

    answer("Try again", before=reconnect)
    assert confirm_missing_register(str(gone))


def test_a_file_never_opened_here_is_not_asked_about(qapp, tmp_path):
    desk_settings.LAST_OPENED.set(str(tmp_path / "other.sqlite3"))
    assert confirm_missing_register(str(tmp_path / "demo.sqlite3"))
    assert confirm_missing_register("postgresql://desk@127.0.0.1:1/none")
    assert Path(tmp_path / "demo.sqlite3").exists() is False
