"""The volunteer register screen: filters, the lazy list, actions, and the detail panel.

Filtering, sorting and counting run in SQL through `app.services.volunteers.listing`; the page
only turns its controls into a `VolunteerFilter`. Writes go through dialogs that call the
services; long work (export) runs in the background with `run_task`.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QMessageBox,
    QSplitter,
    QStyle,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import NotFoundError
from app.domain.volunteer import AGE_GROUPS, IdType, Status
from app.services.volunteers import listing as volunteer_list
from app.services.volunteers import registration as volunteers
from app.services.volunteers.listing import VolunteerFilter
from app.ui import desk_settings
from app.ui.common.errors import message_box, show_error
from app.ui.common.list_page import ListPage
from app.ui.common.paged_model import ABOUT, AT_LEAST
from app.ui.common.worker import Task, TaskState, run_task
from app.ui.volunteers.detail import VolunteerDetail
from app.ui.volunteers.editor import StatusDialog, VolunteerEditor
from app.ui.volunteers.model import (
    Column,
    VolunteerTableModel,
    id_type_label,
    sex_label,
    star_name,
    status_label,
)

log = logging.getLogger(__name__)

COLUMN_WIDTHS = {Column.NUMBER: 96, Column.NAME: 80, Column.SEX: 48, Column.AGE: 44,
                 Column.ID_TYPE: 96, Column.ID_NUMBER: 150, Column.PHONE: 104,
                 Column.STREET: 100, Column.COMMUNITY: 110, Column.REGISTERED: 90,
                 Column.STATUS: 64, Column.HOURS: 72, Column.STAR: 72, Column.POINTS: 60}


class VolunteerPage(ListPage):
    """The 志愿者 area of the main window.

    Signals:
        statusMessage(str): a short note for the main window's status bar.
    """

    # The panel follows the current row here; scrolling only brings a row into view.
    scroll_hint = QAbstractItemView.ScrollHint.EnsureVisible

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("VolunteerPage")
        self.model: VolunteerTableModel = VolunteerTableModel(self)
        self.task: Task | None = None
        self._build_actions()
        self._build_filters()
        self._build_table()
        self.detail = VolunteerDetail(self)
        self.detail.changed.connect(self.refresh)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.toolbar)
        layout.addLayout(self.filter_bar)
        layout.addWidget(self.splitter, 1)
        self._show_count(self.model.rowCount())
        self._update_actions()

    # -- building ----------------------------------------------------------------------

    def _build_actions(self) -> None:
        self.toolbar = QToolBar(self.tr("Volunteers"), self)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        sp = QStyle.StandardPixmap
        self.add_action = self._action(self.tr("Add"), sp.SP_FileDialogNewFolder,
                                       lambda: self.open_editor(None), QKeySequence.StandardKey.New)
        self.edit_action = self._action(self.tr("Edit"), sp.SP_FileDialogDetailedView,
                                        self.edit_current, "Ctrl+E")
        self.toolbar.addSeparator()
        self.suspend_action = self._action(self.tr("Suspend"), sp.SP_MediaPause,
                                           lambda: self.open_status(Status.SUSPENDED))
        self.withdraw_action = self._action(self.tr("Withdraw"), sp.SP_DialogCancelButton,
                                            lambda: self.open_status(Status.WITHDRAWN))
        self.reinstate_action = self._action(self.tr("Reinstate"), sp.SP_DialogApplyButton,
                                             lambda: self.open_status(Status.ACTIVE))
        self.toolbar.addSeparator()
        self.import_action = self._action(self.tr("Import"), sp.SP_ArrowDown, self.open_import)
        self.export_action = self._action(self.tr("Export"), sp.SP_ArrowUp, self.export)
        self.template_action = self._action(self.tr("Download import template"),
                                            sp.SP_FileIcon, self.save_template)

    def _build_filters(self) -> None:
        self._make_search(self, self.tr(
            "Name, pinyin (zs), volunteer no., ID or mobile: first or last 4+ digits"))
        self.search.setToolTip(self.tr(
            "Search by name, pinyin initials (zs) or full pinyin, volunteer number, or the "
            "start of an ID number or mobile — or its last four or more digits, as the list "
            "shows them (138****8000: type 8000)."))

        self.status_combo = QComboBox(self)
        # "All" leaves out records merged into another: they are duplicates kept for history.
        self.status_combo.addItem(self.tr("All statuses"), volunteer_list.LISTED_STATUSES)
        self.status_combo.addItem(self.tr("Active"), (str(Status.ACTIVE),))
        self.status_combo.addItem(self.tr("Suspended"), (str(Status.SUSPENDED),))
        self.status_combo.addItem(self.tr("Withdrawn"), (str(Status.WITHDRAWN),))
        self.status_combo.addItem(self.tr("Merged"), (str(Status.MERGED),))
        self.street_combo = QComboBox(self)
        self.street_combo.setMinimumContentsLength(8)
        self.community_combo = QComboBox(self)
        self.community_combo.setMinimumContentsLength(8)
        self.age_combo = QComboBox(self)
        self.age_combo.addItem(self.tr("All ages"), "")
        age_titles = {"child": self.tr("Under 14"), "teen": self.tr("14–17"),
                      "youth": self.tr("18–35"), "middle": self.tr("36–59"),
                      "senior": self.tr("60 and over")}
        for group in AGE_GROUPS:
            self.age_combo.addItem(age_titles.get(group.key, group.label), group.key)
        self.star_combo = QComboBox(self)
        self.star_combo.setObjectName("star_filter")
        self.fill_star_levels()
        self.reload_areas()
        for combo in (self.status_combo, self.community_combo, self.age_combo,
                      self.star_combo):
            combo.currentIndexChanged.connect(self.apply_filters)
        self.street_combo.currentIndexChanged.connect(self._on_street_changed)
        self._make_filter_bar(self, self.filter_combos())

    def _build_table(self) -> None:
        # ID number and mobile cannot be sorted (no index, and masked anyway).
        labels = {Column.SEX: [sex_label(s) for s in ("M", "F")],
                  Column.ID_TYPE: [id_type_label(t) for t in IdType],
                  Column.STATUS: [status_label(s) for s in Status]}
        self._make_table(self, "volunteers", COLUMN_WIDTHS, Column.NUMBER,
                         Qt.SortOrder.AscendingOrder, fit_titles=False, fit_values=labels)
        self.table.doubleClicked.connect(lambda _index: self.edit_current())
        self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self.model.modelReset.connect(self._on_model_reset)

    # -- filters -------------------------------------------------------------------------

    def reload_areas(self) -> None:
        """Refill the street and community lists (after an import or demo data)."""
        self._areas = volunteer_list.areas()
        street = self.street_combo.currentData() or ""
        self.street_combo.blockSignals(True)
        self.street_combo.clear()
        self.street_combo.addItem(self.tr("All streets"), "")
        for name in sorted({a.street for a in self._areas if a.street}):
            self.street_combo.addItem(name, name)
        self.street_combo.setCurrentIndex(max(self.street_combo.findData(street), 0))
        self.street_combo.blockSignals(False)
        self._fill_communities()

    def fill_star_levels(self) -> None:
        """The star-level filter from the configured thresholds: level N and above is
        `approved_minutes >= threshold N` in SQL (an indexed range)."""
        current = self.star_combo.currentData() or 0
        thresholds = volunteer_list.star_thresholds_minutes()
        self.star_combo.blockSignals(True)
        self.star_combo.clear()
        self.star_combo.addItem(self.tr("All star levels"), 0)
        for level, minutes in enumerate(thresholds, start=1):
            name = star_name(level)
            text = name if level == len(thresholds) else \
                self.tr("%1 and above").replace("%1", name)
            self.star_combo.addItem(text, minutes)
        self.star_combo.setCurrentIndex(max(self.star_combo.findData(current), 0))
        self.star_combo.blockSignals(False)

    def _fill_communities(self) -> None:
        street = self.street_combo.currentData() or ""
        current = self.community_combo.currentData() or ""
        names = sorted({a.community for a in self._areas
                        if a.community and (not street or a.street == street)})
        self.community_combo.blockSignals(True)
        self.community_combo.clear()
        self.community_combo.addItem(self.tr("All communities"), "")
        for name in names:
            self.community_combo.addItem(name, name)
        self.community_combo.setCurrentIndex(max(self.community_combo.findData(current), 0))
        self.community_combo.blockSignals(False)

    def _on_street_changed(self) -> None:
        self._fill_communities()
        self.apply_filters()

    def current_filter(self) -> VolunteerFilter:
        return replace(
            self.model.filter, text=self.search.text().strip(),
            statuses=tuple(self.status_combo.currentData() or ()),
            street=self.street_combo.currentData() or "",
            community=self.community_combo.currentData() or "",
            age_group=self.age_combo.currentData() or "",
            min_minutes=int(self.star_combo.currentData() or 0))

    def filter_combos(self) -> tuple[QComboBox, ...]:
        return (self.status_combo, self.street_combo, self.community_combo, self.age_combo,
                self.star_combo)

    def _count_text(self, count: int) -> str:
        # Past COUNT_CAP matches the list does not count on (it would cost seconds at ten
        # million): it says so rather than show a guess as a count.
        if self.model.count_kind == AT_LEAST:
            return self.tr("More than %1 volunteers").replace("%1", self.locale().toString(count))
        if self.model.count_kind == ABOUT:
            return self.tr("About %1 volunteers").replace("%1", self.locale().toString(count))
        return self.tr("%n volunteer(s)", "", count)

    # -- selection ------------------------------------------------------------------------

    def current_id(self) -> int | None:
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(index.row()):
            return None
        value = self.model.data(index, VolunteerTableModel.ID_ROLE)
        return int(value) if value is not None else None

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        volunteer_id = self.model.data(current, VolunteerTableModel.ID_ROLE) \
            if current.isValid() else None
        self.detail.show_volunteer(volunteer_id)
        self._update_actions()

    def _on_model_reset(self) -> None:
        self.detail.show_record(None)
        self._update_actions()

    def _update_actions(self) -> None:
        record = self.detail.record
        status = record.status if record is not None else None
        self.edit_action.setEnabled(record is not None)
        self.suspend_action.setEnabled(status == Status.ACTIVE)
        self.withdraw_action.setEnabled(status in (Status.ACTIVE, Status.SUSPENDED))
        self.reinstate_action.setEnabled(status in (Status.SUSPENDED, Status.WITHDRAWN))

    def refresh(self, keep_id: int | None = None) -> None:
        """Re-read the list; keep `keep_id` (or the current volunteer) selected if possible."""
        row = self.table.currentIndex().row()
        keep_id = keep_id if keep_id is not None else self.current_id()
        self.model.refresh()
        if keep_id is None:
            return
        found = self.model.row_at(row) if row >= 0 else None
        target = row if found is not None and found.id == keep_id \
            else self.model.row_of_id(keep_id)
        if target is not None:
            self.select_row(target)
        else:
            self.detail.show_volunteer(keep_id)
            self._update_actions()

    # -- actions --------------------------------------------------------------------------

    def open_editor(self, volunteer_id: int | None) -> VolunteerEditor | None:
        try:
            editor = VolunteerEditor(self, volunteer_id)
        except NotFoundError as exc:
            show_error(self, exc)
            return None
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.saved.connect(self._on_saved)
        editor.openExisting.connect(self.open_number)
        editor.open()
        return editor

    def edit_current(self) -> VolunteerEditor | None:
        """Edit the volunteer the detail panel shows: what the user sees is what changes."""
        record = self.detail.record
        return None if record is None else self.open_editor(record.id)

    def open_number(self, number: str) -> VolunteerEditor | None:
        try:
            record = volunteers.get_by_number(number)
        except NotFoundError as exc:
            show_error(self, exc)
            return None
        return self.open_editor(record.id)

    def _on_saved(self, volunteer_id: int) -> None:
        record = volunteers.get(volunteer_id)
        self.reload_areas()
        self.refresh(volunteer_id)
        self.show_saved(volunteer_id)
        self.statusMessage.emit(self.tr("Saved %1 %2").replace(
            "%1", record.number).replace("%2", record.name))

    def show_saved(self, volunteer_id: int) -> None:
        """Select and scroll to a volunteer just saved; when the filter hides them, the
        detail panel still shows them and the actions act on them."""
        row = volunteer_list.position(self.model.filter, volunteer_id)
        if row is not None and row < self.model.rowCount():
            self.select_row(row)
        if self.detail.record is None or self.detail.record.id != volunteer_id:
            self.detail.show_volunteer(volunteer_id)
            self._update_actions()

    def open_status(self, target: Status) -> StatusDialog | None:
        record = self.detail.record
        if record is None:
            return None
        try:
            record = volunteers.get(record.id)  # the version we change is the latest one
        except NotFoundError as exc:
            show_error(self, exc)
            return None
        dialog = StatusDialog(self, record, target)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.changed.connect(self.refresh)
        dialog.open()
        return dialog

    def open_import(self) -> None:
        from app.ui.volunteers.import_dialog import (
            ImportDialog,  # written separately; loaded on use
        )

        dialog = ImportDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.imported.connect(self._on_imported)
        dialog.open()

    def _on_imported(self, count: int) -> None:
        self.reload_areas()
        self.refresh()
        self.statusMessage.emit(self.tr("Imported %n volunteer(s)", "", count))

    def _ask_save_path(self, title: str, name: str) -> Path | None:
        folder = desk_settings.LAST_FOLDER.get() or str(Path.home())
        path, _ = QFileDialog.getSaveFileName(self, title, str(Path(folder) / name),
                                              self.tr("Excel workbook (*.xlsx)"))
        if not path:
            return None
        result = Path(path)
        if result.suffix.lower() != ".xlsx":
            result = result.with_suffix(".xlsx")
        desk_settings.LAST_FOLDER.set(str(result.parent))
        return result

    def export(self) -> Task | None:
        """Export the rows the list shows now (masked) to an Excel file, in the background."""
        path = self._ask_save_path(self.tr("Export volunteers"), self.tr("volunteers.xlsx"))
        if path is None:
            return None
        return self.export_to(path)

    def export_to(self, path: Path) -> Task:
        from app.services.volunteers import exporting as volunteer_export

        flt = self.model.filter

        def job(state: TaskState) -> int:
            return volunteer_export.export(flt, path, False, state)

        def done(count: object) -> None:
            self.statusMessage.emit(self.tr("Exported %1 volunteers to %2").replace(
                "%1", str(count)).replace("%2", str(path)))

        self.task = run_task(job, self, self.tr("Exporting volunteers"), on_success=done,
                             on_failure=self._failed)
        return self.task

    def _failed(self, exc: BaseException) -> None:
        show_error(self, exc)

    def save_template(self) -> None:
        from app.services.volunteers import importing as volunteer_import

        path = self._ask_save_path(self.tr("Save import template"),
                                   self.tr("volunteer import template.xlsx"))
        if path is None:
            return
        try:
            volunteer_import.write_template(path)
        except OSError as exc:
            show_error(self, exc)
            return
        message_box(self, QMessageBox.Icon.Information, self.tr("Import template"),
                    self.tr("The template was saved to %1. Fill in one volunteer per row, "
                            "then use Import.").replace("%1", str(path)))

    # -- state ------------------------------------------------------------------------------

    def save_state(self) -> None:
        desk_settings.VOLUNTEER_HEADER.set(self.table.horizontalHeader().saveState())
        desk_settings.VOLUNTEER_SPLITTER.set(self.splitter.saveState())

    def restore_state(self) -> None:
        header = desk_settings.VOLUNTEER_HEADER.get()
        if not header.isEmpty():
            self.table.horizontalHeader().restoreState(header)
            # The saved sort indicator is only a picture; the model's sort is the truth.
            self._on_sort_indicator(-1, Qt.SortOrder.AscendingOrder)
        splitter = desk_settings.VOLUNTEER_SPLITTER.get()
        if not splitter.isEmpty():
            self.splitter.restoreState(splitter)
