"""The 购买服务项目 area: the project register (search, filters, the lazy list) with the
detail panel of the project in view.

Filtering, sorting and counting run in SQL (`app.services.projects.listing`); the page only
turns its controls into a `ProjectFilter`. Every action works on the project the detail
panel shows (`detail.project_id`), never on the list's current row: after a save the new or
edited project is selected, scrolled to and shown, so the next 编辑 opens that one.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QSplitter,
    QStyle,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import NotFoundError
from app.domain.projects.kinds import PurchaseMethod
from app.domain.projects.lifecycle import ProjectStatus
from app.services.projects import registration
from app.services.projects.listing import ProjectFilter, ProjectMoney
from app.ui.common import enum_text
from app.ui.common.errors import show_error
from app.ui.common.list_page import ListPage
from app.ui.orgs.editor import combo_value
from app.ui.projects.detail import ProjectDetail
from app.ui.projects.dialogs import PurchaserDialog
from app.ui.projects.editor import ProjectEditor
from app.ui.projects.model import Column, ProjectTableModel
from app.ui.projects.report import ProjectReport

log = logging.getLogger(__name__)

COLUMN_WIDTHS = {Column.NUMBER: 96, Column.NAME: 220, Column.PURCHASER: 130,
                 Column.CONTRACTOR: 170, Column.METHOD: 80, Column.STATUS: 70,
                 Column.AMOUNT: 110, Column.PAID: 110, Column.TERM: 170}
YEARS_BACK = 10


class ProjectPage(ListPage):
    """The 购买服务项目 area of the main window.

    Signals:
        statusMessage(str): a short note for the main window's status bar.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ProjectPage")
        self.model: ProjectTableModel = ProjectTableModel(self)
        self.editor: ProjectEditor | None = None
        self.purchaser_dialog: PurchaserDialog | None = None
        self.report = ProjectReport(self)
        self.report.message.connect(self.statusMessage)
        self._build_actions()
        self._build_filters()
        self._build_table()
        self.detail = ProjectDetail(self)
        self.detail.changed.connect(self._on_detail_changed)
        self.detail.message.connect(self.statusMessage)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([500, 720])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.toolbar)
        layout.addLayout(self.filter_bar)
        layout.addWidget(self.splitter, 1)
        self._show_count(self.model.rowCount())
        self._update_actions()

    # -- building ----------------------------------------------------------------------

    def _build_actions(self) -> None:
        self.toolbar = QToolBar(self.tr("Projects"), self)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        sp = QStyle.StandardPixmap
        self.add_action = self._action(self.tr("New"), sp.SP_FileDialogNewFolder,
                                       lambda: self.open_editor(None),
                                       QKeySequence.StandardKey.New)
        self.edit_action = self._action(self.tr("Edit"), sp.SP_FileDialogDetailedView,
                                        self.edit_shown, "Ctrl+E")
        self.toolbar.addSeparator()
        self.purchasers_action = self._action(self.tr("Purchasers…"), sp.SP_DirIcon,
                                              self.open_purchasers)
        self.report_action = self._action(self.tr("Project report…"), sp.SP_FileIcon,
                                          self.report_shown, "Ctrl+P")

    def _build_filters(self) -> None:
        self._make_search(self, self.tr(
            "Search: project or contractor name, pinyin initials, XM number"))
        self.status_combo = self._combo(self, "status_filter", self.tr("Any status"),
                                        [(enum_text.label(s), s) for s in ProjectStatus])
        self.purchaser_combo = self._combo(self, "purchaser_filter", self.tr("All purchasers"), [])
        self.purchaser_combo.setMinimumContentsLength(8)
        self.reload_purchasers()
        this_year = dt.date.today().year
        self.year_combo = self._combo(
            self, "year_filter", self.tr("Any year"),
            [(str(y), y) for y in range(this_year + 1, this_year - YEARS_BACK, -1)])
        self.year_combo.setToolTip(self.tr("Projects whose service term touches the year"))
        # the home page's 合同总额 and 已支付 open the projects they count
        self.money_combo = self._combo(self, "money_filter", self.tr("Any amount"), [
            (self.tr("With a contract amount"), str(ProjectMoney.CONTRACTED)),
            (self.tr("With payments"), str(ProjectMoney.PAID))])
        self._make_filter_bar(self, self.filter_combos())

    def _build_table(self) -> None:
        fit = {Column.METHOD: enum_text.labels(PurchaseMethod),
               Column.STATUS: enum_text.labels(ProjectStatus)}
        self._make_table(self, "projects", COLUMN_WIDTHS, Column.NUMBER,
                         Qt.SortOrder.DescendingOrder, fit_values=fit)
        self.table.doubleClicked.connect(lambda _index: self.edit_shown())
        self._follow_selection()
        self.model.modelReset.connect(self._update_actions)

    # -- filters -------------------------------------------------------------------------

    def reload_purchasers(self) -> None:
        """Refill the purchaser filter (after the list was managed); retired ones stay
        choosable, since old projects name them."""
        current = self.purchaser_combo.currentData()
        self.purchaser_combo.blockSignals(True)
        while self.purchaser_combo.count() > 1:
            self.purchaser_combo.removeItem(1)
        for row in registration.purchasers(include_inactive=True):
            self.purchaser_combo.addItem(row.name, row.id)
        self.purchaser_combo.setCurrentIndex(max(self.purchaser_combo.findData(current), 0)
                                             if current is not None else 0)
        self.purchaser_combo.blockSignals(False)

    def current_filter(self) -> ProjectFilter:
        year = self.year_combo.currentData()
        purchaser = self.purchaser_combo.currentData()
        return replace(
            self.model.filter, text=self.search.text().strip(),
            status=combo_value(self.status_combo, ProjectStatus), statuses=(),
            purchaser_id=None if purchaser is None else int(purchaser),
            year=None if year is None else int(year),
            money=combo_value(self.money_combo, ProjectMoney))

    def filter_combos(self) -> tuple[QComboBox, ...]:
        return (self.status_combo, self.purchaser_combo, self.year_combo, self.money_combo)

    def show_filtered(self, status: ProjectStatus | None = None,
                      year: int | None = None, money: ProjectMoney | None = None) -> None:
        """Show the projects in `status` whose term touches `year` and that the money total
        `money` counts (the home page's figures open the list this way); None means any."""
        for combo in self.filter_combos():
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
        if status is not None:
            self.status_combo.setCurrentIndex(self.status_combo.findData(status))
        if year is not None:
            if self.year_combo.findData(year) < 0:
                self.year_combo.addItem(str(year), year)
            self.year_combo.setCurrentIndex(self.year_combo.findData(year))
        if money is not None:
            self.money_combo.setCurrentIndex(self.money_combo.findData(str(money)))
        for combo in self.filter_combos():
            combo.blockSignals(False)
        self._clear_search()
        self.apply_filters()

    def _count_text(self, count: int) -> str:
        return self.tr("%n project(s)", "", count)

    # -- selection ------------------------------------------------------------------------

    @property
    def shown_id(self) -> int | None:
        """The project in the detail panel: what every action works on."""
        return self.detail.project_id

    def _show_in_panel(self, row_id: int) -> None:
        self.detail.show_project(row_id)

    def _update_actions(self) -> None:
        shown = self.detail.project_id is not None
        self.edit_action.setEnabled(shown)
        self.report_action.setEnabled(shown)

    def show_project(self, project_id: int) -> None:
        """Select, scroll to and show `project_id` in the list (in the panel even if the
        filters hide it)."""
        self._show_id(project_id)

    def open_project(self, project_id: int) -> None:
        """Show `project_id`, clearing filters that hide it (the home page calls this)."""
        if self.model.row_of_id(project_id) is None:
            self.clear_filters()
        self.show_project(project_id)

    # -- actions --------------------------------------------------------------------------

    def open_editor(self, project_id: int | None) -> ProjectEditor | None:
        try:
            editor = ProjectEditor(self, project_id)
        except NotFoundError as exc:
            show_error(self, exc)
            return None
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.saved.connect(self._on_saved)
        editor.destroyed.connect(self._editor_gone)
        self.editor = editor
        editor.open()
        return editor

    def _editor_gone(self) -> None:
        self.editor = None

    def edit_shown(self) -> ProjectEditor | None:
        """Edit the project in the detail panel."""
        project_id = self.detail.project_id
        return None if project_id is None else self.open_editor(project_id)

    def report_shown(self) -> object:
        """项目报告… for the project in the detail panel."""
        project_id = self.detail.project_id
        return None if project_id is None else self.report.render(project_id)

    def _on_saved(self, project_id: int) -> None:
        self.model.refresh()
        self.show_project(project_id)
        record = self.detail.record
        if record is not None:
            self.statusMessage.emit(self.tr("Saved %1 %2").replace(
                "%1", record.number).replace("%2", record.name))

    def _on_detail_changed(self, project_id: int) -> None:
        self.model.refresh()
        self._select_quietly(project_id)

    def open_purchasers(self) -> PurchaserDialog:
        """Manage the purchaser list (add, rename, retire)."""
        dialog = PurchaserDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.changed.connect(self._on_purchasers_changed)
        dialog.destroyed.connect(self._purchasers_gone)
        self.purchaser_dialog = dialog
        dialog.open()
        return dialog

    def _purchasers_gone(self) -> None:
        self.purchaser_dialog = None

    def _on_purchasers_changed(self) -> None:
        self.reload_purchasers()
        self.model.refresh()
        if self.detail.project_id is not None:
            self.show_project(self.detail.project_id)
