"""Importing volunteers from Excel, on SQLite and PostgreSQL: the community roster sample
end to end, the template round trip, all-or-nothing commits, and the fast check agreeing
with the full rule check."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import openpyxl
import pytest

from app.domain.errors import DuplicateError
from app.domain.pinyin import name_grams, name_keys
from app.domain.volunteer import IdType, VolunteerDraft
from app.services.common import settings
from app.services.common.progress import Cancelled, NullProgress
from app.services.volunteers import demo
from app.services.volunteers import importing as volunteer_import
from app.services.volunteers import registration as volunteers
from app.services.volunteers.import_columns import COLUMNS, TEMPLATE_SHEET, field_for
from app.services.volunteers.importing import ImportFileError, PinyinKeys
from app.store.db import database
from app.store.models import Area, AuditLog, NumberSequence, Volunteer, VolunteerNameGram

TODAY = dt.date(2026, 9, 1)
BAD_ROWS = {20, 24, 28, 32, 36, 40, 44}



def counts() -> dict[str, object]:
    """Everything an import touches, to prove a failed one left no trace."""
    seq = NumberSequence.get_or_none(NumberSequence.name == "volunteer")
    return {"volunteer": Volunteer.select().count(),
            "grams": VolunteerNameGram.select().count(),
            "audit": AuditLog.select().count(), "area": Area.select().count(),
            "next_number": None if seq is None else seq.next_value}


def sheet(path: Path, header: list[str], rows: list[list[object]],
          title: str | None = None) -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    if title:
        ws.append([title])
    ws.append(header)
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


# ---------------------------------------------------------------- the community roster

def test_sample_refuses_exactly_the_rows_the_note_lists(register, sample):
    preview = volunteer_import.read(sample, today=TODAY)
    assert preview.header_row == 2
    assert preview.total_rows == 60              # not the empty row, not the 合计 row
    assert preview.bad_rows == BAD_ROWS
    assert len(preview.valid) == 53
    assert {r.row for r in preview.valid}.isdisjoint(BAD_ROWS)
    by_row = {p.row: p for p in preview.problems}
    assert len(preview.problems) == len(BAD_ROWS)  # one line per refused row
    expected = {
        20: ("身份证号码", "存成了数字"), 24: ("身份证号码", "校验位"),
        28: ("联系电话", "座机"), 32: ("姓名", "姓名"), 36: ("身份证号码", "第15行"),
        40: ("性别", "身份证号码显示为男"), 44: ("监护人姓名", "监护人"),
    }
    for row, (column, words) in expected.items():
        assert by_row[row].column == column, row
        assert words in by_row[row].reason, by_row[row]
    assert "1.10105E+17" in by_row[20].reason
    assert "朱象霞" in by_row[36].reason          # names the other row's person
    assert "10岁" in by_row[44].reason
    assert Volunteer.select().count() == 0       # nothing until the user decides


def test_sample_rows_are_normalised(register, sample):
    preview = volunteer_import.read(sample, today=TODAY)
    rows = {r.row: r.draft for r in preview.valid}
    assert rows[4].id_number == "34010419631127329X"        # lower-case x
    assert rows[8].name == "丁勇"                            # spaces around the name
    assert rows[10].phone == "17469086206"                  # 174-6908-6206
    assert rows[11].phone == "18211083948"                  # +86
    assert rows[14].id_number == "370883196202138020"       # full-width digits
    assert rows[16].sex == "M"                              # empty, from the ID
    assert (rows[3].street, rows[3].community) == ("工人新村南村街道", "西区社区")
    assert (rows[31].street, rows[31].community) == ("", "天成新居社区")  # no 街道 to split
    assert rows[3].registered_on == TODAY
    assert rows[3].id_type is IdType.RESIDENT
    assert isinstance(rows[3], VolunteerDraft)


def test_commit_with_bad_rows_needs_skip_invalid(register, sample):
    preview = volunteer_import.read(sample, today=TODAY)
    before = counts()
    with pytest.raises(ValueError, match="7行存在问题"):
        volunteer_import.commit(preview)
    assert counts() == before


def test_skip_invalid_imports_53_with_keys_grams_areas_and_audit(register, sample):
    preview = volunteer_import.read(sample, today=TODAY)
    result = volunteer_import.commit(preview, skip_invalid=True)
    assert (result.imported, result.skipped) == (53, 7)
    assert (result.first_number, result.last_number) == ("V00000001", "V00000053")
    assert Volunteer.select().count() == 53
    one = volunteers.get_by_number("V00000001")
    assert one.draft.name == "肖静" and one.draft.community == "西区社区"
    # The same search columns `volunteers.register` writes.
    for row in Volunteer.select():
        initials, full = name_keys(row.name)
        assert (row.name_initials, row.name_pinyin) == (initials, full.replace(" ", ""))
        grams = {g.gram for g in VolunteerNameGram.select().where(
            VolunteerNameGram.volunteer == row.id)}
        assert grams == name_grams(row.name)
    assert ("", "工人新村南村街道", "西区社区") in set(
        Area.select(Area.district, Area.street, Area.community).tuples())
    summary = AuditLog.get(AuditLog.entity_id == "V00000001..V00000053")
    after = json.loads(summary.after)
    assert after["skipped_rows"] == sorted(BAD_ROWS)
    assert after["file"] == "花名册.xlsx"
    assert after["rows"][1] == 4  # V00000002 came from spreadsheet row 4
    assert len(after["rows"]) == 53
    assert summary.actor == "tester" and summary.action == "import"


def test_second_import_reports_every_row_as_registered(register, sample):
    first = volunteer_import.read(sample, today=TODAY)
    volunteer_import.commit(first, skip_invalid=True)
    again = volunteer_import.read(sample, today=TODAY)
    assert len(again.valid) == 0
    registered = {p.row: p.reason for p in again.problems if "已登记" in p.reason}
    assert set(registered) == {r.row for r in first.valid}
    assert "V00000001 肖静" in registered[3]


def test_fast_check_agrees_with_the_full_rule_check(register, sample):
    fast = volunteer_import._read(sample, NullProgress(), TODAY, fast=True)
    full = volunteer_import._read(sample, NullProgress(), TODAY, fast=False)
    assert fast.valid.rows == full.valid.rows
    assert fast.valid.values == full.valid.values
    assert fast.problems == full.problems


def test_fast_check_agrees_on_awkward_rows(register, tmp_path):
    """Mixed cells the vectorised check must either accept exactly as `validated` does or
    leave to it: minors, number cells, dates as text, foreign IDs, odd sexes."""
    rng = random.Random(5)
    people = list(demo._people(rng, 300, TODAY, demo.areas()))
    header = ["姓名", "性别", "证件类型", "身份证号码", "出生日期", "手机", "社区", "登记日期",
              "监护人", "监护人身份证号码", "监护人电话", "监护人同意", "紧急联系电话"]
    rows: list[list[object]] = []
    for k, p in enumerate(people):
        name, sex, id_number, phone, community = p[0], p[3], p[4], p[6], p[9]
        variant = k % 12
        row: list[object] = [name, "男" if sex == "M" else "女", "", id_number, "", phone,
                             p[8] + community, p[17], p[13], p[14], p[15],
                             "是" if p[16] else "", ""]
        if variant == 1:
            row[5] = float(phone)                       # phone typed as a number
        elif variant == 2:
            row[1] = "F" if sex == "M" else "M"        # contradicts the ID
        elif variant == 3:
            row[7] = "2024年5月1日"
        elif variant == 4:
            row[7] = "2099-01-01"                      # in the future
        elif variant == 5:
            row[2], row[3], row[4] = "护照", f"E{k:08d}", dt.date(1990, 1, 1)
        elif variant == 6:
            row[12] = "010-1234567"
        elif variant == 7:
            row[0] = f" {name} "
        elif variant == 8:
            row[1] = ""
        elif variant == 9:
            row[11] = "也许"
        elif variant == 10:
            row[3] = id_number.lower()
        rows.append(row)
    path = sheet(tmp_path / "mixed.xlsx", header, rows)
    fast = volunteer_import._read(path, NullProgress(), TODAY, fast=True)
    full = volunteer_import._read(path, NullProgress(), TODAY, fast=False)
    assert fast.valid.values == full.valid.values
    assert fast.problems == full.problems
    assert 0 < len(fast.valid) < 300 and fast.problems


def test_duplicate_registered_after_preview_is_caught_in_the_commit(register, sample):
    preview = volunteer_import.read(sample, today=TODAY)
    volunteers.register(preview.valid[5].draft)
    before = counts()
    with pytest.raises(DuplicateError, match="已有1人被登记"):
        volunteer_import.commit(preview, skip_invalid=True)
    assert counts() == before


# ---------------------------------------------------------------- all or nothing

class CancelAfter:
    """Says "cancel" once the commit has reported `chunks` chunks of progress."""

    def __init__(self, chunks: int) -> None:
        self.chunks = chunks
        self.seen = 0

    def set_progress(self, done: int, total: int, message: str = "") -> None:
        if message == "正在导入" and done > 0:
            self.seen += 1

    def is_cancelled(self) -> bool:
        return self.seen >= self.chunks


def test_cancel_midway_through_the_commit_leaves_the_register_as_it_was(
        register, sample, monkeypatch):
    demo.generate(5, seed=9)
    preview = volunteer_import.read(sample, today=TODAY)
    before = counts()
    monkeypatch.setattr(volunteer_import, "COMMIT_CHUNK", 10)
    state = CancelAfter(2)
    with pytest.raises(Cancelled):
        volunteer_import.commit(preview, skip_invalid=True, state=state)
    assert state.seen == 2                      # two chunks were written, then rolled back
    assert counts() == before
    assert database.obj.in_transaction() is False


def test_failure_midway_through_the_commit_leaves_the_register_as_it_was(
        register, sample, monkeypatch):
    demo.generate(5, seed=9)
    preview = volunteer_import.read(sample, today=TODAY)
    before = counts()
    monkeypatch.setattr(volunteer_import, "COMMIT_CHUNK", 10)
    real = volunteer_import.bulk_insert
    calls = {"n": 0}

    def failing(table, columns, rows, page=5000):
        calls["n"] += 1
        if calls["n"] == 7:                     # the third chunk's volunteers
            raise RuntimeError("disk full")
        return real(table, columns, rows, page)

    monkeypatch.setattr(volunteer_import, "bulk_insert", failing)
    with pytest.raises(RuntimeError, match="disk full"):
        volunteer_import.commit(preview, skip_invalid=True)
    assert counts() == before


def test_read_reports_progress_and_can_be_cancelled(register, sample, monkeypatch):
    class Recorder(NullProgress):
        def __init__(self) -> None:
            self.calls: list[tuple[int, int]] = []

        def set_progress(self, done: int, total: int, message: str = "") -> None:
            self.calls.append((done, total))

    monkeypatch.setattr(volunteer_import, "CHECK_CHUNK", 20)
    recorder = Recorder()
    volunteer_import.read(sample, recorder, TODAY)
    assert (60, 60) in recorder.calls and (20, 60) in recorder.calls

    class Cancelling(NullProgress):
        def is_cancelled(self) -> bool:
            return True

    with pytest.raises(Cancelled):
        volunteer_import.read(sample, Cancelling(), TODAY)


# ---------------------------------------------------------------- other files

def test_template_round_trip(register, tmp_path):
    path = tmp_path / "模板.xlsx"
    volunteer_import.write_template(path)
    book = openpyxl.load_workbook(path)
    ws = book[TEMPLATE_SHEET]
    headers = [c.value for c in ws[1]]
    assert headers == [c.header for c in COLUMNS]
    id_col = headers.index("身份证号码") + 1
    assert ws.cell(row=2, column=id_col).number_format == "@"
    assert ws.cell(row=2, column=headers.index("联系电话") + 1).number_format == "@"
    lists = {str(v.sqref).split(":")[0][:-1]: v.formula1
             for v in ws.data_validations.dataValidation}
    sex_letter = openpyxl.utils.get_column_letter(headers.index("性别") + 1)
    assert lists[sex_letter] == '"男,女"'
    assert "填写说明" in book.sheetnames
    notes = [row[0] for row in book["填写说明"].iter_rows(min_row=2, values_only=True)]
    assert "身份证号码" in notes

    values = {"姓名": "张三", "身份证号码": "11010519491231002X", "联系电话": "13800138000",
              "所属街道": "解放路街道", "所属社区": "和平社区", "政治面貌": "群众",
              "学历": "本科", "登记日期": dt.date(2026, 3, 1), "备注": "模板"}
    for name, value in values.items():
        ws.cell(row=2, column=headers.index(name) + 1, value=value)
    book.save(path)
    preview = volunteer_import.read(path, today=TODAY)
    assert (preview.total_rows, len(preview.valid), preview.problems) == (1, 1, [])
    draft = preview.valid[0].draft
    assert (draft.sex, draft.education, draft.registered_on) == ("F", "本科", dt.date(2026, 3, 1))
    assert volunteer_import.commit(preview).imported == 1
    assert volunteers.get_by_number("V00000001").draft.remarks == "模板"


def test_synonyms_minors_numbers_and_dates(register, tmp_path):
    header = ["编号", "名字", "证件号码", "手机号码", "街道", "社区", "服务意愿", "特长",
              "学校", "监护人", "监护人身份证号码", "监护人电话", "监护人同意", "报名日期",
              "民族"]
    minor = "11010520140101001X"        # a boy of 12 on TODAY
    rows: list[list[object]] = [
        [1, "李雷", minor, 13800138000.0, "解放路街道", "和平社区", "助老", "绘画", "实验小学",
         "李父", "110105198001010016", "13900139000", "是", "2026/8/1", "汉"],
        [2, "韩梅梅", "11010519491231002X", "13800138001", "", "幸福社区", "", "", "",
         "", "", "", "", 46000, "汉"],
        [3, "王五", "110105199001010010", "13800138002", "", "", "", "", "", "", "", "", "",
         "八月", "汉"],
        ["小计", "", "", "", "", "", "", "", "", "", "", "", "", "", ""],
    ]
    path = sheet(tmp_path / "other.xlsx", header, rows, title="报名表")
    preview = volunteer_import.read(path, today=TODAY)
    assert preview.header_row == 2 and preview.total_rows == 3
    assert preview.ignored_columns == ["民族"]
    valid = {r.row: r.draft for r in preview.valid}
    assert valid[3].guardian_name == "李父" and valid[3].guardian_consent is True
    assert valid[3].phone == "13800138000" and valid[3].employer == "实验小学"
    assert valid[3].registered_on == dt.date(2026, 8, 1)
    assert valid[4].registered_on == dt.date(2025, 12, 9)   # Excel serial 46000
    assert [(p.row, p.column) for p in preview.problems] == [(5, "报名日期")]
    assert "八月" in preview.problems[0].reason


def test_policy_from_settings_applies(register, tmp_path):
    settings.put(settings.MIN_AGE, 14)
    path = sheet(tmp_path / "kid.xlsx", ["姓名", "身份证号码", "联系电话"],
                 [["李雷", "11010520140101001X", "13800138000"]])
    preview = volunteer_import.read(path, today=TODAY)
    assert "未满14岁不能登记" in preview.problems[0].reason


def test_file_level_errors(register, tmp_path):
    with pytest.raises(ImportFileError, match="找不到文件"):
        volunteer_import.read(tmp_path / "none.xlsx")
    text = tmp_path / "roster.csv"
    text.write_text("姓名,身份证号码\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="不支持"):
        volunteer_import.read(text)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(ImportFileError, match="无法读取"):
        volunteer_import.read(broken)
    no_header = sheet(tmp_path / "plain.xlsx", ["a", "b"], [[1, 2]])
    with pytest.raises(ImportFileError, match="找不到表头"):
        volunteer_import.read(no_header)
    no_phone = sheet(tmp_path / "nophone.xlsx", ["姓名", "身份证号码"], [["张三", "1"]])
    with pytest.raises(ImportFileError, match="缺少：联系电话"):
        volunteer_import.read(no_phone)


def test_nothing_valid_cannot_be_committed(register, tmp_path):
    path = sheet(tmp_path / "bad.xlsx", ["姓名", "身份证号码", "联系电话"],
                 [["", "1", "2"]])
    preview = volunteer_import.read(path, today=TODAY)
    with pytest.raises(ValueError, match="没有可以导入的行"):
        volunteer_import.commit(preview, skip_invalid=True)


# ---------------------------------------------------------------- no database needed

def test_header_synonyms():
    assert field_for("身份证号") == "id_number"
    assert field_for("*身份证号码（18位）") == "id_number"
    assert field_for(" 手 机 ") == "phone"
    assert field_for("序号") == "__ignored__"
    assert field_for("民族") is None


def test_pinyin_keys_match_name_keys():
    names = {p[0] for p in demo._people(random.Random(2), 3000, TODAY, demo.areas())}
    names |= {"曾志强", "单田芳", "解放", "查良镛", "欧阳娜娜", "朴树", "区家麟", "乐嘉", "覃勇",
              "长孙无忌", "王小明", "John Smith", "阿依古丽·买买提", "张"}
    keys = PinyinKeys()
    for name in names:
        initials, full = name_keys(name)
        assert keys.keys(name) == (initials, full.replace(" ", "")), name
        assert set(keys.grams(name)) == name_grams(name)


def test_bulk_import_rebuilds_every_index(register, tmp_path):
    """A large import drops and rebuilds the list indexes on SQLite; they must all be back."""
    def index_names() -> set[str]:
        return {i.name for i in register.get_indexes("volunteer")}

    before = index_names()
    path = tmp_path / "one.xlsx"
    volunteer_import.write_template(path)
    from openpyxl import load_workbook

    book = load_workbook(path)
    sheet = book.worksheets[0]
    header_row = next(r for r in range(1, 6) if sheet.cell(r, 1).value)
    headers = [c.value for c in sheet[header_row]]
    values = {"姓名": "王五", "身份证号码": "11010519491231002X", "联系电话": "13800138000"}
    for col, name in enumerate(headers, start=1):
        if name in values:
            sheet.cell(header_row + 1, col, values[name])
    book.save(path)
    preview = volunteer_import.read(path)
    assert not preview.problems, preview.problems
    assert volunteer_import.commit(preview).imported == 1  # 1 >= 25 % of an empty register
    assert index_names() == before
    from app.services.volunteers import listing as vl

    assert [r.name for r in vl.page(vl.VolunteerFilter(text="ww"), 0, 5)] == ["王五"]
