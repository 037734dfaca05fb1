"""The 统计 tab: hours over a date range grouped by volunteer, activity, community or month,
and the shop's stock movements over the same range, each exportable to xlsx.

Scanned and manual hours stay in separate columns (DOMAIN.md §2: reports keep them apart).
The grouping runs in SQL (`service_records.hours_report`); by volunteer a month at city
scale is ~350,000 rows, so `volunteer_report` brings the sums and the model reads numbers and
names only for the rows shown. It runs on a worker thread, first when the tab is first shown
(building the tab must not wait for it), and a newer request supersedes an older one still
running. The xlsx files are written by app.services.common.report_export in a worker from
the very rows on screen. The points
ledger has no range-total API yet, so only the shop's movements are shown for points and
goods.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from enum import IntEnum
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QFont, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.services.common import report_export as hours_export
from app.services.hours import records as service_records
from app.services.hours.national_export import Selection
from app.services.hours.records import ReportRow
from app.services.hours.volunteer_report import VolunteerReport, volunteer_report
from app.services.points import shop
from app.services.points.shop import MovementRow
from app.ui import desk_settings
from app.ui.common.errors import show_error
from app.ui.common.row_table import Col, RowsModel, table_view
from app.ui.common.worker import Task, TaskState, run_task
from app.ui.hours.national_export_dialog import NationalExportDialog

log = logging.getLogger(__name__)

Index = QModelIndex | QPersistentModelIndex
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def hours(minutes: int) -> str:
    """Hours with one decimal, as reports show them."""
    return f"{minutes / 60:.1f}"


class ReportColumn(IntEnum):
    KEY = 0
    LABEL = 1
    SCANNED = 2
    MANUAL = 3
    TOTAL = 4
    RECORDS = 5
    VOLUNTEERS = 6


class ReportModel(QAbstractTableModel):
    """The report rows and, last, a bold totals row (when there are rows)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: Sequence[ReportRow] = []
        self.group_by = "volunteer"
        self._totals = ReportRow("", self.tr("Total"), 0, 0, 0, 0)
        self._keys = {"volunteer": self.tr("Volunteer no."), "activity": self.tr("Activity no."),
                      "community": self.tr("Street/community"), "month": self.tr("Month")}
        self._labels = {"volunteer": self.tr("Name"), "activity": self.tr("Activity"),
                        "community": self.tr("Community"), "month": self.tr("Month")}
        self._titles = {ReportColumn.SCANNED: self.tr("Scanned hours"),
                        ReportColumn.MANUAL: self.tr("Manual hours"),
                        ReportColumn.TOTAL: self.tr("Total hours"),
                        ReportColumn.RECORDS: self.tr("Records"),
                        ReportColumn.VOLUNTEERS: self.tr("Volunteers")}

    def set_rows(self, rows: Sequence[ReportRow], group_by: str) -> None:
        """`rows` is kept as given: a `VolunteerReport` reads its labels as rows are shown."""
        self.beginResetModel()
        self.rows, self.group_by = rows, group_by
        if isinstance(rows, VolunteerReport):
            sums = rows.totals()
        else:
            sums = (sum(r.scanned_minutes for r in rows), sum(r.manual_minutes for r in rows),
                    sum(r.records for r in rows))
        self._totals = ReportRow("", self.tr("Total"), *sums, 0)
        self.endResetModel()

    def totals(self) -> ReportRow:
        return self._totals

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid():
            return 0
        return len(self.rows) + 1 if self.rows else 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(ReportColumn)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole
                or not 0 <= section < len(ReportColumn)):
            return None
        if section == ReportColumn.KEY:
            return self._keys.get(self.group_by, "")
        if section == ReportColumn.LABEL:
            return self._labels.get(self.group_by, "")
        return self._titles[ReportColumn(section)]

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | \
            Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self.rowCount():
            return None
        is_total = index.row() == len(self.rows)
        row = self.totals() if is_total else self.rows[index.row()]
        column = ReportColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            match column:
                case ReportColumn.KEY:
                    return row.label if is_total else row.key
                case ReportColumn.LABEL:
                    return "" if is_total else row.label
                case ReportColumn.SCANNED:
                    return hours(row.scanned_minutes)
                case ReportColumn.MANUAL:
                    return hours(row.manual_minutes)
                case ReportColumn.TOTAL:
                    return hours(row.total_minutes)
                case ReportColumn.RECORDS:
                    return str(row.records)
                case ReportColumn.VOLUNTEERS:
                    return "" if is_total else str(row.volunteers)
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= ReportColumn.SCANNED:
            return RIGHT
        if role == Qt.ItemDataRole.FontRole and is_total:
            font = QFont()
            font.setBold(True)
            return font
        return None


