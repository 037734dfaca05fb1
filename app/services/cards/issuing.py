"""Volunteer ID cards (志愿者证): issue, reissue, revoke, verify a scan, and print data.

A card is a row (volunteer, serial); its QR carries a payload signed with the installation's
HMAC key (app.domain.card_token). The key is made on first use and kept in the Setting table,
so every desk on a shared register — and every kiosk laptop on it — checks with the same key,
and a restored backup keeps accepting its cards. Reissuing a lost or damaged card revokes the
current one and raises the serial, so the old payload is refused as revoked.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import peewee as pw

from app.domain import card_token
from app.domain.card_token import CardClaim, CardRefused
from app.domain.errors import ConflictError, NotFoundError, ValidationError
from app.domain.normalize import clean_text
from app.domain.volunteer import Status
from app.services.common import audit, settings
from app.services.hours.records import star_policy
from app.services.volunteers import registration as volunteers
from app.store.db import is_sqlite, writing
from app.store.models import Card, Setting, Volunteer, VolunteerPhoto, utcnow
from app.store.volunteer_queries import VolunteerFilter, where_clause
from reports.card import CardData

KEY_SETTING = "card.hmac_key"   # base64 of 32 random bytes; never shown or exported
KEY_BYTES = 32

# Reason codes added to card_token's unknown_format and bad_signature.
REVOKED = "revoked"
UNKNOWN_CARD = "unknown_card"
UNKNOWN_VOLUNTEER = "unknown_volunteer"
WITHDRAWN = "withdrawn"
SUSPENDED = "suspended"
MERGED = "merged"


@dataclass(frozen=True)
class CardRow:
    id: int
    volunteer_id: int
    number: str
    serial: int
    issued_at: dt.datetime
    issued_by: str
    revoked_at: dt.datetime | None
    reason: str

    @property
    def valid(self) -> bool:
        return self.revoked_at is None


@dataclass(frozen=True)
class VerifiedCard:
    volunteer_id: int
    number: str
    name: str
    serial: int


# --- the key ---------------------------------------------------------------------------

def _stored_key() -> bytes | None:
    row = Setting.get_or_none(Setting.key == KEY_SETTING)
    if row is None:
        return None
    try:
        return base64.b64decode(row.value, validate=True)
    except (binascii.Error, ValueError):
        raise RuntimeError("志愿者证密钥已损坏（设置 card.hmac_key）") from None


def _key() -> bytes:
    """The installation's card key, made and stored on first use.

    Two desks making it at once both insert-or-ignore and then read back the one that won,
    so a register never has two keys.
    """
    key = _stored_key()
    if key is not None:
        return key
    with writing():
        fresh = os.urandom(KEY_BYTES)
        Setting.insert(key=KEY_SETTING, value=base64.b64encode(fresh).decode("ascii")) \
            .on_conflict_ignore().execute()
        key = _stored_key()
        assert key is not None
        if key == fresh:
            audit.record("create_key", "card_key", "card.hmac_key")
    return key


# --- rows ------------------------------------------------------------------------------

def _row(card: Card, v: Volunteer) -> CardRow:
    return CardRow(id=card.id, volunteer_id=v.id, number=v.number,
                   serial=card.serial, issued_at=card.issued_at, issued_by=card.issued_by,
                   revoked_at=card.revoked_at, reason=card.reason)


def _volunteer(volunteer_id: int, lock: bool = False) -> Volunteer:
    """The volunteer row; with `lock`, held for the transaction on PostgreSQL so two desks
    changing the same person's cards queue (SQLite's IMMEDIATE transaction already does)."""
    query = Volunteer.select().where(Volunteer.id == volunteer_id)
    if lock and not is_sqlite():
        query = query.for_update()
    v = query.first()
    if v is None:
        raise NotFoundError(f"找不到志愿者（{volunteer_id}）")
    return v


def _valid_card(volunteer_id: int) -> Card | None:
    return Card.select().where((Card.volunteer == volunteer_id) & Card.revoked_at.is_null()) \
        .order_by(Card.serial.desc()).first()


def _next_serial(volunteer_id: int) -> int:
    top = Card.select(pw.fn.MAX(Card.serial)).where(Card.volunteer == volunteer_id).scalar()
    return int(top or 0) + 1


def _check_can_hold(v: Volunteer) -> None:
    if v.status != Status.ACTIVE:
        label = {Status.SUSPENDED: "已暂停", Status.WITHDRAWN: "已退出",
                 Status.MERGED: "已合并到其他记录"}.get(Status(v.status), str(v.status))
        raise ValidationError("volunteer", f"{v.number}{v.name}{label}，不能发放志愿者证")


def _create(v: Volunteer, issued_by: str) -> Card:
    _key()  # made with the first card, so every kiosk on the register finds it
    serial = _next_serial(v.id)
    card = Card.create(volunteer=v.id, serial=serial, issued_by=issued_by or audit.current_actor())
    audit.record("issue", "card", v.number, None, {"serial": serial})
    return card


def issue(volunteer_id: int, issued_by: str = "") -> CardRow:
    """Issue a card to an active volunteer without a valid one (serial 1 for the first).

    Raises:
        NotFoundError: no such volunteer.
        ValidationError: not active (suspended, withdrawn, merged), or a valid card exists
            (a lost card is replaced with reissue()).
    """
    with writing():
        v = _volunteer(volunteer_id, lock=True)
        _check_can_hold(v)
        if _valid_card(v.id) is not None:
            raise ValidationError("volunteer", f"{v.number}{v.name}已有有效的志愿者证；"
                                               "遗失或损坏请补发")
        return _row(_create(v, issued_by), v)


def _revoke_current(v: Volunteer, reason: str) -> Card | None:
    card = _valid_card(v.id)
    if card is not None:
        Card.update(revoked_at=utcnow(), reason=reason).where(Card.id == card.id).execute()
        audit.record("revoke", "card", v.number, {"serial": card.serial},
                     {"serial": card.serial, "reason": reason})
    return card


def _reason(reason: str) -> str:
    text = clean_text(reason or "")
    if not text:
        raise ValidationError("reason", "请填写原因（如：遗失、损坏）")
    return text


def reissue(volunteer_id: int, reason: str, issued_by: str = "") -> CardRow:
    """Replace the card (lost, damaged): the current one is revoked with the reason and a new
    one with the next serial is issued; the old QR code is refused from then on.

    Raises:
        NotFoundError: no such volunteer.
        ValidationError: no reason, or the volunteer is not active.
    """
    text = _reason(reason)
    with writing():
        v = _volunteer(volunteer_id, lock=True)
        _check_can_hold(v)
        _revoke_current(v, text)
        return _row(_create(v, issued_by), v)


def revoke(volunteer_id: int, reason: str) -> CardRow:
    """Revoke the valid card without a replacement.

    Raises:
        NotFoundError: no such volunteer, or no valid card to revoke.
        ValidationError: no reason.
    """
    text = _reason(reason)
    with writing():
        v = _volunteer(volunteer_id, lock=True)
        card = _revoke_current(v, text)
        if card is None:
            raise NotFoundError(f"{v.number}{v.name}没有有效的志愿者证")
        return _row(Card.get_by_id(card.id), v)


def current(volunteer_id: int) -> CardRow | None:
    """The valid card, or None."""
    v = _volunteer(volunteer_id)
    card = _valid_card(v.id)
    return None if card is None else _row(card, v)


def history(volunteer_id: int) -> list[CardRow]:
    """Every card issued to the volunteer, newest first."""
    v = _volunteer(volunteer_id)
    return [_row(c, v) for c in
            Card.select().where(Card.volunteer == v.id).order_by(Card.serial.desc())]


def payload_for(volunteer_id: int) -> str:
    """The QR payload of the valid card.

    Raises:
        NotFoundError: no such volunteer or no valid card.
    """
    row = current(volunteer_id)
    if row is None:
        raise NotFoundError(f"志愿者（{volunteer_id}）没有有效的志愿者证")
    return card_token.make(row.number, row.serial, _key())


# --- verifying a scan ------------------------------------------------------------------

def _refuse_status(v: Volunteer) -> None:
    status = Status(v.status)
    if status == Status.WITHDRAWN:
        raise CardRefused(WITHDRAWN, f"{v.name}（{v.number}）已退出志愿者队伍，此证不再有效")
    if status == Status.SUSPENDED:
        raise CardRefused(SUSPENDED, f"{v.name}（{v.number}）的志愿者资格已暂停，请联系工作人员")
    if status == Status.MERGED:
        raise CardRefused(MERGED, f"{v.number}已合并到其他记录，此证已作废，请补发新证")


def verify(payload: str) -> VerifiedCard:
    """Who a scanned card belongs to, if it is a valid card of a volunteer who may serve.

    Raises:
        CardRefused: unknown_format, bad_signature (forged, altered, another installation),
            unknown_volunteer, withdrawn, suspended, merged, revoked (an older serial or a
            revoked card), unknown_card (a genuine code this register has no record of, e.g.
            after restoring an older backup).
    """
    key = _stored_key()
    if key is None:
        # No card was ever issued here: still tell a malformed scan from a foreign card.
        key = os.urandom(KEY_BYTES)
    claim: CardClaim = card_token.read(payload, key)
    v = Volunteer.get_or_none(Volunteer.number == claim.number)
    if v is None:
        raise CardRefused(UNKNOWN_VOLUNTEER, f"登记簿中没有编号为{claim.number}的志愿者")
    _refuse_status(v)
    card = Card.get_or_none((Card.volunteer == v.id) & (Card.serial == claim.serial))
    if card is None:
        raise CardRefused(UNKNOWN_CARD, f"{v.name}的第{claim.serial}张志愿者证没有发放记录，"
                                        "请联系工作人员补发")
    if card.revoked_at is not None:
        why = f"（{card.reason}）" if card.reason else ""
        raise CardRefused(REVOKED, f"此证已作废{why}：{v.name}的志愿者证已挂失或补发，"
                                   "请使用最新的证件")
    return VerifiedCard(v.id, v.number, v.name, claim.serial)


# --- printing --------------------------------------------------------------------------

def _local_date(moment: dt.datetime) -> dt.date:
    return moment.replace(tzinfo=dt.UTC).astimezone().date()


@dataclass(frozen=True)
class CardBatch:
    """Cards for a print preview, before anything is issued: `serials` pairs each volunteer
    with the serial the card shows; `to_issue` are the volunteers whose card does not exist
    yet (its serial is the one `issue_batch` will give it)."""
    serials: tuple[tuple[int, int], ...]
    to_issue: tuple[int, ...]
    cards: tuple[CardData, ...]


def _gather(ids: list[int], provisional: bool) -> tuple[list[CardData], list[int]]:
    """Card data in the order of `ids` (a few queries in all) and, with `provisional`, the
    volunteers without a valid card, shown with the serial they would get today."""
    people = {v.id: v for v in Volunteer.select().where(Volunteer.id.in_(ids))}
    cards: dict[int, tuple[int, dt.datetime]] = {}
    found: Iterator[tuple[int, int, dt.datetime]] = iter(
        Card.select(Card.volunteer, Card.serial, Card.issued_at)
        .where(Card.volunteer.in_(ids) & Card.revoked_at.is_null()).tuples())
    for vid, serial, issued_at in found:
        if vid not in cards or serial > cards[vid][0]:
            cards[vid] = (serial, issued_at)
    top: dict[int, int] = {}
    if provisional:
        tops: Iterator[tuple[int, int]] = iter(
            Card.select(Card.volunteer, pw.fn.MAX(Card.serial)).where(Card.volunteer.in_(ids))
            .group_by(Card.volunteer).tuples())
        top = {vid: int(serial or 0) for vid, serial in tops}
    images: Iterator[tuple[int, bytes]] = iter(
        VolunteerPhoto.select(VolunteerPhoto.volunteer, VolunteerPhoto.image)
        .where(VolunteerPhoto.volunteer.in_(ids)).tuples())
    photos = {vid: bytes(image) for vid, image in images}
    key, stars = _key(), star_policy()
    center, logo = settings.get(settings.CENTER_NAME), settings.get(settings.CENTER_LOGO)
    now = utcnow()
    out, missing = [], []
    for vid in ids:
        v = people.get(vid)
        if v is None:
            raise NotFoundError(f"找不到志愿者（{vid}）")
        got = cards.get(vid)
        if got is None:
            if not provisional:
                raise NotFoundError(f"{v.number}{v.name}没有有效的志愿者证，请先发证")
            _check_can_hold(v)
            got = (top.get(vid, 0) + 1, now)
            missing.append(vid)
        out.append(CardData(
            name=v.name, number=v.number, star_level=stars.level(v.approved_minutes),
            center_name=center, logo_path=logo, issued_on=_local_date(got[1]),
            payload=card_token.make(v.number, got[0], key), photo=photos.get(vid),
            serial=got[0]))
    return out, missing


def card_data(volunteer_ids: Sequence[int]) -> list[CardData]:
    """What each volunteer's card shows, in the order given (a few queries in all).

    Raises:
        NotFoundError: a volunteer that does not exist or has no valid card.
    """
    ids = list(dict.fromkeys(volunteer_ids))
    return _gather(ids, provisional=False)[0] if ids else []


def plan_cards(volunteer_ids: Sequence[int]) -> CardBatch:
    """The cards of the volunteers as a preview shows them, issuing nothing: a volunteer
    without a valid card is drawn with the serial `issue_batch` would give (so the PDF can
    be printed as it is once they are issued).

    Raises:
        NotFoundError: a volunteer that does not exist.
        ValidationError: a volunteer without a card who may not hold one (not active).
    """
    ids = list(dict.fromkeys(volunteer_ids))
    if not ids:
        return CardBatch((), (), ())
    data, missing = _gather(ids, provisional=True)
    return CardBatch(tuple((vid, d.serial) for vid, d in zip(ids, data, strict=True)),
                     tuple(missing), tuple(data))


def issue_batch(batch: CardBatch, issued_by: str = "") -> int:
    """Issue the batch's missing cards, in one transaction, with exactly the serials the
    preview showed; returns how many were issued. Reads and writes in bulk (a batch of
    1,900 cards one by one took seconds).

    Raises:
        ConflictError: a card of the batch changed since the preview (another desk issued,
            reissued or revoked one): nothing is issued; preview again.
        NotFoundError: a volunteer no longer in the register.
        ValidationError: a volunteer who may no longer hold a card.
    """
    if not batch.to_issue:
        return 0
    pending = set(batch.to_issue)
    ids = [vid for vid, _serial in batch.serials]
    with writing():
        _key()  # made with the first card, so every kiosk on the register finds it
        people = Volunteer.select().where(Volunteer.id.in_(ids)).order_by(Volunteer.id)
        if not is_sqlite():   # other desks changing these people's cards queue behind us
            people = people.for_update()
        found = {v.id: v for v in people}
        valid: dict[int, int] = {}
        top: dict[int, int] = {}
        rows: Iterator[tuple[int, int, dt.datetime | None]] = iter(
            Card.select(Card.volunteer, Card.serial, Card.revoked_at)
            .where(Card.volunteer.in_(ids)).tuples())
        for vid, serial, revoked_at in rows:
            top[vid] = max(top.get(vid, 0), serial)
            if revoked_at is None:
                valid[vid] = max(valid.get(vid, 0), serial)
        for vid, serial in batch.serials:
            v = found.get(vid)
            if v is None:
                raise NotFoundError(f"找不到志愿者（{vid}）")
            if vid in pending:
                if vid in valid or top.get(vid, 0) + 1 != serial:
                    raise ConflictError(f"{v.number}{v.name}的志愿者证在预览后已由其他工作站"
                                        "发放，请重新预览后再打印")
                _check_can_hold(v)
            elif valid.get(vid) != serial:
                raise ConflictError(f"{v.number}{v.name}的志愿者证在预览后已补发或作废，"
                                    "请重新预览后再打印")
        by, now = issued_by or audit.current_actor(), utcnow()
        fresh = [(vid, serial) for vid, serial in batch.serials if vid in pending]
        for chunk in pw.chunked(fresh, 1000):
            Card.insert_many([{"volunteer": vid, "serial": serial, "issued_at": now,
                               "issued_by": by} for vid, serial in chunk]).execute()
        audit.record_many("issue", "card", [(found[vid].number, {"serial": serial})
                                            for vid, serial in fresh])
    return len(fresh)


@dataclass(frozen=True)
class WithoutCard:
    """A row of the cards page's "without a valid card" list."""

    id: int
    number: str
    name: str
    community: str


