"""The redemption shop (爱心超市): goods, stock, redemptions, their undo and reconciliation.

Why it is shaped this way:

- Stock has a running total (`Good.stock`, CHECK >= 0) and a movement row for every change,
  as points have a balance and a ledger, so the shop can be reconciled (账物相符): movements
  against redemption lines against stock, and redemptions against ledger entries.
- A redemption takes several goods at once and is all or nothing: the volunteer row and then
  the goods rows are locked in id order (the same order everywhere, so two desks queue
  instead of deadlocking), every shortfall is collected, and one Chinese message names them
  all before anything is written.
- An undo is a reversal, never a delete: `return` movements, a `reverse` ledger row and the
  redemption marked reversed, once.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import peewee as pw

from app.domain.errors import ConflictError, DuplicateError, NotFoundError, ValidationError
from app.domain.normalize import text_problem
from app.domain.points import EntryKind, MovementKind, PointsError, format_redemption_number
from app.domain.volunteer import Status
from app.services.common import audit, numbering, settings
from app.services.points import ledger as points
from app.services.points.ledger import lock_volunteer, rows_of
from app.store.db import bulk_insert, database, is_sqlite, writing
from app.store.models import (
    Good,
    PointsEntry,
    Redemption,
    RedemptionLine,
    StockMovement,
    Volunteer,
    utcnow,
)

SEQUENCE = "redemption"
MAX_QUANTITY = 1000


@dataclass(frozen=True)
class GoodRow:
    id: int
    name: str
    unit: str
    points_price: int
    stock: int
    active: bool
    version: int


@dataclass(frozen=True)
class LineRow:
    good_id: int
    name: str
    unit: str
    quantity: int
    points_each: int

    @property
    def points(self) -> int:
        return self.quantity * self.points_each


@dataclass(frozen=True)
class RedemptionResult:
    """A redemption as made (or as it stands after an undo)."""

    id: int
    number: str
    volunteer_id: int
    volunteer_number: str
    volunteer_name: str
    total_points: int
    balance_after: int
    status: str
    at: dt.datetime
    actor: str
    lines: tuple[LineRow, ...]


@dataclass(frozen=True)
class ReconRow:
    """One good's stock reconciled (账物相符); the last row (good_id None) is the points side:
    points charged by redemptions against redeem and reverse entries of the ledger."""

    good_id: int | None
    name: str
    unit: str
    received: int
    issued: int
    returned: int
    written_off: int
    expected_stock: int
    stock: int
    issued_by_redemptions: int
    returned_by_undo: int
    points_charged: int
    ledger_points: int
    differences: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.differences


@dataclass(frozen=True)
class MovementRow:
    id: int
    at: dt.datetime
    good_id: int
    good_name: str
    unit: str
    kind: MovementKind
    quantity: int
    redemption_number: str
    reason: str
    actor: str

    @property
    def kind_label(self) -> str:
        return self.kind.label


def _good_row(g: Good) -> GoodRow:
    return GoodRow(g.id, g.name, g.unit, g.points_price, g.stock, bool(g.active), g.version)


def _for_update(query: pw.Select) -> pw.Select:
    return query if is_sqlite() else query.for_update()


def _positive(value: int, field: str, label: str, limit: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValidationError(field, f"{label}须为大于0的整数")
    if limit is not None and value > limit:
        raise ValidationError(field, f"{label}不能超过{limit}")
    return value


def _text(value: str, field: str, label: str, max_length: int) -> str:
    text = " ".join(value.split())
    if not text:
        raise ValidationError(field, f"请填写{label}")
    problem = text_problem(text, label, max_length)
    if problem:
        raise ValidationError(field, problem)
    return text


# --- the catalogue -------------------------------------------------------------------------

def list_goods(include_inactive: bool = False) -> list[GoodRow]:
    query = Good.select().order_by(Good.name)
    if not include_inactive:
        query = query.where(Good.active == True)  # noqa: E712 (SQL, not Python)
    return [_good_row(g) for g in query]


def get_good(good_id: int) -> GoodRow:
    good = Good.get_or_none(Good.id == good_id)
    if good is None:
        raise NotFoundError(f"找不到物品{good_id}")
    return _good_row(good)


def _name_taken(name: str, exclude: int | None = None) -> None:
    query = Good.select().where(Good.name == name)
    if exclude is not None:
        query = query.where(Good.id != exclude)
    if query.exists():
        raise DuplicateError(f"已有名为“{name}”的物品", name)


def create_good(name: str, points_price: int, unit: str = "件") -> GoodRow:
    """Add a good to the catalogue with no stock (stock comes in by `receive`)."""
    name = _text(name, "name", "物品名称", 80)
    unit = _text(unit, "unit", "单位", 10)
    price = _positive(points_price, "points_price", "兑换积分")
    with writing():
        _name_taken(name)
        good = Good.create(name=name, unit=unit, points_price=price)
        audit.record("create", "good", good.id, None,
                     {"name": name, "unit": unit, "points_price": price})
        return _good_row(good)


def update_good(good_id: int, name: str, points_price: int, unit: str,
                expected_version: int) -> GoodRow:
    """Rename or reprice a good. Past redemptions keep the price they were made at."""
    name = _text(name, "name", "物品名称", 80)
    unit = _text(unit, "unit", "单位", 10)
    price = _positive(points_price, "points_price", "兑换积分")
    with writing():
        current = get_good(good_id)
        _name_taken(name, exclude=good_id)
        done = Good.update(name=name, unit=unit, points_price=price,
                           version=Good.version + 1) \
            .where((Good.id == good_id) & (Good.version == expected_version)).execute()
        if done != 1:
            raise ConflictError("该物品已被其他人修改，请重新打开后再编辑")
        before, after = audit.changes(
            {"name": current.name, "unit": current.unit, "points_price": current.points_price},
            {"name": name, "unit": unit, "points_price": price})
        audit.record("update", "good", good_id, before, after)
        return get_good(good_id)


def set_active(good_id: int, active: bool, reason: str = "") -> GoodRow:
    """Take a good off the shelf (no longer redeemable; its stock and history stay) or back."""
    with writing():
        current = get_good(good_id)
        Good.update(active=active, version=Good.version + 1).where(Good.id == good_id).execute()
        audit.record("activate" if active else "deactivate", "good", good_id,
                     {"active": current.active}, {"active": active, "reason": reason.strip()})
        return get_good(good_id)


def deactivate_good(good_id: int, reason: str = "") -> GoodRow:
    return set_active(good_id, False, reason)


# --- stock ---------------------------------------------------------------------------------

def _lock_goods(good_ids: Iterable[int]) -> dict[int, Good]:
    ids = sorted(set(good_ids))
    query = Good.select().where(Good.id.in_(ids)).order_by(Good.id)
    return {g.id: g for g in _for_update(query)}


def _move(good: Good, kind: MovementKind, quantity: int, reason: str, actor: str,
          redemption_id: int | None = None) -> None:
    """One movement row and the running stock, in the caller's transaction."""
    StockMovement.create(good=good.id, kind=str(kind), quantity=quantity, reason=reason,
                         actor=actor, redemption=redemption_id)
    try:
        with database.atomic():  # a savepoint, so PostgreSQL can report the CHECK cleanly
            Good.update(stock=Good.stock + quantity).where(Good.id == good.id).execute()
    except pw.IntegrityError:
        raise PointsError([f"“{good.name}”库存不足（可能另一窗口刚刚取走），请刷新后重试"],
                          "stock") from None
    good.stock += quantity


