"""The panel beside the project list: one project's record, in tabs.

概况 (the registered data, status since when, the contractor's standing, budget vs contract
vs paid), 时间线 (every dated event, newest first), 资金, 绩效指标, 节点, 评价, 活动与时长 and
附件. The panel holds the id of the project it shows (`project_id`); every action of the
page and of the panel reads it from here, never from whatever row of the list is current, so
a dialog always lands on the record in view.

Lifecycle moves are offered from the domain's table (`next_states`) and go through a small
dialog (date, note); the service's refusal (an IllegalTransition, the fields signing still
needs) is shown there in Chinese.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import FormErrors, NotFoundError
from app.domain.projects.lifecycle import ProjectStatus, next_states
from app.domain.projects.money import chinese_capitals, format_yuan
from app.services.projects import lifecycle, money, registration
from app.services.projects.registration import ProjectRecord
from app.ui.common import enum_text
from app.ui.common.errors import show_error
from app.ui.common.row_table import Col, RowsModel, table_view
from app.ui.common.service_text import shown
from app.ui.orgs.dialogs import DATE, MULTILINE, Field, FieldDialog
from app.ui.projects.dialogs import open_field_dialog
from app.ui.projects.indicators_tab import IndicatorsTab
from app.ui.projects.money_tab import MoneyTab
from app.ui.projects.records_tabs import (
    ActivitiesTab,
    DocumentsTab,
    EvaluationsTab,
    MilestonesTab,
)
from app.ui.projects.report import ProjectReport

RED = "#c62828"
OVERVIEW_ROWS = (
    "number", "status", "purchaser", "method", "contractor", "budget", "contract", "paid",
    "signed_on", "term", "service_area", "target_group", "lead", "finance_lead",
    "evaluator", "content", "remarks")


def day(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


class ProjectDetail(QWidget):
    """Shows the project chosen in the list (or a hint when none is).

    Signals:
        changed(int): the project was changed here; the list re-reads its row.
        message(str): a note for the status bar.
    """

    changed = Signal(int)
    message = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ProjectDetail")
        self.setMinimumWidth(440)
        self.record: ProjectRecord | None = None
        self.dialog: FieldDialog | None = None
        self.report = ProjectReport(self)
        self.report.message.connect(self.message)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(4, 0, 0, 0)
        self.empty = QLabel(self.tr("Select a project in the list to see its record."))
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        outer.addWidget(self.empty)
        self.content = QWidget(self)
        outer.addWidget(self.content, 1)
        layout = QVBoxLayout(self.content)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel(self.content)
        self.title.setObjectName("title")
        self.title.setTextFormat(Qt.TextFormat.PlainText)  # user text: "<b>" is not markup
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-size: 15pt; font-weight: bold")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.states = QLabel(self.content)
        self.states.setObjectName("states")
        self.states.setWordWrap(True)
        layout.addWidget(self.title)
        layout.addWidget(self.states)
        layout.addLayout(self._build_actions())
        self.tabs = QTabWidget(self.content)
        self.tabs.setObjectName("detail_tabs")
        self.tabs.setUsesScrollButtons(True)
        self.tabs.addTab(self._build_overview(), self.tr("Overview"))
        self.timeline_model: RowsModel[Any] = RowsModel([
            Col(self.tr("Date"), lambda e: day(e.on)),
            Col(self.tr("Event"), lambda e: e.title),
            Col(self.tr("By"), lambda e: e.actor),
            Col(self.tr("Details"), lambda e: e.detail)], self)
        self.timeline = table_view(self.timeline_model, self)
        self.timeline.setObjectName("timeline")
        self.timeline.setWordWrap(True)
        self.tabs.addTab(self.timeline, self.tr("Timeline"))
        self.money_tab = MoneyTab(self)
        self.indicators_tab = IndicatorsTab(self)
        self.milestones_tab = MilestonesTab(self)
        self.evaluations_tab = EvaluationsTab(self)
        self.activities_tab = ActivitiesTab(self)
        self.documents_tab = DocumentsTab(self)
        for tab, title in ((self.money_tab, self.tr("Money")),
                           (self.indicators_tab, self.tr("Indicators")),
                           (self.milestones_tab, self.tr("Milestones")),
                           (self.evaluations_tab, self.tr("Evaluation")),
                           (self.activities_tab, self.tr("Activities and hours")),
                           (self.documents_tab, self.tr("Attachments"))):
            tab.changed.connect(self._tab_changed)
            self.tabs.addTab(tab, title)
        layout.addWidget(self.tabs, 1)
        self.show_record(None)

    # -- building ----------------------------------------------------------------------

    def _build_actions(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.move_button = QPushButton(self.tr("Change status"), self.content)
        self.move_button.setObjectName("status_move")
        self.move_menu = QMenu(self.move_button)
        self.move_button.setMenu(self.move_menu)
        self.report_button = QPushButton(self.tr("Project report…"), self.content)
        self.report_button.setObjectName("project_report")
        self.report_button.clicked.connect(self.open_report)
        row.addWidget(self.move_button)
        row.addWidget(self.report_button)
        row.addStretch(1)
        return row

    def _build_overview(self) -> QWidget:
        area = QScrollArea(self)
        area.setObjectName("overview")
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget(area)
        self.fields = QFormLayout(body)
        self.fields.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        titles = {
            "number": self.tr("Number"), "status": self.tr("Status"),
            "purchaser": self.tr("Purchaser"), "method": self.tr("Purchase method"),
            "contractor": self.tr("Contractor"), "budget": self.tr("Budget"),
            "contract": self.tr("Contract amount"), "paid": self.tr("Paid"),
            "signed_on": self.tr("Contract signed"), "term": self.tr("Service term"),
            "service_area": self.tr("Service area"), "target_group": self.tr("Target group"),
            "lead": self.tr("Project lead"), "finance_lead": self.tr("Finance lead"),
            "evaluator": self.tr("Evaluation agency"), "content": self.tr("Service content"),
            "remarks": self.tr("Remarks")}
        self.values: dict[str, QLabel] = {}
        for key in OVERVIEW_ROWS:
            value = QLabel(body)
            value.setObjectName(f"value_{key}")
            value.setTextFormat(Qt.TextFormat.PlainText)
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.values[key] = value
            if key == "contractor":
                self.standing = QLabel(body)
                self.standing.setObjectName("standing")
                self.standing.setTextFormat(Qt.TextFormat.PlainText)
                self.standing.setWordWrap(True)
                self.standing.setStyleSheet(f"color: {RED}; font-weight: bold")
                box = QVBoxLayout()
                box.setSpacing(1)
                box.addWidget(value)
                box.addWidget(self.standing)
                self.fields.addRow(titles[key], box)
            elif key == "paid":
                self.paid_bar = QProgressBar(body)
                self.paid_bar.setObjectName("paid_bar")
                self.paid_bar.setRange(0, 1000)
                self.paid_bar.setTextVisible(False)
                self.paid_bar.setMaximumHeight(10)
                box = QVBoxLayout()
                box.setSpacing(2)
                box.addWidget(value)
                box.addWidget(self.paid_bar)
                self.fields.addRow(titles[key], box)
            else:
                self.fields.addRow(titles[key], value)
        area.setWidget(body)
        return area

    # -- showing -----------------------------------------------------------------------

    @property
    def project_id(self) -> int | None:
        """The project on show: what every action works on."""
        return self.record.id if self.record is not None else None

    def show_project(self, project_id: int | None) -> None:
        """Load and show a project by id (None clears the panel)."""
        if project_id is None:
            self.show_record(None)
            return
        try:
            self.show_record(registration.get(project_id))
        except NotFoundError as exc:
            self.show_record(None)
            show_error(self, exc)

    def reload(self) -> None:
        self.show_project(self.project_id)

    def show_record(self, record: ProjectRecord | None) -> None:
        self.record = record
        self.empty.setVisible(record is None)
        self.content.setVisible(record is not None)
        if record is None:
            return
        self.title.setText(f"{record.number}  {record.name}")
        parts = [enum_text.label(record.status), record.purchaser_name]
        if record.contractor_name:
            parts.append(record.contractor_name)
        self.states.setText(" · ".join(parts))
        self._show_overview(record)
        self._fill_moves(record)
        self.show_timeline(record.id)
        for tab in (self.money_tab, self.indicators_tab, self.milestones_tab,
                    self.evaluations_tab, self.activities_tab, self.documents_tab):
            tab.show_project(record)

    def _show_overview(self, record: ProjectRecord) -> None:
        d = record.draft
        v = self.values
        v["number"].setText(record.number)
        status = enum_text.label(record.status)
        v["status"].setText(self.tr("%1 since %2").replace("%1", status).replace(
            "%2", day(record.status_since)) if record.status_since else status)
        v["purchaser"].setText(record.purchaser_name)
        v["method"].setText(enum_text.label(d.method) if d.method else "")
        contractor = record.contractor_name
        if record.contractor_code:
            contractor += f"（{record.contractor_code}）"
        v["contractor"].setText(contractor or self.tr("not chosen yet"))
        problems = registration.contractor_problems(d.contractor_id) if d.contractor_id \
            else ()
        standing = "\n".join(f"⚠ {shown(p)}" for p in problems)
        if problems and record.contractor_warning:
            standing += "\n" + self.tr("Confirmed when chosen: %1").replace(
                "%1", record.contractor_warning)
        self.standing.setText(standing)
        self.standing.setVisible(bool(standing))
        summary = money.summary(record.id)
        v["budget"].setText(format_yuan(summary.budget_fen))
        contract = summary.contract_fen
        v["contract"].setText(
            f"{format_yuan(contract)}（{chinese_capitals(contract)}）" if contract is not None
            else self.tr("not signed yet"))
        paid = format_yuan(summary.paid_fen)
        if contract and summary.paid_share is not None and summary.remaining_fen is not None:
            paid = self.tr("%1 (%2% of the contract; %3 to pay)").replace("%1", paid).replace(
                "%2", f"{summary.paid_share:.1f}").replace(
                "%3", format_yuan(summary.remaining_fen))
        v["paid"].setText(paid)
        share = summary.paid_share if summary.paid_share is not None else 0
        self.paid_bar.setValue(int(min(share, 100) * 10))
        self.paid_bar.setVisible(bool(contract))
        v["signed_on"].setText(day(d.signed_on))
        v["term"].setText(f"{day(d.starts_on)} – {day(d.ends_on)}"
                          if d.starts_on or d.ends_on else "")
        for key in ("service_area", "target_group", "lead", "finance_lead", "evaluator",
                    "content", "remarks"):
            v[key].setText(getattr(d, key))

    def show_timeline(self, project_id: int) -> None:
        self.timeline_model.set_rows(lifecycle.timeline(project_id))
        for column in range(3):
            self.timeline.resizeColumnToContents(column)
        self.timeline.resizeRowsToContents()

    def _tab_changed(self) -> None:
        if self.record is not None:
            project_id = self.record.id
            self.show_project(project_id)
            self.changed.emit(project_id)

    # -- moves and the report -------------------------------------------------------------

    def _fill_moves(self, record: ProjectRecord) -> None:
        self.move_menu.clear()
        targets = next_states(record.status)
        for target in targets:
            action = self.move_menu.addAction(enum_text.label(target))
            action.triggered.connect(lambda _c=False, t=target: self.open_move(t))
        self.move_button.setEnabled(bool(targets))

    def open_move(self, target: ProjectStatus) -> FieldDialog | None:
        """Ask for the date and a note, then move the project on show to `target`."""
        record = self.record
        if record is None:
            return None
        project_id, version = record.id, record.version
        summary = self.tr("%1 %2: %3 → %4").replace("%1", record.number).replace(
            "%2", record.name).replace("%3", enum_text.label(record.status)).replace(
            "%4", enum_text.label(target))

        def act(v: dict[str, Any]) -> object:
            try:
                return lifecycle.move(project_id, target, v["on"], v["note"],
                                      expected_version=version)
            except FormErrors as exc:  # what signing still needs: fields of the project
                raise FormErrors({"": "\n".join(exc.errors.values())}) from None

        self.dialog = open_field_dialog(self, self.tr("Change status"), summary, [
            Field("on", self.tr("Date"), DATE),
            Field("note", self.tr("Note"), MULTILINE)], act, self._moved)
        return self.dialog

    def _moved(self, result: object) -> None:
        if isinstance(result, ProjectRecord):
            self.show_record(result)
            self.changed.emit(result.id)
            self.message.emit(self.tr("%1 is now %2").replace("%1", result.number).replace(
                "%2", enum_text.label(result.status)))

    def open_report(self) -> object:
        """项目报告… for the project on show."""
        return None if self.project_id is None else self.report.render(self.project_id)
