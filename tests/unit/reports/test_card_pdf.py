"""ID-card PDFs read back: QR codes decoded from a 300 dpi rendering verify through the
service; the text holds names and numbers; crop marks stay outside the cards."""

import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pytest
import zxingcpp
from PIL import Image

from app.domain.hours import ActivityDraft
from app.domain.volunteer import VolunteerDraft
from app.services.cards import checkin
from app.services.cards import issuing as cards
from app.services.hours import activities
from app.services.volunteers import registration as volunteers
from reports import card as layout
from reports.card import CardData, render_cards

NAMES = ("欧阳娜娜", "张三", "李四", "王五六", "司马相如", "赵钱孙李周吴郑王冯陈", "刘一",
         "陈二", "杨三", "黄四")
W = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)

needs_pdftoppm = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="no pdftoppm")


def id_number(i: int) -> str:
    body = f"1101051980{(i % 12) + 1:02d}{(i % 28) + 1:02d}{i:03d}"
    return body + "10X98765432"[sum(int(x) * w for x, w in zip(body, W, strict=True)) % 11]


def rasterize(pdf: bytes, tmp_path: Path, dpi: int = 300) -> list[Image.Image]:
    src = tmp_path / "cards.pdf"
    src.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(src), str(tmp_path / "p")],
                   check=True)
    return [Image.open(p) for p in sorted(tmp_path.glob("p-*.png"))]


def decoded(image: Image.Image) -> list[str]:
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCodeModel2)
    return [r.text for r in found]


def text_of(pdf: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [page.extract_text() or "" for page in doc.pages]


@needs_pdftoppm
def test_sheet_of_ten_decodes_and_verifies(register, tmp_path):
    ids = [volunteers.register(VolunteerDraft(
        name=name, id_number=id_number(i), phone="13800138000",
        registered_on=dt.date(2025, 1, 10)), today=dt.date(2026, 11, 23)).id
        for i, name in enumerate(NAMES, 1)]
    assert cards.ensure_cards(ids) == 10
    data = cards.card_data(ids)
    pdf = render_cards(data, sheet=True)
    pages = rasterize(pdf, tmp_path)
    assert len(pages) == 1
    payloads = decoded(pages[0])
    assert sorted(payloads) == sorted(d.payload for d in data)
    assert sorted(cards.verify(p).volunteer_id for p in payloads) == sorted(ids)
    # ... and each decoded code checks its holder in at an activity, as the kiosk would.
    now = dt.datetime.now().replace(microsecond=0)
    event = activities.create(ActivityDraft(name="社区助老服务", organizer="孵化中心",
                                            starts_at=now - dt.timedelta(minutes=10),
                                            ends_at=now + dt.timedelta(hours=2)))
    results = [checkin.scan(p, event.id, "test") for p in payloads]
    assert [r.kind for r in results] == ["checked_in"] * 10
    assert sorted(r.volunteer_id for r in results) == sorted(ids)
    text = text_of(pdf)[0]
    for d in data:
        assert d.number in text
    for name in NAMES:
        assert name in text.replace(" ", "")


def sample(i: int = 1, **changes) -> CardData:
    base = dict(name="欧阳娜娜", number=f"V{i:08d}", star_level=3,
                center_name="解放路街道社会组织孵化中心", logo_path="",
                issued_on=dt.date(2026, 11, 23), payload=f"YL1:V{i:08d}:1:ABCDEFGHIJ")
    base.update(changes)
    return CardData(**base)


def logo_png(tmp_path: Path) -> Path:
    path = tmp_path / "logo.png"
    Image.new("RGB", (64, 64), (255, 255, 255)).save(path)
    return path


@needs_pdftoppm
def test_single_card_page_is_cr80_with_a_big_qr(tmp_path):
    photo = io.BytesIO()
    Image.new("RGB", (250, 330), (120, 160, 200)).save(photo, "JPEG")
    pdf = render_cards([sample(1, photo=photo.getvalue(), logo_path=str(logo_png(tmp_path))),
                        sample(2, logo_path="/nonexistent/logo.png")])
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        assert len(doc.pages) == 2
        page = doc.pages[0]
        assert round(page.width / 72 * 25.4, 1) == 85.6
        assert round(page.height / 72 * 25.4, 1) == 54.0
    texts = text_of(pdf)
    assert "欧阳娜娜" in texts[0] and "V00000001" in texts[0] and "2026年11月23日" in texts[0]
    assert "照片" not in texts[0] and "照片" in texts[1]  # placeholder only without a photo
    assert "★★★☆☆" in texts[0].replace(" ", "")
    image = rasterize(pdf, tmp_path)[0]
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCodeModel2)
    assert [r.text for r in found] == ["YL1:V00000001:1:ABCDEFGHIJ"]
    side = found[0].position.bottom_right.x - found[0].position.top_left.x
    assert side / 300 * 25.4 >= 20.0  # the symbol (finder to finder) is at least 20 mm


def test_sheets_of_ten_paginate(tmp_path):
    pdf = render_cards([sample(i) for i in range(1, 24)], sheet=True)
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        assert len(doc.pages) == 3
        assert round(doc.pages[0].width / 72 * 25.4) == 210
    texts = text_of(pdf)
    assert "V00000010" in texts[0] and "V00000011" in texts[1] and "V00000023" in texts[2]


def test_long_names_are_fitted_not_clipped():
    long = sample(name="赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张",
                  center_name="某某市某某区某某街道社会组织孵化培育中心暨志愿服务指导中心")
    text = text_of(render_cards([long]))[0]
    assert "赵钱孙李" in text and "…" in text


def test_crop_marks_stay_outside_every_card_and_on_the_page():
    cards_mm = [(x, y, x + layout.CARD_W, y + layout.CARD_H) for x, y in layout.sheet_origins()]
    assert len(cards_mm) == 10
    for x1, y1, x2, y2 in cards_mm:
        assert x1 > 5 and y1 > 5 and x2 < layout.PAGE_W - 5 and y2 < layout.PAGE_H - 5
    marks = layout.crop_marks()
    assert marks
    for mx1, my1, mx2, my2 in marks:
        assert min(mx1, mx2) > 0 and max(mx1, mx2) < layout.PAGE_W
        assert min(my1, my2) > 0 and max(my1, my2) < layout.PAGE_H
        for x1, y1, x2, y2 in cards_mm:  # a mark may touch an edge line, never the inside
            inside_x = min(mx1, mx2) < x2 and max(mx1, mx2) > x1
            inside_y = min(my1, my2) < y2 and max(my1, my2) > y1
            assert not (inside_x and inside_y)
    # every card corner has a mark on each of its two edge lines
    for x1, y1, x2, y2 in cards_mm:
        for cx, cy in ((x1, y1), (x2, y1), (x1, y2), (x2, y2)):
            assert any(my1 == my2 == cy for _, my1, _, my2 in marks)
            assert any(mx1 == mx2 == cx for mx1, _, mx2, _ in marks)