def receive(good_id: int, quantity: int, reason: str = "") -> GoodRow:
    """Stock received (donated or bought)."""
    qty = _positive(quantity, "quantity", "入库数量", 1_000_000)
    with writing():
        good = _lock_goods([good_id]).get(good_id)
        if good is None:
            raise NotFoundError(f"找不到物品{good_id}")
        before = good.stock
        _move(good, MovementKind.RECEIVE, qty, reason.strip(), audit.current_actor())
        audit.record("receive", "good", good_id, {"stock": before},
                     {"stock": good.stock, "quantity": qty, "reason": reason.strip()})
        return _good_row(good)


def write_off(good_id: int, quantity: int, reason: str) -> GoodRow:
    """Stock lost, spoiled or expired (报损); a reason is required."""
    qty = _positive(quantity, "quantity", "报损数量")
    text = _text(reason, "reason", "报损原因", 500)
    with writing():
        good = _lock_goods([good_id]).get(good_id)
        if good is None:
            raise NotFoundError(f"找不到物品{good_id}")
        if qty > good.stock:
            raise PointsError([f"“{good.name}”库存只有{good.stock}{good.unit}，"
                               f"不能报损{qty}{good.unit}"], "quantity")
        before = good.stock
        _move(good, MovementKind.WRITE_OFF, -qty, text, audit.current_actor())
        audit.record("write_off", "good", good_id, {"stock": before},
                     {"stock": good.stock, "quantity": qty, "reason": text})
        return _good_row(good)


