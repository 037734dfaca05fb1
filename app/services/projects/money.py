"""A project's money: payment tranches, payments, the budget-execution lines, and the due list.

Total paid never exceeds the contract amount. `pay` locks the project row
(`registration.lock`: FOR UPDATE on PostgreSQL, the IMMEDIATE write transaction on SQLite),
checks the running total `project.paid_fen` read under that lock, and raises it in the same
transaction as the payment row; two desks paying at once queue on the lock, and the second
sees the first's payment. The DB CHECK (paid_fen <= contract_amount_fen) is the last guard:
if it ever fires, the same `OverpaymentError` is raised.

A payment does not bump the project's version: it is not an edit of the project's fields, and
a desk with the project form open must not be refused for it (the running total is kept like
a volunteer's approved minutes).

Importing this module adds the 项目付款 and 项目节点 sources to the due list
(`app.services.orgs.due`): the CLI's `due` command and the GUI import it before `due.items`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import peewee as pw

from app.domain.errors import FormErrors, NotFoundError, ValidationError
from app.domain.normalize import clean_text
from app.domain.orgs.periods import fmt_date
from app.domain.projects.lifecycle import PAYABLE, ProjectStatus
from app.domain.projects.money import MAX_FEN, format_yuan
from app.services.common import audit
from app.services.orgs import due
from app.services.projects import milestones as _milestones  # noqa: F401 (its due source)
from app.services.projects import registration
from app.store.db import tuples, writing
from app.store.models import BudgetLine, Organization, Payment, Project, Tranche, utcnow

BUDGET_SOURCES = {"fiscal": "财政资金", "own": "单位资金", "other": "其他资金"}
MAX_CONDITION = 200
HUNDRED = Decimal(100)
CENT = Decimal("0.01")
UNPAID, PART_PAID, PAID = "未支付", "部分支付", "已支付"


class OverpaymentError(ValidationError):
    """The payment would take the total paid beyond the contract amount."""

    def __init__(self, contract_fen: int, paid_fen: int, amount_fen: int) -> None:
        over = paid_fen + amount_fen - contract_fen
        super().__init__("amount_fen", f"合同金额{format_yuan(contract_fen)}，已支付"
                                        f"{format_yuan(paid_fen)}，本次{format_yuan(amount_fen)}"
                                        f"将超出{format_yuan(over)}")
        self.contract_fen = contract_fen
        self.paid_fen = paid_fen
        self.amount_fen = amount_fen

    @property
    def remaining_fen(self) -> int:
        """The most that may still be paid."""
        return max(self.contract_fen - self.paid_fen, 0)


@dataclass(frozen=True, slots=True)
class TrancheDraft:
    """A planned payment as the form gives it: an amount, or a share of the contract in percent
    (when a share is given it decides the amount)."""

    planned_fen: int | None = None
    share: Decimal | None = None
    condition: str = ""
    due_on: dt.date | None = None


@dataclass(frozen=True, slots=True)
class TrancheLine:
    id: int
    seq: int
    planned_fen: int
    share: Decimal | None
    condition: str
    due_on: dt.date | None
    paid_fen: int
    paid_on: dt.date | None  # the last payment's date
    status_label: str  # 未支付 / 部分支付 / 已支付
    overdue: bool

    @property
    def remaining_fen(self) -> int:
        return max(self.planned_fen - self.paid_fen, 0)


@dataclass(frozen=True, slots=True)
class PaymentLine:
    id: int
    tranche_id: int | None
    tranche_seq: int | None
    paid_on: dt.date
    amount_fen: int
    note: str
    actor: str
    at: dt.datetime  # naive UTC


@dataclass(frozen=True, slots=True)
class MoneySummary:
    budget_fen: int
    contract_fen: int | None
    paid_fen: int
    remaining_fen: int | None  # contract − paid; None without a contract amount
    paid_share: Decimal | None  # percent of the contract paid, two decimals

    @property
    def budget_rate(self) -> Decimal | None:
        """Paid as a percent of the budget (预算执行率)."""
        return _percent(self.paid_fen, self.budget_fen)


@dataclass(frozen=True, slots=True)
class BudgetLineDraft:
    source: str  # fiscal / own / other
    initial_fen: int = 0
    adjusted_fen: int | None = None  # None: as initial
    executed_fen: int | None = None  # None: the paid total for 财政资金, else 0
    weight: Decimal | None = None
    score: Decimal | None = None
    reason: str = ""


@dataclass(frozen=True, slots=True)
class BudgetLineRow:
    id: int
    source: str
    source_label: str
    initial_fen: int
    adjusted_fen: int
    executed_fen: int
    rate: Decimal | None  # executed / adjusted, percent
    weight: Decimal | None
    score: Decimal | None
    reason: str


def _percent(part: int, whole: int | None) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(CENT, ROUND_HALF_UP)


def _dec(value: Decimal | float | str | None) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(CENT)


def _project(project_id: int) -> Project:
    row = Project.get_or_none(Project.id == project_id)
    if row is None:
        raise NotFoundError(f"找不到该项目（内部编号{project_id}）")
    return row


# --- tranches -------------------------------------------------------------------------------


def _paid_by_tranche(project_id: int) -> dict[int, tuple[int, dt.date]]:
    query = (Payment.select(Payment.tranche, pw.fn.SUM(Payment.amount_fen),
                            pw.fn.MAX(Payment.paid_on))
             .where((Payment.project == project_id) & Payment.tranche.is_null(False))
             .group_by(Payment.tranche))
    return {tid: (int(total), last) for tid, total, last in tuples(query)}


def tranches(project_id: int, today: dt.date | None = None) -> list[TrancheLine]:
    """The planned payments in order, each with what was paid on it."""
    today = today or dt.date.today()
    paid = _paid_by_tranche(project_id)
    lines = []
    for t in Tranche.select().where(Tranche.project == project_id).order_by(Tranche.seq):
        amount, last = paid.get(t.id, (0, None))
        status = PAID if amount >= t.planned_fen else PART_PAID if amount else UNPAID
        lines.append(TrancheLine(
            t.id, t.seq, t.planned_fen, _dec(t.share), t.condition, t.due_on, amount, last,
            status, t.due_on is not None and t.due_on < today and amount < t.planned_fen))
    return lines


def _plan(drafts: list[TrancheDraft], contract: int | None) -> list[tuple[int, Decimal | None]]:
    """(planned fen, share) per draft, or FormErrors keyed tranches[i].field."""
    errors: dict[str, str] = {}
    planned: list[tuple[int, Decimal | None]] = []
    for i, d in enumerate(drafts):
        key, n = f"tranches[{i}]", i + 1
        share: Decimal | None = None
        fen = 0
        if d.share is not None:
            try:
                share = Decimal(d.share).quantize(CENT, ROUND_HALF_UP)
            except (InvalidOperation, ValueError, TypeError):
                errors[f"{key}.share"] = f"第{n}期：付款比例应为数字"
            else:
                if not Decimal(0) < share <= HUNDRED:
                    errors[f"{key}.share"] = f"第{n}期：付款比例应大于0、不超过100%"
                elif contract is None:
                    errors[f"{key}.share"] = f"第{n}期：按比例计划须先填写合同金额"
                else:
                    fen = int((Decimal(contract) * share / HUNDRED).quantize(
                        Decimal(1), ROUND_HALF_UP))
        elif d.planned_fen is None:
            errors[f"{key}.planned_fen"] = f"第{n}期：请填写计划金额或付款比例"
        elif not 0 < d.planned_fen < MAX_FEN:
            errors[f"{key}.planned_fen"] = f"第{n}期：计划金额应大于0"
        else:
            fen = d.planned_fen
        if len(clean_text(d.condition)) > MAX_CONDITION:
            errors[f"{key}.condition"] = f"第{n}期：付款条件不能超过{MAX_CONDITION}个字"
        planned.append((fen, share))
    if errors:
        raise FormErrors(errors)
    # Shares of exactly 100% in all: the last takes the rounding remainder, so they add up.
    if (contract is not None and planned and all(s is not None for _, s in planned)
            and sum(s for _, s in planned if s is not None) == HUNDRED):
        fen_last = contract - sum(fen for fen, _ in planned[:-1])
        planned[-1] = (fen_last, planned[-1][1])
    return planned


def set_tranches(project_id: int, drafts: list[TrancheDraft]) -> list[TrancheLine]:
    """Replace the payment plan: the n-th draft becomes tranche n (keeping the n-th tranche's
    payments), tranches beyond the list are removed.

    Raises:
        FormErrors: keyed ``tranches[i].planned_fen`` / ``.share`` / ``.condition``, or
            ``tranches`` for the plan as a whole (over the contract amount; removing or
            shrinking a tranche below what was paid on it).
        NotFoundError: no such project.
    """
    with writing():
        row = registration.lock(project_id)
        contract = row.contract_amount_fen
        planned = _plan(drafts, contract)
        total = sum(fen for fen, _ in planned)
        if planned and contract is None:
            raise FormErrors({"tranches": "请先在项目信息中填写合同金额，再制定付款计划"})
        if contract is not None and total > contract:
            raise FormErrors({"tranches": f"付款计划合计{format_yuan(total)}超过合同金额"
                                          f"{format_yuan(contract)}"})
        existing = list(Tranche.select().where(Tranche.project == project_id)
                        .order_by(Tranche.seq))
        paid = _paid_by_tranche(project_id)
        errors: dict[str, str] = {}
        for t in existing[len(planned):]:
            if t.id in paid:
                errors["tranches"] = f"第{t.seq}期已有付款，不能删除"
        for i, t in enumerate(existing[:len(planned)]):
            if paid.get(t.id, (0, None))[0] > planned[i][0]:
                errors[f"tranches[{i}].planned_fen"] = (
                    f"第{i + 1}期已支付{format_yuan(paid[t.id][0])}，计划金额不能低于已付金额")
        if errors:
            raise FormErrors(errors)
        for t in existing[len(planned):]:
            t.delete_instance()
        before = [{"seq": t.seq, "planned_fen": t.planned_fen, "share": t.share,
                   "condition": t.condition, "due_on": t.due_on} for t in existing]
        after = []
        for i, (d, (fen, share)) in enumerate(zip(drafts, planned, strict=True)):
            values = {"planned_fen": fen, "share": share, "condition": clean_text(d.condition),
                      "due_on": d.due_on}
            if i < len(existing):
                Tranche.update(**values).where(Tranche.id == existing[i].id).execute()
            else:
                Tranche.create(project=project_id, seq=i + 1, **values)
            after.append({"seq": i + 1, **values})
        audit.record("set_tranches", "project", row.number, {"tranches": before},
                     {"tranches": after})
        return tranches(project_id)


# --- payments -------------------------------------------------------------------------------


def _payment_line(p: Payment, seqs: dict[int, int]) -> PaymentLine:
    tid: int | None = p.tranche_id  # type: ignore[attr-defined]
    return PaymentLine(p.id, tid, seqs.get(tid) if tid else None, p.paid_on, p.amount_fen,
                       p.note, p.actor, p.at)


def _tranche_for(project_id: int, tranche_id: int | None) -> Tranche | None:
    """The chosen tranche (it must be this project's), else the first not fully paid."""
    if tranche_id is not None:
        t = Tranche.get_or_none((Tranche.id == tranche_id) & (Tranche.project == project_id))
        if t is None:
            raise ValidationError("tranche_id", "所选付款批次不属于该项目")
        return t
    paid = _paid_by_tranche(project_id)
    for t in Tranche.select().where(Tranche.project == project_id).order_by(Tranche.seq):
        if paid.get(t.id, (0, None))[0] < t.planned_fen:
            return t
    return None


def pay(project_id: int, amount_fen: int, paid_on: dt.date | None = None,
        tranche_id: int | None = None, note: str = "") -> PaymentLine:
    """Record money paid to the contractor (on `tranche_id`, else the first tranche not fully
    paid, else none), raising the project's paid total in the same transaction.

    Raises:
        OverpaymentError: the total paid would exceed the contract amount (with the figures).
        ValidationError: not a positive amount; the project is not in a stage that pays
            (签约后、结项前) or has no contract amount; a date before signing; a tranche of
            another project.
        NotFoundError: no such project.
    """
    if not isinstance(amount_fen, int) or amount_fen <= 0:
        raise ValidationError("amount_fen", "付款金额应大于0")
    if amount_fen >= MAX_FEN:
        raise ValidationError("amount_fen", "付款金额过大，请核对")
    paid_on = paid_on or dt.date.today()
    note = note.strip()
    try:
        with writing():
            row = registration.lock(project_id)
            status = ProjectStatus(row.status)
            if status not in PAYABLE:
                raise ValidationError("status", f"项目处于“{status.label}”状态，不能付款"
                                                "（签约后、结项前方可付款）")
            contract = row.contract_amount_fen
            if contract is None:
                raise ValidationError("amount_fen", "项目尚未填写合同金额，不能付款")
            if row.paid_fen + amount_fen > contract:
                raise OverpaymentError(contract, row.paid_fen, amount_fen)
            if row.signed_on is not None and paid_on < row.signed_on:
                raise ValidationError("paid_on", f"付款日期不能早于合同签订日期"
                                                 f"（{fmt_date(row.signed_on)}）")
            tranche = _tranche_for(project_id, tranche_id)
            Project.update(paid_fen=Project.paid_fen + amount_fen, updated_at=utcnow()).where(
                Project.id == project_id).execute()
            payment = Payment.create(project=project_id, tranche=tranche, paid_on=paid_on,
                                     amount_fen=amount_fen, note=note,
                                     actor=audit.current_actor())
            audit.record("pay", "payment", payment.id, None, {
                "project": row.number, "amount_fen": amount_fen, "paid_on": paid_on,
                "tranche": tranche.seq if tranche else None, "note": note,
                "paid_fen": row.paid_fen + amount_fen})
            seqs = {tranche.id: tranche.seq} if tranche else {}
            return _payment_line(Payment.get_by_id(payment.id), seqs)
    except pw.IntegrityError:
        # The CHECK refused it: the total read was stale (it cannot be under the lock; kept
        # as the last guard). Report with the figures as they are now.
        fresh = _project(project_id)
        contract = fresh.contract_amount_fen or 0
        if fresh.paid_fen + amount_fen <= contract:
            raise
        raise OverpaymentError(contract, fresh.paid_fen, amount_fen) from None


def payments(project_id: int) -> list[PaymentLine]:
    """In the order paid."""
    seqs = dict(tuples(Tranche.select(Tranche.id, Tranche.seq)
                       .where(Tranche.project == project_id)))
    query = (Payment.select().where(Payment.project == project_id)
             .order_by(Payment.paid_on, Payment.id))
    return [_payment_line(p, seqs) for p in query]


def summary(project_id: int) -> MoneySummary:
    row = _project(project_id)
    contract = row.contract_amount_fen
    return MoneySummary(row.budget_fen, contract, row.paid_fen,
                        None if contract is None else contract - row.paid_fen,
                        _percent(row.paid_fen, contract))


# --- budget lines ---------------------------------------------------------------------------


def _budget_row(b: BudgetLine) -> BudgetLineRow:
    return BudgetLineRow(b.id, b.source, BUDGET_SOURCES.get(b.source, b.source), b.initial_fen,
                         b.adjusted_fen, b.executed_fen,
                         _percent(b.executed_fen, b.adjusted_fen or b.initial_fen),
                         _dec(b.weight), _dec(b.score), b.reason)


def budget_lines(project_id: int) -> list[BudgetLineRow]:
    """财政资金, 单位资金, 其他资金, in that order (only the lines entered)."""
    order = list(BUDGET_SOURCES)
    rows = BudgetLine.select().where(BudgetLine.project == project_id)
    return sorted((_budget_row(b) for b in rows), key=lambda r: order.index(r.source)
                  if r.source in order else len(order))


def _check_budget(lines: list[BudgetLineDraft]) -> None:
    errors: dict[str, str] = {}
    seen: set[str] = set()
    for i, line in enumerate(lines):
        key = f"budget_lines[{i}]"
        label = BUDGET_SOURCES.get(line.source, line.source)
        if line.source not in BUDGET_SOURCES:
            errors[f"{key}.source"] = "资金来源应为财政资金、单位资金或其他资金"
        elif line.source in seen:
            errors[f"{key}.source"] = f"{label}重复填写"
        seen.add(line.source)
        for name in ("initial_fen", "adjusted_fen", "executed_fen"):
            value = getattr(line, name)
            if value is not None and not 0 <= value < MAX_FEN:
                errors[f"{key}.{name}"] = f"{label}：金额不能为负数"
        weight = line.weight
        if weight is not None and not Decimal(0) <= Decimal(weight) <= HUNDRED:
            errors[f"{key}.weight"] = f"{label}：权重应在0到100之间"
        if line.score is not None:
            if Decimal(line.score) < 0:
                errors[f"{key}.score"] = f"{label}：得分不能为负数"
            elif weight is not None and Decimal(line.score) > Decimal(weight):
                errors[f"{key}.score"] = f"{label}：得分不能超过权重{Decimal(weight).normalize():f}"
    if errors:
        raise FormErrors(errors)


def set_budget_lines(project_id: int, lines: list[BudgetLineDraft]) -> list[BudgetLineRow]:
    """Replace the budget-execution lines. 财政资金 without an executed amount takes what was
    paid so far; the other sources, 0.

    Raises:
        FormErrors: keyed ``budget_lines[i].field``.
        NotFoundError: no such project.
    """
    _check_budget(lines)
    with writing():
        row = registration.lock(project_id)
        before = [{"source": r.source, "initial_fen": r.initial_fen,
                   "adjusted_fen": r.adjusted_fen, "executed_fen": r.executed_fen}
                  for r in budget_lines(project_id)]
        BudgetLine.delete().where(BudgetLine.project == project_id).execute()
        after = []
        for line in lines:
            executed = line.executed_fen
            if executed is None:
                executed = row.paid_fen if line.source == "fiscal" else 0
            values = {"source": line.source, "initial_fen": line.initial_fen,
                      "adjusted_fen": (line.initial_fen if line.adjusted_fen is None
                                       else line.adjusted_fen),
                      "executed_fen": executed, "weight": _dec(line.weight),
                      "score": _dec(line.score), "reason": line.reason.strip()}
            BudgetLine.create(project=project_id, **values)
            after.append(values)
        audit.record("set_budget_lines", "project", row.number, {"budget_lines": before},
                     {"budget_lines": after})
        return budget_lines(project_id)


# --- the due list ---------------------------------------------------------------------------


def _due_tranches(today: dt.date, within: int) -> list[due.DueItem]:
    """Tranches of paying projects due by the horizon (or overdue) and not fully paid."""
    horizon = today + dt.timedelta(days=within)
    paid = (Payment.select(pw.fn.COALESCE(pw.fn.SUM(Payment.amount_fen), 0))
            .where(Payment.tranche == Tranche.id))
    o = Organization
    query = (Tranche.select(Tranche.seq, Tranche.planned_fen, Tranche.condition, Tranche.due_on,
                            paid.alias("paid"), Project.number, Project.name,
                            Project.contractor, o.credit_code, o.name, Project.id)
             .join(Project, on=(Tranche.project == Project.id))
             .join(o, pw.JOIN.LEFT_OUTER, on=(Project.contractor == o.id))
             .where(Tranche.due_on.is_null(False) & (Tranche.due_on <= horizon)
                    & Project.status.in_([str(s) for s in PAYABLE])))
    found = []
    for (seq, planned, condition, due_on, paid_sum, number, name, oid, code, org_name,
         project_id) in tuples(query):
        done = int(paid_sum or 0)
        if done >= planned:
            continue
        when = "已于" if due_on < today else "将于"
        detail = (f"{number} {name}：第{seq}期付款{format_yuan(planned)}"
                  f"{f'（{condition}）' if condition else ''}{when}{fmt_date(due_on)}到期")
        if done:
            detail += f"，已付{format_yuan(done)}，尚余{format_yuan(planned - done)}"
        found.append(due.DueItem("tranche", due.SOURCES["tranche"].label, oid or 0,
                                 code or "", org_name or name, due_on, (today - due_on).days,
                                 detail, project_id=project_id, project=f"{number} {name}"))
    return found


def paid_totals(project_ids: list[int]) -> dict[int, int]:
    """Sum of payments per project, from the payment rows (a check of the running totals)."""
    out: dict[int, int] = defaultdict(int)
    if project_ids:
        query = (Payment.select(Payment.project, pw.fn.SUM(Payment.amount_fen))
                 .where(Payment.project.in_(project_ids)).group_by(Payment.project))
        for pid, total in tuples(query):
            out[pid] = int(total)
    return out


due.add_source("tranche", "项目付款", 30, _due_tranches)
