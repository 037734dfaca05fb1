"""The columns a volunteer spreadsheet may have — the template's own headers and the names
communities actually use for them — and how to find them in a sheet (a title row above the
header, 序号, empty and 合计 rows), so a roster is read as sent instead of retyped."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from python_calamine import CalamineError, CalamineWorkbook

from app.domain.normalize import clean_text
from app.domain.volunteer import EDUCATION_LEVELS, ID_TYPE_LABELS, POLITICAL_STATUSES, IdType

#: Header of the running-number column rosters carry; recognised, never imported.
IGNORED = "__ignored__"


@dataclass(frozen=True, slots=True)
class Column:
    """One importable column.

    Args:
        field: the VolunteerDraft attribute it fills.
        header: the header the template writes.
        synonyms: other headers meaning the same (compared without spaces and marks).
        note: what to write in it, for the template's notes sheet.
        text: keep as text in Excel (ID numbers, phones lose digits as numbers).
        choices: the allowed values, offered as a drop-down list in the template.
        width: column width in the template (characters).
    """

    field: str
    header: str
    synonyms: tuple[str, ...] = ()
    note: str = ""
    text: bool = False
    choices: tuple[str, ...] = ()
    width: int = 12


COLUMNS: tuple[Column, ...] = (
    Column("name", "姓名", ("志愿者姓名", "名字"), "必填。", width=10),
    Column("sex", "性别", (), "男或女；居民身份证可留空，由号码推出。", choices=("男", "女"),
           width=6),
    Column("id_type", "证件类型", (), "留空即居民身份证。",
           choices=tuple(ID_TYPE_LABELS.values()), width=14),
    Column("id_number", "身份证号码",
           ("身份证号", "身份证", "证件号码", "证件号", "公民身份号码", "身份证件号码"),
           "必填。18位，末位可为X。请保持文本格式，存成数字会丢失后几位。", text=True, width=22),
    Column("birth_date", "出生日期", ("出生年月", "生日"),
           "仅非身份证件填写，如2001-05-20；居民身份证由号码推出。", width=12),
    Column("phone", "联系电话",
           ("手机", "手机号码", "手机号", "电话", "电话号码", "联系方式", "移动电话"),
           "必填。11位手机号码。", text=True, width=14),
    Column("district", "所属区", ("区", "区县", "所属区县", "区(县)"), "选填。", width=10),
    Column("street", "所属街道", ("街道", "街道(镇)", "乡镇街道", "所属街道(镇)"),
           "选填。若无此列，“××街道××社区”会自动拆开。", width=16),
    Column("community", "所属社区", ("社区", "社区(村)", "所在社区", "社区名称"), "选填。",
           width=16),
    Column("skills", "技能特长", ("技能", "特长", "专业技能"), "选填。", width=14),
    Column("service_preferences", "服务意向", ("服务意愿", "服务类别", "服务方向", "意向服务"),
           "选填，多项用顿号分开。", width=14),
    Column("available_time", "可服务时间", ("服务时间", "空闲时间"), "选填，如周末。", width=12),
    Column("political_status", "政治面貌", (), "选填。", choices=POLITICAL_STATUSES, width=12),
    Column("education", "学历", ("文化程度",), "选填。", choices=EDUCATION_LEVELS, width=10),
    Column("employer", "工作单位/学校", ("工作单位", "学校", "单位", "就读学校", "工作单位或学校"),
           "选填。", width=18),
    Column("emergency_contact", "紧急联系人", (), "选填。", width=10),
    Column("emergency_phone", "紧急联系电话", ("紧急联系人电话",), "选填，11位手机号码。",
           text=True, width=14),
    Column("guardian_name", "监护人姓名", ("监护人",), "未满18岁必填。", width=10),
    Column("guardian_id_number", "监护人身份证号码", ("监护人身份证号", "监护人证件号码"),
           "未满18岁必填。", text=True, width=22),
    Column("guardian_phone", "监护人电话", ("监护人联系电话", "监护人手机"),
           "未满18岁必填，11位手机号码。", text=True, width=14),
    Column("guardian_consent", "监护人同意", ("监护人是否同意",),
           "未满18岁须填“是”。", choices=("是", "否"), width=10),
    Column("registered_on", "登记日期", ("注册日期", "报名日期", "加入日期"),
           "选填，如2026-07-01；留空即导入当天。", width=12),
    Column("remarks", "备注", (), "选填。", width=16),
)

BY_FIELD = {c.field: c for c in COLUMNS}

_MARKS = re.compile(r"[\s*＊:：()（）\[\]【】]")
_NOTE = re.compile(r"[(（【\[].*?[)）】\]]")


def _key(text: str) -> str:
    return _MARKS.sub("", text)


_LOOKUP: dict[str, str] = {}
for _col in COLUMNS:
    for _name in (_col.header, *_col.synonyms):
        _LOOKUP[_key(_name)] = _col.field
for _name in ("序号", "编号", "No", "NO", "no", "序"):
    _LOOKUP[_name] = IGNORED


def field_for(header: object) -> str | None:
    """The draft field a header names, IGNORED for 序号, None if unknown.

    "身份证号码（18位）" and "*姓名" are recognised: a note in brackets and a required-mark
    are dropped before the lookup.
    """
    text = clean_text(header)
    if not text:
        return None
    found = _LOOKUP.get(_key(text))
    if found is None:
        found = _LOOKUP.get(_key(_NOTE.sub("", text)))
    return found


ID_TYPE_FROM_TEXT: dict[str, IdType] = {
    **{label: kind for kind, label in ID_TYPE_LABELS.items()},
    **{str(kind): kind for kind in IdType},
    "身份证": IdType.RESIDENT, "居民身份证": IdType.RESIDENT, "二代身份证": IdType.RESIDENT,
    "港澳通行证": IdType.HK_MACAO, "回乡证": IdType.HK_MACAO, "港澳居民居住证": IdType.HK_MACAO,
    "台胞证": IdType.TAIWAN, "台湾通行证": IdType.TAIWAN, "台湾居民居住证": IdType.TAIWAN,
    "其他": IdType.OTHER,
}

YES_TEXT = frozenset({"是", "同意", "已同意", "有", "√", "✓", "Y", "YES", "TRUE", "1", "T"})
NO_TEXT = frozenset({"否", "不同意", "无", "×", "N", "NO", "FALSE", "0", "F", ""})

TOTAL_WORDS = ("合计", "总计", "小计", "共计")

#: Excel keeps 15 significant digits; a number at least this large has lost some.
LOST_DIGITS_FROM = 1e15
_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_DATE_DIGITS = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


class BadCell(ValueError):
    """A cell whose value cannot mean what its column asks for; the message is Chinese."""


def cell_text(value: object) -> str:
    """A cell as text the way a person reads it: 13800138000.0 -> "13800138000"."""
    if type(value) is str:
        return value
    if value is None or isinstance(value, bool):
        return "" if value is None else ("是" if value else "否")
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def id_cell_text(value: object) -> str:
    """An ID-number cell as text; refuses a number Excel has rounded.

    Raises:
        BadCell: the cell holds a number of 16 or more digits (the last ones are zeros now).
    """
    if isinstance(value, int | float) and not isinstance(value, bool) \
            and abs(value) >= LOST_DIGITS_FROM:
        raise BadCell(
            f"身份证号码被Excel存成了数字，后几位已丢失（显示为{float(value):.5E}）："
            "请把该列设为文本格式后重新填写号码")
    return cell_text(value)


def cell_date(value: object, what: str) -> dt.date | None:
    """A date cell (real date, Excel serial number or text such as 2026-07-01, 2026年7月1日).

    Raises:
        BadCell: the value is not a date.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2_958_466:  # Excel's own range of serial dates
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise BadCell(f"{what}“{cell_text(value)}”不是日期")
    text = clean_text(value)
    if not text:
        return None
    match = _DATE_TEXT.match(text) or _DATE_DIGITS.match(text)
    if match:
        try:
            return dt.date(*(int(g) for g in match.groups()))
        except ValueError:
            pass
    raise BadCell(f"{what}“{text}”无法识别，请写成2026-07-01这样的日期")


