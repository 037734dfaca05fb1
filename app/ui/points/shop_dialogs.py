"""Dialogs of the 爱心超市 (charity shop) area and the small table model its lists share.

Every dialog calls one service function and shows a refusal in its own red line (the
service's Chinese sentence), so staff fix the input without losing it; only bugs reach the
error box. Dialogs open with `open()`, never `exec()`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import (
    QCoreApplication,
    Qt,
    Signal,
)
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.volunteer import Status
from app.services.points import ledger as points
from app.services.points import shop
from app.services.points.shop import GoodRow, RedemptionResult
from app.services.volunteers import listing as volunteer_list
from app.services.volunteers.listing import VolunteerFilter
from app.ui.common.edits import edited_signal
from app.ui.common.errors import show_error, user_message
from app.ui.common.pdf_preview import PdfPreviewDialog
from app.ui.common.row_table import Col, RowsModel
from app.ui.resources import child, load_form


def preview_receipt(parent: QWidget | None, redemption_id: int, number: str
                    ) -> PdfPreviewDialog | None:
    """A redemption's receipt in the preview, to print or save (a reprint is the same)."""
    try:
        pdf = shop.receipt_pdf(redemption_id)
    except Exception as exc:  # a user error or a bug, show_error tells which
        show_error(parent, exc)
        return None
    dialog = PdfPreviewDialog(pdf, QCoreApplication.translate("ShopDialogs", "Receipt %1")
                              .replace("%1", number), parent, f"{number}.pdf")
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


