"""What every importer shows before it writes: the preview, its problems and warnings, the
all-or-nothing rule, the problem list and the empty template as Excel files.

An import is two steps so nothing is written before the user has seen what would happen:
`read` returns an `ImportPreview` (valid rows, and every problem with its row, column and a
Chinese reason); `commit` writes the valid rows in one transaction, and only when every row
is valid or the user chose to skip the bad ones (`require_committable`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.domain.errors import ConflictError, FormErrors
from app.services.common.progress import ProgressState, check
from app.services.common.sheet_reading import ColumnTable
from app.services.common.xlsx import keep_sheet_text, save_atomically


@dataclass(frozen=True, slots=True)
class RowProblem:
    """Why one cell keeps its row out of the register (or, as a warning, deserves a look).

    Args:
        row: the spreadsheet's own row number (1-based, header and title rows counted).
        column: the column's header as written in the file.
        field: the draft attribute concerned.
        reason: a Chinese sentence saying what is wrong.
    """

    row: int
    column: str
    field: str
    reason: str


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field a re-import would change on a registered record (values as shown)."""

    field: str
    column: str
    old: str
    new: str


@dataclass(frozen=True)
class RowUpdate:
    """A file row that matches a registered record and changes it.

    Args:
        row: the spreadsheet's row number.
        target_id: the record's id.
        label: who it is ("V00000012 张三").
        version: the record's version when the file was read (a later edit wins nothing:
            the commit refuses).
        changes: what changes, for the preview.
        values: (field, new value) pairs the commit writes.
    """

    row: int
    target_id: int
    label: str
    version: int
    changes: tuple[FieldChange, ...]
    values: tuple[tuple[str, Any], ...]

    @property
    def summary(self) -> str:
        return "；".join(f"{c.column}：{c.old or '（空）'} → {c.new}" for c in self.changes)


@dataclass
class ImportPreview:
    """What a file would add to the register; nothing has been written yet.

    `valid` holds the importer's own rows (each with a `row` number); `warnings` are
    remarks on valid rows that do not stop them (a credit code's kind digit, say).
    """

    path: Path
    sheet: str
    header_row: int
    columns: dict[str, str]          # field -> header as written in the file
    ignored_columns: list[str]       # headers not understood (their cells are not imported)
    total_rows: int                  # data rows: empty and total rows are not counted
    valid: Sequence[Any]
    problems: list[RowProblem]
    today: dt.date
    table: ColumnTable | None = None
    warnings: list[RowProblem] = field(default_factory=list)
    updates: Sequence[RowUpdate] = ()   # rows that change a registered record (update mode)
    unchanged: int = 0               # rows matching a registered record with nothing new
    source_rows: list[list[Any]] | None = field(default=None, repr=False)  # the sheet, raw
    _bad: set[int] | None = field(default=None, repr=False)

    @property
    def bad_rows(self) -> set[int]:
        if self._bad is None:
            self._bad = {p.row for p in self.problems}
        return self._bad

    def column_header(self, field_name: str) -> str:
        found = self.columns.get(field_name)
        if found:
            return found
        return self.table.header(field_name) if self.table is not None else field_name


def apply_updates(updates: Sequence[RowUpdate], noun: str, get: Callable[[int], Any],
                  update: Callable[[int, Any, int], object], state: ProgressState,
                  done: int, total: int,
                  refusal: Callable[[Any, Any], str | None] | None = None) -> list[Any]:
    """Apply an import's updates through the area's own `update(id, draft, version)` (its
    validation, version bump and audit row), inside the import's transaction: a record
    changed since the file was read, or a draft the rules refuse, undoes the whole import.
    `get(id)` reads the record (with `.draft` and `.version`); `refusal(record, draft)` may
    name a change the import must not make. Returns the records as they were read."""
    records = []
    for k, u in enumerate(updates):
        if k % 100 == 0:
            check(state)
            state.set_progress(done + k, total, "正在更新")
        current = get(u.target_id)
        stale = (f"读取文件之后，第{u.row}行的{noun}{u.label}已被修改，"
                 "未导入任何数据，请重新读取文件")
        if current.version != u.version:
            raise ValueError(stale)
        draft = dataclasses.replace(current.draft, **dict(u.values))
        refused = refusal(current, draft) if refusal is not None else None
        if refused is not None:
            raise ValueError(f"第{u.row}行：{refused}，未导入任何数据")
        try:
            update(u.target_id, draft, u.version)
        except ConflictError:
            raise ValueError(stale) from None
        except FormErrors as exc:
            raise ValueError(f"第{u.row}行更新{u.label}后不符合规则（"
                             f"{'；'.join(exc.errors.values())}），未导入任何数据") from None
        records.append(current)
    return records


