"""Shared fixtures: a real register on SQLite (a file) and on PostgreSQL (a real server).

Every test that takes `register` runs once per backend. The PostgreSQL server comes from
scripts/run-tests.sh (YILIAN_TEST_PG); without it the PostgreSQL half is skipped, unless
YILIAN_REQUIRE_PG is set, as it is there, in which case a missing server is an error.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt
os.environ.setdefault("YILIAN_USER", "tester")

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import peewee
import pytest

from app.store.db import bound, make_database
from app.store.migrations import migrate

BACKENDS = ("sqlite", "postgres")


def _pg_url() -> str | None:
    url = os.environ.get("YILIAN_TEST_PG")
    if not url and os.environ.get("YILIAN_REQUIRE_PG"):
        pytest.fail("YILIAN_REQUIRE_PG is set but YILIAN_TEST_PG names no server")
    return url


def reset_postgres(url: str) -> peewee.Database:
    """An empty public schema on the test server."""
    db = make_database(url)
    db.connect()
    db.execute_sql("DROP SCHEMA IF EXISTS public CASCADE")
    db.execute_sql("CREATE SCHEMA public")
    return db


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def db_target(backend: str, tmp_path: Path) -> Iterator[str]:
    """A connection string for an empty database of the backend under test."""
    if backend == "sqlite":
        yield str(tmp_path / "register.sqlite3")
        return
    url = _pg_url()
    if not url:
        pytest.skip("no PostgreSQL server (run scripts/run-tests.sh)")
    reset_postgres(url).close()
    yield url


@pytest.fixture
def register(db_target: str) -> Iterator[peewee.Database]:
    """A migrated, empty register bound to the proxy for the test's duration."""
    with bound(make_database(db_target)) as db:
        db.connect()
        migrate()
        yield db
        _wait_for_background_jobs()


def _wait_for_background_jobs() -> None:
    """A GUI job may still be closing its connection on a worker thread; unbinding the
    proxy under it fails that thread ("uninitialized Proxy"). Unit tests never load Qt."""
    qtcore = sys.modules.get("PySide6.QtCore")
    if qtcore is not None:
        qtcore.QThreadPool.globalInstance().waitForDone(30_000)


SAMPLE_ROSTER = (Path(__file__).resolve().parent.parent.parent / "shared" / "samples"
                 / "volunteers-community-roster.xlsx")


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """A copy of the community's roster from ../shared/samples (its quirks are described
    beside it), named as a community would send it."""
    if not SAMPLE_ROSTER.exists():
        pytest.fail(f"the sample roster is missing: {SAMPLE_ROSTER} (../shared must be beside)")
    path = tmp_path / "花名册.xlsx"
    shutil.copy(SAMPLE_ROSTER, path)
    return path
