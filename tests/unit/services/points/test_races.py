"""Two desks redeeming at the same moment (threads with their own connections, as two PCs
on one PostgreSQL server would be; SQLite too): the balance never goes below zero and the
last unit of stock goes to one person only."""

import threading

import peewee
import pytest

from app.domain.idcard import check_character
from app.domain.points import PointsError
from app.domain.volunteer import VolunteerDraft
from app.services.points import ledger as points
from app.services.points import shop
from app.services.volunteers import registration as volunteers
from app.store.db import database
from app.store.models import Good, PointsEntry, Redemption, Volunteer

ROUNDS = 5


def person(seq: int) -> int:
    first17 = f"44052419850301{seq:03d}"
    return volunteers.register(VolunteerDraft(
        name="并发", id_number=first17 + check_character(first17), phone="13700137000")).id


def at_once(jobs):
    """Run the jobs in threads released together; returns (results, errors) per job."""
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


def ledger_sum(vid: int) -> int:
    return int(PointsEntry.select(peewee.fn.COALESCE(peewee.fn.SUM(PointsEntry.points), 0))
               .where(PointsEntry.volunteer == vid).scalar())


def test_two_desks_spend_points_that_cover_one_redemption(register):
    good = shop.create_good("大米", 44, "袋")
    shop.receive(good.id, 100, "捐赠")
    for round_ in range(ROUNDS):
        vid = person(round_)
        points.bonus(vid, 50, "够兑换一次")

        def desk(vid=vid):
            return shop.redeem(vid, [(good.id, 1)])

        results, errors = at_once([desk, desk])
        succeeded = [r for r in results if r is not None]
        assert len(succeeded) == 1, errors
        [refusal] = [e for e in errors if e is not None]
        # Refused by the balance read under the lock, after the first desk committed (not
        # merely by the CHECK constraint, the last guard):
        assert isinstance(refusal, PointsError) and "需要44分，余额6分" in refusal.message
        assert points.balance(vid) == 6 == ledger_sum(vid)
        assert Volunteer.get_by_id(vid).points_balance >= 0
    assert Good.get_by_id(good.id).stock == 100 - ROUNDS
    assert points.check_balances() == []
    assert all(row.ok for row in shop.reconciliation())


def test_two_desks_want_the_last_unit_of_stock(register):
    for round_ in range(ROUNDS):
        good = shop.create_good(f"最后一把伞{round_}", 10, "把")
        shop.receive(good.id, 1, "捐赠")
        a, b = person(100 + 2 * round_), person(101 + 2 * round_)
        points.bonus(a, 10, "积分")
        points.bonus(b, 10, "积分")
        results, errors = at_once([lambda a=a, g=good.id: shop.redeem(a, [(g, 1)]),
                                   lambda b=b, g=good.id: shop.redeem(b, [(g, 1)])])
        assert sum(r is not None for r in results) == 1, errors
        assert any(isinstance(e, PointsError) and "库存不足" in e.message for e in errors)
        assert Good.get_by_id(good.id).stock == 0
        assert points.balance(a) + points.balance(b) == 10
    assert all(row.ok for row in shop.reconciliation())


def test_redeem_and_deduction_race_never_go_negative(register):
    """Different writers on the same balance: a redemption and a manual deduction."""
    good = shop.create_good("毛巾", 30, "条")
    shop.receive(good.id, 10, "捐赠")
    for round_ in range(ROUNDS):
        vid = person(200 + round_)
        points.bonus(vid, 40, "积分")
        results, errors = at_once([lambda vid=vid: shop.redeem(vid, [(good.id, 1)]),
                                   lambda vid=vid: points.adjust(vid, -20, "扣减")])
        assert sum(r is not None for r in results) == 1, errors
        assert points.balance(vid) in (10, 20) and points.balance(vid) == ledger_sum(vid)
    assert Redemption.select().count() + sum(
        1 for _ in PointsEntry.select().where(PointsEntry.kind == "adjust")) == ROUNDS


@pytest.mark.parametrize("jobs", [2, 4])
def test_undo_twice_at_once_returns_once(register, jobs):
    vid = person(300 + jobs)
    points.bonus(vid, 30, "积分")
    good = shop.create_good(f"肥皂{jobs}", 3, "块")
    shop.receive(good.id, 5, "捐赠")
    made = shop.redeem(vid, [(good.id, 2)])
    results, errors = at_once([lambda: shop.undo_redemption(made.id, "撤销")] * jobs)
    assert sum(r is not None for r in results) == 1, errors
    assert all(isinstance(e, PointsError) for e in errors if e is not None)
    assert points.balance(vid) == 30 and Good.get_by_id(good.id).stock == 5


def test_credits_at_once_keep_a_true_running_balance(register):
    """Without the row lock both desks would read the same balance and write the same
    `balance_after`; with it the ledger reads as one running sum."""
    vid = person(400)
    points.bonus(vid, 1, "起始")
    _results, errors = at_once([lambda i=i: points.bonus(vid, 10 + i, "奖励") for i in range(4)])
    assert errors == [None] * 4
    running = 0
    for entry in PointsEntry.select().where(PointsEntry.volunteer == vid).order_by(PointsEntry.id):
        running += entry.points
        assert entry.balance_after == running
    assert points.balance(vid) == running == 1 + 10 + 11 + 12 + 13