def require_committable(preview: ImportPreview, skip_invalid: bool) -> int:
    """The number of rows a commit would write.

    Raises:
        ValueError: there are rows with problems and `skip_invalid` is False, or no row
            is left to import (the message is Chinese).
    """
    if preview.bad_rows and not skip_invalid:
        raise ValueError(f"有{len(preview.bad_rows)}行存在问题，未导入任何数据；"
                         "请修改后重新读取，或选择跳过有问题的行")
    count = len(preview.valid) + len(preview.updates)
    if count == 0:
        raise ValueError("没有可以导入的行")
    return count


def later_duplicates(entries: Iterable[tuple[int, Hashable, str]]
                     ) -> Iterator[tuple[int, int, str]]:
    """For (row, key, label) entries in row order: (row, first row, its label) for every
    row whose key an earlier row already had. The earlier row is kept, the later refused."""
    first: dict[Hashable, tuple[int, str]] = {}
    for row, key, label in entries:
        seen = first.get(key)
        if seen is None:
            first[key] = (row, label)
        else:
            yield row, seen[0], seen[1]


def write_problems(preview: ImportPreview, path: Path) -> int:
    """The rows an import refused (行号, 列, 原因), for the sender to correct; warnings
    follow, marked 提示. Returns the number of problems."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "有问题的行"
    sheet.append(["行号", "列", "原因"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for problem in preview.problems:
        sheet.append([problem.row, problem.column, problem.reason])
    for warning in preview.warnings:
        sheet.append([warning.row, warning.column, f"提示：{warning.reason}"])
    for letter, width in (("A", 8), ("B", 16), ("C", 80)):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    keep_sheet_text(sheet)  # reasons quote the sender's cells, which may look like formulas
    save_atomically(book, Path(path))
    return len(preview.problems)


PROBLEM_COLUMN = "问题"


def _plain(value: Any) -> Any:
    """A cell as calamine read it, written back so it reads the same: 13800138000.0 -> int."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    return value


def write_problem_rows(preview: ImportPreview, path: Path) -> int:
    """The refused rows themselves, under the file's own header, with a 问题 column giving
    every reason: the sender fixes the cells and imports this file again. Falls back to the
    problem list (write_problems) when the importer kept no source rows. Returns the number
    of rows written."""
    rows = preview.source_rows
    if rows is None:
        write_problems(preview, path)
        return len(preview.bad_rows)
    from openpyxl import Workbook
    from openpyxl.styles import Font

    header = list(rows[preview.header_row - 1])
    while header and header[-1] in (None, ""):
        header.pop()
    width = len(header)
    reasons: dict[int, list[str]] = {}
    for problem in preview.problems:
        reasons.setdefault(problem.row, []).append(f"{problem.column}：{problem.reason}")
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = preview.sheet[:31] or "有问题的行"
    sheet.append([*("" if h is None else h for h in header), PROBLEM_COLUMN])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in sorted(reasons):
        cells = [_plain(v) for v in rows[row - 1][:width]]
        cells += [None] * (width - len(cells))
        sheet.append([*cells, "；".join(reasons[row])])
        for cell in sheet[sheet.max_row][:width]:
            if isinstance(cell.value, str):
                cell.number_format = "@"  # an ID number stays text when edited in Excel
    sheet.freeze_panes = "A2"
    keep_sheet_text(sheet)
    save_atomically(book, Path(path))
    return len(reasons)


TEMPLATE_ROWS = 2000  # rows pre-formatted as text and given drop-down lists
NOTES_SHEET = "填写说明"


def write_template(path: Path, table: ColumnTable, sheet_title: str, hint: str) -> None:
    """An import template: Chinese headers (required ones in red), text columns stored as
    text (so Excel does not turn an ID into 3.70105E+17), drop-down lists, and a sheet
    explaining each column. The notes are on their own sheet so the data sheet's first row
    is the header."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = sheet_title
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    required_font = Font(bold=True, color="C00000")
    for j, col in enumerate(table.columns, start=1):
        cell = sheet.cell(row=1, column=j, value=col.header)
        cell.font = required_font if col.field in table.required else bold
        cell.fill = fill
        cell.alignment = Alignment(horizontal="center")
        letter = get_column_letter(j)
        dim = sheet.column_dimensions[letter]
        dim.width = col.width
        if col.text:
            dim.number_format = "@"
            for row in range(2, TEMPLATE_ROWS + 2):
                sheet.cell(row=row, column=j).number_format = "@"
        elif col.date:
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
    for col in table.columns:
        notes.append([col.header, "必填" if col.field in table.required else "选填", col.note,
                      "、".join(col.synonyms)])
    notes.append([])
    notes.append(["提示", "", hint, ""])
    for letter, width in (("A", 18), ("B", 10), ("C", 60), ("D", 40)):
        notes.column_dimensions[letter].width = width
    save_atomically(book, Path(path))
