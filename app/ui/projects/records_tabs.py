"""The smaller tabs of the project panel: 节点 (milestones), 评价 (evaluations), 活动与时长
(linked activities and the volunteers' hours they count) and 附件 (documents).

Each tab shows one service's lines for the project on show and adds to them through a small
dialog; what the service refuses stays in that dialog, in Chinese.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.projects.kinds import Grade, grade_for
from app.services.projects import activities, documents, evaluation, milestones
from app.services.projects.activities import ActivityLine
from app.services.projects.evaluation import EVALUATION_KINDS, EvaluationLine
from app.services.projects.milestones import MilestoneLine
from app.services.projects.registration import ProjectRecord
from app.ui.common import enum_text
from app.ui.common.attachments_tab import AttachmentsTab
from app.ui.common.errors import show_error
from app.ui.common.row_table import Col, RowsModel, table_view
from app.ui.orgs.dialogs import (
    CHOICE,
    DATE,
    MULTILINE,
    OPTIONAL_DATE,
    SCORE,
    TEXT,
    Field,
    FieldDialog,
)
from app.ui.projects.dialogs import ProjectFieldDialog, open_field_dialog
from app.ui.projects.pickers import ActivityPicker, open_activity_picker


def day(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def hours_text(minutes: int) -> str:
    hours = Decimal(minutes) / 60
    return f"{hours:.1f}"


def _buttons(*buttons: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    for button in buttons:
        row.addWidget(button)
    row.addStretch(1)
    return row


# --- 节点 ---------------------------------------------------------------------------------


class MilestonesTab(QWidget):
    """Signals:
        changed(): a milestone was added or ticked off.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("milestones_tab")
        self.record: ProjectRecord | None = None
        self.dialog: FieldDialog | None = None
        self.model: RowsModel[MilestoneLine] = RowsModel([
            Col(self.tr("Milestone"), lambda m: m.name),
            Col(self.tr("Due"), lambda m: day(m.due_on)),
            Col(self.tr("Done"), lambda m: day(m.done_on) or (
                self.tr("overdue") if m.overdue else "")),
            Col(self.tr("Note"), lambda m: m.note)], self, flagged=lambda m: m.overdue)
        self.view = table_view(self.model, self)
        self.view.setObjectName("milestones")
        self.add_button = QPushButton(self.tr("Add milestone…"), self)
        self.add_button.setObjectName("add_milestone")
        self.add_button.clicked.connect(self.open_add)
        self.done_button = QPushButton(self.tr("Mark done…"), self)
        self.done_button.setObjectName("complete_milestone")
        self.done_button.clicked.connect(self.open_complete)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(_buttons(self.add_button, self.done_button))

    def show_project(self, record: ProjectRecord) -> None:
        self.record = record
        self.model.set_rows(milestones.milestones(record.id))
        self.view.resizeColumnsToContents()

    def open_add(self) -> FieldDialog | None:
        record = self.record
        if record is None:
            return None
        project_id = record.id

        def act(v: dict[str, Any]) -> MilestoneLine:
            return milestones.add_milestone(project_id, v["name"], v["due_on"], v["note"])

        self.dialog = open_field_dialog(self, self.tr("Add milestone"), record.name, [
            Field("name", self.tr("Milestone"), TEXT,
                  placeholder=self.tr("e.g. mid-term review")),
            Field("due_on", self.tr("Due on"), OPTIONAL_DATE),
            Field("note", self.tr("Note"), TEXT)], act, lambda _r: self.changed.emit())
        return self.dialog

    def open_complete(self) -> FieldDialog | None:
        line = self.model.row(self.view.currentIndex().row())
        if line is None:
            return None

        def act(v: dict[str, Any]) -> MilestoneLine:
            return milestones.complete(line.id, v["done_on"])

        self.dialog = open_field_dialog(self, self.tr("Mark done"), line.name, [
            Field("done_on", self.tr("Done on"), DATE)], act, lambda _r: self.changed.emit())
        return self.dialog


