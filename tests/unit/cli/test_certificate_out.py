"""`yilian certificate --out FILE` that cannot be written: the Chinese reason and exit 3
like every other CLI write failure, and no certificate number used up. Real processes
against a real register."""

from __future__ import annotations

import re

from app.store.db import bound, make_database
from app.store.models import Certificate
from tests.unit.cli.helpers import seed_one_record, yilian


def numbers(target: str) -> list[str]:
    with bound(make_database(target)) as db:
        db.connect()
        return [c.number for c in Certificate.select().order_by(Certificate.id)]


def test_unwritable_out_takes_no_number(db_target, tmp_path):
    seed_one_record(db_target, 150)
    period = ("--from", "2026-01-01", "--to", "2026-06-30")
    missing = tmp_path / "没有这个文件夹" / "证明.pdf"
    out = yilian("--db", db_target, "certificate", "--volunteer", "V00000001", *period,
                 "--out", str(missing))
    assert out.returncode == 3, out.stderr
    assert out.stderr.strip() == f"未完成：无法写入或读取文件{missing}：文件或文件夹不存在"
    assert out.stdout == "" and numbers(db_target) == []

    pdf = tmp_path / "证明.pdf"
    out = yilian("--db", db_target, "certificate", "--volunteer", "V00000001", *period,
                 "--out", str(pdf))
    assert out.returncode == 0, out.stderr
    assert re.search(r"ZM\d{4}-000001", out.stdout), out.stdout  # no gap left by the failure
    assert pdf.read_bytes().startswith(b"%PDF")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    assert len(numbers(db_target)) == 1
