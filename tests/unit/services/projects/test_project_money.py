"""A project's money: the payment plan, payments that never exceed the contract (also from
two desks at once), the budget-execution lines, and due tranches in the due list."""

import datetime as dt
import threading
from decimal import Decimal

import pytest

from app.domain.errors import FormErrors, ValidationError
from app.domain.projects.lifecycle import ProjectStatus
from app.services.orgs import due
from app.services.projects import lifecycle, milestones, money
from app.services.projects.money import BudgetLineDraft, OverpaymentError, TrancheDraft
from app.store.db import database
from app.store.models import AuditLog, Payment, Project

TODAY = dt.date(2026, 4, 1)
SIGNED = dt.date(2026, 4, 10)


def plan_40_30_30(pid: int) -> list[money.TrancheLine]:
    return money.set_tranches(pid, [
        TrancheDraft(None, Decimal(40), "签订合同后", dt.date(2026, 4, 30)),
        TrancheDraft(None, Decimal(30), "中期评估合格后", dt.date(2026, 10, 31)),
        TrancheDraft(None, Decimal(30), "结项验收合格后", dt.date(2027, 5, 31)),
    ])


def test_shares_become_amounts_of_the_contract(register, kit):
    pid = kit.signed_project()
    lines = plan_40_30_30(pid)
    assert [(t.seq, t.planned_fen, t.share) for t in lines] == [
        (1, 19_200_000, Decimal("40.00")), (2, 14_400_000, Decimal("30.00")),
        (3, 14_400_000, Decimal("30.00"))]
    assert {t.status_label for t in lines} == {"未支付"}
    # thirds of ¥1,000.00 add up to the contract: the last takes the rounding remainder
    odd = kit.signed_project(contract_fen=100_000, budget_fen=100_000, name="小额项目")
    thirds = money.set_tranches(odd, [TrancheDraft(share=Decimal("33.33")),
                                      TrancheDraft(share=Decimal("33.33")),
                                      TrancheDraft(share=Decimal("33.34"))])
    assert [t.planned_fen for t in thirds] == [33_330, 33_330, 33_340]


def test_the_plan_may_not_exceed_the_contract_and_every_line_is_checked(register, kit):
    pid = kit.signed_project()
    with pytest.raises(FormErrors) as exc:
        money.set_tranches(pid, [TrancheDraft(30_000_000), TrancheDraft(20_000_000)])
    assert exc.value.errors == {"tranches": "付款计划合计¥500,000.00超过合同金额¥480,000.00"}
    with pytest.raises(FormErrors) as exc:
        money.set_tranches(pid, [TrancheDraft(), TrancheDraft(share=Decimal(120)),
                                 TrancheDraft(-5), TrancheDraft(100, condition="条" * 201)])
    assert set(exc.value.errors) == {"tranches[0].planned_fen", "tranches[1].share",
                                     "tranches[2].planned_fen", "tranches[3].condition"}
    assert exc.value.errors["tranches[0].planned_fen"] == "第1期：请填写计划金额或付款比例"
    no_contract = kit.new_project(contract_fen=None, name="未签约项目")
    with pytest.raises(FormErrors) as exc:
        money.set_tranches(no_contract, [TrancheDraft(share=Decimal(50))])
    assert "须先填写合同金额" in exc.value.errors["tranches[0].share"]
    assert money.tranches(pid) == []


def test_payments_fill_the_tranches_in_order(register, kit):
    pid = kit.signed_project()
    plan_40_30_30(pid)
    first = money.pay(pid, 10_000_000, dt.date(2026, 4, 20), note="首付")
    second = money.pay(pid, 9_200_000, dt.date(2026, 4, 28))
    third = money.pay(pid, 5_000_000, dt.date(2026, 11, 5))
    assert (first.tranche_seq, second.tranche_seq, third.tranche_seq) == (1, 1, 2)
    assert first.actor == "tester" and first.note == "首付"
    lines = money.tranches(pid, today=dt.date(2026, 11, 20))
    assert [(t.status_label, t.paid_fen, t.paid_on, t.overdue) for t in lines] == [
        ("已支付", 19_200_000, dt.date(2026, 4, 28), False),
        ("部分支付", 5_000_000, dt.date(2026, 11, 5), True),  # due 31 October
        ("未支付", 0, None, False)]
    # a chosen tranche
    chosen = money.pay(pid, 1_000_000, dt.date(2026, 11, 6), tranche_id=lines[2].id)
    assert chosen.tranche_seq == 3
    assert [p.amount_fen for p in money.payments(pid)] == [
        10_000_000, 9_200_000, 5_000_000, 1_000_000]
    s = money.summary(pid)
    assert (s.budget_fen, s.contract_fen, s.paid_fen, s.remaining_fen, s.paid_share) == (
        50_000_000, 48_000_000, 25_200_000, 22_800_000, Decimal("52.50"))
    assert Project.get_by_id(pid).paid_fen == 25_200_000 == money.paid_totals([pid])[pid]
    assert AuditLog.select().where(AuditLog.action == "pay").count() == 4


