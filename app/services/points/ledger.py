"""The points ledger (积分): earn, bonus, adjust, redeem, expire and reverse, append-only.

Why it is shaped this way:

- `Volunteer.points_balance` is a running total written in the same transaction as every
  ledger row, so a balance is one primary-key read at a million volunteers, and the list
  can sort by it. `check_balances()` proves it equals the ledger's sum; each row also keeps
  `balance_after` so a printed statement reads without summing.
- The balance never goes below zero, also with two desks on PostgreSQL: every write first
  locks the volunteer row (`SELECT … FOR UPDATE`; on SQLite `writing()` begins IMMEDIATE,
  which locks the file), reads the balance under that lock and refuses a shortfall; the
  CHECK constraint on the column is the last guard if a path ever forgets to lock.
- Approval of 100,000 records grants points set-based (`earn_for_records`): one locking read
  of the balances, one bulk insert of the rows, one balance update per volunteer.
- Nothing is deleted or edited: a mistake is answered by a `reverse` row pointing at the row
  it corrects; expiry is computed from the ledger itself (first in, first out) and written
  as `expire` rows.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, cast

import peewee as pw

from app.domain.errors import NotFoundError, ValidationError
from app.domain.points import REVERSIBLE, EntryKind, PointsError, PointsPolicy, expirable
from app.domain.volunteer import Status
from app.services.common import audit, settings
from app.store.db import bulk_insert, database, is_sqlite, writing
from app.store.models import Activity, PointsEntry, Volunteer, utcnow

CHUNK = 5000  # ids per IN list: well under SQLite's and PostgreSQL's parameter limits
ENTRY_COLUMNS = ("volunteer_id", "kind", "points", "balance_after", "record_id", "activity_id",
                 "redemption_id", "reverses_id", "reason", "actor", "at")


@dataclass(frozen=True)
class EarnItem:
    """One approved service record to grant points for (see `earn_for_records`)."""

    volunteer_id: int
    record_id: int
    minutes: int
    category: str
    activity_id: int


@dataclass(frozen=True)
class LedgerRow:
    """One ledger entry as a statement shows it."""

    id: int
    at: dt.datetime
    kind: EntryKind
    points: int
    balance_after: int
    reason: str
    actor: str
    record_id: int | None
    activity_id: int | None
    redemption_id: int | None
    reverses_id: int | None
    activity: str = ""          # "name (date)" of the activity the row was earned at

    @property
    def kind_label(self) -> str:
        return self.kind.label


@dataclass(frozen=True)
class BalanceMismatch:
    """A volunteer whose running balance differs from the sum of the ledger."""

    volunteer_id: int
    number: str
    balance: int
    ledger_sum: int


def policy() -> PointsPolicy:
    """The register's points rules (settings POINTS_*)."""
    return PointsPolicy.parse(
        settings.get(settings.POINTS_RATES), settings.get(settings.POINTS_ACTIVITY_CAP),
        settings.get(settings.POINTS_EXPIRY_MONTHS),
        settings.get(settings.POINTS_MIN_HOURS_TO_REDEEM))


def _row(entry: PointsEntry) -> LedgerRow:
    return LedgerRow(
        id=entry.id, at=entry.at, kind=EntryKind(entry.kind), points=entry.points,
        balance_after=entry.balance_after, reason=entry.reason, actor=entry.actor,
        record_id=entry.record_id, activity_id=entry.activity_id,
        redemption_id=entry.redemption_id, reverses_id=entry.reverses_id)


def _chunks(ids: Sequence[int], size: int = CHUNK) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def rows_of(query: pw.Select) -> Iterator[tuple[Any, ...]]:
    """A query's rows as plain tuples (typed, so callers may unpack them)."""
    return iter(cast(Iterable[tuple[Any, ...]], query.tuples()))


def _for_update(query: pw.Select) -> pw.Select:
    """Lock the selected rows until commit on PostgreSQL; SQLite's IMMEDIATE transaction
    (see `writing`) already holds the whole file, and it has no FOR UPDATE."""
    return query if is_sqlite() else query.for_update()


