"""The points ledger on SQLite and PostgreSQL: earning, bonuses, adjustments, reversals,
expiry, the balance check, and a hypothesis state machine over random sequences."""

import datetime as dt
import itertools
import json

import peewee
import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from app.domain.errors import NotFoundError, ValidationError
from app.domain.idcard import check_character
from app.domain.points import EntryKind, PointsError
from app.domain.volunteer import VolunteerDraft
from app.services.common import settings
from app.services.points import ledger as points
from app.services.points import shop
from app.services.points.ledger import EarnItem
from app.services.volunteers import registration as volunteers
from app.store.db import database, writing
from app.store.models import Activity, AuditLog, PointsEntry, ServiceRecord, Volunteer

_serial = itertools.count(1)


def person(name: str = "张三") -> int:
    seq = next(_serial)
    first17 = f"1101051980{1 + seq // 28 % 12:02d}{1 + seq % 28:02d}{seq % 1000:03d}"
    return volunteers.register(VolunteerDraft(
        name=name, id_number=first17 + check_character(first17), phone="13800138000")).id


def activity(category: str = "助老") -> int:
    start = dt.datetime(2025, 3, 1, 9)
    return Activity.create(name="活动", starts_at=start, ends_at=start + dt.timedelta(hours=8),
                           category=category).id


def record(vid: int, aid: int, minutes: int) -> EarnItem:
    start = dt.datetime(2025, 3, 1, 9)
    row = ServiceRecord.create(volunteer=vid, activity=aid, kind="manual", status="approved",
                               started_at=start, ended_at=start + dt.timedelta(minutes=minutes),
                               minutes=minutes)
    category = Activity.get_by_id(aid).category
    return EarnItem(vid, row.id, minutes, category, aid)


def ledger_sum(vid: int) -> int:
    return int(PointsEntry.select(peewee.fn.COALESCE(peewee.fn.SUM(PointsEntry.points), 0))
               .where(PointsEntry.volunteer == vid).scalar())


def age(vid: int, days: int) -> None:
    """Time passes: move a volunteer's ledger rows `days` into the past."""
    for entry in PointsEntry.select().where(PointsEntry.volunteer == vid):
        PointsEntry.update(at=entry.at - dt.timedelta(days=days)) \
            .where(PointsEntry.id == entry.id).execute()


# --- earning -------------------------------------------------------------------------------

def test_earn_uses_the_category_rate_and_keeps_running_balances(register):
    settings.put(settings.POINTS_RATES, "*=1;助老=2")
    a, b = person(), person("李四")
    old, green = activity("助老"), activity("环保")
    items = [record(a, old, 90), record(b, green, 150), record(a, green, 61), record(a, old, 20)]
    assert points.earn_for_records(items) == 3 + 2 + 1 + 0
    assert points.balance(a) == 4 and points.balance(b) == 2
    rows = points.ledger(a)
    assert [(r.kind, r.points, r.balance_after) for r in rows] == [
        (EntryKind.EARN, 1, 4), (EntryKind.EARN, 3, 3)]  # the 0-point record has no row
    assert rows[1].record_id == items[0].record_id and rows[1].activity_id == old
    assert rows[1].activity.startswith(Activity.get_by_id(old).name + "（")  # 事由 says where
    audit = AuditLog.get(AuditLog.action == "earn")
    assert json.loads(audit.after) == {"records": 3, "volunteers": 2, "points": 6}
    assert points.check_balances() == []


def test_a_record_is_never_paid_twice(register):
    vid = person()
    item = record(vid, activity(), 120)
    assert points.earn_for_records([item, item]) == 2
    assert points.earn_for_records([item]) == 0
    assert points.balance(vid) == 2


