"""The plumbing the register pages (volunteers, organizations, projects) share: a debounced
search box, filter combos, the lazy table with a sort indicator that never lies, the row
count, toolbar actions, and a detail panel that follows the *selected* row.

A page subclasses `ListPage`, builds its controls with the `_make_*` helpers and supplies
`current_filter`, `filter_combos` and `_count_text`; a page whose panel follows the
selection also supplies `shown_id` and `_show_in_panel`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Protocol, TypeVar, cast

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStyle,
    QTableView,
    QToolBar,
    QWidget,
)

from app.ui.common.paged_model import PagedTableModel

SEARCH_DELAY_MS = 250
ColumnT = TypeVar("ColumnT", bound=int)


class SortsByColumn(Protocol):
    """What each page's model adds to `PagedTableModel`: the column its SQL order is."""

    def sort_column(self) -> int: ...


class ListPage(QWidget):
    """A register page: filters over a lazy, SQL-sorted list and a detail panel.

    Signals:
        statusMessage(str): a short note for the main window's status bar.
    """

    statusMessage = Signal(str)

    model: PagedTableModel[Any, Any, Any]
    toolbar: QToolBar
    search: QLineEdit
    table: QTableView
    count_label: QLabel
    filter_bar: QHBoxLayout
    # How `select_row` brings a row into view.
    scroll_hint = QAbstractItemView.ScrollHint.PositionAtCenter

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Typing re-queries only once the user pauses: each query is SQL.
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filters)

    # -- what a page supplies --------------------------------------------------------------

    def current_filter(self) -> Any:
        """The model's filter with the controls' values."""
        raise NotImplementedError

    def filter_combos(self) -> tuple[QComboBox, ...]:
        """The filter combos `clear_filters` puts back on their first entry ("all")."""
        raise NotImplementedError

    def _count_text(self, count: int) -> str:
        raise NotImplementedError

    @property
    def shown_id(self) -> int | None:
        """The record in the detail panel: what every action works on."""
        raise NotImplementedError

    def _show_in_panel(self, row_id: int) -> None:
        raise NotImplementedError

    def _update_actions(self) -> None:
        raise NotImplementedError

    # -- building ----------------------------------------------------------------------

    def _action(self, text: str, icon: QStyle.StandardPixmap, slot: Callable[[], object],
                shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
                ) -> QAction:
        """A toolbar button with a standard icon (and a shortcut, which works anywhere on
        the page)."""
        action = QAction(self.style().standardIcon(icon), text, self)
        action.triggered.connect(slot)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        self.toolbar.addAction(action)
        return action

    def _combo(self, parent: QWidget, name: str, everything: str,
               items: Iterable[tuple[str, object]]) -> QComboBox:
        """A filter combo whose first entry, "everything", carries None."""
        combo = QComboBox(parent)
        combo.setObjectName(name)
        combo.addItem(everything, None)
        for text, value in items:
            combo.addItem(text, value)
        combo.currentIndexChanged.connect(self.apply_filters)
        return combo

    def _make_search(self, parent: QWidget, placeholder: str) -> QLineEdit:
        """The debounced search box; Ctrl+F (Find) puts the cursor in it."""
        self.search = QLineEdit(parent)
        self.search.setObjectName("search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(placeholder)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.search.returnPressed.connect(self.apply_filters)
        find = QAction(self)
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.triggered.connect(self.search.setFocus)
        self.addAction(find)
        return self.search

    def _make_filter_bar(self, parent: QWidget, combos: Iterable[QComboBox]) -> QHBoxLayout:
        """Search box, combos and the row count in one line."""
        self.count_label = QLabel(parent)
        self.count_label.setObjectName("count")
        self.filter_bar = QHBoxLayout()
        self.filter_bar.addWidget(self.search, 3)
        for combo in combos:
            self.filter_bar.addWidget(combo)
        self.filter_bar.addWidget(self.count_label)
        self.model.countChanged.connect(self._show_count)
        return self.filter_bar

    def _make_table(self, parent: QWidget, name: str, widths: Mapping[ColumnT, int],
                    sort_column: int, order: Qt.SortOrder, fit_titles: bool = True,
                    fit_values: Mapping[ColumnT, Sequence[str]] | None = None,
                    ) -> QTableView:
        """The read-only, row-selecting table over `model`, sorted by `sort_column`.

        `fit_titles` widens a column to its title when the title is wider; `fit_values`
        widens a column of labels (sex, ID type, status) to the widest of them in the
        interface's language ("Resident ID card" is three times 居民身份证).
        """
        self.table = QTableView(parent)
        self.table.setObjectName(name)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        vertical = self.table.verticalHeader()
        vertical.hide()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionsMovable(True)
        metrics = self.table.fontMetrics()
        for column, given in widths.items():
            texts = (fit_values or {}).get(column, ())
            fitted = max([given, *(metrics.horizontalAdvance(t) + 12 for t in texts)])
            width = min(fitted, 2 * given)     # a rare long label elides, as before
            header.resizeSection(column, max(width, header.sectionSizeHint(column))
                                 if fit_titles else width)
        # Set the indicator first: enabling sorting sorts by it at once (Qt's default is
        # descending), and each sort is a query.
        header.setSortIndicator(sort_column, order)
        self.table.setSortingEnabled(True)
        header.sortIndicatorChanged.connect(self._on_sort_indicator)
        return self.table

    # -- filters -------------------------------------------------------------------------

    def apply_filters(self) -> None:
        """Re-query with the controls' values now (the search box calls this debounced)."""
        self._search_timer.stop()
        flt = self.current_filter()
        if flt != self.model.filter:
            self.model.set_filter(flt)

    def _reset_combos(self, combos: Iterable[QComboBox]) -> None:
        """Every combo on its first entry, without a query per combo."""
        for combo in combos:
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)

    def _clear_search(self) -> None:
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)

    def clear_filters(self) -> None:
        """Show everything: the combos on "all", the search box empty, one query."""
        self._reset_combos(self.filter_combos())
        self._clear_search()
        self.apply_filters()

    def _show_count(self, count: int) -> None:
        self.count_label.setText(self._count_text(count))

    def _on_sort_indicator(self, column: int, _order: Qt.SortOrder) -> None:
        """Put the indicator back on the column the model sorts by, if it moved to one that
        cannot be sorted (the model keeps its order then, and the arrow must say so)."""
        if column in self.model.sort_keys:
            return
        header = self.table.horizontalHeader()
        header.blockSignals(True)
        header.setSortIndicator(cast(SortsByColumn, self.model).sort_column(),
                                Qt.SortOrder.DescendingOrder if self.model.filter.descending
                                else Qt.SortOrder.AscendingOrder)
        header.blockSignals(False)
        if column >= 0:
            self.statusMessage.emit(self.tr("This column cannot be sorted."))

    # -- selection ------------------------------------------------------------------------

    def select_row(self, row: int) -> None:
        """Make `row` the selected and current row, and scroll to it."""
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index, self.scroll_hint)

    def _select_quietly(self, row_id: int) -> None:
        """Select `row_id`'s row (if listed) without moving the panel: it already shows it."""
        row = self.model.row_of_id(row_id)
        if row is not None:
            self.table.selectionModel().blockSignals(True)
            self.select_row(row)
            self.table.selectionModel().blockSignals(False)

    def _follow_selection(self) -> None:
        """Connect the panel to the selected row (not the current one, which the keyboard
        may move alone)."""
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)

    def _on_selection_changed(self, _selected: QItemSelection,
                              _deselected: QItemSelection) -> None:
        """A reset or an empty selection keeps the panel on its record."""
        rows = self.table.selectionModel().selectedRows()
        if len(rows) != 1:
            return
        row_id = self.model.data(rows[0], self.model.ID_ROLE)
        if row_id is not None and row_id != self.shown_id:
            self._show_in_panel(int(row_id))
        self._update_actions()

    def _show_id(self, row_id: int) -> None:
        """Select, scroll to and show `row_id` (in the panel even if the filters hide it)."""
        row = self.model.row_of_id(row_id)
        if row is not None:
            self.select_row(row)
        else:
            self.table.selectionModel().clearSelection()
        self._show_in_panel(row_id)
        self._update_actions()

    def refresh(self, keep_id: int | None = None) -> None:
        """Re-read the list; keep `keep_id` (or the record shown) in view. A page whose
        panel follows the current row instead overrides this."""
        keep_id = keep_id if keep_id is not None else self.shown_id
        self.model.refresh()
        if keep_id is not None:
            self._show_id(keep_id)
