"""Service certificates (志愿服务记录证明): issue, print, verify, and the signing key.

"Whoever records certifies" (DOMAIN.md §2): the register issues the certificate from its own
approved records, numbers it from a counter that never goes back, keeps a copy of what it
certified, and signs the facts with the installation's Ed25519 key so that anyone holding the
public key can check a printed certificate offline (app.domain.signing).

The key pair is made on first use and kept in the Setting table, so every desk on a shared
register signs with the same key and a restored backup keeps verifying its old certificates.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.domain import signing
from app.domain.errors import NotFoundError, ValidationError
from app.domain.signing import CertificateClaim, CertificateInvalidError
from app.domain.volunteer import IdType, Status
from app.services.common import audit, numbering, settings
from app.store.db import writing
from app.store.models import Activity, Certificate, ServiceRecord, Setting, Volunteer
from reports.certificate import ActivityLine, CertificateData, render_certificate

SEQUENCE = "certificate"
NUMBER_PREFIX = "ZM"
PRIVATE_KEY = "certificate.signing_key"   # base64 of the 32 raw bytes; never shown or exported
PUBLIC_KEY = "certificate.public_key"     # PEM, what verifiers are given
APPROVED = "approved"
REVERSAL = "reversal"
PREVIEW_NUMBER = "（预览，保存或打印时编号）"
OWN_UNIT = "本单位"  # an activity without an organizer is the issuing center's own
DEFAULT_REMARKS = ("本证明所载服务时间为本单位记录并审核通过的志愿服务时间。"
                   "扫描右上角二维码，可用本单位公布的公钥离线核验本证明的真伪。")


@dataclass(frozen=True)
class IssuedCertificate:
    """A certificate just issued: its row id, the certified facts and the QR payload."""

    id: int
    claim: CertificateClaim
    payload: str
    activities: tuple[ActivityLine, ...]
    record_count: int

    @property
    def number(self) -> str:
        return self.claim.number

    @property
    def minutes(self) -> int:
        return self.claim.minutes


def format_number(serial: int, year: int) -> str:
    """ZM2026-000001: the year of issue, then the register-wide serial (never reset, so a
    number is unique even without its year)."""
    return f"{NUMBER_PREFIX}{year}-{serial:06d}"


# --- the key ---------------------------------------------------------------------------

def _stored_key() -> Ed25519PrivateKey | None:
    row = Setting.get_or_none(Setting.key == PRIVATE_KEY)
    return None if row is None else signing.private_key_from_text(row.value)


def _signing_key() -> Ed25519PrivateKey:
    """The installation's private key, made and stored on first use.

    Two desks creating it at once both insert-or-ignore and then read back the one that won,
    so a register never ends up with two keys.
    """
    key = _stored_key()
    if key is not None:
        return key
    with writing():
        fresh = signing.generate_private_key()
        Setting.insert(key=PRIVATE_KEY, value=signing.private_key_to_text(fresh)) \
            .on_conflict_ignore().execute()
        key = _stored_key()
        assert key is not None
        pem = signing.public_key_pem(key)
        Setting.insert(key=PUBLIC_KEY, value=pem).on_conflict_ignore().execute()
        if signing.key_id(key) == signing.key_id(fresh):
            audit.record("create_key", "certificate_key", signing.key_id(key), None,
                         {"public_key": pem})
    return key


def public_key_pem() -> str:
    """The register's public key (PEM) to hand to schools and employers; made if missing."""
    return signing.public_key_pem(_signing_key())


def payload_of(scanned: str) -> str:
    """The signed payload inside a scanned QR text: the QR holds `ADDRESS#PAYLOAD` when a
    verification page is published (settings.CERT_VERIFY_URL), the bare payload otherwise."""
    text = scanned.strip()
    return text.split("#", 1)[1] if "#" in text else text


def qr_text(payload: str) -> str:
    """What a certificate's QR holds: `ADDRESS#PAYLOAD` with a published verification page
    (a phone camera opens it, and the fragment never reaches the web server), else the
    payload alone."""
    address = settings.get(settings.CERT_VERIFY_URL).strip()
    return f"{address}#{payload}" if address else payload


