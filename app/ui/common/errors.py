"""How the GUI tells people about problems.

Two kinds: errors a user can fix (bad input, duplicate, record changed meanwhile, database
locked or server down) get a plain Chinese message and nothing is lost; anything else is a
bug, logged with its traceback to a rotating log file in the data folder and shown once.
Message boxes open window-modal with `open()`, never `exec()`, so no nested event loop
blocks a test or a background job's callback.
"""

from __future__ import annotations

import errno
import io
import logging
import os
import sys
import traceback
from collections.abc import Callable
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app.domain.errors import (
    ConflictError,
    DuplicateError,
    FormErrors,
    NotFoundError,
    ValidationError,
)
from app.services import register
from app.ui.common.service_text import shown

log = logging.getLogger(__name__)

LOG_NAME = "yilian.log"
_shown_bugs: set[str] = set()
_orphans: set[QMessageBox] = set()
_log_path_holder: list[Path] = []  # the log file, once logging is set up



def setup_logging(folder: Path) -> Path:
    """Log to `folder/yilian.log` (1 MB × 5 files, owner-only: names and numbers of people
    can appear in it); returns the path."""
    register.make_private_folder(folder)
    path = folder / LOG_NAME
    handler = PrivateRotatingFileHandler(path, maxBytes=1_000_000, backupCount=5,
                                         encoding="utf-8")
    handler.setFormatter(logging.Formatter(
        "%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    _log_path_holder[:] = [path]
    return path


class PrivateRotatingFileHandler(RotatingFileHandler):
    """A rotating log whose files are created 0600 (rotation renames, so every file is)."""

    def _open(self) -> io.TextIOWrapper:
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        return open(fd, "a", encoding=self.encoding, errors=self.errors)


def user_message(exc: BaseException) -> str | None:
    """The message for an error the user can act on, or None if it is a bug."""
    if isinstance(exc, ValidationError | DuplicateError):
        return shown(exc.message)
    if isinstance(exc, FormErrors):
        return "\n".join(shown(text) for text in exc.errors.values())
    if isinstance(exc, ConflictError | NotFoundError):
        return shown(str(exc))
    text = register.unreachable_reason(exc)
    if text is not None:
        if text == "locked":
            return QCoreApplication.translate(
                "Errors", "The register is busy (another program is writing to it). "
                "Please try again in a moment.")
        if text == "readonly":
            return QCoreApplication.translate(
                "Errors", "The register is on a read-only disk or file, so nothing was saved. "
                "Move it to a writable place or get write permission.")
        if text == "gone":
            return QCoreApplication.translate(
                "Errors", "The register file is no longer where it was (a network share or "
                "USB disk may have been disconnected), so nothing was saved. Reconnect it and "
                "open the register again.")
        if text == "full":
            return QCoreApplication.translate(
                "Errors", "The disk holding the register is full, so nothing was saved. "
                "Free some space and try again.")
        return QCoreApplication.translate(
            "Errors", "The register cannot be reached: %1\n"
            "Check the network or the database server, then try again.").replace(
                "%1", text)
    if isinstance(exc, PermissionError):
        return QCoreApplication.translate(
            "Errors", "No permission to write the file: %1").replace("%1", str(exc.filename))
    if isinstance(exc, OSError) and exc.filename and exc.errno in (errno.ENOSPC, errno.EFBIG):
        return QCoreApplication.translate(
            "Errors", "The disk is full: %1 could not be written. Nothing was left behind "
            "under that name; free some space or choose another place.").replace(
                "%1", str(exc.filename))
    if isinstance(exc, OSError) and exc.filename:
        return QCoreApplication.translate("Errors", "The file could not be used: %1 (%2)").replace(
            "%1", str(exc.filename)).replace("%2", _file_reason(exc))
    return None


def _file_reason(exc: OSError) -> str:
    """Why a file could not be used, in the interface's language: the operating system's
    own text is English whatever the interface says."""
    match exc.errno:
        case errno.ENOENT:
            return QCoreApplication.translate("Errors", "the file or folder does not exist")
        case errno.EROFS:
            return QCoreApplication.translate("Errors", "the disk is read-only")
        case errno.EISDIR:
            return QCoreApplication.translate("Errors", "it is a folder, not a file")
        case errno.ENOTDIR:
            return QCoreApplication.translate("Errors", "a part of the path is not a folder")
        case errno.ENAMETOOLONG:
            return QCoreApplication.translate("Errors", "the name is too long")
        case errno.EBUSY | errno.ETXTBSY:
            return QCoreApplication.translate("Errors", "another program is using it")
        case _:
            return exc.strerror or str(exc)


def message_box(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str,
                buttons: QMessageBox.StandardButton = QMessageBox.StandardButton.Ok,
                on_finished: Callable[[QMessageBox.StandardButton], None] | None = None,
                ) -> QMessageBox:
    """A message box shown with `open()`; `on_finished` gets the button pressed."""
    box = QMessageBox(icon, title, text, buttons, parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if parent is not None:
        box.setWindowModality(Qt.WindowModality.WindowModal)
    else:  # nothing owns it: keep the Python wrapper (and so the box) alive until closed
        _orphans.add(box)
        box.finished.connect(lambda _code: _orphans.discard(box))
    if on_finished is not None:
        box.finished.connect(
            lambda _code: on_finished(box.standardButton(box.clickedButton())))
    box.open()
    return box


def show_error(parent: QWidget | None, exc: BaseException, title: str = "") -> QMessageBox:
    """Show `exc`: its own message if the user can fix it, else a bug report (logged)."""
    message = user_message(exc)
    if message is not None:
        log.info("user error: %s", message)
        title = title or QCoreApplication.translate("Errors", "Cannot continue")
        return message_box(parent, QMessageBox.Icon.Warning, title, message)
    log.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
    return _bug_box(parent, exc)


def _bug_box(parent: QWidget | None, exc: BaseException) -> QMessageBox:
    where = str(_log_path_holder[0]) if _log_path_holder else \
        QCoreApplication.translate("Errors", "(no log file)")
    text = QCoreApplication.translate(
        "Errors", "Something went wrong that Yilian did not expect. Nothing you saved is "
        "lost.\n\n%1\n\nThe details are in the log file:\n%2").replace(
            "%1", f"{type(exc).__name__}: {exc}").replace("%2", where)
    title = QCoreApplication.translate("Errors", "Unexpected error")
    return message_box(parent, QMessageBox.Icon.Critical, title, text)


def excepthook(kind: type[BaseException], exc: BaseException,
               tb: TracebackType | None) -> None:
    """Uncaught exceptions in slots: user errors get their message; bugs are logged always
    and shown once per distinct error, so one broken repaint does not flood the screen."""
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, exc, tb)
        return
    parent = QApplication.activeWindow()
    if user_message(exc) is not None:
        show_error(parent, exc)
        return
    log.error("uncaught exception", exc_info=(kind, exc, tb))
    key = "".join(traceback.format_exception_only(kind, exc))
    if key in _shown_bugs or QApplication.instance() is None:
        return
    _shown_bugs.add(key)
    _bug_box(parent, exc)


def install_excepthook() -> None:
    sys.excepthook = excepthook
