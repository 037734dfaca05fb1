"""Opening and closing the register, for the GUI and the CLI (which never import app.store).

The register is the one database a process works on: a SQLite file or a PostgreSQL URL.
Opening binds it for the process and upgrades an older schema (after a backup copy); a worker
thread takes its own connection through `thread_connection`, since peewee connections are
per thread.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import peewee

from app.store import db
from app.store.connection import close_register, open_register
from app.store.migrations import MigrationResult

ENV_DB = db.ENV_DB


def open(target: str | os.PathLike[str] | None = None) -> MigrationResult:
    """Bind this process to the register at `target` (default: YILIAN_DB or the data folder).

    Returns:
        What the upgrade did: versions, and the backup written before it (None if none).
    """
    return open_register(target)


def close() -> None:
    """Close this thread's connection to the register, if open."""
    close_register()


def describe() -> str:
    """Where the register lives, for titles and logs: a path, or a URL without its password."""
    return db.describe()


def default_data_dir() -> Path:
    """The user's data folder, where the default register and the log live."""
    return db.default_data_dir()


def default_target() -> str:
    """YILIAN_DB, else the SQLite file in the data folder."""
    return db.default_target()


def is_postgres_url(target: str) -> bool:
    return db.is_postgres_url(target)


def try_connect(target: str) -> None:
    """Connect to `target` once and disconnect, without binding it.

    Raises:
        Exception: whatever the driver raises when the server, user or database is wrong.
    """
    database = db.make_database(target)
    database.connect()
    database.close()


@contextlib.contextmanager
def thread_connection() -> Iterator[None]:
    """This thread's own connection to the bound register, closed when the block ends."""
    db.database.connect(reuse_if_open=True)
    try:
        yield
    finally:
        if not db.database.is_closed():
            db.database.close()


def unreachable_reason(exc: BaseException) -> str | None:
    """For a failure of the register itself: "locked" when another writer holds it, else the
    driver's text; None when `exc` is not a database failure (screens word the message)."""
    if isinstance(exc, peewee.OperationalError | peewee.InterfaceError):
        text = str(exc).strip()
        return "locked" if "locked" in text else (text or type(exc).__name__)
    return None
