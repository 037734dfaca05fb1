"""The 资金 tab: the payment plan and what was paid on it, the payments, and the
budget-execution lines (财政资金 / 单位资金 / 其他资金) the project report prints.

设置付款计划… edits the tranches as a whole; 登记付款… records one payment, and an
over-payment is refused by the service with the figures (contract, paid, this payment),
shown at the amount field. Tranches past due and not fully paid are drawn in red.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import FormErrors, ValidationError
from app.domain.projects.lifecycle import PAYABLE
from app.domain.projects.money import format_yuan, parse_yuan
from app.services.projects import money
from app.services.projects.money import (
    BUDGET_SOURCES,
    BudgetLineDraft,
    BudgetLineRow,
    PaymentLine,
    TrancheLine,
)
from app.services.projects.registration import ProjectRecord
from app.ui.common.errors import show_error, user_message
from app.ui.common.row_table import Col, RowsModel, table_view
from app.ui.common.service_text import shown, shown_all
from app.ui.orgs.dialogs import CHOICE, DATE, MONEY, TEXT, Field, FieldDialog
from app.ui.projects.dialogs import TranchePlanDialog, open_field_dialog, open_plan
from app.ui.projects.editor import yuan_input

RED = "#c62828"


def percent(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}%"


def number(value: Decimal | None) -> str:
    return "" if value is None else f"{value.normalize():f}"


def day(value: object) -> str:
    return value.isoformat() if value is not None and hasattr(value, "isoformat") else ""


def _section(text: str, parent: QWidget) -> QLabel:
    label = QLabel(f"<b>{text}</b>", parent)
    return label


class MoneyTab(QWidget):
    """Signals:
        changed(): a plan, a payment or the budget lines were saved.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("money_tab")
        self.record: ProjectRecord | None = None
        self.dialog: FieldDialog | None = None
        self.plan_dialog: TranchePlanDialog | None = None
        self.budget_dialog: BudgetLinesDialog | None = None
        self.summary = QLabel(self)
        self.summary.setObjectName("money_summary")
        self.summary.setWordWrap(True)
        self.bar = QProgressBar(self)
        self.bar.setObjectName("money_bar")
        self.bar.setRange(0, 1000)
        self.bar.setTextVisible(False)
        self.bar.setMaximumHeight(10)
        self.tranche_model: RowsModel[TrancheLine] = RowsModel([
            Col(self.tr("No."), lambda t: t.seq, True),
            Col(self.tr("Planned"), lambda t: format_yuan(t.planned_fen), True),
            Col(self.tr("Share"), lambda t: percent(t.share), True),
            Col(self.tr("Condition"), lambda t: t.condition),
            Col(self.tr("Due"), lambda t: day(t.due_on)),
            Col(self.tr("Paid"), lambda t: format_yuan(t.paid_fen) if t.paid_fen else "", True),
            Col(self.tr("Paid on"), lambda t: day(t.paid_on)),
            Col(self.tr("Status"), lambda t: t.status_label + (
                self.tr(" (overdue)") if t.overdue else ""))],
            self, flagged=lambda t: t.overdue)
        self.tranches = table_view(self.tranche_model, self)
        self.tranches.setObjectName("tranches")
        self.payment_model: RowsModel[PaymentLine] = RowsModel([
            Col(self.tr("Date"), lambda p: day(p.paid_on)),
            Col(self.tr("Amount"), lambda p: format_yuan(p.amount_fen), True),
            Col(self.tr("Tranche"), lambda p: p.tranche_seq or ""),
            Col(self.tr("By"), lambda p: p.actor),
            Col(self.tr("Note"), lambda p: p.note)], self)
        self.payments = table_view(self.payment_model, self)
        self.payments.setObjectName("payments")
        self.budget_model: RowsModel[BudgetLineRow] = RowsModel([
            Col(self.tr("Source"), lambda b: b.source_label),
            Col(self.tr("Initial budget"), lambda b: format_yuan(b.initial_fen), True),
            Col(self.tr("Adjusted (A)"), lambda b: format_yuan(b.adjusted_fen), True),
            Col(self.tr("Executed (B)"), lambda b: format_yuan(b.executed_fen), True),
            Col(self.tr("Rate B/A"), lambda b: percent(b.rate), True),
            Col(self.tr("Weight"), lambda b: number(b.weight), True),
            Col(self.tr("Score"), lambda b: number(b.score), True),
            Col(self.tr("Reason"), lambda b: b.reason)], self)
        self.budget = table_view(self.budget_model, self)
        self.budget.setObjectName("budget_lines")
        self.plan_button = QPushButton(self.tr("Payment plan…"), self)
        self.plan_button.setObjectName("set_plan")
        self.plan_button.clicked.connect(self.open_plan)
        self.pay_button = QPushButton(self.tr("Record payment…"), self)
        self.pay_button.setObjectName("record_payment")
        self.pay_button.clicked.connect(self.open_payment)
        self.budget_button = QPushButton(self.tr("Budget lines…"), self)
        self.budget_button.setObjectName("edit_budget")
        self.budget_button.clicked.connect(self.open_budget)
        buttons = QHBoxLayout()
        for button in (self.plan_button, self.pay_button, self.budget_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.bar)
        layout.addLayout(buttons)
        layout.addWidget(_section(self.tr("Payment plan"), self))
        layout.addWidget(self.tranches, 3)
        layout.addWidget(_section(self.tr("Payments"), self))
        layout.addWidget(self.payments, 2)
        layout.addWidget(_section(self.tr("Budget execution"), self))
        layout.addWidget(self.budget, 2)

    def show_project(self, record: ProjectRecord) -> None:
        self.record = record
        s = money.summary(record.id)
        parts = [self.tr("Budget %1").replace("%1", format_yuan(s.budget_fen))]
        if s.contract_fen is not None:
            parts.append(self.tr("contract %1").replace("%1", format_yuan(s.contract_fen)))
        parts.append(self.tr("paid %1").replace("%1", format_yuan(s.paid_fen)))
        if s.remaining_fen is not None:
            parts.append(self.tr("to pay %1").replace("%1", format_yuan(s.remaining_fen)))
        if s.paid_share is not None:
            parts.append(percent(s.paid_share))
        self.summary.setText(" · ".join(parts))
        self.bar.setValue(int(min(s.paid_share or 0, 100) * 10))
        self.bar.setVisible(s.contract_fen is not None)
        self.tranche_model.set_rows(money.tranches(record.id))
        self.payment_model.set_rows(money.payments(record.id))
        self.budget_model.set_rows(money.budget_lines(record.id))
        for view in (self.tranches, self.payments, self.budget):
            view.resizeColumnsToContents()
        self.pay_button.setEnabled(record.status in PAYABLE
                                   and record.draft.contract_amount_fen is not None)

    # -- dialogs ---------------------------------------------------------------------------

    def open_plan(self) -> TranchePlanDialog | None:
        record = self.record
        if record is None:
            return None
        self.plan_dialog = open_plan(self, record.id, record.draft.contract_amount_fen)
        self.plan_dialog.saved.connect(self.changed)
        return self.plan_dialog

    def open_payment(self) -> FieldDialog | None:
        """登记付款: amount, date, which tranche (the first not fully paid by default)."""
        record = self.record
        if record is None:
            return None
        project_id = record.id
        choices: list[tuple[str, Any]] = [(self.tr("First tranche not fully paid"), None)]
        for t in money.tranches(project_id):
            choices.append((self.tr("Tranche %1: %2 planned, %3 paid").replace(
                "%1", str(t.seq)).replace("%2", format_yuan(t.planned_fen)).replace(
                "%3", format_yuan(t.paid_fen)), t.id))
        s = money.summary(project_id)
        summary = self.tr("%1 %2 — contract %3, paid %4, at most %5 more.").replace(
            "%1", record.number).replace("%2", record.name).replace(
            "%3", format_yuan(s.contract_fen or 0)).replace(
            "%4", format_yuan(s.paid_fen)).replace("%5", format_yuan(s.remaining_fen or 0))

        def act(v: dict[str, Any]) -> PaymentLine:
            return money.pay(project_id, v["amount_fen"], v["paid_on"], v["tranche_id"],
                             v["note"])

        self.dialog = open_field_dialog(self, self.tr("Record payment"), summary, [
            Field("amount_fen", self.tr("Amount (yuan)"), MONEY, aliases=("amount",)),
            Field("paid_on", self.tr("Paid on"), DATE),
            Field("tranche_id", self.tr("Tranche"), CHOICE, None, choices),
            Field("note", self.tr("Note"), TEXT)], act, lambda _r: self.changed.emit())
        return self.dialog

    def open_budget(self) -> BudgetLinesDialog | None:
        if self.record is None:
            return None
        dialog = BudgetLinesDialog(self.record.id, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self.changed)
        self.budget_dialog = dialog
        dialog.open()
        return dialog