# --- locking and posting (inside writing()) ------------------------------------------------

def lock_volunteer(volunteer_id: int) -> Volunteer:
    """Read a volunteer's row under a lock that lasts until the transaction ends.

    Call inside `writing()`. The row's `points_balance` is then the one any write must
    start from: no other desk can change it before this transaction commits.
    """
    query = Volunteer.select(
        Volunteer.id, Volunteer.number, Volunteer.name, Volunteer.status,
        Volunteer.points_balance, Volunteer.approved_minutes,
    ).where(Volunteer.id == volunteer_id)
    row = _for_update(query).first()
    if row is None:
        raise NotFoundError(f"找不到志愿者（内部编号{volunteer_id}）")
    return row


def _in_chunks(sql: str, ids: Sequence[int], *params: object) -> Iterator[tuple[Any, ...]]:
    """Run raw `sql` for `ids` in chunks: its `{ids}` slot takes the chunk's placeholders,
    each `{p}` one placeholder for `params`.

    Raw on purpose: peewee's builder spends about a second of Python on 100,000 ids in IN
    lists, more than the database spends answering.
    """
    mark = "?" if is_sqlite() else "%s"
    for chunk in _chunks(ids):
        text = sql.format(ids=", ".join([mark] * len(chunk)), p=mark)
        cursor = database.execute_sql(text, (*params, *chunk))
        yield from cursor.fetchall()


def _lock_balances(volunteer_ids: Sequence[int]) -> dict[int, int]:
    """Lock many volunteer rows (in id order, so two batches cannot deadlock) and read
    their balances."""
    lock = "" if is_sqlite() else " FOR UPDATE"
    balances = dict(_in_chunks(
        "SELECT id, points_balance FROM volunteer WHERE id IN ({ids}) ORDER BY id" + lock,
        sorted(volunteer_ids)))
    missing = set(volunteer_ids) - balances.keys()
    if missing:
        raise NotFoundError(f"找不到志愿者（内部编号{sorted(missing)[:5]}）")
    return balances


def _driver_integrity_errors() -> tuple[type[Exception], ...]:
    """The driver's IntegrityError: raw executemany is not wrapped into peewee's."""
    if is_sqlite():
        return (sqlite3.IntegrityError,)
    import psycopg2

    return (psycopg2.IntegrityError,)


def _balance_refused() -> PointsError:
    return PointsError(["积分余额不足（可能另一窗口刚刚使用了积分），未做任何更改，请刷新后重试"])


def _add_to_balances(deltas: dict[int, int]) -> None:
    """Move the running balances by `deltas`, one row per volunteer, sent in bulk
    (executemany on SQLite, UPDATE … FROM VALUES pages on PostgreSQL).

    The rows are locked already (`_lock_balances`). The CHECK (points_balance >= 0)
    refuses a negative result; that is a PointsError.
    """
    rows = [(delta, vid) for vid, delta in deltas.items() if delta]
    if not rows:
        return
    conn = database.connection()
    try:
        if is_sqlite():
            conn.executemany(
                "UPDATE volunteer SET points_balance = points_balance + ? WHERE id = ?", rows)
            return
        from psycopg2.extras import execute_values

        with conn.cursor() as cur:
            execute_values(
                cur, "UPDATE volunteer AS v SET points_balance = v.points_balance + d.delta "
                     "FROM (VALUES %s) AS d(delta, id) WHERE v.id = d.id",
                rows, page_size=CHUNK)
    except _driver_integrity_errors():
        raise _balance_refused() from None


