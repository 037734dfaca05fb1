"""Which database the process talks to, and how it is opened.

One `DatabaseProxy` is bound at start-up to SQLite (a file, WAL) or PostgreSQL (a URL),
so the same models, services and tests run on both.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, cast
from urllib.parse import unquote, urlparse

import peewee
from platformdirs import user_data_dir

database = peewee.DatabaseProxy()

APP_NAME = "Yilian"
ENV_DB = "YILIAN_DB"
SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 10_000,
    "synchronous": "normal",
    "cache_size": -64_000,  # 64 MB page cache
    "temp_store": "memory",
}


def default_data_dir() -> Path:
    """The user's data folder (same place QStandardPaths.AppDataLocation would give)."""
    return Path(user_data_dir(APP_NAME, appauthor=False))


def default_target() -> str:
    return os.environ.get(ENV_DB) or str(default_data_dir() / "yilian.sqlite3")


def is_postgres_url(target: str) -> bool:
    return target.startswith(("postgres://", "postgresql://"))


def make_database(target: str | os.PathLike[str]) -> peewee.Database:
    """Build (not connect) a peewee database for a file path or a PostgreSQL URL."""
    text = str(target)
    if is_postgres_url(text):
        url = urlparse(text)
        return peewee.PostgresqlDatabase(
            unquote(url.path.lstrip("/")),
            user=unquote(url.username) if url.username else None,
            password=unquote(url.password) if url.password else None,
            host=url.hostname or None,
            port=url.port or None,
        )
    path = Path(text).expanduser()
    if text != ":memory:":
        make_private_folder(path.parent)
        create_private_file(path)
    return peewee.SqliteDatabase(str(path), pragmas=SQLITE_PRAGMAS, timeout=10)


def make_private_folder(folder: Path) -> None:
    """Create `folder` and any missing parents readable by the owner only (0700).

    The register holds ID numbers and phone numbers. Folders that already exist are the
    user's and keep their permissions.
    """
    missing = []
    for candidate in (folder, *folder.parents):
        if candidate.exists():
            break
        missing.append(candidate)
    for created in reversed(missing):
        with contextlib.suppress(FileExistsError):  # made meanwhile by another process
            os.mkdir(created, 0o700)
            os.chmod(created, 0o700)  # whatever the umask left


def create_private_file(path: Path) -> None:
    """Create an empty `path` readable by the owner only (0600), if it does not exist.

    An empty file is an empty SQLite database; SQLite then gives its -wal and -shm files the
    same permissions, where it would otherwise create all three 0644.
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    try:
        os.fchmod(fd, 0o600)
    finally:
        os.close(fd)


def is_sqlite(db: peewee.Database | None = None) -> bool:
    target = db or database.obj
    return isinstance(target, peewee.SqliteDatabase)


def sqlite_path(db: peewee.Database | None = None) -> Path | None:
    target = db or database.obj
    if isinstance(target, peewee.SqliteDatabase) and target.database != ":memory:":
        return Path(target.database)
    return None


def describe(db: peewee.Database | None = None) -> str:
    """Where the register lives, without a password, for titles and logs."""
    target = db or database.obj
    if isinstance(target, peewee.PostgresqlDatabase):
        params = target.connect_params
        return f"postgresql://{params.get('host') or 'localhost'}/{target.database}"
    return str(target.database)


def bulk_insert(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]],
                page: int = 5000) -> int:
    """Insert many rows by the fastest path the backend has.

    peewee's insert_many builds one statement per batch in Python and is about ten times
    slower than the driver's own executemany (SQLite) or execute_values (PostgreSQL).
    Call inside a transaction. Returns the number of rows inserted.
    """
    cols = ", ".join(columns)
    conn = database.connection()
    count = 0
    if is_sqlite():
        marks = ", ".join("?" for _ in columns)
        sql = f"INSERT INTO {table} ({cols}) VALUES ({marks})"
        for chunk in _chunks(rows, page):
            conn.executemany(sql, chunk)
            count += len(chunk)
        return count
    from psycopg2.extras import execute_values

    sql = f"INSERT INTO {table} ({cols}) VALUES %s"
    with conn.cursor() as cur:
        for chunk in _chunks(rows, page):
            execute_values(cur, sql, chunk, page_size=page)
            count += len(chunk)
    return count


def _chunks(rows: Iterable[Sequence[Any]], size: int) -> Iterator[list[Sequence[Any]]]:
    chunk: list[Sequence[Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@contextlib.contextmanager
def bound(db: peewee.Database) -> Iterator[peewee.Database]:
    """Bind the proxy for a block (tests, CLI) and close the connection afterwards."""
    previous = database.obj
    database.initialize(db)
    try:
        yield db
    finally:
        if not db.is_closed():
            db.close()
        database.initialize(previous)


def writing() -> Any:
    """A transaction that will write.

    On SQLite it begins IMMEDIATE, taking the write lock up front: two desks then queue on
    the busy timeout, where deferred transactions that both read first would deadlock on the
    upgrade and one would fail at once with "database is locked". Nested calls are savepoints.
    """
    target = database.obj
    if isinstance(target, peewee.SqliteDatabase) and not target.in_transaction():
        _still_there(target)
        return target.atomic(lock_type="IMMEDIATE")
    return database.atomic()


GONE = "register file is gone"


def _still_there(target: peewee.SqliteDatabase) -> None:
    """Refuse to write when the register's file has left its path (its network share or USB
    disk was unmounted, its folder removed): the open handle would still accept the write,
    into a file nobody will find again. One stat per transaction."""
    if target.database != ":memory:" and not os.path.exists(target.database):
        raise peewee.OperationalError(f"{GONE}: {target.database}")


@contextlib.contextmanager
def indexes_rebuilt_after(table: str) -> Iterator[None]:
    """Drop `table`'s non-unique indexes for a bulk insert and rebuild them afterwards.

    Building an index once over sorted keys is cheaper than updating ten B-trees row by
    row: 100,000 volunteers insert in about half the time. SQLite only (its DDL is
    transactional, so a failure rolls the drop back with the rows); elsewhere, and when the
    insert is small next to the table, the caller should not use it. Unique indexes stay,
    so duplicates are still refused during the insert.
    """
    if not is_sqlite():
        yield
        return
    rows = database.execute_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
        "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'", (table,)).fetchall()
    for name, _sql in rows:
        database.execute_sql(f'DROP INDEX "{name}"')
    yield
    for _name, sql in rows:
        database.execute_sql(sql)


def tuples(query: peewee.Select) -> list[tuple[Any, ...]]:
    """A query's rows as plain tuples (the stubs type `.tuples()` as model instances)."""
    return cast(list[tuple[Any, ...]], list(query.tuples()))
