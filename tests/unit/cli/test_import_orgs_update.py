"""`yilian import orgs --update` and `--problems` as a user runs them: a real process and a
real register; exit codes as for volunteers (1 while the file has bad rows)."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from app.domain.orgs.uscc import check_character, organization_check_character
from app.store.db import bound, make_database
from app.store.models import Organization
from tests.unit.cli.test_orgs import yilian

HEADER = ["组织名称", "组织类型", "统一社会信用代码", "法定代表人/负责人", "登记/备案"]


def code(i: int) -> str:
    body8 = f"MJ{i:06d}"
    first17 = f"51370102{body8}{organization_check_character(body8)}"
    return first17 + check_character(first17)


def register_file(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    book.active.append(HEADER)
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def representatives(db: str) -> dict[str, tuple[str, int]]:
    with bound(make_database(db)) as database:
        database.connect()
        return {o.name: (o.legal_representative, o.version) for o in Organization.select()}


def test_update_and_problem_rows(db_target, tmp_path):
    first = register_file(tmp_path / "first.xlsx", [
        ["历下区邻里互助会", "社会团体", code(1), "张三", "登记"],
        ["泉城书画协会", "社会团体", code(2), "王五", "登记"]])
    assert yilian(db_target, "import", "orgs", str(first), "--commit").returncode == 0
    second = register_file(tmp_path / "second.xlsx", [
        ["历下区邻里互助会", "社会团体", code(1), "张小三", "登记"],
        ["泉城书画协会", "社会团体", code(2), "王五", "登记"],
        ["明湖环保协会", "社会团体", "", "钱七", "登记"]])          # 登记 without a code
    problems = tmp_path / "problems.xlsx"
    plain = yilian(db_target, "import", "orgs", str(second), "--commit", "--skip-invalid")
    assert plain.returncode != 0
    assert plain.stdout.count("不能重复登记") == 2 and "没有可以导入的行" in plain.stderr
    out = yilian(db_target, "import", "orgs", str(second), "--commit", "--update",
                 "--skip-invalid", "--problems", str(problems))
    assert out.returncode == 1, out.stderr
    assert (f"第2行 更新 {code(1)} 历下区邻里互助会：法定代表人/负责人：张三 → 张小三"
            in out.stdout)
    assert "已登记的组织：更新1个，无变化1个" in out.stdout
    assert "有问题的1行已连同原因保存到" in out.stdout
    assert "已导入0个社会组织（登记0个，备案0个），更新1个，跳过1行" in out.stdout, out.stdout
    assert representatives(db_target) == {"历下区邻里互助会": ("张小三", 2),
                                          "泉城书画协会": ("王五", 1)}
    rows = list(openpyxl.load_workbook(problems).worksheets[0].iter_rows(values_only=True))
    assert rows[0] == (*HEADER, "问题")
    assert rows[1][:3] == ("明湖环保协会", "社会团体", None)
    assert "须填写统一社会信用代码" in rows[1][5] and len(rows) == 2
    # the corrected problem file goes in cleanly: exit 0
    book = openpyxl.load_workbook(problems)
    book.worksheets[0].cell(row=2, column=3, value=code(3))
    book.save(problems)
    fixed = yilian(db_target, "import", "orgs", str(problems), "--commit", "--update")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert "已导入1个社会组织（登记1个，备案0个），更新0个，跳过0行" in fixed.stdout
    assert representatives(db_target)["明湖环保协会"] == ("钱七", 1)
