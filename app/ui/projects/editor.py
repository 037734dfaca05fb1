"""The project form: add or edit every field of `ProjectDraft`.

The layout is forms/project_editor.ui; each input is named after its draft field and has a
`<field>_error` label under it, so `FormErrors` from `ProjectDraft.validated` (through the
registration service) land at their field. The contractor is picked from the organization
register; one that is not in good standing (`registration.contractor_problems`) is shown
with its problems in red and can be kept only with a reason typed in the 理由 box. Money is
typed in 元 and read with the domain's `parse_yuan`, whose Chinese message stays at the
field; a service term beyond three years is noted in amber, not refused.
"""

from __future__ import annotations

import datetime as dt
import logging

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import ConflictError, FormErrors, NotFoundError, ValidationError
from app.domain.projects.draft import ProjectDraft
from app.domain.projects.kinds import PurchaseMethod
from app.domain.projects.money import chinese_capitals, parse_yuan
from app.services.projects import registration
from app.services.projects.registration import ContractorWarning, ProjectRecord
from app.ui.common import enum_text
from app.ui.common.confirm_discard import reload_after_conflict
from app.ui.common.errors import show_error
from app.ui.common.form_dialog import FormDialog
from app.ui.common.service_text import shown, shown_all
from app.ui.orgs.editor import STYLE, combo_value, from_qdate, setup_date_edit, to_qdate
from app.ui.projects.pickers import ContractorCompleter, org_choice_text
from app.ui.resources import child, load_form

log = logging.getLogger(__name__)

TEXT_FIELDS = ("name", "service_area", "target_group", "lead", "finance_lead", "evaluator")
MONEY_FIELDS = ("budget_fen", "contract_amount_fen")
DATE_FIELDS = ("signed_on", "starts_on", "ends_on")
FIELD_ORDER = ("name", "purchaser_id", "method", "contractor_id", "service_area",
               "target_group", "lead", "finance_lead", "evaluator", "budget_fen",
               "contract_amount_fen", "signed_on", "starts_on", "ends_on", "content",
               "remarks")
RED = "#c62828"


def yuan_input(fen: int | None) -> str:
    """Fen as typed back into a 元 field: 1234.5 → "1234.50", whole yuan without decimals."""
    if fen is None:
        return ""
    yuan, cents = divmod(fen, 100)
    return f"{yuan}" if cents == 0 else f"{yuan}.{cents:02d}"