def verify(payload: str, public_key_pem: str | bytes | None = None) -> CertificateClaim:
    """Check a certificate's QR text (the payload, or `ADDRESS#PAYLOAD`) with the given
    public key or the register's own.

    Raises:
        CertificateInvalidError: forged, altered, another issuer's, or no key to check with.
    """
    payload = payload_of(payload)
    if public_key_pem is not None:
        return signing.verify(payload, signing.load_public_key(public_key_pem))
    key = _stored_key()
    if key is None:
        raise CertificateInvalidError(
            "本登记簿还没有出具过证明（没有签名密钥）；请指定出具单位的公钥文件")
    return signing.verify(payload, key.public_key())


# --- issuing ---------------------------------------------------------------------------

def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time())


class _Row(NamedTuple):
    id: int
    kind: str
    minutes: int
    started_at: dt.datetime
    activity: int
    reverses: int | None


@dataclass(frozen=True)
class _Gathered:
    minutes: int
    by_kind: dict[str, int]
    lines: tuple[ActivityLine, ...]
    record_count: int


def _gather(volunteer_id: int, start: dt.date, end: dt.date) -> _Gathered:
    """Approved minutes in [start, end] (service dates, local), with the activities.

    Reversal rows are approved records with negative minutes, so a correction made before
    issuing lowers the certified hours; they count under the kind of the record they
    correct, keeping scanned and manual hours apart (DOMAIN.md §2).
    """
    query = ServiceRecord.select(
        ServiceRecord.id, ServiceRecord.kind, ServiceRecord.minutes, ServiceRecord.started_at,
        ServiceRecord.activity, ServiceRecord.reverses,
    ).where(
        (ServiceRecord.volunteer == volunteer_id) & (ServiceRecord.status == APPROVED)
        & (ServiceRecord.started_at >= _day_start(start))
        & (ServiceRecord.started_at < _day_start(end + dt.timedelta(days=1))),
    ).order_by(ServiceRecord.started_at, ServiceRecord.id)
    raw: Iterator[tuple[int, str, int, dt.datetime, int, int | None]] = iter(query.tuples())
    rows = [_Row(*t) for t in raw]
    originals = {r.reverses for r in rows if r.kind == REVERSAL and r.reverses}
    kinds: dict[int, str] = {}
    if originals:
        found: Iterator[tuple[int, str]] = iter(
            ServiceRecord.select(ServiceRecord.id, ServiceRecord.kind)
            .where(ServiceRecord.id.in_(list(originals))).tuples())
        kinds = dict(found)
    by_kind: dict[str, int] = defaultdict(int)
    per_activity: dict[int, list[_Row]] = defaultdict(list)
    for r in rows:
        kind = kinds.get(r.reverses or 0, "manual") if r.kind == REVERSAL else r.kind
        by_kind[kind] += r.minutes
        per_activity[r.activity].append(r)
    activities = {a.id: a for a in Activity.select().where(
        Activity.id.in_(list(per_activity)))} if per_activity else {}
    lines = []
    for activity_id, records in per_activity.items():  # in order of first service
        minutes = sum(r.minutes for r in records)
        if minutes <= 0:
            continue  # fully reversed: it was not served as recorded
        activity = activities[activity_id]
        first = min(r.started_at for r in records).date()
        last = max(r.started_at for r in records).date()
        when = signing.chinese_date(first)
        if last != first:
            when += f"至{last.month}月{last.day}日" if last.year == first.year \
                else f"至{signing.chinese_date(last)}"
        lines.append(ActivityLine(when, activity.name, activity.organizer or OWN_UNIT,
                                  signing.format_hours(minutes)))
    return _Gathered(sum(by_kind.values()), dict(by_kind), tuple(lines), len(rows))


def _hours_note(by_kind: dict[str, int]) -> str:
    scanned, manual = by_kind.get("scanned", 0), by_kind.get("manual", 0)
    if scanned and manual:
        return (f"其中扫码签到{signing.format_hours(scanned)}小时，"
                f"人工补录{signing.format_hours(manual)}小时")
    if scanned:
        return "均为扫码签到记录"
    return "均为人工补录并经审核的记录" if manual else ""


