"""The register of issued certificates (证明台账) and their reprints.

A reprint is the certificate as issued — the same number, the hours and period signed into
its payload and the issue-time copy of the rest — never recomputed from today's records:
a certificate a school already holds must match the one printed again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import peewee as pw

from app.domain import signing
from app.services.hours import certificates
from app.store.db import tuples
from app.store.models import Certificate, Volunteer


@dataclass(frozen=True)
class CertificateFilter:
    """text: a certificate number, a volunteer number (or their beginnings) or a name's
    beginning; volunteer_id: only this person's certificates."""

    text: str = ""
    volunteer_id: int | None = None


@dataclass(frozen=True)
class IssuedRow:
    """One line of the register: what was certified, to whom, when, by whom."""

    id: int
    number: str
    volunteer_id: int
    volunteer_number: str
    holder: str
    period_from: dt.date | None
    period_to: dt.date | None
    minutes: int
    issued_at: dt.datetime      # naive UTC
    issued_by: str

    @property
    def hours_text(self) -> str:
        return signing.format_hours(self.minutes)

    @property
    def period_text(self) -> str:
        if self.period_from is None or self.period_to is None:
            return ""
        return f"{self.period_from.isoformat()} – {self.period_to.isoformat()}"


def _query(f: CertificateFilter) -> pw.Select:
    query = Certificate.select(
        Certificate.id, Certificate.number, Volunteer.id, Volunteer.number, Volunteer.name,
        Certificate.period_from, Certificate.period_to, Certificate.minutes,
        Certificate.issued_at, Certificate.issued_by,
    ).join(Volunteer, on=(Certificate.volunteer == Volunteer.id))
    if f.volunteer_id is not None:
        query = query.where(Certificate.volunteer == f.volunteer_id)
    text = f.text.strip()
    if text:
        upper = text.upper()
        query = query.where(Certificate.number.startswith(upper)
                            | Volunteer.number.startswith(upper)
                            | Volunteer.name.startswith(text))
    return query


def _date(value: object) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _datetime(value: object) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))


def issued(f: CertificateFilter | None = None, offset: int = 0,
           limit: int = 200) -> list[IssuedRow]:
    """Issued certificates, newest first (by id: numbers are issued in that order)."""
    query = _query(f or CertificateFilter()).order_by(Certificate.id.desc()) \
        .offset(offset).limit(limit)
    return [IssuedRow(int(i), number, int(vid), vnumber, name, _date(start), _date(end),
                      int(minutes), _datetime(at), by)
            for i, number, vid, vnumber, name, start, end, minutes, at, by in tuples(query)]


def count(f: CertificateFilter | None = None) -> int:
    return int(_query(f or CertificateFilter()).count())


def reprint_pdf(certificate_id: int) -> bytes:
    """The certificate again, exactly as issued (same number, hours and period); the
    printing is audited like the first.

    Raises:
        NotFoundError: no such certificate.
        CertificateInvalidError: the stored row no longer matches its signature.
    """
    return certificates.pdf(certificate_id)
