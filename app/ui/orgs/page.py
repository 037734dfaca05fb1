"""The 社会组织 area: the organization register (filters, the lazy list, the detail panel),
the incubation board and the due view, as three tabs.

Filtering, sorting and counting run in SQL (`app.services.orgs.listing`); the page only turns
its controls into an `OrgFilter`. Every action works on the organization the detail panel
shows (`detail.org_id`), never on the list's current row: after a save the new or edited
organization is selected, scrolled to and shown, so the next 编辑 opens that one.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QSplitter,
    QStyle,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import NotFoundError
from app.domain.orgs.incubation import IncubationState
from app.domain.orgs.kinds import OrgKind, ServiceField
from app.domain.orgs.legal_status import LegalStatus
from app.services.orgs import listing
from app.services.orgs.listing import IN_INCUBATOR, OrgFilter
from app.ui import desk_settings
from app.ui.common import enum_text
from app.ui.common.errors import show_error
from app.ui.common.list_page import ListPage
from app.ui.common.worker import Task, TaskState, run_task
from app.ui.orgs.annual import AnnualReportMixin
from app.ui.orgs.detail import OrgDetail
from app.ui.orgs.due_page import DuePage
from app.ui.orgs.editor import OrgEditor, combo_value
from app.ui.orgs.model import Column, OrgTableModel
from app.ui.orgs.pipeline import PipelineBoard

log = logging.getLogger(__name__)

COLUMN_WIDTHS = {Column.NAME: 200, Column.KIND: 116, Column.CODE: 160, Column.LEGAL: 70,
                 Column.INCUBATION: 80, Column.FIELD: 90, Column.STREET: 100,
                 Column.REPRESENTATIVE: 90, Column.PHONE: 110, Column.RATING: 50,
                 Column.INSPECTION: 100}
LIST_TAB, PIPELINE_TAB, DUE_TAB = range(3)


class OrgPage(ListPage):
    """The 社会组织 area of the main window.

    Signals:
        statusMessage(str): a short note for the main window's status bar.
    """

    openProject = Signal(int)  # a project's row in the due view: the window opens it

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("OrgPage")
        self.model: OrgTableModel = OrgTableModel(self)
        self.task: Task | None = None
        self.editor: OrgEditor | None = None
        self.reports = AnnualReportMixin(self)
        self.reports.message.connect(self.statusMessage)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("org_tabs")
        self.tabs.addTab(self._list_tab(), self.tr("Directory"))
        self.pipeline = PipelineBoard(self)
        self.pipeline.openOrg.connect(self.open_org)
        self.tabs.addTab(self.pipeline, self.tr("Incubation board"))
        self.due = DuePage(self)
        self.due.openOrg.connect(self.open_org)
        self.due.openProject.connect(self.openProject)
        self.tabs.addTab(self.due, self.tr("Due reminders"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.tabs)
        self._show_count(self.model.rowCount())
        self._update_actions()

    # -- building ----------------------------------------------------------------------

    def _list_tab(self) -> QWidget:
        tab = QWidget(self)
        self._build_actions(tab)
        self._build_filters(tab)
        self._build_table(tab)
        self.detail = OrgDetail(tab)
        self.detail.changed.connect(self._on_detail_changed)
        self.detail.annual.message.connect(self.statusMessage)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, tab)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([700, 520])
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.toolbar)
        layout.addLayout(self.filter_bar)
        layout.addWidget(self.splitter, 1)
        return tab

    def _build_actions(self, tab: QWidget) -> None:
        self.toolbar = QToolBar(self.tr("Organizations"), tab)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        sp = QStyle.StandardPixmap
        self.add_action = self._action(self.tr("New"), sp.SP_FileDialogNewFolder,
                                       lambda: self.open_editor(None),
                                       QKeySequence.StandardKey.New)
        self.edit_action = self._action(self.tr("Edit"), sp.SP_FileDialogDetailedView,
                                        self.edit_shown, "Ctrl+E")
        self.toolbar.addSeparator()
        self.import_action = self._action(self.tr("Import"), sp.SP_ArrowDown, self.open_import)
        self.export_action = self._action(self.tr("Export"), sp.SP_ArrowUp, self.export)
        self.toolbar.addSeparator()
        self.batch_action = self._action(self.tr("Print annual reports…"), sp.SP_FileIcon,
                                         self.print_reports)

    def _build_filters(self, tab: QWidget) -> None:
        self._make_search(tab, self.tr("Search: name, pinyin initials or credit code"))
        self.kind_combo = self._combo(tab, "kind_filter", self.tr("All types"),
                                      [(enum_text.short_label(k), k) for k in OrgKind])
        self.legal_combo = self._combo(tab, "legal_filter", self.tr("Any legal status"),
                                       [(enum_text.label(s), s) for s in LegalStatus])
        self.incubation_combo = self._combo(
            tab, "incubation_filter", self.tr("Any incubation stage"),
            [(self.tr("In the incubator"), IN_INCUBATOR),
             *((enum_text.label(s), s) for s in IncubationState)])
        self.field_combo = self._combo(tab, "field_filter", self.tr("All service fields"),
                                       [(enum_text.label(f), f) for f in ServiceField])
        self.street_combo = self._combo(tab, "street_filter", self.tr("All streets"), [])
        self.street_combo.setMinimumContentsLength(8)
        self.reload_streets()
        self._make_filter_bar(tab, self.filter_combos())

    def _build_table(self, tab: QWidget) -> None:
        fit = {Column.KIND: [enum_text.short_label(k) for k in OrgKind],
               Column.LEGAL: enum_text.labels(LegalStatus),
               Column.INCUBATION: enum_text.labels(IncubationState),
               Column.FIELD: enum_text.labels(ServiceField)}
        self._make_table(tab, "organizations", COLUMN_WIDTHS, Column.NAME,
                         Qt.SortOrder.AscendingOrder, fit_values=fit)
        self.table.doubleClicked.connect(lambda _index: self.edit_shown())
        self._follow_selection()
        self.model.modelReset.connect(self._on_model_reset)

    # -- filters -------------------------------------------------------------------------

    def reload_streets(self) -> None:
        """Refill the street list (after a save or an import)."""
        street = self.street_combo.currentData() or ""
        self.street_combo.blockSignals(True)
        while self.street_combo.count() > 1:
            self.street_combo.removeItem(1)
        for name in listing.streets():
            self.street_combo.addItem(name, name)
        self.street_combo.setCurrentIndex(max(self.street_combo.findData(street), 0))
        self.street_combo.blockSignals(False)

    def current_filter(self) -> OrgFilter:
        return replace(
            self.model.filter, text=self.search.text().strip(),
            kind=combo_value(self.kind_combo, OrgKind),
            legal_status=combo_value(self.legal_combo, LegalStatus),
            incubation=self._incubation_choice(),
            service_field=combo_value(self.field_combo, ServiceField),
            street=self.street_combo.currentData() or "", ids=None)

    def _incubation_choice(self) -> IncubationState | str | None:
        value = self.incubation_combo.currentData()
        return IN_INCUBATOR if value == IN_INCUBATOR else combo_value(
            self.incubation_combo, IncubationState)

    def filter_combos(self) -> tuple[QComboBox, ...]:
        return (self.kind_combo, self.legal_combo, self.incubation_combo, self.field_combo,
                self.street_combo)

    def _count_text(self, count: int) -> str:
        return self.tr("%n organization(s)", "", count)

    # -- selection ------------------------------------------------------------------------

    @property
    def shown_id(self) -> int | None:
        """The organization in the detail panel: what every action works on."""
        return self.detail.org_id

    def _show_in_panel(self, row_id: int) -> None:
        self.detail.show_org(row_id)

    def _on_model_reset(self) -> None:
        self._update_actions()

    def _update_actions(self) -> None:
        self.edit_action.setEnabled(self.detail.org_id is not None)

    def show_org(self, org_id: int) -> None:
        """Select, scroll to and show `org_id` in the list (in the panel even if the
        filters hide it)."""
        self._show_id(org_id)

    def open_org(self, org_id: int) -> None:
        """Switch to the list tab and show `org_id` (the board, the due view and the home
        page call this)."""
        self.tabs.setCurrentIndex(LIST_TAB)
        if self.model.row_of_id(org_id) is None:
            self.clear_filters()
        self.show_org(org_id)

    def show_filtered(self, incubation: str | None = None,
                      legal_status: str | None = None) -> None:
        """The list tab with only these filters set (the home page's figures call this)."""
        self.tabs.setCurrentIndex(LIST_TAB)
        self._reset_combos(self.filter_combos())
        for combo, value in ((self.incubation_combo, incubation),
                             (self.legal_combo, legal_status)):
            if value is not None:
                combo.blockSignals(True)
                combo.setCurrentIndex(max(combo.findData(str(value)), 0))
                combo.blockSignals(False)
        self._clear_search()
        self.apply_filters()

    # -- actions --------------------------------------------------------------------------

    def open_editor(self, org_id: int | None) -> OrgEditor | None:
        try:
            editor = OrgEditor(self, org_id)
        except NotFoundError as exc:
            show_error(self, exc)
            return None
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.saved.connect(self._on_saved)
        editor.openExisting.connect(self.open_existing)
        editor.destroyed.connect(self._editor_gone)
        self.editor = editor
        editor.open()
        return editor

    def _editor_gone(self) -> None:
        self.editor = None

    def edit_shown(self) -> OrgEditor | None:
        """Edit the organization in the detail panel."""
        org_id = self.detail.org_id
        return None if org_id is None else self.open_editor(org_id)

    def open_existing(self, org_id: int) -> OrgEditor | None:
        self.open_org(org_id)
        return self.open_editor(org_id)

    def _on_saved(self, org_id: int) -> None:
        self.reload_streets()
        self.model.refresh()
        self.show_org(org_id)
        record = self.detail.record
        if record is not None:
            self.statusMessage.emit(self.tr("Saved %1").replace("%1", record.name))

    def _on_detail_changed(self, org_id: int) -> None:
        self.model.refresh()
        self._select_quietly(org_id)
        if self.pipeline.isVisible():
            self.pipeline.refresh()

    def open_import(self) -> object:
        from app.ui.orgs.import_dialog import open_org_import  # written separately

        return open_org_import(self)

    def export(self) -> Task | None:
        """Export the organizations the list shows now to an Excel file, in the
        background."""
        folder = desk_settings.LAST_FOLDER.get() or str(Path.home())
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export organizations"),
            str(Path(folder) / self.tr("organizations.xlsx")),
            self.tr("Excel workbook (*.xlsx)"))
        if not path:
            return None
        target = Path(path)
        if target.suffix.lower() != ".xlsx":
            target = target.with_suffix(".xlsx")
        desk_settings.LAST_FOLDER.set(str(target.parent))
        return self.export_to(target)

    def export_to(self, path: Path) -> Task:
        from app.services.orgs import exporting  # written separately

        flt = self.model.filter

        def job(state: TaskState) -> int:
            return exporting.export(flt, path, state)

        def done(count: object) -> None:
            self.statusMessage.emit(self.tr("Exported %1 organizations to %2").replace(
                "%1", str(count)).replace("%2", str(path)))

        self.task = run_task(job, self, self.tr("Exporting organizations"),
                             on_success=done, on_failure=self._failed)
        return self.task

    def _failed(self, exc: BaseException) -> None:
        show_error(self, exc)

    def print_reports(self) -> object:
        """批量打印年度报告: the organizations of the filtered list, or every one that owes a
        report when the list is not filtered."""
        flt = self.model.filter
        unfiltered = replace(flt, sort=OrgFilter().sort,
                             descending=OrgFilter().descending) == OrgFilter()
        return self.reports.ask_batch(None if unfiltered else listing.ids(flt))
