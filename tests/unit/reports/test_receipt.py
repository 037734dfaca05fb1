"""The redemption receipt PDF read back: text, page size, nothing outside the paper."""

import datetime as dt
import io
import shutil
import subprocess

import pdfplumber
import pytest
from reportlab.lib.units import mm

from reports.receipt import PAGE_W, ReceiptData, ReceiptLine, blocks_for, place, render_receipt


def data(**kw) -> ReceiptData:
    base = dict(
        center_name="和平街道社会组织孵化中心", number="DH2025000042",
        at=dt.datetime(2025, 6, 1, 14, 32), volunteer_name="张三丰",
        volunteer_number="V00000012",
        lines=(ReceiptLine("大米 5kg", "袋", 1, 44), ReceiptLine("毛巾", "条", 3, 5)),
        total_points=59, balance_after=21, handler="李老师")
    base.update(kw)
    return ReceiptData(**base)


def read(pdf: bytes) -> tuple[str, pdfplumber.page.Page, list]:
    doc = pdfplumber.open(io.BytesIO(pdf))
    page = doc.pages[0]
    return page.extract_text(), page, page.chars


def test_receipt_carries_everything_it_promises():
    text, page, _ = read(render_receipt(data()))
    for expected in ("和平街道社会组织孵化中心", "爱心超市积分兑换凭证", "DH2025000042",
                     "2025-06-01 14:32", "张三丰", "V00000012", "大米 5kg", "1袋", "毛巾",
                     "3条", "15", "合计", "59 分", "21 分", "李老师", "领取人签名"):
        assert expected in text, expected
    assert abs(page.width - PAGE_W * mm) < 0.5
    assert "本单已撤销" not in text


def test_long_names_wrap_or_shrink_and_stay_on_the_paper():
    long_good = "金龙鱼食用调和油 非转基因 压榨一级 5升装 家庭实惠装 再长一点看看会不会出界"
    pdf = render_receipt(data(
        center_name="某某市某某区某某街道社会组织孵化中心（某某社会工作服务中心运营）",
        lines=tuple(ReceiptLine(long_good if i == 0 else f"物品{i}", "件", 1000, 9999)
                    for i in range(12)),
        total_points=10**8, handler="一位名字很长很长的经办人同志", void_note="本单已撤销"))
    text, page, chars = read(pdf)
    assert chars
    for ch in chars:
        assert ch["x0"] >= 0 and ch["x1"] <= page.width + 0.01
        assert ch["top"] >= 0 and ch["bottom"] <= page.height + 0.01
    assert "金龙鱼" in text and "…" in text and "本单已撤销" in text and "物品11" in text


def test_page_grows_with_the_lines():
    short = place(blocks_for(data()))
    longer = place(blocks_for(data(lines=tuple(ReceiptLine(f"物品{i}", "件", 1, 1)
                                                   for i in range(20)))))
    assert longer > short + 18 * 4


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_receipt_rasterises(tmp_path):
    path = tmp_path / "receipt.pdf"
    path.write_bytes(render_receipt(data()))
    subprocess.run(["pdftoppm", "-r", "100", "-png", str(path), str(tmp_path / "r")],
                   check=True, timeout=60)
    pngs = list(tmp_path.glob("r*.png"))
    assert len(pngs) == 1 and pngs[0].stat().st_size > 2000
