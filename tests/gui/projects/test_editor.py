"""The project form: errors at their fields in Chinese, money in 元, dates, the contractor
picked from the organizations and confirmed with a reason when not in good standing, the
long-term note, conflicts and leaving a changed form."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from app.domain.projects.kinds import PurchaseMethod
from app.services.projects import listing, registration
from app.services.projects.listing import ProjectFilter
from app.ui.projects.editor import ProjectEditor
from app.ui.projects.pickers import SEARCH_DELAY_MS


def make_editor(qtbot, project_id=None) -> ProjectEditor:
    editor = ProjectEditor(None, project_id)
    qtbot.addWidget(editor)
    editor.show()
    return editor


def click_save(qtbot, editor: ProjectEditor) -> None:
    qtbot.mouseClick(editor.buttons.button(QDialogButtonBox.StandardButton.Save),
                     Qt.MouseButton.LeftButton)


def choose(combo, value) -> None:
    combo.setCurrentIndex(combo.findData(value))


def fill_required(editor: ProjectEditor, populated, typist) -> None:
    typist(editor.name, "社区心理援助项目")
    choose(editor.purchaser, populated["区民政局"])
    choose(editor.method, PurchaseMethod.OPEN_TENDER)


def pick_contractor(qtbot, editor: ProjectEditor, typist, fragment: str) -> list[str]:
    typist(editor.contractor_edit, fragment)
    offered = editor.contractor.update_choices()
    editor.contractor.completer.activated.emit(offered[0])
    return offered


def test_bad_amounts_and_dates_are_refused_at_their_fields(qtbot, populated, typist):
    editor = make_editor(qtbot)
    before = listing.count(ProjectFilter())
    editor.money["budget_fen"].setText("20万")
    assert "不是有效金额" in editor.error_text("budget_fen")  # checked as typed
    assert editor.money["budget_fen"].property("invalid") is True
    editor.money["contract_amount_fen"].setText("1.234")
    assert editor.error_text("contract_amount_fen")
    editor.dates["starts_on"].setDate(QDate(2026, 3, 1))
    editor.dates["ends_on"].setDate(QDate(2026, 2, 1))
    click_save(qtbot, editor)
    assert editor.isVisible()
    assert "不是有效金额" in editor.error_text("budget_fen")
    assert editor.error_text("contract_amount_fen")
    assert editor.error_text("name") == "请填写项目名称"
    assert editor.error_text("purchaser_id") == "请选择购买主体"
    assert editor.error_text("ends_on") == "服务结束日期应晚于开始日期"
    assert listing.count(ProjectFilter()) == before

    fill_required(editor, populated, typist)
    editor.money["budget_fen"].setText("200,000")
    assert editor.error_text("budget_fen") == ""
    editor.money["contract_amount_fen"].setText("250000")
    assert editor.capitals.text() == "贰拾伍万元整"
    click_save(qtbot, editor)
    assert "超过预算" in editor.error_text("contract_amount_fen")
    editor.money["contract_amount_fen"].setText("198000.50")
    editor.dates["ends_on"].setDate(QDate(2027, 2, 28))
    with qtbot.waitSignal(editor.saved) as saved:
        click_save(qtbot, editor)
    record = registration.get(saved.args[0])
    assert record.draft.budget_fen == 20_000_000
    assert record.draft.contract_amount_fen == 19_800_050
    assert record.draft.ends_on == dt.date(2027, 2, 28)
    assert record.draft.signed_on is None  # empty dates stay empty


def test_a_term_beyond_three_years_is_noted_not_refused(qtbot, populated, typist):
    editor = make_editor(qtbot)
    assert not editor.term_note.isVisibleTo(editor)
    editor.dates["starts_on"].setDate(QDate(2026, 1, 1))
    editor.dates["ends_on"].setDate(QDate(2030, 1, 1))
    assert "超过三年" in editor.term_note.text()
    assert editor.term_note.isVisibleTo(editor)
    fill_required(editor, populated, typist)
    editor.money["budget_fen"].setText("100000")
    with qtbot.waitSignal(editor.saved):
        click_save(qtbot, editor)


def test_contractor_in_bad_standing_needs_a_reason(qtbot, populated, typist):
    editor = make_editor(qtbot)
    fill_required(editor, populated, typist)
    editor.money["budget_fen"].setText("100000")
    offered = pick_contractor(qtbot, editor, typist, "心桥")
    assert offered == ["心桥心理咨询中心"]
    assert editor.contractor.org_id == populated["心桥心理咨询中心"]
    assert "活动异常名录" in editor.contractor_problems.text()
    assert editor.contractor_problems.isVisibleTo(editor)
    assert editor.reason.isVisibleTo(editor)
    click_save(qtbot, editor)
    assert editor.isVisible()
    assert "请填写理由" in editor.error_text("contractor_id")
    assert listing.count(ProjectFilter(text="社区心理援助")) == 0
    typist(editor.reason, "该组织是辖区唯一的专业机构")
    assert editor.error_text("contractor_id") == ""
    with qtbot.waitSignal(editor.saved) as saved:
        click_save(qtbot, editor)
    record = registration.get(saved.args[0])
    assert record.draft.contractor_id == populated["心桥心理咨询中心"]
    assert "唯一的专业机构" in record.contractor_warning

    # Editing again keeps the confirmation; nothing more is asked.
    again = make_editor(qtbot, record.id)
    assert "心桥心理咨询中心" in again.contractor_edit.text()
    assert "唯一的专业机构" in again.contractor_problems.text()
    assert not again.reason.isVisibleTo(again)
    # Changing the contractor to one in good standing: no problems shown.
    again.contractor_edit.clear()
    pick_contractor(qtbot, again, typist, "阳光")
    assert again.contractor.org_id == populated["阳光助老服务社"]
    assert not again.contractor_problems.isVisibleTo(again)
    with qtbot.waitSignal(again.saved):
        click_save(qtbot, again)
    assert registration.get(record.id).draft.contractor_id == populated["阳光助老服务社"]


def test_typing_after_a_pick_drops_the_choice(qtbot, populated, typist):
    editor = make_editor(qtbot)
    pick_contractor(qtbot, editor, typist, "阳光")
    assert editor.contractor.org_id is not None
    typist(editor.contractor_edit, "x")
    assert editor.contractor.org_id is None
    qtbot.wait(SEARCH_DELAY_MS + 100)  # the search typing started runs while the register is open


def test_conflict_is_told_and_the_form_reloaded(qtbot, populated):
    project_id = populated["社区居家养老服务项目"]
    editor = make_editor(qtbot, project_id)
    assert editor.windowTitle().endswith("社区居家养老服务项目")
    editor.inputs["service_area"].setText("新华街道")
    registration.update(project_id, registration.get(project_id).draft, 1)  # another desk
    click_save(qtbot, editor)
    box = editor.message_box
    assert box is not None and "其他人" in box.text()
    assert editor.inputs["service_area"].text() == ""  # reloaded from what was saved


def test_escape_on_a_changed_form_asks_first(qtbot, populated, typist):
    editor = make_editor(qtbot)
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert not editor.isVisible()  # nothing typed: closes at once

    editor = make_editor(qtbot)
    typist(editor.name, "未保存的项目")
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert editor.isVisible()
    box = editor.message_box
    assert box is not None and box.isVisible()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert editor.isVisible() and editor.name.text() == "未保存的项目"
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    editor.message_box.button(QMessageBox.StandardButton.Discard).click()
    qtbot.waitUntil(lambda: not editor.isVisible())
    QApplication.processEvents()
