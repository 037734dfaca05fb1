"""Opening and closing the register, for the GUI and the CLI (which never import app.store).

The register is the one database a process works on: a SQLite file or a PostgreSQL URL.
Opening binds it for the process and upgrades an older schema (after a backup copy); a worker
thread takes its own connection through `thread_connection`, since peewee connections are
per thread.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator
from pathlib import Path

import peewee

from app.store import db
from app.store.connection import close_register, open_register
from app.store.migrations import MigrationResult, backup_sqlite

log = logging.getLogger(__name__)

ENV_DB = db.ENV_DB


def open(target: str | os.PathLike[str] | None = None) -> MigrationResult:
    """Bind this process to the register at `target` (default: YILIAN_DB or the data folder).

    Returns:
        What the upgrade did: versions, and the backup written before it (None if none).

    Raises:
        peewee.OperationalError: the register cannot be used; `unreachable_reason` words it
            (a file on a read-only disk fails as "readonly", not SQLite's "unable to open").
    """
    try:
        return open_register(target, backup=_backup_before_upgrade)
    except peewee.OperationalError as exc:
        path = db.sqlite_path()
        if path is not None and path.exists() and not _writable(path):
            raise peewee.OperationalError(f"readonly: {path}") from exc
        raise


def _writable(path: Path) -> bool:
    """Whether the register's file and folder can be written (SQLite in WAL mode needs both
    for its -wal and -shm files). `access` answers for root too when the disk is read-only."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _backup_before_upgrade(label: str) -> Path | None:
    """The automatic `.ylbak` backup before a schema upgrade, into the backup folder (with
    its retention). If that cannot be written (a configured folder on a missing drive, no
    pg_dump), a SQLite file is still copied beside itself, as before there were backups;
    PostgreSQL servers are then left to their own backups."""
    from app.services.common import backup

    try:
        return backup.create_automatic(backup.BEFORE_MIGRATION, note=False).path
    except Exception:  # any failure: fall back, never upgrade without a copy of a file
        log.warning("automatic backup before the upgrade failed", exc_info=True)
        return backup_sqlite(label)


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


def make_private_folder(folder: Path) -> None:
    """Create `folder` (and missing parents) readable by the owner only; existing folders
    keep their permissions. For the data folder and the log beside the register."""
    db.make_private_folder(folder)


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
    """For a failure of the register itself: "locked" when another writer held it past the
    busy timeout, "readonly" when its file or disk cannot be written, "gone" when its file
    is no longer there (a network share or USB disk that went away), "full" when the disk
    is full, else the driver's text; None when `exc` is not a database failure (screens
    word the message)."""
    if isinstance(exc, peewee.OperationalError | peewee.InterfaceError):
        text = str(exc).strip()
        lowered = text.lower()
        for reason, marks in _REASONS:
            if any(mark in lowered for mark in marks):
                return reason
        return text or type(exc).__name__
    return None


_REASONS = (
    ("locked", ("locked",)),
    ("readonly", ("readonly", "read-only")),
    ("gone", (db.GONE, "unable to open database file", "disk i/o error")),
    ("full", ("database or disk is full",)),
)

_MESSAGES = {
    "locked": "登记簿正被另一处使用（另一个益联或程序正在写入），等待超时，本次未保存，请稍后再试",
    "readonly": "登记簿所在的磁盘或文件是只读的，本次未保存；"
                "请把登记簿放到可写的位置，或取得写入权限",
    "gone": "登记簿文件已不在原处（网络共享或移动硬盘可能已断开），本次未保存；"
            "请重新连接后再打开登记簿",
    "full": "登记簿所在的磁盘已满，本次未保存；请腾出磁盘空间后再试",
}


def unreachable_message(exc: BaseException) -> str | None:
    """The Chinese sentence for a failure of the register (see `unreachable_reason`), for
    the command line; None when `exc` is something else."""
    reason = unreachable_reason(exc)
    if reason is None:
        return None
    return _MESSAGES.get(reason, f"无法使用登记簿：{reason}")