# --- 评价 ---------------------------------------------------------------------------------


class EvaluationDialog(ProjectFieldDialog):
    """An evaluation's fields; typing the score suggests its grade (优秀 ≥ 90, …) until the
    grade is chosen by hand."""

    def __init__(self, parent: QWidget | None, title: str, summary: str,
                 fields: list[Field], action: Any) -> None:
        super().__init__(parent, title, summary, fields, action)
        self.grade_touched = False
        score, grade = self.inputs["score"], self.inputs["grade"]
        assert isinstance(score, QLineEdit) and isinstance(grade, QComboBox)
        score.textChanged.connect(self._suggest)
        grade.activated.connect(self._touched)

    def _touched(self, _index: int) -> None:
        self.grade_touched = True

    def suggested(self) -> Grade | None:
        score = self.inputs["score"]
        assert isinstance(score, QLineEdit)
        try:
            value = Decimal(score.text().strip())
        except InvalidOperation:
            return None
        return grade_for(float(value)) if value.is_finite() else None

    def _suggest(self) -> None:
        if not self.grade_touched:
            self.set_value("grade", self.suggested())


class EvaluationsTab(QWidget):
    """Signals:
        changed(): an evaluation was recorded.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("evaluations_tab")
        self.record: ProjectRecord | None = None
        self.dialog: FieldDialog | None = None
        self.model: RowsModel[EvaluationLine] = RowsModel([
            Col(self.tr("Kind"), lambda e: e.kind_label),
            Col(self.tr("Date"), lambda e: day(e.on)),
            Col(self.tr("Evaluator"), lambda e: e.evaluator),
            Col(self.tr("Score"), lambda e: "" if e.score is None else f"{e.score:.1f}", True),
            Col(self.tr("Grade"), lambda e: enum_text.label(e.grade) if e.grade else e.grade_label),
            Col(self.tr("Conclusion"), lambda e: e.conclusion)], self)
        self.view = table_view(self.model, self)
        self.view.setObjectName("evaluations")
        self.details = QLabel(self)
        self.details.setObjectName("evaluation_details")
        self.details.setWordWrap(True)
        self.view.selectionModel().currentRowChanged.connect(lambda *_a: self._show_details())
        self.add_button = QPushButton(self.tr("Record evaluation…"), self)
        self.add_button.setObjectName("record_evaluation")
        self.add_button.clicked.connect(self.open_record)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 2)
        layout.addWidget(self.details, 1)
        layout.addLayout(_buttons(self.add_button))

    def show_project(self, record: ProjectRecord) -> None:
        self.record = record
        self.model.set_rows(evaluation.evaluations(record.id))
        self.view.resizeColumnsToContents()
        self._show_details()

    def _show_details(self) -> None:
        line = self.model.row(self.view.currentIndex().row())
        if line is None and self.model.rows:
            line = self.model.rows[-1]
        if line is None:
            self.details.clear()
            return
        parts = [(self.tr("Problems"), line.problems),
                 (self.tr("Suggestions"), line.suggestions), (self.tr("Remarks"), line.remarks)]
        self.details.setText("\n".join(f"{title}：{text}" for title, text in parts if text))

    def open_record(self) -> FieldDialog | None:
        record = self.record
        if record is None:
            return None
        project_id = record.id
        fields = [
            Field("kind", self.tr("Kind"), CHOICE, "final",
                  list((label, key) for key, label in EVALUATION_KINDS.items())),
            Field("on", self.tr("Date"), DATE),
            Field("evaluator", self.tr("Evaluator"), TEXT, record.draft.evaluator),
            Field("score", self.tr("Score (0–100)"), SCORE),
            Field("grade", self.tr("Grade"), CHOICE, None,
                  [(self.tr("(from the score)"), None), *((enum_text.label(g), g) for g in Grade)]),
            Field("conclusion", self.tr("Conclusion"), MULTILINE),
            Field("problems", self.tr("Problems"), MULTILINE),
            Field("suggestions", self.tr("Suggestions"), MULTILINE),
            Field("remarks", self.tr("Remarks"), MULTILINE)]

        def act(v: dict[str, Any]) -> EvaluationLine:
            return evaluation.record_evaluation(project_id, **v)

        dialog = EvaluationDialog(self, self.tr("Record evaluation"), record.name, fields, act)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.succeeded.connect(lambda _r: self.changed.emit())
        dialog.open()
        self.dialog = dialog
        return dialog


# --- 活动与时长 ------------------------------------------------------------------------------


class ActivitiesTab(QWidget):
    """Signals:
        changed(): an activity was linked or unlinked.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("activities_tab")
        self.record: ProjectRecord | None = None
        self.picker: ActivityPicker | None = None
        self.total = QLabel(self)
        self.total.setObjectName("volunteer_hours")
        self.total.setWordWrap(True)
        self.model: RowsModel[ActivityLine] = RowsModel([
            Col(self.tr("Activity"), lambda a: a.name),
            Col(self.tr("Starts"), lambda a: a.starts_at.strftime("%Y-%m-%d %H:%M")),
            Col(self.tr("Volunteers"), lambda a: a.volunteers, True),
            Col(self.tr("Hours"), lambda a: hours_text(a.minutes), True)], self)
        self.view = table_view(self.model, self)
        self.view.setObjectName("linked_activities")
        self.link_button = QPushButton(self.tr("Link activity…"), self)
        self.link_button.setObjectName("link_activity")
        self.link_button.clicked.connect(self.open_picker)
        self.unlink_button = QPushButton(self.tr("Unlink"), self)
        self.unlink_button.clicked.connect(self.unlink_current)
        layout = QVBoxLayout(self)
        layout.addWidget(self.total)
        layout.addWidget(self.view, 1)
        layout.addLayout(_buttons(self.link_button, self.unlink_button))

    def show_project(self, record: ProjectRecord) -> None:
        self.record = record
        self.model.set_rows(activities.activities(record.id))
        self.view.resizeColumnsToContents()
        hours = activities.volunteer_hours(record.id)
        self.total.setText(self.tr(
            "Volunteer hours on this project: %1 h, by %2 volunteer(s) in %3 record(s).")
            .replace("%1", hours_text(hours.minutes)).replace("%2", str(hours.volunteers))
            .replace("%3", str(hours.records)))

    def open_picker(self) -> ActivityPicker | None:
        if self.record is None:
            return None
        picker = open_activity_picker(self, {a.id for a in self.model.rows})
        picker.picked.connect(self.link)
        self.picker = picker
        return picker

    def link(self, activity_id: int) -> bool:
        """Count the activity's hours toward the project on show."""
        if self.record is None:
            return False
        try:
            activities.link_activity(self.record.id, activity_id)
        except Exception as exc:
            show_error(self, exc)
            return False
        self.changed.emit()
        return True

    def unlink_current(self) -> bool:
        line = self.model.row(self.view.currentIndex().row())
        if self.record is None or line is None:
            return False
        try:
            activities.unlink_activity(self.record.id, line.id)
        except Exception as exc:
            show_error(self, exc)
            return False
        self.changed.emit()
        return True


# --- 附件 ---------------------------------------------------------------------------------


class DocumentsTab(AttachmentsTab):
    """Files attached to the project (contract, notices, reports, invoices, photos): copied
    beside the register, checked when shown (there, same size) and against their hash when opened.

    Signals:
        changed(): a file was attached.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(documents.attach, documents.documents, documents.path_for,
                         documents.problem, parent,
                         kinds=documents.KIND_SUGGESTIONS)
        self.setObjectName("project_documents_tab")
        self.record: ProjectRecord | None = None

    def show_project(self, record: ProjectRecord) -> None:
        self.record = record
        self.show_owner(record.id)