def post(locked: Volunteer, kind: EntryKind, points: int, reason: str, *,
         actor: str | None = None, record_id: int | None = None,
         activity_id: int | None = None, redemption_id: int | None = None,
         reverses_id: int | None = None) -> PointsEntry:
    """Append one ledger row for a volunteer locked by `lock_volunteer` and move the balance.

    For use inside `writing()` by this module and the shop. Refuses (PointsError) a row
    that would take the balance below zero; `locked.points_balance` is updated.
    """
    after = locked.points_balance + points
    if after < 0:
        raise PointsError([f"积分不足：当前余额{locked.points_balance}分，需要{-points}分"])
    entry = PointsEntry.create(
        volunteer=locked.id, kind=str(kind), points=points, balance_after=after,
        record=record_id, activity=activity_id, redemption_id=redemption_id,
        reverses=reverses_id, reason=reason, actor=actor or audit.current_actor())
    try:
        Volunteer.update(points_balance=Volunteer.points_balance + points) \
            .where(Volunteer.id == locked.id).execute()
    except pw.IntegrityError:
        raise _balance_refused() from None
    locked.points_balance = after
    return entry


def _need_reason(reason: str) -> str:
    text = reason.strip()
    if not text:
        raise ValidationError("reason", "请填写原因")
    return text


def _need_points(points: int, positive: bool) -> int:
    if isinstance(points, bool) or not isinstance(points, int):
        raise ValidationError("points", "积分须为整数")
    if positive and points <= 0:
        raise ValidationError("points", "积分须大于0")
    if points == 0:
        raise ValidationError("points", "积分不能为0")
    return points


def _writable(locked: Volunteer) -> None:
    if locked.status == Status.MERGED:
        raise PointsError([f"{locked.number} {locked.name}已合并到另一条记录，"
                           "请在保留的记录上操作"])


# --- earning -------------------------------------------------------------------------------

def earn_for_records(items: list[EarnItem]) -> int:
    """Grant points for approved service records, set-based; returns the points granted.

    Called inside the approving transaction (it nests as a savepoint), with up to 100,000
    items. Points are the policy's rate for the category, rounded down, limited by the
    per-activity cap counting what the volunteer already earned there. A record that has an
    earn row already is skipped, so a retried approval never pays twice. A record capped to
    nothing still gets a 0-point row saying so; a record worth 0 points (or a reversing
    record's negative minutes: its correction goes through `reverse_for_record`) gets none.

    Volunteers are locked in id order within one call; callers approving in several calls
    inside one transaction should expect PostgreSQL to refuse one of two such batches
    running at once over the same volunteers (a deadlock it detects; retry).
    """
    if not items:
        return 0
    rules = policy()
    with writing():
        balances = _lock_balances(list({i.volunteer_id for i in items}))
        paid = _records_with_earnings([i.record_id for i in items])
        earned = _earned_at_activities({i.activity_id for i in items}) \
            if rules.activity_cap > 0 else {}
        actor, now = audit.current_actor(), utcnow()
        rows: list[tuple] = []
        deltas: dict[int, int] = defaultdict(int)
        for item in items:
            if item.record_id in paid:
                continue
            paid.add(item.record_id)
            raw = rules.points_for(max(item.minutes, 0), item.category)
            if raw <= 0:
                continue
            key = (item.volunteer_id, item.activity_id)
            grant = rules.capped(raw, earned.get(key, 0))
            earned[key] = earned.get(key, 0) + grant
            reason = "" if grant == raw else \
                f"已达每次活动积分上限{rules.activity_cap}分：应得{raw}分，实得{grant}分"
            balances[item.volunteer_id] += grant
            rows.append((item.volunteer_id, str(EntryKind.EARN), grant,
                         balances[item.volunteer_id], item.record_id, item.activity_id,
                         None, None, reason, actor, now))
            deltas[item.volunteer_id] += grant
        bulk_insert("points_entry", ENTRY_COLUMNS, rows)
        _add_to_balances(deltas)
        total = sum(deltas.values())
        if rows:
            first, last = rows[0][4], rows[-1][4]
            audit.record("earn", "points", f"records {first}..{last}", None,
                         {"records": len(rows), "volunteers": len(deltas), "points": total})
        return total


def _records_with_earnings(record_ids: Sequence[int]) -> set[int]:
    return {r for (r,) in _in_chunks(
        "SELECT record_id FROM points_entry WHERE kind = {p} AND record_id IN ({ids})",
        sorted(set(record_ids)), str(EntryKind.EARN))}