# --- redemptions ---------------------------------------------------------------------------

def _wanted(items: Sequence[tuple[int, int]]) -> dict[int, int]:
    if not items:
        raise ValidationError("items", "请至少选择一件物品")
    wanted: dict[int, int] = defaultdict(int)
    for good_id, qty in items:
        wanted[good_id] += _positive(qty, "quantity", "兑换数量", MAX_QUANTITY)
    return dict(wanted)


def _refusals(volunteer: Volunteer, goods: dict[int, Good], wanted: dict[int, int],
              min_minutes: int) -> tuple[list[str], int]:
    """Every reason to refuse, and the total price; nothing is written."""
    reasons: list[str] = []
    if volunteer.status != Status.ACTIVE:
        reasons.append(f"{volunteer.name}（{volunteer.number}）状态为"
                       f"“{Status(volunteer.status).label}”，不能兑换")
    if volunteer.approved_minutes < min_minutes:
        reasons.append(f"累计服务满{min_minutes // 60}小时后才能兑换"
                       f"（目前{volunteer.approved_minutes / 60:.1f}小时）")
    total = 0
    for good_id, qty in sorted(wanted.items()):
        good = goods.get(good_id)
        if good is None:
            reasons.append(f"找不到物品{good_id}")
            continue
        if not good.active:
            reasons.append(f"“{good.name}”已下架")
        if qty > good.stock:
            reasons.append(f"“{good.name}”库存不足：需要{qty}{good.unit}，"
                           f"库存{good.stock}{good.unit}")
        total += qty * good.points_price
    if total > volunteer.points_balance:
        reasons.append(f"积分不足：需要{total}分，余额{volunteer.points_balance}分")
    return reasons, total


