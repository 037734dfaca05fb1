"""Backups and restores on real registers: SQLite files and a real PostgreSQL server,
real zip files damaged on disk, and a real full file system (a 200 KB tmpfs)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import threading
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app.domain.volunteer import VolunteerDraft
from app.services.common import attachments, backup, restore, settings
from app.services.volunteers import registration as volunteers
from app.store.db import database, sqlite_path
from app.store.models import AuditLog, Volunteer

ID_A = "110105199001010010"
ID_B = "11010519491231002X"


@pytest.fixture(autouse=True)
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user's data folder (PostgreSQL attachments and backups) inside the test."""
    home = tmp_path / "data-home"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    return home


def add_volunteer(name: str, id_number: str) -> None:
    volunteers.register(VolunteerDraft(name=name, id_number=id_number, phone="13800138000"))


def add_file(content: bytes, name: str = "章程.pdf") -> Path:
    source = attachments.attachments_dir().parent / f"source-{name}"
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_bytes(content)
    try:
        return attachments.copy_in(source, attachments.attachments_dir(), "orgs/1").path
    finally:
        source.unlink()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def rewrite(file: Path, change: Callable[[Path], None]) -> Path:
    """A copy of a SQLite backup whose snapshot `change` edited, with a fresh manifest (so
    only the check under test can catch it)."""
    work = file.parent / "rewrite"
    work.mkdir()
    with zipfile.ZipFile(file) as zf:
        zf.extractall(work)
    snapshot = work / backup.SQLITE_MEMBER
    change(snapshot)
    manifest = json.loads((work / backup.MANIFEST).read_text("utf-8"))
    manifest["members"][backup.SQLITE_MEMBER] = digest(snapshot)
    manifest["counts"] = backup.snapshot_facts(snapshot)[1]
    (work / backup.MANIFEST).write_text(json.dumps(manifest), "utf-8")
    out = file.with_name("rewritten.ylbak")
    with zipfile.ZipFile(out, "w") as zf:
        for path in sorted(work.rglob("*")):
            if path.is_file():
                zf.write(path, path.relative_to(work).as_posix())
    shutil.rmtree(work)
    return out


def test_round_trip_restores_rows_and_attachments(register, tmp_path):
    add_volunteer("王芳", ID_A)
    stored = add_file(b"%PDF-1.4 charter")
    made = backup.create(tmp_path / "out" / "save.ylbak")
    assert made.path.is_file() and made.size == made.path.stat().st_size
    assert made.counts["volunteer"] == 1 and made.files == 1
    assert backup.last_backup_at() == made.created_at
    assert not list(made.path.parent.glob("*.partial"))

    add_volunteer("李四", ID_B)
    stored.unlink()
    seen = restore.inspect(made.path)
    assert seen.ok, seen.problems
    assert seen.counts["volunteer"] == 1 and seen.files == 1
    assert seen.schema_version == backup.known_schema_version()

    result = restore.restore(made.path)
    assert Volunteer.select().count() == 1
    assert Volunteer.get().name == "王芳"
    assert stored.read_bytes() == b"%PDF-1.4 charter"
    assert result.before is not None and result.before.path.is_file()
    assert result.before.path.parent == backup.backup_folder()
    assert restore.inspect(result.before.path).counts["volunteer"] == 2
    assert AuditLog.select().where(AuditLog.action == "restore").count() == 1
    if result.kept is not None:  # SQLite: the replaced file kept aside, readable
        assert result.kept.name.startswith("register.replaced-")
        with sqlite3.connect(result.kept) as old:
            assert old.execute("SELECT COUNT(*) FROM volunteer").fetchone()[0] == 2