def test_overpayment_is_refused_with_the_figures(register, kit):
    pid = kit.signed_project()
    money.pay(pid, 19_200_000, dt.date(2026, 4, 20))
    with pytest.raises(OverpaymentError) as exc:
        money.pay(pid, 30_000_000, dt.date(2026, 5, 20))
    err = exc.value
    assert isinstance(err, ValidationError)
    assert err.message == "合同金额¥480,000.00，已支付¥192,000.00，本次¥300,000.00将超出¥12,000.00"
    assert (err.contract_fen, err.paid_fen, err.amount_fen, err.remaining_fen) == (
        48_000_000, 19_200_000, 30_000_000, 28_800_000)
    money.pay(pid, 28_800_000, dt.date(2026, 5, 20))  # exactly the rest is fine
    with pytest.raises(OverpaymentError):
        money.pay(pid, 1, dt.date(2026, 5, 21))
    assert money.summary(pid).remaining_fen == 0
    assert Payment.select().count() == 2


def test_the_check_constraint_is_the_last_guard(register, monkeypatch, kit):
    """A stale paid total (as if the lock were missing) is still refused, by the CHECK."""
    pid = kit.signed_project()
    money.pay(pid, 40_000_000, dt.date(2026, 4, 20))
    real_lock = money.registration.lock

    def stale_lock(project_id):
        row = real_lock(project_id)
        row.paid_fen = 0  # what a desk that read before the other's payment would see
        return row

    monkeypatch.setattr(money.registration, "lock", stale_lock)
    with pytest.raises(OverpaymentError) as exc:
        money.pay(pid, 10_000_000, dt.date(2026, 4, 21))
    assert exc.value.paid_fen == 40_000_000 and "将超出¥20,000.00" in exc.value.message
    assert exc.value.__context__ is not None  # the IntegrityError, shown as the figures
    monkeypatch.undo()
    assert Project.get_by_id(pid).paid_fen == 40_000_000 and Payment.select().count() == 1


def test_payments_only_between_signing_and_closing(register, kit):
    draft_only = kit.new_project(name="草稿项目")
    with pytest.raises(ValidationError, match="“草稿”状态，不能付款"):
        money.pay(draft_only, 100, dt.date(2026, 5, 1))
    pid = kit.signed_project()
    with pytest.raises(ValidationError, match="不能早于合同签订日期"):
        money.pay(pid, 100, dt.date(2026, 4, 9))
    with pytest.raises(ValidationError, match="应大于0"):
        money.pay(pid, 0, dt.date(2026, 5, 1))
    other = kit.signed_project(name="另一个项目")
    foreign = money.set_tranches(other, [TrancheDraft(1000)])[0]
    with pytest.raises(ValidationError, match="不属于该项目"):
        money.pay(pid, 100, dt.date(2026, 5, 1), tranche_id=foreign.id)
    lifecycle.move(pid, ProjectStatus.TERMINATED, dt.date(2026, 6, 1), "承接方退出")
    with pytest.raises(ValidationError, match="已终止"):
        money.pay(pid, 100, dt.date(2026, 6, 2))


def test_paid_tranches_cannot_be_removed_or_shrunk(register, kit):
    pid = kit.signed_project()
    lines = plan_40_30_30(pid)
    money.pay(pid, 15_000_000, dt.date(2026, 4, 20))
    with pytest.raises(FormErrors) as exc:
        money.set_tranches(pid, [TrancheDraft(10_000_000)])
    assert exc.value.errors == {
        "tranches[0].planned_fen": "第1期已支付¥150,000.00，计划金额不能低于已付金额"}
    kept = money.set_tranches(pid, [TrancheDraft(24_000_000, None, "签约后", None),
                                    TrancheDraft(24_000_000, None, "结项后", None)])
    assert kept[0].id == lines[0].id and kept[0].paid_fen == 15_000_000
    assert [t.condition for t in kept] == ["签约后", "结项后"]
    paid = money.pay(pid, 9_000_000, dt.date(2026, 5, 1))  # the rest of the first
    assert paid.tranche_seq == 1 and money.tranches(pid)[0].status_label == "已支付"
    assert money.pay(pid, 1_000_000, dt.date(2026, 5, 2)).tranche_seq == 2
    with pytest.raises(FormErrors, match="第2期已有付款，不能删除"):
        money.set_tranches(pid, [TrancheDraft(48_000_000)])


def test_budget_lines(register, kit):
    pid = kit.signed_project()
    money.pay(pid, 12_000_000, dt.date(2026, 4, 20))
    rows = money.set_budget_lines(pid, [
        BudgetLineDraft("own", 2_000_000, executed_fen=1_500_000),
        BudgetLineDraft("fiscal", 48_000_000, 48_000_000, weight=Decimal(10),
                        score=Decimal("8.5")),
    ])
    assert [(r.source_label, r.executed_fen, r.rate) for r in rows] == [
        ("财政资金", 12_000_000, Decimal("25.00")), ("单位资金", 1_500_000, Decimal("75.00"))]
    assert rows[0].weight == Decimal("10.00") and rows[0].score == Decimal("8.50")
    assert money.budget_lines(pid) == rows
    with pytest.raises(FormErrors) as exc:
        money.set_budget_lines(pid, [BudgetLineDraft("fiscal", 1, weight=Decimal(5),
                                                     score=Decimal(6)),
                                     BudgetLineDraft("fiscal", 1), BudgetLineDraft("loan")])
    assert set(exc.value.errors) == {"budget_lines[0].score", "budget_lines[1].source",
                                     "budget_lines[2].source"}
    assert money.budget_lines(pid) == rows


