"""Start-up of the GUI: the QApplication, translations, logging, the register, the window.

Order matters: the translators are installed before any widget is built (widgets translate
their texts once, when created), logging and the exception hook before the register is
opened (so a failure there is logged), and the window only after the register is open.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app import __version__
from app.services import register
from app.ui import desk_settings
from app.ui.common.errors import install_excepthook, setup_logging, user_message
from app.ui.common.worker import Task, TaskState, run_task
from app.ui.resources import app_icon, install_translators

log = logging.getLogger(__name__)


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m app", description="Yilian (益联) GUI")
    parser.add_argument("--db", help="SQLite file or postgresql:// URL of the register "
                                     "(default: YILIAN_DB, the settings, or the data folder)")
    parser.add_argument("--version", action="version", version=f"yilian {__version__}")
    return parser.parse_known_args(list(argv))[0]


def register_target(args: argparse.Namespace) -> str:
    """--db, then YILIAN_DB, then the register chosen in the settings, then the default."""
    return (args.db or os.environ.get(register.ENV_DB) or desk_settings.REGISTER_TARGET.get()
            or register.default_target())


def _sqlite_file(target: str) -> Path | None:
    return None if register.is_postgres_url(target) else Path(target).expanduser().resolve()


def confirm_missing_register(target: str) -> bool:
    """A register file opened at the last start that is not there now (a shared folder not
    connected, a disk not mounted) is not silently replaced by a new empty one: what staff
    then typed would be split from the real register. Returns whether to open `target`."""
    path = _sqlite_file(target)
    if path is None or path.exists() or desk_settings.LAST_OPENED.get() != str(path):
        return True
    while True:
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            QCoreApplication.translate("Application", "Register not found"),
            QCoreApplication.translate(
                "Application", "The register used last time, %1, is not there. The disk or "
                "shared folder that holds it may not be connected, or the file was moved.")
            .replace("%1", str(path)))
        retry = box.addButton(QCoreApplication.translate("Application", "Try again"),
                              QMessageBox.ButtonRole.AcceptRole)
        create = box.addButton(
            QCoreApplication.translate("Application", "Create an empty register there"),
            QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Close)
        box.setDefaultButton(retry)
        box.exec()  # start-up, before any window: nothing else to keep responsive
        if box.clickedButton() is retry:
            if path.exists():
                return True
            continue
        return box.clickedButton() is create


def open_or_explain(target: str) -> bool:
    """Open the register; on failure explain in Chinese and offer the default file."""
    if not confirm_missing_register(target):
        return False
    try:
        result = register.open(target)
    except Exception as exc:
        log.exception("cannot open register %s", target)
        reason = user_message(exc) or f"{type(exc).__name__}: {exc}"
        default = str(register.default_data_dir() / "yilian.sqlite3")
        box = QMessageBox(
            QMessageBox.Icon.Critical,
            QCoreApplication.translate("Application", "Cannot open the register"),
            QCoreApplication.translate(
                "Application", "The register at %1 cannot be opened:\n%2").replace(
                "%1", target).replace("%2", reason))
        use_default = None
        if target != default:
            use_default = box.addButton(
                QCoreApplication.translate("Application", "Open the default register"),
                QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Close)
        box.exec()  # start-up, before any window: nothing else to keep responsive
        if use_default is not None and box.clickedButton() is use_default:
            return open_or_explain(default)
        return False
    if result.backup is not None:
        log.info("register upgraded from %s to %s; backup %s", result.from_version,
                 result.to_version, result.backup)
    opened = _sqlite_file(target)
    desk_settings.LAST_OPENED.set(str(opened) if opened is not None else "")
    return True


def start_upkeep(today: dt.date | None = None) -> Task | None:
    """Once a day per desk, in the background: close check-outs nobody scanned and expire
    points past their period. Both are idempotent, so a second desk doing the same is
    harmless; failures are logged, not shown, since nobody asked for this work."""
    from app.services.hours import records as service_records
    from app.services.points import ledger as points

    today = today or dt.date.today()
    if desk_settings.UPKEEP_LAST_RUN.get() == today.isoformat():
        return None

    def job(_state: TaskState) -> tuple[int, int]:
        return service_records.close_forgotten(), points.expire_due(today)

    def done(result: object) -> None:
        desk_settings.UPKEEP_LAST_RUN.set(today.isoformat())
        log.info("start-up upkeep: (forgotten check-outs closed, points expired) = %s", result)

    def failed(exc: BaseException) -> None:
        log.error("start-up upkeep failed", exc_info=(type(exc), exc, exc.__traceback__))

    return run_task(job, None, "", on_success=done, on_failure=failed)


class FirstPaint(QObject):
    """Logs "window shown after N ms" (N since `main` began) at the window's first paint:
    what a user waits for, and what bench/bench_startup.py reads from the log."""

    def __init__(self, window: QWidget, started: float) -> None:
        super().__init__(window)
        self.started = started
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            log.info("window shown after %d ms",
                     round((time.perf_counter() - self.started) * 1000))
        return False


def main(argv: Sequence[str] | None = None) -> int:
    started = time.perf_counter()
    argv = list(sys.argv if argv is None else argv)
    args = parse_args(argv[1:])
    QCoreApplication.setOrganizationName(desk_settings.ORGANIZATION)
    QCoreApplication.setApplicationName(desk_settings.APPLICATION)
    QCoreApplication.setApplicationVersion(__version__)
    app = QApplication(argv)
    log_path = setup_logging(register.default_data_dir())
    install_excepthook()
    log.info("Yilian %s starting; log %s", __version__, log_path)
    install_translators(app, desk_settings.LANGUAGE.get())
    if not open_or_explain(register_target(args)):
        return 2
    log.info("register: %s", register.describe())

    from app.ui.main_window import MainWindow

    app.setWindowIcon(app_icon())
    window = MainWindow()
    FirstPaint(window, started)
    window.show()
    QTimer.singleShot(0, window.offer_demo)
    QTimer.singleShot(0, start_upkeep)
    QTimer.singleShot(0, window.start_backup_schedule)
    code = app.exec()
    register.close()
    return int(code)
