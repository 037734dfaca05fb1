"""The 服务时长 area: activities, the approval list and the reports, as three tabs.

The activity list is a lazy model over `activities.page/count` (newest first, filtered in
SQL by the search words and status); it grows with `fetchMore` as the view scrolls, since
a center adds activities every week for years. Writes go through the dialogs in
app.ui.hours.activity_dialog, which call the services and show their messages.
"""

from __future__ import annotations

import logging
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import ConflictError, ValidationError
from app.domain.hours import ActivityPhase, ActivityStatus
from app.services.hours import activities, records
from app.services.hours.activities import ActivityRecord
from app.services.hours.national_export import Selection
from app.ui.common.errors import message_box, show_error
from app.ui.common.row_table import GrowingListModel, table_view
from app.ui.hours.activity_dialog import ActivityDialog, ManualHoursDialog, ReasonDialog
from app.ui.hours.approval_page import ApprovalPage
from app.ui.hours.attendance_dialog import AttendanceDialog, OnSiteDialog
from app.ui.hours.certificate_list import CertificateListTab
from app.ui.hours.national_export_dialog import NationalExportDialog
from app.ui.hours.report_page import HoursReportPage

log = logging.getLogger(__name__)

PAGE_SIZE = 100
SEARCH_DELAY_MS = 250
Index = QModelIndex | QPersistentModelIndex


class ActivityColumn(IntEnum):
    NAME = 0
    ORGANIZER = 1
    PLACE = 2
    STARTS = 3
    ENDS = 4
    CATEGORY = 5
    CAPACITY = 6
    STATUS = 7


_PHASE_COLORS = {ActivityPhase.ONGOING: QColor("#2e7d32"),
                 ActivityPhase.ENDED: QColor("#8d6e00"),
                 ActivityPhase.CLOSED: QColor("#606060"),
                 ActivityPhase.CANCELLED: QColor("#9e9e9e")}


class ActivityModel(GrowingListModel[ActivityRecord]):
    """Activities matching the search, fetched PAGE_SIZE at a time as the view scrolls.

    Signals:
        countChanged(int): how many activities match, after a filter change or refresh.
    """

    countChanged = Signal(int)
    ID_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: QObject | None = None, page_size: int = PAGE_SIZE) -> None:
        super().__init__(parent, page_size)
        self.text = ""
        self.status: ActivityStatus | None = None
        self.titles = [self.tr("Activity"), self.tr("Organizer"), self.tr("Place"),
                        self.tr("Starts"), self.tr("Ends"), self.tr("Category"),
                        self.tr("Capacity"), self.tr("Status")]
        # An open activity's status follows the clock until someone closes it.
        self._phase_labels = {ActivityPhase.UPCOMING: self.tr("Not started"),
                              ActivityPhase.ONGOING: self.tr("Under way"),
                              ActivityPhase.ENDED: self.tr("Ended (not closed)"),
                              ActivityPhase.CLOSED: self.tr("Closed"),
                              ActivityPhase.CANCELLED: self.tr("Cancelled")}
        self.refresh()

    def _count_rows(self) -> int:
        return activities.count(self.text, self.status)

    def _fetch(self, offset: int, limit: int) -> list[ActivityRecord]:
        return activities.page(offset, limit, self.text, self.status)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = ActivityColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == self.ID_ROLE:
            return row.id
        if role == Qt.ItemDataRole.ForegroundRole:
            color = _PHASE_COLORS.get(row.phase(records.local_now()))
            return QBrush(color) if color is not None else None
        if role == Qt.ItemDataRole.TextAlignmentRole and column == ActivityColumn.CAPACITY:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, row: ActivityRecord, column: ActivityColumn) -> str:
        match column:
            case ActivityColumn.NAME:
                return row.name
            case ActivityColumn.ORGANIZER:
                return row.organizer
            case ActivityColumn.PLACE:
                return row.place
            case ActivityColumn.STARTS:
                return f"{row.starts_at:%Y-%m-%d %H:%M}"
            case ActivityColumn.ENDS:
                return f"{row.ends_at:%Y-%m-%d %H:%M}"
            case ActivityColumn.CATEGORY:
                return row.category
            case ActivityColumn.CAPACITY:
                return str(row.capacity) if row.capacity else ""
            case ActivityColumn.STATUS:
                return self._phase_labels[row.phase(records.local_now())]

    def set_filter(self, text: str, status: ActivityStatus | None) -> None:
        self.text, self.status = text, status
        self.refresh()

    def refresh(self) -> None:
        super().refresh()
        self.countChanged.emit(self._count)

    def row_of_id(self, activity_id: int) -> int | None:
        return next((i for i, r in enumerate(self._rows) if r.id == activity_id), None)



