"""The incubation board: one column per stage with its count, amber for agreements that end
soon, and a double-click that asks to open the organization."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.domain.orgs.incubation import IncubationState
from app.ui.orgs.pipeline import AMBER, ID_ROLE, PipelineBoard


def test_columns_count_the_organizations_in_each_stage(qtbot, populated):
    board = PipelineBoard()
    qtbot.addWidget(board)
    board.show()  # showing refreshes
    assert board.counts == {IncubationState.APPLIED: 2, IncubationState.UNDER_REVIEW: 1,
                            IncubationState.ADMITTED: 1, IncubationState.INCUBATING: 3}
    assert "(3)" in board.headers[IncubationState.INCUBATING].title()
    assert board.lists[IncubationState.APPLIED].count() == 2


def test_an_agreement_ending_soon_is_amber_and_a_card_opens(qtbot, populated):
    board = PipelineBoard()
    qtbot.addWidget(board)
    board.show()
    cards = board.lists[IncubationState.INCUBATING]
    items = {cards.item(n).data(ID_ROLE): cards.item(n) for n in range(cards.count())}
    soon = items[populated["邻里守望互助会"]]
    later = items[populated["心桥心理咨询中心"]]
    assert soon.background().color() == AMBER
    assert later.background().color() != AMBER
    assert "邻里守望互助会" in soon.text()
    with qtbot.waitSignal(board.openOrg) as opened:
        cards.itemDoubleClicked.emit(soon)
    assert opened.args == [populated["邻里守望互助会"]]
    assert Qt.ItemDataRole.UserRole + 1 == ID_ROLE
