"""Merging two records of one person, on SQLite and PostgreSQL.

Service records and ledger entries are written through the models here; the merge moves service
records, redemptions and certificates, and transfers the balance between two append-only ledgers.
"""

import datetime as dt
import json

import pytest

from app.domain.errors import NotFoundError, ValidationError
from app.domain.volunteer import IdType, Status, VolunteerDraft, check_status_change
from app.services.hours import certificates
from app.services.volunteers import merge
from app.services.volunteers import registration as volunteers
from app.store.models import (
    Activity,
    AuditLog,
    Certificate,
    PointsEntry,
    ServiceRecord,
    Volunteer,
)

TODAY = dt.date(2026, 11, 23)


def person(name="张三", id_number="11010519491231002X", **kw):
    return volunteers.register(VolunteerDraft(name=name, id_number=id_number,
                                              phone="13800138000", **kw), today=TODAY)


def serve(vol, minutes, day, status="approved"):
    start = dt.datetime.combine(day, dt.time(9))
    act = Activity.create(name=f"活动{day}", starts_at=start,
                          ends_at=start + dt.timedelta(hours=4))
    rec = ServiceRecord.create(volunteer=vol.id, activity=act.id, kind="manual", status=status,
                               started_at=start, ended_at=start + dt.timedelta(minutes=minutes),
                               minutes=minutes)
    if status == "approved":
        Volunteer.update(approved_minutes=Volunteer.approved_minutes + minutes).where(
            Volunteer.id == vol.id).execute()
    return rec


def ledger(vol, points, kind="earn", at=None):
    balance = Volunteer.get_by_id(vol.id).points_balance + points
    extra = {"at": at} if at is not None else {}
    entry = PointsEntry.create(volunteer=vol.id, kind=kind, points=points,
                               balance_after=balance, **extra)
    Volunteer.update(points_balance=balance).where(Volunteer.id == vol.id).execute()
    return entry


def rows(vol):
    return [(e.kind, e.points, e.balance_after) for e in PointsEntry.select().where(
        PointsEntry.volunteer == vol.id).order_by(PointsEntry.id)]


def pair():
    """The same woman twice: once with a resident ID, once by passport before she had one."""
    real = person()
    dup = person("张三", "E12345678", id_type=IdType.PASSPORT, sex="F",
                 birth_date=dt.date(1949, 12, 31))
    return real, dup


def test_merge_moves_everything_and_keeps_the_other_as_merged(register):
    real, dup = pair()
    serve(real, 120, dt.date(2026, 3, 1))
    ledger(real, 10)
    serve(dup, 90, dt.date(2026, 3, 2))
    serve(dup, 30, dt.date(2026, 3, 3), status="pending")
    ledger(dup, 8)
    ledger(real, 5)
    ledger(dup, -6, "redeem")
    cert = certificates.issue(dup.id, today=TODAY)

    result = merge.merge(real.id, dup.id, "同一人先用护照登记，后补登身份证")

    assert (result.kept_number, result.merged_number) == (real.number, dup.number)
    assert (result.service_records, result.points_transferred, result.certificates) == (2, 2, 1)
    assert result.cards == 0
    kept, other = Volunteer.get_by_id(real.id), Volunteer.get_by_id(dup.id)
    assert kept.approved_minutes == result.approved_minutes == 210  # pending does not count
    assert kept.points_balance == result.points_balance == 10 + 8 + 5 - 6
    assert ServiceRecord.select().where(ServiceRecord.volunteer == dup.id).count() == 0
    assert Certificate.get_by_id(cert.id).volunteer_id == real.id
    # Append-only: the merged ledger keeps its rows and is closed by a transfer; the kept
    # one keeps its rows and opens the transferred balance. Each sums to its balance.
    assert rows(dup) == [("earn", 8, 8), ("redeem", -6, 2), ("transfer_out", -2, 0)]
    assert rows(real) == [("earn", 10, 10), ("earn", 5, 15), ("transfer_in", 2, 17)]
    for vol in (real, dup):
        assert sum(e.points for e in PointsEntry.select().where(
            PointsEntry.volunteer == vol.id)) == Volunteer.get_by_id(vol.id).points_balance
    # The other record stays, marked merged, with nothing left on it.
    assert other.status == Status.MERGED and real.number in other.status_reason
    assert (other.approved_minutes, other.points_balance) == (0, 0)
    assert kept.version == 2 and other.version == 2
    assert volunteers.get(dup.id).status.label == "已合并"
    # Audited on both records, each row naming both numbers.
    for number, action in ((real.number, "merge"), (dup.number, "merged_into")):
        row = AuditLog.get((AuditLog.entity_id == number) & (AuditLog.action == action))
        after = json.loads(row.after)
        assert (after["kept"], after["merged"]) == (real.number, dup.number)
        assert after["reason"] == "同一人先用护照登记，后补登身份证"
    # The certificate keeps verifying: it was issued to the number it names.
    assert certificates.verify(cert.payload).volunteer_number == dup.number


def test_id_number_typed_differently(register):
    real = person()
    typo = person("张三", "440524188001010014")  # a valid number, but someone else's digits
    serve(typo, 60, dt.date(2026, 5, 1))
    result = merge.merge(real.id, typo.id, "证件号码录入错误")
    assert result.approved_minutes == 60 and result.points_balance == 0


