"""An xlsx export that cannot be written (its folder does not exist) says so in Chinese
with exit code 3, and nothing else: no "Exception ignored" traceback from openpyxl's
half-written sheet after the message. Real processes, since the traceback came when the
interpreter collected the sheet, after the command had returned."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from app.domain.volunteer import VolunteerDraft
from app.services.volunteers import registration as volunteers
from app.store.db import bound, make_database
from app.store.migrations import migrate
from app.store.models import Activity, ServiceRecord


def yilian(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app.cli", *args], check=False,
                          capture_output=True, text=True, timeout=120)


def seed(target: str) -> None:
    """One volunteer with one approved record, so every export has a row to write."""
    with bound(make_database(target)) as db:
        db.connect()
        migrate()
        person = volunteers.register(VolunteerDraft(
            name="张三", id_number="11010519491231002X", phone="13800138000",
            registered_on=dt.date(2026, 1, 5)))
        start = dt.datetime(2026, 3, 3, 9)
        act = Activity.create(name="社区敬老服务", organizer="和平社区居委会",
                              starts_at=start, ends_at=start + dt.timedelta(hours=4))
        ServiceRecord.create(volunteer=person.id, activity=act.id, kind="manual",
                             status="approved", started_at=start,
                             ended_at=start + dt.timedelta(minutes=90), minutes=90)


@pytest.mark.parametrize("what", [
    ("volunteers",),
    ("hours", "--from", "2026-03-01", "--to", "2026-03-31"),
    ("orgs",),
])
def test_export_into_a_missing_folder_prints_only_the_message(db_target, tmp_path, what):
    seed(db_target)
    target = tmp_path / "没有这个文件夹" / "导出.xlsx"
    out = yilian("--db", db_target, "-q", "export", what[0], str(target), *what[1:])
    assert out.returncode == 3, out.stderr
    assert "Exception ignored" not in out.stderr, out.stderr
    assert "Traceback" not in out.stderr, out.stderr
    assert out.stderr.strip() == f"未完成：无法写入或读取文件{target}：文件或文件夹不存在"
    assert not target.parent.exists()
