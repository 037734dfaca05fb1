"""到场名单 and 在场人员: who came to an activity (check-in and check-out times) and who is
checked in right now across open activities, at the desk rather than at the kiosk.

Both read app.services.hours.attendance; 刷新 re-reads, and an open dialog re-reads by
itself every half minute so a desk can keep it beside the kiosk.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TypeVar

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import NotFoundError
from app.domain.hours import Kind, RecordStatus
from app.services.hours import attendance, national_export
from app.services.hours import records as service_records
from app.services.hours.activities import ActivityRecord
from app.services.hours.attendance import AttendanceLine, OnSiteLine
from app.ui.common.errors import show_error
from app.ui.common.row_table import Col, RowsModel, table_view
from app.ui.volunteers.model import hours_text

REFRESH_MS = 30_000
R = TypeVar("R")


def clock(moment: dt.datetime | None, day: dt.date) -> str:
    """HH:MM on the activity's day, with the date on any other."""
    if moment is None:
        return ""
    return f"{moment:%H:%M}" if moment.date() == day else f"{moment:%m-%d %H:%M}"


def _present_style(label: QLabel) -> None:
    label.setStyleSheet("font-size: 13pt; font-weight: bold; color: #2e7d32")


class _ListDialog(QDialog):
    """A titled list of rows with a 在场 N 人 line, 刷新 and 关闭."""

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.present = QLabel(self)
        self.present.setObjectName("present_label")
        _present_style(self.present)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.refresh_button = QPushButton(self.tr("Refresh"), self)
        self.refresh_button.clicked.connect(self.refresh)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.addButton(self.refresh_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.rejected.connect(self.reject)
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()

    def _table(self, model: RowsModel[R], widths: Sequence[int]) -> QTableView:
        view = table_view(model, self)
        for column, width in enumerate(widths):
            view.setColumnWidth(column, width)
        layout = QVBoxLayout(self)
        layout.addWidget(self.present)
        layout.addWidget(self.note)
        layout.addWidget(view, 1)
        layout.addWidget(self.buttons)
        return view

    def refresh(self) -> None:
        raise NotImplementedError

    def _present_text(self, count: int) -> str:
        return self.tr("%1 on site now").replace("%1", str(count))


class AttendanceDialog(_ListDialog):
    """到场名单 of one activity: each stay with its check-in and check-out, by check-in time.

    A reversed stay shows 0 hours and "Reversed"; rejected ones stay listed with their
    status, so the list shows every scan staff may be asked about. A record already exported
    to the national volunteer system says so, since a reversal after that has to be
    corrected there by hand.
    """

    def __init__(self, activity: ActivityRecord, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("AttendanceDialog")
        self.activity = activity
        self.setWindowTitle(self.tr("Attendance — %1").replace("%1", activity.name))
        day = activity.starts_at.date()
        kinds = {Kind.SCANNED: self.tr("Scanned"), Kind.MANUAL: self.tr("Manual"),
                 Kind.REVERSAL: self.tr("Reversal")}
        self._statuses = {RecordStatus.OPEN: self.tr("On site"),
                          RecordStatus.PENDING: self.tr("Pending approval"),
                          RecordStatus.APPROVED: self.tr("Approved"),
                          RecordStatus.REJECTED: self.tr("Rejected")}
        self.model: RowsModel[AttendanceLine] = RowsModel([
            Col(self.tr("Volunteer no."), lambda r: r.number),
            Col(self.tr("Name"), lambda r: r.name),
            Col(self.tr("Checked in"), lambda r: clock(r.checked_in_at, day)),
            Col(self.tr("Checked out"), lambda r: clock(r.checked_out_at, day)),
            Col(self.tr("Hours"),
                lambda r: "" if r.on_site else hours_text(r.minutes), True),
            Col(self.tr("Kind"), lambda r: kinds[r.kind]),
            Col(self.tr("Status"), self.status_text)], self)
        self.view = self._table(self.model, (110, 90, 90, 90, 60, 70))
        self.view.setObjectName("attendance_table")
        self.lines: list[AttendanceLine] = []
        self.exported: set[int] = set()
        self.resize(720, 520)
        self.refresh()

    def status_text(self, line: AttendanceLine) -> str:
        text = self.tr("Reversed") if line.reversed else self._statuses[line.status]
        if line.record_id in self.exported:
            text += self.tr(", exported")
        return text

    def refresh(self) -> None:
        try:
            self.lines = attendance.attendance(self.activity.id)
        except NotFoundError as exc:
            self.timer.stop()
            show_error(self, exc)
            return
        self.exported = set(national_export.marks(
            [line.record_id for line in self.lines if line.status == RecordStatus.APPROVED]))
        self.model.set_rows(self.lines)
        people = len({line.volunteer_id for line in self.lines
                      if line.status != RecordStatus.REJECTED})
        self.present.setText(self._present_text(attendance.present_count(self.lines)))
        self.note.setText(self.tr("%1 (%2, %3–%4): %5 people came.")
                          .replace("%1", self.activity.name)
                          .replace("%2", f"{self.activity.starts_at:%Y-%m-%d}")
                          .replace("%3", f"{self.activity.starts_at:%H:%M}")
                          .replace("%4", f"{self.activity.ends_at:%H:%M}")
                          .replace("%5", str(people)))


class OnSiteDialog(_ListDialog):
    """在场人员: everyone checked in and not yet out, across the open activities."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("OnSiteDialog")
        self.setWindowTitle(self.tr("On site now"))
        today = service_records.local_now().date()
        self.model: RowsModel[OnSiteLine] = RowsModel([
            Col(self.tr("Activity"), lambda r: r.activity),
            Col(self.tr("Place"), lambda r: r.place),
            Col(self.tr("Volunteer no."), lambda r: r.number),
            Col(self.tr("Name"), lambda r: r.name),
            Col(self.tr("Checked in"), lambda r: clock(r.checked_in_at, today)),
            Col(self.tr("Activity ends"), lambda r: clock(r.activity_ends_at, today))],
            self, flagged=self._overdue)
        self.view = self._table(self.model, (200, 140, 110, 90, 90))
        self.view.setObjectName("on_site_table")
        self.lines: list[OnSiteLine] = []
        self.resize(820, 520)
        self.refresh()

    def _overdue(self, line: OnSiteLine) -> bool:
        """Still checked in after the activity ended: probably a forgotten check-out."""
        return line.activity_ends_at < service_records.local_now()

    def refresh(self) -> None:
        self.lines = attendance.on_site()
        self.model.set_rows(self.lines)
        self.present.setText(self._present_text(len({x.volunteer_id for x in self.lines})))
        activities = len({x.activity_id for x in self.lines})
        overdue = sum(1 for x in self.lines if self._overdue(x))
        note = self.tr("Checked in and not yet out, at %1 open activities.").replace(
            "%1", str(activities))
        if overdue:
            note += " " + self.tr("%1 are past their activity's end (in red): probably a "
                                  "forgotten check-out, closed automatically later.").replace(
                "%1", str(overdue))
        self.note.setText(note)
