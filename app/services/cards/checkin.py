"""Event check-in (DOMAIN.md §4): a scanned card payload in, a result for the kiosk out.

`scan` verifies the card (app.services.cards.issuing), then records the scan through
app.services.hours.records (first scan checks in, the next checks out, a repeat within
the window changes nothing). A refusal — a forged, revoked or foreign card, a withdrawn
volunteer, a closed activity, a scan far outside the activity's time — is a result with
`accepted=False`, never an exception, because the kiosk must show it and carry on. With the
setting `kiosk.outside_window` at "warn", a scan outside the activity's window on its own day
is accepted instead, flagged "outside_window" and carrying the reason in `warning`.

Every scan, accepted or refused, writes one ScanLog row in the same transaction as the
record it caused: the card check and the record run in savepoints, so a refusal rolls back
whatever they started and the log row still commits.

Reason codes (`ScanResult.reason`): "" when accepted; a card refusal's own code
(`CardRefused.code`); "empty" for a blank scan; "not_found" for an unknown activity or
volunteer; otherwise the field of the rule that refused (`volunteer` for a withdrawn or
suspended volunteer, `activity` for a closed activity or a stay still open elsewhere, `at`
for a scan outside the activity's time or overlapping another record).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import NamedTuple

import peewee as pw

from app.domain.errors import NotFoundError, ValidationError
from app.domain.hours import Kind, RecordStatus
from app.services.common import settings
from app.services.hours import records as service_records
from app.store.db import database, writing
from app.store.models import ScanLog, ServiceRecord

log = logging.getLogger(__name__)

PAYLOAD_LOG_LENGTH = 200     # ScanLog.payload's width
STATION_LENGTH = 60          # ScanLog.station's width

# The staff PIN that lets a kiosk be left (kept here as a name for existing callers).
KIOSK_PIN = settings.KIOSK_PIN

ACCEPTED_KINDS = ("checked_in", "checked_out", "repeat")
REFUSED = "refused"


@dataclass(frozen=True, slots=True)
class ScanResult:
    """What the kiosk shows after one scan."""

    accepted: bool
    kind: str                   # checked_in / checked_out / repeat / refused
    message: str                # Chinese, for the screen and the CLI
    reason: str = ""            # a code, "" when accepted (see the module docstring)
    at: dt.datetime | None = None   # the local scan time
    volunteer_id: int | None = None
    volunteer_name: str = ""
    volunteer_number: str = ""
    minutes: int = 0            # counted minutes of a check-out (or of the repeated one)
    record_id: int | None = None
    flags: tuple[str, ...] = ()
    warning: str = ""           # Chinese; an accepted scan outside the activity's window


def normalize_payload(payload: str) -> str:
    """What a scanner typed, without surrounding blanks and in upper case.

    The payload is QR alphanumeric (upper case only), so a scanner or keyboard left in
    Caps Lock, which types it in lower case, still reads the same card; the signature is
    checked on the upper-case text, so this accepts nothing a forger could not type anyway.
    """
    return payload.strip().upper()


def scan(payload: str, activity_id: int, station: str = "",
         at: dt.datetime | None = None) -> ScanResult:
    """Verify a scanned card and record the scan at an activity; log it either way.

    Args:
        payload: the text the scanner typed (the card's QR).
        activity_id: the activity the kiosk runs for.
        station: the kiosk's name, for the log and the audit trail.
        at: the scan's local time (default: now, to the second).
    """
    if at is None:
        at = service_records.local_now()
    elif at.tzinfo is not None:
        at = at.astimezone().replace(tzinfo=None)
    at = at.replace(microsecond=0)
    text = normalize_payload(payload)
    station = station.strip()[:STATION_LENGTH]
    with writing():
        result = _scan(text, activity_id, station, at)
        ScanLog.create(
            at=_utc(at), activity_id=activity_id, station=station,
            payload=_loggable(text), volunteer_id=result.volunteer_id,
            outcome=result.kind,
            reason=(f"{result.reason}: {result.message}" if not result.accepted
                    else ",".join(result.flags)))
    if not result.accepted:
        log.info("scan refused at activity %s (%s): %s", activity_id, result.reason,
                 result.message)
    return result


def _scan(text: str, activity_id: int, station: str, at: dt.datetime) -> ScanResult:
    from app.domain.card_token import CardRefused
    from app.services.cards import issuing as cards

    def refused(reason: str, message: str, card: object = None) -> ScanResult:
        return ScanResult(False, REFUSED, message, reason, at,
                          volunteer_id=getattr(card, "volunteer_id", None),
                          volunteer_name=getattr(card, "name", ""),
                          volunteer_number=getattr(card, "number", ""))

    if not text:
        return refused("empty", "未读到卡片内容，请重新扫码")
    try:
        with database.atomic():
            card = cards.verify(text)
    except CardRefused as exc:
        code = getattr(exc, "code", None) or getattr(exc, "reason_code", "card")
        return refused(str(code), str(getattr(exc, "message", None) or exc))
    try:
        with database.atomic():
            outcome = service_records.record_scan(card.volunteer_id, activity_id, at, station)
    except ValidationError as exc:
        return refused(exc.field, exc.message, card)
    except NotFoundError as exc:
        return refused("not_found", str(exc), card)
    return ScanResult(True, outcome.kind, outcome.message, "", at,
                      volunteer_id=card.volunteer_id, volunteer_name=card.name,
                      volunteer_number=card.number, minutes=outcome.minutes,
                      record_id=outcome.record_id, flags=outcome.flags,
                      warning=outcome.warning)


def _loggable(text: str) -> str:
    """The scanned text as the log keeps it: control characters written as escapes (\\x00),
    since PostgreSQL text cannot hold a NUL and the log should show what was typed."""
    text = text[:PAYLOAD_LOG_LENGTH]
    if not text.isprintable():
        text = "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii")
                       for ch in text)
    return text[:PAYLOAD_LOG_LENGTH]


def _utc(local: dt.datetime) -> dt.datetime:
    """A naive local time as naive UTC (the log keeps UTC like every other timestamp)."""
    return local.astimezone(dt.UTC).replace(tzinfo=None)


class Counts(NamedTuple):
    present_now: int        # checked in and not yet out
    checked_in_today: int   # people who checked in today (each once)


def counts(activity_id: int, today: dt.date | None = None) -> Counts:
    """The kiosk's running counts for an activity (two indexed queries)."""
    day = today or service_records.local_now().date()
    first = dt.datetime.combine(day, dt.time())
    scanned = (ServiceRecord.activity == activity_id) & (ServiceRecord.kind == Kind.SCANNED)
    present = ServiceRecord.select().where(
        scanned & (ServiceRecord.status == RecordStatus.OPEN)).count()
    people = ServiceRecord.select(pw.fn.COUNT(ServiceRecord.volunteer.distinct())).where(
        scanned & (ServiceRecord.started_at >= first)
        & (ServiceRecord.started_at < first + dt.timedelta(days=1))
        & (ServiceRecord.status != RecordStatus.REJECTED)).scalar()
    return Counts(int(present), int(people or 0))


def recent(activity_id: int, limit: int = 20) -> list[ScanLog]:
    """The latest scans at an activity, newest first (for staff checking a complaint)."""
    return list(ScanLog.select().where(ScanLog.activity_id == activity_id)
                .order_by(ScanLog.id.desc()).limit(limit))
