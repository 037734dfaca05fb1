"""Excel formula injection: text a person typed that Excel would run as a formula.

openpyxl writes any string starting with "=" as a formula, so a volunteer named
=HYPERLINK("http://x","点我") became a live link in the exported list. Every export writes
such text as a string cell with Excel's quotePrefix style (app.services.common.xlsx): read
back, the cell is a string ("s", never "f") holding exactly the text typed — no "'" added.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from python_calamine import CalamineWorkbook

from app.domain.idcard import check_character
from app.domain.orgs.draft import OrgDraft
from app.domain.orgs.kinds import OrgKind
from app.domain.points import MovementKind
from app.domain.volunteer import VolunteerDraft
from app.services.common import report_export
from app.services.common.import_preview import write_problem_rows, write_problems
from app.services.common.xlsx import FORMULA_STARTS, keep_sheet_text
from app.services.hours.records import ReportRow
from app.services.orgs import exporting as org_export
from app.services.orgs import registration as orgs
from app.services.orgs.listing import OrgFilter
from app.services.points.shop import MovementRow
from app.services.volunteers import exporting as volunteer_export
from app.services.volunteers import importing as volunteer_import
from app.services.volunteers import registration
from app.services.volunteers.listing import VolunteerFilter

LINK = '=HYPERLINK("http://x","点我")'
HOSTILE = (LINK, "+1+1", "-2+3", "@SUM(1,2)", "=1+1")
EXAMPLES = 150


def cells(path: Path) -> dict[str, tuple[str, object]]:
    """Every non-empty cell of the first sheet: text -> (openpyxl data type, calamine value)."""
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    out: dict[str, tuple[str, object]] = {}
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                out[cell.value] = (cell.data_type, rows[cell.row - 1][cell.column - 1])
    return out


def assert_text(path: Path, texts: tuple[str, ...]) -> None:
    found = cells(path)
    for text in texts:
        assert text in found, f"{text!r} not written as text"
        data_type, calamine_value = found[text]
        assert data_type == "s" and calamine_value == text
    book = openpyxl.load_workbook(path)
    for row in book.worksheets[0].iter_rows():
        for cell in row:
            assert cell.data_type != "f"
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                assert cell.quotePrefix


def test_the_volunteer_list_writes_formula_text_as_text(register, tmp_path):
    first17 = "11010519800101001"
    registration.register(VolunteerDraft(
        name=LINK, id_number=first17 + check_character(first17), phone="13800138000",
        skills="@SUM(1,2)", district="+1+1", street="-2+3", service_preferences="=1+1"))
    path = tmp_path / "志愿者.xlsx"
    assert volunteer_export.export(VolunteerFilter(), path, unmasked=True) == 1
    assert_text(path, HOSTILE)


def test_the_organization_list_writes_formula_text_as_text(register, tmp_path):
    orgs.create(OrgDraft(name=LINK, kind=OrgKind.SOCIAL_GROUP, address="+1+1",
                         business_scope="@SUM(1,2)", remarks="-2+3", contact_person="=1+1"))
    path = tmp_path / "组织.xlsx"
    assert org_export.export(OrgFilter(), path) == 1
    assert_text(path, HOSTILE)


def test_reports_write_formula_text_as_text(tmp_path):
    hours = tmp_path / "时长.xlsx"
    report_export.write_hours_report([ReportRow("=1+1", LINK, 60, 30, 2, 1)], hours,
                                     None, None, "activity")
    assert_text(hours, ("=1+1", LINK))
    moves = tmp_path / "出入库.xlsx"
    report_export.write_movements([MovementRow(
        1, dt.datetime(2026, 11, 30, 2), 1, LINK, "件", MovementKind.ISSUE, -1, "", "@SUM(1,2)",
        "+1+1")], moves, dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert_text(moves, (LINK, "@SUM(1,2)", "+1+1"))


def test_import_problem_lists_write_the_senders_cells_as_text(register, tmp_path):
    source = tmp_path / "花名册.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["姓名", "身份证号码", "手机号码", "技能特长"])
    sheet.append([LINK, "不是号码", "13800138000", "@SUM(1,2)"])
    sheet.cell(row=2, column=1).data_type = "s"  # the sender's cell is text, not a formula
    book.save(source)
    preview = volunteer_import.read(source)
    assert preview.problems
    listed = tmp_path / "问题.xlsx"
    write_problems(preview, listed)
    rows = tmp_path / "问题行.xlsx"
    write_problem_rows(preview, rows)
    assert_text(rows, (LINK, "@SUM(1,2)"))
    for row in openpyxl.load_workbook(listed).worksheets[0].iter_rows():
        assert all(cell.data_type != "f" for cell in row)


@settings(max_examples=EXAMPLES, derandomize=True, deadline=None)
@given(st.sampled_from(FORMULA_STARTS), st.text(min_size=1, max_size=30).filter(str.strip))
def test_any_text_starting_like_a_formula_reads_back_as_typed(tmp_path_factory, start, rest):
    text = start + rest
    if ILLEGAL_CHARACTERS_RE.search(text) is not None:
        return  # openpyxl refuses control characters in any cell
    path = tmp_path_factory.mktemp("x") / "t.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["A1"] = text
    keep_sheet_text(sheet)
    book.save(path)
    expected = text.replace("\r\n", "\n").replace("\r", "\n")  # XML's line-end rule
    back = openpyxl.load_workbook(path).worksheets[0]["A1"]
    assert back.data_type == "s" and back.value == expected and back.quotePrefix
    value = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()[0][0]
    assert value == expected


@pytest.mark.parametrize("text", HOSTILE)
def test_plain_openpyxl_would_have_written_a_formula(text):
    """Why the guard exists: without it the cell is a formula."""
    sheet = openpyxl.Workbook().active
    assert sheet is not None
    sheet["A1"] = text
    assert sheet["A1"].data_type == ("f" if text.startswith("=") else "s")


def test_case_counts_are_reported(capsys):
    with capsys.disabled():
        print(f"\nhostile formulas: {len(HOSTILE)} fixed texts through 6 exports, "
              f"{EXAMPLES} generated texts read back")
