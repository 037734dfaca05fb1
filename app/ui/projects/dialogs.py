"""Dialogs of the project area that are more than a few fields: the purchaser list and the
payment plan.

Small one-call dialogs (a move, a payment, a milestone, an evaluation) reuse the
organizations' `FieldDialog`, which shows what the service refuses at its field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import FormErrors, ValidationError
from app.domain.projects.money import format_yuan, parse_yuan
from app.services.projects import money, registration
from app.services.projects.registration import PurchaserRow
from app.ui.common.errors import show_error, user_message
from app.ui.common.row_table import Col, RowsModel, table_view
from app.ui.common.service_text import shown
from app.ui.orgs.dialogs import TEXT, Field, FieldDialog
from app.ui.orgs.editor import from_qdate, setup_date_edit, to_qdate
from app.ui.projects.editor import yuan_input

RED = "#c62828"
MIN_WIDTH = 520


class ProjectFieldDialog(FieldDialog):
    """The organizations' FieldDialog, a little wider, that grows when a message appears
    under a field, so a long refusal (an over-payment's figures) is never squeezed."""

    def __init__(self, parent: QWidget | None, title: str, summary: str,
                 fields: Sequence[Field], action: Callable[[dict[str, Any]], object]) -> None:
        super().__init__(parent, title, summary, fields, action)
        self.resize(max(self.width(), MIN_WIDTH), self.height())

    def show_errors(self, errors: dict[str, str]) -> None:
        super().show_errors(errors)
        QTimer.singleShot(0, self._grow)

    def _grow(self) -> None:
        wanted = self.sizeHint().height()
        if wanted > self.height():
            self.resize(self.width(), wanted)


def open_field_dialog(parent: QWidget, title: str, summary: str, fields: Sequence[Field],
                      action: Callable[[dict[str, Any]], object],
                      on_success: Callable[[object], None] | None = None,
                      cls: type[ProjectFieldDialog] = ProjectFieldDialog) -> ProjectFieldDialog:
    """Build, connect and `open()` a dialog of `fields` (deleted on close)."""
    dialog = cls(parent, title, summary, fields, action)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if on_success is not None:
        dialog.succeeded.connect(on_success)
    dialog.open()
    return dialog


class PurchaserDialog(QDialog):
    """购买主体: the purchasing departments projects may name. Retired ones stay on old
    projects but are no longer offered for new ones.

    Signals:
        changed(): the list was changed.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PurchaserDialog")
        self.setWindowTitle(self.tr("Purchasers"))
        self.dialog: FieldDialog | None = None
        self.model: RowsModel[PurchaserRow] = RowsModel([
            Col(self.tr("Department"), lambda p: p.name),
            Col(self.tr("Contact"), lambda p: p.contact),
            Col(self.tr("Phone"), lambda p: p.phone),
            Col(self.tr("In use"), lambda p: self.tr("yes") if p.active else self.tr("retired"))],
            self, flagged=lambda p: not p.active)
        self.view = table_view(self.model, self)
        self.view.setObjectName("purchasers")
        self.view.doubleClicked.connect(lambda _i: self.edit_current())
        self.view.selectionModel().selectionChanged.connect(lambda *_a: self._update())
        self.add_button = QPushButton(self.tr("Add…"), self)
        self.add_button.clicked.connect(lambda: self.open_edit(None))
        self.edit_button = QPushButton(self.tr("Rename…"), self)
        self.edit_button.clicked.connect(self.edit_current)
        self.retire_button = QPushButton(self.tr("Retire"), self)
        self.retire_button.setObjectName("retire")
        self.retire_button.clicked.connect(self.toggle_current)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        row = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.retire_button):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(row)
        self.reload()
        self.resize(620, 400)

    def reload(self, keep_id: int | None = None) -> None:
        self.model.set_rows(registration.purchasers(include_inactive=True))
        self.view.resizeColumnsToContents()
        for number, row in enumerate(self.model.rows):
            if row.id == keep_id:
                self.view.selectRow(number)
        self._update()

    def current(self) -> PurchaserRow | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row(rows[0].row()) if rows else None

    def _update(self) -> None:
        row = self.current()
        self.edit_button.setEnabled(row is not None)
        self.retire_button.setEnabled(row is not None)
        self.retire_button.setText(self.tr("Put back in use") if row is not None
                                   and not row.active else self.tr("Retire"))

    def open_edit(self, row: PurchaserRow | None) -> FieldDialog:
        """Add a department (`row` None) or rename one / change its contact."""
        fields = [Field("name", self.tr("Department"), TEXT, row.name if row else ""),
                  Field("contact", self.tr("Contact"), TEXT, row.contact if row else ""),
                  Field("phone", self.tr("Phone"), TEXT, row.phone if row else "")]

        def act(v: dict[str, Any]) -> PurchaserRow:
            return registration.save_purchaser(
                v["name"], v["contact"], v["phone"], purchaser_id=row.id if row else None,
                active=row.active if row else True)

        title = self.tr("Rename purchaser") if row else self.tr("New purchaser")
        self.dialog = open_field_dialog(self, title, "", fields, act, self._saved)
        return self.dialog

    def edit_current(self) -> FieldDialog | None:
        row = self.current()
        return None if row is None else self.open_edit(row)

    def toggle_current(self) -> PurchaserRow | None:
        """Retire the selected department, or put a retired one back in use."""
        row = self.current()
        if row is None:
            return None
        try:
            saved = registration.save_purchaser(row.name, row.contact, row.phone,
                                                purchaser_id=row.id, active=not row.active)
        except Exception as exc:
            show_error(self, exc)
            return None
        self._saved(saved)
        return saved

    def _saved(self, result: object) -> None:
        self.reload(result.id if isinstance(result, PurchaserRow) else None)
        self.changed.emit()


# --- the payment plan ---------------------------------------------------------------------


class TranchePlanDialog(QDialog):
    """设置付款计划: the tranches of a project, each an amount or a share of the contract,
    a condition (e.g. 中期评估合格后) and a due date. Saved as a whole.

    Signals:
        saved(): the plan was stored.
    """

    saved = Signal()

    def __init__(self, project_id: int, contract_fen: int | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("TranchePlanDialog")
        self.setWindowTitle(self.tr("Payment plan"))
        self.project_id = project_id
        self.contract_fen = contract_fen
        self.rows: list[dict[str, QWidget]] = []
        layout = QVBoxLayout(self)
        summary = QLabel(self.tr("Contract amount: %1. Give each tranche an amount, or a "
                                 "share of the contract in percent.").replace(
            "%1", format_yuan(contract_fen) if contract_fen is not None else self.tr(
                "not set")), self)
        summary.setWordWrap(True)
        layout.addWidget(summary)
        self.grid = QGridLayout()
        titles = (self.tr("Amount (yuan)"), self.tr("or share %"), self.tr("Condition"),
                  self.tr("Due on"))
        for column, title in enumerate(titles):
            self.grid.addWidget(QLabel(f"<b>{title}</b>", self), 0, column + 1)
        layout.addLayout(self.grid)
        self.total = QLabel(self)
        self.total.setObjectName("plan_total")
        layout.addWidget(self.total)
        self.message = QLabel(self)
        self.message.setObjectName("error")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {RED}")
        self.message.hide()
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(self.tr("Add tranche"), self)
        self.add_button.clicked.connect(self._add_empty_row)
        self.remove_button = QPushButton(self.tr("Remove last"), self)
        self.remove_button.clicked.connect(self.remove_last)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        buttons.addWidget(self.buttons)
        layout.addLayout(buttons)
        existing = money.tranches(project_id)
        for line in existing:
            self.add_row(None if line.share is not None else line.planned_fen, line.share,
                         line.condition, line.due_on)
        if not existing:
            self.add_row()
        self.resize(max(self.sizeHint().width(), 720), self.sizeHint().height())

    def add_row(self, planned_fen: int | None = None, share: Decimal | None = None,
                condition: str = "", due_on: dt.date | None = None) -> dict[str, QWidget]:
        seq = len(self.rows) + 1
        amount = QLineEdit(yuan_input(planned_fen), self)
        amount.setObjectName(f"amount_{seq}")
        share_edit = QLineEdit("" if share is None else f"{share.normalize():f}", self)
        share_edit.setObjectName(f"share_{seq}")
        share_edit.setMaximumWidth(80)
        cond = QLineEdit(condition, self)
        cond.setObjectName(f"condition_{seq}")
        cond.setPlaceholderText(self.tr("e.g. after the mid-term review"))
        due = QDateEdit(self)
        due.setObjectName(f"due_{seq}")
        setup_date_edit(due)
        due.setDate(to_qdate(due_on))
        label = QLabel(self.tr("Tranche %1").replace("%1", str(seq)), self)
        row: dict[str, QWidget] = {"label": label, "amount": amount, "share": share_edit,
                                   "condition": cond, "due": due}
        for column, key in enumerate(("label", "amount", "share", "condition", "due")):
            self.grid.addWidget(row[key], seq, column)
        amount.textChanged.connect(lambda _t: self._show_total())
        share_edit.textChanged.connect(lambda _t: self._show_total())
        self.rows.append(row)
        self._show_total()
        return row

    def _add_empty_row(self) -> None:
        self.add_row()

    def remove_last(self) -> None:
        if not self.rows:
            return
        for widget in self.rows.pop().values():
            self.grid.removeWidget(widget)
            widget.deleteLater()
        self._show_total()

    def set_row(self, number: int, amount: str = "", share: str = "", condition: str = "",
                due_on: dt.date | None = None) -> None:
        """Fill tranche `number` (1-based; tests and prefills)."""
        while len(self.rows) < number:
            self.add_row()
        row = self.rows[number - 1]
        assert isinstance(row["amount"], QLineEdit) and isinstance(row["share"], QLineEdit)
        assert isinstance(row["condition"], QLineEdit) and isinstance(row["due"], QDateEdit)
        row["amount"].setText(amount)
        row["share"].setText(share)
        row["condition"].setText(condition)
        row["due"].setDate(to_qdate(due_on))

    def drafts(self) -> list[money.TrancheDraft]:
        """The rows as the service takes them.

        Raises:
            ValidationError: an amount or a share that cannot be read (named by tranche).
        """
        out = []
        for seq, row in enumerate(self.rows, start=1):
            amount, share, cond, due = (row["amount"], row["share"], row["condition"],
                                        row["due"])
            assert isinstance(amount, QLineEdit) and isinstance(share, QLineEdit)
            assert isinstance(cond, QLineEdit) and isinstance(due, QDateEdit)
            planned = None
            if amount.text().strip():
                try:
                    planned = parse_yuan(amount.text(), "planned_fen")
                except ValidationError as exc:
                    raise ValidationError("", self.tr("Tranche %1: %2").replace(
                        "%1", str(seq)).replace("%2", shown(exc.message))) from None
            percent = None
            if share.text().strip():
                try:
                    percent = Decimal(share.text().strip().rstrip("%％"))
                except InvalidOperation:
                    raise ValidationError("", self.tr(
                        "Tranche %1: the share is a percentage, e.g. 40.").replace(
                            "%1", str(seq))) from None
            out.append(money.TrancheDraft(planned_fen=planned, share=percent,
                                          condition=cond.text().strip(),
                                          due_on=from_qdate(due.date())))
        return out

    def _show_total(self) -> None:
        try:
            drafts = self.drafts()
        except ValidationError:
            self.total.setText("")
            return
        fen = 0
        for draft in drafts:
            if draft.planned_fen is not None:
                fen += draft.planned_fen
            elif draft.share is not None and self.contract_fen is not None:
                fen += int(self.contract_fen * draft.share / 100)
        text = self.tr("Planned in total: %1").replace("%1", format_yuan(fen))
        if self.contract_fen is not None and fen != self.contract_fen:
            text += " " + self.tr("(contract %1)").replace("%1", format_yuan(self.contract_fen))
        self.total.setText(text)

    def error_text(self) -> str:
        return self.message.text() if not self.message.isHidden() else ""

    def _show(self, errors: Sequence[str]) -> None:
        self.message.setText("\n".join(shown(e) for e in errors))
        self.message.setVisible(bool(errors))

    def submit(self) -> bool:
        self._show(())
        try:
            money.set_tranches(self.project_id, self.drafts())
        except FormErrors as exc:
            self._show(list(exc.errors.values()))
            return False
        except ValidationError as exc:
            self._show([exc.message])
            return False
        except Exception as exc:
            text = user_message(exc)
            if text is None:
                show_error(self, exc)
            else:
                self._show([text])
            return False
        self.saved.emit()
        self.accept()
        return True


def open_plan(parent: QWidget, project_id: int, contract_fen: int | None) -> TranchePlanDialog:
    dialog = TranchePlanDialog(project_id, contract_fen, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
