"""The redemption shop on SQLite and PostgreSQL: catalogue, stock, all-or-nothing
redemptions, undo, reconciliation (账物相符), movements, the receipt and the CLI."""

import datetime as dt
import io
import itertools

import pdfplumber
import pytest

from app.cli import main as cli
from app.domain.errors import ConflictError, DuplicateError, NotFoundError, ValidationError
from app.domain.idcard import check_character
from app.domain.points import EntryKind, MovementKind, PointsError
from app.domain.volunteer import Status, VolunteerDraft
from app.services.common import settings
from app.services.points import ledger as points
from app.services.points import shop
from app.services.volunteers import registration as volunteers
from app.store.connection import close_register
from app.store.db import database
from app.store.models import (
    AuditLog,
    Good,
    PointsEntry,
    Redemption,
    RedemptionLine,
    StockMovement,
    Volunteer,
)

_serial = itertools.count(1)


def person(name: str = "王五", pts: int = 0) -> int:
    seq = next(_serial)
    first17 = f"3101011990{1 + seq // 28 % 12:02d}{1 + seq % 28:02d}{seq % 1000:03d}"
    vid = volunteers.register(VolunteerDraft(
        name=name, id_number=first17 + check_character(first17), phone="13900139000")).id
    if pts:
        points.bonus(vid, pts, "测试积分")
    return vid


def stocked(name: str, price: int, qty: int, unit: str = "件") -> int:
    good = shop.create_good(name, price, unit)
    if qty:
        shop.receive(good.id, qty, "捐赠")
    return good.id


# --- catalogue and stock -------------------------------------------------------------------

def test_goods_are_created_updated_and_taken_off_the_shelf(register):
    good = shop.create_good(" 大米  5kg ", 44, "袋")
    assert (good.name, good.unit, good.points_price, good.stock) == ("大米 5kg", "袋", 44, 0)
    with pytest.raises(DuplicateError):
        shop.create_good("大米 5kg", 40)
    with pytest.raises(ValidationError):
        shop.create_good("油", 0)
    with pytest.raises(ValidationError):
        shop.create_good("", 5)
    changed = shop.update_good(good.id, "大米 10kg", 80, "袋", good.version)
    assert changed.points_price == 80 and changed.version == good.version + 1
    with pytest.raises(ConflictError):
        shop.update_good(good.id, "大米", 80, "袋", good.version)
    shop.deactivate_good(good.id, "停止供应")
    assert shop.list_goods() == [] and len(shop.list_goods(include_inactive=True)) == 1
    assert AuditLog.select().where(AuditLog.entity == "good").count() == 3


def test_receive_and_write_off_move_stock_with_a_trail(register):
    gid = stocked("牙膏", 10, 20, "支")
    assert shop.write_off(gid, 3, "过期").stock == 17
    with pytest.raises(PointsError, match="库存只有17支"):
        shop.write_off(gid, 18, "丢失")
    with pytest.raises(ValidationError, match="原因"):
        shop.write_off(gid, 1, " ")
    with pytest.raises(ValidationError):
        shop.receive(gid, 0, "")
    kinds = [m.kind for m in StockMovement.select().order_by(StockMovement.id)]
    assert kinds == ["receive", "write_off"]


# --- redeeming -----------------------------------------------------------------------------

def test_redeem_several_goods_at_once(register):
    vid = person(pts=100)
    rice, oil = stocked("大米", 44, 5, "袋"), stocked("食用油", 25, 3, "桶")
    result = shop.redeem(vid, [(rice, 1), (oil, 2)], actor="李老师")
    assert result.total_points == 94 and result.balance_after == 6
    assert result.number.startswith(f"DH{dt.date.today().year}") and len(result.number) == 12
    assert [(x.name, x.quantity, x.points) for x in result.lines] == [
        ("大米", 1, 44), ("食用油", 2, 50)]
    assert points.balance(vid) == 6
    assert Good.get_by_id(rice).stock == 4 and Good.get_by_id(oil).stock == 1
    [entry] = PointsEntry.select().where(PointsEntry.kind == "redeem")
    assert entry.points == -94 and entry.redemption_id == result.id and entry.actor == "李老师"
    issues = StockMovement.select().where(StockMovement.kind == "issue")
    assert sorted(m.quantity for m in issues) == [-2, -1]
    assert AuditLog.get(AuditLog.action == "redeem").entity_id == result.number


