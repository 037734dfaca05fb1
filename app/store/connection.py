"""Open a register: bind the proxy, upgrade the schema, hand back where it lives."""

from __future__ import annotations

import os

import peewee

from app.store.db import database, default_target, make_database
from app.store.migrations import MigrationResult, migrate


def open_register(target: str | os.PathLike[str] | None = None) -> MigrationResult:
    """Bind the process to the register at `target` (path or PostgreSQL URL) and migrate it."""
    db = make_database(target or default_target())
    database.initialize(db)
    db.connect(reuse_if_open=True)
    return migrate()


def close_register() -> None:
    db = database.obj
    if isinstance(db, peewee.Database) and not db.is_closed():
        db.close()