class ProjectEditor(FormDialog):
    """Add (`project_id` None) or edit one project.

    Signals:
        saved(int): the project's id after a successful save.
    """

    field_order = FIELD_ORDER

    saved = Signal(int)

    def __init__(self, parent: QWidget | None = None, project_id: int | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ProjectEditor")
        self.setStyleSheet(STYLE)
        self.form = load_form("project_editor", self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.form)
        self.record: ProjectRecord | None = None
        self.problems: tuple[str, ...] = ()
        self._find_widgets()
        self.contractor = ContractorCompleter(self.contractor_edit)
        self._fill_choices()
        self.clear_errors()
        if project_id is None:
            self.setWindowTitle(self.tr("New project"))
            self._show_problems()
        else:
            self.load(registration.get(project_id))
        self._connect()
        self._update_notes()
        self.mark_clean()
        self.resize(max(self.sizeHint().width(), 940), self.sizeHint().height())
        self.name.setFocus()

    # -- building ----------------------------------------------------------------------

    def _find_widgets(self) -> None:
        f = self.form
        self.inputs: dict[str, QWidget] = {n: child(f, QLineEdit, n) for n in TEXT_FIELDS}
        self.name = child(f, QLineEdit, "name")
        self.purchaser = child(f, QComboBox, "purchaser_id")
        self.method = child(f, QComboBox, "method")
        self.contractor_edit = child(f, QLineEdit, "contractor_id")
        self.contractor_problems = child(f, QLabel, "contractor_problems")
        self.reason = child(f, QLineEdit, "contractor_reason")
        self.reason_label = child(f, QLabel, "contractor_reason_label")
        self.money = {n: child(f, QLineEdit, n) for n in MONEY_FIELDS}
        self.capitals = child(f, QLabel, "capitals")
        self.dates = {n: child(f, QDateEdit, n) for n in DATE_FIELDS}
        self.term_note = child(f, QLabel, "term_note")
        self.content = child(f, QPlainTextEdit, "content")
        self.remarks = child(f, QPlainTextEdit, "remarks")
        self.form_message = child(f, QLabel, "form_message")
        self.buttons = child(f, QDialogButtonBox, "button_box")
        self.inputs.update({"purchaser_id": self.purchaser, "method": self.method,
                            "contractor_id": self.contractor_edit,
                            "contractor_reason": self.reason, **self.money, **self.dates,
                            "content": self.content, "remarks": self.remarks})
        self.error_labels = {n: child(f, QLabel, f"{n}_error") for n in FIELD_ORDER}
        self.error_labels["contractor_reason"] = child(f, QLabel, "contractor_reason_error")
        self.form_message.setProperty("role", "error")
        self.contractor_problems.setStyleSheet(f"color: {RED}; font-weight: bold")
        self.term_note.setProperty("role", "warning")
        self.capitals.setProperty("role", "hint")

    def _fill_choices(self) -> None:
        self.purchaser.addItem("", None)
        for row in registration.purchasers():
            self.purchaser.addItem(row.name, row.id)
        self.method.addItem("", None)
        for method in PurchaseMethod:
            self.method.addItem(enum_text.label(method), method)
        for edit in self.dates.values():
            setup_date_edit(edit)
            edit.calendarWidget().setCurrentPage(dt.date.today().year, dt.date.today().month)

    def _connect(self) -> None:
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.contractor.chosen.connect(self._on_contractor_chosen)
        self.reason.textChanged.connect(lambda _t: self._clear_error("contractor_id"))
        for name, edit in self.money.items():
            edit.textChanged.connect(lambda _t, n=name: self.check_money(n))
        for name, widget in self.inputs.items():
            if isinstance(widget, QLineEdit) and name in TEXT_FIELDS:
                widget.textChanged.connect(lambda _t, n=name: self._clear_error(n))
            elif isinstance(widget, QComboBox):
                widget.currentIndexChanged.connect(lambda _i, n=name: self._clear_error(n))
            elif isinstance(widget, QDateEdit):
                widget.dateChanged.connect(lambda _d, n=name: self._clear_error(n))
                widget.dateChanged.connect(lambda _d: self._update_notes())

    # -- loading and reading -------------------------------------------------------------

    def load(self, record: ProjectRecord) -> None:
        """Show `record` for editing (also after a conflict, to start from what is saved)."""
        self.record = record
        d = record.draft
        self.setWindowTitle(self.tr("Edit project — %1 %2").replace(
            "%1", record.number).replace("%2", d.name))
        for name in TEXT_FIELDS:
            child(self.form, QLineEdit, name).setText(getattr(d, name) or "")
        if self.purchaser.findData(d.purchaser_id) < 0:  # a retired department
            self.purchaser.addItem(record.purchaser_name, d.purchaser_id)
        self.purchaser.setCurrentIndex(max(self.purchaser.findData(d.purchaser_id), 0))
        self.method.setCurrentIndex(max(self.method.findData(d.method), 0))
        self.contractor.blockSignals(True)
        self.contractor.set_choice(d.contractor_id, org_choice_text(
            record.contractor_name, record.contractor_code))
        self.contractor.blockSignals(False)
        for name in MONEY_FIELDS:
            self.money[name].setText(yuan_input(getattr(d, name)))
        for name in DATE_FIELDS:
            self.dates[name].setDate(to_qdate(getattr(d, name)))
        self.content.setPlainText(d.content)
        self.remarks.setPlainText(d.remarks)
        self.reason.clear()
        self.clear_errors()
        self._show_problems()
        self._update_notes()
        self.mark_clean()

    def _money(self, name: str, errors: dict[str, str]) -> int | None:
        text = self.money[name].text().strip()
        if not text:
            return None
        try:
            return parse_yuan(text, name)
        except ValidationError as exc:
            errors[name] = exc.message
            return None

    def draft(self) -> ProjectDraft:
        """What the form holds, as the service takes it (not yet validated).

        Raises:
            FormErrors: on the money fields when an amount cannot be read, together with
                whatever else the draft's own checks find.
        """
        errors: dict[str, str] = {}
        budget = self._money("budget_fen", errors)
        amount = self._money("contract_amount_fen", errors)
        draft = ProjectDraft(
            **{n: child(self.form, QLineEdit, n).text() for n in TEXT_FIELDS},
            purchaser_id=self.purchaser.currentData(),
            contractor_id=self.contractor.org_id,
            method=combo_value(self.method, PurchaseMethod),
            budget_fen=budget, contract_amount_fen=amount,
            signed_on=from_qdate(self.dates["signed_on"].date()),
            starts_on=from_qdate(self.dates["starts_on"].date()),
            ends_on=from_qdate(self.dates["ends_on"].date()),
            content=self.content.toPlainText(), remarks=self.remarks.toPlainText())
        if errors:
            try:
                draft.validated()
            except FormErrors as exc:
                raise FormErrors({**exc.errors, **errors}) from None
            raise FormErrors(errors)
        return draft

    def snapshot(self) -> tuple:
        """Everything typed, to tell whether the form changed since it was loaded."""
        texts = tuple(w.text() for w in self.inputs.values() if isinstance(w, QLineEdit))
        combos = tuple(w.currentIndex() for w in self.inputs.values()
                       if isinstance(w, QComboBox))
        dates = tuple(e.date() for e in self.dates.values())
        return (texts, combos, dates, self.content.toPlainText(),
                self.remarks.toPlainText(), self.contractor.org_id)

    # -- live checks -----------------------------------------------------------------------

    def _contractor_changed(self) -> bool:
        return self.record is None or \
            self.contractor.org_id != self.record.draft.contractor_id

    def _on_contractor_chosen(self, _org_id: object) -> None:
        self._clear_error("contractor_id")
        self._show_problems()

    def _show_problems(self) -> None:
        """The chosen organization's standing, in red at the field; the 理由 box when it
        must be confirmed."""
        org_id = self.contractor.org_id
        try:
            self.problems = registration.contractor_problems(org_id)
        except FormErrors as exc:
            self.problems = ()
            self._set_error("contractor_id", shown(exc.errors.get("contractor_id", "")))
        text = ""
        if self.problems:
            text = "⚠ " + "\n⚠ ".join(shown(p) for p in self.problems)
            if not self._contractor_changed() and self.record is not None \
                    and self.record.contractor_warning:
                text += "\n" + self.tr("Confirmed when chosen: %1").replace(
                    "%1", self.record.contractor_warning)
        self.contractor_problems.setText(text)
        self.contractor_problems.setVisible(bool(text))
        needs_reason = bool(self.problems) and self._contractor_changed()
        self.reason.setVisible(needs_reason)
        self.reason_label.setVisible(needs_reason)
        if not needs_reason:
            self._set_error("contractor_reason", "")
        if text:
            QTimer.singleShot(0, self._grow)

    def check_money(self, name: str) -> bool:
        text = self.money[name].text().strip()
        message = ""
        if text:
            try:
                parse_yuan(text, name)
            except ValidationError as exc:
                message = shown(exc.message)
        self._set_error(name, message)
        self._update_notes()
        return not message

    def _update_notes(self) -> None:
        """The contract amount in 大写, and the draft's warnings (a term beyond three
        years) in amber."""
        capitals = ""
        text = self.money["contract_amount_fen"].text().strip()
        if text:
            try:
                capitals = chinese_capitals(parse_yuan(text))
            except ValidationError:
                capitals = ""
        self.capitals.setText(capitals)
        self.capitals.setVisible(bool(capitals))
        warnings = ProjectDraft(starts_on=from_qdate(self.dates["starts_on"].date()),
                                ends_on=from_qdate(self.dates["ends_on"].date())).warnings()
        self.term_note.setText("\n".join(shown(w) for w in warnings))
        self.term_note.setVisible(bool(warnings))

    def show_errors(self, errors: dict[str, str]) -> None:
        """The services' messages in the interface's language, at their fields."""
        super().show_errors(shown_all(errors))

    # -- saving ------------------------------------------------------------------------------

    def save(self) -> bool:
        """Validate and store through the service; on any refusal nothing is saved."""
        self.clear_errors()
        reason = self.reason.text() if self.reason.isVisibleTo(self) else ""
        try:
            draft = self.draft()
            if self.record is None:
                record = registration.create(draft, contractor_reason=reason)
            else:
                record = registration.update(self.record.id, draft, self.record.version,
                                             contractor_reason=reason)
        except ContractorWarning as exc:
            self._show_contractor_warning(exc)
            return False
        except FormErrors as exc:
            self.show_errors(exc.errors)
            return False
        except ValidationError as exc:
            self.show_errors({exc.field: exc.message})
            return False
        except ConflictError as exc:
            self._show_conflict(exc)
            return False
        except NotFoundError as exc:
            show_error(self, exc)
            return False
        log.info("project %s saved", record.id)
        self.record = record
        self.mark_clean()
        self.saved.emit(record.id)
        self.accept()
        return True

    def _show_contractor_warning(self, exc: ContractorWarning) -> None:
        self.problems = exc.problems
        self._show_problems()
        self.reason.setVisible(True)
        self.reason_label.setVisible(True)
        self.show_errors({"contractor_id": exc.message})
        self.reason.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_conflict(self, exc: ConflictError) -> None:
        assert self.record is not None
        text = self.tr("%1\nThe form now shows the project as the other person saved it; "
                       "please make your changes again.").replace("%1", shown(str(exc)))
        record_id = self.record.id
        box = reload_after_conflict(self, text, lambda: self.load(registration.get(record_id)),
                                    self.tr("Changed by someone else"))
        if box is not None:
            self.message_box = box

    # -- leaving -----------------------------------------------------------------------------