class ActivityPage(QWidget):
    """The 活动 tab: search, the list, and the actions on the selected activity.

    Signals:
        recordsChanged(): service records were added (the approval list is out of date).
        activitiesChanged(): activities were added or changed (filters elsewhere too).
    """

    recordsChanged = Signal()
    activitiesChanged = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ActivityPage")
        self.model = ActivityModel(self)
        self.dialog: QDialog | None = None
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Search name, organizer, place or category"))
        self.search.setClearButtonEnabled(True)
        self.status_filter = QComboBox(self)
        self.status_filter.addItem(self.tr("All statuses"), None)
        for status, text in ((ActivityStatus.OPEN, self.tr("Open")),
                             (ActivityStatus.CLOSED, self.tr("Closed")),
                             (ActivityStatus.CANCELLED, self.tr("Cancelled"))):
            self.status_filter.addItem(text, str(status))
        self.count_label = QLabel(self)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.status_filter.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.add_button = QPushButton(self.tr("New activity"), self)
        self.edit_button = QPushButton(self.tr("Edit"), self)
        self.manual_button = QPushButton(self.tr("Add manual hours"), self)
        self.close_button = QPushButton(self.tr("Close activity"), self)
        self.cancel_button = QPushButton(self.tr("Cancel activity"), self)
        self.national_button = QPushButton(self.tr("Export to national volunteer system…"),
                                           self)
        self.add_button.clicked.connect(self.open_new)
        self.edit_button.clicked.connect(self.edit_current)
        self.manual_button.clicked.connect(self.add_manual_hours)
        self.close_button.clicked.connect(self.close_current)
        self.cancel_button.clicked.connect(self.cancel_current)
        self.national_button.clicked.connect(self.export_national)
        self.attendance_button = QPushButton(self.tr("Attendance…"), self)
        self.attendance_button.setToolTip(self.tr("Who came to the selected activity, with "
                                                  "check-in and check-out times"))
        self.on_site_button = QPushButton(self.tr("On site now…"), self)
        self.attendance_button.clicked.connect(self.show_attendance)
        self.on_site_button.clicked.connect(self.show_on_site)
        self.table = table_view(self.model, self)
        self.table.setObjectName("activity_table")
        for column, width in ((ActivityColumn.NAME, 220), (ActivityColumn.ORGANIZER, 150),
                              (ActivityColumn.PLACE, 150), (ActivityColumn.STARTS, 130),
                              (ActivityColumn.ENDS, 130), (ActivityColumn.CATEGORY, 90),
                              (ActivityColumn.CAPACITY, 70)):
            self.table.setColumnWidth(column, width)
        self.table.doubleClicked.connect(lambda _i: self.edit_current())
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)
        self.model.countChanged.connect(self._show_count)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.status_filter)
        top.addWidget(self.count_label)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.manual_button,
                       self.close_button, self.cancel_button, self.attendance_button,
                       self.on_site_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.national_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        self._show_count(self.model.total)
        self._update_buttons()

    # -- state -------------------------------------------------------------------------------

    def apply_filter(self) -> None:
        status = self.status_filter.currentData()
        self.model.set_filter(self.search.text(),
                              ActivityStatus(status) if status else None)

    def refresh(self) -> None:
        current = self.current()
        self.model.refresh()
        if current is not None:
            self.select(current.id)

    def current(self) -> ActivityRecord | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def select(self, activity_id: int) -> bool:
        row = self.model.row_of_id(activity_id)
        if row is None:
            return False
        self.table.selectRow(row)
        return True

    def _show_count(self, count: int) -> None:
        self.count_label.setText(self.tr("%1 activities").replace("%1", str(count)))

    def _update_buttons(self) -> None:
        current = self.current()
        is_open = current is not None and current.status == ActivityStatus.OPEN
        self.edit_button.setEnabled(current is not None
                                    and current.status != ActivityStatus.CANCELLED)
        self.manual_button.setEnabled(current is not None
                                      and current.status != ActivityStatus.CANCELLED)
        self.close_button.setEnabled(is_open)
        self.cancel_button.setEnabled(current is not None
                                      and current.status != ActivityStatus.CANCELLED)
        self.national_button.setEnabled(current is not None)
        self.attendance_button.setEnabled(current is not None)

    # -- actions -----------------------------------------------------------------------------

    def _open(self, dialog: QDialog) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(lambda _o=None: setattr(self, "dialog", None))
        self.dialog = dialog
        dialog.open()

    def _saved(self, activity_id: int) -> None:
        self.model.refresh()
        self.select(activity_id)
        self.activitiesChanged.emit()

    def open_new(self) -> ActivityDialog:
        dialog = ActivityDialog(self)
        dialog.saved.connect(self._saved)
        self._open(dialog)
        return dialog

    def edit_current(self) -> ActivityDialog | None:
        current = self.current()
        if current is None or current.status == ActivityStatus.CANCELLED:
            return None
        dialog = ActivityDialog(self, current.id)
        dialog.saved.connect(self._saved)
        self._open(dialog)
        return dialog

    def add_manual_hours(self) -> ManualHoursDialog | None:
        current = self.current()
        if current is None or current.status == ActivityStatus.CANCELLED:
            return None
        dialog = ManualHoursDialog(current, self)
        dialog.saved.connect(lambda _rid: self.recordsChanged.emit())
        self._open(dialog)
        return dialog

    def close_current(self) -> QMessageBox | None:
        """Ask, then stop taking scans (open check-ins are closed and flagged)."""
        current = self.current()
        if current is None or current.status != ActivityStatus.OPEN:
            return None

        def answered(button: QMessageBox.StandardButton) -> None:
            if button == QMessageBox.StandardButton.Yes:
                self.close_activity(current)

        return message_box(
            self, QMessageBox.Icon.Question, self.tr("Close activity"),
            self.tr("Close “%1”? Kiosks stop taking scans for it; volunteers still checked "
                    "in are checked out and flagged for review. Manual hours stay possible.")
            .replace("%1", current.name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, answered)

    def close_activity(self, record: ActivityRecord) -> bool:
        try:
            activities.close(record.id, expected_version=record.version)
        except (ValidationError, ConflictError) as exc:
            show_error(self, exc)
            self.refresh()
            return False
        self._saved(record.id)
        self.recordsChanged.emit()
        return True

    def show_attendance(self) -> AttendanceDialog | None:
        """到场名单 of the selected activity."""
        current = self.current()
        if current is None:
            return None
        dialog = AttendanceDialog(current, self)
        self._open(dialog)
        return dialog

    def show_on_site(self) -> OnSiteDialog:
        """在场人员: everyone checked in now, across the open activities."""
        dialog = OnSiteDialog(self)
        self._open(dialog)
        return dialog

    def export_national(self) -> NationalExportDialog | None:
        """The approved hours of the selected activity, for the national volunteer system."""
        current = self.current()
        if current is None:
            return None
        dialog = NationalExportDialog(
            Selection(activity_id=current.id),
            self.tr("Activity “%1” (%2)").replace("%1", current.name)
            .replace("%2", f"{current.starts_at:%Y-%m-%d}"), self)
        self._open(dialog)
        return dialog

    def cancel_current(self) -> ReasonDialog | None:
        current = self.current()
        if current is None or current.status == ActivityStatus.CANCELLED:
            return None

        def apply(reason: str) -> ActivityRecord:
            done = activities.cancel(current.id, reason, expected_version=current.version)
            self._saved(current.id)
            return done

        dialog = ReasonDialog(self.tr("Cancel activity"),
                              self.tr("Why did “%1” not take place?").replace("%1", current.name),
                              apply, self)
        self._open(dialog)
        return dialog


class ServiceHoursPage(QTabWidget):
    """The 服务时长 area of the main window: 活动 / 审核 / 统计 tabs, each refreshed when
    shown, so a change made in one tab is seen in the next."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ServiceHoursPage")
        self.activities = ActivityPage(self)
        self.approval = ApprovalPage(self)
        self.reports = HoursReportPage(self)
        self.addTab(self.activities, self.tr("Activities"))
        self.addTab(self.approval, self.tr("Approval"))
        self.addTab(self.reports, self.tr("Reports"))
        self.certificates = CertificateListTab(self)   # refreshes itself when shown
        self.addTab(self.certificates, self.tr("Certificates"))
        self.activities.recordsChanged.connect(self.approval.refresh)
        self.activities.activitiesChanged.connect(self.approval.reload_activities)
        self.currentChanged.connect(self._shown)

    def _shown(self, index: int) -> None:
        page = self.widget(index)
        if page is self.approval:
            self.approval.refresh()
        elif page is self.activities:
            self.activities.refresh()
