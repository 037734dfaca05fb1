"""服务记录: one volunteer's service history, opened from the detail panel.

Every record, newest first, read a page at a time as the list scrolls (a long-serving
volunteer has thousands). A reversal is a line of its own, above the record it corrects,
which reads "Reversed" (see app.services.hours.attendance).
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from app.domain.hours import Flag, Kind, RecordStatus
from app.services.hours import attendance
from app.services.hours.attendance import HistoryLine
from app.services.volunteers.registration import VolunteerRecord
from app.ui.common.row_table import GrowingListModel, table_view
from app.ui.volunteers.model import hours_text

PAGE_SIZE = 200
Index = QModelIndex | QPersistentModelIndex
GREY = QColor("#757575")
RED = QColor("#c62828")


class HistoryColumn(IntEnum):
    DATE = 0
    TIME = 1
    ACTIVITY = 2
    ORGANIZER = 3
    HOURS = 4
    KIND = 5
    STATUS = 6
    REMARKS = 7


def time_span(line: HistoryLine) -> str:
    """09:00–11:30, or 09:00– while still checked in; the end's date when it differs."""
    end = ""
    if line.ended_at is not None:
        same_day = line.ended_at.date() == line.started_at.date()
        end = f"{line.ended_at:%H:%M}" if same_day else f"{line.ended_at:%m-%d %H:%M}"
    return f"{line.started_at:%H:%M}–{end}"


class HistoryModel(GrowingListModel[HistoryLine]):
    """The volunteer's records, newest first, PAGE_SIZE at a time."""

    def __init__(self, volunteer_id: int, parent: QObject | None = None,
                 page_size: int = PAGE_SIZE) -> None:
        super().__init__(parent, page_size)
        self.volunteer_id = volunteer_id
        self.titles = [self.tr("Date"), self.tr("Time"), self.tr("Activity"),
                       self.tr("Organizer"), self.tr("Hours"), self.tr("Kind"),
                       self.tr("Status"), self.tr("Remarks")]
        self._kinds = {Kind.SCANNED: self.tr("Scanned"), Kind.MANUAL: self.tr("Manual"),
                       Kind.REVERSAL: self.tr("Reversal")}
        self._statuses = {RecordStatus.OPEN: self.tr("Checked in"),
                          RecordStatus.PENDING: self.tr("Pending approval"),
                          RecordStatus.APPROVED: self.tr("Approved"),
                          RecordStatus.REJECTED: self.tr("Rejected")}
        self._flags = {Flag.AUTO_CHECKOUT: self.tr("No check-out, closed automatically"),
                       Flag.SHORT_STAY: self.tr("Stay too short"),
                       Flag.DAILY_CAP: self.tr("Over the daily cap"),
                       Flag.OVERLAP: self.tr("Overlapping times")}
        self.refresh()

    def _count_rows(self) -> int:
        return attendance.count_history(self.volunteer_id)

    def _fetch(self, offset: int, limit: int) -> list[HistoryLine]:
        return attendance.history(self.volunteer_id, offset, limit)

    def status_text(self, line: HistoryLine) -> str:
        return self.tr("Reversed") if line.reversed else self._statuses[line.status]

    def remarks(self, line: HistoryLine) -> str:
        return "；".join([*(self._flags[f] for f in line.flags),
                         *([line.reason] if line.reason else [])])

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.parent().isValid() \
                or not 0 <= index.row() < len(self._rows) \
                or not 0 <= index.column() < len(self.titles):
            return None
        line = self._rows[index.row()]
        column = HistoryColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(line, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == HistoryColumn.REMARKS:
            return self.remarks(line) or None
        if role == Qt.ItemDataRole.TextAlignmentRole and column == HistoryColumn.HOURS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole:
            if line.kind == Kind.REVERSAL:
                return QBrush(RED)
            if line.reversed or line.status == RecordStatus.REJECTED:
                return QBrush(GREY)
        return None

    def _display(self, line: HistoryLine, column: HistoryColumn) -> str:
        match column:
            case HistoryColumn.DATE:
                return f"{line.started_at:%Y-%m-%d}"
            case HistoryColumn.TIME:
                return time_span(line)
            case HistoryColumn.ACTIVITY:
                return line.activity
            case HistoryColumn.ORGANIZER:
                return line.organizer
            case HistoryColumn.HOURS:
                return hours_text(line.minutes) if line.status != RecordStatus.OPEN else ""
            case HistoryColumn.KIND:
                return self._kinds[line.kind]
            case HistoryColumn.STATUS:
                return self.status_text(line)
            case HistoryColumn.REMARKS:
                return self.remarks(line)


class HistoryDialog(QDialog):
    """服务记录 of one volunteer: every record, newest first, loaded as the list scrolls."""

    def __init__(self, parent: QWidget | None, record: VolunteerRecord) -> None:
        super().__init__(parent)
        self.setObjectName("HistoryDialog")
        self.volunteer_id = record.id
        self.setWindowTitle(self.tr("Service history — %1 %2").replace(
            "%1", record.number).replace("%2", record.draft.name))
        self.model = HistoryModel(record.id, self)
        self.view = table_view(self.model, self)
        self.view.setObjectName("history_table")
        for column, width in ((HistoryColumn.DATE, 90), (HistoryColumn.TIME, 100),
                              (HistoryColumn.ACTIVITY, 180), (HistoryColumn.ORGANIZER, 130),
                              (HistoryColumn.HOURS, 60), (HistoryColumn.KIND, 70),
                              (HistoryColumn.STATUS, 120)):
            self.view.setColumnWidth(column, width)
        self.summary = QLabel(self)
        self.summary.setObjectName("history_summary")
        if self.model.total:
            self.summary.setText(self.tr("%1 records, newest first. Hours count once "
                                         "approved; a reversal takes them back.")
                                 .replace("%1", str(self.model.total)))
        else:
            self.summary.setText(self.tr("No service recorded yet."))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        self.resize(980, 480)
