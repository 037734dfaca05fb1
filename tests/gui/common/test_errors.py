"""Errors: what the user can fix gets its message; a bug is logged and shown once."""

from __future__ import annotations

import logging
import sqlite3

import peewee
import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from app.domain.errors import DuplicateError, FormErrors, ValidationError
from app.ui.common import errors


def open_boxes() -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets()
            if isinstance(w, QMessageBox) and w.isVisible()]


@pytest.fixture(autouse=True)
def _close_boxes(qapp):
    yield
    for box in open_boxes():
        box.close()
    errors._shown_bugs.clear()


def test_user_messages_are_the_services_chinese_sentences(qapp):
    assert errors.user_message(ValidationError("phone", "请填写手机号码")) == "请填写手机号码"
    duplicate = DuplicateError("该证件号码已登记", "V00000001")
    assert errors.user_message(duplicate) == "该证件号码已登记"
    assert errors.user_message(FormErrors({"name": "请填写姓名"})) == "请填写姓名"
    locked = peewee.OperationalError(sqlite3.OperationalError("database is locked"))
    assert errors.user_message(locked)
    assert errors.user_message(KeyError("bug")) is None


def test_a_bug_is_logged_with_traceback_and_shown_once(qapp, caplog):
    def fail() -> None:
        raise RuntimeError("boom")

    for _ in range(2):
        try:
            fail()
        except RuntimeError as exc:
            with caplog.at_level(logging.ERROR):
                errors.excepthook(type(exc), exc, exc.__traceback__)
    assert len([r for r in caplog.records if r.exc_info]) == 2   # logged both times
    boxes = open_boxes()
    assert len(boxes) == 1                                       # shown once
    assert "RuntimeError: boom" in boxes[0].text()


def test_a_user_error_reaching_the_hook_shows_its_message(qapp):
    exc = ValidationError("reason", "请填写原因")
    errors.excepthook(type(exc), exc, None)
    assert [b.text() for b in open_boxes()] == ["请填写原因"]


def test_log_file_is_written(tmp_path):
    path = errors.setup_logging(tmp_path / "logs")
    try:
        logging.getLogger("app.test").error("written to the file")
        for handler in logging.getLogger().handlers:
            handler.flush()
        assert "written to the file" in path.read_text("utf-8")
    finally:
        root = logging.getLogger()
        for handler in list(root.handlers):
            if getattr(handler, "baseFilename", "") == str(path):
                root.removeHandler(handler)
                handler.close()


def test_a_file_that_cannot_be_used_is_explained_in_the_interface_language(qapp, tmp_path):
    """The operating system words its reason in English; the message gives its own."""
    missing = tmp_path / "没有这个文件夹" / "导出.xlsx"
    with pytest.raises(OSError) as gone:
        missing.write_bytes(b"")
    text = errors.user_message(gone.value)
    assert text == f"The file could not be used: {missing} (the file or folder does not exist)"
    with pytest.raises(OSError) as folder:
        tmp_path.write_bytes(b"")  # a folder, not a file
    assert errors.user_message(folder.value).endswith("(it is a folder, not a file)")
    other = OSError(5, "Input/output error", str(missing))  # no sentence of ours: as given
    assert errors.user_message(other).endswith("(Input/output error)")
