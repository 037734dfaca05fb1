"""Reading a register as people keep it in Excel: any importer's columns, their synonyms, a
title row above the header, 序号, empty and 合计 rows, and cells typed in every way.

An importer describes its columns once (`ColumnTable`); this module finds them in a sheet
and hands back the data rows untouched, so each importer converts cells as its fields need.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from python_calamine import CalamineError, CalamineWorkbook

from app.domain.normalize import clean_text

#: Field name of the running-number column (序号); recognised, never imported.
IGNORED = "__ignored__"
RUNNING_NUMBER_HEADERS = ("序号", "编号", "No", "NO", "no", "序")
TOTAL_WORDS = ("合计", "总计", "小计", "共计")
HEADER_SEARCH_ROWS = 30
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")

#: Excel keeps 15 significant digits; a number at least this large has lost some.
LOST_DIGITS_FROM = 1e15
_DATE_TEXT = re.compile(r"([0-9]{4})\s*[-/.年]\s*([0-9]{1,2})\s*[-/.月]\s*([0-9]{1,2})\s*日?")
_DATE_DIGITS = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
#: calamine lays a sheet out as a full grid of its used range, so one stray cell at XFD1048576
#: asks for half a terabyte and aborts the process; larger sheets are refused before loading.
MAX_COLUMNS = 1000
MAX_CELLS = 20_000_000
_DIMENSION = re.compile(
    rb'<(?:\w+:)?dimension\s+ref="([A-Z]{1,3})?([0-9]{1,7})?(?::([A-Z]{1,3})([0-9]{1,7}))?"')
_MARKS = re.compile(r"[\s*＊:：()（）\[\]【】]")
_NOTE = re.compile(r"[(（【\[].*?[)）】\]]")


class ImportFileError(ValueError):
    """The file as a whole cannot be imported (missing, not a spreadsheet, no header)."""


class BadCell(ValueError):
    """A cell whose value cannot mean what its column asks for; the message is Chinese."""


@dataclass(frozen=True, slots=True)
class Column:
    """One importable column.

    Args:
        field: the draft attribute it fills.
        header: the header the template writes.
        synonyms: other headers meaning the same (compared without spaces and marks).
        note: what to write in it, for the template's notes sheet.
        text: keep as text in Excel (ID numbers, phones, codes lose characters as numbers).
        choices: the allowed values, offered as a drop-down list in the template.
        width: column width in the template (characters).
        date: formatted as a date in the template.
    """

    field: str
    header: str
    synonyms: tuple[str, ...] = ()
    note: str = ""
    text: bool = False
    choices: tuple[str, ...] = ()
    width: int = 12
    date: bool = False


def header_key(text: str) -> str:
    """A header as compared: without spaces, required-marks, colons and brackets."""
    return _MARKS.sub("", text)


@dataclass(frozen=True)
class ColumnTable:
    """The columns one importer understands.

    Args:
        columns: in template order.
        identifying: fields that together mark a row as the header row.
        required: fields the header must have (a missing one is named in the error).
        what: what a row is, for messages ("志愿者", "社会组织").
    """

    columns: tuple[Column, ...]
    identifying: frozenset[str]
    required: frozenset[str]
    what: str = ""
    by_field: dict[str, Column] = field(init=False, repr=False, compare=False)
    _lookup: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        lookup: dict[str, str] = {}
        for col in self.columns:
            for name in (col.header, *col.synonyms):
                lookup[header_key(name)] = col.field
        for name in RUNNING_NUMBER_HEADERS:
            lookup.setdefault(name, IGNORED)
        object.__setattr__(self, "by_field", {c.field: c for c in self.columns})
        object.__setattr__(self, "_lookup", lookup)

    def field_for(self, header: object) -> str | None:
        """The field a header names, IGNORED for 序号, None if unknown.

        "身份证号码（18位）" and "*姓名" are recognised: a note in brackets and a
        required-mark are dropped before the lookup.
        """
        text = clean_text(header)
        if not text:
            return None
        found = self._lookup.get(header_key(text))
        if found is None:
            found = self._lookup.get(header_key(_NOTE.sub("", text)))
        return found

    def header(self, field_name: str) -> str:
        return self.by_field[field_name].header


# ---------------------------------------------------------------- cells

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


def cell_date(value: object, what: str) -> dt.date | None:
    """A date cell (real date, Excel serial number or text such as 2026-07-01, 2026年7月1日,
    2026.07.01, 20260701); None when empty.

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
    match = _DATE_TEXT.fullmatch(text) or _DATE_DIGITS.fullmatch(text)
    if match:
        try:
            return dt.date(*(int(g) for g in match.groups()))
        except ValueError:
            pass
    raise BadCell(f"{what}“{text}”无法识别，请写成2026-07-01这样的日期")


# ---------------------------------------------------------------- finding the table

def load_sheets(path: Path) -> Iterator[tuple[str, list[list[Any]]]]:
    """Each sheet's raw cells: numbers stay numbers, so an ID typed as a number is seen.

    python-calamine directly rather than `pandas.read_excel(engine="calamine")`: pandas
    calls the same reader, then converts every cell again in Python, which costs a third
    of the read and which the importers redo anyway.
    """
    if not path.exists():
        raise ImportFileError(f"找不到文件：{path}")
    if path.suffix.lower() not in EXCEL_SUFFIXES:
        raise ImportFileError(f"不支持的文件类型“{path.suffix}”，请选择Excel文件（.xlsx）")
    _check_extent(path)
    try:
        book = CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            sheet = book.get_sheet_by_name(name)
            _check_size(path, sheet.height, sheet.width)  # .xls and .ods: after the fact
            yield name, sheet.to_python(skip_empty_area=False)
    except PermissionError:
        raise ImportFileError(f"文件被占用，无法读取：{path.name}（请先在Excel中关闭它）") from None
    except (CalamineError, OSError, ValueError) as exc:
        raise ImportFileError(
            f"无法读取{path.name}：文件已损坏、有密码保护或不是Excel表格（{exc}）") from None


