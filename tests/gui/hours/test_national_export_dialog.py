"""导出到全国志愿服务信息系统… as staff use it: from the activity list and the hours report,
choose or edit a column layout, export, and be asked before records go out a second time."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from PySide6.QtWidgets import QComboBox, QMessageBox, QTableWidgetItem

from app.domain.hours import ActivityDraft
from app.services.hours import activities
from app.services.hours import national_export as national
from app.services.hours import records as service_records
from app.services.hours.national_export import Selection
from app.ui.hours.national_export_dialog import LayoutEditor, NationalExportDialog
from app.ui.hours.page import ActivityPage
from app.ui.hours.report_page import HoursReportPage

DAY = dt.date.today() - dt.timedelta(days=1)
START = dt.datetime.combine(DAY, dt.time(9, 0))


@pytest.fixture
def activity(register, make_volunteer, ids):
    """Yesterday's activity: 王芳 2 h approved, 李四 1 h pending."""
    act = activities.create(ActivityDraft(name="社区助老", starts_at=START,
                                          ends_at=START + dt.timedelta(hours=3)))
    wang = make_volunteer("王芳", ids["adult"])
    rid = service_records.add_manual(wang.id, act.id, START, START + dt.timedelta(hours=2),
                                     "陪伴").id
    service_records.approve([rid])
    li = make_volunteer("李四", ids["valid"])
    service_records.add_manual(li.id, act.id, START, START + dt.timedelta(hours=1), "打扫")
    return act


def approve_li() -> None:
    service_records.approve(service_records.pending_ids())


def dialog_for(qtbot, selection: Selection) -> NationalExportDialog:
    dialog = NationalExportDialog(selection, "社区助老")
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def export_and_wait(qtbot, dialog: NationalExportDialog, path, button=None):
    answer = dialog.export_to(path)
    if isinstance(answer, QMessageBox):
        assert button is not None
        answer.button(button).click()
        if button == QMessageBox.StandardButton.Cancel:
            return None
    qtbot.waitUntil(lambda: dialog.result_ is not None, timeout=10_000)
    return dialog.result_


def first_column(path) -> list[str]:
    return [r[0].value for r in openpyxl.load_workbook(path).active.iter_rows(min_row=2)]


def test_export_then_asked_before_exporting_again(qtbot, activity, tmp_path):
    dialog = dialog_for(qtbot, Selection(activity_id=activity.id))
    assert "1" in dialog.summary.text()
    assert dialog.layout_box.currentData() == national.PRESET_NAME
    assert "志愿者姓名" in dialog.columns_label.text()
    result = export_and_wait(qtbot, dialog, tmp_path / "1.xlsx")
    assert result.rows == 1 and first_column(tmp_path / "1.xlsx") == ["王芳"]

    approve_li()
    again = dialog_for(qtbot, Selection(activity_id=activity.id))
    assert again.preview.exported_before == 1
    assert export_and_wait(qtbot, again, tmp_path / "c.xlsx",
                           QMessageBox.StandardButton.Cancel) is None
    assert not (tmp_path / "c.xlsx").exists()
    only_new = export_and_wait(qtbot, again, tmp_path / "2.xlsx",
                               QMessageBox.StandardButton.No)
    assert (only_new.rows, only_new.skipped) == (1, 1)
    assert first_column(tmp_path / "2.xlsx") == ["李四"]

    third = dialog_for(qtbot, Selection(activity_id=activity.id))
    assert third.preview.exported_before == 2
    everything = export_and_wait(qtbot, third, tmp_path / "3.xlsx",
                                 QMessageBox.StandardButton.Yes)
    assert (everything.rows, everything.exported_before) == (2, 2)


def test_columns_are_mapped_once_and_kept(qtbot, activity, tmp_path):
    dialog = dialog_for(qtbot, Selection(activity_id=activity.id))
    editor = dialog.new_layout()
    assert isinstance(editor, LayoutEditor)
    editor.name.setText("省平台")
    while editor.table.rowCount():
        editor.table.removeRow(0)
    row = editor.add_row("身份证号", "id_number")
    editor.add_row("姓名", "name")
    editor.table.selectRow(row + 1)
    editor.move_row(-1)  # 姓名 first
    editor.add_row("", "hours")
    assert not editor.save()  # a column without a header
    assert "没有列名" in editor.error.text()
    editor.table.setItem(2, 0, QTableWidgetItem("时长"))
    box = editor.table.cellWidget(2, 1)
    assert isinstance(box, QComboBox)
    box.setCurrentIndex(box.findData("minutes"))
    assert editor.save()
    assert dialog.layout_name() == "省平台"
    assert national.layout("省平台").headers == ("姓名", "身份证号", "时长")
    result = export_and_wait(qtbot, dialog, tmp_path / "p.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "p.xlsx").active
    assert [[c.value for c in r] for r in sheet.iter_rows()] == [
        ["姓名", "身份证号", "时长"], ["王芳", "110105199001010010", 120]]
    assert result.layout == "省平台"
    # A fresh dialog offers it again; deleting it leaves the preset.
    later = dialog_for(qtbot, Selection(activity_id=activity.id))
    assert later.layout_box.findData("省平台") >= 0
    later.layout_box.setCurrentIndex(later.layout_box.findData("省平台"))
    later.delete_layout()
    assert later.layout_box.findData("省平台") < 0
    assert later.delete_button.text() == "Restore preset"


def test_opened_from_the_activity_list_and_the_report(qtbot, activity):
    page = ActivityPage()
    qtbot.addWidget(page)
    page.show()
    assert not page.national_button.isEnabled()
    page.select(activity.id)
    assert page.national_button.isEnabled()
    dialog = page.export_national()
    assert dialog is not None and dialog.selection == Selection(activity_id=activity.id)
    assert dialog.preview.records == 1
    dialog.reject()
    report = HoursReportPage()
    qtbot.addWidget(report)
    report.date_from.setDate(report.date_from.date().addDays(-40))
    from_report = report.export_national()
    assert from_report is not None and from_report.preview.records == 1
    assert from_report.selection.activity_id is None
    from_report.reject()
