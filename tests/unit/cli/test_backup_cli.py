"""`yilian backup` and `yilian restore` on SQLite files, in-process and as a plain subprocess."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from app.cli import main as cli
from app.domain.volunteer import VolunteerDraft
from app.services.volunteers import registration as volunteers
from app.store.db import bound, make_database
from app.store.migrations import migrate

ROOT = Path(__file__).resolve().parents[3]


def main(argv: list[str]) -> int:
    """The command in-process, closing the register afterwards as the process's exit would
    (an open connection would be another program using the file)."""
    from app.services import register

    try:
        return cli.main(argv)
    finally:
        register.close()


def volunteer_count(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM volunteer").fetchone()[0])


def add(path: Path, name: str, id_number: str) -> None:
    with bound(make_database(path)) as db:
        db.connect()
        migrate()
        volunteers.register(VolunteerDraft(name=name, id_number=id_number, phone="13800138000"))


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "register.sqlite3"
    add(path, "王芳", "110105199001010010")
    return path


def test_backup_then_restore(db, tmp_path, capsys):
    assert main(["-q", "--db", str(db), "backup", str(tmp_path / "save")]) == 0
    out = capsys.readouterr().out
    assert "已备份到" in out and "save.ylbak" in out
    add(db, "李四", "11010519491231002X")
    assert volunteer_count(db) == 2
    assert main(["-q", "--db", str(db), "restore", str(tmp_path / "save.ylbak")]) == 0
    out = capsys.readouterr().out
    assert "已从" in out and "被替换的登记簿文件保留为" in out
    assert volunteer_count(db) == 1
    kept = list(tmp_path.glob("register.replaced-*.sqlite3"))
    assert len(kept) == 1 and volunteer_count(kept[0]) == 2
    assert len(list((tmp_path / "backups").glob("yilian-auto-*-before-restore.ylbak"))) == 1


def test_damaged_backup_exits_nonzero_and_leaves_the_register(db, tmp_path, capsys):
    assert main(["-q", "--db", str(db), "backup", str(tmp_path / "save.ylbak")]) == 0
    file = tmp_path / "save.ylbak"
    file.write_bytes(file.read_bytes()[:-200])  # cut off the end (the zip's directory)
    add(db, "李四", "11010519491231002X")
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    capsys.readouterr()
    assert main(["-q", "--db", str(db), "restore", str(file)]) == 1
    err = capsys.readouterr().err
    assert "未通过检查" in err and "不完整" in err
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    assert volunteer_count(db) == 2
    assert not list(tmp_path.glob("register.replaced-*"))


def test_restore_as_a_plain_subprocess(db, tmp_path):
    """What a crash test kills: `python -m app.cli --db X restore FILE` on its own."""
    file = tmp_path / "save.ylbak"
    assert main(["-q", "--db", str(db), "backup", str(file)]) == 0
    add(db, "李四", "11010519491231002X")
    env = {**os.environ, "YILIAN_USER": "tester", "XDG_DATA_HOME": str(tmp_path / "home")}
    done = subprocess.run([sys.executable, "-m", "app.cli", "-q", "--db", str(db), "restore",
                           str(file)], cwd=ROOT, env=env, capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert volunteer_count(db) == 1
    with zipfile.ZipFile(file) as zf:
        assert "manifest.json" in zf.namelist()


def test_missing_file_is_explained(db, tmp_path, capsys):
    assert main(["-q", "--db", str(db), "restore", str(tmp_path / "none.ylbak")]) == 1
    assert "无法读取备份文件" in capsys.readouterr().err
