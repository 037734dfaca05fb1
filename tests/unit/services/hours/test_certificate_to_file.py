"""`certificates.issue_to_file`: the number is taken in the same step as the PDF is
written, so a target that cannot be written uses up no number (SQLite and PostgreSQL)."""

import datetime as dt

import pytest

from app.domain.volunteer import VolunteerDraft
from app.services.hours import certificates
from app.services.volunteers import registration as volunteers
from app.store.models import Activity, AuditLog, Certificate, ServiceRecord

TODAY = dt.date(2026, 11, 23)


def volunteer_with_hours() -> int:
    v = volunteers.register(VolunteerDraft(
        name="张三", id_number="11010519491231002X", phone="13800138000",
        registered_on=dt.date(2025, 1, 10)), today=TODAY)
    start = dt.datetime(2026, 3, 5, 9)
    act = Activity.create(name="社区敬老服务", organizer="和平社区居委会", starts_at=start,
                          ends_at=start + dt.timedelta(hours=3))
    ServiceRecord.create(volunteer=v.id, activity=act.id, kind="manual", status="approved",
                         started_at=start, ended_at=start + dt.timedelta(minutes=180),
                         minutes=180)
    return int(v.id)


def test_an_unwritable_target_uses_no_number(register, tmp_path):
    vid = volunteer_with_hours()
    missing = tmp_path / "没有这个文件夹" / "证明.pdf"
    with pytest.raises(OSError) as caught:
        certificates.issue_to_file(vid, missing, today=TODAY)
    assert caught.value.filename == str(missing)  # named after the target, not the .part
    assert Certificate.select().count() == 0
    assert not AuditLog.select().where(AuditLog.entity == "certificate").exists()
    assert not missing.parent.exists()

    out = tmp_path / "out"
    out.mkdir()
    target = out / "证明.pdf"
    issued = certificates.issue_to_file(vid, target, today=TODAY)
    assert issued.number == "ZM2026-000001"  # the failed attempt left no gap
    assert target.read_bytes().startswith(b"%PDF")
    assert [p.name for p in out.iterdir()] == ["证明.pdf"]  # no .part left
    assert [c.number for c in Certificate.select()] == ["ZM2026-000001"]


def test_an_existing_file_is_replaced_whole(register, tmp_path):
    vid = volunteer_with_hours()
    target = tmp_path / "证明.pdf"
    target.write_bytes(b"old")
    issued = certificates.issue_to_file(vid, target, today=TODAY)
    assert target.read_bytes().startswith(b"%PDF")
    assert issued.number == "ZM2026-000001"