def redeem(volunteer_id: int, items: Sequence[tuple[int, int]],
           actor: str | None = None) -> RedemptionResult:
    """Exchange points for goods: several at once, all or nothing.

    Args:
        items: (good id, quantity) pairs; a good named twice counts once with both quantities.
        actor: the handler printed on the receipt (default: the person at the desk).
    Raises:
        PointsError: refused as a whole; `reasons` names every shortfall (points, stock,
            the volunteer's status, the minimum hours).
    """
    wanted = _wanted(items)
    handler = (actor or "").strip() or audit.current_actor()
    min_minutes = points.policy().min_minutes_to_redeem
    with writing():
        volunteer = lock_volunteer(volunteer_id)
        goods = _lock_goods(wanted)
        reasons, total = _refusals(volunteer, goods, wanted, min_minutes)
        if reasons:
            raise PointsError(reasons, "items")
        now = utcnow()
        number = format_redemption_number(dt.date.today().year, numbering.reserve(SEQUENCE))
        redemption = Redemption.create(number=number, volunteer=volunteer_id, total_points=total,
                                       actor=handler, at=now)
        bulk_insert("redemption_line", ("redemption_id", "good_id", "quantity", "points_each"),
                    [(redemption.id, gid, qty, goods[gid].points_price)
                     for gid, qty in sorted(wanted.items())])
        for gid, qty in sorted(wanted.items()):
            _move(goods[gid], MovementKind.ISSUE, -qty, number, handler, redemption.id)
        points.post(volunteer, EntryKind.REDEEM, -total, f"兑换单{number}", actor=handler,
                    redemption_id=redemption.id)
        audit.record("redeem", "redemption", number, None, {
            "volunteer": volunteer.number, "points": total,
            "items": {goods[g].name: q for g, q in wanted.items()},
            "balance": volunteer.points_balance})
        return get_redemption(redemption.id)


def _redeem_entry(redemption_id: int) -> PointsEntry | None:
    return PointsEntry.get_or_none((PointsEntry.redemption_id == redemption_id)
                                   & (PointsEntry.kind == str(EntryKind.REDEEM)))


def get_redemption(redemption_id: int) -> RedemptionResult:
    r = Redemption.get_or_none(Redemption.id == redemption_id)
    if r is None:
        raise NotFoundError(f"找不到兑换单{redemption_id}")
    volunteer = Volunteer.get_by_id(r.volunteer_id)
    lines = tuple(
        LineRow(line.good_id, line.good.name, line.good.unit, line.quantity, line.points_each)
        for line in RedemptionLine.select(RedemptionLine, Good).join(Good)
        .where(RedemptionLine.redemption == r.id).order_by(RedemptionLine.id))
    entry = _redeem_entry(r.id)
    return RedemptionResult(
        id=r.id, number=r.number, volunteer_id=volunteer.id, volunteer_number=volunteer.number,
        volunteer_name=volunteer.name, total_points=r.total_points,
        balance_after=entry.balance_after if entry is not None else 0, status=r.status,
        at=r.at, actor=r.actor, lines=lines)


def undo_redemption(redemption_id: int, reason: str) -> RedemptionResult:
    """Undo a redemption: goods back to stock, points back to the volunteer; once only.

    The points go back to whoever now holds the redeem row (after a merge, the kept record).
    """
    text = _text(reason, "reason", "撤销原因", 500)
    with writing():
        found = Redemption.get_or_none(Redemption.id == redemption_id)
        entry = _redeem_entry(redemption_id)
        if found is None or entry is None:
            raise NotFoundError(f"找不到兑换单{redemption_id}")
        volunteer = lock_volunteer(entry.volunteer_id)
        r = _for_update(Redemption.select().where(Redemption.id == redemption_id)).get()
        if r.status != "done":
            raise PointsError([f"兑换单{r.number}已撤销，不能重复撤销"])
        lines = list(RedemptionLine.select().where(RedemptionLine.redemption == r.id))
        goods = _lock_goods(line.good_id for line in lines)
        actor = audit.current_actor()
        for line in sorted(lines, key=lambda x: x.good_id):
            _move(goods[line.good_id], MovementKind.RETURN, line.quantity,
                  f"撤销{r.number}：{text}", actor, r.id)
        points.post(volunteer, EntryKind.REVERSE, r.total_points, f"撤销兑换单{r.number}：{text}",
                    actor=actor, redemption_id=r.id, reverses_id=entry.id)
        Redemption.update(status="reversed", reversed_at=utcnow(), reason=text) \
            .where(Redemption.id == r.id).execute()
        audit.record("undo", "redemption", r.number, {"status": "done"},
                     {"status": "reversed", "reason": text, "points": r.total_points})
        return get_redemption(r.id)