def test_activity_cap_counts_earlier_batches_and_says_why(register):
    settings.put(settings.POINTS_RATES, "*=1;助老=2")
    settings.put(settings.POINTS_ACTIVITY_CAP, 5)
    vid, aid, other = person(), activity(), activity()
    assert points.earn_for_records([record(vid, aid, 180)]) == 5  # 6 at 2/h, capped
    assert points.earn_for_records([record(vid, aid, 60), record(vid, other, 60)]) == 2
    capped = PointsEntry.select().where(PointsEntry.activity == aid) \
        .order_by(PointsEntry.id.desc()).first()
    assert capped.points == 0 and "上限5分" in capped.reason
    assert points.balance(vid) == 7


def test_reversed_points_free_the_cap(register):
    settings.put(settings.POINTS_RATES, "助老=2")
    settings.put(settings.POINTS_ACTIVITY_CAP, 4)
    vid, aid = person(), activity()
    first = record(vid, aid, 120)
    points.earn_for_records([first])
    assert points.reverse_for_record(first.record_id, "记录有误") == 4
    assert points.earn_for_records([record(vid, aid, 60)]) == 2


def test_earn_rolls_back_with_the_callers_transaction(register):
    vid = person()
    item = record(vid, activity(), 120)
    with pytest.raises(RuntimeError), writing():
        points.earn_for_records([item])
        raise RuntimeError("approval failed")
    assert points.balance(vid) == 0 and PointsEntry.select().count() == 0


def test_a_large_batch_is_one_call(register):
    settings.put(settings.POINTS_RATES, "*=1")
    vids = [person() for _ in range(5)]
    aid = activity("环保")
    starts = dt.datetime(2025, 1, 1)
    rows = [{"volunteer": vids[i % 5], "activity": aid, "kind": "manual", "status": "approved",
             "started_at": starts, "minutes": 60} for i in range(3000)]
    with writing():
        ServiceRecord.insert_many(rows).execute()
    items = [EarnItem(r.volunteer_id, r.id, 60, "环保", aid) for r in ServiceRecord.select()]
    assert points.earn_for_records(items) == 3000
    assert [points.balance(v) for v in vids] == [600] * 5
    assert points.check_balances() == []


def test_earn_for_an_unknown_volunteer_changes_nothing(register):
    with pytest.raises(NotFoundError):
        points.earn_for_records([EarnItem(999, 1, 60, "", 1)])


# --- bonus, adjust, reverse ----------------------------------------------------------------

def test_bonus_and_adjust_need_a_reason_and_points(register):
    vid = person()
    with pytest.raises(ValidationError, match="原因"):
        points.bonus(vid, 5, "  ")
    with pytest.raises(ValidationError):
        points.bonus(vid, 0, "推荐")
    with pytest.raises(ValidationError):
        points.bonus(vid, -5, "推荐")
    with pytest.raises(ValidationError):
        points.adjust(vid, 0, "更正")
    row = points.bonus(vid, 10, "推荐新志愿者")
    assert (row.kind, row.points, row.balance_after) == (EntryKind.BONUS, 10, 10)
    assert points.adjust(vid, -4, "多记了").balance_after == 6
    audit = AuditLog.select().where(AuditLog.action == "adjust").get()
    assert json.loads(audit.after)["reason"] == "多记了"


def test_a_deduction_below_zero_is_refused(register):
    vid = person()
    points.bonus(vid, 3, "奖励")
    with pytest.raises(PointsError) as err:
        points.adjust(vid, -4, "扣减")
    assert "余额3分" in err.value.message
    assert points.balance(vid) == 3 and ledger_sum(vid) == 3


def test_merged_records_take_no_points(register):
    vid = person()
    Volunteer.update(status="merged").where(Volunteer.id == vid).execute()
    with pytest.raises(PointsError, match="已合并"):
        points.bonus(vid, 3, "奖励")


def test_reversing_spent_points_takes_only_what_is_left(register):
    vid = person()
    item = record(vid, activity(), 180)  # 3 points at the default 1 per hour
    points.earn_for_records([item])
    points.adjust(vid, -2, "兑换了实物")
    assert points.reverse_for_record(item.record_id, "活动取消") == 1
    latest = points.ledger(vid, 0, 1)[0]
    assert latest.kind is EntryKind.REVERSE and latest.points == -1
    assert "余额不足" in latest.reason and "应冲回3分" in latest.reason
    assert points.balance(vid) == 0
    assert points.reverse_for_record(item.record_id, "再来一次") == 0
    assert points.check_balances() == []


