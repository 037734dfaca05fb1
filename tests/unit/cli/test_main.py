"""The `yilian` command as a user runs it: a real process, a real register file."""


from app import __version__
from tests.unit.cli.helpers import yilian


def test_version():
    out = yilian("--version")
    assert out.returncode == 0
    assert __version__ in out.stdout


def test_validate_idcard():
    ok = yilian("validate", "idcard", "11010519491231002x")
    assert ok.returncode == 0
    assert "1949-12-31" in ok.stdout and "女" in ok.stdout
    bad = yilian("validate", "idcard", "110105194912310021")
    assert bad.returncode == 1
    assert "校验位" in bad.stdout


def test_validate_phone():
    assert yilian("validate", "phone", "+86 138-0013-8000").returncode == 0
    bad = yilian("validate", "phone", "8825431")
    assert bad.returncode == 1 and "座机" in bad.stdout


def test_demo_builds_a_register(db_target):
    out = yilian("-q", "--db", db_target, "demo", "--volunteers", "300", "--seed", "4")
    assert out.returncode == 0, out.stderr
    assert "300" in out.stdout
    # Demo data never mixes with other records: a second run is refused, nothing added.
    again = yilian("-q", "--db", db_target, "demo", "--volunteers", "5")
    assert again.returncode == 1 and "未生成演示数据" in again.stdout


def test_a_file_that_is_not_a_roster_is_refused_with_its_reason(db_target, tmp_path):
    """It printed a traceback (ImportFileError reached the top)."""
    from openpyxl import Workbook

    path = tmp_path / "组织名册.xlsx"
    book = Workbook()
    book.active.append(["组织名称", "统一社会信用代码"])
    book.save(path)
    out = yilian("--db", db_target, "import", "volunteers", str(path))
    assert out.returncode == 1
    assert "Traceback" not in out.stderr
    assert out.stderr.startswith("错误：") and "找不到表头" in out.stderr
    missing = yilian("--db", db_target, "points", "balance", "V99999999")
    assert "Traceback" not in missing.stderr and missing.returncode != 0