def test_due_tranches_and_milestones_join_the_due_list(register, kit):
    pid = kit.signed_project()
    plan_40_30_30(pid)
    money.pay(pid, 10_000_000, dt.date(2026, 4, 20))
    milestones.add_milestone(pid, "中期评估", dt.date(2026, 10, 20))
    done = milestones.add_milestone(pid, "开班", dt.date(2026, 10, 1))
    milestones.complete(done.id, dt.date(2026, 10, 1))
    today = dt.date(2026, 10, 15)
    found = [i for i in due.items(today) if i.kind in ("tranche", "milestone")]
    assert [(i.kind_label, i.name, i.due, i.days_overdue) for i in found] == [
        ("项目付款", "阳光社工服务中心", dt.date(2026, 4, 30), 168),
        ("项目节点", "阳光社工服务中心", dt.date(2026, 10, 20), -5),
        ("项目付款", "阳光社工服务中心", dt.date(2026, 10, 31), -16),
    ]
    assert found[0].credit_code == "52420000MJH233402K"
    # the contractor alone does not say which of its projects: the subject names the project
    assert {i.project for i in found} == {"XM2026-0001 社区居家养老服务项目"}
    assert found[1].subject == "XM2026-0001 社区居家养老服务项目（阳光社工服务中心）"
    assert found[0].detail == ("XM2026-0001 社区居家养老服务项目：第1期付款¥192,000.00"
                               "（签订合同后）已于2026年4月30日到期，已付¥100,000.00，尚余¥92,000.00")
    assert "节点“中期评估”将于" in found[1].detail
    assert [i.due for i in due.items(today, within=10, kinds=["tranche"])] == [
        dt.date(2026, 4, 30)]  # the second is 16 days ahead: inside 30 days, not 10
    money.pay(pid, 9_200_000, dt.date(2026, 10, 10))  # the first is paid in full now
    assert [i.due for i in due.items(today, kinds=["tranche"])] == [dt.date(2026, 10, 31)]
    lifecycle.move(pid, ProjectStatus.TERMINATED, dt.date(2026, 10, 12))
    assert due.items(today, within=400, kinds=["tranche", "milestone"]) == []


# --- two desks at once ----------------------------------------------------------------------

ROUNDS = 4


def at_once(jobs):
    """Run the jobs in threads released together, each on its own connection (as two PCs
    would be); returns (results, errors) per job."""
    barrier = threading.Barrier(len(jobs))
    results: list[object] = [None] * len(jobs)
    errors: list[BaseException | None] = [None] * len(jobs)

    def run(i, job):
        database.connect(reuse_if_open=True)
        try:
            barrier.wait()
            results[i] = job()
        except BaseException as exc:
            errors[i] = exc
        finally:
            database.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not any(t.is_alive() for t in threads), "a desk hung (deadlock?)"
    return results, errors


def test_two_desks_paying_at_once_never_exceed_the_contract(register, kit):
    """Each payment alone fits, both together exceed: exactly one is kept, and the other is
    refused by the total read under the lock (not only by the CHECK)."""
    for round_ in range(ROUNDS):
        pid = kit.signed_project(name=f"并发付款{round_}")
        money.pay(pid, 20_000_000, dt.date(2026, 4, 20))

        def desk(pid=pid):
            return money.pay(pid, 15_000_000, dt.date(2026, 5, 1))

        results, errors = at_once([desk, desk])
        assert sum(r is not None for r in results) == 1, errors
        [refusal] = [e for e in errors if e is not None]
        assert isinstance(refusal, OverpaymentError)
        assert refusal.__context__ is None  # refused under the lock, not by the CHECK
        assert refusal.paid_fen == 35_000_000 and "将超出¥20,000.00" in refusal.message
        row = Project.get_by_id(pid)
        assert row.paid_fen == 35_000_000 <= row.contract_amount_fen
        assert money.paid_totals([pid])[pid] == row.paid_fen


def test_many_desks_paying_small_amounts_keep_a_true_total(register, kit):
    pid = kit.signed_project()
    results, errors = at_once([lambda: money.pay(pid, 13_000_000, dt.date(2026, 5, 1))] * 4)
    assert sum(r is not None for r in results) == 3, errors  # 3 × 130,000 ≤ 480,000 < 4 ×
    assert all(isinstance(e, OverpaymentError) for e in errors if e is not None)
    assert Project.get_by_id(pid).paid_fen == 39_000_000 == money.paid_totals([pid])[pid]