def _earned_at_activities(activity_ids: set[int]) -> dict[tuple[int, int], int]:
    """Net points each volunteer earned at each activity (earn rows less their reversals)."""
    earned: dict[tuple[int, int], int] = {}
    for chunk in _chunks(sorted(activity_ids)):
        query = PointsEntry.select(
            PointsEntry.volunteer, PointsEntry.activity, pw.fn.SUM(PointsEntry.points),
        ).where(PointsEntry.activity.in_(list(chunk))
                & PointsEntry.kind.in_([str(EntryKind.EARN), str(EntryKind.REVERSE)])) \
            .group_by(PointsEntry.volunteer, PointsEntry.activity)
        for vid, aid, total in rows_of(query):
            earned[(vid, aid)] = int(total or 0)
    return earned


def bonus(volunteer_id: int, points: int, reason: str) -> LedgerRow:
    """Award extra points (e.g. for referring a new volunteer); a reason is required."""
    return _post_by_hand(volunteer_id, EntryKind.BONUS,
                         _need_points(points, positive=True), reason)


def adjust(volunteer_id: int, points: int, reason: str) -> LedgerRow:
    """Correct a balance up or down with a reason; a deduction below zero is refused."""
    return _post_by_hand(volunteer_id, EntryKind.ADJUST,
                         _need_points(points, positive=False), reason)


def _post_by_hand(volunteer_id: int, kind: EntryKind, points: int, reason: str) -> LedgerRow:
    """An entry staff make (bonus, adjust): locked, posted and audited in one transaction."""
    text = _need_reason(reason)
    with writing():
        locked = lock_volunteer(volunteer_id)
        _writable(locked)
        entry = post(locked, kind, points, text)
        audit.record(str(kind), "points", locked.number, None,
                     {"points": points, "reason": text, "balance": locked.points_balance})
        return _row(entry)


# --- reversing -----------------------------------------------------------------------------

def _is_reversed(entry_id: int) -> bool:
    return PointsEntry.select().where(PointsEntry.reverses == entry_id).exists()


def ledger_owner(volunteer_id: int) -> int:
    """The record whose ledger carries a volunteer's points now: a merged record's ledger
    was closed by a transfer, so a correction of one of its rows is booked on the record it
    was merged into (following a chain of merges)."""
    seen: set[int] = set()
    while volunteer_id not in seen:
        seen.add(volunteer_id)
        target = Volunteer.select(Volunteer.merged_into_id).where(
            Volunteer.id == volunteer_id).scalar()
        if target is None:
            return volunteer_id
        volunteer_id = int(target)
    return volunteer_id


def _reverse(entry: PointsEntry, reason: str) -> PointsEntry | None:
    """Write the reversal of `entry` under the volunteer's lock; None if already reversed.

    Taking points back never makes the balance negative: if they were spent, only what is
    left is taken and the row's reason says how much could not be.
    """
    locked = lock_volunteer(ledger_owner(entry.volunteer_id))
    if _is_reversed(entry.id):  # checked under the lock: a second desk sees the first's row
        return None
    amount, text = -entry.points, reason
    if amount < 0 and locked.points_balance + amount < 0:
        text = (f"{reason}（余额不足：应冲回{-amount}分，"
                f"仅冲回{locked.points_balance}分）")
        amount = -locked.points_balance
    reversal = post(locked, EntryKind.REVERSE, amount, text, record_id=entry.record_id,
                    activity_id=entry.activity_id, redemption_id=entry.redemption_id,
                    reverses_id=entry.id)
    audit.record("reverse", "points", locked.number,
                 {"entry": entry.id, "kind": entry.kind, "points": entry.points},
                 {"entry": reversal.id, "points": amount, "reason": text,
                  "balance": locked.points_balance})
    return reversal


@dataclass(frozen=True)
class Shortfall:
    """What reversing a record's points would take back: earned, what the balance still
    holds, and the part already spent that cannot be taken back."""

    earned: int
    balance: int

    @property
    def taken(self) -> int:
        return min(self.earned, self.balance)

    @property
    def short(self) -> int:
        return self.earned - self.taken