def test_backup_while_another_connection_writes(register, tmp_path):
    if sqlite_path() is None:
        pytest.skip("SQLite's online backup; PostgreSQL uses pg_dump's snapshot")
    add_volunteer("王芳", ID_A)
    other = sqlite3.connect(str(sqlite_path()), timeout=10, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")  # another desk holds the write lock meanwhile
    other.execute("INSERT INTO setting (key, value) VALUES ('other.desk', 'busy')")
    writes = threading.Event()

    def keep_writing() -> None:
        for n in range(200):
            other.execute("UPDATE setting SET value = ? WHERE key = 'other.desk'", (str(n),))
        writes.set()

    writer = threading.Thread(target=keep_writing)
    writer.start()
    # note=False: recording the time is a write, which would queue behind the other desk
    made = backup.create(tmp_path / "busy.ylbak", note=False)
    writer.join()
    other.commit()
    other.close()
    assert writes.is_set()
    assert made.counts["volunteer"] == 1
    with zipfile.ZipFile(made.path) as zf:
        zf.extract(backup.SQLITE_MEMBER, tmp_path / "x")
    with sqlite3.connect(tmp_path / "x" / backup.SQLITE_MEMBER) as snap:
        keys = {r[0] for r in snap.execute("SELECT key FROM setting")}
    assert "other.desk" not in keys  # the uncommitted write is not in the snapshot
    assert restore.inspect(made.path).ok


def _register_state() -> tuple[int, str | None]:
    path = sqlite_path()
    return Volunteer.select().count(), (digest(path) if path is not None else None)


def _refused(file: Path, words: str) -> None:
    before = _register_state()
    seen = restore.inspect(file)
    assert not seen.ok
    assert any(words in p for p in seen.problems), seen.problems
    with pytest.raises(backup.BackupError) as caught:
        restore.restore(file)
    assert words in caught.value.message
    assert not database.is_closed()
    assert _register_state() == before


def test_bit_flip_inside_the_snapshot_is_refused(register, tmp_path):
    add_volunteer("王芳", ID_A)
    made = backup.create(tmp_path / "save.ylbak")
    with zipfile.ZipFile(made.path) as zf:
        info = zf.getinfo(backup.SQLITE_MEMBER if sqlite_path() else backup.PG_MEMBER)
    data = bytearray(made.path.read_bytes())
    data[info.header_offset + 30 + len(info.filename) + info.compress_size // 2] ^= 0x10
    made.path.write_bytes(bytes(data))
    add_volunteer("李四", ID_B)
    _refused(made.path, "已损坏")


def test_truncated_backup_is_refused(register, tmp_path):
    made = backup.create(tmp_path / "save.ylbak")
    data = made.path.read_bytes()
    made.path.write_bytes(data[: len(data) * 2 // 3])
    _refused(made.path, "不完整")


def test_newer_schema_is_refused(register, tmp_path):
    if sqlite_path() is None:
        pytest.skip("a SQLite snapshot is edited")
    made = backup.create(tmp_path / "save.ylbak")

    def newer(snapshot: Path) -> None:
        with sqlite3.connect(snapshot) as conn:
            conn.execute("UPDATE schema_version SET version = 99")

    _refused(rewrite(made.path, newer), "高于本程序支持的")


def test_damaged_database_pages_fail_the_integrity_check(register, tmp_path):
    if sqlite_path() is None:
        pytest.skip("a SQLite snapshot is edited")
    add_volunteer("王芳", ID_A)
    add_volunteer("李四", ID_B)
    made = backup.create(tmp_path / "save.ylbak")

    def scramble(snapshot: Path) -> None:
        with sqlite3.connect(snapshot) as conn:
            root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = "
                                "'volunteer'").fetchone()[0]
            size = conn.execute("PRAGMA page_size").fetchone()[0]
        data = bytearray(snapshot.read_bytes())
        start = (root - 1) * size
        data[start + 8:start + 40] = b"\xff" * 32  # the table's root page header and cells
        snapshot.write_bytes(bytes(data))

    bad = rewrite(made.path, scramble)
    assert not restore.inspect(bad).ok
    with pytest.raises(backup.BackupError):
        restore.restore(bad)
    assert Volunteer.select().count() == 2


def test_older_schema_backup_is_upgraded_on_restore(register, tmp_path):
    if sqlite_path() is None:
        pytest.skip("a SQLite snapshot is edited")
    made = backup.create(tmp_path / "save.ylbak")
    version_one = Path(__file__).resolve().parents[3] / "fixtures" / "register-v1.sqlite3"
    old = rewrite(made.path, lambda snapshot: shutil.copyfile(version_one, snapshot))
    seen = restore.inspect(old)
    assert seen.ok and seen.schema_version == 1
    result = restore.restore(old)
    assert result.upgraded_from == 1
    assert "hours_month" in database.get_tables()
    assert Volunteer.select().count() == seen.counts["volunteer"] == 20


def test_retention_deletes_only_the_oldest_automatic_backups(register, tmp_path):
    folder = tmp_path / "kept"
    settings.put(settings.BACKUP_FOLDER, str(folder))
    settings.put(settings.BACKUP_KEEP, 3)
    folder.mkdir()
    (folder / "mine.ylbak").write_bytes(b"a manual backup")
    (folder / "yilian-auto-notes.txt").write_text("not a backup")
    start = dt.datetime(2026, 1, 1, 8, 0, 0)
    for n in range(5):
        backup.create_automatic(backup.SCHEDULED, now=start + dt.timedelta(days=n))
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["mine.ylbak",
                     "yilian-auto-20260103-080000-scheduled.ylbak",
                     "yilian-auto-20260104-080000-scheduled.ylbak",
                     "yilian-auto-20260105-080000-scheduled.ylbak",
                     "yilian-auto-notes.txt"]


def test_schedule_waits_for_the_interval(register, tmp_path):
    settings.put(settings.BACKUP_FOLDER, str(tmp_path / "auto"))
    first = backup.run_due()
    assert first is not None and first.automatic
    assert backup.run_due() is None  # within 24 hours of the last
    settings.put(settings.BACKUP_LAST_AT, "2000-01-01T00:00:00")
    assert backup.run_due() is not None
    settings.put(settings.BACKUP_INTERVAL_HOURS, 0)
    settings.put(settings.BACKUP_LAST_AT, "2000-01-01T00:00:00")
    assert backup.run_due() is None


def test_setting_checks():
    assert backup.check_settings("24", "14", "") == {}
    errors = backup.check_settings("x", "0", "relative/folder")
    assert set(errors) == {"backup.interval_hours", "backup.keep", "backup.folder"}
    assert "整数" in errors["backup.interval_hours"]


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 200 KB file system (tmpfs), for a backup that does not fit."""
    folder = tmp_path / "tiny"
    folder.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=200k", "tmpfs", str(folder)],
                          capture_output=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)


def test_full_disk_gives_a_clear_message_and_no_partial_file(register, tiny_disk):
    add_volunteer("王芳", ID_A)
    add_file(os.urandom(400 * 1024), "扫描件.pdf")  # incompressible, twice the disk
    with pytest.raises(backup.BackupError) as caught:
        backup.create(tiny_disk / "save.ylbak")
    assert "磁盘空间不足" in caught.value.message
    assert list(tiny_disk.iterdir()) == []
    assert backup.last_backup_at() is None


def test_opening_an_older_register_backs_it_up_first(tmp_path):
    from app.services import register as register_service

    path = tmp_path / "old.sqlite3"
    shutil.copyfile(Path(__file__).resolve().parents[3] / "fixtures" / "register-v1.sqlite3",
                    path)
    try:
        result = register_service.open(path)
        assert result.from_version == 1 and result.backup is not None
        assert result.backup.parent == tmp_path / "backups"
        assert result.backup.name.endswith("-before-migration.ylbak")
        seen = restore.inspect(result.backup)
        assert seen.ok and seen.schema_version == 1 and seen.counts["volunteer"] == 20
        assert backup.last_backup_at() is None  # nothing written to the old schema
    finally:
        register_service.close()
