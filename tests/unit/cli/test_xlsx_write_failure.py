"""An xlsx export that cannot be written (its folder does not exist) says so in Chinese
with exit code 3, and nothing else: no "Exception ignored" traceback from openpyxl's
half-written sheet after the message. Real processes, since the traceback came when the
interpreter collected the sheet, after the command had returned."""

from __future__ import annotations

import pytest

from tests.unit.cli.helpers import seed_one_record, yilian


@pytest.mark.parametrize("what", [
    ("volunteers",),
    ("hours", "--from", "2026-03-01", "--to", "2026-03-31"),
    ("orgs",),
])
def test_export_into_a_missing_folder_prints_only_the_message(db_target, tmp_path, what):
    seed_one_record(db_target, 90)
    target = tmp_path / "没有这个文件夹" / "导出.xlsx"
    out = yilian("--db", db_target, "-q", "export", what[0], str(target), *what[1:])
    assert out.returncode == 3, out.stderr
    assert "Exception ignored" not in out.stderr, out.stderr
    assert "Traceback" not in out.stderr, out.stderr
    assert out.stderr.strip() == f"未完成：无法写入或读取文件{target}：文件或文件夹不存在"
    assert not target.parent.exists()
