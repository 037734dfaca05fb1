"""The organization form: add or edit every field of `OrgDraft`.

The layout is forms/org_editor.ui; each input is named after its draft field and has a
`<field>_error` label under it, so `FormErrors` from `OrgDraft.validated` (through the
registration service) land at their field. The credit code is checked as it is typed with
the same rules; a code that fails only its check characters may be kept with a recorded
reason (the 保留原因 field appears then), never silently. Money is typed in 元 and stored
in fen; a bad amount is refused at its field before anything is sent.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import TypeVar

from PySide6.QtCore import QCoreApplication, QDate, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import ConflictError, DuplicateError, FormErrors, ValidationError
from app.domain.orgs.draft import OrgDraft
from app.domain.orgs.kinds import OrgKind, PneForm, ServiceField
from app.domain.orgs.legal_status import LegalStatus
from app.domain.orgs.uscc import parse_uscc
from app.domain.transitions import IllegalTransition
from app.services.orgs import registration
from app.services.orgs.registration import OrgRecord
from app.ui.common import enum_text
from app.ui.common.confirm_discard import reload_after_conflict
from app.ui.common.errors import message_box
from app.ui.common.form_dialog import FormDialog
from app.ui.common.service_text import shown, shown_all
from app.ui.resources import child, load_form

log = logging.getLogger(__name__)

TEXT_FIELDS = ("name", "credit_code", "code_override_reason", "certificate_number",
               "legal_representative", "supervisor_unit", "registration_authority",
               "address", "post_code", "district", "street", "community", "contact_person",
               "contact_phone", "email", "website")
DATE_FIELDS = ("founded_on", "certificate_valid_from", "certificate_valid_to", "legal_on")
FIELD_ORDER = ("name", "kind", "pne_form", "service_field", "founded_on",
               "legal_representative", "capital_fen", "business_scope", "legal_status",
               "legal_on", "credit_code", "code_override_reason", "certificate_number",
               "registration_authority", "supervisor_unit", "certificate_valid_from",
               "certificate_valid_to", "address", "post_code", "district", "street",
               "community", "contact_person", "contact_phone", "email", "website", "remarks")
E = TypeVar("E", bound=StrEnum)
NO_DATE = QDate(1900, 1, 1)  # the minimum of a date edit stands for "not given"
_AMOUNT = re.compile(r"^\d+(\.\d{1,2})?$")
MAX_YUAN = Decimal(10) ** 13

STYLE = """
QLineEdit[invalid="true"], QComboBox[invalid="true"], QDateEdit[invalid="true"],
QPlainTextEdit[invalid="true"] { border: 1px solid #d32f2f; }
QLabel[role="error"] { color: #d32f2f; }
QLabel[role="hint"] { color: #2e7d32; }
QLabel[role="warning"] { color: #b26a00; }
"""


def combo_value(combo: QComboBox, cls: type[E]) -> E | None:
    """The enum member a combo holds (Qt stores a StrEnum as its plain string)."""
    value = combo.currentData()
    return cls(value) if value else None


def to_qdate(day: dt.date | None) -> QDate:
    return NO_DATE if day is None else QDate(day.year, day.month, day.day)


def from_qdate(day: QDate) -> dt.date | None:
    if not day.isValid() or day == NO_DATE:
        return None
    return dt.date(day.year(), day.month(), day.day())


def setup_date_edit(edit: QDateEdit, empty: bool = True) -> None:
    """A date edit that may stay empty: its minimum shows blank; Delete clears it."""
    edit.setMinimumDate(NO_DATE)
    edit.setMaximumDate(QDate(2100, 12, 31))
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setCalendarPopup(True)
    if empty:
        edit.setSpecialValueText(" ")
        edit.setDate(NO_DATE)
        edit.installEventFilter(_DATE_CLEARER)
        edit.setToolTip(QCoreApplication.translate("OrgEditor", "Delete clears the date"))


class _DateClearer(QObject):
    """Delete or Backspace on a date edit with everything selected empties it."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (isinstance(watched, QDateEdit) and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)):
            edit = watched.lineEdit() if hasattr(watched, "lineEdit") else None
            if edit is None or len(edit.selectedText()) >= len(edit.text().strip()) \
                    or watched.date() == NO_DATE:
                watched.setDate(NO_DATE)
                return True
        return False


_DATE_CLEARER = _DateClearer()


def parse_yuan(text: str) -> int | None:
    """An amount in 元 as typed ("30000", "3,000.50", "200元") to fen; "" is None.

    Raises:
        ValueError: not an amount with at most two decimals, or absurdly large.
    """
    clean = text.strip().replace(",", "").replace("，", "").replace(" ", "")
    clean = clean.removesuffix("元")
    if not clean:
        return None
    if not _AMOUNT.match(clean):
        raise ValueError(clean)
    try:
        amount = Decimal(clean)
    except InvalidOperation:
        raise ValueError(clean) from None
    if amount >= MAX_YUAN:
        raise ValueError(clean)
    return int(amount * 100)


def yuan_text(fen: int | None) -> str:
    if fen is None:
        return ""
    yuan, cents = divmod(fen, 100)
    return f"{yuan}" if cents == 0 else f"{yuan}.{cents:02d}"


class OrgEditor(FormDialog):
    """Add (`org_id` None) or edit one organization.

    Signals:
        saved(int): the organization's id after a successful save.
        openExisting(int): the user asked to open the organization a duplicate code
            belongs to.
    """

    field_order = FIELD_ORDER

    saved = Signal(int)
    openExisting = Signal(int)

    def __init__(self, parent: QWidget | None = None, org_id: int | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("OrgEditor")
        self.setStyleSheet(STYLE)
        self.form = load_form("org_editor", self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.form)
        self.record: OrgRecord | None = None
        self._find_widgets()
        self._fill_choices()
        self.clear_errors()
        if org_id is None:
            self.setWindowTitle(self.tr("New organization"))
        else:
            self.load(registration.get(org_id))
        self._connect()
        self._on_kind_changed()
        self._on_legal_changed()
        self.check_code()
        self.mark_clean()
        self.resize(max(self.sizeHint().width(), 980), self.sizeHint().height())
        self.name.setFocus()

    # -- building ----------------------------------------------------------------------

    def _find_widgets(self) -> None:
        f = self.form
        self.inputs: dict[str, QWidget] = {n: child(f, QLineEdit, n) for n in TEXT_FIELDS}
        self.name = child(f, QLineEdit, "name")
        self.credit_code = child(f, QLineEdit, "credit_code")
        self.override = child(f, QLineEdit, "code_override_reason")
        self.override_label = child(f, QLabel, "code_override_reason_label")
        self.capital = child(f, QLineEdit, "capital_fen")
        self.kind = child(f, QComboBox, "kind")
        self.pne_form = child(f, QComboBox, "pne_form")
        self.service_field = child(f, QComboBox, "service_field")
        self.legal_status = child(f, QComboBox, "legal_status")
        self.business_scope = child(f, QPlainTextEdit, "business_scope")
        self.remarks = child(f, QPlainTextEdit, "remarks")
        self.dates = {n: child(f, QDateEdit, n) for n in DATE_FIELDS}
        self.code_hint = child(f, QLabel, "code_hint")
        self.form_message = child(f, QLabel, "form_message")
        self.buttons = child(f, QDialogButtonBox, "button_box")
        self.inputs.update({"capital_fen": self.capital, "kind": self.kind,
                            "pne_form": self.pne_form, "service_field": self.service_field,
                            "legal_status": self.legal_status,
                            "business_scope": self.business_scope, "remarks": self.remarks,
                            **self.dates})
        self.error_labels = {n: child(f, QLabel, f"{n}_error") for n in FIELD_ORDER}
        self.form_message.setProperty("role", "error")
        self.code_hint.setProperty("role", "warning")

    def _fill_choices(self) -> None:
        self.kind.addItem("", None)
        for kind in OrgKind:
            self.kind.addItem(enum_text.label(kind), kind)
        self.pne_form.addItem("", None)
        for form in PneForm:
            self.pne_form.addItem(enum_text.label(form), form)
        self.service_field.addItem("", None)
        for service in ServiceField:
            self.service_field.addItem(enum_text.label(service), service)
        for status in (LegalStatus.UNREGISTERED, LegalStatus.FILED, LegalStatus.REGISTERED):
            self.legal_status.addItem(enum_text.label(status), status)
        for name, edit in self.dates.items():
            setup_date_edit(edit)
            if name != "legal_on":
                edit.calendarWidget().setCurrentPage(dt.date.today().year, 1)

    def _connect(self) -> None:
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.kind.currentIndexChanged.connect(self._on_kind_changed)
        self.legal_status.currentIndexChanged.connect(self._on_legal_changed)
        self.credit_code.textChanged.connect(self.check_code)
        self.override.textChanged.connect(self.check_code)
        self.kind.currentIndexChanged.connect(self.check_code)
        self.capital.textChanged.connect(self.check_capital)
        for name, widget in self.inputs.items():
            if isinstance(widget, QLineEdit) and name not in ("credit_code",
                                                               "code_override_reason",
                                                               "capital_fen"):
                widget.textChanged.connect(lambda _t, n=name: self._clear_error(n))
            elif isinstance(widget, QComboBox):
                widget.currentIndexChanged.connect(lambda _i, n=name: self._clear_error(n))
            elif isinstance(widget, QDateEdit):
                widget.dateChanged.connect(lambda _d, n=name: self._clear_error(n))

    # -- loading and reading -------------------------------------------------------------

    def load(self, record: OrgRecord) -> None:
        """Show `record` for editing (also after a conflict, to start from what is saved)."""
        self.record = record
        d = record.draft
        self.setWindowTitle(self.tr("Edit organization — %1").replace("%1", d.name))
        for name in TEXT_FIELDS:
            child(self.form, QLineEdit, name).setText(getattr(d, name) or "")
        self._set_combo(self.kind, d.kind)
        self._set_combo(self.pne_form, d.pne_form)
        self._set_combo(self.service_field, d.service_field)
        self._set_combo(self.legal_status, record.legal_status)
        self.legal_status.setEnabled(False)  # it moves only through the legal-status dialog
        self.dates["legal_on"].setDate(to_qdate(record.legal_since))
        self.dates["legal_on"].setEnabled(False)
        for name in ("founded_on", "certificate_valid_from", "certificate_valid_to"):
            self.dates[name].setDate(to_qdate(getattr(d, name)))
        self.capital.setText(yuan_text(d.capital_fen))
        self.business_scope.setPlainText(d.business_scope)
        self.remarks.setPlainText(d.remarks)
        self.clear_errors()
        self.check_code()
        self.mark_clean()

    @staticmethod
    def _set_combo(combo: QComboBox, value: object) -> None:
        index = combo.findData(value)
        if index < 0 and value is not None:
            combo.addItem(str(value), value)
            index = combo.count() - 1
        combo.setCurrentIndex(max(index, 0))

    def draft(self) -> OrgDraft:
        """What the form holds, as the service takes it (not yet validated).

        Raises:
            ValidationError: on "capital_fen" when the amount cannot be read.
        """
        values = {name: child(self.form, QLineEdit, name).text() for name in TEXT_FIELDS}
        try:
            capital = parse_yuan(self.capital.text())
        except ValueError:
            raise ValidationError("capital_fen", self._capital_message()) from None
        return OrgDraft(
            **values, kind=combo_value(self.kind, OrgKind),
            pne_form=combo_value(self.pne_form, PneForm),
            service_field=combo_value(self.service_field, ServiceField), capital_fen=capital,
            business_scope=self.business_scope.toPlainText(),
            remarks=self.remarks.toPlainText(),
            founded_on=from_qdate(self.dates["founded_on"].date()),
            certificate_valid_from=from_qdate(self.dates["certificate_valid_from"].date()),
            certificate_valid_to=from_qdate(self.dates["certificate_valid_to"].date()))

    def snapshot(self) -> tuple:
        """Everything typed, to tell whether the form changed since it was loaded."""
        texts = tuple(w.text() for w in self.inputs.values() if isinstance(w, QLineEdit))
        combos = tuple(w.currentIndex() for w in self.inputs.values()
                       if isinstance(w, QComboBox))
        dates = tuple(e.date() for e in self.dates.values())
        return (texts, combos, dates, self.business_scope.toPlainText(),
                self.remarks.toPlainText())

    # -- live checks -----------------------------------------------------------------------

    def _on_kind_changed(self) -> None:
        pne = combo_value(self.kind, OrgKind) is OrgKind.PRIVATE_NON_ENTERPRISE
        self.pne_form.setEnabled(pne)
        if not pne:
            self.pne_form.setCurrentIndex(0)

    def _on_legal_changed(self) -> None:
        if self.record is None:
            self.dates["legal_on"].setEnabled(
                combo_value(self.legal_status, LegalStatus) is not LegalStatus.UNREGISTERED)

    def check_code(self) -> None:
        """Check the credit code as typed with the draft's own rules; show the 保留原因
        field only for a code whose check characters fail."""
        code = self.credit_code.text().strip()
        failing_check = False
        if len(code.replace(" ", "")) >= 18:
            try:
                info = parse_uscc(code, accept_check_failure=True)
                failing_check = bool(info.check_failures)
            except ValidationError:
                pass
        show_override = failing_check or bool(self.override.text().strip())
        self.override.setVisible(show_override)
        self.override_label.setVisible(show_override)
        self.code_hint.clear()
        self.code_hint.hide()
        if not code or len(code.replace(" ", "")) < 18:
            self._set_error("credit_code", "")
            return
        kind = combo_value(self.kind, OrgKind)
        draft = OrgDraft(name="-", kind=kind or OrgKind.SOCIAL_GROUP,
                         credit_code=code, code_override_reason=self.override.text())
        try:
            clean = draft.validated()
        except FormErrors as exc:
            self._set_error("credit_code", shown(exc.errors.get("credit_code", "")))
            return
        self._set_error("credit_code", "")
        warnings = OrgDraft(kind=kind,
                            credit_code=clean.credit_code).warnings()
        if warnings:
            self.code_hint.setText("\n".join(shown(w) for w in warnings))
            self.code_hint.show()

    def _capital_message(self) -> str:
        return self.tr("Type the amount in yuan, e.g. 30000 or 30000.50 (two decimals at "
                       "most).")

    def check_capital(self) -> bool:
        try:
            parse_yuan(self.capital.text())
        except ValueError:
            self._set_error("capital_fen", self._capital_message())
            return False
        self._set_error("capital_fen", "")
        return True

    # -- errors ------------------------------------------------------------------------------

    def show_errors(self, errors: dict[str, str]) -> None:
        """The services' messages in the interface's language; a code the service would
        keep with a reason (its Chinese message asks for 保留原因) opens the reason box."""
        super().show_errors(shown_all(errors))
        if "credit_code" in errors and "保留原因" in errors["credit_code"]:
            self.override.show()
            self.override_label.show()

    # -- saving ------------------------------------------------------------------------------

    def save(self) -> bool:
        """Validate and store through the service; on any refusal nothing is saved."""
        self.clear_errors()
        try:
            draft = self.draft()
            if self.record is None:
                status = combo_value(self.legal_status, LegalStatus) or \
                    LegalStatus.UNREGISTERED
                on = from_qdate(self.dates["legal_on"].date())
                record = registration.create(draft, status, legal_on=on,
                                             authority=draft.registration_authority)
            else:
                record = registration.update(self.record.id, draft, self.record.version)
        except FormErrors as exc:
            self.show_errors(exc.errors)
            return False
        except ValidationError as exc:
            self.show_errors({exc.field: exc.message})
            return False
        except IllegalTransition as exc:
            self.show_errors({"legal_status": exc.message})
            return False
        except DuplicateError as exc:
            self._show_duplicate(exc)
            return False
        except ConflictError as exc:
            self._show_conflict(exc)
            return False
        log.info("organization %s saved", record.id)
        self.record = record
        self.mark_clean()
        self.saved.emit(record.id)
        self.accept()
        return True

    def _show_duplicate(self, exc: DuplicateError) -> None:
        self._set_error("credit_code", shown(exc.message))
        self.credit_code.setFocus()
        box = message_box(self, QMessageBox.Icon.Warning, self.tr("Already registered"),
                          shown(exc.message), QMessageBox.StandardButton.Close)
        if exc.existing.isdigit():
            existing = int(exc.existing)
            button = box.addButton(self.tr("Open that organization"),
                                   QMessageBox.ButtonRole.AcceptRole)
            box.setDefaultButton(button)
            button.clicked.connect(lambda: self._open_existing(existing))
        self.message_box = box

    def _open_existing(self, org_id: int) -> None:
        self.mark_clean()  # leaving on purpose: no "discard?" question
        self.openExisting.emit(org_id)
        self.reject()

    def _show_conflict(self, exc: ConflictError) -> None:
        assert self.record is not None
        text = self.tr("%1\nThe form now shows the organization as the other person saved "
                       "it; please make your changes again.").replace("%1", shown(str(exc)))
        record_id = self.record.id
        box = reload_after_conflict(self, text, lambda: self.load(registration.get(record_id)),
                                    self.tr("Changed by someone else"))
        if box is not None:
            self.message_box = box

    # -- leaving -----------------------------------------------------------------------------

