"""The project list as one lazy table model.

A city register holds about five thousand projects: the model still loads only the pages the
view shows. `rowCount` is the SQL count of the current `ProjectFilter`; `data()` fetches the
page holding a row through `listing.page` and keeps at most MAX_PAGES pages (LRU). Sorting
goes to SQL through `ProjectFilter.sort`, never through a proxy model.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Qt
from PySide6.QtGui import QBrush, QColor

from app.domain.projects.lifecycle import ProjectStatus
from app.domain.projects.money import format_yuan
from app.services.projects import listing
from app.services.projects.listing import ProjectFilter, ProjectRow, ProjectSort
from app.ui.common import enum_text
from app.ui.common.paged_model import PagedTableModel

PAGE_SIZE = 200
MAX_PAGES = 32


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


class ProjectTableModel(PagedTableModel[ProjectRow, ProjectFilter, Column]):
    """Rows of `ProjectRow` for the current filter, fetched a page at a time.

    Signals:
        countChanged(int): the number of rows after a filter change or refresh.
    """

    columns = Column
    sort_keys = SORT_KEYS
    roles = frozenset({Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.ToolTipRole,
                       Qt.ItemDataRole.TextAlignmentRole})

    def __init__(self, parent: QObject | None = None, page_size: int = PAGE_SIZE,
                 max_pages: int = MAX_PAGES) -> None:
        super().__init__(ProjectFilter(), parent, page_size, max_pages)

    def _count_rows(self, flt: ProjectFilter) -> int:
        return listing.count(flt)

    def _page_rows(self, flt: ProjectFilter, offset: int, limit: int) -> list[ProjectRow]:
        return listing.page(flt, offset, limit)

    def _position(self, row_id: int) -> int | None:
        """Its position in the filter's ordered ids, so a new project is found wherever
        the sort puts it."""
        return listing.position(self._filter, row_id)

    def _column_title(self, column: Column) -> str:
        return column_title(column)

    def _cell(self, row: ProjectRow, column: Column, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
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
                return enum_text.label(row.method)
            case Column.STATUS:
                return enum_text.label(row.status)
            case Column.AMOUNT:
                return "" if row.contract_amount_fen is None else format_yuan(
                    row.contract_amount_fen)
            case Column.PAID:
                return format_yuan(row.paid_fen) if row.paid_fen else ""
            case Column.TERM:
                return term_text(row)

    def sort_column(self) -> Column:
        return COLUMN_OF_SORT.get(self._filter.sort, Column.NUMBER)