def test_reverse_for_record_without_points_is_zero(register):
    vid = person()
    item = record(vid, activity(), 10)
    assert points.earn_for_records([item]) == 0
    assert points.reverse_for_record(item.record_id, "更正") == 0


def test_reverse_entry_rules(register):
    vid = person()
    bonus = points.bonus(vid, 8, "奖励")
    back = points.reverse_entry(bonus.id, "发错了")
    assert back.points == -8 and back.reverses_id == bonus.id and points.balance(vid) == 0
    with pytest.raises(PointsError, match="重复"):
        points.reverse_entry(bonus.id, "再冲")
    with pytest.raises(PointsError, match="不能冲正"):
        points.reverse_entry(back.id, "冲冲正")
    points.adjust(vid, 5, "补")
    cut = points.adjust(vid, -5, "扣")
    assert points.reverse_entry(cut.id, "扣错了").points == 5
    assert points.balance(vid) == 5
    with pytest.raises(NotFoundError):
        points.reverse_entry(9999, "无")


# --- expiry --------------------------------------------------------------------------------

def test_old_points_expire_first_in_first_out(register):
    settings.put(settings.POINTS_EXPIRY_MONTHS, 12)
    vid = person()
    points.bonus(vid, 100, "去年的奖励")
    age(vid, 400)
    points.bonus(vid, 50, "今年的奖励")
    points.adjust(vid, -30, "兑换")  # spends the oldest points first
    today = dt.date.today()
    assert points.expire_due(today) == 70
    assert points.balance(vid) == 50
    entry = points.ledger(vid, 0, 1)[0]
    assert entry.kind is EntryKind.EXPIRE and entry.points == -70 and entry.balance_after == 50
    assert "有效期" in entry.reason
    assert points.expire_due(today) == 0  # running again changes nothing
    assert points.check_balances() == []


def test_a_reversed_old_credit_does_not_expire(register):
    settings.put(settings.POINTS_EXPIRY_MONTHS, 6)
    vid = person()
    old = points.bonus(vid, 40, "奖励")
    points.bonus(vid, 10, "奖励")
    age(vid, 200)
    points.reverse_entry(old.id, "发错了")
    assert points.expire_due(dt.date.today()) == 10
    assert points.balance(vid) == 0


def test_nothing_expires_without_a_period(register):
    vid = person()
    points.bonus(vid, 40, "奖励")
    age(vid, 4000)
    assert points.expire_due(dt.date.today()) == 0


def test_expire_spans_volunteers_set_based(register):
    settings.put(settings.POINTS_EXPIRY_MONTHS, 1)
    vids = [person() for _ in range(4)]
    for i, vid in enumerate(vids):
        points.bonus(vid, 10 * (i + 1), "奖励")
        age(vid, 40 if i % 2 == 0 else 5)
    assert points.expire_due(dt.date.today()) == 10 + 30
    assert [points.balance(v) for v in vids] == [0, 20, 0, 40]
    assert AuditLog.select().where(AuditLog.action == "expire").count() == 1


# --- reading and checking ------------------------------------------------------------------

def test_ledger_pages_newest_first(register):
    vid = person()
    for i in range(1, 6):
        points.bonus(vid, i, f"第{i}次")
    assert [r.points for r in points.ledger(vid, 0, 2)] == [5, 4]
    assert [r.points for r in points.ledger(vid, 2, 2)] == [3, 2]
    assert points.ledger(vid, 0, 2)[0].kind_label == "奖励"


def test_check_balances_names_a_tampered_balance(register):
    a, b = person(), person("李四")
    points.bonus(a, 5, "奖励")
    Volunteer.update(points_balance=7).where(Volunteer.id == b).execute()
    [bad] = points.check_balances()
    assert (bad.volunteer_id, bad.balance, bad.ledger_sum) == (b, 7, 0)


