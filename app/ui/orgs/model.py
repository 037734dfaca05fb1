"""The organization list as one lazy table model.

A district holds about ten thousand organizations: the model still never loads them all.
`rowCount` is the SQL count of the current `OrgFilter`; `data()` fetches the page holding a
row through `listing.page` and keeps at most MAX_PAGES pages (LRU). Sorting goes to SQL
through `OrgFilter.sort`, never through a proxy model.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Qt
from PySide6.QtGui import QBrush, QColor

from app.domain.orgs.legal_status import LegalStatus
from app.services.orgs import listing
from app.services.orgs.listing import OrgFilter, OrgRow, OrgSort
from app.ui.common import enum_text
from app.ui.common.paged_model import PagedTableModel

PAGE_SIZE = 200
MAX_PAGES = 32


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
    return enum_text.short_label(row.kind)


class OrgTableModel(PagedTableModel[OrgRow, OrgFilter, Column]):
    """Rows of `OrgRow` for the current filter, fetched a page at a time.

    Signals:
        countChanged(int): the number of rows after a filter change or refresh.
    """

    columns = Column
    sort_keys = SORT_KEYS
    roles = frozenset({Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.ToolTipRole})

    def __init__(self, parent: QObject | None = None, page_size: int = PAGE_SIZE,
                 max_pages: int = MAX_PAGES) -> None:
        super().__init__(OrgFilter(), parent, page_size, max_pages)

    def _count_rows(self, flt: OrgFilter) -> int:
        return listing.count(flt)

    def _page_rows(self, flt: OrgFilter, offset: int, limit: int) -> list[OrgRow]:
        return listing.page(flt, offset, limit)

    def _position(self, row_id: int) -> int | None:
        """The ordered ids of the filter (a district's few thousand integers), so a new
        organization is found wherever the sort puts it."""
        try:
            return listing.ids(self._filter).index(row_id)
        except ValueError:
            return None

    def _column_title(self, column: Column) -> str:
        return column_title(column)

    def _cell(self, row: OrgRow, column: Column, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            color = _LEGAL_COLORS.get(row.legal_status)
            return QBrush(color) if color is not None else None
        if role == Qt.ItemDataRole.ToolTipRole and column in (Column.NAME, Column.KIND):
            return row.name if column == Column.NAME else enum_text.label(row.kind)
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
                return enum_text.label(row.legal_status)
            case Column.INCUBATION:
                return enum_text.label(row.incubation_state) if row.incubation_state else ""
            case Column.FIELD:
                return enum_text.label(row.service_field) if row.service_field else ""
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

    def sort_column(self) -> Column:
        return COLUMN_OF_SORT.get(self._filter.sort, Column.NAME)
