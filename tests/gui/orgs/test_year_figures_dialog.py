"""The yearly figures dialog: opened from the organization panel, typed into like a person,
saved through the service, shown again on reopening; bad amounts refused at the cell."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLineEdit, QTableWidget

from app.domain.orgs.kinds import OrgKind
from app.domain.orgs.legal_status import LegalStatus
from app.services.orgs import year_figures
from app.ui.orgs.detail import OrgDetail
from app.ui.orgs.dialogs import FieldDialog
from app.ui.orgs.year_figures_dialog import YearFiguresDialog
from tests.gui.conftest import type_text
from tests.gui.orgs.conftest import new_org


@pytest.fixture
def org_id(register) -> int:
    return new_org("夕阳红志愿服务协会", OrgKind.SOCIAL_GROUP, 7, LegalStatus.REGISTERED,
                   dt.date(2020, 5, 1)).id


@pytest.fixture
def dialog(qtbot, org_id) -> YearFiguresDialog:
    widget = YearFiguresDialog(org_id, 2025)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def type_into_cell(qtbot, table: QTableWidget, row: int, column: int, text: str) -> None:
    """Open the cell's editor, type, press Enter (as a person would)."""
    index = table.model().index(row, column)
    table.setCurrentIndex(index)
    table.edit(index)
    editor = table.indexWidget(index)
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    type_text(qtbot, editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: table.indexWidget(index) is None)  # the commit is queued


def save(dialog: YearFiguresDialog) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()


def test_the_panel_asks_the_year_and_opens_the_dialog(qtbot, org_id):
    panel = OrgDetail()
    qtbot.addWidget(panel)
    panel.show_org(org_id)
    panel.figures_button.click()
    asked = panel.findChild(FieldDialog)
    assert asked is not None and asked.values()["year"] == dt.date.today().year - 1
    asked.set_value("year", 2025)
    asked.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    opened = panel.findChild(YearFiguresDialog)
    assert opened is not None and (opened.org_id, opened.year) == (org_id, 2025)
    assert "夕阳红志愿服务协会" in opened.windowTitle()
    opened.close()


def test_fill_save_and_reopen(qtbot, dialog, org_id):
    dialog.counts["staff_full_time"].selectAll()
    qtbot.keyClicks(dialog.counts["staff_full_time"].lineEdit(), "3")
    dialog.counts["members_individuals"].setValue(230)
    type_text(qtbot, dialog.overview, "全年开展敬老助老服务。")
    assert dialog.overview_count.text().startswith("11 /")

    dialog.tabs.setCurrentIndex(2)
    dialog.add_meeting.click()
    assert dialog.meetings.rowCount() == 1
    type_into_cell(qtbot, dialog.meetings, 0, 0, "会员大会")
    type_into_cell(qtbot, dialog.meetings, 0, 1, "2025-01-18")
    type_into_cell(qtbot, dialog.meetings, 0, 4, "审议通过年度工作报告")

    dialog.tabs.setCurrentIndex(3)
    type_into_cell(qtbot, dialog.balance, 0, 0, "12,345.67")
    type_into_cell(qtbot, dialog.balance, 0, 1, "15000")
    assert dialog.balance.item(0, 0).text() == "12,345.67"
    assert dialog.balance.item(0, 1).text() == "15,000.00"
    type_into_cell(qtbot, dialog.balance, 7, 0, "-200")   # net assets may be a deficit
    assert dialog.balance.item(7, 0).text() == "-200.00"
    assert not dialog.error_labels["balance"].isVisible()

    with qtbot.waitSignal(dialog.saved):
        save(dialog)
    assert not dialog.isVisible()
    stored = year_figures.get(org_id, 2025)
    assert stored.staff_full_time == 3 and stored.members_individuals == 230
    assert stored.members_units is None
    assert stored.meetings[0].held_on == dt.date(2025, 1, 18)
    assert stored.balance == {"current_assets": (1_234_567, 1_500_000),
                              "unrestricted_net_assets": (-20_000, 0)}

    again = YearFiguresDialog(org_id, 2025)
    qtbot.addWidget(again)
    assert again.counts["staff_full_time"].value() == 3
    assert again.overview.toPlainText() == "全年开展敬老助老服务。"
    assert again.meetings.rowCount() == 1
    assert [again.meetings.item(0, c).text() for c in (0, 1, 4)] == [
        "会员大会", "2025-01-18", "审议通过年度工作报告"]
    assert again.balance.item(0, 0).text() == "12,345.67"
    assert again.balance.item(1, 0).text() == ""
    assert not again.is_changed()


def test_a_bad_amount_is_refused_at_the_cell(qtbot, dialog, org_id):
    dialog.tabs.setCurrentIndex(3)
    type_into_cell(qtbot, dialog.balance, 0, 0, "12.345")
    label = dialog.error_labels["balance"]
    assert label.isVisible() and "12.345" in label.text()
    assert dialog.balance.item(0, 0).text() == ""
    type_into_cell(qtbot, dialog.activity, 0, 0, "-5")     # income is never negative
    assert dialog.error_labels["activity"].isVisible()
    assert dialog.activity.item(0, 0).text() == ""
    assert not dialog.is_changed()
    dialog.reject()                                      # nothing typed: no question
    assert not dialog.isVisible()
    assert not year_figures.get(org_id, 2025).has_finance


def test_service_refusals_land_at_their_field(qtbot, dialog, org_id):
    dialog.tabs.setCurrentIndex(2)
    dialog.add_meeting.click()
    type_into_cell(qtbot, dialog.meetings, 0, 0, "理事会")
    type_into_cell(qtbot, dialog.meetings, 0, 1, "2024-12-30")
    dialog.tabs.setCurrentIndex(0)
    save(dialog)
    assert dialog.isVisible() and dialog.tabs.currentIndex() == 2
    assert dialog.error_labels["meetings"].text() == \
        "第1行会议：召开时间2024年12月30日不在2025年度内"
    assert year_figures.get(org_id, 2025).meetings == ()

    type_into_cell(qtbot, dialog.meetings, 0, 1, "2025/3/1")  # not a date: refused
    assert dialog.meetings.item(0, 1).text() == "2024-12-30"
    assert dialog.error_labels["meetings"].isVisible()


def test_escape_on_a_changed_form_asks_first(qtbot, dialog):
    dialog.counts["staff_part_time"].setValue(2)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible() and dialog.message_box is not None
    box = dialog.message_box
    box.button(box.StandardButton.Discard).click()
    assert not dialog.isVisible()


def test_the_overview_count_turns_red_past_the_limit(qtbot, dialog, org_id):
    dialog.overview.setPlainText("服" * 1500)
    assert dialog.overview_count.text().startswith("1500 /")
    assert "c62828" not in dialog.overview_count.styleSheet()
    dialog.overview.setPlainText("服" * 1501)
    assert "c62828" in dialog.overview_count.styleSheet()
    save(dialog)
    assert dialog.error_labels["activity_overview"].text() == \
        "业务活动概述不能超过1500字，现有1501字"
    assert dialog.tabs.currentIndex() == 1
    assert year_figures.get(org_id, 2025).activity_overview == ""