def test_the_check_constraint_is_the_last_guard(register):
    vid = person()
    with pytest.raises(peewee.IntegrityError), database.atomic():
        Volunteer.update(points_balance=-1).where(Volunteer.id == vid).execute()


def test_balance_of_an_unknown_volunteer(register):
    with pytest.raises(NotFoundError):
        points.balance(12345)


# --- random sequences ----------------------------------------------------------------------

class LedgerMachine(RuleBasedStateMachine):
    """One volunteer per run; any sequence keeps balance == sum(ledger) >= 0."""

    good_id = 0
    price = 7

    def __init__(self) -> None:
        super().__init__()
        self.vid = person("随机")
        self.aid = activity("助老")
        self.records: list[int] = []
        self.redemptions: list[int] = []

    @rule(minutes=st.integers(0, 600))
    def earn(self, minutes):
        before = points.balance(self.vid)
        granted = points.earn_for_records([record(self.vid, self.aid, minutes)])
        self.records.append(ServiceRecord.select(peewee.fn.MAX(ServiceRecord.id)).scalar())
        assert points.balance(self.vid) == before + granted

    @rule(amount=st.integers(1, 60))
    def bonus(self, amount):
        points.bonus(self.vid, amount, "奖励")

    @rule(amount=st.integers(-60, 60).filter(bool))
    def adjust(self, amount):
        before = points.balance(self.vid)
        if before + amount < 0:
            with pytest.raises(PointsError):
                points.adjust(self.vid, amount, "调整")
            assert points.balance(self.vid) == before
        else:
            assert points.adjust(self.vid, amount, "调整").balance_after == before + amount

    @rule(qty=st.integers(1, 4))
    def redeem(self, qty):
        before = points.balance(self.vid)
        if qty * self.price > before:
            with pytest.raises(PointsError):
                shop.redeem(self.vid, [(self.good_id, qty)])
        else:
            result = shop.redeem(self.vid, [(self.good_id, qty)])
            assert result.balance_after == before - qty * self.price
            self.redemptions.append(result.id)

    @precondition(lambda self: self.redemptions)
    @rule(data=st.data())
    def undo(self, data):
        rid = data.draw(st.sampled_from(self.redemptions))
        self.redemptions.remove(rid)
        shop.undo_redemption(rid, "撤销")

    @precondition(lambda self: self.records)
    @rule(data=st.data())
    def reverse(self, data):
        rid = data.draw(st.sampled_from(self.records))
        before = points.balance(self.vid)
        taken = points.reverse_for_record(rid, "更正")
        assert 0 <= taken <= before and points.balance(self.vid) == before - taken

    @rule(days=st.integers(1, 120))
    def time_passes(self, days):
        age(self.vid, days)

    @rule()
    def expire(self):
        before = points.balance(self.vid)
        expired = points.expire_due(dt.date.today())
        assert expired >= 0 and points.balance(self.vid) <= before
        assert points.expire_due(dt.date.today()) == 0

    @invariant()
    def balance_is_the_ledger_sum(self):
        balance = points.balance(self.vid)
        assert balance >= 0
        assert balance == ledger_sum(self.vid)
        last = points.ledger(self.vid, 0, 1)
        assert balance == (last[0].balance_after if last else 0)


def test_random_sequences_keep_the_ledger_balanced(register):
    settings.put(settings.POINTS_RATES, "*=1;助老=2")
    settings.put(settings.POINTS_ACTIVITY_CAP, 15)
    settings.put(settings.POINTS_EXPIRY_MONTHS, 2)
    good = shop.create_good("毛巾", LedgerMachine.price, "条")
    shop.receive(good.id, 100_000, "捐赠")
    LedgerMachine.good_id = good.id
    run_state_machine_as_test(LedgerMachine, settings=hsettings(
        max_examples=25, stateful_step_count=20, deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]))
    assert points.check_balances() == []
    assert all(row.ok for row in shop.reconciliation())
