"""The xlsx writers of the hours report and the shop movements, read back with openpyxl."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from app.domain.points import MovementKind
from app.services.common import report_export as hours_export
from app.services.common.progress import Cancelled
from app.services.hours.records import ReportRow
from app.services.points.shop import MovementRow

ROWS = [ReportRow("2026-10", "2026-10", 125, 30, 3, 2),
        ReportRow("2026-11", "2026-11", 0, 61, 1, 1)]


class Stop:
    def set_progress(self, done: int, total: int, message: str = "") -> None:
        pass

    def is_cancelled(self) -> bool:
        return True


def test_report_is_written_with_totals(tmp_path):
    path = tmp_path / "report.xlsx"
    count = hours_export.write_hours_report(ROWS, path, dt.date(2026, 10, 1),
                                            dt.date(2026, 11, 30), "month")
    assert count == 2
    sheet = openpyxl.load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "服务时长统计（按月份）　2026-10-01 至 2026-11-30"
    assert rows[1][0] == "月份" and rows[1][2] == "扫码时长（小时）"
    assert rows[2][:2] == ("2026-10", "2026-10")
    assert rows[2][2:5] == pytest.approx((125 / 60, 0.5, 155 / 60))
    assert rows[2][5:] == (125, 30, 155, 3, 2)             # exact minutes beside the hours
    assert rows[3][5:8] == (0, 61, 61)
    assert rows[4][0] == "合计" and rows[4][5:9] == (125, 91, 216, 4)
    assert sheet.cell(row=3, column=3).number_format == "0.0"
    assert not list(tmp_path.glob(".*.part"))


def test_cancel_writes_nothing(tmp_path):
    path = tmp_path / "report.xlsx"
    with pytest.raises(Cancelled):
        hours_export.write_hours_report(ROWS, path, None, None, "volunteer", Stop())
    assert not path.exists()


def test_movements_in_local_time(tmp_path):
    at = dt.datetime(2026, 11, 2, 1, 30)  # UTC
    row = MovementRow(1, at, 7, "大米", "袋", MovementKind.RECEIVE, 10, "", "捐赠", "tester")
    path = tmp_path / "moves.xlsx"
    assert hours_export.write_movements([row], path, dt.date(2026, 11, 1),
                                        dt.date(2026, 11, 30)) == 1
    rows = list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))
    assert rows[1][0] == "时间"
    local = at.replace(tzinfo=dt.UTC).astimezone().replace(tzinfo=None)
    assert rows[2] == (local, "大米", "袋", MovementKind.RECEIVE.label, 10, None, "捐赠",
                       "tester")