# --- reconciliation and reports ------------------------------------------------------------

def _movement_sums() -> dict[int, dict[str, int]]:
    sums: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    query = StockMovement.select(StockMovement.good, StockMovement.kind,
                                 pw.fn.SUM(StockMovement.quantity)) \
        .group_by(StockMovement.good, StockMovement.kind)
    for gid, kind, qty in rows_of(query):
        sums[gid][kind] = int(qty or 0)
    return sums


def _line_sums() -> dict[int, tuple[int, int, int]]:
    """Per good: quantity on all redemption lines, on lines of undone redemptions, and the
    points the redemptions still standing charged for it."""
    undone = pw.Case(None, [(Redemption.status == "reversed", RedemptionLine.quantity)], 0)
    charged = pw.Case(None, [(Redemption.status == "done",
                              RedemptionLine.quantity * RedemptionLine.points_each)], 0)
    query = RedemptionLine.select(RedemptionLine.good, pw.fn.SUM(RedemptionLine.quantity),
                                  pw.fn.SUM(undone), pw.fn.SUM(charged)) \
        .join(Redemption).group_by(RedemptionLine.good)
    return {gid: (int(total or 0), int(back or 0), int(pts or 0))
            for gid, total, back, pts in rows_of(query)}


def _good_differences(g: Good, m: dict[str, int], lines: tuple[int, int, int]) -> list[str]:
    received, issued = m[MovementKind.RECEIVE], -m[MovementKind.ISSUE]
    returned, written_off = m[MovementKind.RETURN], -m[MovementKind.WRITE_OFF]
    expected = received - issued + returned - written_off
    out = []
    if expected != g.stock:
        out.append(f"“{g.name}”库存记为{g.stock}{g.unit}，按出入库记录应为{expected}{g.unit}"
                   f"（相差{g.stock - expected:+d}）")
    if issued != lines[0]:
        out.append(f"“{g.name}”兑换出库{issued}{g.unit}，兑换单合计{lines[0]}{g.unit}")
    if returned != lines[1]:
        out.append(f"“{g.name}”撤销退回{returned}{g.unit}，已撤销兑换单合计{lines[1]}{g.unit}")
    return out


def _points_side() -> ReconRow:
    """Each redemption against its lines and its ledger rows (redeem, and reverse if undone)."""
    line_total = RedemptionLine.select(
        RedemptionLine.redemption.alias("rid"),
        pw.fn.SUM(RedemptionLine.quantity * RedemptionLine.points_each).alias("pts")) \
        .group_by(RedemptionLine.redemption).alias("lt")
    ledger = PointsEntry.select(PointsEntry.redemption_id.alias("rid"),
                                pw.fn.SUM(PointsEntry.points).alias("pts")) \
        .where(PointsEntry.redemption_id.is_null(False)) \
        .group_by(PointsEntry.redemption_id).alias("lg")
    query = Redemption.select(Redemption.number, Redemption.status, Redemption.total_points,
                              pw.fn.COALESCE(line_total.c.pts, 0),
                              pw.fn.COALESCE(ledger.c.pts, 0)) \
        .join(line_total, pw.JOIN.LEFT_OUTER, on=(line_total.c.rid == Redemption.id)) \
        .join_from(Redemption, ledger, pw.JOIN.LEFT_OUTER, on=(ledger.c.rid == Redemption.id)) \
        .order_by(Redemption.id)
    charged = net_ledger = 0
    wrong: list[str] = []
    for number, status, total, by_lines, by_ledger in rows_of(query):
        expected = -total if status == "done" else 0
        charged += total if status == "done" else 0
        net_ledger -= int(by_ledger)
        if int(by_lines) != total:
            wrong.append(f"兑换单{number}合计{total}分，明细合计{int(by_lines)}分")
        if int(by_ledger) != expected:
            wrong.append(f"兑换单{number}应扣{-expected}分，积分流水扣{-int(by_ledger)}分")
    if len(wrong) > 20:
        wrong = [*wrong[:20], f"……另有{len(wrong) - 20}处不符"]
    if charged != net_ledger:
        wrong.insert(0, f"兑换共扣{charged}分，积分流水共扣{net_ledger}分")
    return ReconRow(None, "积分", "分", 0, 0, 0, 0, 0, 0, 0, 0, charged, net_ledger,
                    tuple(wrong))


