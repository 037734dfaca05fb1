"""The 到期提醒 view: inspections, agreements, certificates and ratings coming due.

`due.items` gathers them (most overdue first); this view opens on each kind's own reminder
period (agreements 30 days ahead, certificates and ratings 90, as `yilian due` without
--within), or shows one window for all (30, 60 or 90 days), and re-reads it on a worker
thread, so a large register never freezes the window. Each row opens its organization.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services import due
from app.services.due import DueItem
from app.ui.common import enum_text
from app.ui.common.errors import show_error
from app.ui.common.row_table import RED, Col, Index, RowsModel, table_view
from app.ui.common.worker import Task, TaskState, run_task

WINDOWS = due.VIEW_WINDOWS
DAYS_COLUMN = 3


class DueModel(RowsModel[DueItem]):
    """Due items; the days column is red when overdue."""

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.ForegroundRole and index.isValid()
                and index.column() == DAYS_COLUMN):
            row = self.row(index.row())
            return QBrush(RED) if row is not None and row.overdue else None
        return super().data(index, role)


class DuePage(QWidget):
    """Signals:
        openOrg(int): a row was opened.
        openProject(int): a project's row (payment, milestone) was opened.
        refreshed(int): the rows were re-read (their number).
    """

    openOrg = Signal(int)
    openProject = Signal(int)
    refreshed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("DuePage")
        self.task: Task | None = None
        self.model = DueModel([
            Col(self.tr("Kind"), lambda i: enum_text.due_kind(i.kind_label)),
            Col(self.tr("Organization"), lambda i: i.subject),
            Col(self.tr("Due"), lambda i: i.due.isoformat()),
            Col(self.tr("Days overdue"), self.days_text, True),
            Col(self.tr("Details"), lambda i: i.detail)], self)
        self.view = table_view(self.model, self)
        self.view.setObjectName("due_items")
        self.view.doubleClicked.connect(lambda _i: self.open_current())
        self.window_combo = QComboBox(self)
        self.window_combo.setObjectName("window")
        self.window_combo.addItem(self.tr("Each kind's own period"), None)
        self.window_combo.setItemData(0, "\n".join(
            self.tr("%1: %2 days").replace("%1", enum_text.due_kind(s.label))
            .replace("%2", str(s.within))
            for s in due.SOURCES.values()), Qt.ItemDataRole.ToolTipRole)
        for days in WINDOWS:
            self.window_combo.addItem(self.tr("Next %1 days").replace("%1", str(days)), days)
        self.window_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.count_label = QLabel(self)
        self.count_label.setObjectName("due_count")
        refresh = QPushButton(self.tr("Refresh"), self)
        refresh.clicked.connect(self.refresh)
        self.open_button = QPushButton(self.tr("Open organization"), self)
        self.open_button.clicked.connect(self.open_current)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Show"), self))
        top.addWidget(self.window_combo)
        top.addWidget(self.count_label, 1)
        top.addWidget(refresh)
        top.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)

    def days_text(self, item: DueItem) -> str:
        if item.overdue:
            return str(item.days_overdue)
        if item.days_overdue == 0:
            return self.tr("today")
        return self.tr("%n day(s) left", "", -item.days_overdue)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not event.spontaneous():
            self.refresh()

    def within(self) -> int | None:
        """Days ahead for every kind, or None for each kind's own reminder period."""
        days = self.window_combo.currentData()
        return None if days is None else int(days)

    def refresh(self) -> Task:
        """Re-read the window in the background; the rows change when it is done."""
        within = self.within()

        def job(_state: TaskState) -> list[DueItem]:
            return due.items(within=within)

        self.task = run_task(job, None, "", on_success=self._loaded,
                             on_failure=self._failed)
        return self.task

    def _failed(self, exc: BaseException) -> None:
        show_error(self, exc)

    def _loaded(self, rows: object) -> None:
        assert isinstance(rows, list)
        self.model.set_rows(rows)
        self.view.resizeColumnsToContents()
        late = sum(1 for r in rows if r.overdue)
        self.count_label.setText(self.tr("%1 item(s), %2 overdue").replace(
            "%1", str(len(rows))).replace("%2", str(late)))
        self.refreshed.emit(len(rows))

    def open_current(self) -> bool:
        row = self.model.row(self.view.currentIndex().row())
        if row is None:
            return False
        if row.project_id:
            self.openProject.emit(row.project_id)
        else:
            self.openOrg.emit(row.org_id)
        return True
