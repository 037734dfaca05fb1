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
TOOLTIP_FROM = 12   # characters: longer cell texts also show whole as a tooltip
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
        if role == Qt.ItemDataRole.ToolTipRole:   # the whole text of a narrowed column
            text = str(col.value(row))
            return text if len(text) > TOOLTIP_FROM else None
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


class GrowingListModel(QAbstractTableModel, Generic[R]):
    """A list read from the database a page at a time as the view scrolls down
    (`canFetchMore`/`fetchMore`): for lists that grow with use (activities, pending records)
    but are read from the top. Subclasses give the column titles, `_count_rows`, `_fetch`
    and `data`."""

    def __init__(self, parent: QObject | None = None, page_size: int = 200) -> None:
        super().__init__(parent)
        self.page_size = page_size
        self.titles: list[str] = []
        self._rows: list[R] = []
        self._count = 0

    def _count_rows(self) -> int:
        raise NotImplementedError

    def _fetch(self, offset: int, limit: int) -> list[R]:
        raise NotImplementedError

    def refresh(self) -> None:
        """Re-count and reload the first page (after an edit, or another desk's)."""
        self.beginResetModel()
        self._count = self._count_rows()
        self._rows = self._fetch(0, self.page_size)
        self.endResetModel()

    @property
    def total(self) -> int:
        return self._count

    def row_at(self, row: int) -> R | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.titles)

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and len(self._rows) < self._count

    def fetchMore(self, parent: Index) -> None:
        if parent.isValid():
            return
        rows = self._fetch(len(self._rows), self.page_size)
        if not rows:
            self._count = len(self._rows)  # the list shrank meanwhile
            return
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(rows) - 1)
        self._rows.extend(rows)
        self.endInsertRows()

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(self.titles)):
            return self.titles[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | \
            Qt.ItemFlag.ItemNeverHasChildren
