"""Open a register: bind the proxy, upgrade the schema, hand back where it lives."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import peewee

from app.store.db import database, default_target, make_database
from app.store.migrations import MigrationResult, migrate


def open_register(target: str | os.PathLike[str] | None = None,
                  backup: Callable[[str], Path | None] | None = None) -> MigrationResult:
    """Bind the process to the register at `target` (path or PostgreSQL URL) and migrate it
    (`backup` as in `migrate`)."""
    db = make_database(target or default_target())
    database.initialize(db)
    db.connect(reuse_if_open=True)
    return migrate(backup=backup)


def close_register() -> None:
    db = database.obj
    if isinstance(db, peewee.Database) and not db.is_closed():
        db.close()
