"""The project list as one lazy table model.

A city register holds about five thousand projects: the model still loads only the pages the
view shows. `rowCount` is the SQL count of the current `ProjectFilter`; `data()` fetches the
page holding a row through `listing.page` and keeps at most MAX_PAGES pages (LRU). Sorting
goes to SQL through `ProjectFilter.sort`, never through a proxy model.
"""

from __future__ import annotations

from collections import OrderedDict, deque
from dataclasses import replace
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from app.domain.projects.lifecycle import ProjectStatus
from app.domain.projects.money import format_yuan
from app.services.projects import listing
from app.services.projects.listing import ProjectFilter, ProjectRow, ProjectSort

PAGE_SIZE = 200
MAX_PAGES = 32

Index = QModelIndex | QPersistentModelIndex


class Column(IntEnum):
    NUMBER = 0
    NAME = 1
    PURCHASER = 2
    CONTRACTOR = 3
    METHOD = 4
    STATUS = 5
    AMOUNT = 6
    PAID = 7
    TERM = 8


SORT_KEYS: dict[Column, ProjectSort] = {
    Column.NUMBER: ProjectSort.NUMBER,
    Column.NAME: ProjectSort.NAME,
    Column.PURCHASER: ProjectSort.PURCHASER,
    Column.CONTRACTOR: ProjectSort.CONTRACTOR,
    Column.STATUS: ProjectSort.STATUS,
    Column.AMOUNT: ProjectSort.AMOUNT,
    Column.TERM: ProjectSort.ENDS,
}
COLUMN_OF_SORT = {key: col for col, key in SORT_KEYS.items()}
MONEY_COLUMNS = (Column.AMOUNT, Column.PAID)

CONTEXT = "ProjectLabels"
_COLUMN_TITLES = {
    Column.NUMBER: QT_TRANSLATE_NOOP("ProjectLabels", "Number"),
    Column.NAME: QT_TRANSLATE_NOOP("ProjectLabels", "Project name"),
    Column.PURCHASER: QT_TRANSLATE_NOOP("ProjectLabels", "Purchaser"),
    Column.CONTRACTOR: QT_TRANSLATE_NOOP("ProjectLabels", "Contractor"),
    Column.METHOD: QT_TRANSLATE_NOOP("ProjectLabels", "Purchase method"),
    Column.STATUS: QT_TRANSLATE_NOOP("ProjectLabels", "Status"),
    Column.AMOUNT: QT_TRANSLATE_NOOP("ProjectLabels", "Contract amount"),
    Column.PAID: QT_TRANSLATE_NOOP("ProjectLabels", "Paid"),
    Column.TERM: QT_TRANSLATE_NOOP("ProjectLabels", "Service term"),
}
_STATUS_COLORS = {ProjectStatus.TERMINATED: QColor("#808080"),
                  ProjectStatus.CLOSED: QColor("#607d8b"),
                  ProjectStatus.DRAFT: QColor("#6d4c41")}


def column_title(column: Column) -> str:
    return QCoreApplication.translate(CONTEXT, str(_COLUMN_TITLES[column]))


def term_text(row: ProjectRow) -> str:
    """2026-01-01 – 2026-12-31; one end alone when the other is not known yet."""
    if row.starts_on is None and row.ends_on is None:
        return ""
    start = row.starts_on.isoformat() if row.starts_on else "…"
    end = row.ends_on.isoformat() if row.ends_on else "…"
    return f"{start} – {end}"


class ProjectTableModel(QAbstractTableModel):
    """Rows of `ProjectRow` for the current filter, fetched a page at a time.

    Signals:
        countChanged(int): the number of rows after a filter change or refresh.
    """

    countChanged = Signal(int)
    ID_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: QObject | None = None, page_size: int = PAGE_SIZE,
                 max_pages: int = MAX_PAGES) -> None:
        super().__init__(parent)
        self.page_size = page_size
        self.max_pages = max_pages
        self._filter = ProjectFilter()
        self._pages: OrderedDict[int, list[ProjectRow]] = OrderedDict()
        self.fetch_log: deque[int] = deque(maxlen=10_000)
        self._count = listing.count(self._filter)

    # -- what the view asks ------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return column_title(Column(section))
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | \
            Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.parent().isValid():
            return None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ForegroundRole,
                        Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.TextAlignmentRole,
                        self.ID_ROLE):
            return None
        row = self.row_at(index.row())
        if row is None:
            return None
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == self.ID_ROLE:
            return row.id
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column in MONEY_COLUMNS:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            color = _STATUS_COLORS.get(row.status)
            return QBrush(color) if color is not None else None
        if role == Qt.ItemDataRole.ToolTipRole and column in (Column.NAME, Column.CONTRACTOR):
            return row.name if column == Column.NAME else row.contractor
        return None

    @staticmethod
    def _display(row: ProjectRow, column: Column) -> str:
        match column:
            case Column.NUMBER:
                return row.number
            case Column.NAME:
                return row.name
            case Column.PURCHASER:
                return row.purchaser
            case Column.CONTRACTOR:
                return row.contractor
            case Column.METHOD:
                return row.method.label
            case Column.STATUS:
                return row.status.label
            case Column.AMOUNT:
                return "" if row.contract_amount_fen is None else format_yuan(
                    row.contract_amount_fen)
            case Column.PAID:
                return format_yuan(row.paid_fen) if row.paid_fen else ""
            case Column.TERM:
                return term_text(row)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Order in SQL; columns without a sort key keep the current order."""
        key = SORT_KEYS.get(Column(column)) if 0 <= column < len(Column) else None
        if key is None:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if key == self._filter.sort and descending == self._filter.descending:
            return
        self.set_filter(replace(self._filter, sort=key, descending=descending))

    # -- what the page asks -------------------------------------------------------------

    @property
    def filter(self) -> ProjectFilter:
        return self._filter

    def sort_column(self) -> Column:
        return COLUMN_OF_SORT.get(self._filter.sort, Column.NUMBER)

    def set_filter(self, flt: ProjectFilter) -> None:
        """Show the rows matching `flt`; the same filter again is a refresh."""
        self.beginResetModel()
        self._filter = flt
        self._pages.clear()
        self._count = listing.count(flt)
        self.endResetModel()
        self.countChanged.emit(self._count)

    def refresh(self) -> None:
        self.set_filter(self._filter)

    def row_at(self, row: int) -> ProjectRow | None:
        if not 0 <= row < self._count:
            return None
        number, offset = divmod(row, self.page_size)
        rows = self._pages.get(number)
        if rows is None:
            rows = self._fetch(number)
        else:
            self._pages.move_to_end(number)
        return rows[offset] if offset < len(rows) else None

    def row_of_id(self, project_id: int) -> int | None:
        """The row of a project under the current filter, None if it is filtered out.

        Cached pages first; else its position in the filter's ordered ids, so a new
        project is found wherever the sort puts it."""
        for number, rows in self._pages.items():
            for offset, row in enumerate(rows):
                if row.id == project_id:
                    return number * self.page_size + offset
        return listing.position(self._filter, project_id)

    def cached_pages(self) -> list[int]:
        return list(self._pages)

    def _fetch(self, number: int) -> list[ProjectRow]:
        rows = listing.page(self._filter, number * self.page_size, self.page_size)
        self.fetch_log.append(number)
        self._pages[number] = rows
        while len(self._pages) > self.max_pages:
            self._pages.popitem(last=False)
        return rows