def test_the_same_good_twice_counts_once(register):
    vid = person(pts=100)
    gid = stocked("毛巾", 5, 10, "条")
    result = shop.redeem(vid, [(gid, 1), (gid, 2)])
    assert [(x.quantity, x.points) for x in result.lines] == [(3, 15)]


def test_refused_as_a_whole_naming_every_shortfall(register):
    vid = person(pts=50)
    rice, oil = stocked("大米", 44, 5, "袋"), stocked("食用油", 25, 1, "桶")
    with pytest.raises(PointsError) as err:
        shop.redeem(vid, [(rice, 1), (oil, 2)])
    assert "“食用油”库存不足：需要2桶，库存1桶" in err.value.message
    assert "积分不足：需要94分，余额50分" in err.value.message
    assert len(err.value.reasons) == 2
    assert points.balance(vid) == 50
    assert Good.get_by_id(rice).stock == 5 and Good.get_by_id(oil).stock == 1
    assert Redemption.select().count() == 0 and RedemptionLine.select().count() == 0
    assert StockMovement.select().where(StockMovement.kind == "issue").count() == 0


def test_refused_for_status_hours_unknown_and_inactive_goods(register):
    vid = person(pts=100)
    gid = stocked("雨伞", 10, 5, "把")
    off = stocked("旧货", 1, 5)
    shop.deactivate_good(off)
    volunteers.change_status(vid, Status.SUSPENDED, "暂停服务")
    settings.put(settings.POINTS_MIN_HOURS_TO_REDEEM, 10)
    with pytest.raises(PointsError) as err:
        shop.redeem(vid, [(gid, 1), (off, 1), (999, 1)])
    reasons = err.value.message
    assert "暂停" in reasons and "10小时" in reasons and "找不到物品999" in reasons
    assert "已下架" in reasons
    with pytest.raises(ValidationError):
        shop.redeem(vid, [])
    with pytest.raises(ValidationError):
        shop.redeem(vid, [(gid, 0)])


def test_minimum_hours_count_approved_minutes(register):
    settings.put(settings.POINTS_MIN_HOURS_TO_REDEEM, 2)
    vid = person(pts=20)
    gid = stocked("雨伞", 10, 5, "把")
    Volunteer.update(approved_minutes=119).where(Volunteer.id == vid).execute()
    with pytest.raises(PointsError, match="满2小时"):
        shop.redeem(vid, [(gid, 1)])
    Volunteer.update(approved_minutes=120).where(Volunteer.id == vid).execute()
    assert shop.redeem(vid, [(gid, 1)]).balance_after == 10


# --- undo ----------------------------------------------------------------------------------

def test_undo_puts_stock_and_points_back_once(register):
    vid = person(pts=60)
    rice, oil = stocked("大米", 44, 5, "袋"), stocked("食用油", 8, 3, "桶")
    made = shop.redeem(vid, [(rice, 1), (oil, 2)])
    undone = shop.undo_redemption(made.id, "拿错了")
    assert undone.status == "reversed"
    assert points.balance(vid) == 60
    assert Good.get_by_id(rice).stock == 5 and Good.get_by_id(oil).stock == 3
    back = PointsEntry.select().order_by(PointsEntry.id.desc()).first()
    assert back.kind == "reverse" and back.points == 60 and back.redemption_id == made.id
    assert StockMovement.select().where(StockMovement.kind == "return").count() == 2
    with pytest.raises(PointsError, match="已撤销"):
        shop.undo_redemption(made.id, "再撤一次")
    with pytest.raises(ValidationError):
        shop.undo_redemption(made.id, "")
    with pytest.raises(NotFoundError):
        shop.undo_redemption(999, "无")
    assert points.check_balances() == []
    assert all(row.ok for row in shop.reconciliation())


# --- reconciliation and movements ----------------------------------------------------------

def _busy_shop() -> tuple[int, int]:
    vid = person(pts=200)
    rice, soap = stocked("大米", 44, 10, "袋"), stocked("肥皂", 3, 30, "块")
    first = shop.redeem(vid, [(rice, 2), (soap, 5)])
    shop.redeem(vid, [(soap, 1)])
    shop.undo_redemption(first.id, "重复兑换")
    shop.write_off(soap, 2, "受潮")
    return rice, soap


