"""Merging two records of one person (DOMAIN.md §1: one person, one record).

Duplicates get in when an ID number is typed differently, or when someone registered without
a resident ID card (passport, other document) is later registered with one. Staff pick the
record to keep; everything the other holds — service records, the points ledger, issued
certificates — moves to it in one transaction, the other's ID cards are revoked (their QR
codes name its number), and the other record stays, marked merged, so its number still
resolves and nothing is deleted.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import peewee as pw

from app.domain.errors import NotFoundError, ValidationError
from app.domain.volunteer import Status
from app.services.common import audit
from app.store.db import is_sqlite, writing
from app.store.models import Card, Certificate, PointsEntry, ServiceRecord, Volunteer, utcnow

APPROVED = "approved"


@dataclass(frozen=True)
class MergeResult:
    """What a merge moved and the kept record's totals afterwards."""

    kept_number: str
    merged_number: str
    service_records: int
    points_entries: int
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


def _rethread_ledger(volunteer_id: int) -> int:
    """Rewrite `balance_after` of the kept record's ledger as one running sum in entry order.

    The moved entries carry balances of the other record; interleaved with the kept
    record's own they would read as a ledger that jumps. The points themselves are not
    touched, so the sum — the balance — is the sum of both ledgers. Two consistent ledgers
    never go below zero together, so a negative running sum means one was already wrong:
    refuse rather than hide it.

    Returns:
        The kept record's balance (the ledger's sum).
    """
    running = 0
    changes: list[tuple[int, int]] = []
    query = PointsEntry.select(PointsEntry.id, PointsEntry.points, PointsEntry.balance_after) \
        .where(PointsEntry.volunteer == volunteer_id).order_by(PointsEntry.id)
    entries: Iterator[tuple[int, int, int]] = iter(query.tuples())
    for entry_id, points, balance_after in entries:
        running += points
        if running < 0:
            raise ValidationError("points", "两条记录的积分账目合起来会出现负余额，账目有误，"
                                            "请先核对积分记录再合并")
        if balance_after != running:
            changes.append((entry_id, running))
    for entry_id, balance in changes:
        PointsEntry.update(balance_after=balance).where(PointsEntry.id == entry_id).execute()
    return running


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
        records = ServiceRecord.update(volunteer=keep.id) \
            .where(ServiceRecord.volunteer == other.id).execute()
        entries = PointsEntry.update(volunteer=keep.id) \
            .where(PointsEntry.volunteer == other.id).execute()
        certificates = Certificate.update(volunteer=keep.id) \
            .where(Certificate.volunteer == other.id).execute()
        cards = _revoke_cards(keep.number, other.id)
        balance = _rethread_ledger(keep.id)
        minutes = max(0, int(keep.approved_minutes) + int(moved_minutes or 0))
        now = utcnow()
        Volunteer.update(approved_minutes=minutes, points_balance=balance, updated_at=now,
                         version=Volunteer.version + 1).where(Volunteer.id == keep.id).execute()
        Volunteer.update(
            status=str(Status.MERGED), status_reason=f"已合并到{keep.number}：{reason}",
            status_changed_at=now, updated_at=now, approved_minutes=0, points_balance=0,
            version=Volunteer.version + 1,
        ).where(Volunteer.id == other.id).execute()
        result = MergeResult(keep.number, other.number, records, entries, certificates, cards,
                             minutes, balance)
        before = {"kept": keep.number, "merged": other.number,
                  "approved_minutes": keep.approved_minutes,
                  "points_balance": keep.points_balance,
                  "merged_approved_minutes": other.approved_minutes,
                  "merged_points_balance": other.points_balance,
                  "merged_status": other.status}
        after = {"kept": keep.number, "merged": other.number, "reason": reason,
                 "service_records": records, "points_entries": entries,
                 "certificates": certificates, "cards": cards,
                 "approved_minutes": minutes, "points_balance": balance}
        audit.record("merge", "volunteer", keep.number, before, after)
        audit.record("merged_into", "volunteer", other.number, before, after)
        return result
