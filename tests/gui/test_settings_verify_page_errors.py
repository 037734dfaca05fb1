"""Settings → Generate verification page… when the page cannot be saved: the dialog says so
with the interface's own message for a file that cannot be used (app.ui.common.errors), as
every other GUI export does, not with the operating system's English error text."""

from __future__ import annotations

import errno
from pathlib import Path

from app.services.hours import verify_page
from app.ui.common.errors import user_message
from app.ui.settings_dialog import SettingsDialog


def dialog_shown(qtbot) -> SettingsDialog:
    dialog = SettingsDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.tabs.setCurrentWidget(dialog.certificate_tab)
    return dialog


def test_missing_folder_gets_the_standard_message(qtbot, register, tmp_path):
    dialog = dialog_shown(qtbot)
    target = tmp_path / "missing" / "verify.html"
    assert dialog.write_verify_page(target) is None
    expected = user_message(FileNotFoundError(errno.ENOENT, "No such file or directory",
                                              str(target)))
    assert expected is not None and str(target) in expected
    assert dialog.verify_page_message.text() == expected
    assert not target.parent.exists()


def test_no_permission_is_said_without_the_system_text(qtbot, register, tmp_path,
                                                       monkeypatch):
    """A folder without write permission (which root, running the tests, cannot make):
    the OS raises PermissionError, and the dialog says it in the interface's words."""
    target = tmp_path / "locked" / "verify.html"

    def refuse(path: Path, extra: object = ()) -> Path:
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr(verify_page, "write", refuse)
    dialog = dialog_shown(qtbot)
    assert dialog.write_verify_page(target) is None
    text = dialog.verify_page_message.text()
    assert text == f"No permission to write the file: {target}"
    assert "Permission denied" not in text