def issue(volunteer_id: int, date_from: dt.date | None = None, date_to: dt.date | None = None,
          remarks: str | None = None, today: dt.date | None = None) -> IssuedCertificate:
    """Issue a certificate of the volunteer's approved hours over a period.

    Args:
        date_from: first day of the period; default the registration date (or the first
            approved record, if earlier).
        date_to: last day; default today (the issue date).
        remarks: 其他需要说明的事项; default a sentence on what is counted and how to verify.
        today: the issue date (tests); default the local date.

    Raises:
        NotFoundError: no such volunteer.
        ValidationError: a merged record, a bad period, or no approved hours in it (no
            number is used up then).
    """
    today = today or dt.date.today()
    with writing():
        v, start, end, got, details = _prepare(volunteer_id, date_from, date_to, remarks, today)
        key = _signing_key()
        number = format_number(numbering.reserve(SEQUENCE), today.year)
        claim = CertificateClaim(number=number, volunteer_number=v.number, holder=v.name,
                                 minutes=got.minutes, period_from=start, period_to=end,
                                 issued_on=today, key_id=signing.key_id(key))
        payload = signing.sign(claim, key)
        row = Certificate.create(
            number=number, volunteer=v.id, period_from=start, period_to=end,
            minutes=got.minutes, issued_by=audit.current_actor(), payload=payload,
            details=json.dumps(details, ensure_ascii=False))
        audit.record("issue", "certificate", number, None, {
            "volunteer": v.number, "minutes": got.minutes, "period_from": start,
            "period_to": end, "records": got.record_count})
        return IssuedCertificate(row.id, claim, payload, got.lines, got.record_count)


def _prepare(volunteer_id: int, date_from: dt.date | None, date_to: dt.date | None,
             remarks: str | None, today: dt.date
             ) -> tuple[Volunteer, dt.date, dt.date, _Gathered, dict[str, object]]:
    """Check the request and gather what a certificate would say (issue and preview)."""
    v = Volunteer.get_or_none(Volunteer.id == volunteer_id)
    if v is None:
        raise NotFoundError(f"找不到志愿者（编号{volunteer_id}）")
    if v.status == Status.MERGED:
        raise ValidationError("volunteer", f"{v.number}已合并到其他记录（{v.status_reason}），"
                                           "请为保留的记录出具证明")
    end = date_to or today
    start = date_from or _default_start(v)
    if end > today:
        raise ValidationError("date_to", "证明期间不能晚于出具日期")
    if start > end:
        raise ValidationError("date_from", "证明期间的开始日期晚于结束日期")
    got = _gather(v.id, start, end)
    if got.minutes <= 0:
        raise ValidationError("date_from", f"{signing.chinese_date(start)}至"
                              f"{signing.chinese_date(end)}没有已审核的服务时长，无法出具证明")
    details: dict[str, object] = {
        "id_type": _id_type_label(v.id_type),
        "id_number": v.id_number,
        "hours_note": _hours_note(got.by_kind),
        "activities": [[a.date_text, a.name, a.organizer, a.hours] for a in got.lines],
        "record_count": got.record_count,
        "issuer": settings.get(settings.CENTER_NAME),
        "person_in_charge": settings.get(settings.CERT_PERSON_IN_CHARGE),
        "handler": settings.get(settings.CERT_HANDLER),
        "contact": settings.get(settings.CERT_CONTACT),
        "remarks": DEFAULT_REMARKS if remarks is None else remarks.strip(),
    }
    return v, start, end, got, details


def preview_pdf(volunteer_id: int, date_from: dt.date | None = None,
                date_to: dt.date | None = None, remarks: str | None = None,
                today: dt.date | None = None) -> bytes:
    """What `issue` would certify, to look at before issuing: no number is used up and
    nothing is signed or stored, so the number and the QR say 预览 (a preview shown on screen
    and then closed leaves no gap in the numbers).

    Raises:
        NotFoundError, ValidationError: as `issue` would.
    """
    today = today or dt.date.today()
    v, start, end, got, d = _prepare(volunteer_id, date_from, date_to, remarks, today)
    return render_certificate(CertificateData(
        number=PREVIEW_NUMBER, holder=v.name, id_type=str(d["id_type"]),
        id_number=str(d["id_number"]), volunteer_number=v.number,
        hours=signing.format_hours(got.minutes), hours_note=str(d["hours_note"]),
        period_from=start, period_to=end, activities=got.lines, issuer=str(d["issuer"]),
        person_in_charge=str(d["person_in_charge"]), handler=str(d["handler"]),
        contact=str(d["contact"]), issued_on=today, remarks=str(d["remarks"]),
        qr_payload=PREVIEW_NUMBER, record_count=got.record_count))


