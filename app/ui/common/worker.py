"""Long work off the GUI thread.

A job is a plain function `fn(state)` (see app.services.common.progress); this module runs it on
QThreadPool, relays progress to the GUI thread through signals, shows a progress dialog only
when the job lasts, and turns Cancel into `state.is_cancelled()`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from app.services import register
from app.services.common.progress import Cancelled

log = logging.getLogger(__name__)


class TaskState(QObject):
    """The state object a job sees. Thread-safe: signals cross threads queued."""

    progress = Signal(int, int, str)

    def __init__(self) -> None:
        super().__init__()
        self._cancel = threading.Event()

    def set_progress(self, done: int, total: int, message: str = "") -> None:
        self.progress.emit(done, total, message)

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()


class _Signals(QObject):
    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()


class _Runnable(QRunnable):
    def __init__(self, fn: Callable[[TaskState], Any], state: TaskState,
                 signals: _Signals) -> None:
        super().__init__()
        self.fn, self.state, self.signals = fn, state, signals

    def run(self) -> None:
        # peewee gives each thread its own connection; open and close ours here.
        with register.thread_connection():
            try:
                result = self.fn(self.state)
            except Cancelled:
                self.signals.cancelled.emit()
            except Exception as exc:  # reported to the GUI thread, which shows it
                log.exception("background job failed")
                self.signals.failed.emit(exc)
            else:
                self.signals.succeeded.emit(result)


class Task(QObject):
    """One background job with its optional progress dialog.

    Signals:
        succeeded(object): the job's return value.
        failed(object): the exception it raised.
        cancelled(): the user cancelled and the job stopped.
        finished(): after any of the above.
    """

    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    finished = Signal()

    def __init__(self, fn: Callable[[TaskState], Any], parent: QWidget | None = None,
                 title: str = "", show_after_ms: int = 400) -> None:
        super().__init__(parent)
        self.state = TaskState()
        self._signals = _Signals()
        self._signals.succeeded.connect(self._on_succeeded)
        self._signals.failed.connect(self._on_failed)
        self._signals.cancelled.connect(self._on_cancelled)
        self._runnable = _Runnable(fn, self.state, self._signals)
        self._runnable.setAutoDelete(False)
        self.dialog: QProgressDialog | None = None
        if parent is not None:
            self.dialog = QProgressDialog(title, self.tr("Cancel"), 0, 0, parent)
            self.dialog.setWindowTitle(title)
            self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
            self.dialog.setMinimumDuration(show_after_ms)
            self.dialog.setAutoReset(False)
            self.dialog.setAutoClose(False)
            self.dialog.canceled.connect(self.state.cancel)
            self.state.progress.connect(self._on_progress)
        self.done = False

    def start(self) -> Task:
        if self.dialog is not None:
            self.dialog.setValue(0)
        QThreadPool.globalInstance().start(self._runnable)
        return self

    def cancel(self) -> None:
        self.state.cancel()

    def _on_progress(self, done: int, total: int, message: str) -> None:
        dialog = self.dialog
        if dialog is None:
            return
        dialog.setMaximum(max(total, 1))
        # A modal dialog's setValue processes events: the job may finish (and close the
        # dialog) right here, so look again before touching it.
        dialog.setValue(min(done, max(total, 1)))
        if message and self.dialog is dialog:
            dialog.setLabelText(message)

    def _close_dialog(self) -> None:
        if self.dialog is not None:
            self.dialog.canceled.disconnect(self.state.cancel)
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None

    def _finish(self) -> None:
        self.done = True
        self._close_dialog()
        self.finished.emit()

    def _on_succeeded(self, result: object) -> None:
        self._close_dialog()
        self.succeeded.emit(result)
        self._finish()

    def _on_failed(self, exc: object) -> None:
        self._close_dialog()
        self.failed.emit(exc)
        self._finish()

    def _on_cancelled(self) -> None:
        self._close_dialog()
        self.cancelled.emit()
        self._finish()


def run_task(fn: Callable[[TaskState], Any], parent: QWidget | None, title: str,
             on_success: Callable[[Any], None] | None = None,
             on_failure: Callable[[BaseException], None] | None = None,
             on_cancel: Callable[[], None] | None = None) -> Task:
    """Start `fn` in the background; callbacks run on the GUI thread."""
    task = Task(fn, parent, title)
    if on_success:
        task.succeeded.connect(on_success)
    if on_failure:
        task.failed.connect(on_failure)
    if on_cancel:
        task.cancelled.connect(on_cancel)
    # Keep the task alive until it ends even if the caller drops it.
    _running.add(task)
    task.finished.connect(lambda: QTimer.singleShot(0, lambda: _running.discard(task)))
    return task.start()


_running: set[Task] = set()
