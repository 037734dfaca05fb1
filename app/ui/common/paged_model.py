"""One lazy, paged table model for every area's list (volunteers, organizations, projects).

A list may hold a million rows: the model never loads them all. `rowCount` is the SQL count
of the current filter; `data()` asks for a row, the model fetches the page (`page_size`
rows) holding it through the area's service and keeps at most `max_pages` pages in an LRU
cache, so memory stays flat however far the user scrolls. Sorting and filtering go to SQL
(the filter's `sort` and `descending`), never through a QSortFilterProxyModel.

A subclass names its `columns` (an IntEnum) and `sort_keys`, the roles it answers, and
implements the service calls (`_count_rows`, `_page_rows`) and the cells (`_column_title`,
`_cell`).

At ten million rows two more things matter, and a subclass may supply them:
- `_count_upto(flt, cap)`: count only as far as is cheap. The count is then EXACT, AT_LEAST
  (the view's `fetchMore` at the bottom counts further, doubling) or ABOUT (an estimate not
  below the truth; a short page at the end settles it). `count_kind` tells the page which.
- `_page_rows_after(flt, offset, limit, after)`: keyset paging. The model remembers the
  sort key of the last row of each fetched page; the page below it is then fetched as "rows
  after this key" (an index range) instead of by OFFSET, which reads every row it skips.
"""

from __future__ import annotations

from collections import OrderedDict, deque
from collections.abc import Mapping
from dataclasses import replace
from enum import IntEnum
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)

Index = QModelIndex | QPersistentModelIndex

# How sure the row count is (`PagedTableModel.count_kind`).
EXACT = "exact"
AT_LEAST = "at_least"   # at least this many; more are counted when the view reaches the end
ABOUT = "about"         # an estimate, never below the truth


class HasId(Protocol):
    @property
    def id(self) -> int: ...


class SortedFilter(Protocol):
    """A frozen dataclass filter that carries its SQL order."""

    @property
    def sort(self) -> Any: ...

    @property
    def descending(self) -> bool: ...


RowT = TypeVar("RowT", bound=HasId)
FilterT = TypeVar("FilterT", bound=SortedFilter)
ColumnT = TypeVar("ColumnT", bound=IntEnum)


