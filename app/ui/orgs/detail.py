"""The panel beside the organization list: one organization's record, in tabs.

概况 (the registered data, both machines' states, rating and standing), 时间线 (every
dated event, newest first), 孵化, 年检 and 附件. The panel holds the id of the organization
it shows (`org_id`); every action of the page and of the panel reads it from here, never
from whatever row of the list is current, so a dialog always lands on the record in view.

Moves of the two machines are offered from the domain's tables (`next_states`,
`next_legal_states`) and go through a small dialog; the service's refusal (an
IllegalTransition, a field error) is shown there in Chinese.
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
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import NotFoundError
from app.domain.orgs.incubation import IncubationState, next_states
from app.domain.orgs.kinds import OrgKind
from app.domain.orgs.legal_status import LegalStatus, next_legal_states
from app.services.orgs import incubation, inspections, legal, registration, timeline
from app.services.orgs.registration import OrgRecord
from app.ui.common import enum_text
from app.ui.common.errors import show_error
from app.ui.common.row_table import Col, RowsModel, table_view
from app.ui.common.service_text import shown
from app.ui.orgs.annual import AnnualReportMixin
from app.ui.orgs.dialogs import (
    DATE,
    MULTILINE,
    OPTIONAL_DATE,
    TEXT,
    Field,
    FieldDialog,
    open_dialog,
)
from app.ui.orgs.documents_tab import DocumentsTab
from app.ui.orgs.editor import yuan_text
from app.ui.orgs.incubation_tab import IncubationTab
from app.ui.orgs.inspection_tab import InspectionTab
from app.ui.orgs.year_figures_dialog import ask_year as ask_figures_year

RED = "#c62828"
OVERVIEW_ROWS = (
    "kind", "credit_code", "legal_status", "certificate", "registration_authority",
    "supervisor_unit", "legal_representative", "capital", "founded_on", "service_field",
    "incubation", "rating", "address", "area", "contact", "email", "website",
    "business_scope", "remarks")


def day(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


class OrgDetail(QWidget):
    """Shows the organization chosen in the list (or a hint when none is).

    Signals:
        changed(int): the organization was changed here; the list re-reads its row.
    """

    changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("OrgDetail")
        self.setMinimumWidth(420)
        self.record: OrgRecord | None = None
        self.dialog: FieldDialog | None = None
        self.annual = AnnualReportMixin(self)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(4, 0, 0, 0)
        self.empty = QLabel(self.tr("Select an organization in the list to see its record."))
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
        self.warning = QLabel(self.content)
        self.warning.setObjectName("standing")
        self.warning.setTextFormat(Qt.TextFormat.PlainText)
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(f"color: {RED}; font-weight: bold")
        layout.addWidget(self.title)
        layout.addWidget(self.states)
        layout.addWidget(self.warning)
        layout.addLayout(self._build_actions())
        self.tabs = QTabWidget(self.content)
        self.tabs.setObjectName("detail_tabs")
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
        self.incubation_tab = IncubationTab(self)
        self.inspection_tab = InspectionTab(self)
        self.documents_tab = DocumentsTab(self)
        for tab in (self.incubation_tab, self.inspection_tab, self.documents_tab):
            tab.changed.connect(self._tab_changed)
        self.tabs.addTab(self.incubation_tab, self.tr("Incubation"))
        self.tabs.addTab(self.inspection_tab, self.tr("Inspections"))
        self.tabs.addTab(self.documents_tab, self.tr("Attachments"))
        layout.addWidget(self.tabs, 1)
        self.show_record(None)

    # -- building ----------------------------------------------------------------------

    def _build_actions(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.incubation_button = QPushButton(self.tr("Incubation stage"), self.content)
        self.incubation_button.setObjectName("incubation_move")
        self.incubation_menu = QMenu(self.incubation_button)
        self.incubation_button.setMenu(self.incubation_menu)
        self.legal_button = QPushButton(self.tr("Legal status"), self.content)
        self.legal_button.setObjectName("legal_move")
        self.legal_menu = QMenu(self.legal_button)
        self.legal_button.setMenu(self.legal_menu)
        self.report_button = QPushButton(self.tr("Annual report…"), self.content)
        self.report_button.setObjectName("annual_report")
        self.report_button.clicked.connect(lambda: self.annual.ask_year(self.org_id))
        self.figures_button = QPushButton(self.tr("Yearly figures…"), self.content)
        self.figures_button.setObjectName("year_figures")
        self.figures_button.clicked.connect(lambda: ask_figures_year(self, self.org_id))
        for button in (self.incubation_button, self.legal_button, self.report_button,
                       self.figures_button):
            row.addWidget(button)
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
            "kind": self.tr("Type"), "credit_code": self.tr("Credit code"),
            "legal_status": self.tr("Legal status"), "certificate": self.tr("Certificate"),
            "registration_authority": self.tr("Registration authority"),
            "supervisor_unit": self.tr("Supervisor unit"),
            "legal_representative": self.tr("Legal representative"),
            "capital": self.tr("Registered capital"), "founded_on": self.tr("Founded on"),
            "service_field": self.tr("Service field"),
            "incubation": self.tr("Incubation stage"), "rating": self.tr("Rating"),
            "address": self.tr("Address"), "area": self.tr("Area"),
            "contact": self.tr("Contact"), "email": self.tr("Email"),
            "website": self.tr("Website"), "business_scope": self.tr("Business scope"),
            "remarks": self.tr("Remarks")}
        self.values: dict[str, QLabel] = {}
        for key in OVERVIEW_ROWS:
            value = QLabel(body)
            value.setObjectName(f"value_{key}")
            value.setTextFormat(Qt.TextFormat.PlainText)
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.values[key] = value
            self.fields.addRow(titles[key], value)
        area.setWidget(body)
        return area

    # -- showing -----------------------------------------------------------------------

    @property
    def org_id(self) -> int | None:
        """The organization on show: what every action works on."""
        return self.record.id if self.record is not None else None

    def show_org(self, org_id: int | None) -> None:
        """Load and show an organization by id (None clears the panel)."""
        if org_id is None:
            self.show_record(None)
            return
        try:
            self.show_record(registration.get(org_id))
        except NotFoundError as exc:
            self.show_record(None)
            show_error(self, exc)

    def reload(self) -> None:
        self.show_org(self.org_id)

    def show_record(self, record: OrgRecord | None) -> None:
        self.record = record
        self.empty.setVisible(record is None)
        self.content.setVisible(record is not None)
        if record is None:
            return
        self.title.setText(record.name)
        self._show_states(record)
        self._show_overview(record)
        self._fill_moves(record)
        self.show_timeline(record.id)
        for tab in (self.incubation_tab, self.inspection_tab, self.documents_tab):
            tab.show_org(record)

    def _show_states(self, record: OrgRecord) -> None:
        parts = [enum_text.label(record.kind), enum_text.label(record.legal_status)]
        if record.incubation_state is not None:
            parts.append(self.tr("incubation: %1").replace(
                "%1", enum_text.label(record.incubation_state)))
        if record.rating is not None:
            parts.append(enum_text.label(record.rating))
        self.states.setText(" · ".join(parts))
        problems = inspections.standing(record.id).problems
        self.warning.setText("\n".join(f"⚠ {shown(p)}" for p in problems))
        self.warning.setVisible(bool(problems))

    def _show_overview(self, record: OrgRecord) -> None:
        d = record.draft
        v = self.values
        kind = enum_text.label(d.kind) if d.kind else ""
        if d.kind is OrgKind.PRIVATE_NON_ENTERPRISE and d.pne_form is not None:
            kind += self.tr(" (form: %1)").replace("%1", enum_text.label(d.pne_form))
        v["kind"].setText(kind)
        code = d.credit_code
        if d.code_override_reason:
            code += "\n" + self.tr("kept although a check fails: %1").replace(
                "%1", d.code_override_reason)
        v["credit_code"].setText(code)
        v["legal_status"].setText(self._legal_text(record))
        v["certificate"].setText(self._certificate_text(record))
        v["certificate"].setStyleSheet(
            f"color: {RED}" if self._certificate_expired(record) else "")
        for key in ("registration_authority", "supervisor_unit", "legal_representative",
                    "email", "website", "business_scope", "remarks", "address"):
            v[key].setText(getattr(d, key))
        if d.post_code:
            v["address"].setText(f"{d.address} ({d.post_code})")
        v["capital"].setText(self.tr("%1 yuan").replace("%1", yuan_text(d.capital_fen))
                             if d.capital_fen is not None else "")
        v["founded_on"].setText(day(d.founded_on))
        v["service_field"].setText(enum_text.label(d.service_field) if d.service_field else "")
        incubation_text = ""
        if record.incubation_state is not None:
            incubation_text = self.tr("%1 since %2").replace(
                "%1", enum_text.label(record.incubation_state)).replace(
                "%2", day(record.incubation_since))
        v["incubation"].setText(incubation_text)
        rating = ""
        if record.rating is not None:
            rating = self.tr("%1 rated %2").replace("%1", enum_text.label(record.rating)).replace(
                "%2", day(record.rated_on))
        v["rating"].setText(rating)
        v["area"].setText(" ".join(x for x in (d.district, d.street, d.community) if x))
        v["contact"].setText(" ".join(x for x in (d.contact_person, d.contact_phone) if x))

    def _legal_text(self, record: OrgRecord) -> str:
        text = enum_text.label(record.legal_status)
        dates = [(self.tr("filed"), record.filed_on), (self.tr("registered"),
                                                       record.registered_on),
                 (self.tr("deregistered"), record.deregistered_on)]
        shown = [f"{name} {day(on)}" for name, on in dates if on is not None]
        return text + (f" ({', '.join(shown)})" if shown else "")

    @staticmethod
    def _certificate_expired(record: OrgRecord) -> bool:
        end = record.draft.certificate_valid_to
        return (end is not None and end < dt.date.today()
                and record.legal_status is LegalStatus.REGISTERED)

    def _certificate_text(self, record: OrgRecord) -> str:
        d = record.draft
        parts = [d.certificate_number] if d.certificate_number else []
        if d.certificate_valid_from or d.certificate_valid_to:
            parts.append(self.tr("valid %1 – %2").replace(
                "%1", day(d.certificate_valid_from)).replace("%2", day(d.certificate_valid_to)))
        if self._certificate_expired(record):
            parts.append(self.tr("(expired)"))
        return " ".join(parts)

    def show_timeline(self, org_id: int) -> None:
        self.timeline_model.set_rows(timeline.timeline(org_id))
        for column in range(3):
            self.timeline.resizeColumnToContents(column)
        self.timeline.resizeRowsToContents()

    def _tab_changed(self) -> None:
        if self.record is not None:
            org_id = self.record.id
            self.show_org(org_id)
            self.changed.emit(org_id)

    # -- moves -------------------------------------------------------------------------

    def _fill_moves(self, record: OrgRecord) -> None:
        self.incubation_menu.clear()
        targets = (next_states(record.incubation_state) if record.incubation_state
                   else (IncubationState.APPLIED,))
        for target in targets:
            action = self.incubation_menu.addAction(enum_text.label(target))
            action.triggered.connect(lambda _c=False, t=target: self.open_incubation_move(t))
        self.incubation_button.setEnabled(bool(targets))
        self.legal_menu.clear()
        legal_targets = next_legal_states(record.legal_status, record.kind)
        for legal_target in legal_targets:
            action = self.legal_menu.addAction(enum_text.label(legal_target))
            action.triggered.connect(
                lambda _c=False, t=legal_target: self.open_legal_move(t))
        self.legal_button.setEnabled(bool(legal_targets))

    def open_incubation_move(self, target: IncubationState) -> FieldDialog | None:
        """Ask for the date and a note, then move the organization on show to `target`."""
        record = self.record
        if record is None:
            return None
        org_id, version = record.id, record.version
        current = enum_text.label(record.incubation_state) if record.incubation_state else \
            self.tr("not applied")
        summary = self.tr("%1: incubation stage %2 → %3").replace("%1", record.name).replace(
            "%2", current).replace("%3", enum_text.label(target))

        def act(v: dict[str, Any]) -> object:
            return incubation.move(org_id, target, v["on"], v["note"],
                                   expected_version=version)

        self.dialog = open_dialog(self, self.tr("Incubation stage"), summary, [
            Field("on", self.tr("Date"), DATE),
            Field("note", self.tr("Note"), MULTILINE)], act, self._moved)
        return self.dialog

    def open_legal_move(self, target: LegalStatus) -> FieldDialog | None:
        """File, register or deregister the organization on show (certificate data for
        registering)."""
        record = self.record
        if record is None:
            return None
        org_id, version = record.id, record.version
        summary = self.tr("%1: legal status %2 → %3").replace("%1", record.name).replace(
            "%2", enum_text.label(record.legal_status)).replace("%3", enum_text.label(target))
        fields = [Field("on", self.tr("Date"), DATE, aliases=("legal_on",)),
                  Field("authority", self.tr("Authority"), TEXT,
                        record.draft.registration_authority,
                        aliases=("registration_authority",))]
        if target is LegalStatus.REGISTERED:
            fields += [
                Field("certificate_number", self.tr("Certificate number"), TEXT,
                      record.draft.certificate_number),
                Field("valid_from", self.tr("Certificate valid from"), OPTIONAL_DATE,
                      aliases=("certificate_valid_from",)),
                Field("valid_to", self.tr("Certificate valid to"), OPTIONAL_DATE,
                      aliases=("certificate_valid_to",))]
        fields.append(Field("note", self.tr("Note"), MULTILINE))

        def act(v: dict[str, Any]) -> object:
            return legal.move(org_id, target, expected_version=version, **v)

        self.dialog = open_dialog(self, self.tr("Legal status"), summary, fields, act,
                                  self._moved)
        return self.dialog

    def _moved(self, result: object) -> None:
        if isinstance(result, OrgRecord):
            self.show_record(result)
            self.changed.emit(result.id)