def test_reconciliation_agrees_on_an_honest_shop(register):
    _rice, soap = _busy_shop()
    rows = {row.good_id: row for row in shop.reconciliation()}
    r = rows[soap]
    assert (r.received, r.issued, r.returned, r.written_off) == (30, 6, 5, 2)
    assert r.expected_stock == r.stock == 27
    assert (r.issued_by_redemptions, r.returned_by_undo, r.points_charged) == (6, 5, 3)
    assert rows[None].points_charged == rows[None].ledger_points == 3
    assert all(row.ok for row in rows.values())


def test_reconciliation_names_an_injected_difference(register):
    rice, soap = _busy_shop()
    Good.update(stock=Good.stock + 1).where(Good.id == rice).execute()  # raw, no movement
    entry = PointsEntry.get(PointsEntry.kind == str(EntryKind.REDEEM),
                            PointsEntry.points == -3)
    PointsEntry.update(points=-4).where(PointsEntry.id == entry.id).execute()
    rows = {row.good_id: row for row in shop.reconciliation()}
    assert rows[rice].differences == ("“大米”库存记为11袋，按出入库记录应为10袋（相差+1）",)
    assert rows[soap].ok
    number = Redemption.get_by_id(entry.redemption_id).number
    assert any(number in d and "积分流水扣4分" in d for d in rows[None].differences)
    assert any("兑换共扣3分，积分流水共扣4分" in d for d in rows[None].differences)


def test_movements_for_a_report(register):
    _busy_shop()
    today = dt.date.today()
    rows = shop.movements(today - dt.timedelta(days=1), today)
    kinds = [m.kind for m in rows]
    assert kinds.count(MovementKind.RECEIVE) == 2 and kinds.count(MovementKind.RETURN) == 2
    issued = [m for m in rows if m.kind is MovementKind.ISSUE]
    assert all(m.redemption_number.startswith("DH") for m in issued)
    assert {m.good_name for m in rows} == {"大米", "肥皂"} and rows[0].good_id
    assert rows[-1].kind_label == "报损"
    assert shop.movements(today - dt.timedelta(days=9), today - dt.timedelta(days=2)) == []


# --- receipt and CLI -----------------------------------------------------------------------

def test_receipt_pdf_from_the_register(register):
    settings.put(settings.CENTER_NAME, "和平街道社会组织孵化中心")
    vid = person("赵六", pts=100)
    rice = stocked("大米 5kg", 44, 3, "袋")
    made = shop.redeem(vid, [(rice, 2)], actor="陈老师")
    with pdfplumber.open(io.BytesIO(shop.receipt_pdf(made.id))) as pdf:
        text = pdf.pages[0].extract_text()
    for expected in ("和平街道社会组织孵化中心", made.number, "赵六", "大米 5kg", "88 分",
                     "12 分", "陈老师", Volunteer.get_by_id(vid).number):
        assert expected in text
    shop.undo_redemption(made.id, "撤销")
    with pdfplumber.open(io.BytesIO(shop.receipt_pdf(made.id))) as pdf:
        assert "本单已撤销" in pdf.pages[0].extract_text()


def test_cli_goods_balance_redeem_and_expire(register, db_target, tmp_path, capsys):
    vid = person("孙七", pts=30)
    number = Volunteer.get_by_id(vid).number
    gid = stocked("雨伞", 10, 4, "把")
    database.close()  # the CLI opens the register itself, as a separate run would
    try:
        _cli_session(db_target, number, gid, tmp_path, capsys)
    finally:
        close_register()
        database.initialize(register)


def _cli_session(db_target, number, gid, tmp_path, capsys):
    assert cli.main(["--db", db_target, "shop", "goods"]) == 0
    assert "雨伞  10分/把  库存4把" in capsys.readouterr().out
    out = tmp_path / "receipt.pdf"
    assert cli.main(["--db", db_target, "shop", "redeem", number, f"{gid}:2",
                     "--receipt", str(out)]) == 0
    assert "余额10分" in capsys.readouterr().out
    assert out.read_bytes().startswith(b"%PDF")
    assert cli.main(["--db", db_target, "shop", "redeem", number, f"{gid}:3"]) == 1
    assert "积分不足" in capsys.readouterr().err
    assert cli.main(["--db", db_target, "points", "balance", number.lower()]) == 0
    assert "积分余额 10 分" in capsys.readouterr().out
    assert cli.main(["--db", db_target, "points", "expire"]) == 0
    assert "没有到期的积分" in capsys.readouterr().out
    assert cli.main(["--db", db_target, "points", "check"]) == 0
    assert cli.main(["--db", db_target, "shop", "redeem", number, "x:y"]) == 1
