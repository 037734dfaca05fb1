"""The 积分与爱心超市 page: goods and stock, a redemption through the dialog, a refusal
that changes nothing, undo, and a reconciliation that flags an injected difference."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QFileDialog

from app.services.points import ledger as points
from app.services.points import shop
from app.services.volunteers import demo
from app.store.models import Good, Volunteer
from app.ui.points.page import ShopPage
from app.ui.points.shop_dialogs import RedeemDialog


@pytest.fixture
def volunteer(register) -> Volunteer:
    demo.generate(3, seed=41)
    v = Volunteer.select().order_by(Volunteer.id).first()
    Volunteer.update(approved_minutes=10 * 60, status="active").where(
        Volunteer.id == v.id).execute()
    points.bonus(v.id, 100, "测试积分")
    return Volunteer.get_by_id(v.id)


@pytest.fixture
def goods(register) -> dict[str, int]:
    rice = shop.create_good("大米", 44, "袋")
    oil = shop.create_good("食用油", 30, "桶")
    shop.receive(rice.id, 5, "捐赠")
    shop.receive(oil.id, 2, "采购")
    return {"rice": rice.id, "oil": oil.id}


@pytest.fixture
def shop_page(qtbot, register) -> ShopPage:
    widget = ShopPage()
    qtbot.addWidget(widget)
    widget.resize(1100, 650)
    widget.show()
    return widget


def good_rows(page: ShopPage) -> dict[str, tuple]:
    return {g.name: (g.points_price, g.stock, g.active) for g in page.goods.rows}


def fill(dialog: RedeemDialog, volunteer: Volunteer, wanted: dict[int, int]) -> None:
    dialog.search.setText(volunteer.number)
    assert dialog.find_volunteer() == 1
    for index in range(dialog.good_choice.count()):
        good = dialog.good_choice.itemData(index)
        if good.id in wanted:
            dialog.good_choice.setCurrentIndex(index)
            dialog.quantity.setValue(wanted[good.id])
            dialog.add_current()


def test_models_pass_the_tester(qtmodeltester, goods, volunteer, shop_page):
    shop.redeem(volunteer.id, [(goods["rice"], 1)])
    shop_page.refresh()
    for model in (shop_page.goods, shop_page.redemptions, shop_page.recon):
        assert model.rowCount() > 0
        qtmodeltester.check(model)


def test_goods_dialogs_receive_and_write_off(goods, shop_page):
    assert good_rows(shop_page)["大米"] == (44, 5, True)
    shop_page.select_good(goods["rice"])
    dialog = shop_page.open_stock(write_off=True)
    assert dialog is not None
    dialog.quantity.setValue(9)
    dialog.reason.setText("受潮")
    assert not dialog.submit() and "库存" in dialog.error.text()   # only 5 in stock
    dialog.quantity.setValue(2)
    assert dialog.submit()
    assert good_rows(shop_page)["大米"][1] == 3
    shop_page.select_good(goods["rice"])
    receive = shop_page.open_stock(write_off=False)
    assert receive is not None
    receive.quantity.setValue(10)
    assert receive.submit()
    assert good_rows(shop_page)["大米"][1] == 13
    new = shop_page.open_good(None)
    new.name.setText("大米")                     # taken
    assert not new.submit() and new.error.text()
    new.name.setText("毛巾")
    new.price.setValue(8)
    assert new.submit()
    assert good_rows(shop_page)["毛巾"] == (8, 0, True)


def test_redemption_through_the_dialog(goods, volunteer, shop_page, monkeypatch, tmp_path):
    dialog = shop_page.open_redeem()
    fill(dialog, volunteer, {goods["rice"]: 1, goods["oil"]: 1})
    assert dialog.model.rowCount() == 2 and dialog.total() == 74
    assert "26" in dialog.total_label.text()                # balance after
    assert dialog.confirm()
    assert points.balance(volunteer.id) == 26
    assert good_rows(shop_page)["大米"][1] == 4 and good_rows(shop_page)["食用油"][1] == 1
    assert shop_page.redemptions.rowCount() == 1
    target = tmp_path / "receipt.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a: (str(target), ""))
    preview = dialog.show_receipt()                         # preview, then print or save
    assert preview is not None and preview.save() == target
    assert target.read_bytes().startswith(b"%PDF")
    preview.close()
    shop_page.redemptions_view.selectRow(0)                 # a reprint from the list
    again = shop_page.show_receipt()
    assert again is not None and again.pdf.startswith(b"%PDF")
    assert dialog.redemption is not None and dialog.redemption.number in again.windowTitle()
    again.close()
    dialog.close()


def test_refusal_beyond_the_balance_changes_nothing(goods, volunteer, shop_page):
    dialog = shop_page.open_redeem()
    fill(dialog, volunteer, {goods["rice"]: 3})              # 132 points > 100
    assert not dialog.confirm_button.isEnabled()             # said before confirming
    assert "32 short" in dialog.total_label.text()
    assert "-32" not in dialog.total_label.text()
    assert not dialog.confirm()                              # the service refuses too
    assert "积分不足" in dialog.message.text()
    assert dialog.isVisible()
    dialog.lines_view.selectRow(0)
    dialog.remove_current()
    fill(dialog, volunteer, {goods["rice"]: 2})              # 88 points: fixed
    assert dialog.message.text() == "" and "short" not in dialog.total_label.text()
    assert dialog.confirm_button.isEnabled()
    assert points.balance(volunteer.id) == 100
    assert shop.get_good(goods["rice"]).stock == 5
    assert shop_page.redemptions.rowCount() == 0
    dialog.close()


def test_stock_taken_by_another_desk_shows_before_confirming(goods, volunteer, shop_page):
    dialog = shop_page.open_redeem()
    other = Volunteer.select().where(Volunteer.id != volunteer.id).first()
    points.bonus(other.id, 500, "测试积分")
    shop.redeem(other.id, [(goods["oil"], 2)])                # the last two, elsewhere
    fill(dialog, volunteer, {goods["oil"]: 1})
    assert "Not enough 食用油 in stock: 0 桶 left." in dialog.total_label.text()
    assert not dialog.confirm_button.isEnabled()
    texts = [dialog.good_choice.itemText(i) for i in range(dialog.good_choice.count())]
    assert any("食用油" in t and "in stock 0" in t for t in texts)
    dialog.close()


def test_undo_restores_stock_and_points(goods, volunteer, shop_page):
    shop.redeem(volunteer.id, [(goods["rice"], 2)])
    shop_page.refresh()
    shop_page.redemptions_view.selectRow(0)
    dialog = shop_page.open_undo()
    assert dialog is not None
    assert not dialog.submit() and dialog.error.text()     # a reason is required
    dialog.reason.setText("拿错了")
    assert dialog.submit()
    assert points.balance(volunteer.id) == 100
    assert good_rows(shop_page)["大米"][1] == 5
    assert shop_page.redemptions.rows[0].reversed
    assert not shop_page.undo_button.isEnabled()


def test_reconciliation_flags_an_injected_difference(goods, volunteer, shop_page):
    shop.redeem(volunteer.id, [(goods["oil"], 1)])
    shop_page.refresh_reconciliation()
    assert all(r.ok for r in shop_page.recon.rows)
    Good.update(stock=Good.stock + 3).where(Good.id == goods["rice"]).execute()
    shop_page.refresh_reconciliation()
    model = shop_page.recon
    wrong = [n for n, r in enumerate(model.rows) if not r.ok]
    assert [model.rows[n].name for n in wrong] == ["大米"]
    index = model.index(wrong[0], model.columnCount() - 1)
    assert "+3" in model.data(index)
    assert model.data(index, Qt.ItemDataRole.ForegroundRole).color() == QColor("#c62828")
    assert model.data(model.index(0 if wrong[0] else 1, 0),
                      Qt.ItemDataRole.ForegroundRole) is None
    assert "1" in shop_page.recon_summary.text()
