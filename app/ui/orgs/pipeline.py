"""The 孵化看板: one column per incubation stage, one card per organization.

The board reads `incubation.pipeline()` (stages 申请入驻, 评审中, 已入驻, 孵化中, with counts,
days in the stage and the agreement's end). A card whose agreement ends within
AGREEMENT_WARNING_DAYS is amber, so a renewal or an exit evaluation is not missed.
Double-clicking a card asks the page to open the organization in the list tab.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QShowEvent
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.orgs.incubation import IncubationState
from app.services.orgs import incubation
from app.services.orgs.incubation import PipelineCard
from app.ui.common import enum_text

AGREEMENT_WARNING_DAYS = 30
AMBER = QColor("#ffcc80")
CARD = QColor("#eceff1")
ID_ROLE = Qt.ItemDataRole.UserRole + 1


class PipelineBoard(QWidget):
    """Signals:
        openOrg(int): a card was double-clicked.
    """

    openOrg = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PipelineBoard")
        self.headers: dict[IncubationState, QGroupBox] = {}
        self.lists: dict[IncubationState, QListWidget] = {}
        self.counts: dict[IncubationState, int] = {}
        self.board = QHBoxLayout()
        top = QHBoxLayout()
        self.note = QLabel(self.tr("Double-click a card to open the organization. Amber: the "
                                   "agreement ends within %1 days.").replace(
                                       "%1", str(AGREEMENT_WARNING_DAYS)), self)
        self.note.setWordWrap(True)
        refresh = QPushButton(self.tr("Refresh"), self)
        refresh.clicked.connect(self.refresh)
        top.addWidget(self.note, 1)
        top.addWidget(refresh)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(self.board, 1)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not event.spontaneous():
            self.refresh()

    def _column(self, state: IncubationState, label: str) -> QListWidget:
        box = QGroupBox(label, self)
        box.setObjectName(f"column_{state.value}")
        box.setStyleSheet("QGroupBox { font-weight: bold; }")
        cards = QListWidget(box)
        cards.setObjectName(f"cards_{state.value}")
        cards.setWordWrap(True)
        cards.setSpacing(3)
        cards.setStyleSheet("QListWidget { font-weight: normal; }")
        cards.itemDoubleClicked.connect(self._open_item)
        inner = QVBoxLayout(box)
        inner.addWidget(cards)
        self.board.addWidget(box, 1)
        self.headers[state] = box
        self.lists[state] = cards
        return cards

    def refresh(self, today: dt.date | None = None) -> None:
        today = today or dt.date.today()
        for state, column in ((c.state, c) for c in incubation.pipeline(today)):
            cards = self.lists.get(state) or self._column(state, enum_text.label(state))
            self.counts[state] = column.count
            self.headers[state].setTitle(self.tr("%1 (%2)").replace("%1", enum_text.label(state))
                                         .replace("%2", str(column.count)))
            cards.clear()
            for card in column.cards:
                cards.addItem(self._item(card, today))

    def _item(self, card: PipelineCard, today: dt.date) -> QListWidgetItem:
        lines = [card.name, self.tr("%n day(s) in this stage", "", card.days_in_stage)]
        if card.agreement_ends_on is not None:
            lines.append(self.tr("agreement ends %1").replace(
                "%1", card.agreement_ends_on.isoformat()))
        item = QListWidgetItem("\n".join(lines))
        item.setData(ID_ROLE, card.org_id)
        item.setToolTip(card.credit_code or card.name)
        item.setBackground(QBrush(AMBER if self.ends_soon(card, today) else CARD))
        return item

    @staticmethod
    def ends_soon(card: PipelineCard, today: dt.date) -> bool:
        end = card.agreement_ends_on
        return end is not None and (end - today).days <= AGREEMENT_WARNING_DAYS

    def _open_item(self, item: QListWidgetItem) -> None:
        org_id = item.data(ID_ROLE)
        if org_id is not None:
            self.openOrg.emit(int(org_id))
