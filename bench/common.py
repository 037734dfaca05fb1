"""Shared by the benchmarks: the city-scale register they run on, timing and printing.

Benchmarks are not tests: they print figures and ratios to a floor, they assert nothing.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"


# Above this many volunteers the register is built in-process with the indexes dropped
# during the load (`yilian demo` keeps fourteen B-trees current row by row).
BULK_BUILD_FROM = 2_000_000


def register_path(volunteers: int = 1_000_000, seed: int = 1) -> Path:
    """A SQLite register with `volunteers` demo volunteers made by `yilian demo` (cached)."""
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"register-{volunteers}-{seed}.sqlite3"
    if not path.exists() and volunteers >= BULK_BUILD_FROM:
        _bulk_build(path, volunteers, seed)
    if not path.exists():
        print(f"building {path.name} with `yilian demo --volunteers {volunteers}` ...",
              file=sys.stderr)
        tmp = path.with_suffix(".partial")
        for stale in OUT.glob(tmp.name + "*"):
            stale.unlink()
        subprocess.run([sys.executable, "-m", "app.cli", "-q", "--db", str(tmp), "demo",
                        "--volunteers", str(volunteers), "--seed", str(seed)], check=True,
                       cwd=ROOT)
        con = sqlite3.connect(tmp)
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.close()
        for side in (".partial-wal", ".partial-shm"):
            Path(str(tmp) + side.removeprefix(".partial")).unlink(missing_ok=True)
        tmp.rename(path)
    return path


def _bulk_build(path: Path, volunteers: int, seed: int) -> None:
    """The same demo people through the same bulk path as `yilian demo` (realistic names,
    areas, ID and phone numbers, so index statistics are real), in batches of 100,000, with
    the volunteer table's non-unique indexes dropped for the load and built once after it,
    without ANALYZE, like the 1M register. Runs in a child process so the caller's binding
    stays untouched."""
    tmp = path.with_suffix(".partial")
    for stale in OUT.glob(tmp.name + "*"):
        stale.unlink()
    print(f"building {path.name}: demo volunteers in bulk ...", file=sys.stderr)
    code = (
        "import sys, time\n"
        "from app.store.connection import open_register\n"
        "from app.store.db import database\n"
        "from app.services.volunteers import demo\n"
        "from app.services.common.progress import NullProgress\n"
        f"open_register({str(tmp)!r})\n"
        "rows = database.execute_sql(\"SELECT name, sql FROM sqlite_master WHERE type = "
        "'index' AND tbl_name = 'volunteer' AND sql IS NOT NULL AND sql NOT LIKE "
        "'CREATE UNIQUE%'\").fetchall()\n"
        "for name, _ in rows: database.execute_sql(f'DROP INDEX \"{name}\"')\n"
        "class P(NullProgress):\n"
        "    def set_progress(self, done, total, message=''):\n"
        "        if done % 1_000_000 == 0: print(f'{done:,} {time.strftime(\"%X\")}', "
        "file=sys.stderr, flush=True)\n"
        f"demo.generate({volunteers}, seed={seed}, state=P(), batch=100_000)\n"
        "for _, sql in rows: database.execute_sql(sql)\n"
        "database.execute_sql('PRAGMA wal_checkpoint(TRUNCATE)')\n"
        "database.close()\n")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
    for side in ("-wal", "-shm"):
        Path(str(tmp) + side).unlink(missing_ok=True)
    tmp.rename(path)


def timed(fn: Callable[[], object], repeat: int = 1) -> list[float]:
    """Wall-clock milliseconds of each of `repeat` calls."""
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def p95(samples: list[float]) -> float:
    if len(samples) < 2:
        return samples[0]
    return statistics.quantiles(samples, n=20, method="inclusive")[18]


def report(label: str, value_ms: float, floor_ms: float | None, goal_ms: float | None) -> None:
    ratio = f"{value_ms / floor_ms:5.2f}x floor" if floor_ms else ""
    floor = f"floor {floor_ms:8.1f} ms" if floor_ms is not None else ""
    goal = ""
    if goal_ms is not None:
        goal = f"goal ≤ {goal_ms:g} ms {'OK' if value_ms <= goal_ms else 'MISSED'}"
    print(f"{label:<38} {value_ms:8.1f} ms   {floor:<20} {ratio:<12} {goal}")


def machine() -> str:
    return f"{os.cpu_count()} cores, Python {sys.version.split()[0]}"


class _Capture(logging.Handler):
    """Collects the (sql, params) peewee logs at DEBUG for every statement it runs."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.statements: list[tuple[str, tuple]] = []

    def emit(self, record: logging.LogRecord) -> None:
        if isinstance(record.msg, tuple) and len(record.msg) == 2:
            sql, params = record.msg
            self.statements.append((sql, tuple(params or ())))


def captured(fn: Callable[[], object]) -> list[tuple[str, tuple]]:
    """The SQL statements `fn` runs through peewee, in order."""
    logger = logging.getLogger("peewee")
    handler = _Capture()
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        fn()
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    return handler.statements


def bare_connection(path: Path) -> sqlite3.Connection:
    """sqlite3 on the same file with the register's own pragmas (page cache, WAL …)."""
    from app.store.db import SQLITE_PRAGMAS

    raw = sqlite3.connect(path, isolation_level=None)
    for key, value in SQLITE_PRAGMAS.items():
        raw.execute(f"PRAGMA {key} = {value}")
    return raw


def run_bare(raw: sqlite3.Connection, statements: list[tuple[str, tuple]]) -> None:
    for sql, params in statements:
        raw.execute(sql, params).fetchall()