class PagedTableModel(QAbstractTableModel, Generic[RowT, FilterT, ColumnT]):
    """Rows of a service's row dataclass for the current filter, fetched a page at a time.

    Signals:
        countChanged(int): the number of rows after a filter change or refresh.
    """

    countChanged = Signal(int)
    ID_ROLE = Qt.ItemDataRole.UserRole + 1

    columns: type[ColumnT]
    sort_keys: Mapping[ColumnT, Any]
    # Roles `data()` answers besides DisplayRole and ID_ROLE; any other role fetches nothing.
    roles: ClassVar[frozenset[int]] = frozenset()
    # False: a change of order alone keeps the count (a count over a million rows costs tens
    # of milliseconds); True: every new filter re-counts.
    recount_on_sort: ClassVar[bool] = True
    # Rows counted at most when a filter is set (0: count everything, `_count_rows`).
    count_cap: ClassVar[int] = 0

    def __init__(self, initial: FilterT, parent: QObject | None, page_size: int,
                 max_pages: int) -> None:
        super().__init__(parent)
        self.page_size = page_size
        self.max_pages = max_pages
        self._filter = initial
        self._count = 0
        self.count_kind = EXACT
        self._pages: OrderedDict[int, list[RowT]] = OrderedDict()
        # The sort key of the last row of each page fetched (keyset paging); small tuples,
        # kept for every page seen under the current filter.
        self._keys: dict[int, Any] = {}
        # Page numbers fetched, newest last, for tests and diagnostics (bounded too), and
        # how each was fetched ("key" after the page above, or "offset").
        self.fetch_log: deque[int] = deque(maxlen=10_000)
        self.fetch_modes: deque[str] = deque(maxlen=10_000)
        self._count, self.count_kind = self._count_now(initial)

    # -- what a subclass supplies ---------------------------------------------------------

    def _count_rows(self, flt: FilterT) -> int:
        raise NotImplementedError

    def _page_rows(self, flt: FilterT, offset: int, limit: int) -> list[RowT]:
        raise NotImplementedError

    def _column_title(self, column: ColumnT) -> str:
        raise NotImplementedError

    def _cell(self, row: RowT, column: ColumnT, role: int) -> Any:
        """The value of `row` in `column` for `role` (DisplayRole or one of `roles`)."""
        raise NotImplementedError

    def _position(self, row_id: int) -> int | None:
        """The row of an id not in the cached pages; None when it cannot be told."""
        return None

    def _count_upto(self, flt: FilterT, cap: int) -> tuple[int, str]:
        """(rows, EXACT | AT_LEAST | ABOUT), counting at most about `cap` matches."""
        return self._count_rows(flt), EXACT

    def _page_rows_after(self, flt: FilterT, offset: int, limit: int,
                         after: Any) -> tuple[list[RowT], Any]:
        """A page and the sort key of its last row; with `after` (the key of the row just
        above the page) the page starts there. Default: by offset, no keys."""
        return self._page_rows(flt, offset, limit), None

    def _count_now(self, flt: FilterT) -> tuple[int, str]:
        if self.count_cap:
            return self._count_upto(flt, self.count_cap)
        return self._count_rows(flt), EXACT

    # -- what the view asks ------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        """More rows than counted: the view asks at the bottom of the list."""
        return not parent.isValid() and self.count_kind == AT_LEAST

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        """Count further (twice as far), appending the rows found."""
        if not self.canFetchMore(parent):
            return
        rows, kind = self._count_upto(self._filter, max(self._count * 2, self.count_cap))
        self._resize(rows)
        self.count_kind = kind
        self.countChanged.emit(self._count)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._column_title(self.columns(section))
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | \
            Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.parent().isValid():
            return None
        if role not in (Qt.ItemDataRole.DisplayRole, self.ID_ROLE) and role not in self.roles:
            return None
        row = self.row_at(index.row())
        if row is None:
            return None
        if role == self.ID_ROLE:
            return row.id
        return self._cell(row, self.columns(index.column()), role)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Order in SQL; columns without a sort key keep the current order."""
        key = self.sort_keys.get(self.columns(column)) \
            if 0 <= column < len(self.columns) else None
        if key is None:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if key == self._filter.sort and descending == self._filter.descending:
            return
        self.set_filter(replace(self._filter, sort=key, descending=descending))  # type: ignore[type-var]

    # -- what the page asks -------------------------------------------------------------

    @property
    def filter(self) -> FilterT:
        return self._filter

    def set_filter(self, flt: FilterT) -> None:
        """Show the rows matching `flt` (its sort included); the same filter again is a
        refresh and counts afresh."""
        only_order = not self.recount_on_sort and flt != self._filter and replace(  # type: ignore[type-var]
            flt, sort=self._filter.sort, descending=self._filter.descending) == self._filter
        self.beginResetModel()
        self._filter = flt
        self._pages.clear()
        self._keys.clear()
        if not only_order:
            self._count, self.count_kind = self._count_now(flt)
        self.endResetModel()
        self.countChanged.emit(self._count)

    def refresh(self) -> None:
        """Drop cached pages and re-count, after an edit here or at another desk."""
        self.set_filter(self._filter)

    def row_at(self, row: int) -> RowT | None:
        if not 0 <= row < self._count:
            return None
        number, offset = divmod(row, self.page_size)
        rows = self._pages.get(number)
        if rows is None:
            rows = self._fetch(number)
        else:
            self._pages.move_to_end(number)
        return rows[offset] if offset < len(rows) else None

    def row_of_id(self, row_id: int) -> int | None:
        """The row of an id: among the cached pages first, else `_position`."""
        for number, rows in self._pages.items():
            for offset, row in enumerate(rows):
                if row.id == row_id:
                    return number * self.page_size + offset
        return self._position(row_id)

    def cached_pages(self) -> list[int]:
        return list(self._pages)

    def _fetch(self, number: int) -> list[RowT]:
        after = self._keys.get(number - 1)
        rows, last = self._page_rows_after(self._filter, number * self.page_size,
                                           self.page_size, after)
        self.fetch_log.append(number)
        self.fetch_modes.append("key" if after is not None else "offset")
        if last is not None:
            self._keys[number] = last
        self._pages[number] = rows
        while len(self._pages) > self.max_pages:
            self._pages.popitem(last=False)
        if self.count_kind != EXACT and len(rows) < self.page_size:
            # Past the end of the list: a short page tells the count; an empty one only
            # that it is no more than where the page starts. Settled after this data()
            # call returns: a view must not see rows removed while it asks for one.
            total = number * self.page_size + len(rows)
            known = bool(rows) or number == 0
            QTimer.singleShot(0, self,  # dropped with the model if it goes first
                              lambda flt=self._filter: self._settle(flt, total, known))
        return rows

    def _settle(self, flt: FilterT, total: int, known: bool) -> None:
        if flt != self._filter or self.count_kind == EXACT:
            return
        if not known and total >= self._count:
            return  # an empty page at or past the end: nothing to learn
        self._resize(total)
        if known:
            self.count_kind = EXACT
        self.countChanged.emit(self._count)

    def _resize(self, rows: int) -> None:
        if rows > self._count:
            self.beginInsertRows(QModelIndex(), self._count, rows - 1)
            self._count = rows
            self.endInsertRows()
        elif rows < self._count:
            self.beginRemoveRows(QModelIndex(), rows, self._count - 1)
            self._count = rows
            for number in [n for n in self._pages if n * self.page_size >= rows]:
                del self._pages[number]
            self.endRemoveRows()
