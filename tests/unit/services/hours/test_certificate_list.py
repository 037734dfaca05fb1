"""The register of issued certificates, the reprint (same number, the facts as issued) and
the preview that uses no number; on SQLite and PostgreSQL. PDFs are read back as text."""

from __future__ import annotations

import datetime as dt
import io

from pypdf import PdfReader

from app.domain.volunteer import VolunteerDraft
from app.services.hours import certificate_list, certificates
from app.services.hours.certificate_list import CertificateFilter
from app.services.volunteers import registration as volunteers
from app.store.models import Activity, AuditLog, Certificate, NumberSequence, ServiceRecord

TODAY = dt.date(2026, 11, 23)


def person(name: str, id_number: str):
    return volunteers.register(VolunteerDraft(
        name=name, id_number=id_number, phone="13800138000",
        registered_on=dt.date(2025, 1, 10)), today=TODAY)


def served(vol, day: dt.date, minutes: int) -> None:
    start = dt.datetime.combine(day, dt.time(9, 0))
    act = Activity.create(name="社区敬老服务", organizer="和平社区居委会", starts_at=start,
                          ends_at=start + dt.timedelta(hours=3), category="助老")
    ServiceRecord.create(volunteer=vol.id, activity=act.id, kind="manual", status="approved",
                         started_at=start, ended_at=start + dt.timedelta(minutes=minutes),
                         minutes=minutes)


def text_of(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_list_filters_and_pages(register):
    zhang = person("张三", "11010519491231002X")
    li = person("李四", "110105198001020011")
    served(zhang, dt.date(2026, 3, 5), 180)
    served(li, dt.date(2026, 4, 5), 90)
    first = certificates.issue(zhang.id, today=TODAY)
    certificates.issue(li.id, today=TODAY)
    third = certificates.issue(zhang.id, dt.date(2026, 3, 1), dt.date(2026, 3, 31), today=TODAY)
    rows = certificate_list.issued()
    assert [r.number for r in rows] == ["ZM2026-000003", "ZM2026-000002", "ZM2026-000001"]
    assert certificate_list.count() == 3
    top = rows[0]
    assert (top.id, top.holder, top.volunteer_number, top.hours_text) == (
        third.id, "张三", zhang.number, "3")
    assert (top.period_from, top.period_to) == (dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    assert rows[-1].period_from == dt.date(2025, 1, 10)       # the registration date
    mine = CertificateFilter(volunteer_id=zhang.id)
    assert [r.id for r in certificate_list.issued(mine)] == [third.id, first.id]
    assert certificate_list.count(CertificateFilter(text="李")) == 1
    assert certificate_list.count(CertificateFilter(text="zm2026-000001")) == 1
    assert certificate_list.count(CertificateFilter(text=li.number)) == 1
    assert [r.number for r in certificate_list.issued(offset=1, limit=1)] == ["ZM2026-000002"]


def test_reprint_is_the_certificate_as_issued(register):
    zhang = person("张三", "11010519491231002X")
    served(zhang, dt.date(2026, 3, 5), 180)
    issued = certificates.issue(zhang.id, today=TODAY)
    served(zhang, dt.date(2026, 3, 6), 120)       # more hours after issuing: not on a reprint
    text = text_of(certificate_list.reprint_pdf(issued.id))
    assert "ZM2026-000001" in text and "服务时间（小时）\n3（" in text   # not 5
    assert Certificate.select().count() == 1
    assert AuditLog.select().where(AuditLog.action == "print").count() == 1


def test_preview_uses_no_number(register):
    zhang = person("张三", "11010519491231002X")
    served(zhang, dt.date(2026, 3, 5), 180)
    text = text_of(certificates.preview_pdf(zhang.id, today=TODAY))
    assert "预览" in text and "张三" in text
    assert Certificate.select().count() == 0
    assert NumberSequence.get_or_none(NumberSequence.name == "certificate") is None
    assert certificates.issue(zhang.id, today=TODAY).number == "ZM2026-000001"
