"""A kill in the middle of an import leaves the register as it was before the import.

A real `yilian import --commit` process is killed with SIGKILL once it reports that it is
writing; the register is then reopened and checked, on SQLite and on PostgreSQL.
"""

import datetime as dt
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from openpyxl import Workbook

from app.domain.idcard import age_on
from app.services.volunteers import demo
from app.services.volunteers import registration as volunteers
from app.store.models import AuditLog, Volunteer, VolunteerNameGram

ROWS = 30_000
WRITING = re.compile(r"正在导入 (\d+)/")


def _roster(path: Path) -> Path:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("志愿者")
    sheet.append(["姓名", "性别", "身份证号码", "联系电话", "所属街道", "所属社区"])
    today = dt.date.today()
    written = 0
    for p in demo._people(random.Random(11), ROWS * 2, today, demo.areas()):
        name, _i, _f, sex, id_number, birth, phone, _d, street, community = p[:10]
        if age_on(birth, today) < 18:
            continue
        sheet.append([name, "男" if sex == "M" else "女", id_number, phone, street, community])
        written += 1
        if written == ROWS:
            break
    book.save(path)
    return path


def _kill_when_writing(cmd: list[str]) -> None:
    """Start the import and SIGKILL it once it reports a first chunk written (uncommitted)."""
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL)
    assert proc.stderr is not None
    seen = b""
    deadline = time.monotonic() + 240
    while True:
        chunk = os.read(proc.stderr.fileno(), 256)
        assert chunk, f"import ended before writing: {seen.decode(errors='replace')}"
        seen += chunk
        done = [int(d) for d in WRITING.findall(seen.decode(errors="replace"))]
        if any(0 < d < ROWS for d in done):
            break
        assert not any(d >= ROWS for d in done), "the import finished before the kill"
        assert time.monotonic() < deadline
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    assert proc.returncode == -signal.SIGKILL


def test_kill_during_import_changes_nothing(register, db_target, backend, tmp_path):
    volunteers.register(volunteers.VolunteerDraft(
        name="张三", id_number="11010519491231002X", phone="13800138000"))
    before = (Volunteer.select().count(), VolunteerNameGram.select().count(),
              AuditLog.select().count())
    register.close()  # the child process must be able to take the write lock
    roster = _roster(tmp_path / "roster.xlsx")
    _kill_when_writing([sys.executable, "-m", "app.cli", "--db", db_target, "import",
                        "volunteers", str(roster), "--commit"])
    register.connect()
    after = (Volunteer.select().count(), VolunteerNameGram.select().count(),
             AuditLog.select().count())
    assert after == before
    if backend == "sqlite":
        con = sqlite3.connect(db_target)
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        con.close()
    # The register still works: the next volunteer gets the next number.
    nxt = volunteers.register(volunteers.VolunteerDraft(
        name="李四", id_number="440524188001010014", phone="13900139000"))
    assert nxt.number == "V00000002"
