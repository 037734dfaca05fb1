"""SIGKILL at random points of the big writing commands leaves a whole register.

Each command runs as a real `yilian` process on a copy of one prepared register and is killed
after a delay drawn by a seeded RNG from the window the command takes (measured once per
test run). Afterwards the file must pass `PRAGMA integrity_check` and hold either all of
the change or none of it, with every running total equal to the rows it sums.

Whether a kill landed inside the write transaction is read from SQLite's own lock: in WAL
mode a writer holds a POSIX lock on byte 120 of the -shm file from BEGIN IMMEDIATE to the end
of COMMIT, and F_GETLK tells another process so without taking it. Each test asserts that
at least a third of its kills landed there, so a run that only ever kills before or after
the transaction cannot pass. Two kills in three wait for that lock and then a random part
of the transaction's measured length; the rest fall anywhere from start to end. The restore
swaps files rather than writing one transaction: "during" it is while its work folder
beside the register exists.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import random
import shutil
import signal
import sqlite3
import struct
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import Workbook

from app.domain.hours import ActivityDraft
from app.domain.idcard import age_on
from app.services import demo as all_demo
from app.services.hours import activities
from app.services.points import ledger, shop
from app.services.volunteers import demo as volunteer_demo
from app.services.volunteers.import_columns import COLUMNS
from app.store.db import bound, bulk_insert, database, make_database, writing
from app.store.migrations import migrate

ROOT = Path(__file__).resolve().parents[3]
KILLS = 25
VOLUNTEERS = 2000
RECORDS_PER_VOLUNTEER = 5       # 10,000 pending records at one activity
IMPORT_ROWS = 3000     # the read before the write dominates each run: keep it short
WAL_WRITE_LOCK_BYTE = 120       # sqlite3 wal.c: WALINDEX_LOCK_OFFSET + WAL_WRITE_LOCK
WAL_CKPT_LOCK_BYTE = 121        # ... + WAL_CKPT_LOCK
POLL = 0.002

pytestmark = pytest.mark.slow


# ---------------------------------------------------------------- preparing the register


@dataclass(frozen=True)
class Prepared:
    register: Path          # checkpointed, closed: one file to copy per run
    import_file: Path
    activity_id: int
    redeemer: str           # volunteer number with points enough for `redeem_items`
    redeem_items: tuple[str, ...]


def _import_file(path: Path, rows: int) -> None:
    """Valid adults in the template's columns (the demo's people, another seed)."""
    headers = {c.field: c.header for c in COLUMNS}
    fields = ("name", "sex", "id_number", "phone", "district", "street", "community",
              "registered_on")
    book = Workbook(write_only=True)
    sheet = book.create_sheet("志愿者登记")
    sheet.append([headers[f] for f in fields])
    today = dt.date(2026, 1, 1)
    written = 0
    for p in volunteer_demo._people(random.Random(99), rows * 2, today, volunteer_demo.areas()):
        (name, _ini, _full, sex, id_number, birth, phone, district, street, community,
         *_rest) = p
        registered = p[17]
        if age_on(birth, today) < 18:
            continue
        sheet.append([name, "男" if sex == "M" else "女", id_number, phone, district, street,
                      community, registered])
        written += 1
        if written == rows:
            break
    book.save(path)


def _pending_records(activity_id: int, start: dt.datetime) -> None:
    """RECORDS_PER_VOLUNTEER pending manual records per volunteer, spread over months."""
    vids = [r[0] for r in database.execute_sql("SELECT id FROM volunteer WHERE status = "
                                               "'active' ORDER BY id")]
    rows = []
    for k in range(RECORDS_PER_VOLUNTEER):
        at = start - dt.timedelta(days=31 * k)
        rows += [(vid, activity_id, "manual", "pending", at, at + dt.timedelta(hours=2), 120,
                  "crash test", "", "", "", "tester", at, 1) for vid in vids]
    with writing():
        bulk_insert("service_record", ("volunteer_id", "activity_id", "kind", "status",
                                       "started_at", "ended_at", "minutes", "content", "flags",
                                       "reason", "decided_by", "recorded_by", "created_at",
                                       "version"), rows)


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Prepared:
    folder = tmp_path_factory.mktemp("crash")
    path = folder / "base.sqlite3"
    with bound(make_database(path)) as db:
        db.connect()
        migrate()
        all_demo.generate_all(VOLUNTEERS, seed=3)
        start = dt.datetime(2026, 6, 1, 9, 0)
        activity = activities.create(ActivityDraft(
            name="崩溃测试活动", starts_at=start, ends_at=start + dt.timedelta(hours=3)))
        _pending_records(activity.id, start)
        # A redemption: the richest volunteer and the cheapest goods in stock.
        number, balance = database.execute_sql(
            "SELECT number, points_balance FROM volunteer WHERE status = 'active' "
            "ORDER BY points_balance DESC LIMIT 1").fetchone()
        goods = [g for g in shop.list_goods() if g.stock > 0]
        goods.sort(key=lambda g: g.points_price)
        assert goods and goods[0].points_price <= balance, "the demo gave no one enough points"
        items = (f"{goods[0].id}:1",)
        if len(goods) > 1 and goods[0].points_price + goods[1].points_price <= balance:
            items += (f"{goods[1].id}:1",)
        db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    import_file = folder / "volunteers.xlsx"
    _import_file(import_file, IMPORT_ROWS)
    return Prepared(path, import_file, activity.id, number, items)


# ---------------------------------------------------------------- running and killing


def _locked(fd: int, byte: int) -> bool:
    probe = struct.pack("hhqqi4x", fcntl.F_WRLCK, os.SEEK_SET, byte, 1, 0)
    return struct.unpack("hhqqi4x", fcntl.fcntl(fd, fcntl.F_GETLK, probe))[0] != fcntl.F_UNLCK


def _writer_holds_lock(register: Path) -> bool:
    """Whether some process is inside a write transaction on `register`: it holds the WAL
    write lock and not the checkpoint lock, which WAL recovery on opening also takes with
    the write lock (F_GETLK: looks, does not take)."""
    try:
        fd = os.open(f"{register}-shm", os.O_RDWR)
    except FileNotFoundError:
        return False
    try:
        return _locked(fd, WAL_WRITE_LOCK_BYTE) and not _locked(fd, WAL_CKPT_LOCK_BYTE)
    finally:
        os.close(fd)  # this process holds no lock on the file, so closing releases nothing


def _command(register: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "app.cli", "-q", "--db", str(register), *args]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "YILIAN_USER": "tester"}


@dataclass(frozen=True)
class Window:
    """When, after start, the reference run held the write lock; and when it ended."""

    lock_from: float
    lock_to: float
    end: float


def _reference(register: Path, args: tuple[str, ...]) -> Window:
    """Run once to the end, watching the write lock."""
    start = time.monotonic()
    proc = subprocess.Popen(_command(register, *args), env=_env(), cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    seen: list[float] = []
    while proc.poll() is None:
        if _writer_holds_lock(register):
            seen.append(time.monotonic() - start)
        time.sleep(POLL)
    end = time.monotonic() - start
    out, err = proc.communicate()
    assert proc.returncode in (0, 1), err.decode()
    assert seen, f"the write lock was never seen held: {out.decode()} {err.decode()}"
    # The first run of sightings is the command's transaction; a later one, if any, is not
    # (closing the last connection checkpoints the WAL), so it must not stretch the window.
    last = seen[0]
    for at in seen[1:]:
        if at - last > 10 * POLL:
            break
        last = at
    return Window(seen[0], max(last, seen[0] + POLL), end)


def _kill_at(register: Path, args: tuple[str, ...], kill: tuple[bool, float]) -> str:
    """Start the command and SIGKILL it: `delay` seconds after it took the write lock, or
    after it started; where the kill landed."""
    after_lock, delay = kill
    proc = subprocess.Popen(_command(register, *args), env=_env(), cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if after_lock:
        while proc.poll() is None and not _writer_holds_lock(register):
            time.sleep(POLL / 4)
    deadline = time.monotonic() + delay
    while proc.poll() is None and time.monotonic() < deadline:
        time.sleep(POLL / 4)
    if proc.poll() is not None:
        return "finished"
    inside = _writer_holds_lock(register)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    return "in transaction" if inside else "outside"


def _kills(window: Window, seed: int) -> Iterator[tuple[bool, float]]:
    """Seeded kill points: two in three a random time into the write transaction (counted
    from the moment the lock is seen taken), the rest anywhere from the start to the end."""
    rng = random.Random(seed)
    for _ in range(KILLS):
        if rng.random() < 2 / 3:
            yield True, rng.uniform(0, window.lock_to - window.lock_from)
        else:
            yield False, rng.uniform(0, window.end)


@contextlib.contextmanager
def _opened(register: Path) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(register)
    try:
        yield conn
    finally:
        conn.close()


def _integrity(register: Path) -> None:
    with _opened(register) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


def _totals_agree(register: Path) -> None:
    """Running totals equal their sums: minutes per volunteer and per month, points."""
    with _opened(register) as conn:
        wrong_minutes = conn.execute(
            "SELECT v.id FROM volunteer v LEFT JOIN (SELECT volunteer_id, SUM(minutes) AS s "
            "FROM service_record WHERE status = 'approved' GROUP BY volunteer_id) r "
            "ON r.volunteer_id = v.id WHERE v.approved_minutes != COALESCE(r.s, 0)").fetchall()
        assert wrong_minutes == []
        months = dict(conn.execute(
            "SELECT substr(started_at, 1, 7), SUM(minutes) FROM service_record "
            "WHERE status = 'approved' GROUP BY 1"))
        kept = dict(conn.execute("SELECT month, minutes FROM hours_month WHERE minutes != 0"))
        assert kept == {m: v for m, v in months.items() if v}
        by_volunteer = conn.execute(  # the report's roll-up: a reversal nets out of its kind
            "SELECT r.volunteer_id, substr(r.started_at, 1, 7), SUM(CASE WHEN COALESCE("
            "o.kind, r.kind) = 'scanned' THEN r.minutes ELSE 0 END), SUM(CASE WHEN COALESCE("
            "o.kind, r.kind) = 'manual' THEN r.minutes ELSE 0 END), SUM(CASE WHEN r.kind = "
            "'reversal' THEN -1 ELSE 1 END) FROM service_record r LEFT JOIN service_record o "
            "ON o.id = r.reverses_id WHERE r.status = 'approved' GROUP BY 1, 2 ORDER BY 1, 2"
        ).fetchall()
        assert conn.execute("SELECT volunteer_id, month, scanned_minutes, manual_minutes, "
                            "records FROM hours_volunteer_month ORDER BY 1, 2"
                            ).fetchall() == by_volunteer
    with bound(make_database(register)) as db:
        db.connect()
        assert ledger.check_balances() == []
        assert [d for row in shop.reconciliation() for d in row.differences] == []


def _scalar(register: Path, sql: str, *params: object) -> int:
    with _opened(register) as conn:
        return int(conn.execute(sql, params).fetchone()[0])


def _run_kills(prepared: Prepared, tmp_path: Path, args: Callable[[Path], tuple[str, ...]],
               state: Callable[[Path], object], seed: int) -> Counter[str]:
    """The reference run, then KILLS killed runs, each checked; where the kills landed."""
    before = state(prepared.register)
    reference = tmp_path / "reference.sqlite3"
    shutil.copy(prepared.register, reference)
    window = _reference(reference, args(reference))
    after = state(reference)
    assert after != before, "the reference run changed nothing"
    _integrity(reference)
    _totals_agree(reference)
    landed: Counter[str] = Counter()
    for i, kill in enumerate(_kills(window, seed)):
        run = tmp_path / f"run{i}.sqlite3"
        shutil.copy(prepared.register, run)
        where = _kill_at(run, args(run), kill)
        landed[where] += 1
        _integrity(run)
        found = state(run)
        assert found in (before, after), (
            f"kill {i} at {kill} ({where}): half a change: {found} not {before} "
            f"nor {after}")
        _totals_agree(run)
        for leftover in tmp_path.glob(f"run{i}.sqlite3*"):
            leftover.unlink()
    print(f"\nwindow {window}; kills: {dict(landed)}")
    assert landed["in transaction"] >= KILLS // 3, dict(landed)
    return landed


def test_killed_import_leaves_all_or_none(prepared: Prepared, tmp_path: Path) -> None:
    def state(register: Path) -> object:
        with _opened(register) as conn:
            return (conn.execute("SELECT COUNT(*) FROM volunteer").fetchone()[0],
                    conn.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0],
                    conn.execute("SELECT COUNT(*) FROM volunteer_name_gram").fetchone()[0]
                    if _has_table(conn, "volunteer_name_gram") else 0,
                    sorted(r[0] for r in conn.execute(
                        "SELECT name FROM sqlite_master WHERE type = 'index' "
                        "AND tbl_name = 'volunteer'")))

    _run_kills(prepared, tmp_path,
               lambda _r: ("import", "volunteers", str(prepared.import_file), "--commit",
                           "--skip-invalid"), state, seed=11)


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                        (name,)).fetchone() is not None


def test_killed_batch_approval_leaves_all_or_none(prepared: Prepared, tmp_path: Path) -> None:
    def state(register: Path) -> object:
        with _opened(register) as conn:
            return (conn.execute("SELECT status, COUNT(*) FROM service_record "
                                 "WHERE activity_id = ? GROUP BY status ORDER BY status",
                                 (prepared.activity_id,)).fetchall(),
                    conn.execute("SELECT COUNT(*), COALESCE(SUM(points), 0) FROM points_entry"
                                 ).fetchone(),
                    conn.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0])

    _run_kills(prepared, tmp_path,
               lambda _r: ("hours", "approve", "--activity", str(prepared.activity_id)),
               state, seed=12)


def test_killed_redemption_leaves_all_or_none(prepared: Prepared, tmp_path: Path) -> None:
    def state(register: Path) -> object:
        with _opened(register) as conn:
            return (conn.execute("SELECT COUNT(*) FROM redemption").fetchone()[0],
                    conn.execute("SELECT COUNT(*), COALESCE(SUM(points), 0) FROM points_entry"
                                 ).fetchone(),
                    conn.execute("SELECT SUM(stock) FROM good").fetchone()[0],
                    conn.execute("SELECT points_balance FROM volunteer WHERE number = ?",
                                 (prepared.redeemer,)).fetchone()[0],
                    conn.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0])

    _run_kills(prepared, tmp_path,
               lambda _r: ("shop", "redeem", prepared.redeemer, *prepared.redeem_items),
               state, seed=13)


def _restore_state(register: Path) -> object:
    with _opened(register) as conn:
        return (conn.execute("SELECT COUNT(*) FROM redemption").fetchone()[0],
                conn.execute("SELECT COUNT(*), COALESCE(SUM(points), 0) FROM points_entry"
                             ).fetchone(),
                conn.execute("SELECT SUM(stock) FROM good").fetchone()[0],
                conn.execute("SELECT COUNT(*) FROM volunteer").fetchone()[0])


def test_killed_restore_leaves_old_or_new(prepared: Prepared, tmp_path: Path) -> None:
    """`yilian restore` puts a backup of the prepared register over one with a redemption
    more; killed anywhere, the path holds one of the two, whole."""
    if not (ROOT / "app" / "cli" / "backup.py").exists():
        pytest.skip("restore not yet built")
    folder = tmp_path / "made"
    folder.mkdir()
    source = folder / "source.sqlite3"
    shutil.copy(prepared.register, source)
    backup_file = folder / "before.ylbak"
    subprocess.run(_command(source, "backup", str(backup_file)), env=_env(), cwd=ROOT,
                   check=True, capture_output=True)
    changed = folder / "changed.sqlite3"
    shutil.copy(prepared.register, changed)
    subprocess.run(_command(changed, "shop", "redeem", prepared.redeemer,
                            *prepared.redeem_items), env=_env(), cwd=ROOT, check=True,
                   capture_output=True)
    old, new = _restore_state(changed), _restore_state(prepared.register)
    assert old != new
    args = ("restore", str(backup_file))

    reference = tmp_path / "reference" / "register.sqlite3"
    reference.parent.mkdir()
    shutil.copy(changed, reference)
    def working(home: Path) -> bool:
        return any(home.glob(".yilian-restore-*"))

    start = time.monotonic()
    proc = subprocess.Popen(_command(reference, *args), env=_env(), cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seen: list[float] = []
    while proc.poll() is None:
        if working(reference.parent):
            seen.append(time.monotonic() - start)
        time.sleep(POLL)
    end = time.monotonic() - start
    assert proc.returncode == 0 and seen
    assert _restore_state(reference) == new
    rng = random.Random(14)
    landed: Counter[str] = Counter()
    for i in range(KILLS):
        home = tmp_path / f"run{i}"
        home.mkdir()
        run = home / "register.sqlite3"
        shutil.copy(changed, run)
        proc = subprocess.Popen(_command(run, *args), env=_env(), cwd=ROOT,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if rng.random() < 2 / 3:  # into the restore, counted from its work folder appearing
            while proc.poll() is None and not working(home):
                time.sleep(POLL / 4)
            delay = rng.uniform(0, seen[-1] - seen[0])
        else:
            delay = rng.uniform(0, end)
        deadline = time.monotonic() + delay
        while proc.poll() is None and time.monotonic() < deadline:
            time.sleep(POLL / 4)
        if proc.poll() is not None:
            landed["finished"] += 1
        else:
            inside = working(home)
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            landed["during restore" if inside else "before or after"] += 1
        assert run.exists(), f"kill {i}: no register at the path"
        _integrity(run)
        assert _restore_state(run) in (old, new), f"kill {i}: a mixture"
        _totals_agree(run)
        shutil.rmtree(home)
    print(f"\nrestore takes {end:.2f}s; kills: {dict(landed)}")
    assert landed["during restore"] >= KILLS // 3, dict(landed)
