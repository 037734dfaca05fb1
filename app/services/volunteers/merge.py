"""Merging two records of one person (DOMAIN.md §1: one person, one record).

Duplicates get in when an ID number is typed differently, or when someone registered without
a resident ID card (passport, other document) is later registered with one. Staff pick the
record to keep; in one transaction the other's service records, redemptions and certificates
move to it, its ledger is closed by a transfer-out row and opened on the kept record by
transfer-in rows (no ledger row is moved or rewritten), its ID cards are revoked (their QR
codes name its number), and it stays, marked merged and pointing at the kept record, so its
number still resolves and nothing is deleted. Overlapping service records refuse the merge.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import peewee as pw

from app.domain.errors import NotFoundError, ValidationError
from app.domain.points import EntryKind
from app.domain.volunteer import Status
from app.services.common import audit
from app.store import rollups
from app.store.db import is_sqlite, tuples, writing
from app.store.models import (
    Card,
    Certificate,
    PointsEntry,
    Redemption,
    ServiceRecord,
    Volunteer,
    utcnow,
)

APPROVED = "approved"


@dataclass(frozen=True)
class MergeResult:
    """What a merge moved and the kept record's totals afterwards."""

    kept_number: str
    merged_number: str
    service_records: int
    points_transferred: int  # the merged record's balance, now on the kept record
    redemptions: int
    certificates: int
    cards: int  # cards of the merged record revoked
    approved_minutes: int
    points_balance: int


def _locked(keep_id: int, other_id: int) -> dict[int, Volunteer]:
    """Both rows, locked in id order on PostgreSQL so a points redemption or another merge
    on another desk waits instead of working on a half-moved ledger (SQLite: the writing
    transaction already holds the file's write lock)."""
    query = Volunteer.select().where(Volunteer.id.in_([keep_id, other_id])) \
        .order_by(Volunteer.id)
    if not is_sqlite():
        query = query.for_update()
    return {v.id: v for v in query}


def _revoke_cards(keep_number: str, other_id: int) -> int:
    """Revoke the merged record's valid ID cards. They stay in its history: their QR codes
    name its number, so they could not stand for the kept record; staff issue the kept
    record a card if it has none."""
    return int(Card.update(revoked_at=utcnow(), reason=f"已合并到{keep_number}").where(
        (Card.volunteer == other_id) & Card.revoked_at.is_null()).execute())


def _credit_buckets(other_id: int, balance: int) -> list[tuple[dt.datetime, int]]:
    """Which of the merged record's credits its balance still holds, by the day each was
    earned: first in, first out spends the oldest, so the balance is the newest credits.
    The kept record receives them with those dates, so they expire when they would have."""
    reversed_ids = {r for (r,) in tuples(PointsEntry.select(PointsEntry.reverses).where(
        (PointsEntry.volunteer == other_id) & PointsEntry.reverses.is_null(False)))}
    credits = PointsEntry.select(PointsEntry.id, PointsEntry.at, PointsEntry.points).where(
        (PointsEntry.volunteer == other_id) & (PointsEntry.points > 0)
        & PointsEntry.reverses.is_null()).order_by(PointsEntry.at.desc(), PointsEntry.id.desc())
    by_day: dict[dt.date, tuple[dt.datetime, int]] = {}
    left = balance
    for entry_id, at, points in tuples(credits):
        if left <= 0:
            break
        if entry_id in reversed_ids:
            continue
        take = min(int(points), left)
        left -= take
        first_at, total = by_day.get(at.date(), (at, 0))
        by_day[at.date()] = (min(first_at, at), total + take)
    if left > 0:  # credits reversed-of-debits or written around the service: book them now
        now = utcnow()
        first_at, total = by_day.get(now.date(), (now, 0))
        by_day[now.date()] = (first_at, total + left)
    return sorted(by_day.values())


def _transfer_ledger(keep: Volunteer, other: Volunteer, actor: str) -> tuple[int, list[int]]:
    """Close the merged record's ledger with one transfer-out row and open its balance on
    the kept record with transfer-in rows dated as the points were earned. No existing row
    is moved or rewritten: both ledgers stay append-only and each still sums to its balance.

    Returns:
        The points transferred and the ids of the rows written (for the audit trail).
    """
    for v in (keep, other):
        total = PointsEntry.select(pw.fn.COALESCE(pw.fn.SUM(PointsEntry.points), 0)).where(
            PointsEntry.volunteer == v.id).scalar()
        if int(total or 0) != int(v.points_balance) or int(v.points_balance) < 0:
            raise ValidationError(
                "points", f"{v.number}的积分余额{v.points_balance}分与积分记录合计"
                          f"{int(total or 0)}分不符，账目有误，请先核对积分记录再合并")
    balance = int(other.points_balance)
    if balance == 0:
        return 0, []
    reason_out = f"合并到{keep.number}，余额{balance}分转入该记录"
    out = PointsEntry.create(volunteer=other.id, kind=str(EntryKind.TRANSFER_OUT),
                             points=-balance, balance_after=0, reason=reason_out, actor=actor)
    ids = [out.id]
    running = int(keep.points_balance)
    for at, points in _credit_buckets(other.id, balance):
        running += points
        row = PointsEntry.create(
            volunteer=keep.id, kind=str(EntryKind.TRANSFER_IN), points=points,
            balance_after=running, at=at, actor=actor,
            reason=f"由{other.number}合并转入（{at.date().isoformat()}获得）")
        ids.append(row.id)
    return balance, ids


