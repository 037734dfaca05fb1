"""Schema versions. A new register gets the current schema; an old one is upgraded step by
step on open, after a backup copy of a SQLite file is taken.

To change the schema: change the models, then append a `Migration` whose `apply` brings a
database at the previous version to the new one. Never edit a step that has shipped. Prefer
plain ALTER TABLE statements both backends run in place: a SQLite table rebuild drops the old
table, and with foreign keys on that cascades into the rows that reference it.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import peewee

from app.store.db import database, sqlite_path, writing
from app.store.models import (
    MODELS,
    V2_MODELS,
    V3_MODELS,
    V4_MODELS,
    V5_MODELS,
    V6_MODELS,
    SchemaVersion,
    VolunteerNameGram,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    apply: Callable[[peewee.Database], None]


def create_current_schema(db: peewee.Database) -> None:
    """All tables as the models define them now (a fresh register)."""
    VolunteerNameGram._meta.without_rowid = isinstance(db, peewee.SqliteDatabase)
    db.create_tables(MODELS)


def _initial(db: peewee.Database) -> None:
    # Only reached for a database with tables but no version row, which no release wrote.
    raise RuntimeError("数据库缺少版本信息，无法确定如何升级，请联系技术支持")


def _v2_service_hours(db: peewee.Database) -> None:
    """Service hours, points ledger, shop and certificates; running totals on volunteers.

    The columns are added with plain ALTER TABLE ... NOT NULL DEFAULT 0, which both SQLite
    and PostgreSQL do without rewriting the table. (playhouse.migrate's SQLite path rebuilds
    the table for NOT NULL, and dropping the old table with foreign keys on cascades into
    the rows that reference it: name grams and photos would be lost.)
    """
    db.execute_sql("ALTER TABLE volunteer ADD COLUMN approved_minutes INTEGER NOT NULL "
                   "DEFAULT 0")
    db.execute_sql("ALTER TABLE volunteer ADD COLUMN points_balance INTEGER NOT NULL "
                   "DEFAULT 0 CHECK (points_balance >= 0)")
    db.execute_sql('CREATE INDEX "volunteer_approved_minutes" ON "volunteer" '
                   '("approved_minutes")')
    db.execute_sql('CREATE INDEX "volunteer_points_balance" ON "volunteer" ("points_balance")')
    db.create_tables(V2_MODELS)


def _v3_organizations(db: peewee.Database) -> None:
    """Social organizations and their yearly records; activities learn their organization,
    and a merged volunteer record where it went (its ledger is closed by a transfer).

    A step upgrading from version 1 created `activity` from today's model in step 2, so the
    column may be there already.
    """
    if "org_id" not in {c.name for c in db.get_columns("activity")}:
        db.execute_sql("ALTER TABLE activity ADD COLUMN org_id INTEGER")
        db.execute_sql('CREATE INDEX "activity_org_id" ON "activity" ("org_id")')
    if "merged_into_id" not in {c.name for c in db.get_columns("volunteer")}:
        db.execute_sql("ALTER TABLE volunteer ADD COLUMN merged_into_id INTEGER")
    db.create_tables(V3_MODELS)


def _v4_national_export(db: peewee.Database) -> None:
    """Which service records were exported to the national volunteer system (one new table)."""
    db.create_tables(V4_MODELS)


def _v5_projects(db: peewee.Database) -> None:
    """Government-purchased service projects (new tables only)."""
    db.create_tables(V5_MODELS)


def _v6_hours_month(db: peewee.Database) -> None:
    """The monthly roll-up of approved minutes, filled from the records already there."""
    from app.store.rollups import rebuild_hours_month

    db.create_tables(V6_MODELS)
    rebuild_hours_month(db)


def _v7_number_tails(db: peewee.Database) -> None:
    """Phone and ID number written backwards, indexed: a search by the last digits the
    masked list shows (尾号) is an index range. Filled for the rows already there in
    batches of ids, then indexed once (cheaper than maintaining the index row by row)."""
    have = {c.name for c in db.get_columns("volunteer")}  # made by today's model already?
    for column, size in (("phone_rev", 20), ("id_number_rev", 32)):
        if column not in have:
            db.execute_sql(f"ALTER TABLE volunteer ADD COLUMN {column} VARCHAR({size}) "
                           "NOT NULL DEFAULT ''")
    if isinstance(db, peewee.SqliteDatabase):  # PostgreSQL has reverse() built in
        db.connection().create_function("reverse", 1, lambda v: None if v is None else v[::-1],
                                         deterministic=True)
    top = db.execute_sql("SELECT MAX(id) FROM volunteer").fetchone()[0] or 0
    param = db.param
    for start in range(0, top, 50_000):
        db.execute_sql("UPDATE volunteer SET phone_rev = reverse(phone), "
                       "id_number_rev = reverse(id_number) "
                       f"WHERE id > {param} AND id <= {param}", (start, start + 50_000))
    for column in ("phone_rev", "id_number_rev"):
        db.execute_sql(f'CREATE INDEX IF NOT EXISTS "volunteer_{column}" ON "volunteer" '
                       f'("{column}")')


def _v8_hours_volunteer_month(db: peewee.Database) -> None:
    """Approved hours per volunteer and month for the hours report, filled from the records
    already there in one INSERT ... SELECT, then indexed (cheaper than row by row)."""
    from typing import Any

    from app.store.models import HoursVolunteerMonth
    from app.store.rollups import rebuild_hours_volunteer_month

    with HoursVolunteerMonth.bind_ctx(db):
        schema: Any = HoursVolunteerMonth._schema  # type: ignore[attr-defined]  # no stub
        schema.create_table(safe=True)  # made by today's model already?
        rebuild_hours_volunteer_month(db)
        schema.create_indexes(safe=True)


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "volunteer register", _initial),
    Migration(2, "service hours, points, shop, certificates", _v2_service_hours),
    Migration(3, "social organizations", _v3_organizations),
    Migration(4, "hours exported to the national volunteer system", _v4_national_export),
    Migration(5, "government-purchased service projects", _v5_projects),
    Migration(6, "monthly roll-up of approved hours", _v6_hours_month),
    Migration(7, "phone and ID-number tails for search", _v7_number_tails),
    Migration(8, "per-volunteer monthly roll-up of approved hours", _v8_hours_volunteer_month),
)


class SchemaTooNewError(RuntimeError):
    """The file was written by a newer Yilian; opening it could damage it."""


@dataclass(frozen=True)
class MigrationResult:
    from_version: int
    to_version: int
    backup: Path | None


def current_version() -> int:
    if not database.table_exists(SchemaVersion._meta.table_name):
        return 0
    row = SchemaVersion.select(peewee.fn.MAX(SchemaVersion.version)).scalar()
    return int(row or 0)


def migrate(migrations: Sequence[Migration] = MIGRATIONS,
            now: dt.datetime | None = None,
            backup: Callable[[str], Path | None] | None = None) -> MigrationResult:
    """Bring the bound database to the newest version.

    `backup(label)` is called before an upgrade (the services pass the automatic `.ylbak`
    backup); without it a SQLite file is copied beside itself (`backup_sqlite`).

    Each step runs in its own transaction together with its version row, so a crash leaves
    the database at the last completed version. A fresh database is built in one step.
    """
    target = migrations[-1].version
    found = current_version()
    if found > target:
        raise SchemaTooNewError(
            f"数据库版本为{found}，高于本程序支持的{target}，请升级益联后再打开")
    if found == target:
        return MigrationResult(found, found, None)
    if found == 0 and not _has_user_tables():
        with writing():
            create_current_schema(database.obj)
            SchemaVersion.create(version=target)
        return MigrationResult(0, target, None)
    made = backup(f"v{found}") if backup is not None else backup_sqlite(f"v{found}", now)
    for step in migrations:
        if step.version <= found:
            continue
        log.info("migrating to schema %s: %s", step.version, step.description)
        with writing():
            step.apply(database.obj)
            SchemaVersion.delete().execute()
            SchemaVersion.create(version=step.version)
    return MigrationResult(found, target, made)


def _has_user_tables() -> bool:
    return any(not name.startswith("sqlite_") for name in database.get_tables())


def backup_sqlite(label: str, now: dt.datetime | None = None) -> Path | None:
    """Copy a SQLite register beside itself with SQLite's online backup (consistent even
    while another desk reads it). PostgreSQL servers are backed up by their own tools."""
    path = sqlite_path()
    if path is None:
        return None
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.{label}-{stamp}.bak{path.suffix}")
    source = database.connection()
    dest = sqlite3.connect(str(target))
    try:
        source.backup(dest)
    finally:
        dest.close()
    return target
