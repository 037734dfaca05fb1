"""Suspend, withdraw and reinstate from the volunteer page, with the reason kept."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox

from app.domain.volunteer import Status
from app.services.volunteers import registration as volunteers
from app.ui.volunteers.model import Column, status_label


def press_ok(dialog) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def test_suspend_needs_a_reason_then_withdraw_and_reinstate(qtbot, page, make_volunteer,
                                                            typist):
    record = make_volunteer(name="孙七")
    page.refresh()
    page.select_row(0)
    assert page.suspend_action.isEnabled() and not page.reinstate_action.isEnabled()

    dialog = page.open_status(Status.SUSPENDED)
    assert dialog is not None and dialog.isVisible()
    press_ok(dialog)                                   # no reason given
    assert dialog.isVisible()
    assert dialog.reason_error.text() == "请填写原因"
    assert volunteers.get(record.id).status is Status.ACTIVE

    typist(dialog.reason, "外出务工半年")
    with qtbot.waitSignal(dialog.changed):
        press_ok(dialog)
    saved = volunteers.get(record.id)
    assert saved.status is Status.SUSPENDED
    assert saved.status_reason == "外出务工半年"
    assert page.model.data(page.model.index(0, Column.STATUS)) == \
        status_label(Status.SUSPENDED)
    assert page.detail.record is not None and page.detail.record.status is Status.SUSPENDED
    assert page.reinstate_action.isEnabled() and not page.suspend_action.isEnabled()

    dialog = page.open_status(Status.WITHDRAWN)
    typist(dialog.reason, "本人申请退出")
    with qtbot.waitSignal(dialog.changed):
        press_ok(dialog)
    assert volunteers.get(record.id).status is Status.WITHDRAWN
    assert "本人申请退出" in page.detail.status.text()

    dialog = page.open_status(Status.ACTIVE)           # reinstating needs no reason
    with qtbot.waitSignal(dialog.changed):
        press_ok(dialog)
    assert volunteers.get(record.id).status is Status.ACTIVE


def test_status_change_on_an_outdated_record_is_refused(qtbot, page, make_volunteer):
    record = make_volunteer(name="周八")
    page.refresh()
    page.select_row(0)
    dialog = page.open_status(Status.SUSPENDED)
    volunteers.update(record.id, record.draft, record.version)  # another desk saves
    dialog.reason.setPlainText("测试")
    press_ok(dialog)
    assert not dialog.isVisible()
    assert volunteers.get(record.id).status is Status.ACTIVE


def test_detail_masks_and_reveals_on_request(qtbot, page, make_volunteer, ids):
    make_volunteer(name="吴九", id_number=ids["adult"], phone="13912345678")
    page.refresh()
    page.select_row(0)
    detail = page.detail
    assert detail.values["id_number"].text() == "110105********0010"
    assert detail.values["phone"].text() == "139****5678"
    detail.reveal_button.click()
    assert detail.values["id_number"].text() == ids["adult"]
    assert detail.values["phone"].text() == "13912345678"
    assert not detail.reveal_button.isEnabled()


def test_non_resident_id_needs_birth_date_and_sex(qtbot, page, typist):
    editor = page.open_editor(None)
    editor.id_type.setCurrentIndex(editor.id_type.findData("passport"))
    assert editor.sex.isEnabled() and not editor.birth_date.isReadOnly()
    typist(editor.name, "陈十")
    qtbot.keyClicks(editor.id_number, "E12345678")
    qtbot.keyClicks(editor.inputs["phone"], "13800138000")
    editor.save()
    assert editor.error_text("birth_date") and editor.error_text("sex")
    editor.birth_date.setDate(editor.birth_date.date().addYears(90))
    editor.sex.setCurrentIndex(editor.sex.findData("M"))
    with qtbot.waitSignal(editor.saved):
        editor.save()


def test_a_status_without_a_date_shows_no_empty_since(qtbot, page, make_volunteer):
    """Records from before status dates were kept said "暂停（起）" with nothing between."""
    import dataclasses

    record = make_volunteer(name="吴九")
    undated = dataclasses.replace(record, status=Status.SUSPENDED, status_changed_at=None,
                                  status_reason="")
    page.detail.show_record(undated)
    text = page.detail.status.text()
    assert text == f"{status_label(Status.SUSPENDED)} — no reason given"
