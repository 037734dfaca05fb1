"""The one-call dialogs (reason, stock, good): the first field has the focus, and a refusal in
red goes away once the field it was about is edited."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from app.domain.idcard import check_character
from app.domain.volunteer import VolunteerDraft
from app.services.cards import issuing as cards
from app.services.volunteers import registration as volunteers
from app.ui.points.shop_dialogs import ReasonDialog


def test_reason_box_has_the_focus_and_the_refusal_clears(qtbot: QtBot, register, typist):
    first17 = "11010519800101071"
    person = volunteers.register(VolunteerDraft(
        name="郑一", id_number=first17 + check_character(first17), phone="13800138000"))
    cards.issue(person.id)
    dialog = ReasonDialog(None, "补办证件", "说明", lambda r: cards.reissue(person.id, r))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.reason.hasFocus)

    assert not dialog.submit()                     # no reason
    assert dialog.error.text()
    typist(dialog.reason, "遗失")
    assert dialog.error.text() == ""
    assert dialog.submit()
    current = cards.current(person.id)
    assert current is not None and current.serial == 2