def without_valid_card(text: str = "", limit: int = 200) -> list[WithoutCard]:
    """Active volunteers with no valid card, by number, narrowed by `text` the way the
    volunteer list's search narrows (number, name, pinyin initials, phone or ID tail): staff
    look for one person among thousands, not only at the first page."""
    has_card = Card.select(Card.id).where(
        (Card.volunteer == Volunteer.id) & Card.revoked_at.is_null())
    cond = where_clause(VolunteerFilter(text=text, statuses=(str(Status.ACTIVE),)))
    missing = ~pw.fn.EXISTS(has_card)
    query = (Volunteer.select(Volunteer.id, Volunteer.number, Volunteer.name,
                              Volunteer.community)
             .where(missing if cond is None else (cond & missing))
             .order_by(Volunteer.number).limit(limit))
    rows: Iterator[tuple[int, str, str, str]] = iter(query.tuples())
    return [WithoutCard(int(vid), number, name, community or "")
            for vid, number, name, community in rows]


def volunteers_without_valid_card(limit: int | None = None) -> list[int]:
    """Active volunteers who hold no valid card, by volunteer number."""
    has_card = Card.select(Card.id).where(
        (Card.volunteer == Volunteer.id) & Card.revoked_at.is_null())
    query = Volunteer.select(Volunteer.id).where(
        (Volunteer.status == str(Status.ACTIVE)) & ~pw.fn.EXISTS(has_card),
    ).order_by(Volunteer.number)
    if limit is not None:
        query = query.limit(limit)
    rows: Iterator[tuple[int]] = iter(query.tuples())
    return [int(row[0]) for row in rows]


def ensure_cards(volunteer_ids: Iterable[int], issued_by: str = "") -> int:
    """Issue a card to each of the volunteers who has no valid one; returns how many."""
    made = 0
    for vid in dict.fromkeys(volunteer_ids):
        with writing():
            v = _volunteer(vid, lock=True)
            if _valid_card(v.id) is None:
                _check_can_hold(v)
                _create(v, issued_by)
                made += 1
    return made


def ids_for_numbers(numbers: Iterable[str]) -> list[int]:
    """Volunteer ids for numbers as typed (case and spaces forgiven), in the order given."""
    return [volunteers.get_by_number(n.strip().upper()).id for n in numbers]
