"""A camera as a second scanner for the kiosk (optional: `pip install yilian[camera]`).

QtMultimedia ships in PySide6-Addons, which the application does not require, so everything
here degrades to "no camera": `CameraSource.available()` is False — never an exception, never
a warning — when QtMultimedia, zxing-cpp or Pillow cannot be imported or the system has no
video input. When there is a camera, `start()` shows its frames to a QVideoSink; at most
FRAMES_PER_SECOND of them are converted and handed to zxing-cpp (on the GUI thread: one
decode of a webcam frame takes a few milliseconds), and each QR text found is emitted once as
`payload(str)` — the same text again within REPEAT_SECONDS is a card still held up to the
lens, not a new scan.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

log = logging.getLogger(__name__)

FRAMES_PER_SECOND = 5
REPEAT_SECONDS = 3.0


def decode_qimage(image: QImage) -> str | None:
    """The text of the first QR code in `image`, or None (also when zxing-cpp is missing)."""
    try:
        import zxingcpp
        from PIL import Image
    except ImportError:
        return None
    if image.isNull():
        return None
    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    width, height, stride = rgb.width(), rgb.height(), rgb.bytesPerLine()
    data = bytes(rgb.constBits())[: stride * height]
    # Scan lines are padded to 4 bytes; the raw decoder takes the stride.
    pil = Image.frombuffer("RGB", (width, height), data, "raw", "RGB", stride, 1)
    qr = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCodeModel2)
    found = zxingcpp.read_barcodes(pil, formats=qr)
    for barcode in found:
        if barcode.valid and barcode.text:
            return str(barcode.text)
    return None


def _multimedia() -> Any:
    """The PySide6.QtMultimedia module, or None when PySide6-Addons is not installed."""
    try:
        from PySide6 import QtMultimedia  # type: ignore[attr-defined,unused-ignore]
    except ImportError:
        return None
    return QtMultimedia


class CameraSource(QObject):
    """QR payloads read by the first (default) camera.

    Signals:
        payload(str): a decoded QR text, once per card held up (see REPEAT_SECONDS).
        failed(str): the camera reported an error and was stopped.
    """

    payload = Signal(str)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._camera: Any = None
        self._session: Any = None
        self._sink: Any = None
        self._last_frame = float("-inf")
        self._last_text = ""
        self._last_text_at = float("-inf")

    @staticmethod
    def available() -> bool:
        """True when QtMultimedia and zxing-cpp are importable and a video input exists."""
        try:
            media = _multimedia()
            if media is None:
                return False
            import zxingcpp  # noqa: F401
            from PIL import Image  # noqa: F401
            return bool(media.QMediaDevices.videoInputs())
        except Exception:  # a broken multimedia backend means "no camera", not a crash
            log.info("no camera: QtMultimedia could not list video inputs", exc_info=True)
            return False

    def start(self) -> bool:
        """Open the default camera; False (logged at INFO) when that is not possible."""
        if self._camera is not None:
            return True
        try:
            media = _multimedia()
            if media is None:
                return False
            device = media.QMediaDevices.defaultVideoInput()
            camera = media.QCamera(device, self)
            session = media.QMediaCaptureSession(self)
            sink = media.QVideoSink(self)
            session.setCamera(camera)
            session.setVideoSink(sink)
            camera.errorOccurred.connect(self._on_error)
            sink.videoFrameChanged.connect(self._on_frame)
            camera.start()
        except Exception:
            log.info("the camera could not be started", exc_info=True)
            return False
        self._camera, self._session, self._sink = camera, session, sink
        return True

    def stop(self) -> None:
        camera, self._camera = self._camera, None
        if camera is not None:
            camera.stop()
        for obj in (self._sink, self._session, camera):
            if obj is not None:
                obj.deleteLater()
        self._session = self._sink = None

    def is_running(self) -> bool:
        return self._camera is not None

    def _on_error(self, _error: object, message: str) -> None:
        log.info("camera error: %s", message)
        self.stop()
        self.failed.emit(message)

    def _on_frame(self, frame: Any) -> None:
        now = time.monotonic()
        if now - self._last_frame < 1.0 / FRAMES_PER_SECOND:
            return  # skip the conversion, not just the decode
        self.feed(frame.toImage(), now)

    def feed(self, image: QImage, now: float | None = None) -> str | None:
        """Decode one frame and emit its payload unless it repeats the last one; what the
        video sink calls (at most FRAMES_PER_SECOND times a second), and tests too."""
        now = time.monotonic() if now is None else now
        self._last_frame = now
        try:
            text = decode_qimage(image)
        except Exception:  # one bad frame must not stop the camera
            log.info("a camera frame could not be decoded", exc_info=True)
            return None
        if not text:
            return None
        if text == self._last_text and now - self._last_text_at < REPEAT_SECONDS:
            self._last_text_at = now  # still held up: wait until it is taken away
            return None
        self._last_text, self._last_text_at = text, now
        self.payload.emit(text)
        return text
