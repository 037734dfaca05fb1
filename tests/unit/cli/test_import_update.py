"""`yilian import volunteers --update` and `--problems` as a user runs them: a real process
and a real register."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from app.store.db import bound, make_database
from app.store.models import Volunteer
from tests.unit.cli.test_volunteers import yilian

W = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(i: int) -> str:
    body = f"1101051980{(i % 12) + 1:02d}{(i % 28) + 1:02d}{i:03d}"
    return body + "10X98765432"[sum(int(x) * w for x, w in zip(body, W, strict=True)) % 11]


def roster(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    book.active.append(["姓名", "身份证号码", "联系电话"])
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def phones(db: str) -> dict[str, str]:
    with bound(make_database(db)) as database:
        database.connect()
        return {v.name: v.phone for v in Volunteer.select()}


def test_update_and_problem_rows(db_target, tmp_path):
    first = roster(tmp_path / "first.xlsx", [["张三", id_number(1), "13800138001"],
                                             ["李四", id_number(2), "13800138002"]])
    assert yilian(db_target, "import", "volunteers", str(first), "--commit").returncode == 0
    second = roster(tmp_path / "second.xlsx", [["张三", id_number(1), "13900139001"],
                                               ["李四", id_number(2), "13800138002"],
                                               ["王五", id_number(3), "1380013"]])
    problems = tmp_path / "problems.xlsx"
    plain = yilian(db_target, "import", "volunteers", str(second), "--commit",
                   "--skip-invalid")
    assert plain.stdout.count("已登记") == 2 and "没有可以导入的行" in plain.stderr
    out = yilian(db_target, "import", "volunteers", str(second), "--commit", "--update",
                 "--skip-invalid", "--problems", str(problems))
    assert "第2行 更新 V00000001 张三：联系电话：138****8001 → 139****9001" in out.stdout
    assert "已登记的人：更新1人，无变化1人" in out.stdout
    assert "已导入0名志愿者，更新1人，跳过1行" in out.stdout, out.stdout + out.stderr
    assert phones(db_target) == {"张三": "13900139001", "李四": "13800138002"}
    rows = list(openpyxl.load_workbook(problems).worksheets[0].iter_rows(values_only=True))
    assert rows[0] == ("姓名", "身份证号码", "联系电话", "问题")
    assert rows[1][:2] == ("王五", id_number(3)) and "联系电话" in rows[1][3]