def reversal_shortfall(record_id: int) -> Shortfall:
    """Before a reversal is confirmed: the record's standing earned points against the
    balance of the ledger that would pay them back (a merged record's is the kept one's)."""
    earns = list(rows_of(PointsEntry.select(PointsEntry.id, PointsEntry.points,
                                            PointsEntry.volunteer)
                         .where((PointsEntry.record == record_id)
                                & (PointsEntry.kind == str(EntryKind.EARN)))))
    standing = [(eid, pts, vid) for eid, pts, vid in earns if not _is_reversed(eid)]
    if not standing:
        return Shortfall(0, 0)
    owner = ledger_owner(int(standing[0][2]))
    balance = Volunteer.select(Volunteer.points_balance).where(Volunteer.id == owner).scalar()
    return Shortfall(sum(int(p) for _e, p, _v in standing), int(balance or 0))


def reverse_for_record(record_id: int, reason: str) -> int:
    """Reverse the points a service record earned (its approval was corrected).

    Returns the points taken back (0 if there were none or they were reversed already).
    """
    text = _need_reason(reason)
    with writing():
        earns = list(PointsEntry.select().where(
            (PointsEntry.record == record_id) & (PointsEntry.kind == str(EntryKind.EARN)))
            .order_by(PointsEntry.volunteer, PointsEntry.id))
        taken = 0
        for entry in earns:
            reversal = _reverse(entry, text)
            if reversal is not None:
                taken -= reversal.points
        return taken


def reverse_entry(entry_id: int, reason: str) -> LedgerRow:
    """Reverse one earn, bonus or adjust row (a redemption is undone in the shop)."""
    text = _need_reason(reason)
    with writing():
        entry = PointsEntry.get_or_none(PointsEntry.id == entry_id)
        if entry is None:
            raise NotFoundError(f"找不到积分记录{entry_id}")
        kind = EntryKind(entry.kind)
        if kind == EntryKind.REDEEM:
            raise PointsError(["兑换扣除的积分请在爱心超市撤销该兑换单（物品一并退回）"])
        if kind not in REVERSIBLE:
            raise PointsError([f"“{kind.label}”记录不能冲正，如需更正请做积分调整"])
        reversal = _reverse(entry, text)
        if reversal is None:
            raise PointsError([f"积分记录{entry_id}已冲正过，不能重复冲正"])
        return _row(reversal)


# --- expiry --------------------------------------------------------------------------------

def _ledger_totals(cutoff: dt.datetime, volunteer_ids: Sequence[int] | None) \
        -> list[tuple[int, int, int, int]]:
    """Per volunteer: credits dated before `cutoff`, debits, expired so far (all net of
    their reversals, each reversal counted with the row it reverses), volunteers only
    where something may be due."""
    entry, orig = PointsEntry, PointsEntry.alias("orig")
    kind = pw.fn.COALESCE(orig.kind, entry.kind)
    sign = pw.fn.COALESCE(orig.points, entry.points)
    when = pw.fn.COALESCE(orig.at, entry.at)
    expire = str(EntryKind.EXPIRE)
    credits = pw.fn.SUM(pw.Case(None, [(
        (kind != expire) & (sign > 0) & (when < cutoff), entry.points)], 0))
    spent = 0 - entry.points  # not -entry.points: peewee reads unary minus as DESC
    debits = pw.fn.SUM(pw.Case(None, [((kind != expire) & (sign < 0), spent)], 0))
    expired = pw.fn.SUM(pw.Case(None, [(kind == expire, spent)], 0))
    query = entry.select(entry.volunteer, credits, debits, expired) \
        .join(orig, pw.JOIN.LEFT_OUTER, on=(entry.reverses == orig.id)) \
        .group_by(entry.volunteer).having(credits - debits - expired > 0)
    queries = [query] if volunteer_ids is None else [
        query.where(entry.volunteer.in_(list(chunk))) for chunk in _chunks(sorted(volunteer_ids))]
    return [(int(v), int(c), int(d), int(e)) for q in queries for v, c, d, e in rows_of(q)]


