"""Hostile spreadsheets fed to the volunteer and organization imports (calamine through
app.services.common.sheet_reading), on SQLite and PostgreSQL.

Every file is either read into a preview — each bad row reported with its row number and a
Chinese reason, nothing written until every row is valid or the user skips the bad ones — or
refused as a whole with an ImportFileError in Chinese. No other exception escapes.

Files are built with openpyxl; what openpyxl cannot write (a formula's cached value, control
characters, Excel's `_x0007_` escapes) is patched into the sheet's XML; junk is raw bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain.idcard import check_character
from app.domain.orgs.uscc import check_character as uscc_check
from app.domain.orgs.uscc import organization_check_character
from app.services.common.import_preview import ImportPreview
from app.services.common.sheet_reading import MAX_COLUMNS, ImportFileError
from app.services.orgs import importing as org_import
from app.services.volunteers import importing as volunteer_import
from app.store.models import AuditLog, NumberSequence, Organization, Volunteer

TODAY = dt.date(2026, 11, 30)
HEADER = ["姓名", "身份证号码", "联系电话", "登记日期", "技能特长"]
ORG_HEADER = ["组织名称", "组织类型", "统一社会信用代码", "成立日期", "备注"]
JUNK_EXAMPLES = 300
MUTATED_EXAMPLES = 300


def id_number(seq: int, birth: str = "19800101") -> str:
    first17 = f"110105{birth}{seq:03d}"
    return first17 + check_character(first17)


def ending_in_x() -> str:
    """A valid ID number whose check character is X (not 11010519491231002X)."""
    return next(n for seq in range(1, 1000)
                if (n := id_number(seq, "19700101")).endswith("X"))


def credit_code(seq: int) -> str:
    body = f"MJH{seq:05d}"
    first17 = f"51420000{body}{organization_check_character(body)}"
    return first17 + uscc_check(first17)


def book(path: Path, header: list[object], rows: list[list[object]]) -> Path:
    wb = openpyxl.Workbook()
    sheet = wb.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    wb.save(path)
    return path


def patch(path: Path, cells: dict[str, str]) -> Path:
    """Replace cells of the first sheet by raw XML (what openpyxl will not write)."""
    source = path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(source)) as zin, zipfile.ZipFile(path, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                for ref, xml in cells.items():
                    text, found = re.subn(rf'<c r="{ref}"[^>]*?(?:/>|>.*?</c>)', xml, text,
                                          count=1)
                    assert found == 1, ref
                data = text.encode()
            zout.writestr(item, data)
    return path


def counts() -> tuple[object, ...]:
    seq = NumberSequence.get_or_none(NumberSequence.name == "volunteer")
    return (Volunteer.select().count(), Organization.select().count(),
            AuditLog.select().count(), None if seq is None else seq.next_value)


def reasons(preview: ImportPreview) -> dict[int, str]:
    """Row -> every reason given for it; each problem names its row and says why."""
    out: dict[int, str] = {}
    for problem in preview.problems:
        assert problem.row > preview.header_row and problem.reason and problem.column
        out[problem.row] = out.get(problem.row, "") + problem.reason + "；"
    return out


def refuses_then_skips(preview: ImportPreview, commit, imported: int) -> None:
    """Nothing is written while a bad row is left unchosen; skipping writes the rest."""
    before = counts()
    with pytest.raises(ValueError, match="存在问题，未导入任何数据"):
        commit(preview)
    assert counts() == before
    assert commit(preview, skip_invalid=True).imported == imported


# ---------------------------------------------------------------- volunteers

def test_wrong_types_are_reported_per_row(register, tmp_path):
    rows = [
        ["张三", id_number(1), 13800138000, dt.date(2025, 1, 2), 42],       # numbers: fine
        [12345, id_number(2), "13800138000", "", True],                       # number name
        ["李四", 110105198001010030, "13800138000", "", ""],               # ID as a number
        ["王五", dt.datetime(1980, 1, 1), "13800138000", "", ""],          # date as ID
        ["赵六", True, "13800138000", "", ""],                               # bool as ID
        ["钱七", id_number(7), dt.date(2020, 1, 1), "", ""],                # date as phone
        ["孙八", id_number(8), "13800138000", True, ""],                    # bool as date
        ["周九", id_number(9), "13800138000", "下周一", ""],                  # text as date
    ]
    preview = volunteer_import.read(book(tmp_path / "类型.xlsx", HEADER, rows), today=TODAY)
    why = reasons(preview)
    assert set(why) == {4, 5, 6, 7, 8, 9}
    assert "存成了数字" in why[4]
    assert "身份证号码" in why[5] and "身份证号码" in why[6]
    assert "手机号码" in why[7] and "登记日期" in why[8] and "下周一" in why[9]
    refuses_then_skips(preview, volunteer_import.commit, 2)
    assert Volunteer.get(Volunteer.id_number == id_number(1)).skills == "42"
    assert Volunteer.get(Volunteer.id_number == id_number(2)).name == "12345"


def test_a_merged_name_reads_in_its_first_row_only(register, tmp_path):
    path = book(tmp_path / "合并.xlsx", HEADER,
                [["张三", id_number(1), "13800138000"], [None, id_number(2), "13800138000"]])
    wb = openpyxl.load_workbook(path)
    wb.active.merge_cells("A2:A3")  # type: ignore[union-attr]
    wb.save(path)
    preview = volunteer_import.read(path, today=TODAY)
    assert reasons(preview) == {3: "请填写姓名；"}
    refuses_then_skips(preview, volunteer_import.commit, 1)


def test_a_formula_is_read_as_its_cached_value_never_evaluated(register, tmp_path):
    path = book(tmp_path / "公式.xlsx", HEADER,
                [["PH", id_number(1), "13800138000"], ["PH", id_number(2), "13800138000"]])
    patch(path, {  # the formula says 李四; Excel last computed 张三
        "A2": '<c r="A2" t="str"><f>CONCATENATE("李","四")</f><v>张三</v></c>',
        "A3": '<c r="A3"><f>CONCATENATE("王","五")</f></c>'})  # never computed: empty
    preview = volunteer_import.read(path, today=TODAY)
    assert reasons(preview) == {3: "请填写姓名；"}
    refuses_then_skips(preview, volunteer_import.commit, 1)
    assert [v.name for v in Volunteer.select()] == ["张三"]


def test_full_width_digits_spaces_and_lower_case_x_are_read_as_the_number(register, tmp_path):
    number = "11010519491231002X"
    wide = "".join(chr(ord(c) + 0xFEE0) for c in number[:-1]) + "ｘ"
    rows = [["张三", wide, "１３８００１３８０００"],
            ["李四", f"{id_number(2)[:6]} {id_number(2)[6:14]} {id_number(2)[14:]}",
             "138 0013 8000"],
            ["王五", ending_in_x().lower(), "138-0013-8000"],
            ["赵六", "१" + id_number(4)[1:], "13800138000"],                  # Devanagari
            ["钱七", id_number(5), "१३८००१३८०००"]]
    preview = volunteer_import.read(book(tmp_path / "全角.xlsx", HEADER, rows), today=TODAY)
    why = reasons(preview)
    assert set(why) == {5, 6}
    assert "只能包含数字0–9和X" in why[5] and "只能包含数字0–9" in why[6]
    refuses_then_skips(preview, volunteer_import.commit, 3)
    stored = {v.name: (v.id_number, v.phone) for v in Volunteer.select()}
    assert stored == {"张三": (number, "13800138000"), "李四": (id_number(2), "13800138000"),
                      "王五": (ending_in_x(), "13800138000")}


def test_dates_in_the_documented_formats_and_excel_serials(register, tmp_path):
    rows = [["甲", id_number(1), "13800138000", "2025-11-30"],
            ["乙", id_number(2), "13800138000", "2025/11/30"],
            ["丙", id_number(3), "13800138000", "2025年11月30日"],
            ["丁", id_number(4), "13800138000", "20251130"],
            ["戊", id_number(5), "13800138000", "2025.11.30"],
            ["己", id_number(6), "13800138000", 46_000],             # Excel serial: 2025-12-09
            ["庚", id_number(7), "13800138000", dt.datetime(2025, 11, 30)],
            ["辛", id_number(8), "13800138000", "30/11/2025"],        # not a documented format
            ["壬", id_number(9), "13800138000", "2025-02-30"],        # no such day
            ["癸", id_number(10), "13800138000", "2027-01-01"]]       # after today
    preview = volunteer_import.read(book(tmp_path / "日期.xlsx", HEADER, rows), today=TODAY)
    why = reasons(preview)
    assert set(why) == {9, 10, 11}
    assert "30/11/2025" in why[9] and "2026-07-01" in why[9]
    refuses_then_skips(preview, volunteer_import.commit, 7)
    days = {v.name: v.registered_on for v in Volunteer.select()}
    assert set(days.values()) == {dt.date(2025, 11, 30), dt.date(2025, 12, 9)}
    assert days["己"] == dt.date(2025, 12, 9)


def test_control_characters_are_refused_and_emoji_kept(register, tmp_path):
    """Names: an emoji is a character like any other (no rule in app/domain/volunteer.py
    forbids it), stored as typed; a control character is refused with a reason."""
    path = book(tmp_path / "名字.xlsx", HEADER,
                [["张三😀", id_number(1), "13800138000"], ["PH", id_number(2), "13800138000"],
                 ["王五", id_number(3), "13800138000", "", "PH"]])
    patch(path, {"A3": '<c r="A3" t="inlineStr"><is><t>李_x0007_四</t></is></c>',
                 "E4": '<c r="E4" t="inlineStr"><is><t>唱歌_x0000_</t></is></c>'})
    preview = volunteer_import.read(path, today=TODAY)
    why = reasons(preview)
    assert set(why) == {3, 4}
    assert "姓名含有不可见的控制字符（U+0007）" in why[3] and "U+0000" in why[4]
    refuses_then_skips(preview, volunteer_import.commit, 1)
    assert Volunteer.get().name == "张三😀"


def test_long_text_in_a_cell_is_refused_at_its_field(register, tmp_path):
    path = book(tmp_path / "长.xlsx", HEADER, [["张三", id_number(1), "13800138000", "",
                                                "技" * 32_000]])
    preview = volunteer_import.read(path, today=TODAY)
    assert "技能特长过长（32000个字）" in reasons(preview)[2]


def test_a_stray_cell_far_right_or_far_down_is_refused_before_loading(register, tmp_path):
    """One cell at XFD1048576 made calamine ask for half a terabyte and abort the process."""
    for name, row, column in (("宽.xlsx", 2, 16_384), ("角.xlsx", 1_048_576, 16_384),
                              ("刚好.xlsx", 2, MAX_COLUMNS + 1)):
        path = book(tmp_path / name, HEADER, [["张三", id_number(1), "13800138000"]])
        wb = openpyxl.load_workbook(path)
        wb.active.cell(row=row, column=column, value="x")  # type: ignore[union-attr]
        wb.save(path)
        with pytest.raises(ImportFileError, match="列数过多"):
            volunteer_import.read(path, today=TODAY)
    tall = book(tmp_path / "高.xlsx", HEADER, [["张三", id_number(1), "13800138000"]])
    wb = openpyxl.load_workbook(tall)
    wb.active.cell(row=1_048_576, column=20, value="x")  # type: ignore[union-attr]
    wb.save(tall)
    with pytest.raises(ImportFileError, match="表格过大"):
        volunteer_import.read(tall, today=TODAY)
    assert counts()[0] == 0


def test_empty_files_and_sheets(register, tmp_path):
    zero = tmp_path / "空.xlsx"
    zero.write_bytes(b"")
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"MZ\x90\x00" + bytes(range(256)) * 40)
    empty = book(tmp_path / "空表.xlsx", [], [])
    for path, message in ((zero, "无法读取"), (junk, "无法读取"), (empty, "找不到表头")):
        with pytest.raises(ImportFileError, match=message):
            volunteer_import.read(path, today=TODAY)
    header_only = volunteer_import.read(book(tmp_path / "表头.xlsx", HEADER, []), today=TODAY)
    assert header_only.total_rows == 0 and not header_only.problems
    with pytest.raises(ValueError, match="没有可以导入的行"):
        volunteer_import.commit(header_only)
    assert counts() == (0, 0, 0, None)


def valid_xlsx() -> bytes:
    buffer = io.BytesIO()
    wb = openpyxl.Workbook()
    sheet = wb.active
    assert sheet is not None
    sheet.append(HEADER)
    sheet.append(["张三", id_number(1), "13800138000", "2025-11-30", "唱歌"])
    wb.save(buffer)
    return buffer.getvalue()


VALID = valid_xlsx()


@settings(max_examples=JUNK_EXAMPLES, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=4096))
def test_random_bytes_are_refused_as_a_file(tmp_path, data):
    path = tmp_path / "junk.xlsx"
    path.write_bytes(data)
    with pytest.raises(ImportFileError):
        volunteer_import.read(path, today=TODAY)


@settings(max_examples=MUTATED_EXAMPLES, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(("truncate", "flip", "splice")), st.integers(0, len(VALID) - 1),
       st.integers(1, 255))
def test_a_damaged_workbook_is_read_or_refused_never_crashes(register, tmp_path, how, at,
                                                            value):
    data = bytearray(VALID)
    if how == "truncate":
        data = data[:at]
    elif how == "flip":
        data[at] ^= value
    else:
        data[at:at] = bytes([value]) * 16
    path = tmp_path / "damaged.xlsx"
    path.write_bytes(bytes(data))
    try:
        preview = volunteer_import.read(path, today=TODAY)
    except ImportFileError as exc:
        assert str(exc)
        return
    reasons(preview)


# ---------------------------------------------------------------- organizations

def test_an_organization_register_with_hostile_cells(register, tmp_path):
    wide_code = "".join(chr(ord(c) + 0xFEE0) for c in credit_code(1))
    rows = [
        ["阳光社工服务中心", "民办非企业单位", wide_code, "2018年5月2日"],
        ["邻里互助会", "社会团体", 514200001, ""],                  # a code as a number
        ["PH", "社会团体", credit_code(3), "2018/05/02"],
        ["夕阳红合唱团", True, "", 43_000],
        ["绿色家园", "社区社会组织", "", "02/05/2018"],
        ["<b>童心</b>", "社区社会组织", "", "20180502", "'; DROP TABLE organization;--"],
        ["书香😀读书会", "社区社会组织", "१" + credit_code(7)[1:], ""],
    ]
    path = book(tmp_path / "组织.xlsx", ORG_HEADER, rows)
    patch(path, {"A4": '<c r="A4" t="inlineStr"><is><t>爱心_x0001_协会</t></is></c>'})
    preview = org_import.read(path, today=TODAY)
    why = reasons(preview)
    assert set(why) == {3, 4, 5, 6, 8}
    assert "统一社会信用代码" in why[3] and "控制字符" in why[4] and "组织类型" in why[5]
    assert "02/05/2018" in why[6] and "只能包含数字0–9和大写字母" in why[8]
    refuses_then_skips(preview, org_import.commit, 2)
    stored = {o.name: (o.credit_code, o.founded_on, o.remarks) for o in Organization.select()}
    assert stored == {
        "阳光社工服务中心": (credit_code(1), dt.date(2018, 5, 2), ""),
        "<b>童心</b>": (None, dt.date(2018, 5, 2), "'; DROP TABLE organization;--")}


def test_an_organization_file_that_is_junk_empty_or_too_wide(register, tmp_path):
    junk = tmp_path / "组织.xlsx"
    junk.write_bytes(b"\x00" * 10)
    with pytest.raises(ImportFileError, match="无法读取"):
        org_import.read(junk, today=TODAY)
    wide = book(tmp_path / "宽.xlsx", ORG_HEADER, [["阳光", "社会团体"]])
    wb = openpyxl.load_workbook(wide)
    wb.active.cell(row=1, column=16_384, value="x")  # type: ignore[union-attr]
    wb.save(wide)
    with pytest.raises(ImportFileError, match="列数过多"):
        org_import.read(wide, today=TODAY)
    header_only = org_import.read(book(tmp_path / "表头.xlsx", ORG_HEADER, []), today=TODAY)
    assert header_only.total_rows == 0
    assert counts() == (0, 0, 0, None)


def test_case_counts_are_reported(capsys):
    with capsys.disabled():
        print(f"\nhostile sheets: 19 hand-built files, {JUNK_EXAMPLES} random byte "
              f"strings, {MUTATED_EXAMPLES} damaged workbooks per backend")