class MovementModel(RowsModel[MovementRow]):
    """The shop's stock movements over the range, oldest first (a few per day)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__([], parent)  # the columns' titles need the QObject for tr()
        self.columns = [
            Col(self.tr("Time"), lambda m: f"{shop.local_time(m.at):%Y-%m-%d %H:%M}"),
            Col(self.tr("Goods"), lambda m: m.good_name),
            Col(self.tr("Movement"), lambda m: m.kind_label),
            Col(self.tr("Quantity"), lambda m: f"{m.quantity} {m.unit}", True),
            Col(self.tr("Redemption no."), lambda m: m.redemption_number),
            Col(self.tr("Reason"), lambda m: m.reason),
            Col(self.tr("By"), lambda m: m.actor)]


def to_date(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


class HoursReportPage(QWidget):
    """The 统计 tab: choose a range and a grouping, read the totals, export them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("HoursReportPage")
        self.task: Task | None = None
        self.report_task: Task | None = None     # the report being counted, if any
        self._request = 0                        # the newest report asked for
        today = QDate.currentDate()
        self.date_from = QDateEdit(QDate(today.year(), today.month(), 1), self)
        self.date_to = QDateEdit(today, self)
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.group = QComboBox(self)
        for key, text in (("volunteer", self.tr("Volunteer")), ("activity", self.tr("Activity")),
                          ("community", self.tr("Community")), ("month", self.tr("Month"))):
            self.group.addItem(text, key)
        self.run_button = QPushButton(self.tr("Show"), self)
        self.export_button = QPushButton(self.tr("Export to Excel…"), self)
        self.national_button = QPushButton(self.tr("Export to national volunteer system…"),
                                           self)
        self.national_dialog: NationalExportDialog | None = None
        self.export_movements_button = QPushButton(self.tr("Export to Excel…"), self)
        self.message = QLabel(self)
        self.message.setObjectName("report_message")
        self.report = ReportModel(self)
        self.movements = MovementModel(self)
        self.report_table = table_view(self.report, self)
        self.report_table.setObjectName("report_table")
        self.report_table.setColumnWidth(ReportColumn.KEY, 120)
        self.report_table.horizontalHeader().setStretchLastSection(False)
        self.report_table.horizontalHeader().setSectionResizeMode(
            ReportColumn.LABEL, QHeaderView.ResizeMode.Stretch)
        self.movement_table = table_view(self.movements, self)
        self.movement_table.setColumnWidth(0, 130)
        self.movement_table.setColumnWidth(1, 140)
        self.run_button.clicked.connect(self.refresh)
        self.group.currentIndexChanged.connect(lambda _i: self.refresh())
        self.export_button.clicked.connect(self.choose_report_file)
        self.national_button.clicked.connect(self.export_national)
        self.export_movements_button.clicked.connect(self.choose_movements_file)
        controls = QHBoxLayout()
        controls.addWidget(QLabel(self.tr("From"), self))
        controls.addWidget(self.date_from)
        controls.addWidget(QLabel(self.tr("to"), self))
        controls.addWidget(self.date_to)
        controls.addWidget(QLabel(self.tr("Group by"), self))
        controls.addWidget(self.group)
        controls.addWidget(self.run_button)
        controls.addStretch(1)
        hours_box = QGroupBox(self.tr("Service hours (approved)"), self)
        hours_layout = QVBoxLayout(hours_box)
        hours_layout.addWidget(self.report_table, 1)
        hours_buttons = QHBoxLayout()
        hours_buttons.addStretch(1)
        hours_buttons.addWidget(self.national_button)
        hours_buttons.addWidget(self.export_button)
        hours_layout.addLayout(hours_buttons)
        shop_box = QGroupBox(self.tr("Charity shop stock movements"), self)
        shop_layout = QVBoxLayout(shop_box)
        shop_layout.addWidget(self.movement_table, 1)
        shop_layout.addWidget(self.export_movements_button, 0, Qt.AlignmentFlag.AlignRight)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(hours_box)
        splitter.addWidget(shop_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(controls)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.message)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._request == 0:      # the first time the tab is seen
            self.refresh()

    # -- reading -----------------------------------------------------------------------------

    def period(self) -> tuple[dt.date, dt.date]:
        return to_date(self.date_from.date()), to_date(self.date_to.date())

    def refresh(self) -> Task | None:
        """Count the report for the chosen range and grouping on a worker thread; the rows
        replace the table's when it ends, unless a newer request came meanwhile."""
        self._request += 1
        request = self._request
        start, end = self.period()
        group = self.group_by()
        if end < start:
            self.message.setText(self.tr("The end date is before the start date."))
            self.report.set_rows([], group)
            self.movements.set_rows([])
            return None

        def job(_state: TaskState) -> tuple[Sequence[ReportRow], list[MovementRow]]:
            rows: Sequence[ReportRow]
            if group == "volunteer":    # ~350,000 rows a month at city scale: labels as shown
                rows = volunteer_report(start, end)
            else:
                rows = service_records.hours_report(start, end, group)
            return rows, shop.movements(start, end)

        def done(result: object) -> None:
            if request != self._request:
                return
            assert isinstance(result, tuple)
            rows: Sequence[ReportRow] = result[0]
            moves: list[MovementRow] = result[1]
            self.report.set_rows(rows, group)
            self.movements.set_rows(moves)
            self.message.setText("")

        def failed(exc: BaseException) -> None:
            if request == self._request:
                self.message.setText("")
                show_error(self, exc)

        self.message.setText(self.tr("Counting…"))
        task = run_task(job, None, "", on_success=done, on_failure=failed)
        task.setParent(self)    # gone with the page: no rows delivered to a deleted table
        self.report_task = task
        return task

    def group_by(self) -> str:
        return str(self.group.currentData())

    # -- exporting ---------------------------------------------------------------------------

    def _choose(self, name: str) -> Path | None:
        folder = desk_settings.LAST_FOLDER.get() or str(Path.home())
        path, _f = QFileDialog.getSaveFileName(self, self.tr("Export to Excel"),
                                               str(Path(folder) / name),
                                               self.tr("Excel workbook (*.xlsx)"))
        if not path:
            return None
        chosen = Path(path).with_suffix(".xlsx")
        desk_settings.LAST_FOLDER.set(str(chosen.parent))
        return chosen

    def choose_report_file(self) -> None:
        start, end = self.period()
        path = self._choose(f"服务时长统计_{start:%Y%m%d}-{end:%Y%m%d}.xlsx")
        if path is not None:
            self.export_report(path)

    def choose_movements_file(self) -> None:
        start, end = self.period()
        path = self._choose(f"爱心超市出入库_{start:%Y%m%d}-{end:%Y%m%d}.xlsx")
        if path is not None:
            self.export_movements(path)

    def export_national(self) -> NationalExportDialog | None:
        """The range's approved records, for the national volunteer system's batch entry."""
        start, end = self.period()
        if end < start:
            self.message.setText(self.tr("The end date is before the start date."))
            return None
        dialog = NationalExportDialog(
            Selection(date_from=start, date_to=end),
            self.tr("Served %1 to %2").replace("%1", f"{start:%Y-%m-%d}")
            .replace("%2", f"{end:%Y-%m-%d}"), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(lambda _o=None: setattr(self, "national_dialog", None))
        self.national_dialog = dialog
        dialog.open()
        return dialog

    def export_report(self, path: Path) -> Task:
        """Write the rows on screen to `path` in the background."""
        rows, group = self.report.rows, self.report.group_by  # read (labels too) off-thread
        start, end = self.period()

        def job(state: TaskState) -> int:
            return hours_export.write_hours_report(rows, path, start, end, group, state)

        return self._run(job, path)

    def export_movements(self, path: Path) -> Task:
        rows = list(self.movements.rows)
        start, end = self.period()

        def job(state: TaskState) -> int:
            return hours_export.write_movements(rows, path, start, end, state)

        return self._run(job, path)

    def _failed(self, exc: BaseException) -> None:
        show_error(self, exc)

    def _run(self, job: Any, path: Path) -> Task:
        def done(_count: object) -> None:
            self.message.setText(self.tr("Saved %1").replace("%1", str(path)))

        self.task = run_task(job, self, self.tr("Exporting"), on_success=done,
                             on_failure=self._failed,
                             on_cancel=lambda: self.message.setText(
                                 self.tr("Export cancelled.")))
        return self.task
