"""How long work reports progress and hears a cancel, without knowing about Qt.

A worker is a plain function `run(..., state)`; the GUI passes a state backed by a
progress dialog, the CLI a printing one, tests a fake.
"""

from __future__ import annotations

from typing import Protocol


class Cancelled(Exception):
    """The user cancelled; the work has rolled back."""


class ProgressState(Protocol):
    def set_progress(self, done: int, total: int, message: str = "") -> None: ...

    def is_cancelled(self) -> bool: ...


class NullProgress:
    """For callers that want neither progress nor cancel."""

    def set_progress(self, done: int, total: int, message: str = "") -> None:
        pass

    def is_cancelled(self) -> bool:
        return False


def check(state: ProgressState) -> None:
    if state.is_cancelled():
        raise Cancelled()