def cell_bool(value: object, what: str) -> bool:
    """是/否, 同意, √, Y/N, TRUE/FALSE, 1/0; empty means no.

    Raises:
        BadCell: any other text.
    """
    text = cell_text(value).strip().upper()
    if text in YES_TEXT:
        return True
    if text in NO_TEXT:
        return False
    raise BadCell(f"{what}应填“是”或“否”，现在是“{cell_text(value)}”")


# ---------------------------------------------------------------- finding the table

HEADER_SEARCH_ROWS = 30
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


class ImportFileError(ValueError):
    """The file as a whole cannot be imported (missing, not a spreadsheet, no header)."""


def _load_sheets(path: Path) -> Iterator[tuple[str, list[list[Any]]]]:
    """Each sheet's raw cells: numbers stay numbers, so an ID typed as a number is seen.

    python-calamine directly rather than `pandas.read_excel(engine="calamine")`: pandas
    calls the same reader, then converts every cell again in Python, which costs a third
    of the read and which this module redoes anyway.
    """
    if not path.exists():
        raise ImportFileError(f"找不到文件：{path}")
    if path.suffix.lower() not in EXCEL_SUFFIXES:
        raise ImportFileError(f"不支持的文件类型“{path.suffix}”，请选择Excel文件（.xlsx）")
    try:
        book = CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            yield name, book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except PermissionError:
        raise ImportFileError(f"文件被占用，无法读取：{path.name}（请先在Excel中关闭它）") from None
    except (CalamineError, OSError, ValueError) as exc:
        raise ImportFileError(
            f"无法读取{path.name}：文件已损坏、有密码保护或不是Excel表格（{exc}）") from None


