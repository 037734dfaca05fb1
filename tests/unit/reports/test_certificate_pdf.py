"""The certificate PDF read back: its text, its pages, and its QR decoded from a rendering."""

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pytest
import zxingcpp
from PIL import Image

from app.domain import signing
from reports.certificate import ActivityLine, CertificateData, render_certificate

KEY = signing.generate_private_key()


def data(activities: int = 4, holder: str = "欧阳娜娜") -> CertificateData:
    claim = signing.CertificateClaim(
        number="ZM2026-000123", volunteer_number="V00000042", holder=holder, minutes=1590,
        period_from=dt.date(2026, 1, 1), period_to=dt.date(2026, 11, 23),
        issued_on=dt.date(2026, 11, 23))
    lines = tuple(ActivityLine(f"2026年{i % 12 + 1}月{i % 27 + 1}日",
                               f"社区志愿服务活动第{i + 1}期", "和平社区居委会", "2.5")
                  for i in range(activities))
    return CertificateData(
        number=claim.number, holder=holder, id_type="居民身份证",
        id_number="11010519491231002X", volunteer_number=claim.volunteer_number,
        hours=claim.hours_text, hours_note="其中扫码签到20小时，人工补录6.5小时",
        period_from=claim.period_from, period_to=claim.period_to, activities=lines,
        issuer="解放路街道社会组织孵化中心", person_in_charge="王明", handler="李华",
        contact="0571-88881234", issued_on=claim.issued_on, remarks="用于学校社会实践认定",
        qr_payload=signing.sign(claim, KEY), record_count=activities)


def pages_text(pdf: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "c.pdf"
    path.write_bytes(pdf)
    with pdfplumber.open(path) as doc:
        return [(p.extract_text() or "") for p in doc.pages]


def test_text_has_the_fields_in_order(tmp_path):
    [text] = pages_text(render_certificate(data()), tmp_path)
    flat = text.replace(" ", "")
    for needle in ("志愿服务记录证明", "证明编号：ZM2026-000123", "欧阳娜娜", "居民身份证",
                   "11010519491231002X", "V00000042", "26.5", "2026年1月1日至2026年11月23日",
                   "社区志愿服务活动第4期", "解放路街道社会组织孵化中心", "王明", "李华",
                   "0571-88881234", "用于学校社会实践认定", "出具单位（盖章）", "第1页共1页"):
        assert needle in flat, needle
    order = ["姓名", "证件类型", "证件号码", "志愿者编号", "服务时间（小时）", "服务内容",
             "出具单位名称", "负责人（签字）", "经办人（签字）", "联系方式", "出具日期",
             "其他需要说明的事项", "出具单位（盖章）"]
    positions = [flat.index(label) for label in order]
    assert positions == sorted(positions)


def test_long_activity_list_continues_on_the_next_page(tmp_path):
    texts = [t.replace(" ", "") for t in pages_text(render_certificate(data(60)), tmp_path)]
    assert len(texts) >= 2
    assert "服务内容（续）" in texts[1] and "证明编号：ZM2026-000123" in texts[1]
    assert "社区志愿服务活动第60期" in texts[-1]
    assert "出具单位（盖章）" in texts[-1] and "出具单位（盖章）" not in texts[0]
    everything = "".join(texts)
    assert all(f"社区志愿服务活动第{i}期" in everything for i in range(1, 61))
    assert f"第1页共{len(texts)}页" in texts[0]


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_qr_decodes_from_the_rendered_page_and_verifies(tmp_path):
    certificate = data()
    (tmp_path / "c.pdf").write_bytes(render_certificate(certificate))
    subprocess.run(["pdftoppm", "-r", "200", "-png", "-f", "1", "-l", "1",
                    str(tmp_path / "c.pdf"), str(tmp_path / "page")], check=True, timeout=60)
    [png] = sorted(tmp_path.glob("page*.png"))
    found = zxingcpp.read_barcodes(Image.open(png),
                                   formats=zxingcpp.BarcodeFormat.QRCodeModel2)
    assert len(found) == 1
    assert found[0].text == certificate.qr_payload
    claim = signing.verify(found[0].text, signing.load_public_key(signing.public_key_pem(KEY)))
    assert (claim.holder, claim.number, claim.hours_text) == ("欧阳娜娜", "ZM2026-000123", "26.5")


def test_long_names_and_empty_fields_still_render(tmp_path):
    odd = data(0, holder="Maximilian Alexander von Hohenberg-Schwarzenfeld")
    text = pages_text(render_certificate(odd), tmp_path)[0].replace(" ", "")
    assert "本期间内没有已审核的服务记录" in text
    assert "Maximilian" in text
