"""The organization list as one lazy table model.

A district holds about ten thousand organizations: the model still never loads them all.
`rowCount` is the SQL count of the current `OrgFilter`; `data()` fetches the page holding a
row through `listing.page` and keeps at most MAX_PAGES pages (LRU). Sorting goes to SQL
through `OrgFilter.sort`, never through a proxy model.
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

from app.domain.orgs.legal_status import LegalStatus
from app.services.orgs import listing
from app.services.orgs.listing import OrgFilter, OrgRow, OrgSort

PAGE_SIZE = 200
MAX_PAGES = 32

Index = QModelIndex | QPersistentModelIndex


class Column(IntEnum):
    NAME = 0
    KIND = 1
    CODE = 2
    LEGAL = 3
    INCUBATION = 4
    FIELD = 5
    STREET = 6
    REPRESENTATIVE = 7
    PHONE = 8
    RATING = 9
    INSPECTION = 10


SORT_KEYS: dict[Column, OrgSort] = {
    Column.NAME: OrgSort.NAME,
    Column.KIND: OrgSort.KIND,
    Column.CODE: OrgSort.CODE,
    Column.LEGAL: OrgSort.LEGAL,
    Column.INCUBATION: OrgSort.INCUBATION,
    Column.STREET: OrgSort.STREET,
}
COLUMN_OF_SORT = {key: col for col, key in SORT_KEYS.items()}

CONTEXT = "OrgLabels"
_COLUMN_TITLES = {
    Column.NAME: QT_TRANSLATE_NOOP("OrgLabels", "Name"),
    Column.KIND: QT_TRANSLATE_NOOP("OrgLabels", "Type"),
    Column.CODE: QT_TRANSLATE_NOOP("OrgLabels", "Unified social credit code"),
    Column.LEGAL: QT_TRANSLATE_NOOP("OrgLabels", "Legal status"),
    Column.INCUBATION: QT_TRANSLATE_NOOP("OrgLabels", "Incubation stage"),
    Column.FIELD: QT_TRANSLATE_NOOP("OrgLabels", "Service field"),
    Column.STREET: QT_TRANSLATE_NOOP("OrgLabels", "Street"),
    Column.REPRESENTATIVE: QT_TRANSLATE_NOOP("OrgLabels", "Legal representative"),
    Column.PHONE: QT_TRANSLATE_NOOP("OrgLabels", "Phone"),
    Column.RATING: QT_TRANSLATE_NOOP("OrgLabels", "Rating"),
    Column.INSPECTION: QT_TRANSLATE_NOOP("OrgLabels", "Last inspection"),
}
_LEGAL_COLORS = {LegalStatus.DEREGISTERED: QColor("#808080"),
                 LegalStatus.UNREGISTERED: QColor("#6d4c41")}


def column_title(column: Column) -> str:
    return QCoreApplication.translate(CONTEXT, str(_COLUMN_TITLES[column]))


def short_kind(row: OrgRow) -> str:
    """The type without its parenthesised second name: the column stays narrow."""
    return row.kind.label.split("（")[0]


class OrgTableModel(QAbstractTableModel):
    """Rows of `OrgRow` for the current filter, fetched a page at a time.

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
        self._filter = OrgFilter()
        self._pages: OrderedDict[int, list[OrgRow]] = OrderedDict()
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
                        Qt.ItemDataRole.ToolTipRole, self.ID_ROLE):
            return None
        row = self.row_at(index.row())
        if row is None:
            return None
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == self.ID_ROLE:
            return row.id
        if role == Qt.ItemDataRole.ForegroundRole:
            color = _LEGAL_COLORS.get(row.legal_status)
            return QBrush(color) if color is not None else None
        if role == Qt.ItemDataRole.ToolTipRole and column in (Column.NAME, Column.KIND):
            return row.name if column == Column.NAME else row.kind.label
        return None

    @staticmethod
    def _display(row: OrgRow, column: Column) -> str:
        match column:
            case Column.NAME:
                return row.name
            case Column.KIND:
                return short_kind(row)
            case Column.CODE:
                return row.credit_code
            case Column.LEGAL:
                return row.legal_status.label
            case Column.INCUBATION:
                return row.incubation_state.label if row.incubation_state else ""
            case Column.FIELD:
                return row.service_field.label if row.service_field else ""
            case Column.STREET:
                return row.street
            case Column.REPRESENTATIVE:
                return row.legal_representative
            case Column.PHONE:
                return row.contact_phone
            case Column.RATING:
                return row.rating.value if row.rating else ""
            case Column.INSPECTION:
                return row.last_inspection

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
    def filter(self) -> OrgFilter:
        return self._filter

    def sort_column(self) -> Column:
        return COLUMN_OF_SORT.get(self._filter.sort, Column.NAME)

    def set_filter(self, flt: OrgFilter) -> None:
        """Show the rows matching `flt`; the same filter again is a refresh."""
        self.beginResetModel()
        self._filter = flt
        self._pages.clear()
        self._count = listing.count(flt)
        self.endResetModel()
        self.countChanged.emit(self._count)

    def refresh(self) -> None:
        self.set_filter(self._filter)

    def row_at(self, row: int) -> OrgRow | None:
        if not 0 <= row < self._count:
            return None
        number, offset = divmod(row, self.page_size)
        rows = self._pages.get(number)
        if rows is None:
            rows = self._fetch(number)
        else:
            self._pages.move_to_end(number)
        return rows[offset] if offset < len(rows) else None

    def row_of_id(self, org_id: int) -> int | None:
        """The row of an organization under the current filter, None if it is filtered out.

        Cached pages first; else the ordered ids of the filter (a district's few thousand
        integers), so a new organization is found wherever the sort puts it."""
        for number, rows in self._pages.items():
            for offset, row in enumerate(rows):
                if row.id == org_id:
                    return number * self.page_size + offset
        try:
            return listing.ids(self._filter).index(org_id)
        except ValueError:
            return None

    def cached_pages(self) -> list[int]:
        return list(self._pages)

    def _fetch(self, number: int) -> list[OrgRow]:
        rows = listing.page(self._filter, number * self.page_size, self.page_size)
        self.fetch_log.append(number)
        self._pages[number] = rows
        while len(self._pages) > self.max_pages:
            self._pages.popitem(last=False)
        return rows