def _header_fields(row: list[Any]) -> dict[int, str]:
    """Column index -> field for one candidate header row (first column wins)."""
    found: dict[int, str] = {}
    seen: set[str] = set()
    for j, value in enumerate(row):
        name = field_for(value) if type(value) is str else None
        if name and (name == IGNORED or name not in seen):
            found[j] = name
            seen.add(name)
    return found


def find_header(path: Path) -> tuple[str, list[list[Any]], int, dict[int, str]]:
    """The sheet, its rows, the header row's index and its column map."""
    required = {"name", "id_number", "phone"}
    best: tuple[str, int, dict[int, str]] | None = None
    for sheet, rows in _load_sheets(path):
        for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
            cols = _header_fields(row)
            fields_ = set(cols.values())
            if "name" in fields_ and "id_number" in fields_ and len(fields_) >= 2:
                missing = required - fields_
                if missing:
                    best = best or (sheet, i, cols)
                    continue
                return sheet, rows, i, cols
    if best is not None:
        sheet, i, cols = best
        missing_headers = "、".join(BY_FIELD[f].header for f in sorted(
            required - set(cols.values())))
        raise ImportFileError(f"工作表“{sheet}”第{i + 1}行的表头缺少：{missing_headers}")
    raise ImportFileError(
        f"在{path.name}中找不到表头：需要一行同时含有“姓名”“身份证号码”“联系电话”等列名")


def people_rows(rows: list[list[Any]], start: int, cols: dict[int, str]) -> list[int]:
    """Indexes of rows that are people: not empty, not a 合计 row.

    `row.count("")` counts a row's empty cells in C; only the few columns that are not
    data (序号, unknown headers) are looked at one by one.
    """
    width = max((len(r) for r in rows), default=0)
    other = [j for j in range(width) if cols.get(j, IGNORED) == IGNORED]
    total_cols = sorted({0, *(j for j, f in cols.items() if f in (IGNORED, "name"))})
    words = TOTAL_WORDS
    out = []
    for i in range(start, len(rows)):
        row = rows[i]
        filled = len(row) - row.count("") - row.count(None)
        if filled and other:
            filled -= sum(1 for j in other if j < len(row) and row[j] not in ("", None))
        if filled <= 0:
            continue
        for j in total_cols:
            value = row[j] if j < len(row) else ""
            if type(value) is str and value.lstrip().startswith(words):
                break
        else:
            out.append(i)
    return out


TEMPLATE_SHEET = "志愿者登记"
NOTES_SHEET = "填写说明"
TEMPLATE_ROWS = 2000  # rows pre-formatted as text and given drop-down lists
_REQUIRED = frozenset({"name", "id_number", "phone"})


def write_template(path: Path) -> None:
    """The import template: Chinese headers, ID and phone columns stored as text (so Excel
    does not turn an ID into 3.70105E+17), drop-down lists, and a sheet explaining each
    column. The notes are on their own sheet so the data sheet's first row is the header."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = TEMPLATE_SHEET
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    required_font = Font(bold=True, color="C00000")
    for j, col in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=j, value=col.header)
        cell.font = required_font if col.field in _REQUIRED else bold
        cell.fill = fill
        cell.alignment = Alignment(horizontal="center")
        letter = get_column_letter(j)
        dim = sheet.column_dimensions[letter]
        dim.width = col.width
        if col.text:
            dim.number_format = "@"
            for row in range(2, TEMPLATE_ROWS + 2):
                sheet.cell(row=row, column=j).number_format = "@"
        elif col.field in ("birth_date", "registered_on"):
            dim.number_format = "yyyy-mm-dd"
        if col.choices:
            listed = ",".join(col.choices)
            check = DataValidation(type="list", formula1=f'"{listed}"', allow_blank=True,
                                   showErrorMessage=True, errorTitle=col.header,
                                   error=f"请从列表中选择{col.header}")
            sheet.add_data_validation(check)
            check.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
    sheet.freeze_panes = "A2"

    notes = book.create_sheet(NOTES_SHEET)
    notes.append(["列名", "是否必填", "说明", "也认作以下列名"])
    for cell in notes[1]:
        cell.font, cell.fill = bold, fill
    for col in COLUMNS:
        notes.append([col.header, "必填" if col.field in _REQUIRED else "选填", col.note,
                      "、".join(col.synonyms)])
    notes.append([])
    notes.append(["提示", "", "可以直接导入社区自己的花名册：表头可在前几行，“序号”列、空行和"
                  "“合计”行会被忽略；导入前会逐行检查并列出有问题的行。", ""])
    for letter, width in (("A", 18), ("B", 10), ("C", 60), ("D", 40)):
        notes.column_dimensions[letter].width = width
    book.save(path)
