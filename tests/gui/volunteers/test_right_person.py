"""Every action acts on the volunteer the detail panel shows (issue 12, item 3)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from app.domain.idcard import check_character
from app.domain.volunteer import Status, VolunteerDraft
from app.services.volunteers import demo
from app.services.volunteers import registration as volunteers


def _id(seq: int) -> str:
    first17 = f"11010519800101{seq:03d}"
    return first17 + check_character(first17)


def test_a_saved_volunteer_is_selected_and_every_action_lands_on_them(qtbot, page, typist):
    demo.generate(600, seed=7)  # more than one page of the list, so the new row is unloaded
    page.refresh()
    page.select_row(0)
    first = page.detail.record
    assert first is not None
    editor = page.open_editor(None)
    assert editor is not None
    typist(editor.name, "新来的")
    qtbot.keyClicks(editor.id_number, _id(7))
    qtbot.keyClicks(editor.inputs["phone"], "13900001111")
    with qtbot.waitSignal(editor.saved) as saved:
        qtbot.mouseClick(editor.buttons.button(QDialogButtonBox.StandardButton.Save),
                         Qt.MouseButton.LeftButton)
    new_id = saved.args[0]
    # The saved person is shown, and their row is the selected, current one.
    assert page.detail.record is not None and page.detail.record.id == new_id
    assert page.current_id() == new_id
    assert page.table.currentIndex().row() > 0
    # Edit and suspend act on the person shown.
    edit = page.edit_current()
    assert edit is not None and edit.record is not None and edit.record.id == new_id
    edit.reject()
    dialog = page.open_status(Status.SUSPENDED)
    assert dialog is not None and dialog.record.id == new_id


def test_edit_follows_the_detail_panel_not_the_current_row(qtbot, page):
    a = volunteers.register(VolunteerDraft(name="甲", id_number=_id(11), phone="13900000001"))
    b = volunteers.register(VolunteerDraft(name="乙", id_number=_id(13), phone="13900000002"))
    page.refresh()
    page.select_row(0)
    assert page.current_id() == a.id
    page.detail.show_volunteer(b.id)  # the panel shows someone else (opened from elsewhere)
    editor = page.edit_current()
    assert editor is not None and editor.record.id == b.id


def test_a_saved_volunteer_the_filter_hides_is_still_the_one_acted_on(qtbot, page):
    volunteers.register(VolunteerDraft(name="甲", id_number=_id(11), phone="13900000001"))
    page.search.setText("甲")
    page.apply_filters()
    hidden = volunteers.register(VolunteerDraft(name="乙", id_number=_id(13),
                                                phone="13900000002"))
    page._on_saved(hidden.id)
    assert page.detail.record is not None and page.detail.record.id == hidden.id
    editor = page.edit_current()
    assert editor is not None and editor.record.id == hidden.id
