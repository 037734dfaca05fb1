"""The organization form: errors at their fields in Chinese, the credit-code override, money
in 元, saving, duplicates and leaving a changed form."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from app.domain.orgs.kinds import OrgKind, PneForm
from app.domain.orgs.legal_status import LegalStatus
from app.services.orgs import listing, registration
from app.services.orgs.listing import OrgFilter
from app.ui.orgs.editor import OrgEditor, parse_yuan

GOOD = "52420000MJH233402K"
BAD_CHECK = "52420000MJH233402X"  # the 18th character should be K


def make_editor(qtbot, org_id=None) -> OrgEditor:
    editor = OrgEditor(None, org_id)
    qtbot.addWidget(editor)
    editor.show()
    return editor


def click_save(qtbot, editor: OrgEditor) -> None:
    qtbot.mouseClick(editor.buttons.button(QDialogButtonBox.StandardButton.Save),
                     Qt.MouseButton.LeftButton)


def choose(combo, value) -> None:
    combo.setCurrentIndex(combo.findData(value))


def test_bad_credit_code_is_refused_at_its_field_then_kept_with_a_reason(
        qtbot, register, typist):
    editor = make_editor(qtbot)
    typist(editor.name, "心桥心理咨询中心")
    choose(editor.kind, OrgKind.PRIVATE_NON_ENTERPRISE)
    assert not editor.override.isVisibleTo(editor)
    qtbot.keyClicks(editor.credit_code, BAD_CHECK)
    # Checked as typed: the Chinese message is at the field and the reason field appears.
    assert "校验" in editor.error_text("credit_code")
    assert editor.credit_code.property("invalid") is True
    assert editor.override.isVisibleTo(editor)
    click_save(qtbot, editor)
    assert editor.isVisible()
    assert "保留原因" in editor.error_text("credit_code")
    assert listing.count(OrgFilter()) == 0
    typist(editor.override, "证书原件即为此代码")
    assert editor.error_text("credit_code") == ""  # cleared once fixed
    with qtbot.waitSignal(editor.saved) as saved:
        click_save(qtbot, editor)
    record = registration.get(saved.args[0])
    assert record.code == BAD_CHECK
    assert record.draft.code_override_reason == "证书原件即为此代码"


def test_wrong_format_needs_fixing_not_a_reason(qtbot, register):
    editor = make_editor(qtbot)
    qtbot.keyClicks(editor.credit_code, "52420000MJH23340IK")  # I is not allowed
    assert editor.error_text("credit_code")
    assert not editor.override.isVisibleTo(editor)
    editor.credit_code.setText(GOOD)
    assert editor.error_text("credit_code") == ""


def test_errors_at_fields_money_and_dates(qtbot, register, typist):
    editor = make_editor(qtbot)
    typist(editor.capital, "3万块")
    assert editor.error_text("capital_fen")
    qtbot.keyClicks(editor.inputs["contact_phone"], "12")
    click_save(qtbot, editor)
    assert editor.error_text("capital_fen")
    assert editor.focusWidget() is editor.capital or editor.error_text("name")
    assert listing.count(OrgFilter()) == 0
    editor.capital.setText("30,000.50")
    assert editor.error_text("capital_fen") == ""
    click_save(qtbot, editor)
    assert editor.error_text("name") == "请填写组织名称"
    assert editor.error_text("kind") == "请选择组织类型"
    assert "联系电话" in editor.error_text("contact_phone")
    typist(editor.name, "阳光助老服务社")
    choose(editor.kind, OrgKind.SOCIAL_GROUP)
    editor.inputs["contact_phone"].setText("027-88886666")
    assert editor.dates["founded_on"].text().strip() == ""  # empty dates are accepted
    with qtbot.waitSignal(editor.saved) as saved:
        click_save(qtbot, editor)
    record = registration.get(saved.args[0])
    assert record.draft.capital_fen == 3_000_050
    assert record.draft.founded_on is None
    assert parse_yuan("200元") == 20_000 and parse_yuan("") is None


def test_unit_form_only_for_private_non_enterprise(qtbot, register):
    editor = make_editor(qtbot)
    choose(editor.kind, OrgKind.SOCIAL_GROUP)
    assert not editor.pne_form.isEnabled()
    choose(editor.kind, OrgKind.PRIVATE_NON_ENTERPRISE)
    assert editor.pne_form.isEnabled()
    choose(editor.pne_form, PneForm.PARTNERSHIP)
    choose(editor.kind, OrgKind.FOUNDATION)
    assert not editor.pne_form.isEnabled() and editor.pne_form.currentData() is None


def test_create_registered_needs_a_code_then_edit_keeps_version(qtbot, register, typist):
    editor = make_editor(qtbot)
    typist(editor.name, "明德助学基金会")
    choose(editor.kind, OrgKind.FOUNDATION)
    choose(editor.legal_status, LegalStatus.REGISTERED)
    click_save(qtbot, editor)
    assert "统一社会信用代码" in editor.error_text("credit_code")
    editor.credit_code.setText("53420000MJH2448303")
    with qtbot.waitSignal(editor.saved) as saved:
        click_save(qtbot, editor)
    org_id = saved.args[0]
    assert registration.get(org_id).legal_status is LegalStatus.REGISTERED

    second = make_editor(qtbot, org_id)
    assert not second.legal_status.isEnabled()
    second.inputs["address"].setText("和平路1号")
    registration.update(org_id, registration.get(org_id).draft, 1)  # another desk saves
    click_save(qtbot, second)
    box = second.message_box
    assert box is not None and "其他人" in box.text()
    assert second.inputs["address"].text() == ""  # reloaded from what was saved


def test_duplicate_code_offers_the_existing_organization(qtbot, register, make_org, typist):
    existing = make_org("绿色家园环保协会", OrgKind.SOCIAL_GROUP, 7)
    editor = make_editor(qtbot)
    typist(editor.name, "另一个协会")
    choose(editor.kind, OrgKind.SOCIAL_GROUP)
    editor.credit_code.setText(existing.code)
    click_save(qtbot, editor)
    box = editor.message_box
    assert box is not None and "绿色家园环保协会" in box.text()
    open_button = next(b for b in box.buttons()
                       if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole)
    with qtbot.waitSignal(editor.openExisting) as opened:
        open_button.click()
    assert opened.args == [existing.id]


def test_escape_on_a_changed_form_asks_first(qtbot, register, typist):
    editor = make_editor(qtbot)
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert not editor.isVisible()  # nothing typed: closes at once

    editor = make_editor(qtbot)
    typist(editor.name, "未保存的组织")
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert editor.isVisible()
    box = editor.message_box
    assert box is not None and box.isVisible()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert editor.isVisible() and editor.name.text() == "未保存的组织"
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    editor.message_box.button(QMessageBox.StandardButton.Discard).click()
    qtbot.waitUntil(lambda: not editor.isVisible())
    QApplication.processEvents()