def _overlaps(keep_id: int, other_id: int) -> list[str]:
    """Service records of the two that overlap in time: after the merge they would be one
    person in two places, which the hours rules never allow."""
    a, b = ServiceRecord.alias("a"), ServiceRecord.alias("b")
    live = (APPROVED, "pending", "open")
    query = (a.select(a.id, b.id, a.started_at, a.ended_at)
             .join(b, on=((b.volunteer == other_id) & (b.started_at < a.ended_at)
                          & (b.ended_at > a.started_at)))
             .where((a.volunteer == keep_id) & a.status.in_(live) & b.status.in_(live)
                    & a.ended_at.is_null(False) & b.ended_at.is_null(False))
             .limit(5))
    return [f"记录{x}与记录{y}（{start:%Y-%m-%d %H:%M}起）时间重叠"
            for x, y, start, _end in tuples(query)]


def merge(keep_id: int, other_id: int, reason: str) -> MergeResult:
    """Fold the record `other_id` into `keep_id` (one transaction, audited on both).

    Raises:
        ValidationError: no reason, the same record twice, or a record already merged.
        NotFoundError: either record does not exist.
    """
    reason = " ".join(reason.split())  # prose: keep full-width punctuation (no NFKC)
    if not reason:
        raise ValidationError("reason", "请填写合并原因")
    if keep_id == other_id:
        raise ValidationError("other", "不能把一条记录合并到它自己")
    with writing():
        rows = _locked(keep_id, other_id)
        for vid in (keep_id, other_id):
            if vid not in rows:
                raise NotFoundError(f"找不到志愿者（编号{vid}）")
        keep, other = rows[keep_id], rows[other_id]
        for v in (keep, other):
            if v.status == Status.MERGED:
                raise ValidationError("other" if v is other else "keep",
                                      f"{v.number} {v.name}已是合并过的记录"
                                      f"（{v.status_reason}），不能再合并")
        moved_minutes = ServiceRecord.select(pw.fn.COALESCE(pw.fn.SUM(ServiceRecord.minutes), 0)) \
            .where((ServiceRecord.volunteer == other.id)
                   & (ServiceRecord.status == APPROVED)).scalar()
        overlaps = _overlaps(keep.id, other.id)
        if overlaps:
            raise ValidationError(
                "other", "两条记录有时间重叠的服务记录，合并后同一人会同时在两处："
                         + "；".join(overlaps) + "。请先驳回或冲正其中一条再合并")
        records = ServiceRecord.update(volunteer=keep.id) \
            .where(ServiceRecord.volunteer == other.id).execute()
        rollups.move_hours_volunteer_month(other.id, keep.id)  # the report's roll-up follows
        actor = audit.current_actor()
        transferred, entry_ids = _transfer_ledger(keep, other, actor)
        redemptions = Redemption.update(volunteer=keep.id) \
            .where(Redemption.volunteer == other.id).execute()
        certificates = Certificate.update(volunteer=keep.id) \
            .where(Certificate.volunteer == other.id).execute()
        cards = _revoke_cards(keep.number, other.id)
        balance = int(keep.points_balance) + transferred
        minutes = max(0, int(keep.approved_minutes) + int(moved_minutes or 0))
        now = utcnow()
        Volunteer.update(approved_minutes=minutes, points_balance=balance, updated_at=now,
                         version=Volunteer.version + 1).where(Volunteer.id == keep.id).execute()
        Volunteer.update(
            status=str(Status.MERGED), status_reason=f"已合并到{keep.number}：{reason}",
            status_changed_at=now, updated_at=now, approved_minutes=0, points_balance=0,
            merged_into_id=keep.id, version=Volunteer.version + 1,
        ).where(Volunteer.id == other.id).execute()
        result = MergeResult(keep.number, other.number, records, transferred, redemptions,
                             certificates, cards, minutes, balance)
        before = {"kept": keep.number, "merged": other.number,
                  "approved_minutes": keep.approved_minutes,
                  "points_balance": keep.points_balance,
                  "merged_approved_minutes": other.approved_minutes,
                  "merged_points_balance": other.points_balance,
                  "merged_status": other.status}
        after = {"kept": keep.number, "merged": other.number, "reason": reason,
                 "service_records": records, "points_transferred": transferred,
                 "transfer_entries": entry_ids, "redemptions": redemptions,
                 "certificates": certificates, "cards": cards,
                 "approved_minutes": minutes, "points_balance": balance}
        audit.record("merge", "volunteer", keep.number, before, after)
        audit.record("merged_into", "volunteer", other.number, before, after)
        return result
