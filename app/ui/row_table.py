"""Small read-only tables: a list of plain rows shown through `Col` definitions.

Most lists outside the volunteer register hold hundreds of rows at most (goods, redemptions,
a ledger page, report lines), so one generic model keeps them all and each page only says
which columns it shows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

R = TypeVar("R")
Index = QModelIndex | QPersistentModelIndex
RED = QColor("#c62828")
RED_BACKGROUND = QColor("#fde7e7")


@dataclass(frozen=True)
class Col(Generic[R]):
    """One column of a `RowsModel`: its title, its text and whether it is a number."""

    title: str
    value: Callable[[R], object]
    numeric: bool = False


class RowsModel(QAbstractTableModel, Generic[R]):
    """A small list of plain rows (goods, redemptions, reconciliation, a ledger page).

    These lists hold hundreds of rows at most, so the model keeps them all; `flagged` rows
    (a reconciliation difference) are drawn in red.
    """

    def __init__(self, columns: Sequence[Col[R]], parent: QObject | None = None,
                 flagged: Callable[[R], bool] | None = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.rows: list[R] = []
        self.flagged = flagged

    def set_rows(self, rows: Sequence[R]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(self.columns)):
            return self.columns[section].title
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | \
            Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.parent().isValid() \
                or not 0 <= index.row() < len(self.rows):
            return None
        row, col = self.rows[index.row()], self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            value = col.value(row)
            return value if isinstance(value, int | str) else str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and col.numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        flagged = self.flagged is not None and self.flagged(row)
        if role == Qt.ItemDataRole.ForegroundRole and flagged:
            return QBrush(RED)
        if role == Qt.ItemDataRole.BackgroundRole and flagged:
            return QBrush(RED_BACKGROUND)
        return None

    def row(self, number: int) -> R | None:
        return self.rows[number] if 0 <= number < len(self.rows) else None


def table_view(model: QAbstractTableModel, parent: QWidget) -> QTableView:
    view = QTableView(parent)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return view
