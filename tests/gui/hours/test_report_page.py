"""The report tab: scanned and manual hours in separate columns with a totals row, by
volunteer and by month, and the xlsx export read back — on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from PySide6.QtCore import QDate, QThreadPool

from app.domain.hours import ActivityDraft
from app.services.hours import activities
from app.services.hours import records as service_records
from app.services.points import shop
from app.ui.hours.report_page import HoursReportPage, MovementModel, ReportColumn, ReportModel

DAY = dt.date.today() - dt.timedelta(days=1)
START = dt.datetime.combine(DAY, dt.time(9, 0))


@pytest.fixture
def records(register, make_volunteer, ids):
    """Yesterday: 王芳 scanned 3 h; 李四 1.5 h manual; both approved. One pending (not
    counted) and a movement in the shop."""
    act = activities.create(ActivityDraft(name="社区助老", starts_at=START,
                                          ends_at=START + dt.timedelta(hours=3)))
    wang, li = make_volunteer("王芳", ids["adult"]), make_volunteer("李四", ids["valid"])
    service_records.record_scan(wang.id, act.id, START)
    service_records.record_scan(wang.id, act.id, START + dt.timedelta(hours=3))
    service_records.add_manual(li.id, act.id, START, START + dt.timedelta(minutes=90), "整理")
    service_records.approve(service_records.pending_ids())
    other = make_volunteer("张三", ids["other"])
    service_records.add_manual(other.id, act.id, START, START + dt.timedelta(hours=1), "待审")
    good = shop.create_good("大米", 44, "袋")
    shop.receive(good.id, 10, "捐赠")
    return wang, li


def counted(qtbot, page: HoursReportPage) -> None:
    """Wait for the report's worker (and its connection to close)."""
    task = page.report_task
    assert task is not None
    qtbot.waitUntil(lambda: task.done, timeout=30_000)
    assert QThreadPool.globalInstance().waitForDone(10_000)


@pytest.fixture
def page(qtbot, records) -> HoursReportPage:
    widget = HoursReportPage()
    qtbot.addWidget(widget)
    widget.date_from.setDate(QDate(DAY.year, DAY.month, DAY.day))
    widget.date_to.setDate(QDate.currentDate())
    widget.resize(1000, 600)
    widget.show()
    counted(qtbot, widget)
    return widget


def test_the_report_is_counted_in_the_background_when_first_shown(qtbot, records):
    """Building the tab counts nothing (the main window builds it before anyone looks);
    showing it starts the report on a worker; a newer request wins over an older one."""
    widget = HoursReportPage()
    qtbot.addWidget(widget)
    widget.date_from.setDate(QDate(DAY.year, DAY.month, DAY.day))
    assert widget.report_task is None and widget.report.rowCount() == 0
    widget.show()
    first = widget.report_task
    assert first is not None and widget.message.text() == "Counting…"
    widget.group.setCurrentIndex(widget.group.findData("month"))     # asked again at once
    assert widget.report_task is not first
    counted(qtbot, widget)
    qtbot.waitUntil(lambda: first.done)
    assert texts(widget.report, ReportColumn.KEY) == [f"{DAY:%Y-%m}", "Total"]
    assert widget.message.text() == ""


def texts(model, column: int) -> list[str]:
    return [model.data(model.index(r, column)) for r in range(model.rowCount())]


def test_models_pass_qt_model_tester(qtmodeltester, page):
    qtmodeltester.check(page.report)
    qtmodeltester.check(page.movements)
    qtmodeltester.check(ReportModel())
    qtmodeltester.check(MovementModel())


def test_scanned_and_manual_are_kept_apart(page, records):
    wang, li = records
    model = page.report
    assert texts(model, ReportColumn.KEY) == [wang.number, li.number, "Total"]
    assert texts(model, ReportColumn.LABEL) == ["王芳", "李四", ""]
    assert texts(model, ReportColumn.SCANNED) == ["3.0", "0.0", "3.0"]
    assert texts(model, ReportColumn.MANUAL) == ["0.0", "1.5", "1.5"]
    assert texts(model, ReportColumn.TOTAL) == ["3.0", "1.5", "4.5"]
    assert model.data(model.index(2, 0), role=0x0006).bold()  # FontRole of the totals row
    assert page.movements.rowCount() == 1
    assert page.movements.data(page.movements.index(0, 3)) == "10 袋"


def test_group_by_month_and_an_empty_range(qtbot, page):
    page.group.setCurrentIndex(page.group.findData("month"))
    counted(qtbot, page)
    assert texts(page.report, ReportColumn.KEY) == [f"{DAY:%Y-%m}", "Total"]
    assert texts(page.report, ReportColumn.TOTAL) == ["4.5", "4.5"]
    page.date_to.setDate(page.date_from.date().addDays(-1))
    page.refresh()
    assert page.report.rowCount() == 0
    assert page.message.text() == "The end date is before the start date."


def test_export_to_excel(qtbot, page, records, tmp_path):
    path = tmp_path / "hours.xlsx"
    task = page.export_report(path)
    with qtbot.waitSignal(task.finished, timeout=30_000):
        pass
    sheet = openpyxl.load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))
    assert "按志愿者" in rows[0][0]
    assert rows[1][:5] == ("志愿者编号", "志愿者", "扫码时长（小时）", "补录时长（小时）",
                           "合计（小时）")
    assert rows[2][0] == records[0].number and rows[2][5:8] == (180, 0, 180)
    assert rows[3][5:8] == (0, 90, 90)
    assert rows[4][0] == "合计" and rows[4][5:9] == (180, 90, 270, 2)
    assert page.message.text() == f"Saved {path}"
    moves = tmp_path / "moves.xlsx"
    task = page.export_movements(moves)
    with qtbot.waitSignal(task.finished, timeout=30_000):
        pass
    rows = list(openpyxl.load_workbook(moves).active.iter_rows(values_only=True))
    assert rows[2][1] == "大米" and rows[2][4] == 10