def expire_due(today: dt.date) -> int:
    """Expire, first in first out, points older than the configured months; returns the
    points expired (0 when points never expire).

    Run by `yilian points expire` and at start-up; running it twice changes nothing. An
    undone redemption older than the period gives back points that then expire at the next
    run, as first-in-first-out says they would have.
    """
    rules = policy()
    cutoff_day = rules.expiry_cutoff(today)
    if cutoff_day is None:
        return 0
    # Local midnight of the cutoff day, as the naive UTC the ledger stores.
    cutoff = dt.datetime.combine(cutoff_day, dt.time()).astimezone(dt.UTC).replace(tzinfo=None)
    with writing():
        due = _ledger_totals(cutoff, None)
        if not due:
            return 0
        balances = _lock_balances([vid for vid, *_ in due])
        if not is_sqlite():  # a redemption may have committed before the lock: recount
            due = _ledger_totals(cutoff, [vid for vid, *_ in due])
        reason = f"{cutoff_day.isoformat()}之前获得的积分已过有效期（{rules.expiry_months}个月）"
        actor, now = audit.current_actor(), utcnow()
        rows: list[tuple] = []
        deltas: dict[int, int] = {}
        for vid, credits, debits, expired in due:
            amount = expirable(credits, debits, expired, balances[vid])
            if amount > 0:
                deltas[vid] = -amount
                rows.append((vid, str(EntryKind.EXPIRE), -amount, balances[vid] - amount,
                             None, None, None, None, reason, actor, now))
        bulk_insert("points_entry", ENTRY_COLUMNS, rows)
        _add_to_balances(deltas)
        total = -sum(deltas.values())
        if rows:
            audit.record("expire", "points", cutoff_day.isoformat(), None,
                         {"volunteers": len(rows), "points": total})
        return total


# --- reading -------------------------------------------------------------------------------

def balance(volunteer_id: int) -> int:
    """The current balance: the running total on the volunteer row (one key lookup)."""
    value = Volunteer.select(Volunteer.points_balance).where(Volunteer.id == volunteer_id).scalar()
    if value is None:
        raise NotFoundError(f"找不到志愿者（内部编号{volunteer_id}）")
    return int(value)


def ledger(volunteer_id: int, offset: int = 0, limit: int = 100) -> list[LedgerRow]:
    """A volunteer's ledger, newest first, one page at a time."""
    query = PointsEntry.select().where(PointsEntry.volunteer == volunteer_id) \
        .order_by(PointsEntry.id.desc()).offset(offset).limit(limit)
    rows = [_row(e) for e in query]
    ids = {r.activity_id for r in rows if r.activity_id is not None}
    if not ids:
        return rows
    names = {aid: f"{name}（{starts:%Y-%m-%d}）" for aid, name, starts in rows_of(
        Activity.select(Activity.id, Activity.name, Activity.starts_at).where(
            Activity.id.in_(sorted(ids))))}
    return [dataclasses.replace(r, activity=names.get(r.activity_id, ""))
            if r.activity_id is not None else r for r in rows]


def check_balances() -> list[BalanceMismatch]:
    """Every volunteer whose running balance is not the sum of their ledger (expect none)."""
    sums = PointsEntry.select(PointsEntry.volunteer.alias("vid"),
                              pw.fn.SUM(PointsEntry.points).alias("total")) \
        .group_by(PointsEntry.volunteer).alias("sums")
    total = pw.fn.COALESCE(sums.c.total, 0)
    query = Volunteer.select(Volunteer.id, Volunteer.number, Volunteer.points_balance, total) \
        .join(sums, pw.JOIN.LEFT_OUTER, on=(sums.c.vid == Volunteer.id)) \
        .where(Volunteer.points_balance != total).order_by(Volunteer.id)
    return [BalanceMismatch(vid, number, int(bal), int(s)) for vid, number, bal, s in
            rows_of(query)]