def _check_extent(path: Path) -> None:
    """Refuse an .xlsx whose sheets declare a used range too large to load (the
    `<dimension>` Excel, WPS, LibreOffice and openpyxl write at the top of each sheet)."""
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return
    heads: list[bytes] = []
    try:
        with zipfile.ZipFile(path) as book:
            for name in book.namelist():
                if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    with book.open(name) as part:
                        heads.append(part.read(65536))
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, RuntimeError,
            NotImplementedError):
        pass  # a damaged part: calamine names a broken file in its own words
    for head in heads:
        found = _DIMENSION.search(head)
        if found:
            last_col = (found.group(3) or found.group(1) or b"A").decode("ascii")
            last_row = int(found.group(4) or found.group(2) or b"1")
            _check_size(path, last_row, _column_number(last_col))


def _check_size(path: Path, rows: int, columns: int) -> None:
    if columns > MAX_COLUMNS:
        raise ImportFileError(
            f"{path.name}中的表格列数过多（{columns}列），最多{MAX_COLUMNS}列："
            f"请删除表格右侧多余的列（或远处单元格里的内容）后重新导入")
    if rows * columns > MAX_CELLS:
        raise ImportFileError(
            f"{path.name}中的表格过大（{rows}行×{columns}列）：请删除多余的行和列，"
            f"或分成几个文件导入")


def _column_number(letters: str) -> int:
    """A → 1, Z → 26, AA → 27, XFD → 16384."""
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - ord("A") + 1
    return number


def header_fields(row: list[Any], table: ColumnTable) -> dict[int, str]:
    """Column index -> field for one candidate header row (first column wins)."""
    found: dict[int, str] = {}
    seen: set[str] = set()
    for j, value in enumerate(row):
        name = table.field_for(value) if type(value) is str else None
        if name and (name == IGNORED or name not in seen):
            found[j] = name
            seen.add(name)
    return found


def find_header(path: Path, table: ColumnTable
                ) -> tuple[str, list[list[Any]], int, dict[int, str]]:
    """The sheet, its rows, the header row's index and its column map.

    Raises:
        ImportFileError: no row holds the identifying headers, or the header lacks a
            required column (named).
    """
    best: tuple[str, int, dict[int, str]] | None = None
    for sheet, rows in load_sheets(path):
        for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
            cols = header_fields(row, table)
            fields_ = set(cols.values())
            if table.identifying <= fields_ and len(fields_) >= 2:
                if table.required - fields_:
                    best = best or (sheet, i, cols)
                    continue
                return sheet, rows, i, cols
    if best is not None:
        sheet, i, cols = best
        missing_headers = "、".join(table.header(f) for f in sorted(
            table.required - set(cols.values())))
        raise ImportFileError(f"工作表“{sheet}”第{i + 1}行的表头缺少：{missing_headers}")
    wanted = "".join(f"“{c.header}”" for c in table.columns if c.field in table.required)
    raise ImportFileError(f"在{path.name}中找不到表头：需要一行同时含有{wanted}等列名")


def data_rows(rows: list[list[Any]], start: int, cols: dict[int, str],
              label_fields: Iterable[str] = ("name",)) -> list[int]:
    """Indexes of rows that hold data: not empty, not a 合计 row.

    `row.count("")` counts a row's empty cells in C; only the few columns that are not
    data (序号, unknown headers) are looked at one by one. A 合计 row is one whose first
    column, 序号 column or a `label_fields` column starts with 合计/总计/小计/共计.
    """
    width = max((len(r) for r in rows), default=0)
    other = [j for j in range(width) if cols.get(j, IGNORED) == IGNORED]
    labels = set(label_fields)
    total_cols = sorted({0, *(j for j, f in cols.items() if f == IGNORED or f in labels)})
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


@dataclass(frozen=True)
class Sheet:
    """The table found in a file: what a preview reports about the file itself."""

    sheet: str
    rows: list[list[Any]]
    header_index: int               # 0-based; the spreadsheet's row is header_index + 1
    cols: dict[int, str]            # column index -> field (IGNORED for 序号)
    col_of: dict[str, int]          # field -> column index
    headers: dict[str, str]         # field -> header as written in the file
    ignored: list[str]              # headers not understood
    data: list[int]                 # indexes of the data rows


def read_sheet(path: Path, table: ColumnTable, label_fields: Iterable[str] = ("name",)
               ) -> Sheet:
    """Find the header, map its columns and pick out the data rows.

    Raises:
        ImportFileError: as `find_header`.
    """
    sheet, rows, header_index, cols = find_header(Path(path), table)
    header = rows[header_index]
    col_of = {f: j for j, f in cols.items() if f != IGNORED}
    headers = {f: clean_text(header[j]) for f, j in col_of.items()}
    ignored = [text for j, v in enumerate(header)
               if j not in cols and (text := clean_text(cell_text(v)))]
    return Sheet(sheet, rows, header_index, cols, col_of, headers, ignored,
                 data_rows(rows, header_index + 1, cols, label_fields))


def cell(row: list[Any], index: int | None) -> Any:
    """A row's cell at `index`, "" past its end or for a column the file lacks."""
    if index is None or index >= len(row):
        return ""
    return row[index]
