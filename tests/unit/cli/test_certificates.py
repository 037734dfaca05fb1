"""`yilian certificate`, `verify-certificate`, `certificate-key` and `merge` as a user runs
them: real processes against a real register (SQLite file or PostgreSQL)."""

import datetime as dt
import re

from app.domain import signing
from app.domain.volunteer import IdType, VolunteerDraft
from app.services.volunteers import registration as volunteers
from app.store.db import bound, make_database
from app.store.migrations import migrate
from app.store.models import Activity, Certificate, ServiceRecord, Volunteer
from tests.unit.cli.helpers import yilian


def seed(target: str) -> None:
    """Two records of one person, each with approved hours."""
    with bound(make_database(target)) as db:
        db.connect()
        migrate()
        real = volunteers.register(VolunteerDraft(
            name="张三", id_number="11010519491231002X", phone="13800138000",
            registered_on=dt.date(2026, 1, 5)))
        dup = volunteers.register(VolunteerDraft(
            name="张三", id_type=IdType.PASSPORT, id_number="E12345678", sex="F",
            birth_date=dt.date(1949, 12, 31), phone="13800138000",
            registered_on=dt.date(2026, 1, 5)))
        for vol, minutes, day in ((real, 150, 3), (real, 60, 4), (dup, 90, 5)):
            start = dt.datetime(2026, 3, day, 9)
            act = Activity.create(name=f"社区敬老服务{day}", organizer="和平社区居委会",
                                  starts_at=start, ends_at=start + dt.timedelta(hours=4))
            ServiceRecord.create(volunteer=vol.id, activity=act.id, kind="manual",
                                 status="approved", started_at=start, minutes=minutes,
                                 ended_at=start + dt.timedelta(minutes=minutes))
            Volunteer.update(approved_minutes=Volunteer.approved_minutes + minutes).where(
                Volunteer.id == vol.id).execute()


def stored_payload(target: str) -> str:
    with bound(make_database(target)) as db:
        db.connect()
        return str(Certificate.select().order_by(Certificate.id).first().payload)


def test_issue_export_key_verify_and_merge(db_target, tmp_path):
    seed(db_target)
    pdf = tmp_path / "证明.pdf"
    out = yilian("--db", db_target, "certificate", "--volunteer", "v00000001",
                 "--from", "2026-01-01", "--to", "2026-06-30", "--out", str(pdf))
    assert out.returncode == 0, out.stderr
    assert re.search(r"ZM\d{4}-000001", out.stdout) and "3.5小时" in out.stdout
    assert pdf.read_bytes().startswith(b"%PDF")

    key = tmp_path / "center.pem"
    out = yilian("--db", db_target, "certificate-key", "--out", str(key))
    assert out.returncode == 0, out.stderr
    assert key.read_text().startswith("-----BEGIN PUBLIC KEY-----")

    payload = stored_payload(db_target)
    out = yilian("verify-certificate", payload, "--public-key", str(key))  # no register
    assert out.returncode == 0, out.stderr
    for needle in ("有效", "张三", "V00000001", "3.5小时", "2026年1月1日至2026年6月30日"):
        assert needle in out.stdout, needle
    assert yilian("--db", db_target, "verify-certificate", payload).returncode == 0

    altered = payload.replace(".210.", ".2100.")
    out = yilian("verify-certificate", altered, "--public-key", str(key))
    assert out.returncode == 2 and "无效" in out.stdout and "改动" in out.stdout

    foreign = tmp_path / "other.pem"
    foreign.write_text(signing.public_key_pem(signing.generate_private_key()))
    out = yilian("verify-certificate", payload, "--public-key", str(foreign))
    assert out.returncode == 2 and "公钥" in out.stdout

    out = yilian("--db", db_target, "merge", "V00000001", "V00000002", "--reason", "重复登记")
    assert out.returncode == 0, out.stderr
    assert "V00000002合并到V00000001" in out.stdout and "300分钟" in out.stdout
    again = yilian("--db", db_target, "merge", "V00000001", "V00000002", "--reason", "重复")
    assert again.returncode == 1 and "已是合并过的记录" in again.stderr
    refused = yilian("--db", db_target, "certificate", "--volunteer", "V00000002",
                     "--out", str(tmp_path / "x.pdf"))
    assert refused.returncode == 1 and "合并" in refused.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_verify_needs_a_readable_key(tmp_path):
    out = yilian("verify-certificate", "YLC1.X", "--public-key", str(tmp_path / "none.pem"))
    assert out.returncode == 1 and "无法读取公钥文件" in out.stderr
    bad = tmp_path / "bad.pem"
    bad.write_text("hello")
    out = yilian("verify-certificate", "YLC1.X", "--public-key", str(bad))
    assert out.returncode == 2 and "PEM" in out.stdout
