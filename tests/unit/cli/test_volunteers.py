"""`yilian import / export / template` as a user runs them: a real process and a real
register (a SQLite file, or the PostgreSQL test server)."""

from __future__ import annotations

import os
import subprocess
import sys

import openpyxl

from app.store.db import bound, make_database
from app.store.models import Volunteer

BAD_ROWS = (20, 24, 28, 32, 36, 40, 44)


def yilian(db: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app.cli", "--db", db, "-q", *args],
                          check=False, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "YILIAN_USER": "tester"})


def volunteers_in(db: str) -> int:
    with bound(make_database(db)) as database:
        database.connect()
        return int(Volunteer.select().count())



def test_check_only_prints_each_bad_row_and_imports_nothing(db_target, sample):
    out = yilian(db_target, "import", "volunteers", str(sample))
    assert out.returncode == 1, out.stderr
    for row in BAD_ROWS:
        assert f"第{row}行 [" in out.stdout
    assert "第20行 [身份证号码] 身份证号码被Excel存成了数字" in out.stdout
    assert "共60行：有效53行，有问题7行" in out.stdout
    assert volunteers_in(db_target) == 0


def test_commit_without_skip_invalid_imports_nothing(db_target, sample):
    out = yilian(db_target, "import", "volunteers", str(sample), "--commit")
    assert out.returncode == 1
    assert "未导入任何数据" in out.stdout
    assert volunteers_in(db_target) == 0


def test_commit_with_skip_invalid_imports_53(db_target, sample):
    out = yilian(db_target, "import", "volunteers", str(sample), "--commit",
                 "--skip-invalid")
    assert "已导入53名志愿者，跳过7行" in out.stdout, out.stdout + out.stderr
    assert volunteers_in(db_target) == 53
    again = yilian(db_target, "import", "volunteers", str(sample))
    assert again.stdout.count("已登记") == 53


def test_export_writes_a_readable_file(db_target, sample, tmp_path):
    yilian(db_target, "import", "volunteers", str(sample), "--commit", "--skip-invalid")
    path = tmp_path / "export.xlsx"
    out = yilian(db_target, "export", "volunteers", str(path))
    assert out.returncode == 0, out.stderr
    assert "已导出53名志愿者" in out.stdout
    rows = list(openpyxl.load_workbook(path).worksheets[0].iter_rows(values_only=True))
    assert rows[0][:2] == ("志愿者编号", "姓名") and len(rows) == 54
    assert rows[1][5].count("*") == 8                     # masked by default


def test_export_leaves_merged_records_out_unless_asked(db_target, sample, tmp_path):
    """The list hides merged (duplicate) records; the export wrote them as if current."""
    from app.services.volunteers import merge

    yilian(db_target, "import", "volunteers", str(sample), "--commit", "--skip-invalid")
    with bound(make_database(db_target)) as database:
        database.connect()
        keep, other = (v.id for v in Volunteer.select().order_by(Volunteer.id).limit(2))
        merge.merge(keep, other, "重复登记")
        database.close()
    path = tmp_path / "export.xlsx"
    assert "已导出52名志愿者" in yilian(db_target, "export", "volunteers", str(path)).stdout
    out = yilian(db_target, "export", "volunteers", str(path), "--include-merged")
    assert "已导出53名志愿者" in out.stdout


def test_template_then_import(db_target, tmp_path):
    path = tmp_path / "template.xlsx"
    out = yilian(db_target, "template", "volunteers", str(path))
    assert out.returncode == 0 and path.exists()
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    headers = [c.value for c in sheet[1]]
    for name, value in {"姓名": "张三", "身份证号码": "11010519491231002X",
                        "联系电话": "13800138000"}.items():
        sheet.cell(row=2, column=headers.index(name) + 1, value=value)
    book.save(path)
    out = yilian(db_target, "import", "volunteers", str(path), "--commit")
    assert out.returncode == 0, out.stdout
    assert "已导入1名志愿者" in out.stdout
