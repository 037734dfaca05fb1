"""The registration dialog: register through the form, errors at their fields, duplicates."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from app.services.volunteers import listing as volunteer_list
from app.services.volunteers import registration as volunteers
from app.services.volunteers.listing import VolunteerFilter
from app.ui.volunteers.editor import VolunteerEditor
from app.ui.volunteers.model import Column


def total() -> int:
    return volunteer_list.count(VolunteerFilter())


def click_save(qtbot, editor: VolunteerEditor) -> None:
    qtbot.mouseClick(editor.buttons.button(QDialogButtonBox.StandardButton.Save),
                     Qt.MouseButton.LeftButton)


def test_register_through_editor_then_find_it_by_search(qtbot, page, ids, typist):
    editor = page.open_editor(None)
    assert editor is not None and editor.isVisible()
    typist(editor.name, "张三丰")
    qtbot.keyClicks(editor.id_number, ids["valid"])
    qtbot.keyClicks(editor.inputs["phone"], "138 0013 8000")
    typist(editor.inputs["street"], "解放路街道")
    typist(editor.inputs["community"], "和平社区")
    # The ID number was read as it was typed: birth date and sex are derived.
    assert editor.birth_date.text() == "1949-12-31"
    assert editor.sex.currentData() == "F"
    assert not editor.sex.isEnabled()
    with qtbot.waitSignal(editor.saved) as saved:
        click_save(qtbot, editor)
    record = volunteers.get(saved.args[0])
    assert record.draft.phone == "13800138000"
    assert record.draft.street == "解放路街道"

    for text in ("zsf", "三丰", "110105", "13800", record.number):
        typist(page.search, text)
        qtbot.waitUntil(lambda t=text: page.model.filter.text == t)  # debounced search ran
        assert page.model.rowCount() == 1, text
        assert page.model.data(page.model.index(0, Column.NAME)) == "张三丰"
        page.search.clear()
    page.apply_filters()
    assert page.count_label.text()  # "共 1 人" / "1 volunteer(s)"


def test_invalid_id_number_is_shown_at_its_field_and_nothing_is_saved(qtbot, page, typist):
    editor = page.open_editor(None)
    typist(editor.name, "李四")
    qtbot.keyClicks(editor.id_number, "110105194912310021")  # wrong check character
    qtbot.keyClicks(editor.inputs["phone"], "12345")
    click_save(qtbot, editor)
    assert editor.isVisible()
    assert "校验位" in editor.error_text("id_number")
    assert "手机号码" in editor.error_text("phone")
    assert editor.id_number.property("invalid") is True
    assert editor.error_text("name") == ""
    assert editor.focusWidget() is editor.id_number  # the first bad field in form order
    assert total() == 0


def test_missing_name_and_minor_without_guardian(qtbot, page, typist):
    editor = page.open_editor(None)
    qtbot.keyClicks(editor.id_number, "110105201501010017")  # a child born 2015
    qtbot.keyClicks(editor.inputs["phone"], "13800138000")
    assert editor.guardian_group.property("required") is True
    click_save(qtbot, editor)
    assert editor.error_text("name") == "请填写姓名"
    assert editor.error_text("guardian_name")
    assert editor.error_text("guardian_consent")
    assert editor.focusWidget() is editor.name
    assert total() == 0
    typist(editor.inputs["guardian_name"], "李明")        # fixed: its message goes
    assert editor.error_text("guardian_name") == ""
    assert editor.error_text("guardian_consent")           # the others stay until fixed
    editor.inputs["guardian_consent"].setChecked(True)
    assert editor.error_text("guardian_consent") == ""
    typist(editor.name, "李小明")
    assert editor.error_text("name") == ""


def test_duplicate_id_is_refused_and_offers_the_existing_record(qtbot, page, make_volunteer,
                                                               ids, typist):
    existing = make_volunteer(name="王芳", id_number=ids["adult"])
    editor = page.open_editor(None)
    typist(editor.name, "王芳芳")
    qtbot.keyClicks(editor.id_number, ids["adult"])
    qtbot.keyClicks(editor.inputs["phone"], "13900139000")
    click_save(qtbot, editor)
    assert total() == 1
    assert existing.number in editor.error_text("id_number")
    box = editor.message_box
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert existing.number in box.text()
    open_button = next(b for b in box.buttons() if existing.number in b.text())
    with qtbot.waitSignal(editor.openExisting) as opened:
        open_button.click()
    assert opened.args == [existing.number]
    reopened = next(w for w in page.findChildren(VolunteerEditor)
                    if w.record is not None and w.isVisible())
    assert reopened.record.number == existing.number
    assert reopened.name.text() == "王芳"


def test_edit_saves_changes_and_reports_a_conflict(qtbot, page, make_volunteer):
    record = make_volunteer(name="赵六")
    page.refresh()
    page.select_row(0)
    editor = page.edit_current()
    assert editor is not None and editor.record.id == record.id
    # Someone else saves first.
    volunteers.update(record.id, record.draft, record.version)
    editor.name.setText("赵六六")
    click_save(qtbot, editor)
    assert "其他人修改" in editor.message_box.text()
    assert editor.name.text() == "赵六"          # reloaded from the register
    editor.name.setText("赵六六")
    with qtbot.waitSignal(editor.saved):
        click_save(qtbot, editor)
    assert volunteers.get(record.id).name == "赵六六"
    assert page.detail.record is not None and page.detail.record.name == "赵六六"


def test_escape_on_a_half_filled_form_asks_before_discarding(qtbot, page, typist):
    """Issue 12: Esc on a half-filled registration form used to drop it without a word."""
    editor = page.open_editor(None)
    assert editor is not None
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert not editor.isVisible()  # nothing typed: closes at once

    editor = page.open_editor(None)
    typist(editor.name, "张三丰")
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert editor.isVisible() and editor.message_box is not None
    editor.message_box.button(QMessageBox.StandardButton.Cancel).click()
    assert editor.isVisible() and editor.name.text() == "张三丰"  # kept
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    editor.message_box.button(QMessageBox.StandardButton.Discard).click()
    assert not editor.isVisible()
    assert total() == 0


def test_street_and_community_come_from_pick_lists_in_pinyin_order(qtbot, register):
    """Free text only, before: staff typed 和平街道 three ways. The lists hold the register's
    areas in pinyin order, the communities of the chosen street first of all."""
    from app.domain.idcard import check_character
    from app.domain.volunteer import VolunteerDraft

    areas = [("朝阳区", "和平街道", "樱花社区"), ("朝阳区", "和平街道", "安华社区"),
             ("朝阳区", "安贞街道", "北苑社区")]
    for n, (district, street, community) in enumerate(areas, start=1):
        first17 = f"11010519800101{n:03d}"
        volunteers.register(VolunteerDraft(
            name=f"张{n}", id_number=first17 + check_character(first17), phone="13800138000",
            district=district, street=street, community=community))
    editor = VolunteerEditor()
    qtbot.addWidget(editor)
    editor.show()
    street = editor._area_edits["street"]
    assert editor._area_lists["street"].stringList() == ["安贞街道", "和平街道"]
    editor.show_area_list(street)                        # the arrow in the field
    popup = street.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    assert popup.model().rowCount() == 2
    street.setText("和平街道")
    street.editingFinished.emit()
    assert editor._area_lists["community"].stringList() == ["安华社区", "樱花社区"]
    assert editor.findChild(QAction, "community_pick") is not None
