"""Issuing service certificates, on SQLite and PostgreSQL.

Activities and service records are written through the models here: the service-hours
services belong to another part of the issue; the certificate only reads their rows.
"""

import datetime as dt
import json

import pytest

from app.domain import signing
from app.domain.errors import NotFoundError, ValidationError
from app.domain.signing import CertificateInvalidError
from app.domain.volunteer import Status, VolunteerDraft
from app.services.common import settings
from app.services.hours import certificates
from app.services.volunteers import registration as volunteers
from app.store.models import Activity, AuditLog, Certificate, ServiceRecord, Setting, Volunteer

TODAY = dt.date(2026, 11, 23)


def person(name="张三", id_number="11010519491231002X", registered=dt.date(2025, 1, 10)):
    return volunteers.register(VolunteerDraft(
        name=name, id_number=id_number, phone="13800138000", registered_on=registered),
        today=TODAY)


def activity(name, day, organizer="和平社区居委会", hours=3):
    start = dt.datetime.combine(day, dt.time(9, 0))
    return Activity.create(name=name, organizer=organizer, starts_at=start,
                           ends_at=start + dt.timedelta(hours=hours), category="助老")


def record(vol, act, minutes, kind="manual", status="approved", reverses=None, start=None):
    start = start or act.starts_at
    return ServiceRecord.create(
        volunteer=vol.id, activity=act.id, kind=kind, status=status, started_at=start,
        ended_at=start + dt.timedelta(minutes=abs(minutes)), minutes=minutes,
        reverses=reverses)


def test_numbers_are_sequential_and_never_reused(register):
    v = person()
    record(v, activity("社区敬老服务", dt.date(2026, 3, 5)), 180)
    first = certificates.issue(v.id, today=TODAY)
    second = certificates.issue(v.id, today=TODAY)
    assert (first.number, second.number) == ("ZM2026-000001", "ZM2026-000002")
    with pytest.raises(ValidationError):  # nothing to certify: no number is used up
        certificates.issue(v.id, dt.date(2024, 1, 1), dt.date(2024, 12, 31), today=TODAY)
    # Even if an issued row were lost, its number is not handed out again.
    Certificate.delete().where(Certificate.id == second.id).execute()
    third = certificates.issue(v.id, today=dt.date(2027, 1, 4))
    assert third.number == "ZM2027-000003"
    numbers = [c.number for c in Certificate.select().order_by(Certificate.id)]
    assert numbers == ["ZM2026-000001", "ZM2027-000003"]


def test_hours_sum_approved_records_in_the_period_only(register):
    v = person()
    other = person("李四", "440524188001010014")
    march = activity("社区敬老服务", dt.date(2026, 3, 5))
    april = activity("垃圾分类宣传", dt.date(2026, 4, 9), organizer="")
    may = activity("读书会", dt.date(2026, 5, 20))
    record(v, march, 120, kind="scanned")
    wrong = record(v, april, 90)
    record(v, april, -30, kind="reversal", reverses=wrong.id)       # a correction counts
    record(v, may, 60)
    record(v, may, -60, kind="reversal", reverses=record(v, may, 60, start=may.starts_at
                                                           + dt.timedelta(hours=1)).id)
    record(v, march, 45, status="pending", start=march.starts_at + dt.timedelta(hours=2))
    record(v, april, 40, status="rejected", start=april.starts_at + dt.timedelta(hours=2))
    record(v, activity("春节慰问", dt.date(2026, 1, 20)), 500)       # before the period
    record(v, activity("冬季义诊", dt.date(2026, 7, 2)), 700)        # after the period
    record(other, march, 999)                                       # someone else's

    issued = certificates.issue(v.id, dt.date(2026, 3, 1), dt.date(2026, 6, 30), today=TODAY)
    assert issued.minutes == 120 + 90 - 30 + 60  # the reversed 60 at may cancels itself
    names = [a.name for a in issued.activities]
    assert names == ["社区敬老服务", "垃圾分类宣传", "读书会"]
    assert [a.hours for a in issued.activities] == ["2", "1", "1"]
    assert issued.activities[1].organizer == "本单位"
    assert issued.record_count == 6

    row = Certificate.get_by_id(issued.id)
    assert (row.minutes, row.period_from, row.period_to) == (240, dt.date(2026, 3, 1),
                                                             dt.date(2026, 6, 30))
    details = json.loads(row.details)
    assert details["id_number"] == "11010519491231002X"
    assert details["hours_note"] == "其中扫码签到2小时，人工补录2小时"
    claim = certificates.verify(row.payload)
    assert (claim.holder, claim.volunteer_number, claim.minutes) == ("张三", v.number, 240)
    assert claim.period_from == dt.date(2026, 3, 1) and claim.issued_on == TODAY


