"""The 积分与爱心超市 (points and charity shop) area: goods and their stock, redemptions
and their undo, and the reconciliation (账物相符).

The catalogue and the redemption list are small (hundreds of rows), so each tab reads its
rows through the shop services into a `RowsModel`; everything that changes stock or points
goes through a dialog that calls one service function, then the tabs re-read.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.services.points import redemptions as redemption_list
from app.services.points import shop
from app.services.points.redemptions import RedemptionSummary
from app.services.points.shop import GoodRow, ReconRow
from app.ui.common.pdf_preview import PdfPreviewDialog
from app.ui.common.row_table import Col, RowsModel, table_view
from app.ui.points.shop_dialogs import (
    GoodDialog,
    ReasonDialog,
    RedeemDialog,
    StockDialog,
    preview_receipt,
)

REDEMPTIONS_SHOWN = 500


def local_text(utc: dt.datetime) -> str:
    return shop.local_time(utc).strftime("%Y-%m-%d %H:%M")


class ShopPage(QWidget):
    """Three tabs: goods, redemptions, reconciliation; 兑换 opens the redeem dialog.

    Signals:
        statusMessage(str): a short note for the main window's status bar.
    """

    statusMessage = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ShopPage")
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._goods_tab(), self.tr("Goods"))
        self.tabs.addTab(self._redemptions_tab(), self.tr("Redemptions"))
        self.tabs.addTab(self._reconciliation_tab(), self.tr("Reconciliation"))
        self.tabs.currentChanged.connect(lambda _index: self.refresh())
        top = QHBoxLayout()
        heading = QLabel(self.tr("Points and charity shop"))
        heading.setStyleSheet("font-size: 15pt; font-weight: bold")
        self.redeem_button = QPushButton(self.tr("Redeem…"), self)
        self.redeem_button.setStyleSheet("font-weight: bold; padding: 4px 16px")
        self.redeem_button.clicked.connect(self.open_redeem)
        top.addWidget(heading)
        top.addStretch(1)
        top.addWidget(self.redeem_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        self.refresh()

    # -- goods ----------------------------------------------------------------------------

    def _goods_tab(self) -> QWidget:
        tab = QWidget(self)
        yes, no = self.tr("Yes"), self.tr("No")
        self.goods: RowsModel[GoodRow] = RowsModel([
            Col(self.tr("Name"), lambda g: g.name),
            Col(self.tr("Unit"), lambda g: g.unit),
            Col(self.tr("Points price"), lambda g: g.points_price, True),
            Col(self.tr("Stock"), lambda g: g.stock, True),
            Col(self.tr("On sale"), lambda g: yes if g.active else no)], self)
        self.goods_view = table_view(self.goods, tab)
        self.goods_view.setColumnWidth(0, 200)
        self.goods_view.selectionModel().currentRowChanged.connect(
            lambda *_: self._update_goods_buttons())
        self.show_inactive = QCheckBox(self.tr("Show goods off sale"), tab)
        self.show_inactive.toggled.connect(lambda _on: self.refresh_goods())
        bar = QHBoxLayout()
        self.new_button = self._button(bar, self.tr("New good…"), lambda: self.open_good(None))
        self.edit_button = self._button(bar, self.tr("Edit…"), self.edit_good)
        self.receive_button = self._button(bar, self.tr("Receive…"),
                                           lambda: self.open_stock(False))
        self.write_off_button = self._button(bar, self.tr("Write off…"),
                                             lambda: self.open_stock(True))
        self.deactivate_button = self._button(bar, self.tr("Take off sale…"), self.toggle_active)
        bar.addStretch(1)
        bar.addWidget(self.show_inactive)
        layout = QVBoxLayout(tab)
        layout.addLayout(bar)
        layout.addWidget(self.goods_view, 1)
        return tab

    def _button(self, bar: QHBoxLayout, text: str, slot: object) -> QPushButton:
        button = QPushButton(text, self)
        button.clicked.connect(slot)
        bar.addWidget(button)
        return button

    def refresh_goods(self) -> None:
        current = self.current_good()
        self.goods.set_rows(shop.list_goods(include_inactive=self.show_inactive.isChecked()))
        if current is not None:
            for number, good in enumerate(self.goods.rows):
                if good.id == current.id:
                    self.goods_view.selectRow(number)
        self._update_goods_buttons()

    def current_good(self) -> GoodRow | None:
        return self.goods.row(self.goods_view.currentIndex().row())

    def select_good(self, good_id: int) -> None:
        for number, good in enumerate(self.goods.rows):
            if good.id == good_id:
                self.goods_view.selectRow(number)

    def _update_goods_buttons(self) -> None:
        good = self.current_good()
        for button in (self.edit_button, self.receive_button, self.write_off_button,
                       self.deactivate_button):
            button.setEnabled(good is not None)
        self.write_off_button.setEnabled(good is not None and good.stock > 0)
        self.deactivate_button.setText(self.tr("Put back on sale…") if good and not good.active
                                       else self.tr("Take off sale…"))

    def open_good(self, good: GoodRow | None) -> GoodDialog:
        dialog = GoodDialog(self, good)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.succeeded.connect(self._changed)
        dialog.open()
        return dialog

    def edit_good(self) -> GoodDialog | None:
        good = self.current_good()
        return None if good is None else self.open_good(good)

    def open_stock(self, write_off: bool) -> StockDialog | None:
        good = self.current_good()
        if good is None:
            return None
        dialog = StockDialog(self, good, write_off)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.succeeded.connect(self._changed)
        dialog.open()
        return dialog

    def toggle_active(self) -> ReasonDialog | None:
        good = self.current_good()
        if good is None:
            return None
        active = not good.active
        title = self.tr("Put back on sale") if active else self.tr("Take off sale")
        summary = self.tr("“%1” can no longer be redeemed; its stock and history stay.") \
            if not active else self.tr("“%1” can be redeemed again.")
        dialog = ReasonDialog(self, title, summary.replace("%1", good.name),
                              lambda reason: shop.set_active(good.id, active, reason))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.succeeded.connect(self._changed)
        dialog.open()
        return dialog

    def _changed(self, _result: object = None) -> None:
        self.refresh()
        self.statusMessage.emit(self.tr("Saved."))

    # -- redemptions ----------------------------------------------------------------------

    def _redemptions_tab(self) -> QWidget:
        tab = QWidget(self)
        done, undone = self.tr("Done"), self.tr("Undone")
        self.redemptions: RowsModel[RedemptionSummary] = RowsModel([
            Col(self.tr("No."), lambda r: r.number),
            Col(self.tr("Time"), lambda r: local_text(r.at)),
            Col(self.tr("Volunteer no."), lambda r: r.volunteer_number),
            Col(self.tr("Name"), lambda r: r.volunteer_name),
            Col(self.tr("Points"), lambda r: r.total_points, True),
            Col(self.tr("Status"), lambda r: undone if r.reversed else done),
            Col(self.tr("Handled by"), lambda r: r.actor),
            Col(self.tr("Undo reason"), lambda r: r.reason)], self,
            flagged=lambda r: r.reversed)
        self.redemptions_view = table_view(self.redemptions, tab)
        for column, width in enumerate((120, 130, 100, 80, 60, 60, 90)):
            self.redemptions_view.setColumnWidth(column, width)
        self.redemptions_view.selectionModel().currentRowChanged.connect(
            lambda *_: self._update_redemption_buttons())
        self.redemption_search = QLineEdit(tab)
        self.redemption_search.setClearButtonEnabled(True)
        self.redemption_search.setPlaceholderText(
            self.tr("Redemption no., volunteer no. or name"))
        self.redemption_search.returnPressed.connect(self.refresh_redemptions)
        bar = QHBoxLayout()
        bar.addWidget(self.redemption_search, 1)
        self.undo_button = self._button(bar, self.tr("Undo redemption…"), self.open_undo)
        self.receipt_button = self._button(bar, self.tr("Receipt…"), self.show_receipt)
        layout = QVBoxLayout(tab)
        layout.addLayout(bar)
        layout.addWidget(self.redemptions_view, 1)
        return tab

    def refresh_redemptions(self) -> None:
        self.redemptions.set_rows(redemption_list.recent(
            0, REDEMPTIONS_SHOWN, self.redemption_search.text()))
        self._update_redemption_buttons()

    def current_redemption(self) -> RedemptionSummary | None:
        return self.redemptions.row(self.redemptions_view.currentIndex().row())

    def _update_redemption_buttons(self) -> None:
        current = self.current_redemption()
        self.undo_button.setEnabled(current is not None and not current.reversed)
        self.receipt_button.setEnabled(current is not None)

    def open_undo(self) -> ReasonDialog | None:
        current = self.current_redemption()
        if current is None:
            return None
        summary = self.tr("Undo %1 of %2 %3: the goods go back to stock and %4 points back "
                          "to the volunteer.").replace("%1", current.number).replace(
            "%2", current.volunteer_number).replace("%3", current.volunteer_name).replace(
            "%4", str(current.total_points))
        dialog = ReasonDialog(self, self.tr("Undo redemption"), summary,
                              lambda reason: shop.undo_redemption(current.id, reason))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.succeeded.connect(self._changed)
        dialog.open()
        return dialog

    def show_receipt(self) -> PdfPreviewDialog | None:
        """The selected redemption's receipt again, to print or save."""
        current = self.current_redemption()
        return None if current is None else preview_receipt(self, current.id, current.number)

    def open_redeem(self) -> RedeemDialog:
        dialog = RedeemDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.redeemed.connect(lambda _result: self.refresh())
        dialog.open()
        return dialog

    # -- reconciliation -------------------------------------------------------------------

    def _reconciliation_tab(self) -> QWidget:
        tab = QWidget(self)

        self.recon: RowsModel[ReconRow] = RowsModel([
            Col(self.tr("Good"), lambda r: r.name),
            Col(self.tr("Received"), lambda r: self._goods_value(r, r.received), True),
            Col(self.tr("Issued"), lambda r: self._goods_value(r, r.issued), True),
            Col(self.tr("Returned"), lambda r: self._goods_value(r, r.returned), True),
            Col(self.tr("Written off"), lambda r: self._goods_value(r, r.written_off), True),
            Col(self.tr("Expected stock"), lambda r: self._goods_value(r, r.expected_stock),
                True),
            Col(self.tr("Stock"), lambda r: self._goods_value(r, r.stock), True),
            Col(self.tr("On redemptions"),
                lambda r: self._goods_value(r, r.issued_by_redemptions), True),
            Col(self.tr("Points charged"), lambda r: r.points_charged, True),
            Col(self.tr("Ledger points"),
                lambda r: "" if r.good_id is not None else r.ledger_points, True),
            Col(self.tr("Differences"), lambda r: "；".join(r.differences) or self.tr("Agrees"))],
            self, flagged=lambda r: not r.ok)
        self.recon_view = table_view(self.recon, tab)
        self.recon_view.setWordWrap(True)
        self.recon_summary = QLabel(tab)
        self.recon_summary.setObjectName("recon_summary")
        self.recon_summary.setWordWrap(True)
        check = QPushButton(self.tr("Check again"), tab)
        check.clicked.connect(self.refresh_reconciliation)
        bar = QHBoxLayout()
        bar.addWidget(self.recon_summary, 1)
        bar.addWidget(check)
        layout = QVBoxLayout(tab)
        layout.addLayout(bar)
        layout.addWidget(self.recon_view, 1)
        return tab

    @staticmethod
    def _goods_value(row: ReconRow, value: int) -> int | str:
        """The points row (good_id None) has no stock figures: leave them blank."""
        return value if row.good_id is not None else ""

    def refresh_reconciliation(self) -> None:
        rows = shop.reconciliation()
        self.recon.set_rows(rows)
        for column in range(self.recon.columnCount() - 1):
            self.recon_view.resizeColumnToContents(column)
        self.recon_view.resizeRowsToContents()
        wrong = [r for r in rows if not r.ok]
        if wrong:
            self.recon_summary.setStyleSheet("color: #c62828; font-weight: bold")
            self.recon_summary.setText(self.tr("%n line(s) do not agree: see the rows in red.",
                                               "", len(wrong)))
        else:
            self.recon_summary.setStyleSheet("color: #2e7d32; font-weight: bold")
            self.recon_summary.setText(self.tr("Goods, stock movements and points agree."))

    # -- all ------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Re-read what the tabs show (after a change here or at another desk)."""
        self.refresh_goods()
        self.refresh_redemptions()
        self.refresh_reconciliation()
