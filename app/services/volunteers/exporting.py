"""Exporting the volunteer list to Excel, and an import's problem list.

The export is the list as the screen shows it (same filter, same order), page by page with
keyset paging, so a million volunteers are written without holding them all and without
OFFSET scans that grow with every page. ID numbers and phones are masked unless asked
otherwise (DOMAIN.md §1: data is not disclosed without need); an unmasked export is audited.
The file is written beside the target and renamed at the end, so a cancelled or failed
export leaves no half-written file under the user's chosen name.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

import peewee as pw

from app.domain.idcard import age_on, mask_id_number
from app.domain.phone import mask_phone
from app.domain.volunteer import ID_TYPE_LABELS, SEX_LABELS, STATUS_LABELS, IdType, Status
from app.services.common import audit
from app.services.common.import_preview import write_problems
from app.services.common.progress import NullProgress, ProgressState, check
from app.services.common.xlsx import keep_text, save_atomically, text_value
from app.store import volunteer_queries as q
from app.store.db import database, writing
from app.store.models import Volunteer
from app.store.volunteer_queries import VolunteerFilter

__all__ = ["HEADERS", "export", "write_problems"]  # write_problems: any import's problem list

PAGE = 5_000
TEXT = "@"
SHEET_ROWS = 1_048_576 - 1      # Excel's rows per sheet, less the header

# (header, column, width, kept as text). The headers are ones the importer recognises, so
# an unmasked export can be imported into another register.
_COLUMNS: tuple[tuple[str, pw.Field, int, bool], ...] = (
    ("志愿者编号", Volunteer.number, 12, True),
    ("姓名", Volunteer.name, 10, False),
    ("性别", Volunteer.sex, 6, False),
    ("年龄", Volunteer.birth_date, 6, False),
    ("证件类型", Volunteer.id_type, 12, False),
    ("身份证号码", Volunteer.id_number, 21, True),
    ("联系电话", Volunteer.phone, 14, True),
    ("所属区", Volunteer.district, 10, False),
    ("所属街道", Volunteer.street, 16, False),
    ("所属社区", Volunteer.community, 16, False),
    ("服务意向", Volunteer.service_preferences, 16, False),
    ("技能特长", Volunteer.skills, 14, False),
    ("政治面貌", Volunteer.political_status, 10, False),
    ("登记日期", Volunteer.registered_on, 12, False),
    ("状态", Volunteer.status, 8, False),
)
HEADERS = tuple(c[0] for c in _COLUMNS)


def _date(value: Any) -> dt.date:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def _pages(flt: VolunteerFilter, today: dt.date) -> Iterator[list[tuple]]:
    """The filtered list in its screen order, one page at a time (keyset paging).

    Every ordering the list uses is one direction over (sort columns..., id), so the next
    page starts after the last row's values of those columns, compared as a row value.
    """
    order = q.ordering(flt)
    keys = [o.node for o in order]
    descending = order[0].direction == "DESC"
    fields = [c[1] for c in _COLUMNS]
    select = [*fields, *keys]
    cond = q.where_clause(flt, today)
    last: tuple | None = None
    while True:
        query = Volunteer.select(*select)
        page_cond = cond
        if last is not None:
            after = (pw.Tuple(*keys) < pw.Tuple(*last)) if descending \
                else (pw.Tuple(*keys) > pw.Tuple(*last))
            page_cond = after if page_cond is None else (page_cond & after)
        if page_cond is not None:
            query = query.where(page_cond)
        rows = list(database.execute(query.order_by(*order).limit(PAGE)).fetchall())
        if not rows:
            return
        last = tuple(rows[-1][len(fields):])
        yield [row[:len(fields)] for row in rows]
        if len(rows) < PAGE:
            return


def _cells(row: tuple, unmasked: bool, today: dt.date) -> list[Any]:
    (number, name, sex, birth, id_type, id_number, phone, district, street, community,
     prefs, skills, political, registered, status) = row
    return [number, name, SEX_LABELS.get(sex, sex), age_on(_date(birth), today),
            ID_TYPE_LABELS[IdType(id_type)],
            id_number if unmasked else mask_id_number(id_number),
            phone if unmasked else mask_phone(phone), district, street, community, prefs,
            skills, political, _date(registered), STATUS_LABELS[Status(status)]]


def export(flt: VolunteerFilter, path: Path, unmasked: bool = False,
           state: ProgressState | None = None, today: dt.date | None = None,
           rows_per_sheet: int = SHEET_ROWS) -> int:
    """Write the filtered, sorted volunteer list to `path` (.xlsx); returns the row count.

    Past Excel's 1,048,576 rows a sheet the list continues on 志愿者(2), 志愿者(3)…, each
    with the header, instead of failing at the end of a long export.

    Raises:
        Cancelled: the state asked to stop (no file is left at `path`).
        OSError: the file cannot be written (open in Excel, no permission).
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    state = state or NullProgress()
    today = today or dt.date.today()
    path = Path(path)
    total = q.count(flt, today)
    state.set_progress(0, total, "正在导出")
    book = Workbook(write_only=True)
    bold = Font(bold=True)
    sheets: list[Any] = []

    def new_sheet() -> Any:
        sheet = book.create_sheet("志愿者" if not sheets else f"志愿者({len(sheets) + 1})")
        for j, (_h, _f, width, _t) in enumerate(_COLUMNS):
            sheet.column_dimensions[chr(ord("A") + j)].width = width
        sheet.freeze_panes = "A2"
        header = []
        for text in HEADERS:
            cell = WriteOnlyCell(sheet, value=text)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        sheets.append(sheet)
        return sheet

    sheet = new_sheet()
    on_sheet = 0
    text_at = [j for j, c in enumerate(_COLUMNS) if c[3]]
    # Columns a person typed freely: only these can hold text Excel would take for a formula.
    free_at = [HEADERS.index(h) for h in ("姓名", "所属区", "所属街道", "所属社区", "服务意向",
                                          "技能特长", "政治面貌")]
    date_at = HEADERS.index("登记日期")
    done = 0
    try:
        for page in _pages(flt, today):
            check(state)
            for row in page:
                if on_sheet == rows_per_sheet:
                    sheet, on_sheet = new_sheet(), 0
                on_sheet += 1
                values = _cells(row, unmasked, today)
                for j in text_at:
                    cell = keep_text(WriteOnlyCell(sheet, value=values[j]))
                    cell.number_format = TEXT
                    values[j] = cell
                for j in free_at:
                    values[j] = text_value(sheet, values[j])
                registered = WriteOnlyCell(sheet, value=values[date_at])
                registered.number_format = "yyyy-mm-dd"
                values[date_at] = registered
                sheet.append(values)
            done += len(page)
            state.set_progress(done, total, "正在导出")
        check(state)
    except BaseException:
        for each in sheets:
            _discard(each)
        raise
    save_atomically(book, path)
    if unmasked:
        with writing():
            audit.record("export_unmasked", "volunteer", path.name, None,
                         {"file": str(path), "count": done, "filter": asdict(flt)})
    return done


def _discard(sheet: Any) -> None:
    """Close a write-only sheet that will not be saved, and drop its temporary file
    (left open, its writer fails later in the garbage collector)."""
    sheet.close()
    writer = getattr(sheet, "_writer", None)
    if writer is not None:
        with contextlib.suppress(OSError, ValueError):
            writer.cleanup()
