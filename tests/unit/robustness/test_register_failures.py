"""The register locked, read-only, gone, and a full disk: a Chinese message, nothing lost.

Real processes and real file systems: a second connection holding SQLite's write lock, a
tmpfs remounted read-only, a tmpfs unmounted under an open register, a tmpfs of 16 KB as an
export target. Mounting needs root (this suite's sandbox has it); elsewhere those tests skip.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import peewee
import pytest

from app.domain.hours import ActivityDraft
from app.services import register
from app.services.hours import activities
from app.services.volunteers import demo, exporting
from app.services.volunteers.listing import VolunteerFilter
from app.store.db import bound, make_database
from app.store.migrations import migrate

ROOT = Path(__file__).resolve().parents[3]
ADD = ("activity", "add", "--start", "2026-03-01 09:00", "--end", "2026-03-01 11:00", "--name")


def yilian(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app.cli", "-q", "--db", str(db), *args],
                          check=False, capture_output=True, text=True, timeout=120, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


def _new_register(path: Path, volunteers: int = 0) -> Path:
    with bound(make_database(path)) as db:
        db.connect()
        migrate()
        if volunteers:
            demo.generate(volunteers, seed=5)
        db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


def _activities(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("SELECT name FROM activity ORDER BY id")]
    finally:
        conn.close()


@contextlib.contextmanager
def _write_lock(path: Path) -> Iterator[sqlite3.Connection]:
    """Another desk inside a long write transaction."""
    conn = sqlite3.connect(path, timeout=0, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    finally:
        conn.execute("COMMIT")
        conn.close()


@contextlib.contextmanager
def _tmpfs(folder: Path, size: str = "20m") -> Iterator[Path]:
    if os.geteuid() != 0:
        pytest.skip("mounting a file system needs root")
    folder.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                          check=False, capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"mount refused here: {done.stderr!r}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False, capture_output=True)


# ---------------------------------------------------------------- owner-only files


def test_new_register_and_its_folders_are_owner_only(tmp_path: Path) -> None:
    os.chmod(tmp_path, 0o755)  # the user's own folder: left as it is
    path = tmp_path / "made" / "by" / "yilian" / "register.sqlite3"
    old = os.umask(0o022)
    try:
        with bound(make_database(path)) as db:
            db.connect()
            migrate()
            activities.create(ActivityDraft(name="权限", starts_at=_at(9), ends_at=_at(10)))
            wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
            assert wal.exists() and shm.exists()
            assert _mode(wal) == 0o600 and _mode(shm) == 0o600
    finally:
        os.umask(old)
    assert _mode(path) == 0o600
    for folder in (path.parent, path.parent.parent, path.parent.parent.parent):
        assert _mode(folder) == 0o700, folder
    assert _mode(tmp_path) == 0o755


def test_backups_and_attachments_are_owner_only(register, tmp_path: Path) -> None:
    """They hold the same ID numbers as the register: a backup file and the folders made
    for it and for attached documents were created 0644/0755."""
    from app.services.common import attachments, backup
    from app.store.db import is_sqlite

    if not is_sqlite():
        pytest.skip("the file modes are the SQLite snapshot's; pg_dump's path is tested apart")
    old = os.umask(0o022)
    try:
        made = backup.create(tmp_path / "new" / "backups" / "b.ylbak").path
        source = tmp_path / "章程.txt"
        source.write_text("第一条", encoding="utf-8")
        stored = attachments.copy_in(source, tmp_path / "files", "org/1")
    finally:
        os.umask(old)
    assert _mode(made) == 0o600
    assert _mode(made.parent) == 0o700 and _mode(made.parent.parent) == 0o700
    assert _mode(stored.path.parent) == 0o700 and _mode(tmp_path / "files") == 0o700


def test_an_existing_register_keeps_its_permissions(tmp_path: Path) -> None:
    path = _new_register(tmp_path / "shared.sqlite3")
    os.chmod(path, 0o640)
    with bound(make_database(path)) as db:
        db.connect()
    assert _mode(path) == 0o640


def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def _at(hour: int) -> object:
    import datetime as dt

    return dt.datetime(2026, 3, 1, hour, 0)


# ---------------------------------------------------------------- locked


def test_cli_waits_for_another_writer_then_writes(tmp_path: Path) -> None:
    """Two processes writing one file: the second waits on the busy timeout, both land."""
    path = _new_register(tmp_path / "r.sqlite3")
    with _write_lock(path) as other:
        other.execute("INSERT INTO activity (name, organizer, place, starts_at, ends_at, "
                      "category, status, created_at, version) VALUES ('别处', '', '', "
                      "'2026-03-01 09:00:00', '2026-03-01 10:00:00', '', 'planned', "
                      "'2026-03-01 08:00:00', 1)")
        proc = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "-q", "--db", str(path), *ADD, "此处"],
            cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(3.0)  # the other desk keeps writing a while (the CLI starts in ~0.5 s)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert _activities(path) == ["别处", "此处"]


def test_cli_says_the_register_is_in_use_after_the_busy_timeout(tmp_path: Path) -> None:
    path = _new_register(tmp_path / "r.sqlite3")
    with _write_lock(path):
        out = yilian(path, *ADD, "等不到")
    assert out.returncode == 3
    assert "登记簿正被另一处使用" in out.stderr
    assert "Traceback" not in out.stderr
    assert _activities(path) == []
    again = yilian(path, *ADD, "等不到")  # nothing in the way now: the same command works
    assert again.returncode == 0, again.stderr
    assert _activities(path) == ["等不到"]


def test_locked_is_told_apart_from_other_failures() -> None:
    locked = peewee.OperationalError("database is locked")
    assert register.unreachable_reason(locked) == "locked"
    assert "登记簿正被另一处使用" in (register.unreachable_message(locked) or "")
    assert register.unreachable_reason(
        peewee.OperationalError("attempt to write a readonly database")) == "readonly"
    assert register.unreachable_reason(
        peewee.OperationalError("database or disk is full")) == "full"
    assert register.unreachable_message(ValueError("x")) is None


# ---------------------------------------------------------------- read-only and gone


def test_read_only_disk_is_named_on_open_and_on_write(tmp_path: Path) -> None:
    with _tmpfs(tmp_path / "disk") as disk:
        path = _new_register(disk / "r.sqlite3")
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        out = yilian(path, *ADD, "只读")
        assert out.returncode == 3, out.stderr
        assert "只读" in out.stderr and "Traceback" not in out.stderr
        # (A disk cannot be remounted read-only while the register is open on it: Linux
        # refuses while a file is open for writing, so "turned read-only under an open
        # register" does not happen; a write then meets SQLite's "readonly", named above.)
        subprocess.run(["mount", "-o", "remount,rw", str(disk)], check=True)
        assert _activities(path) == []


def test_vanished_share_refuses_the_next_write(tmp_path: Path) -> None:
    """umount -l under an open register: the open handle would take the write into a file
    nobody can reach again; the write is refused and named instead."""
    with _tmpfs(tmp_path / "share") as share:
        path = _new_register(share / "r.sqlite3")
        register.open(path)
        try:
            activities.create(ActivityDraft(name="之前", starts_at=_at(9), ends_at=_at(10)))
            subprocess.run(["umount", "-l", str(share)], check=True)
            with pytest.raises(peewee.OperationalError) as caught:
                activities.create(ActivityDraft(name="之后", starts_at=_at(9),
                                                ends_at=_at(10)))
            assert register.unreachable_reason(caught.value) == "gone"
            assert "不在原处" in (register.unreachable_message(caught.value) or "")
        finally:
            register.close()


# ---------------------------------------------------------------- full disk


def test_export_to_a_full_disk_leaves_no_file(tmp_path: Path) -> None:
    path = _new_register(tmp_path / "r.sqlite3", volunteers=600)
    with _tmpfs(tmp_path / "stick", size="16k") as stick:
        target = stick / f"名单-{uuid.uuid4().hex[:6]}.xlsx"
        with bound(make_database(path)) as db:
            db.connect()
            with pytest.raises(OSError) as caught:
                exporting.export(VolunteerFilter(), target)
        assert caught.value.errno == errno.ENOSPC
        assert caught.value.filename == str(target)
        assert list(stick.iterdir()) == []  # neither the file nor its .part
        out = yilian(path, "export", "volunteers", str(target))
        assert out.returncode == 3, out.stderr
        assert "磁盘已满" in out.stderr and "Traceback" not in out.stderr
        assert list(stick.iterdir()) == []