def test_refusals(register):
    real, dup = pair()
    with pytest.raises(ValidationError, match="自己"):
        merge.merge(real.id, real.id, "重复")
    with pytest.raises(ValidationError, match="原因"):
        merge.merge(real.id, dup.id, "  ")
    with pytest.raises(NotFoundError):
        merge.merge(real.id, 9999, "重复")
    merge.merge(real.id, dup.id, "重复登记")
    with pytest.raises(ValidationError, match="已是合并过的记录"):
        merge.merge(real.id, dup.id, "再来一次")
    with pytest.raises(ValidationError, match="已是合并过的记录"):
        merge.merge(dup.id, real.id, "反过来")
    third = person("张三丰", "110105199001011232")
    with pytest.raises(ValidationError, match="已是合并过的记录"):
        merge.merge(dup.id, third.id, "合并到已合并的记录")


def test_nothing_moves_when_the_ledgers_do_not_add_up(register):
    real, dup = pair()
    serve(dup, 60, dt.date(2026, 5, 1))
    ledger(real, 5)
    # A broken ledger (an entry below zero written around the service) must not be hidden.
    PointsEntry.create(volunteer=dup.id, kind="adjust", points=-20, balance_after=0)
    with pytest.raises(ValidationError, match="与积分记录合计-20分不符"):
        merge.merge(real.id, dup.id, "重复登记")
    assert ServiceRecord.select().where(ServiceRecord.volunteer == dup.id).count() == 1
    assert Volunteer.get_by_id(dup.id).status == "active"


def test_no_status_change_out_of_merged():
    for target in (Status.ACTIVE, Status.SUSPENDED, Status.WITHDRAWN):
        with pytest.raises(ValidationError):
            check_status_change(Status.MERGED, target, "恢复")
    with pytest.raises(ValidationError):
        check_status_change(Status.ACTIVE, Status.MERGED, "不经合并不能标记")


def test_change_status_refuses_a_merged_record(register):
    real, dup = pair()
    merge.merge(real.id, dup.id, "重复登记")
    with pytest.raises(ValidationError):
        volunteers.change_status(dup.id, Status.ACTIVE, "")


def test_merge_revokes_the_merged_records_card(register):
    from app.domain.card_token import CardRefused
    from app.domain.volunteer import VolunteerDraft
    from app.services.cards import issuing as cards
    from app.services.volunteers import merge
    from app.services.volunteers import registration as volunteers

    keep = volunteers.register(VolunteerDraft(name="张三", id_number="11010519491231002X",
                                              phone="13800138000"))
    other = volunteers.register(VolunteerDraft(name="张三", id_number="E12345678",
                                               id_type="passport", sex="女",
                                               birth_date=keep.draft.birth_date,
                                               phone="13800138000"))
    cards.issue(other.id)
    old_payload = cards.payload_for(other.id)
    result = merge.merge(keep.id, other.id, "同一人")
    assert result.cards == 1
    assert cards.current(other.id) is None
    with pytest.raises(CardRefused):
        cards.verify(old_payload)


def test_transferred_points_keep_the_dates_they_were_earned(register):
    """Expiry is first in, first out by the day a point was earned: the transfer must not
    make old points young. The balance is the newest credits (the oldest were spent)."""
    real, dup = pair()
    ledger(dup, 5, at=dt.datetime(2024, 1, 10, 2))
    ledger(dup, 7, at=dt.datetime(2025, 6, 1, 2))
    ledger(dup, -8, "redeem", at=dt.datetime(2025, 7, 1, 2))  # spends 5 old + 3 of the 7
    merge.merge(real.id, dup.id, "重复登记")
    moved = [(e.at.date(), e.points) for e in PointsEntry.select().where(
        (PointsEntry.volunteer == real.id) & (PointsEntry.kind == "transfer_in"))]
    assert moved == [(dt.date(2025, 6, 1), 4)]


def test_a_correction_after_the_merge_is_booked_on_the_kept_ledger(register):
    """A moved service record reversed later takes its points back from the kept record."""
    from app.services.points import ledger as points

    real, dup = pair()
    rec = serve(dup, 60, dt.date(2026, 3, 2))
    earn = PointsEntry.create(volunteer=dup.id, kind="earn", points=4, balance_after=4,
                              record=rec.id)
    Volunteer.update(points_balance=4).where(Volunteer.id == dup.id).execute()
    merge.merge(real.id, dup.id, "重复登记")
    assert points.reverse_for_record(rec.id, "审核有误") == 4
    reversal = PointsEntry.get(PointsEntry.reverses == earn.id)
    assert reversal.volunteer_id == real.id
    assert Volunteer.get_by_id(real.id).points_balance == 0
    assert Volunteer.get_by_id(dup.id).points_balance == 0
    assert points.check_balances() == []


def test_overlapping_service_records_refuse_the_merge(register):
    real, dup = pair()
    serve(real, 120, dt.date(2026, 3, 1))
    serve(dup, 90, dt.date(2026, 3, 1))  # the same morning
    with pytest.raises(ValidationError, match="时间重叠"):
        merge.merge(real.id, dup.id, "重复登记")
    assert Volunteer.get_by_id(dup.id).status == "active"


def test_redemptions_move_to_the_kept_record(register):
    from app.store.models import Redemption

    real, dup = pair()
    ledger(dup, 10)
    redemption = Redemption.create(number="DH2026-000001", volunteer=dup.id, total_points=0)
    result = merge.merge(real.id, dup.id, "重复登记")
    assert result.redemptions == 1
    assert Redemption.get_by_id(redemption.id).volunteer_id == real.id
