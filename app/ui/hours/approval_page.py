"""The 审核 tab: pending service records, approved, rejected or (once approved) reversed.

The pending list can hold a whole city's week of scans, so `PendingModel` counts in SQL
(`count_pending`) and fetches pages of `service_records.pending` as the view scrolls.
"Approve all of this activity" may touch 100,000 records: it runs `approve` in the
background with progress and Cancel, and a cancel rolls the whole batch back (the service
approves in one transaction), which the page says in so many words.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.hours import Flag, Kind
from app.services.hours import activities
from app.services.hours import records as service_records
from app.services.hours.records import ApproveResult, RecordRow, ServiceLine
from app.services.points import ledger as points
from app.ui.common.errors import message_box, show_error
from app.ui.common.row_table import GrowingListModel, table_view
from app.ui.common.worker import Task, TaskState, run_task
from app.ui.hours.activity_dialog import STYLE, FieldErrors, ReasonDialog, VolunteerPicker

log = logging.getLogger(__name__)

PAGE_SIZE = 200
ACTIVITY_CHOICES = 300
Index = QModelIndex | QPersistentModelIndex


def hours_text(minutes: int) -> str:
    """Minutes as h:mm (a reversal is negative)."""
    sign = "-" if minutes < 0 else ""
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours}:{rest:02d}"


def approve_all_job(activity_id: int | None) -> Callable[[TaskState], ApproveResult]:
    """The background job behind "approve all": every pending id of the activity, read in
    the worker and approved in one transaction (a cancel through `state` undoes it all)."""

    def job(state: TaskState) -> ApproveResult:
        return service_records.approve(service_records.pending_ids(activity_id), state=state)

    return job


class PendingColumn(IntEnum):
    NUMBER = 0
    NAME = 1
    ACTIVITY = 2
    KIND = 3
    STARTED = 4
    ENDED = 5
    MINUTES = 6
    FLAGS = 7


class PendingModel(GrowingListModel[RecordRow]):
    """Pending records (of one activity, or all), oldest first, fetched a page at a time."""

    ID_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: QObject | None = None, page_size: int = PAGE_SIZE) -> None:
        super().__init__(parent, page_size)
        self.activity_id: int | None = None
        self.titles = [self.tr("Volunteer no."), self.tr("Name"), self.tr("Activity"),
                        self.tr("Kind"), self.tr("Started"), self.tr("Ended"),
                        self.tr("Hours"), self.tr("Needs a look")]
        self._kinds = {Kind.SCANNED: self.tr("Scanned"), Kind.MANUAL: self.tr("Manual"),
                       Kind.REVERSAL: self.tr("Reversal")}
        self._flags = {Flag.AUTO_CHECKOUT: self.tr("No check-out, closed automatically"),
                       Flag.SHORT_STAY: self.tr("Stay too short"),
                       Flag.DAILY_CAP: self.tr("Over the daily cap"),
                       Flag.OVERLAP: self.tr("Overlapping times")}
        self.refresh()

    def _count_rows(self) -> int:
        return service_records.count_pending(self.activity_id)

    def _fetch(self, offset: int, limit: int) -> list[RecordRow]:
        return service_records.pending(offset, limit, self.activity_id)

    def flag_text(self, flags: tuple[str, ...]) -> str:
        return "；".join(self._flags.get(Flag(f), f) if f in Flag._value2member_map_ else f
                        for f in flags)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = PendingColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == self.ID_ROLE:
            return row.id
        if role == Qt.ItemDataRole.ForegroundRole and row.flags:
            return QBrush(QColor("#b26a00"))
        if role == Qt.ItemDataRole.TextAlignmentRole and column == PendingColumn.MINUTES:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and row.content:
            return row.content
        return None

    def _display(self, row: RecordRow, column: PendingColumn) -> str:
        match column:
            case PendingColumn.NUMBER:
                return row.volunteer_number
            case PendingColumn.NAME:
                return row.volunteer_name
            case PendingColumn.ACTIVITY:
                return row.activity_name
            case PendingColumn.KIND:
                return self._kinds[row.kind]
            case PendingColumn.STARTED:
                return f"{row.started_at:%Y-%m-%d %H:%M}"
            case PendingColumn.ENDED:
                return f"{row.ended_at:%Y-%m-%d %H:%M}" if row.ended_at else ""
            case PendingColumn.MINUTES:
                return hours_text(row.minutes)
            case PendingColumn.FLAGS:
                return self.flag_text(row.flags)

    def set_activity(self, activity_id: int | None) -> None:
        self.activity_id = activity_id
        self.refresh()



class ApprovalPage(QWidget):
    """The 审核 tab: filter by activity, select records, approve, reject, reverse."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ApprovalPage")
        self.model = PendingModel(self)
        self.task: Task | None = None
        self.dialog: QDialog | None = None
        self.activity = QComboBox(self)
        self.activity.setMinimumContentsLength(24)
        self.activity.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.reload_activities()
        self.activity.currentIndexChanged.connect(self._activity_changed)
        self.count_label = QLabel(self)
        self.message = QLabel(self)
        self.message.setObjectName("approval_message")
        self.approve_button = QPushButton(self.tr("Approve selected"), self)
        self.approve_all_button = QPushButton(self.tr("Approve all of this activity"), self)
        self.reject_button = QPushButton(self.tr("Reject…"), self)
        self.reverse_button = QPushButton(self.tr("Reverse an approved record…"), self)
        self.approve_button.clicked.connect(self.approve_selected)
        self.approve_all_button.clicked.connect(self.approve_all)
        self.reject_button.clicked.connect(self.reject_selected)
        self.reverse_button.clicked.connect(self.open_reverse)
        self.table = table_view(self.model, self)
        self.table.setObjectName("pending_table")
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        for column, width in ((PendingColumn.NUMBER, 100), (PendingColumn.NAME, 80),
                              (PendingColumn.ACTIVITY, 200), (PendingColumn.KIND, 60),
                              (PendingColumn.STARTED, 130), (PendingColumn.ENDED, 130),
                              (PendingColumn.MINUTES, 60)):
            self.table.setColumnWidth(column, width)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._model_reset)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Activity:"), self))
        top.addWidget(self.activity, 1)
        top.addWidget(self.count_label)
        buttons = QHBoxLayout()
        for button in (self.approve_button, self.approve_all_button, self.reject_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.reverse_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        self._model_reset()

    # -- state -------------------------------------------------------------------------------

    def reload_activities(self) -> None:
        """The recent activities for the filter (the newest ACTIVITY_CHOICES)."""
        current = self.activity.currentData()
        self.activity.blockSignals(True)
        self.activity.clear()
        self.activity.addItem(self.tr("All activities"), None)
        for act in activities.page(0, ACTIVITY_CHOICES):
            self.activity.addItem(f"{act.name}（{act.starts_at:%Y-%m-%d}）", act.id)
        found = self.activity.findData(current)
        self.activity.setCurrentIndex(max(found, 0))
        self.activity.blockSignals(False)

    def set_activity(self, activity_id: int | None) -> None:
        found = self.activity.findData(activity_id)
        if found < 0:
            self.reload_activities()
            found = self.activity.findData(activity_id)
        self.activity.setCurrentIndex(max(found, 0))

    def _activity_changed(self) -> None:
        self.model.set_activity(self.activity.currentData())

    def refresh(self) -> None:
        self.model.refresh()

    def _model_reset(self) -> None:
        self.count_label.setText(self.tr("%1 pending").replace("%1", str(self.model.total)))
        self._update_buttons()

    def _update_buttons(self) -> None:
        selected = bool(self.selected_ids())
        running = self.task is not None and not self.task.done
        self.approve_button.setEnabled(selected and not running)
        self.reject_button.setEnabled(selected and not running)
        self.approve_all_button.setEnabled(
            self.model.activity_id is not None and self.model.total > 0 and not running)

    def selected_ids(self) -> list[int]:
        rows = (self.model.row_at(i.row()) for i in self.table.selectionModel().selectedRows())
        return [r.id for r in rows if r is not None]

    def _say(self, text: str, done: bool = True) -> None:
        """A line under the list: green for what was done, grey for what was not."""
        self.message.setStyleSheet("color: #2e7d32" if done else "color: #555")
        self.message.setText(text)

    def _approved(self, result: object) -> None:
        assert isinstance(result, ApproveResult)
        self._say(self.tr("Approved %1 records: %2 hours, %3 points granted.")
                  .replace("%1", str(result.approved))
                  .replace("%2", f"{result.minutes / 60:.1f}")
                  .replace("%3", str(result.points)))
        self.refresh()

    # -- actions -----------------------------------------------------------------------------

    def approve_selected(self) -> ApproveResult | None:
        ids = self.selected_ids()
        if not ids:
            return None
        try:
            result = service_records.approve(ids)
        except Exception as exc:
            show_error(self, exc)
            self.refresh()
            return None
        self._approved(result)
        return result

    def approve_all(self) -> QMessageBox | None:
        """Ask, then approve every pending record of the chosen activity in the background."""
        if self.model.activity_id is None or self.model.total == 0:
            return None

        def answered(button: QMessageBox.StandardButton) -> None:
            if button == QMessageBox.StandardButton.Yes:
                self.start_approve_all()

        return message_box(
            self, QMessageBox.Icon.Question, self.tr("Approve all"),
            self.tr("Approve all %1 pending records of “%2”? Records with remarks are "
                    "approved too.").replace("%1", str(self.model.total))
            .replace("%2", self.activity.currentText()),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, answered)

    def start_approve_all(self) -> Task:
        self._say("")
        self.task = run_task(approve_all_job(self.model.activity_id), self,
                             self.tr("Approving service records"),
                             on_success=self._approved, on_failure=self._failed,
                             on_cancel=self._cancelled)
        self.task.finished.connect(self._update_buttons)
        self._update_buttons()
        return self.task

    def _cancelled(self) -> None:
        self._say(self.tr("Cancelled; nothing was changed."), done=False)
        self.refresh()

    def _failed(self, exc: BaseException) -> None:
        show_error(self, exc)
        self.refresh()

    def _open(self, dialog: QDialog) -> QDialog:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(lambda _o=None: setattr(self, "dialog", None))
        self.dialog = dialog
        dialog.open()
        return dialog

    def reject_selected(self) -> ReasonDialog | None:
        ids = self.selected_ids()
        if not ids:
            return None

        def apply(reason: str) -> int:
            done = service_records.reject(ids, reason)
            self._say(self.tr("Rejected %1 records.").replace("%1", str(done)))
            self.refresh()
            return done

        dialog = ReasonDialog(self.tr("Reject records"),
                              self.tr("Reject %1 selected records. Reason (the volunteer may "
                                      "ask):").replace("%1", str(len(ids))), apply, self)
        self._open(dialog)
        return dialog

    def open_reverse(self) -> ReverseDialog:
        dialog = ReverseDialog(self)
        dialog.reversed.connect(lambda: self._say(self.tr("The record was reversed.")))
        self._open(dialog)
        return dialog


class ReverseDialog(QDialog):
    """Correct an approved record by a reversing one (冲正), with a reason: pick the
    volunteer, pick one of their standing approved records, say why.

    Signals:
        reversed(): a reversal was stored.
    """

    reversed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ReverseDialog")
        self.setStyleSheet(STYLE)
        self.setWindowTitle(self.tr("Reverse an approved record"))
        self.lines: list[ServiceLine] = []
        self.shortfall_box: QMessageBox | None = None
        self.volunteer = VolunteerPicker(self)
        self.show_button = QPushButton(self.tr("Show records"), self)
        self.show_button.clicked.connect(self.load_records)
        self.volunteer.returnPressed.connect(self.load_records)
        self.records = QTableWidget(0, 4, self)
        self.records.setHorizontalHeaderLabels(
            [self.tr("Date"), self.tr("Activity"), self.tr("Kind"), self.tr("Hours")])
        self.records.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.records.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.records.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.records.horizontalHeader().setStretchLastSection(True)
        self.records.setColumnWidth(1, 220)
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText(self.tr("Reason for the correction"))
        labels = {name: QLabel(self) for name in ("volunteer", "record", "reason")}
        general = QLabel(self)
        self.errors = FieldErrors({"volunteer": self.volunteer, "record": self.records,
                                   "reason": self.reason}, labels, general)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.reverse_button = self.buttons.addButton(
            self.tr("Reverse"), QDialogButtonBox.ButtonRole.ActionRole)
        self.reverse_button.clicked.connect(self.reverse_selected)
        self.buttons.rejected.connect(self.reject)
        pick = QHBoxLayout()
        pick.addWidget(self.volunteer, 1)
        pick.addWidget(self.show_button)
        layout = QVBoxLayout(self)
        layout.addLayout(pick)
        layout.addWidget(labels["volunteer"])
        layout.addWidget(self.records, 1)
        layout.addWidget(labels["record"])
        layout.addWidget(self.reason)
        layout.addWidget(labels["reason"])
        layout.addWidget(general)
        layout.addWidget(self.buttons)
        self.resize(620, 420)

    def load_records(self) -> int:
        self.errors.clear()
        volunteer_id = self.volunteer.volunteer_id()
        self.records.setRowCount(0)
        self.lines = []
        if volunteer_id is None:
            self.errors.show({"volunteer": self.tr(
                "Choose a volunteer from the list or type a volunteer number.")})
            return 0
        self.lines = service_records.records_for_volunteer(volunteer_id)
        kinds = {Kind.SCANNED: self.tr("Scanned"), Kind.MANUAL: self.tr("Manual")}
        self.records.setRowCount(len(self.lines))
        for i, line in enumerate(self.lines):
            for j, text in enumerate((f"{line.started_at:%Y-%m-%d %H:%M}", line.activity_name,
                                      kinds.get(line.kind, str(line.kind)),
                                      hours_text(line.minutes))):
                self.records.setItem(i, j, QTableWidgetItem(text))
        if not self.lines:
            self.errors.show({"record": self.tr("This volunteer has no approved records.")})
        return len(self.lines)

    def reverse_selected(self) -> RecordRow | None:
        self.errors.clear()
        rows = self.records.selectionModel().selectedRows()
        if not rows:
            self.errors.show({"record": self.tr("Choose the record to reverse.")})
            return None
        line = self.lines[rows[0].row()]
        shortfall = points.reversal_shortfall(line.record_id)
        if shortfall.short > 0 and self.reason.text().strip():
            self.confirm_shortfall(line, shortfall)
            return None
        return self._reverse(line)

    def _reverse(self, line: ServiceLine) -> RecordRow | None:
        try:
            reversal = service_records.reverse(line.record_id, self.reason.text())
        except Exception as exc:
            field = getattr(exc, "field", None)
            if field in ("reason", "record"):
                self.errors.show({field: getattr(exc, "message", str(exc))})
                return None
            show_error(self, exc)
            return None
        self.reason.clear()
        self.load_records()
        self.reversed.emit()
        return reversal

    def confirm_shortfall(self, line: ServiceLine, shortfall: points.Shortfall) -> QMessageBox:
        """Spent points cannot be taken back: say how many, and reverse only on Yes."""

        def answered(button: QMessageBox.StandardButton) -> None:
            self.shortfall_box = None
            if button == QMessageBox.StandardButton.Yes:
                self._reverse(line)

        self.shortfall_box = message_box(
            self, QMessageBox.Icon.Warning, self.tr("Points already spent"),
            self.tr("This record earned %1 points, but the volunteer's balance is only %2. "
                    "Reversing takes back %3 points; %4 points were spent and cannot be "
                    "taken back.\n\nReverse the record anyway?")
            .replace("%1", str(shortfall.earned)).replace("%2", str(shortfall.balance))
            .replace("%3", str(shortfall.taken)).replace("%4", str(shortfall.short)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, answered)
        self.shortfall_box.setDefaultButton(QMessageBox.StandardButton.No)
        return self.shortfall_box
