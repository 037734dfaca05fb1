"""`yilian import / export / template orgs`, `validate uscc` and `demo --orgs` as a user runs
them: a real process and a real register (a SQLite file, or the PostgreSQL test server)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from app.store.db import bound, make_database
from app.store.models import Organization, Volunteer

SAMPLE = (Path(__file__).resolve().parents[4] / "shared" / "samples"
          / "orgs-street-register.xlsx")
REFUSED = (9, 11, 15, 16, 21, 22)


def yilian(db: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app.cli", "--db", db, "-q", *args],
                          check=False, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "YILIAN_USER": "tester"})


def orgs_in(db: str) -> int:
    with bound(make_database(db)) as database:
        database.connect()
        return int(Organization.select().count())


@pytest.fixture
def street(tmp_path: Path) -> Path:
    path = tmp_path / "台账.xlsx"
    shutil.copy(SAMPLE, path)
    return path


def test_check_only_prints_each_bad_row_and_imports_nothing(db_target, street):
    out = yilian(db_target, "import", "orgs", str(street))
    assert out.returncode == 1, out.stderr
    for row in REFUSED:
        assert f"第{row}行 [" in out.stdout
    assert "第16行 [组织名称] 请填写组织名称" in out.stdout
    assert "第15行 [统一社会信用代码] 统一社会信用代码与第13行" in out.stdout
    assert "第13行 [统一社会信用代码] 提示：" in out.stdout
    assert "共24行：有效18行，有问题6行" in out.stdout
    assert orgs_in(db_target) == 0
    refused = yilian(db_target, "import", "orgs", str(street), "--commit")
    assert refused.returncode == 1 and "未导入任何数据" in refused.stdout
    assert orgs_in(db_target) == 0


def test_commit_with_skip_invalid_then_export(db_target, street, tmp_path):
    out = yilian(db_target, "import", "orgs", str(street), "--commit", "--skip-invalid")
    assert "已导入18个社会组织（登记14个，备案4个），跳过6行" in out.stdout, out.stdout + out.stderr
    assert out.returncode == 1                      # some rows were bad, as for volunteers
    assert orgs_in(db_target) == 18
    path = tmp_path / "export.xlsx"
    out = yilian(db_target, "export", "orgs", str(path), "--search", "服务中心")
    assert out.returncode == 0 and "已导出" in out.stdout
    rows = list(openpyxl.load_workbook(path).worksheets[0].iter_rows(values_only=True))
    assert rows[0][0] == "组织名称" and len(rows) > 2
    assert all("服务中心" in r[0] for r in rows[1:])


def test_template_and_validate(tmp_path):
    db = str(tmp_path / "r.sqlite3")
    path = tmp_path / "模板.xlsx"
    assert yilian(db, "template", "orgs", str(path)).returncode == 0
    assert openpyxl.load_workbook(path).worksheets[0]["A1"].value == "组织名称"
    good = yilian(db, "validate", "uscc", "51420000mjh200395n")
    assert good.returncode == 0
    assert "有效：51420000MJH200395N" in good.stdout and "民政" in good.stdout
    assert "社会团体" in good.stdout and "420000" in good.stdout
    bad = yilian(db, "validate", "uscc", "51420000MJH200395M")
    assert bad.returncode == 1 and "无效：" in bad.stdout and "第18位" in bad.stdout
    letter = yilian(db, "validate", "uscc", "5O440305MJRNGE7G05")
    assert letter.returncode == 1 and "字母O" in letter.stdout


def test_demo_orgs(tmp_path):
    db = str(tmp_path / "demo.sqlite3")
    out = yilian(db, "demo", "--volunteers", "0", "--orgs", "40")
    assert out.returncode == 0, out.stderr
    assert "已生成40个演示社会组织" in out.stdout
    assert orgs_in(db) == 40
    with bound(make_database(db)) as database:
        database.connect()
        assert Volunteer.select().count() == 0
