"""The certificate's QR with a published verification page: `ADDRESS#PAYLOAD`, read back
from the rendered PDF, and still verified by the service and by `yilian verify-certificate`."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys

import pytest
import zxingcpp
from PIL import Image

from app.domain.volunteer import VolunteerDraft
from app.services.common import settings
from app.services.hours import certificates
from app.services.volunteers import registration as volunteers
from app.store.models import Activity, ServiceRecord

TODAY = dt.date(2026, 11, 23)
ADDRESS = "https://www.example.org.cn/zhengming/verify.html"


def issue() -> certificates.IssuedCertificate:
    v = volunteers.register(VolunteerDraft(name="张三", id_number="11010519491231002X",
                                           phone="13800138000",
                                           registered_on=dt.date(2026, 1, 10)), today=TODAY)
    start = dt.datetime(2026, 3, 5, 9, 0)
    act = Activity.create(name="社区敬老服务", organizer="和平社区", starts_at=start,
                          ends_at=start + dt.timedelta(hours=3))
    ServiceRecord.create(volunteer=v.id, activity=act.id, kind="manual", status="approved",
                         started_at=start, ended_at=start + dt.timedelta(hours=2), minutes=120)
    return certificates.issue(v.id, today=TODAY)


def qr_of_pdf(data: bytes, tmp_path) -> str:
    (tmp_path / "c.pdf").write_bytes(data)
    subprocess.run(["pdftoppm", "-r", "200", "-png", "-f", "1", "-l", "1",
                    str(tmp_path / "c.pdf"), str(tmp_path / "page")], check=True, timeout=60)
    [png] = sorted(tmp_path.glob("page*.png"))
    found = zxingcpp.read_barcodes(Image.open(png),
                                   formats=zxingcpp.BarcodeFormat.QRCodeModel2)
    assert len(found) == 1
    return str(found[0].text)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_with_an_address_the_qr_opens_the_page_and_still_verifies(register, tmp_path):
    cert = issue()
    assert qr_of_pdf(certificates.pdf(cert.id), tmp_path) == cert.payload  # as before
    settings.put(settings.CERT_VERIFY_URL, ADDRESS)
    for old in tmp_path.glob("page*.png"):
        old.unlink()
    text = qr_of_pdf(certificates.pdf(cert.id), tmp_path)
    assert text == f"{ADDRESS}#{cert.payload}"
    assert certificates.verify(text).number == cert.number
    pem = tmp_path / "key.pem"
    pem.write_text(certificates.public_key_pem(), encoding="ascii")
    done = subprocess.run([sys.executable, "-m", "app.cli", "verify-certificate", text,
                           "--public-key", str(pem)], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "有效" in done.stdout and cert.number in done.stdout


def test_the_payload_is_what_follows_the_first_hash(register):
    cert = issue()
    assert certificates.payload_of(f"  {ADDRESS}#{cert.payload}\n") == cert.payload
    assert certificates.payload_of(cert.payload) == cert.payload
    assert certificates.qr_text(cert.payload) == cert.payload
    settings.put(settings.CERT_VERIFY_URL, ADDRESS)
    assert certificates.qr_text(cert.payload) == f"{ADDRESS}#{cert.payload}"


@pytest.mark.parametrize(("text", "ok"), [
    ("", True), ("https://a.example.cn/v.html", True), ("http://10.0.0.2/verify", True),
    ("www.example.cn/v.html", False), ("https://a.cn/v.html#x", False),
    ("https://a.cn/v v.html", False), ("ftp://a.cn/v.html", False), ("https://", False),
])
def test_the_address_setting_is_checked(text, ok):
    assert settings.valid_verify_url(text) is ok