def _id_type_label(value: str) -> str:
    try:
        return IdType(value).label
    except ValueError:
        return value


def _default_start(v: Volunteer) -> dt.date:
    first = ServiceRecord.select(ServiceRecord.started_at).where(
        (ServiceRecord.volunteer == v.id) & (ServiceRecord.status == APPROVED),
    ).order_by(ServiceRecord.started_at).limit(1).scalar()
    registered: dt.date = v.registered_on
    return min(registered, first.date()) if first is not None else registered


# --- printing --------------------------------------------------------------------------

def certificate_data(certificate_id: int) -> CertificateData:
    """What the printout shows: the signed facts from the payload (checked against the
    register's key, so an edited row is caught) and the rest from the issue-time copy."""
    row = Certificate.get_or_none(Certificate.id == certificate_id)
    if row is None:
        raise NotFoundError(f"找不到证明（{certificate_id}）")
    claim = verify(row.payload)
    d = json.loads(row.details or "{}")
    return CertificateData(
        number=claim.number, holder=claim.holder, id_type=d.get("id_type", ""),
        id_number=d.get("id_number", ""), volunteer_number=claim.volunteer_number,
        hours=claim.hours_text, hours_note=d.get("hours_note", ""),
        period_from=claim.period_from, period_to=claim.period_to,
        activities=tuple(ActivityLine(*a) for a in d.get("activities", [])),
        issuer=d.get("issuer", ""), person_in_charge=d.get("person_in_charge", ""),
        handler=d.get("handler", ""), contact=d.get("contact", ""),
        issued_on=claim.issued_on, remarks=d.get("remarks", ""), qr_payload=qr_text(row.payload),
        record_count=int(d.get("record_count", 0)))


def pdf(certificate_id: int) -> bytes:
    """The certificate as PDF bytes; each printing is audited (it carries an ID number)."""
    data = certificate_data(certificate_id)
    with writing():
        audit.record("print", "certificate", data.number)
    return render_certificate(data)


def issue_to_file(volunteer_id: int, path: Path, date_from: dt.date | None = None,
                  date_to: dt.date | None = None, remarks: str | None = None,
                  today: dt.date | None = None) -> IssuedCertificate:
    """Issue a certificate and save its PDF to `path` as one step: the number is taken only
    if the file is written (like the GUI, which numbers a certificate when it is saved), so
    an unwritable target leaves no gap in the numbers.

    The PDF goes to a temporary file beside `path` and is renamed over it inside the
    transaction that takes the number; if that transaction then fails to commit, the file is
    removed again, since the number it carries was not kept.

    Raises:
        NotFoundError, ValidationError: as `issue` (nothing written).
        OSError: not written, named after `path` (no number used up).
    """
    path = Path(path)
    part = path.with_name(f".{path.name}.part")
    renamed = False
    try:
        with writing():
            issued = issue(volunteer_id, date_from, date_to, remarks, today)
            data = pdf(issued.id)
            try:
                part.write_bytes(data)
                os.replace(part, path)
            except OSError as exc:
                raise OSError(exc.errno, exc.strerror, str(path)) from None
            renamed = True
    except BaseException:
        if renamed:  # the commit failed: the file names a number the register did not keep
            path.unlink(missing_ok=True)
        raise
    finally:
        if part.exists():
            part.unlink()
    return issued


def find_by_number(number: str) -> int:
    row = Certificate.get_or_none(Certificate.number == number.strip().upper())
    if row is None:
        raise NotFoundError(f"找不到证明编号{number}")
    return int(row.id)