def test_whole_days_at_the_period_edges_count(register):
    v = person()
    act = activity("夜间巡逻", dt.date(2026, 6, 30))
    record(v, act, 60, start=dt.datetime(2026, 6, 30, 23, 0))
    record(v, act, 60, start=dt.datetime(2026, 7, 1, 0, 0))
    issued = certificates.issue(v.id, dt.date(2026, 6, 30), dt.date(2026, 6, 30), today=TODAY)
    assert issued.minutes == 60


def test_default_period_runs_from_registration_to_today(register):
    v = person(registered=dt.date(2025, 6, 1))
    record(v, activity("社区敬老服务", dt.date(2025, 6, 1)), 90)
    issued = certificates.issue(v.id, today=TODAY)
    assert (issued.claim.period_from, issued.claim.period_to) == (dt.date(2025, 6, 1), TODAY)
    assert issued.minutes == 90


def test_refusals(register):
    v = person()
    record(v, activity("社区敬老服务", dt.date(2026, 3, 5)), 90)
    with pytest.raises(ValidationError, match="晚于"):
        certificates.issue(v.id, dt.date(2026, 5, 1), dt.date(2026, 4, 1), today=TODAY)
    with pytest.raises(ValidationError, match="出具日期"):
        certificates.issue(v.id, None, TODAY + dt.timedelta(days=1), today=TODAY)
    with pytest.raises(NotFoundError):
        certificates.issue(9999, today=TODAY)
    Volunteer.update(status=str(Status.MERGED), status_reason="已合并到V00000009：重复").where(
        Volunteer.id == v.id).execute()
    with pytest.raises(ValidationError, match="合并"):
        certificates.issue(v.id, today=TODAY)
    assert Certificate.select().count() == 0


def test_key_is_made_once_kept_in_the_register_and_audited(register):
    v = person()
    record(v, activity("社区敬老服务", dt.date(2026, 3, 5)), 90)
    with pytest.raises(CertificateInvalidError, match="公钥"):
        certificates.verify("YLC1.X")  # no key yet: nothing this register could have signed
    pem = certificates.public_key_pem()
    issued = certificates.issue(v.id, today=TODAY)
    assert certificates.public_key_pem() == pem
    assert Setting.get_by_id(certificates.PUBLIC_KEY).value == pem
    assert certificates.verify(issued.payload, pem).number == issued.number
    foreign = signing.public_key_pem(signing.generate_private_key())
    with pytest.raises(CertificateInvalidError):
        certificates.verify(issued.payload, foreign)
    actions = [a.action for a in AuditLog.select().where(
        AuditLog.entity.in_(["certificate", "certificate_key"])).order_by(AuditLog.id)]
    assert actions == ["create_key", "issue"]
    audit = AuditLog.get(AuditLog.action == "issue")
    assert audit.entity_id == issued.number
    assert "BEGIN" not in (audit.after or "") and "signing_key" not in (audit.after or "")


def test_pdf_is_reprinted_from_what_was_issued(register):
    v = person()
    act = activity("社区敬老服务", dt.date(2026, 3, 5))
    record(v, act, 90)
    issued = certificates.issue(v.id, remarks="用于学校社会实践认定", today=TODAY)
    record(v, act, -90, kind="reversal", start=act.starts_at)  # corrected after issuing
    data = certificates.certificate_data(issued.id)
    assert data.hours == "1.5" and data.remarks == "用于学校社会实践认定"
    assert data.id_type == "居民身份证" and data.issuer == settings.get(settings.CENTER_NAME)
    pdf = certificates.pdf(issued.id)
    assert pdf.startswith(b"%PDF")
    assert AuditLog.select().where(AuditLog.action == "print").count() == 1
    # An edited row no longer matches its signature, so it is not printed as genuine.
    Certificate.update(payload=issued.payload.replace(".90.", ".900.")).where(
        Certificate.id == issued.id).execute()
    with pytest.raises(CertificateInvalidError):
        certificates.pdf(issued.id)
