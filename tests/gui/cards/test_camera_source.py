"""The kiosk's optional camera: absent here (no PySide6-Addons, no camera) without a word,
and the decode it would run on each frame reads a real card's QR into a check-in."""

from __future__ import annotations

import io

import pytest
import qrcode
from PySide6.QtGui import QColor, QImage

from app.store.models import ScanLog, ServiceRecord
from app.ui.cards import camera_source
from app.ui.cards.camera_source import CameraSource, decode_qimage


def qr_qimage(text: str, border: int = 4, box: int = 6) -> QImage:
    code = qrcode.QRCode(border=border, box_size=box)
    code.add_data(text)
    buffer = io.BytesIO()
    code.make_image().get_image().convert("RGB").save(buffer, "PNG")
    image = QImage.fromData(buffer.getvalue())
    assert not image.isNull()
    return image


def test_no_camera_here_means_unavailable_without_an_error(qtbot):
    assert CameraSource.available() is False


def test_unavailable_when_qtmultimedia_cannot_be_imported(monkeypatch):
    monkeypatch.setattr(camera_source, "_multimedia", lambda: None)
    assert CameraSource.available() is False
    assert CameraSource().start() is False


def test_a_broken_backend_is_no_camera(monkeypatch):
    def broken():
        raise RuntimeError("no backend")

    monkeypatch.setattr(camera_source, "_multimedia", broken)
    assert CameraSource.available() is False


def test_the_kiosk_opens_without_a_camera(kiosk_window):
    assert kiosk_window.camera is None
    assert not kiosk_window.camera_note.isVisible()
    assert kiosk_window.camera_note.text() == "Camera on"


def test_decode_qimage_reads_a_card_payload(register, card_holder):
    payload = card_holder()
    assert decode_qimage(qr_qimage(payload)) == payload
    # an odd width pads the scan lines: the stride must be honoured
    full = qr_qimage(payload)
    odd = full.copy(0, 0, full.width() - 1, full.height())
    assert odd.width() % 4 and decode_qimage(odd) == payload


def test_decode_qimage_finds_nothing_in_a_blank_frame():
    blank = QImage(320, 240, QImage.Format.Format_RGB32)
    blank.fill(QColor("white"))
    assert decode_qimage(blank) is None
    assert decode_qimage(QImage()) is None


def test_the_same_card_held_up_is_emitted_once(qtbot, register, card_holder):
    payload = card_holder()
    image = qr_qimage(payload)
    source = CameraSource()
    seen: list[str] = []
    source.payload.connect(seen.append)
    assert source.feed(image, now=100.0) == payload
    assert source.feed(image, now=101.0) is None      # still in front of the lens
    assert source.feed(image, now=103.5) is None      # ... and still (within 3 s of 101)
    assert source.feed(image, now=107.0) == payload   # taken away and shown again
    assert seen == [payload, payload]


def test_a_camera_payload_checks_in_through_the_kiosk(kiosk_window, qtbot, card_holder):
    payload = card_holder()
    source = CameraSource(kiosk_window)
    source.payload.connect(kiosk_window.submit)  # how the kiosk wires a real camera
    with qtbot.waitSignal(kiosk_window.scanned, timeout=5000) as blocker:
        assert source.feed(qr_qimage(payload)) == payload
    assert blocker.args[0].kind == "checked_in"
    assert kiosk_window.state == "checked_in" and kiosk_window.name_label.text() == "李秀英"
    assert ServiceRecord.select().count() == 1
    assert ScanLog.get().station == "一号机"


@pytest.mark.parametrize("border", [1, 4])
def test_decode_survives_a_tight_or_wide_quiet_zone(register, border, card_holder):
    payload = card_holder()
    assert decode_qimage(qr_qimage(payload, border=border)) == payload
