"""The 孵化 tab of the organization panel: what the incubator did with the organization.

Admission review, the agreement and its extensions, mentors, trainings attended, services
given (space, registration help, small grants), evaluations, and the registration-readiness
checklist, whose tick boxes write at once and whose 生成材料包 button zips the ticked items'
documents with an index page. Each "add" is a `FieldDialog` over one incubation service.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.services.orgs import incubation
from app.services.orgs.registration import OrgRecord
from app.ui import desk_settings
from app.ui.common.errors import show_error
from app.ui.common.row_table import Col, RowsModel
from app.ui.common.table_group import table_group
from app.ui.orgs.dialogs import (
    CHOICE,
    DATE,
    MONEY,
    MULTILINE,
    NUMBER,
    OPTIONAL_DATE,
    SCORE,
    TEXT,
    Field,
    FieldDialog,
    open_dialog,
)
from app.ui.orgs.editor import yuan_text

TABLE_HEIGHT = 110


def day(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


class IncubationTab(QScrollArea):
    """Signals:
        changed(): something was recorded; the panel re-reads the organization.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("incubation_tab")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.record: OrgRecord | None = None
        self.dialog: FieldDialog | None = None
        body = QWidget(self)
        self.body = QVBoxLayout(body)
        self.reviews = self._table_group(self.tr("Admission review"), [
            Col(self.tr("First review"), lambda r: day(r.first_review_on)),
            Col(self.tr("Expert review"), lambda r: day(r.expert_review_on)),
            Col(self.tr("Score"), lambda r: "" if r.expert_score is None
                else str(r.expert_score), True),
            Col(self.tr("Public notice"), lambda r: f"{day(r.notice_from)} – "
                f"{day(r.notice_to)}" if r.notice_from else ""),
            Col(self.tr("Conclusion"), lambda r: r.conclusion)],
            [(self.tr("Record review…"), self.open_review)])
        self._agreement_group()
        self.mentors = self._table_group(self.tr("Mentors"), [
            Col(self.tr("Name"), lambda r: r.name),
            Col(self.tr("Expertise"), lambda r: r.expertise),
            Col(self.tr("From"), lambda r: day(r.starts_on)),
            Col(self.tr("To"), lambda r: day(r.ends_on))],
            [(self.tr("Add mentor…"), self.open_mentor)])
        self.trainings = self._table_group(self.tr("Trainings"), [
            Col(self.tr("Date"), lambda r: day(r.held_on)),
            Col(self.tr("Title"), lambda r: r.title),
            Col(self.tr("Attendees"), lambda r: r.attendees, True),
            Col(self.tr("Trainer"), lambda r: r.trainer)],
            [(self.tr("Record attendance…"), self.open_training)])
        self.services = self._table_group(self.tr("Services and grants"), [
            Col(self.tr("Date"), lambda r: day(r.on)),
            Col(self.tr("Kind"), lambda r: incubation.SERVICE_KINDS.get(r.kind, r.kind)),
            Col(self.tr("Amount (yuan)"), lambda r: yuan_text(r.amount_fen)
                if r.amount_fen else "", True),
            Col(self.tr("Description"), lambda r: r.description)],
            [(self.tr("Add service…"), self.open_service)])
        self.evaluations = self._table_group(self.tr("Evaluations"), [
            Col(self.tr("Date"), lambda r: day(r.on)),
            Col(self.tr("Kind"), lambda r: incubation.EVALUATION_KINDS.get(r.kind, r.kind)),
            Col(self.tr("Score"), lambda r: "" if r.score is None else str(r.score), True),
            Col(self.tr("Evaluator"), lambda r: r.evaluator),
            Col(self.tr("Conclusion"), lambda r: r.conclusion)],
            [(self.tr("Add evaluation…"), self.open_evaluation)])
        self._checklist_group()
        self.body.addStretch(1)
        self.setWidget(body)

    # -- building ----------------------------------------------------------------------

    def _table_group(self, title: str, columns: list[Col[Any]],
                     buttons: list[tuple[str, Any]]) -> RowsModel[Any]:
        model: RowsModel[Any] = RowsModel(columns, self)
        table_group(title, model, buttons, self.body, TABLE_HEIGHT, fixed=True)
        return model

    def _agreement_group(self) -> None:
        group = QGroupBox(self.tr("Incubation agreement"), self)
        layout = QVBoxLayout(group)
        self.agreement_label = QLabel(group)
        self.agreement_label.setObjectName("agreement")
        self.agreement_label.setWordWrap(True)
        layout.addWidget(self.agreement_label)
        row = QHBoxLayout()
        row.addStretch(1)
        self.sign_button = QPushButton(self.tr("Sign agreement…"), group)
        self.sign_button.clicked.connect(self.open_sign)
        self.extend_button = QPushButton(self.tr("Extend…"), group)
        self.extend_button.clicked.connect(self.open_extend)
        row.addWidget(self.sign_button)
        row.addWidget(self.extend_button)
        layout.addLayout(row)
        self.body.addWidget(group)

    def _checklist_group(self) -> None:
        group = QGroupBox(self.tr("Registration readiness"), self)
        layout = QVBoxLayout(group)
        self.checklist_box = QGridLayout()
        layout.addLayout(self.checklist_box)
        self.checks: dict[str, QCheckBox] = {}
        self.checklist_state = QLabel(group)
        self.checklist_state.setObjectName("checklist_state")
        self.checklist_state.setWordWrap(True)
        layout.addWidget(self.checklist_state)
        row = QHBoxLayout()
        row.addStretch(1)
        self.packet_button = QPushButton(self.tr("Build document packet…"), group)
        self.packet_button.setObjectName("build_packet")
        self.packet_button.clicked.connect(self.ask_packet)
        row.addWidget(self.packet_button)
        layout.addLayout(row)
        self.body.addWidget(group)

    # -- showing -----------------------------------------------------------------------

    def show_org(self, record: OrgRecord) -> None:
        self.record = record
        org_id = record.id
        self.reviews.set_rows(incubation.reviews(org_id))
        self.mentors.set_rows(incubation.mentors(org_id))
        self.trainings.set_rows(incubation.trainings(org_id))
        self.services.set_rows(incubation.services(org_id))
        self.evaluations.set_rows(incubation.evaluations(org_id))
        self._show_agreement(org_id)
        self._show_checklist(org_id)

    def _show_agreement(self, org_id: int) -> None:
        line = incubation.agreement(org_id)
        self.extend_button.setEnabled(line is not None)
        if line is None:
            self.agreement_label.setText(self.tr("No agreement signed."))
            return
        text = self.tr("%1 – %2").replace("%1", day(line.starts_on)).replace(
            "%2", day(line.ends_on))
        if line.space:
            text += self.tr(", space: %1").replace("%1", line.space)
        for ext in line.extensions:
            text += "\n" + self.tr("extended on %1 from %2 to %3: %4").replace(
                "%1", day(ext.on)).replace("%2", day(ext.from_)).replace(
                "%3", day(ext.to)).replace("%4", ext.reason)
        self.agreement_label.setText(text)

    def _show_checklist(self, org_id: int) -> None:
        state = incubation.checklist(org_id)
        for box in self.checks.values():
            self.checklist_box.removeWidget(box)
            box.deleteLater()
        self.checks.clear()
        for n, line in enumerate(state.items):
            text = line.label + (" *" if line.required else "")
            if line.done_on is not None:
                text += "  " + day(line.done_on)
            box = QCheckBox(text, self)
            box.setObjectName(f"check_{line.item}")
            box.setChecked(line.done_on is not None)
            box.toggled.connect(lambda on, item=line.item: self.set_done(item, on))
            self.checks[line.item] = box
            self.checklist_box.addWidget(box, n // 2, n % 2)
        if state.complete:
            note = self.tr("Complete: the %1 can be built.").replace("%1", state.packet_label)
        else:
            note = self.tr("Missing for the %1: %2").replace("%1", state.packet_label).replace(
                "%2", "、".join(line.label for line in state.missing))
        self.checklist_state.setText(note)
        self.packet_button.setEnabled(state.complete)

    # -- actions -----------------------------------------------------------------------

    def _open(self, title: str, fields: list[Field], act: Any) -> FieldDialog | None:
        if self.record is None:
            return None
        self.dialog = open_dialog(self, title, self.record.name, fields, act,
                                  lambda _r: self.changed.emit())
        return self.dialog

    def _org_id(self) -> int:
        assert self.record is not None
        return self.record.id

    def open_review(self) -> FieldDialog | None:
        org_id = self._org_id()
        return self._open(self.tr("Admission review"), [
            Field("first_review_on", self.tr("First review on"), OPTIONAL_DATE),
            Field("first_review_opinion", self.tr("First review opinion"), MULTILINE),
            Field("expert_review_on", self.tr("Expert review on"), OPTIONAL_DATE),
            Field("expert_score", self.tr("Expert score"), SCORE),
            Field("experts", self.tr("Experts")),
            Field("notice_from", self.tr("Public notice from"), OPTIONAL_DATE),
            Field("notice_to", self.tr("Public notice to"), OPTIONAL_DATE),
            Field("conclusion", self.tr("Conclusion"), MULTILINE)],
            lambda v: incubation.record_review(org_id, **v))

    def open_sign(self) -> FieldDialog | None:
        org_id = self._org_id()
        today = dt.date.today()
        return self._open(self.tr("Sign agreement"), [
            Field("starts_on", self.tr("Starts on"), DATE, today),
            Field("ends_on", self.tr("Ends on"), DATE, today.replace(year=today.year + 1)
                  if not (today.month == 2 and today.day == 29) else today + dt.timedelta(365)),
            Field("space", self.tr("Space given"), TEXT)],
            lambda v: incubation.sign_agreement(org_id, **v))

    def open_extend(self) -> FieldDialog | None:
        org_id = self._org_id()
        line = incubation.agreement(org_id)
        end = line.ends_on if line is not None else dt.date.today()
        return self._open(self.tr("Extend agreement"), [
            Field("new_end", self.tr("New end"), DATE, end + dt.timedelta(days=182),
                  aliases=("new_end_date",)),
            Field("reason", self.tr("Reason"), MULTILINE),
            Field("on", self.tr("Agreed on"), DATE)],
            lambda v: incubation.extend_agreement(org_id, **v))

    def open_mentor(self) -> FieldDialog | None:
        org_id = self._org_id()
        return self._open(self.tr("Add mentor"), [
            Field("name", self.tr("Name")), Field("expertise", self.tr("Expertise")),
            Field("starts_on", self.tr("From"), OPTIONAL_DATE),
            Field("ends_on", self.tr("To"), OPTIONAL_DATE)],
            lambda v: incubation.add_mentor(org_id, **v))

    def open_training(self) -> FieldDialog | None:
        org_id = self._org_id()
        choices: list[tuple[str, Any]] = [(self.tr("(a new training)"), None)]
        choices += [(f"{day(t.held_on)} {t.title}", t.id) for t in incubation.all_trainings()]

        def act(v: dict[str, Any]) -> object:
            training_id = v.pop("training_id")
            attendees, names = v.pop("attendees"), v.pop("names")
            if training_id is None:
                if v["held_on"] is None:
                    v["held_on"] = dt.date.today()
                training_id = incubation.create_training(**v).id
            incubation.record_attendance(training_id, org_id, attendees, names)
            return training_id

        return self._open(self.tr("Record training attendance"), [
            Field("training_id", self.tr("Training"), CHOICE, choices=choices),
            Field("title", self.tr("New training: title")),
            Field("held_on", self.tr("New training: date"), OPTIONAL_DATE),
            Field("trainer", self.tr("New training: trainer")),
            Field("place", self.tr("New training: place")),
            Field("minutes", self.tr("New training: minutes"), NUMBER, 120, maximum=10_000),
            Field("attendees", self.tr("Attendees"), NUMBER, 1, minimum=1),
            Field("names", self.tr("Names"))], act)

    def open_service(self) -> FieldDialog | None:
        org_id = self._org_id()
        kinds = [(label, key) for key, label in incubation.SERVICE_KINDS.items()]
        return self._open(self.tr("Add service"), [
            Field("kind", self.tr("Kind"), CHOICE, choices=kinds),
            Field("on", self.tr("Date"), DATE),
            Field("amount_fen", self.tr("Amount (yuan)"), MONEY),
            Field("description", self.tr("Description"), MULTILINE)],
            lambda v: incubation.add_service(org_id, **v))

    def open_evaluation(self) -> FieldDialog | None:
        org_id = self._org_id()
        kinds = [(label, key) for key, label in incubation.EVALUATION_KINDS.items()]
        return self._open(self.tr("Add evaluation"), [
            Field("kind", self.tr("Kind"), CHOICE, choices=kinds),
            Field("on", self.tr("Date"), DATE),
            Field("score", self.tr("Score"), SCORE),
            Field("evaluator", self.tr("Evaluator")),
            Field("conclusion", self.tr("Conclusion"), MULTILINE)],
            lambda v: incubation.add_evaluation(org_id, **v))

    def set_done(self, item: str, done: bool) -> None:
        """A tick box: done today, or not done."""
        if self.record is None:
            return
        try:
            if done:
                incubation.tick(self.record.id, item, dt.date.today())
            else:
                incubation.untick(self.record.id, item)
        except Exception as exc:
            show_error(self, exc)
        self.changed.emit()

    def ask_packet(self) -> Path | None:
        if self.record is None:
            return None
        folder = desk_settings.LAST_FOLDER.get() or str(Path.home())
        name = self.tr("%1 documents.zip").replace("%1", self.record.name)
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save document packet"),
                                              str(Path(folder) / name),
                                              self.tr("Zip archive (*.zip)"))
        if not path:
            return None
        return self.build_packet(Path(path))

    def build_packet(self, path: Path) -> Path | None:
        if self.record is None:
            return None
        if path.suffix.lower() != ".zip":
            path = path.with_suffix(".zip")
        try:
            out = incubation.build_packet(self.record.id, path)
        except Exception as exc:
            show_error(self, exc)
            return None
        desk_settings.LAST_FOLDER.set(str(out.parent))
        return out