class ServiceDialog(QDialog):
    """A dialog whose OK runs one service call; a refusal stays in the dialog in red.

    Signals:
        succeeded(object): the service's result, after which the dialog closes.
    """

    succeeded = Signal(object)

    def __init__(self, parent: QWidget | None, title: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.layout_ = QVBoxLayout(self)
        self.form = QFormLayout()
        self.layout_.addLayout(self.form)
        self.error = QLabel(self)
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c62828")
        self.layout_.addWidget(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.layout_.addWidget(self.buttons)
        self._fields_wired = False

    def call(self) -> object:
        raise NotImplementedError

    def showEvent(self, event: QShowEvent) -> None:
        """The first field takes the focus (staff type the reason at once), and a red refusal
        goes away as soon as any field is edited: it described the old input."""
        super().showEvent(event)
        if self._fields_wired:
            return
        self._fields_wired = True
        fields = [self.form.itemAt(i, QFormLayout.ItemRole.FieldRole)
                  for i in range(self.form.rowCount())]
        widgets = [w for item in fields if item is not None and (w := item.widget()) is not None]
        editable = [(w, signal) for w in widgets if (signal := edited_signal(w)) is not None]
        for _widget, signal in editable:
            signal.connect(self._clear_error)
        if editable:
            editable[0][0].setFocus(Qt.FocusReason.OtherFocusReason)

    def _clear_error(self, *_args: object) -> None:
        self.error.clear()

    def submit(self) -> bool:
        """Run the service call; True if it succeeded (and the dialog closed)."""
        try:
            result = self.call()
        except Exception as exc:  # user errors stay here, bugs go to the box
            message = user_message(exc)
            if message is None:
                show_error(self, exc)
            else:
                self.error.setText(message)
            return False
        self.succeeded.emit(result)
        self.accept()
        return True


class GoodDialog(ServiceDialog):
    """新增商品 / 编辑: name, unit and point price (stock only moves by receive/write-off)."""

    def __init__(self, parent: QWidget | None, good: GoodRow | None = None) -> None:
        super().__init__(parent, self.tr("New good") if good is None else self.tr("Edit good"))
        self.good = good
        self.name = QLineEdit(good.name if good else "", self)
        self.unit = QLineEdit(good.unit if good else self.tr("piece"), self)
        self.price = QSpinBox(self)
        self.price.setRange(1, 1_000_000)
        self.price.setValue(good.points_price if good else 10)
        self.form.addRow(self.tr("Name"), self.name)
        self.form.addRow(self.tr("Unit"), self.unit)
        self.form.addRow(self.tr("Points price"), self.price)
        self.resize(360, self.sizeHint().height())

    def call(self) -> GoodRow:
        if self.good is None:
            return shop.create_good(self.name.text(), self.price.value(), self.unit.text())
        return shop.update_good(self.good.id, self.name.text(), self.price.value(),
                                self.unit.text(), self.good.version)


class StockDialog(ServiceDialog):
    """入库 (receive) or 报损 (write off): a quantity and a reason."""

    def __init__(self, parent: QWidget | None, good: GoodRow, write_off: bool) -> None:
        title = self.tr("Write off stock") if write_off else self.tr("Receive stock")
        super().__init__(parent, title)
        self.good, self.write_off = good, write_off
        self.form.addRow(QLabel(self.tr("%1 — in stock: %2 %3").replace("%1", good.name)
                                .replace("%2", str(good.stock)).replace("%3", good.unit)))
        self.quantity = QSpinBox(self)
        self.quantity.setRange(1, 1_000_000)
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText(
            self.tr("Required: damaged, expired, lost…") if write_off
            else self.tr("Donated by, bought from… (optional)"))
        self.form.addRow(self.tr("Quantity"), self.quantity)
        self.form.addRow(self.tr("Reason"), self.reason)
        self.resize(380, self.sizeHint().height())

    def call(self) -> GoodRow:
        if self.write_off:
            return shop.write_off(self.good.id, self.quantity.value(), self.reason.text())
        return shop.receive(self.good.id, self.quantity.value(), self.reason.text())


class ReasonDialog(ServiceDialog):
    """A question that needs a written reason (undo a redemption, take a good off sale)."""

    def __init__(self, parent: QWidget | None, title: str, summary: str,
                 action: Callable[[str], object]) -> None:
        super().__init__(parent, title)
        self.action = action
        note = QLabel(summary, self)
        note.setWordWrap(True)
        self.form.addRow(note)
        self.reason = QLineEdit(self)
        self.form.addRow(self.tr("Reason"), self.reason)
        self.resize(420, self.sizeHint().height())

    def call(self) -> object:
        return self.action(self.reason.text())


@dataclass
class CartLine:
    good: GoodRow
    quantity: int

    @property
    def points(self) -> int:
        return self.good.points_price * self.quantity


class RedeemDialog(QDialog):
    """兑换: pick a volunteer, add goods with quantities, see the total and the balance
    after, confirm. The service refuses as a whole; its sentence shows in red here.

    Receipt… previews the receipt, to print or save it.

    Signals:
        redeemed(object): the `RedemptionResult`, after a successful redemption.
    """

    redeemed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Redeem points"))
        self.form = load_form("redeem_form", self)
        QVBoxLayout(self).addWidget(self.form)
        f = self.form
        self.search = child(f, QLineEdit, "volunteer_search")
        self.volunteer_choice = child(f, QComboBox, "volunteer_choice")
        self.balance_label = child(f, QLabel, "balance_label")
        self.good_choice = child(f, QComboBox, "good_choice")
        self.quantity = child(f, QSpinBox, "quantity")
        self.lines_view = child(f, QTableView, "lines_view")
        self.total_label = child(f, QLabel, "total_label")
        self.message = child(f, QLabel, "message")
        self.buttons = child(f, QDialogButtonBox, "button_box")
        child(f, QGroupBox, "volunteer_box")
        child(f, QPushButton, "find_button").clicked.connect(self.find_volunteer)
        child(f, QPushButton, "add_button").clicked.connect(self.add_current)
        child(f, QPushButton, "remove_button").clicked.connect(self.remove_current)
        self.search.returnPressed.connect(self.find_volunteer)
        self.volunteer_choice.currentIndexChanged.connect(self._show_balance)
        self.confirm_button = self.buttons.addButton(
            self.tr("Confirm redemption"), QDialogButtonBox.ButtonRole.ActionRole)
        self.confirm_button.clicked.connect(self.confirm)
        self.receipt_button = self.buttons.addButton(
            self.tr("Receipt…"), QDialogButtonBox.ButtonRole.ActionRole)
        self.receipt_button.clicked.connect(self.show_receipt)
        self.receipt_button.setEnabled(False)
        self.buttons.rejected.connect(self.reject)
        self.cart: list[CartLine] = []
        self.balance = 0
        self.redemption: RedemptionResult | None = None
        self.model: RowsModel[CartLine] = RowsModel([
            Col(self.tr("Good"), lambda c: c.good.name),
            Col(self.tr("Unit"), lambda c: c.good.unit),
            Col(self.tr("Points each"), lambda c: c.good.points_price, True),
            Col(self.tr("Quantity"), lambda c: c.quantity, True),
            Col(self.tr("Points"), lambda c: c.points, True)], self)
        self.lines_view.setModel(self.model)
        self.lines_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.lines_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.lines_view.verticalHeader().hide()
        self.lines_view.horizontalHeader().setStretchLastSection(True)
        self.lines_view.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, 5):
            self.lines_view.setColumnWidth(column, 80)
        self._load_goods()
        self.resize(600, 560)
        self._show_balance()

    def _load_goods(self) -> None:
        """Read goods and stock afresh (another desk may have redeemed or written stock off
        since the dialog opened), keeping the chosen good and the cart's quantities."""
        chosen = self.good_choice.currentData()
        chosen_id = chosen.id if isinstance(chosen, GoodRow) else None
        fresh = {good.id: good for good in shop.list_goods()}
        self.good_choice.blockSignals(True)
        self.good_choice.clear()
        for good in fresh.values():
            self.good_choice.addItem(self.tr("%1 — %2 points/%3 (in stock %4)")
                                     .replace("%1", good.name)
                                     .replace("%2", str(good.points_price))
                                     .replace("%3", good.unit).replace("%4", str(good.stock)),
                                     good)
            if good.id == chosen_id:
                self.good_choice.setCurrentIndex(self.good_choice.count() - 1)
        self.good_choice.blockSignals(False)
        for line in self.cart:
            line.good = fresh.get(line.good.id, line.good)
        self.model.set_rows(self.cart)

    # -- volunteer ----------------------------------------------------------------------

    def find_volunteer(self) -> int:
        """Look the text up as the volunteer list does; returns the number of matches."""
        text = self.search.text().strip()
        self.volunteer_choice.clear()
        if not text:
            return 0
        rows = volunteer_list.page(VolunteerFilter(text=text, statuses=(str(Status.ACTIVE),)),
                                   0, 50)
        for row in rows:
            self.volunteer_choice.addItem(f"{row.number}  {row.name}  {row.community}", row.id)
        if not rows:
            self.balance_label.setText(self.tr("No active volunteer matches “%1”.")
                                       .replace("%1", text))
        return len(rows)

    def choose_volunteer(self, volunteer_id: int, label: str) -> None:
        self.volunteer_choice.clear()
        self.volunteer_choice.addItem(label, volunteer_id)

    def volunteer_id(self) -> int | None:
        value = self.volunteer_choice.currentData()
        return int(value) if value is not None else None

    def _show_balance(self) -> None:
        vid = self.volunteer_id()
        self.balance = points.balance(vid) if vid is not None else 0
        if vid is not None:
            self.balance_label.setText(self.tr("Points balance: %1").replace(
                "%1", str(self.balance)))
        elif not self.balance_label.text():
            self.balance_label.setText(self.tr("Find the volunteer by number or name."))
        self._show_total()

    # -- goods --------------------------------------------------------------------------

    def add(self, good: GoodRow, quantity: int) -> None:
        for line in self.cart:
            if line.good.id == good.id:
                line.quantity += quantity
                break
        else:
            self.cart.append(CartLine(good, quantity))
        self._load_goods()
        self._show_total()

    def add_current(self) -> None:
        good = self.good_choice.currentData()
        if isinstance(good, GoodRow):
            self.add(good, self.quantity.value())

    def remove_current(self) -> None:
        row = self.lines_view.currentIndex().row()
        if 0 <= row < len(self.cart):
            del self.cart[row]
            self.model.set_rows(self.cart)
            self._show_total()

    def total(self) -> int:
        return sum(line.points for line in self.cart)

    def _show_total(self) -> None:
        """The total and what stands in its way, said before anyone presses confirm: the
        button stays off while the points or the stock do not reach."""
        if self.redemption is None:
            self.message.clear()
        total = self.total()
        after = self.balance - total
        short_stock = [line for line in self.cart if line.quantity > line.good.stock]
        problem = ""
        if self.volunteer_id() is not None and after < 0:
            problem = self.tr("Not enough points: %1 short.").replace("%1", str(-after))
        elif short_stock:
            line = short_stock[0]
            problem = self.tr("Not enough %1 in stock: %2 %3 left.").replace(
                "%1", line.good.name).replace("%2", str(line.good.stock)).replace(
                "%3", line.good.unit)
        text = self.tr("Total: %1 points; balance after: %2").replace(
            "%1", str(total)).replace("%2", str(max(after, 0)))
        self.total_label.setText(f"{text}\n{problem}" if problem else text)
        self.total_label.setStyleSheet("color: #c62828" if problem else "")
        self.confirm_button.setEnabled(
            self.redemption is None and bool(self.cart) and self.volunteer_id() is not None
            and not problem)

    # -- confirm ------------------------------------------------------------------------

    def confirm(self) -> bool:
        """Redeem everything in the list at once; True on success."""
        vid = self.volunteer_id()
        if vid is None or not self.cart:
            return False
        try:
            result = shop.redeem(vid, [(c.good.id, c.quantity) for c in self.cart])
        except Exception as exc:  # refusals stay in the dialog
            message = user_message(exc)
            if message is None:
                show_error(self, exc)
            else:
                self._load_goods()         # the refusal may be news from another desk
                self._show_balance()
                self.message.setStyleSheet("color: #c62828")
                self.message.setText(message)
            return False
        self.redemption = result
        self.message.setStyleSheet("color: #2e7d32")
        self.message.setText(self.tr("Redeemed: %1, %2 points; balance now %3.")
                             .replace("%1", result.number)
                             .replace("%2", str(result.total_points))
                             .replace("%3", str(result.balance_after)))
        self.balance = result.balance_after + result.total_points  # "after" stays true
        self.balance_label.setText(self.tr("Points balance: %1").replace(
            "%1", str(result.balance_after)))
        self._load_goods()
        self.confirm_button.setEnabled(False)
        self.receipt_button.setEnabled(True)
        self.redeemed.emit(result)
        return True

    def show_receipt(self) -> PdfPreviewDialog | None:
        result = self.redemption
        return None if result is None else preview_receipt(self, result.id, result.number)