class BudgetLinesDialog(QDialog):
    """The budget-execution table's rows: 年初预算, 调整后预算, 执行数 (empty: the paid total
    for 财政资金), 权重, 得分 and the reason for a deviation, one row per source of funds.

    Signals:
        saved(): the lines were stored.
    """

    saved = Signal()
    KEYS = ("initial", "adjusted", "executed", "weight", "score", "reason")

    def __init__(self, project_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("BudgetLinesDialog")
        self.setWindowTitle(self.tr("Budget execution"))
        self.project_id = project_id
        self.inputs: dict[str, dict[str, QLineEdit]] = {}
        grid = QGridLayout()
        titles = (self.tr("Initial budget"), self.tr("Adjusted (A)"),
                  self.tr("Executed (B)"), self.tr("Weight"), self.tr("Score"),
                  self.tr("Reason"))
        for column, title in enumerate(titles):
            grid.addWidget(QLabel(f"<b>{title}</b>", self), 0, column + 1)
        current = {row.source: row for row in money.budget_lines(project_id)}
        for line, (source, label) in enumerate(BUDGET_SOURCES.items(), start=1):
            grid.addWidget(QLabel(label, self), line, 0)
            row = current.get(source)
            values = ("", "", "", "", "", "") if row is None else (
                yuan_input(row.initial_fen), yuan_input(row.adjusted_fen),
                yuan_input(row.executed_fen), number(row.weight), number(row.score), row.reason)
            edits = {}
            for column, (key, value) in enumerate(zip(self.KEYS, values, strict=True)):
                edit = QLineEdit(value, self)
                edit.setObjectName(f"{source}_{key}")
                if key in ("weight", "score"):
                    edit.setMaximumWidth(70)
                edits[key] = edit
                grid.addWidget(edit, line, column + 1)
            edits["executed"].setPlaceholderText(
                self.tr("paid so far") if source == "fiscal" else "0")
            self.inputs[source] = edits
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Amounts in yuan. Leave a source empty if the "
                                        "project has no such funds."), self))
        layout.addLayout(grid)
        self.message = QLabel(self)
        self.message.setObjectName("error")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {RED}")
        self.message.hide()
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(max(self.sizeHint().width(), 820), self.sizeHint().height())

    def _fen(self, label: str, key: str, text: str) -> int | None:
        if not text:
            return None
        try:
            return parse_yuan(text, key)
        except ValidationError as exc:
            raise ValidationError(key, self.tr("%1: %2").replace("%1", label).replace(
                "%2", shown(exc.message))) from None

    def _decimal(self, label: str, key: str, text: str) -> Decimal | None:
        if not text:
            return None
        try:
            return Decimal(text)
        except InvalidOperation:
            raise ValidationError(key, self.tr("%1: type a number, e.g. 20.").replace(
                "%1", label)) from None

    def drafts(self) -> list[BudgetLineDraft]:
        """The sources with anything typed, as the service takes them.

        Raises:
            ValidationError: an amount or a number that cannot be read (named by source).
        """
        out = []
        for source, edits in self.inputs.items():
            texts = {k: e.text().strip() for k, e in edits.items()}
            if not any(texts.values()):
                continue
            label = BUDGET_SOURCES[source]
            out.append(BudgetLineDraft(
                source=source,
                initial_fen=self._fen(label, "initial_fen", texts["initial"]) or 0,
                adjusted_fen=self._fen(label, "adjusted_fen", texts["adjusted"]),
                executed_fen=self._fen(label, "executed_fen", texts["executed"]),
                weight=self._decimal(label, "weight", texts["weight"]),
                score=self._decimal(label, "score", texts["score"]), reason=texts["reason"]))
        return out

    def error_text(self) -> str:
        return self.message.text() if not self.message.isHidden() else ""

    def submit(self) -> bool:
        self.message.hide()
        try:
            money.set_budget_lines(self.project_id, self.drafts())
        except FormErrors as exc:
            self.message.setText("\n".join(shown_all(exc.errors).values()))
            self.message.show()
            return False
        except ValidationError as exc:
            self.message.setText(shown(exc.message))
            self.message.show()
            return False
        except Exception as exc:
            text = user_message(exc)
            if text is None:
                show_error(self, exc)
                return False
            self.message.setText(text)
            self.message.show()
            return False
        self.saved.emit()
        self.accept()
        return True
