"""The home page (首页), the first screen: the centre's figures and what needs attention.

The figures come from `app.services.home.summary`, computed on a worker thread each time
the page is shown and on Refresh (at city scale the hours take a while the first time;
the GUI thread never waits for them). Every figure is a button: it emits
`openArea(area, filter)` and the main window switches to that list, filtered (the hours
figures and the chart's bars open the hours report for their period).

The month chart is a small QPainter widget rather than QtCharts: QtCharts ships in
PySide6-Addons, which the application does not install by default, and twelve bars need
no more than this.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPaintEvent, QPen, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.projects.money import format_yuan
from app.services import home
from app.services.home import HomeSummary, MonthHours
from app.services.projects.listing import ProjectMoney
from app.ui.common import enum_text
from app.ui.common.worker import Task, TaskState, run_task

BAR = QColor("#3b7dd8")
GRID = QColor("#d8dde6")


def _hours(minutes: int) -> str:
    """Whole hours with thousands separators (one decimal below 100 hours)."""
    value = minutes / 60
    if minutes == 0:
        return "0"
    return f"{value:,.1f}" if abs(value) < 100 else f"{round(value):,}"


class Tile(QPushButton):
    """A figure with its caption; clicking it opens the matching list."""

    def __init__(self, caption: str, big: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.value = QLabel("…", self)
        self.value.setObjectName("value")
        self.caption = QLabel(caption, self)
        self.caption.setObjectName("caption")
        self.note = QLabel("", self)
        self.note.setObjectName("note")
        self.note.hide()
        for label in (self.caption, self.note):
            label.setWordWrap(True)  # a narrow window wraps captions instead of clipping
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * (1.9 if big else 1.35))
        font.setBold(True)
        self.value.setFont(font)
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(10, 6, 10, 6)
        self.box.setSpacing(0)
        for label in (self.value, self.caption, self.note):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            self.box.addWidget(label)
        self.setFixedHeight(self.box.sizeHint().height() + (18 if big else 6))

    def set_value(self, text: str, note: str = "") -> None:
        self.value.setText(text)
        self.note.setText(note)
        self.note.setVisible(bool(note))
        self.setFixedHeight(self.box.sizeHint().height() + 6)

    def sizeHint(self) -> QSize:
        return self.box.sizeHint()


class MonthChart(QWidget):
    """Approved hours by month as bars, the value above each bar, months below.

    Signals:
        monthClicked(int, int): (year, month) of the month clicked.
    """

    monthClicked = Signal(int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("month_chart")
        self.months: tuple[MonthHours, ...] = ()
        self.setMinimumSize(420, 200)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(self.tr("Click a month to open its hours"))

    def month_at(self, x: float) -> MonthHours | None:
        """The month whose column holds `x` (the bars share the width equally)."""
        if not self.months:
            return None
        area = QRectF(self.rect()).adjusted(8, 0, -8, 0)
        if not area.left() <= x < area.right():
            return None
        return self.months[int((x - area.left()) * len(self.months) / area.width())]

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        month = self.month_at(event.position().x())
        if event.button() == Qt.MouseButton.LeftButton and month is not None:
            self.monthClicked.emit(month.year, month.month)
        super().mouseReleaseEvent(event)

    def set_months(self, months: tuple[MonthHours, ...]) -> None:
        self.months = months
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = painter.fontMetrics()
        line = metrics.height()
        area = QRectF(self.rect()).adjusted(8, line + 6, -8, -(line + 8))
        painter.setPen(QPen(GRID, 1))
        painter.drawLine(area.bottomLeft(), area.bottomRight())
        if not self.months:
            painter.setPen(self.palette().placeholderText().color())
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.tr("No data yet"))
            return
        top = max((m.minutes for m in self.months), default=0)
        slot = area.width() / len(self.months)
        bar = min(slot * 0.6, 48)
        for i, month in enumerate(self.months):
            x = area.left() + slot * i + (slot - bar) / 2
            height = 0.0 if top <= 0 else area.height() * max(month.minutes, 0) / top
            painter.fillRect(QRectF(x, area.bottom() - height, bar, height), BAR)
            painter.setPen(self.palette().text().color())
            label = QRectF(area.left() + slot * i, area.bottom() + 4, slot, line)
            painter.drawText(label, Qt.AlignmentFlag.AlignCenter,
                             self.tr("%1/%2").replace("%1", str(month.month))
                             .replace("%2", f"{month.year % 100:02d}"))
            value = QRectF(area.left() + slot * i - 4, area.bottom() - height - line - 2,
                           slot + 8, line)
            painter.drawText(value, Qt.AlignmentFlag.AlignCenter, _hours(month.minutes))


class HomePage(QWidget):
    """The dashboard.

    Signals:
        openArea(str, object): ("volunteers", {"status": "active"} or None),
            ("hours", {"from": date, "to": date}),
            ("orgs", {"incubation": state} or {"legal_status": status}), ("org", org_id),
            ("projects", {"status": status}, {"money": "contracted" or "paid"} (the projects
            a money total counts) or None), ("project", project_id).
        statusMessage(str): a short note for the status bar.
    """

    openArea = Signal(str, object)
    statusMessage = Signal(str)
    loaded = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("HomePage")
        self.summary: HomeSummary | None = None
        self.task: Task | None = None
        self._pending = False
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        outer.addWidget(scroll)
        body = QWidget(scroll)
        scroll.setWidget(body)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addLayout(self._heading())
        layout.addLayout(self._top_tiles(body))
        middle = QHBoxLayout()
        middle.addWidget(self._chart_box(body), 1)
        middle.addWidget(self._due_box(body), 1)
        layout.addLayout(middle, 1)
        layout.addWidget(self._orgs_box(body))
        layout.addWidget(self._projects_box(body))

    # -- building ----------------------------------------------------------------------------

    def _heading(self) -> QHBoxLayout:
        row = QHBoxLayout()
        title = QLabel(self.tr("Home"))
        title.setStyleSheet("font-size: 16pt; font-weight: bold")
        self.as_of = QLabel("")
        self.as_of.setObjectName("as_of")
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.setObjectName("refresh")
        self.refresh_button.clicked.connect(self.refresh)
        row.addWidget(title)
        row.addStretch(1)
        row.addWidget(self.as_of)
        row.addWidget(self.refresh_button)
        return row

    def _tile(self, caption: str, area: str, arg: object, big: bool = True,
              parent: QWidget | None = None) -> Tile:
        tile = Tile(caption, big, parent)
        tile.clicked.connect(lambda: self.openArea.emit(area, arg))
        return tile

    def _top_tiles(self, body: QWidget) -> QHBoxLayout:
        row = QHBoxLayout()
        self.registered_tile = self._tile(self.tr("Registered volunteers"), "volunteers", None,
                                          parent=body)
        self.active_tile = self._tile(self.tr("Active volunteers"), "volunteers",
                                      {"status": "active"}, parent=body)
        self.month_tile = Tile(self.tr("Service hours this month"), parent=body)
        self.month_tile.clicked.connect(lambda: self._open_hours(month=True))
        self.year_tile = Tile(self.tr("Service hours this year"), parent=body)
        self.year_tile.clicked.connect(lambda: self._open_hours(month=False))
        for tile in (self.registered_tile, self.active_tile, self.month_tile, self.year_tile):
            row.addWidget(tile)
        return row

    def _chart_box(self, body: QWidget) -> QGroupBox:
        box = QGroupBox(self.tr("Service hours by month (last 12 months)"), body)
        layout = QVBoxLayout(box)
        self.chart = MonthChart(box)
        self.chart.monthClicked.connect(self._open_month)
        layout.addWidget(self.chart)
        return box

    def _due_box(self, body: QWidget) -> QGroupBox:
        box = QGroupBox(self.tr("Due and overdue"), body)
        layout = QVBoxLayout(box)
        self.due_count = QLabel("")
        self.due_count.setObjectName("due_count")
        self.due_table = QTableWidget(0, 4, box)
        self.due_table.setObjectName("due")
        self.due_table.setHorizontalHeaderLabels(
            [self.tr("When"), self.tr("Kind"), self.tr("Organization or project"), self.tr("Due")])
        self.due_table.verticalHeader().hide()
        self.due_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.due_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.due_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.due_table.setWordWrap(False)
        header = self.due_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.due_table.setMinimumHeight(200)
        self.due_table.cellActivated.connect(self._open_due)
        self.due_table.cellClicked.connect(self._open_due)
        layout.addWidget(self.due_count)
        layout.addWidget(self.due_table)
        return box

    def _orgs_box(self, body: QWidget) -> QGroupBox:
        from app.domain.orgs.incubation import IncubationState
        from app.domain.orgs.legal_status import LegalStatus

        box = QGroupBox(self.tr("Social organizations"), body)
        grid = QGridLayout(box)
        grid.addWidget(QLabel(self.tr("Incubation stage")), 0, 0)
        grid.addWidget(QLabel(self.tr("Legal status")), 1, 0)
        self.stage_tiles: dict[str, Tile] = {}
        for col, stage in enumerate(IncubationState, start=1):
            tile = self._tile(enum_text.label(stage), "orgs", {"incubation": str(stage)}, False,
                              box)
            self.stage_tiles[str(stage)] = tile
            grid.addWidget(tile, 0, col)
        self.legal_tiles: dict[str, Tile] = {}
        for col, status in enumerate(LegalStatus, start=1):
            tile = self._tile(enum_text.label(status), "orgs", {"legal_status": str(status)},
                              False, box)
            self.legal_tiles[str(status)] = tile
            grid.addWidget(tile, 1, col)
        self.orgs_total = self._tile(self.tr("All organizations"), "orgs", None, False, box)
        grid.addWidget(self.orgs_total, 1, len(LegalStatus) + 1)
        for col in range(1, len(IncubationState) + 1):
            grid.setColumnStretch(col, 1)
        return box

    def _projects_box(self, body: QWidget) -> QGroupBox:
        from app.domain.projects.lifecycle import ProjectStatus

        box = QGroupBox(self.tr("Purchased service projects by status"), body)
        grid = QGridLayout(box)
        self.contracted_tile = self._tile(self.tr("Contracted total"), "projects",
                                          {"money": str(ProjectMoney.CONTRACTED)}, False, box)
        self.paid_tile = self._tile(self.tr("Paid total"), "projects",
                                    {"money": str(ProjectMoney.PAID)}, False, box)
        grid.addWidget(self.contracted_tile, 0, 0)
        grid.addWidget(self.paid_tile, 1, 0)
        self.status_tiles: dict[str, Tile] = {}
        per_row = 5
        for k, status in enumerate(ProjectStatus):
            tile = self._tile(enum_text.label(status), "projects", {"status": str(status)},
                              False, box)
            self.status_tiles[str(status)] = tile
            grid.addWidget(tile, k // per_row, 1 + k % per_row)
        for col in range(per_row + 1):
            grid.setColumnStretch(col, 1)
        return box

    # -- loading -----------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()

    def refresh(self) -> Task | None:
        """Recompute the figures on a worker (again after the current run, if one is on)."""
        if self.task is not None and not self.task.done:
            self._pending = True
            return self.task
        self._pending = False
        self.refresh_button.setEnabled(False)
        today = dt.date.today()

        def job(_state: TaskState) -> HomeSummary:
            return home.summary(today)

        self.task = run_task(job, None, "", on_success=self._show, on_failure=self._failed)
        self.task.finished.connect(self._finished)
        return self.task

    def _finished(self) -> None:
        self.refresh_button.setEnabled(True)
        if self._pending:
            self.refresh()

    def _failed(self, exc: BaseException) -> None:
        self.as_of.setText(self.tr("The figures could not be loaded: %1").replace(
            "%1", str(exc)))

    def _show(self, result: object) -> None:
        assert isinstance(result, HomeSummary)
        s = self.summary = result
        self.as_of.setText(self.tr("As of %1").replace(
            "%1", dt.datetime.now().strftime("%Y-%m-%d %H:%M")))
        self.registered_tile.set_value(f"{s.volunteers.registered:,}")
        self.active_tile.set_value(f"{s.volunteers.active:,}")
        hours = self.tr("%1 h")
        self.month_tile.set_value(hours.replace("%1", _hours(s.hours.this_month_minutes)))
        self.year_tile.set_value(hours.replace("%1", _hours(s.hours.this_year_minutes)))
        projects = self.tr("%1 projects")  # the projects the total counts: the list it opens
        self.contracted_tile.set_value(format_yuan(s.projects.contracted_fen), projects.replace(
            "%1", f"{s.projects.contracted_count:,}"))
        self.paid_tile.set_value(format_yuan(s.projects.paid_fen), projects.replace(
            "%1", f"{s.projects.paid_count:,}"))
        self.chart.set_months(s.hours.by_month)
        for count in s.orgs.by_stage:
            self.stage_tiles[count.key].set_value(f"{count.count:,}")
        for count in s.orgs.by_legal_status:
            self.legal_tiles[count.key].set_value(f"{count.count:,}")
        self.orgs_total.set_value(f"{s.orgs.total:,}")
        for fig in s.projects.by_status:
            tile = self.status_tiles[str(fig.status)]
            tile.set_value(f"{fig.count:,}")
            tile.setToolTip(self.tr("Contracted %1, paid %2").replace(
                "%1", format_yuan(fig.contracted_fen)).replace("%2", format_yuan(fig.paid_fen)))
        self._fill_due(s)
        self.loaded.emit()

    def _fill_due(self, s: HomeSummary) -> None:
        self.due_count.setText(self.tr("Showing %1 of %2 (%3 overdue)")
                               .replace("%1", str(len(s.due.items)))
                               .replace("%2", str(s.due.total))
                               .replace("%3", str(s.due.overdue)))
        self.due_table.setRowCount(len(s.due.items))
        red = QColor("#c0392b")
        for row, item in enumerate(s.due.items):
            if item.days_overdue > 0:
                when = self.tr("%1 days overdue").replace("%1", str(item.days_overdue))
            elif item.days_overdue == 0:
                when = self.tr("Due today")
            else:
                when = self.tr("In %1 days").replace("%1", str(-item.days_overdue))
            # a project's payment or milestone names the project (and its contractor)
            subject = item.subject if item.project else item.name
            cells = (when, enum_text.due_kind(item.kind_label), subject, item.due.isoformat())
            for col, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setData(Qt.ItemDataRole.UserRole,
                             ("project", item.project_id) if item.project_id
                             else ("org", item.org_id))
                # a long project name elides in the cell: the tooltip has it whole
                cell.setToolTip(f"{subject}\n{item.detail}" if item.project else item.detail)
                if col == 0 and item.overdue:
                    cell.setForeground(red)
                self.due_table.setItem(row, col, cell)

    def _today(self) -> dt.date:
        return self.summary.today if self.summary is not None else dt.date.today()

    def _open_hours(self, month: bool) -> None:
        """This month's or this year's hours: the hours report from the 1st to today."""
        today = self._today()
        first = today.replace(day=1) if month else today.replace(month=1, day=1)
        self.openArea.emit("hours", {"from": first, "to": today})

    def _open_month(self, year: int, month: int) -> None:
        """A bar of the chart: that month's hours (to today for the current month)."""
        first = dt.date(year, month, 1)
        last = (first + dt.timedelta(days=31)).replace(day=1) - dt.timedelta(days=1)
        self.openArea.emit("hours", {"from": first, "to": min(last, self._today())})

    def _open_due(self, row: int, _column: int) -> None:
        cell = self.due_table.item(row, 0)
        target = None if cell is None else cell.data(Qt.ItemDataRole.UserRole)
        if target and int(target[1] or 0) > 0:  # a project's item opens the project
            self.openArea.emit(str(target[0]), int(target[1]))
