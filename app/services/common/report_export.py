"""Excel copies of the hours report and of the shop's stock movements.

The report screen already holds the rows (they came from `service_records.hours_report`
and `shop.movements`), so these writers take plain rows rather than re-running the
queries: the file then shows exactly what the person looked at. Minutes are written as
exact integers beside the hours (a number formatted to one decimal), so a sum in Excel
agrees with the register to the minute. No Qt here: the GUI runs these in a worker.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from app.services.common.progress import NullProgress, ProgressState, check
from app.services.common.xlsx import keep_sheet_text, save_atomically
from app.services.hours.records import ReportRow
from app.services.points.shop import MovementRow, local_time

GROUP_TITLES = {"volunteer": "志愿者", "activity": "活动", "community": "社区", "month": "月份"}
KEY_TITLES = {"volunteer": "志愿者编号", "activity": "活动编号", "community": "街道/社区",
              "month": "月份"}
REPORT_HEADERS = ("扫码时长（小时）", "补录时长（小时）", "合计（小时）", "扫码分钟",
                  "补录分钟", "合计分钟", "记录数", "志愿者人数")
MOVEMENT_HEADERS = ("时间", "物品", "单位", "类型", "数量", "兑换单号", "原因", "经办人")
HOURS_FORMAT = "0.0"


def _period(date_from: dt.date | None, date_to: dt.date | None) -> str:
    start = date_from.isoformat() if date_from else "最早"
    end = date_to.isoformat() if date_to else "至今"
    return f"{start} 至 {end}"


def _bold_row(sheet: Any, values: Sequence[object]) -> None:
    from openpyxl.styles import Font

    sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)


def _hours_cells(sheet: Any, row: int, first_column: int) -> None:
    for column in range(first_column, first_column + 3):
        sheet.cell(row=row, column=column).number_format = HOURS_FORMAT



def write_hours_report(rows: Sequence[ReportRow], path: Path, date_from: dt.date | None,
                       date_to: dt.date | None, group_by: str,
                       state: ProgressState | None = None) -> int:
    """Write the hours report rows and a totals row to `path` (.xlsx); returns the row count.

    Row 1 names the period and grouping, row 2 holds the headers, the rows follow and the
    last row is 合计. Scanned and manual hours stay in separate columns (DOMAIN.md §2).

    Raises:
        Cancelled: the state asked to stop (nothing is written).
        OSError: the file cannot be written (open in Excel, no permission).
    """
    from openpyxl import Workbook

    state = state or NullProgress()
    book = Workbook()
    sheet = book.active
    sheet.title = "服务时长统计"
    group = GROUP_TITLES.get(group_by, group_by)
    _bold_row(sheet, [f"服务时长统计（按{group}）　{_period(date_from, date_to)}"])
    _bold_row(sheet, [KEY_TITLES.get(group_by, "分组"), group, *REPORT_HEADERS])
    sheet.freeze_panes = "A3"
    for letter, width in zip("ABCDEFGHIJ", (16, 30, 14, 14, 12, 10, 10, 10, 8, 10),
                             strict=True):
        sheet.column_dimensions[letter].width = width
    total = len(rows)
    for done, row in enumerate(rows, 1):
        if done % 500 == 0:
            check(state)
            state.set_progress(done, total, "正在导出")
        sheet.append([row.key, row.label, row.scanned_minutes / 60, row.manual_minutes / 60,
                      row.total_minutes / 60, row.scanned_minutes, row.manual_minutes,
                      row.total_minutes, row.records, row.volunteers])
        _hours_cells(sheet, sheet.max_row, 3)
    scanned = sum(r.scanned_minutes for r in rows)
    manual = sum(r.manual_minutes for r in rows)
    _bold_row(sheet, ["合计", "", scanned / 60, manual / 60, (scanned + manual) / 60, scanned,
                      manual, scanned + manual, sum(r.records for r in rows), ""])
    _hours_cells(sheet, sheet.max_row, 3)
    check(state)
    keep_sheet_text(sheet)
    save_atomically(book, Path(path))
    state.set_progress(total, total, "")
    return total


def write_movements(rows: Sequence[MovementRow], path: Path, date_from: dt.date,
                    date_to: dt.date, state: ProgressState | None = None) -> int:
    """Write the shop's stock movements (local times) to `path` (.xlsx); returns the count.

    Raises:
        Cancelled: the state asked to stop (nothing is written).
        OSError: the file cannot be written.
    """
    from openpyxl import Workbook

    state = state or NullProgress()
    book = Workbook()
    sheet = book.active
    sheet.title = "爱心超市出入库"
    _bold_row(sheet, [f"爱心超市出入库明细　{_period(date_from, date_to)}"])
    _bold_row(sheet, list(MOVEMENT_HEADERS))
    sheet.freeze_panes = "A3"
    for letter, width in zip("ABCDEFGH", (18, 20, 6, 10, 8, 16, 30, 12), strict=True):
        sheet.column_dimensions[letter].width = width
    for done, m in enumerate(rows, 1):
        if done % 500 == 0:
            check(state)
            state.set_progress(done, len(rows), "正在导出")
        sheet.append([local_time(m.at), m.good_name, m.unit, m.kind_label, m.quantity,
                      m.redemption_number, m.reason, m.actor])
        sheet.cell(row=sheet.max_row, column=1).number_format = "yyyy-mm-dd hh:mm"
    check(state)
    keep_sheet_text(sheet)
    save_atomically(book, Path(path))
    return len(rows)