def _snapshot() -> Any:
    """A read transaction that sees one moment: the reconciliation's queries must not see a
    redemption that commits between them (WAL gives SQLite this; PostgreSQL needs
    REPEATABLE READ, its READ COMMITTED takes a new snapshot per statement)."""
    if is_sqlite() or database.in_transaction():
        return database.atomic()
    return database.atomic(isolation_level="REPEATABLE READ")


def reconciliation() -> list[ReconRow]:
    """账物相符: every good's movements against its stock and its redemption lines, then
    the points side; each row's `differences` names what does not agree (empty: agrees)."""
    with _snapshot():
        return _reconcile()


def _reconcile() -> list[ReconRow]:
    moves, lines = _movement_sums(), _line_sums()
    rows: list[ReconRow] = []
    for g in Good.select().order_by(Good.name):
        m = moves.get(g.id, defaultdict(int))
        by_lines = lines.get(g.id, (0, 0, 0))
        received, issued = m[MovementKind.RECEIVE], -m[MovementKind.ISSUE]
        returned, written_off = m[MovementKind.RETURN], -m[MovementKind.WRITE_OFF]
        # The ledger is per redemption, not per good: a good's row has no ledger points.
        rows.append(ReconRow(
            g.id, g.name, g.unit, received, issued, returned, written_off,
            received - issued + returned - written_off, g.stock, by_lines[0], by_lines[1],
            by_lines[2], 0, tuple(_good_differences(g, m, by_lines))))
    rows.append(_points_side())
    return rows


def _utc(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time()).astimezone(dt.UTC).replace(tzinfo=None)


def movements(date_from: dt.date, date_to: dt.date) -> list[MovementRow]:
    """Stock movements between two local dates (both included), oldest first."""
    start, end = _utc(date_from), _utc(date_to + dt.timedelta(days=1))
    query = StockMovement.select(StockMovement, Good.id, Good.name, Good.unit, Redemption.id,
                                 Redemption.number) \
        .join(Good).join_from(StockMovement, Redemption, pw.JOIN.LEFT_OUTER) \
        .where((StockMovement.at >= start) & (StockMovement.at < end)) \
        .order_by(StockMovement.id)
    return [MovementRow(
        id=m.id, at=m.at, good_id=m.good_id, good_name=m.good.name, unit=m.good.unit,
        kind=MovementKind(m.kind), quantity=m.quantity,
        redemption_number=m.redemption.number if m.redemption is not None else "",
        reason=m.reason, actor=m.actor) for m in query]


def local_time(utc: dt.datetime) -> dt.datetime:
    return utc.replace(tzinfo=dt.UTC).astimezone().replace(tzinfo=None)


def receipt_pdf(redemption_id: int) -> bytes:
    """The redemption's receipt (reports.receipt), gathered from the register."""
    from reports.receipt import ReceiptData, ReceiptLine, render_receipt

    r = get_redemption(redemption_id)
    return render_receipt(ReceiptData(
        center_name=settings.get(settings.CENTER_NAME),
        number=r.number,
        at=local_time(r.at),
        volunteer_name=r.volunteer_name,
        volunteer_number=r.volunteer_number,
        lines=tuple(ReceiptLine(x.name, x.unit, x.quantity, x.points_each) for x in r.lines),
        total_points=r.total_points,
        balance_after=r.balance_after,
        handler=r.actor,
        void_note="" if r.status == "done" else "本单已撤销",
    ))
