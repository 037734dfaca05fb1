"""`yilian export hours` (the national volunteer system's sheet) and `yilian verify-page`
as a user runs them: real processes against a real register."""

from __future__ import annotations

import datetime as dt

import openpyxl

from app.domain.volunteer import VolunteerDraft
from app.services.volunteers import registration as volunteers
from app.store.db import bound, make_database
from app.store.migrations import migrate
from app.store.models import Activity, ServiceRecord
from tests.unit.cli.helpers import yilian


def seed(target: str) -> int:
    """One activity on 3 March: 张三 150 min approved, 李四 60 min pending, 王五 30 min
    approved and reversed; another on 20 March: 张三 60 min approved. Returns the first."""
    with bound(make_database(target)) as db:
        db.connect()
        migrate()
        people = [volunteers.register(VolunteerDraft(
            name=name, id_number=number, phone="13800138000",
            registered_on=dt.date(2026, 1, 5))) for name, number in (
            ("张三", "11010519491231002X"), ("李四", "440524188001010014"),
            ("王五", "110105199001010010"))]
        first = None
        for day, rows in ((3, ((0, 150, "approved"), (1, 60, "pending"), (2, 30, "approved"))),
                          (20, ((0, 60, "approved"),))):
            start = dt.datetime(2026, 3, day, 9)
            act = Activity.create(name=f"社区敬老服务{day}", organizer="和平社区居委会",
                                  starts_at=start, ends_at=start + dt.timedelta(hours=4))
            first = first or act.id
            for who, minutes, status in rows:
                rec = ServiceRecord.create(
                    volunteer=people[who].id, activity=act.id, kind="manual", status=status,
                    started_at=start, ended_at=start + dt.timedelta(minutes=minutes),
                    minutes=minutes)
                if who == 2:
                    ServiceRecord.create(
                        volunteer=people[who].id, activity=act.id, kind="reversal",
                        status="approved", started_at=start, minutes=-minutes,
                        ended_at=start + dt.timedelta(minutes=minutes), reverses=rec.id)
        assert first is not None
        return first


def names(path) -> list[str]:
    sheet = openpyxl.load_workbook(path).active
    return [row[0].value for row in sheet.iter_rows(min_row=2)]


def test_export_hours_by_activity_and_range_asks_before_again(db_target, tmp_path):
    activity = seed(db_target)
    out_file = tmp_path / "一次.xlsx"
    out = yilian("--db", db_target, "export", "hours", str(out_file),
                 "--activity", str(activity))
    assert out.returncode == 0, out.stderr
    assert "导出1条服务记录" in out.stdout
    assert names(out_file) == ["张三"]  # pending 李四 and reversed 王五 left out
    header = [c.value for c in next(openpyxl.load_workbook(out_file).active.iter_rows())]
    assert header[:3] == ["志愿者姓名", "证件类型", "证件号码"]

    month = ("--from", "2026-03-01", "--to", "2026-03-31")
    again_file = tmp_path / "月.xlsx"
    out = yilian("--db", db_target, "export", "hours", str(again_file), *month)
    assert out.returncode == 1 and "此前已导出过" in out.stderr and "--again" in out.stderr
    assert not again_file.exists()
    out = yilian("--db", db_target, "export", "hours", str(again_file), *month, "--only-new")
    assert out.returncode == 0, out.stderr
    assert "导出1条" in out.stdout and "跳过此前已导出的1条" in out.stdout
    out = yilian("--db", db_target, "export", "hours", str(again_file), *month, "--again")
    assert out.returncode == 0, out.stderr
    assert "导出2条" in out.stdout and "其中2条此前已导出过" in out.stdout
    assert names(again_file) == ["张三", "张三"]


def test_export_hours_refuses_unclear_requests(db_target, tmp_path):
    seed(db_target)
    target = str(tmp_path / "x.xlsx")
    out = yilian("--db", db_target, "export", "hours", target, "--from", "2026-03-01")
    assert out.returncode == 1 and "--activity" in out.stderr
    out = yilian("--db", db_target, "export", "hours", target, "--activity", "1",
                 "--layout", "没有这个方案")
    assert out.returncode == 1 and "没有名为" in out.stderr
    out = yilian("--db", db_target, "export", "hours", target, "--activity", "1", "--again",
                 "--only-new")
    assert out.returncode == 2  # argparse: the two are exclusive


def test_verify_page_is_written_with_the_registers_key(db_target, tmp_path):
    seed(db_target)
    page = tmp_path / "verify.html"
    out = yilian("--db", db_target, "verify-page", "--out", str(page))
    assert out.returncode == 0, out.stderr
    assert "核验页面已保存" in out.stdout
    key = tmp_path / "key.pem"
    assert yilian("--db", db_target, "certificate-key", "--out", str(key)).returncode == 0
    text = page.read_text(encoding="utf-8")
    assert "<!DOCTYPE html>" in text and "nobleEd25519" in text
    kid = out.stdout.split("密钥标识")[1][:8]
    assert f'"id": "{kid}"' in text
    out = yilian("--db", db_target, "verify-page", "--out", str(page), "--also-key",
                 str(tmp_path / "missing.pem"))
    assert out.returncode == 1 and "无法读取公钥文件" in out.stderr


def test_export_hours_in_a_saved_layout(db_target, tmp_path):
    from app.services.hours import national_export as national

    activity = seed(db_target)
    with bound(make_database(db_target)) as db:
        db.connect()
        national.save_layout(national.Layout("区平台", (
            national.LayoutColumn("证件号", "id_number"),
            national.LayoutColumn("时长（分钟）", "minutes"),
            national.LayoutColumn("组织单位", "organizer"))))
    out_file = tmp_path / "区.xlsx"
    out = yilian("--db", db_target, "export", "hours", str(out_file), "--activity",
                 str(activity), "--layout", "区平台")
    assert out.returncode == 0, out.stderr
    assert "按“区平台”导出1条" in out.stdout
    rows = [[c.value for c in r] for r in openpyxl.load_workbook(out_file).active.iter_rows()]
    assert rows == [["证件号", "时长（分钟）", "组织单位"],
                    ["11010519491231002X", 150, "和平社区居委会"]]


def test_export_hours_says_why_in_chinese_and_marks_nothing(db_target, tmp_path):
    activity = seed(db_target)
    out = yilian("--db", db_target, "export", "hours", "--activity", "9999",
                 str(tmp_path / "x.xlsx"))
    assert out.returncode == 1 and "找不到活动（9999）" in out.stderr
    missing = tmp_path / "no-such-folder" / "x.xlsx"
    out = yilian("--db", db_target, "export", "hours", str(missing), "--activity",
                 str(activity))
    assert out.returncode == 3, out.stderr
    assert f"无法写入或读取文件{missing}：文件或文件夹不存在" in out.stderr
    # Nothing was marked exported: the next export does not ask.
    out = yilian("--db", db_target, "export", "hours", str(tmp_path / "x.xlsx"),
                 "--activity", str(activity))
    assert out.returncode == 0, out.stderr
    page = tmp_path / "no-such-folder" / "verify.html"
    out = yilian("--db", db_target, "verify-page", "--out", str(page))
    assert out.returncode == 3
    assert f"无法写入或读取文件{page}：文件或文件夹不存在" in out.stderr
