"""The check-in kiosk (DOMAIN.md §4): one activity, a USB scanner, results read from 2 m.

A keyboard-wedge scanner types the card's payload and ends it with Enter or Tab. The scan
field keeps the focus, takes no input method (a Chinese IME would swallow the keystrokes)
and treats Tab as the end of a payload rather than a focus move. Each scan goes through
app.services.cards.checkin on the GUI thread (a few indexed queries, well under the 30 ms
budget), then the result fills the screen — the volunteer's photo (a neutral placeholder
when there is none) beside the name, green for a check-in or check-out, amber for a repeat or
for a scan accepted outside the activity's window (setting `kiosk.outside_window` = "warn"),
red for a refusal — with a beep, and clears after RESULT_MS for the next person.

Leaving the kiosk (Escape, closing the window) asks for the staff PIN, the register
setting `kiosk.pin` (app.services.cards.checkin.KIOSK_PIN, default "0000"), in a small dialog
opened without a nested event loop.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QColor,
    QKeyEvent,
    QPainter,
    QPainterPath,
    QPixmap,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.hours import format_minutes
from app.services.cards import checkin
from app.services.cards.checkin import ScanResult
from app.services.common import settings
from app.services.hours import activities
from app.services.volunteers import registration as volunteers
from app.ui.cards.camera_source import CameraSource
from app.ui.common.service_text import shown, shown_duration

log = logging.getLogger(__name__)

RESULT_MS = 4000             # how long a result stays before the screen clears
COUNTS_REFRESH_MS = 30_000   # other kiosks scan into the same activity
MAX_PAYLOAD = 512            # a scanner reading something else must not grow the field forever
END_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
PHOTO_SIZE = QSize(210, 280)  # 3:4 like an ID photo; large enough to recognise at 2 m


def placeholder_photo(size: QSize = PHOTO_SIZE) -> QPixmap:
    """A neutral grey head-and-shoulders silhouette for a volunteer without a photo."""
    pixmap = QPixmap(size)
    pixmap.fill(QColor("#cfd8dc"))
    w, h = size.width(), size.height()
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("#90a4ae"))
    head = min(w, h) * 0.42
    painter.drawEllipse(QRectF((w - head) / 2, h * 0.16, head, head))
    body = QPainterPath()
    body.addRoundedRect(QRectF(w * 0.14, h * 0.62, w * 0.72, h * 0.5), w * 0.3, w * 0.3)
    painter.drawPath(body)
    painter.end()
    return pixmap


def volunteer_photo(volunteer_id: int | None, size: QSize = PHOTO_SIZE) -> QPixmap:
    """The volunteer's photo scaled to fill `size` (cropped to it), or the placeholder."""
    data = None
    if volunteer_id is not None:
        try:
            data = volunteers.photo(volunteer_id)
        except Exception:  # a photo is a nicety; the scan result must still show
            log.exception("photo of volunteer %s failed", volunteer_id)
    pixmap = QPixmap()
    if not data or not pixmap.loadFromData(data):
        return placeholder_photo(size)
    scaled = pixmap.scaled(size, Qt.AspectRatioMode.KeepAspectRatioByExpanding,
                           Qt.TransformationMode.SmoothTransformation)
    return scaled.copy((scaled.width() - size.width()) // 2,
                       (scaled.height() - size.height()) // 2, size.width(), size.height())

# state → (text colour, background); readable from across a table
STATE_COLORS = {
    "ready": ("#263238", "#eceff1"),
    "checked_in": ("#ffffff", "#2e7d32"),
    "checked_out": ("#ffffff", "#2e7d32"),
    "repeat": ("#212121", "#ffb300"),
    "warning": ("#212121", "#ffb300"),   # accepted, but outside the activity's window
    "refused": ("#ffffff", "#c62828"),
}


class ScanField(QLineEdit):
    """A line edit for a keyboard-wedge scanner: no input method, Enter or Tab submits.

    Signals:
        submitted(str): the text typed before Enter or Tab (the field is then cleared).
    """

    submitted = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
        self.setInputMethodHints(Qt.InputMethodHint.ImhLatinOnly
                                 | Qt.InputMethodHint.ImhPreferUppercase
                                 | Qt.InputMethodHint.ImhNoPredictiveText
                                 | Qt.InputMethodHint.ImhSensitiveData)
        self.setMaxLength(MAX_PAYLOAD)
        self.setObjectName("scanField")

    def event(self, event: QEvent) -> bool:
        # Tab never reaches keyPressEvent: QWidget.event turns it into a focus move first.
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                and event.key() in END_KEYS:
            self._submit()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in END_KEYS:
            self._submit()
            return
        super().keyPressEvent(event)

    def _submit(self) -> None:
        text = self.text()
        self.clear()
        if text.strip():
            self.submitted.emit(text)


class PinDialog(QDialog):
    """Asks for the staff PIN; accepts only the right one (a wrong one stays on screen)."""

    def __init__(self, expected: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._expected = expected
        self.setWindowTitle(self.tr("Leave the kiosk"))
        self.setModal(True)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Staff PIN:")))
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
        self.pin.setObjectName("pin")
        layout.addWidget(self.pin)
        self.error = QLabel()
        self.error.setStyleSheet("color: #c62828;")
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout.addWidget(buttons)

    def accept(self) -> None:
        if self.pin.text() != self._expected:
            self.error.setText(self.tr("Wrong PIN."))
            self.pin.clear()
            self.pin.setFocus()
            return
        super().accept()


class NewPinDialog(QDialog):
    """On the first kiosk start the leave PIN is still the factory 0000, which anyone at the
    event could guess: staff choose one here (twice), or keep 0000 knowingly."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Choose the kiosk PIN"))
        self.setModal(True)
        layout = QVBoxLayout(self)
        note = QLabel(self.tr("The PIN that closes the kiosk is still 0000, which anyone can "
                              "guess. Choose 4 to 8 digits that only staff know."))
        note.setWordWrap(True)
        layout.addWidget(note)
        self.pin = QLineEdit()
        self.again = QLineEdit()
        self.error = QLabel()
        for field, label in ((self.pin, self.tr("New PIN:")), (self.again,
                                                              self.tr("Once more:"))):
            field.setEchoMode(QLineEdit.EchoMode.Password)
            field.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
            field.setMaxLength(8)
            field.textEdited.connect(lambda _t: self.error.clear())
            layout.addWidget(QLabel(label))
            layout.addWidget(field)
        self.error.setStyleSheet("color: #c62828;")
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save)
        self.keep_button = buttons.addButton(self.tr("Keep 0000 for now"),
                                             QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout.addWidget(buttons)
        self.resize(420, self.sizeHint().height())

    def accept(self) -> None:
        pin = self.pin.text()
        if not settings.valid_pin(pin):
            self.error.setText(self.tr("The PIN must be 4 to 8 digits."))
        elif pin == checkin.KIOSK_PIN.default:
            self.error.setText(self.tr("Choose a PIN other than 0000."))
        elif self.again.text() != pin:
            self.error.setText(self.tr("The two entries differ."))
        else:
            settings.put(checkin.KIOSK_PIN, pin)
            super().accept()
            return
        self.again.clear()
        self.pin.setFocus()


class KioskWindow(QWidget):
    """The kiosk screen for one activity; call `showFullScreen()` at the event.

    Signals:
        scanned(object): the ScanResult of each scan, after it is shown.
        left(): staff entered the PIN and the kiosk closed.
    """

    scanned = Signal(object)
    left = Signal()

    def __init__(self, activity_id: int, station: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.activity_id = activity_id
        self.station = station
        self.state = "ready"
        self.palette_state = "ready"   # the colours shown: the state, or "warning"
        self._unlocked = False
        self._pin_dialog: QDialog | None = None   # a staff dialog over the kiosk
        self._asked_for_pin = False
        act = activities.get(activity_id)
        self.setWindowTitle(self.tr("Check-in: {name}").format(name=act.name))
        self.setObjectName("kiosk")

        self.title = QLabel(act.name)
        self.title.setObjectName("kioskTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setWordWrap(True)
        place = f" · {act.place}" if act.place else ""
        self.subtitle = QLabel(f"{act.starts_at:%Y-%m-%d %H:%M}–{act.ends_at:%H:%M}{place}"
                               + (f" · {station}" if station else ""))
        self.subtitle.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.subtitle.setObjectName("kioskSubtitle")
        self.counts_label = QLabel()
        self.counts_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.counts_label.setObjectName("kioskCounts")

        self.panel = QFrame()
        self.panel.setObjectName("resultPanel")
        self.panel.setFrameShape(QFrame.Shape.NoFrame)
        self.photo_label = QLabel()
        self.photo_label.setObjectName("resultPhoto")
        self.photo_label.setFixedSize(PHOTO_SIZE)
        self.name_label = QLabel()
        self.name_label.setObjectName("resultName")
        self.status_label = QLabel()
        self.status_label.setObjectName("resultStatus")
        self.detail_label = QLabel()
        self.detail_label.setObjectName("resultDetail")
        inner = QVBoxLayout(self.panel)
        inner.setContentsMargins(24, 24, 24, 24)
        person = QHBoxLayout()
        person.setSpacing(32)
        person.addStretch(1)
        person.addWidget(self.photo_label)
        person.addWidget(self.name_label)
        person.addStretch(1)
        inner.addLayout(person)
        for label in (self.name_label, self.status_label, self.detail_label):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setWordWrap(True)
        inner.addWidget(self.status_label)
        inner.addWidget(self.detail_label)

        self.field = ScanField()
        self.field.setPlaceholderText(self.tr("Scan the volunteer card"))
        self.field.submitted.connect(self.submit)
        self.hint = QLabel(self.tr("Staff: press Esc and enter the PIN to leave"))
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setObjectName("kioskHint")
        self.camera_note = QLabel(self.tr("Camera on"))
        self.camera_note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.camera_note.setObjectName("kioskHint")
        self.camera_note.setVisible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 16)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addWidget(self.counts_label)
        layout.addWidget(self.panel, 1)
        layout.addWidget(self.field)
        layout.addWidget(self.hint)
        layout.addWidget(self.camera_note)
        self.setFocusProxy(self.field)
        self.setStyleSheet(
            "#kioskTitle { font-size: 44px; font-weight: bold; }"
            "#kioskSubtitle, #kioskHint { font-size: 18px; color: #546e7a; }"
            "#kioskCounts { font-size: 32px; }"
            "#resultName { font-size: 88px; font-weight: bold; }"
            "#resultStatus { font-size: 60px; font-weight: bold; }"
            "#resultDetail { font-size: 40px; }"
            "#scanField { font-size: 22px; padding: 6px; }")

        self._clear_timer = QTimer(self)
        self._clear_timer.setSingleShot(True)
        self._clear_timer.setInterval(RESULT_MS)
        self._clear_timer.timeout.connect(self.clear_result)
        self._counts_timer = QTimer(self)
        self._counts_timer.setInterval(COUNTS_REFRESH_MS)
        self._counts_timer.timeout.connect(self.refresh_counts)
        self._counts_timer.start()
        self.field.installEventFilter(self)
        self.refresh_counts()
        self.clear_result()
        # A camera, when there is one (the `camera` extra), scans into the same handler.
        self.camera: CameraSource | None = None
        if CameraSource.available():
            camera = CameraSource(self)
            camera.payload.connect(self.submit)
            camera.failed.connect(self.camera_note.hide)
            if camera.start():
                self.camera = camera
                self.camera_note.setVisible(True)

    # ---- scanning ---------------------------------------------------------------------------

    def submit(self, payload: str) -> ScanResult | None:
        """Scan one payload and show the result (also what the scan field calls)."""
        try:
            result = checkin.scan(payload, self.activity_id, station=self.station)
        except Exception:  # the kiosk must keep running; the log has the details
            log.exception("scan failed at activity %s", self.activity_id)
            self._show("refused", "", self.tr("Not recorded"),
                       self.tr("The register could not be reached. Please call staff."),
                       photo=False)
            return None
        self.show_result(result)
        self.refresh_counts()
        self.scanned.emit(result)
        return result

    def show_result(self, result: ScanResult) -> None:
        time = f"{result.at:%H:%M}" if result.at else ""
        name = result.volunteer_name
        if result.kind == "checked_in":
            status = self.tr("Checked in {time}").format(time=time)
            detail = self.tr("Welcome! Scan again when you leave.")
        elif result.kind == "checked_out":
            status = self.tr("Checked out {time}").format(time=time)
            detail = self.tr("{hours} recorded, pending approval").format(
                hours=shown_duration(format_minutes(result.minutes)))
            if result.flags:
                detail = shown(result.message)
            if result.minutes == 0:   # checked out, but nothing counts: not a green success
                warning = shown(result.message) if result.flags else self.tr(
                    "This stay counts no service hours.")
                self._show(result.kind, name, status, warning,
                           volunteer_id=result.volunteer_id, palette="warning")
                return
        elif result.kind == "repeat":
            status = self.tr("Already scanned")
            detail = self.tr("Nothing changed. Next, please.")
        else:
            status = self.tr("Refused")
            detail = shown(result.message)
        warned = result.accepted and bool(result.warning)
        if warned:
            detail = self.tr("Note: {warning}").format(warning=shown(result.warning))
        self._show(result.kind, name, status, detail, volunteer_id=result.volunteer_id,
                   photo=result.volunteer_id is not None,
                   palette="warning" if warned else None)

    def _show(self, state: str, name: str, status: str, detail: str,
              volunteer_id: int | None = None, photo: bool = True,
              palette: str | None = None) -> None:
        self.state = state
        self.name_label.setText(name)
        self.name_label.setVisible(bool(name))
        if photo and name:
            self.photo_label.setPixmap(volunteer_photo(volunteer_id))
        else:
            self.photo_label.clear()
        self.photo_label.setVisible(photo and bool(name))
        self.status_label.setText(status)
        self.detail_label.setText(detail)
        self._paint(palette or state)
        QApplication.beep()
        self._clear_timer.start()

    def clear_result(self) -> None:
        self.state = "ready"
        self.name_label.clear()
        self.name_label.setVisible(False)
        self.photo_label.clear()
        self.photo_label.setVisible(False)
        self.status_label.setText(self.tr("Please scan your card"))
        self.detail_label.setText(self.tr("Hold the QR code under the scanner"))
        self._paint("ready")

    def _paint(self, palette: str) -> None:
        self.palette_state = palette
        fg, bg = STATE_COLORS[palette]
        self.panel.setStyleSheet(f"#resultPanel {{ background: {bg}; border-radius: 16px; }}"
                                 f"#resultPanel QLabel {{ color: {fg}; }}"
                                 "#resultPanel QLabel#resultPhoto { border: 3px solid white;"
                                 " border-radius: 8px; }")

    def result_colors(self) -> tuple[str, str]:
        """(text, background) of the result panel as shown now."""
        return STATE_COLORS[self.palette_state]

    def refresh_counts(self) -> None:
        try:
            present, today = checkin.counts(self.activity_id)
        except Exception:
            log.exception("counts failed at activity %s", self.activity_id)
            return
        self.counts_label.setText(self.tr("Present now: {present}   Checked in today: {today}")
                                  .format(present=present, today=today))

    # ---- keeping the focus, leaving -----------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.field and event.type() == QEvent.Type.FocusOut \
                and self._pin_dialog is None:
            QTimer.singleShot(0, self._refocus)
        return super().eventFilter(watched, event)

    def _refocus(self) -> None:
        if self._pin_dialog is None and self.isVisible():
            self.field.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.ask_to_leave()
            return
        super().keyPressEvent(event)

    def ask_to_leave(self) -> QDialog:
        """Open the PIN dialog (once); the right PIN closes the kiosk."""
        if self._pin_dialog is None:
            dialog = PinDialog(settings.get(checkin.KIOSK_PIN), self)
            dialog.accepted.connect(self._leave)
            dialog.finished.connect(self._pin_closed)
            self._pin_dialog = dialog
            dialog.open()
        return self._pin_dialog

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._asked_for_pin:
            self._asked_for_pin = True
            self._show_pin_warning()
            if self.pin_is_default():
                QTimer.singleShot(0, self.ask_for_new_pin)

    @staticmethod
    def pin_is_default() -> bool:
        return settings.get(checkin.KIOSK_PIN) == checkin.KIOSK_PIN.default

    def ask_for_new_pin(self) -> QDialog | None:
        """The first-start question for a PIN of the centre's own; None if one is set."""
        if self._pin_dialog is not None or not self.pin_is_default():
            return self._pin_dialog if isinstance(self._pin_dialog, NewPinDialog) else None
        dialog = NewPinDialog(self)
        dialog.finished.connect(self._pin_closed)
        dialog.finished.connect(self._show_pin_warning)
        self._pin_dialog = dialog
        dialog.open()
        return dialog

    def _show_pin_warning(self, *_args: object) -> None:
        if self.pin_is_default():
            self.hint.setText(self.tr("The leave PIN is still 0000: set one in Settings → "
                                      "Kiosk."))
            self.hint.setStyleSheet("color: #b26a00;")
        else:
            self.hint.setText(self.tr("Staff: press Esc and enter the PIN to leave"))
            self.hint.setStyleSheet("")

    def _pin_closed(self) -> None:
        if self._pin_dialog is not None:
            self._pin_dialog.deleteLater()
        self._pin_dialog = None
        self._refocus()

    def _leave(self) -> None:
        self._unlocked = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._unlocked:
            event.ignore()
            self.ask_to_leave()
            return
        self._clear_timer.stop()
        self._counts_timer.stop()
        if self.camera is not None:
            self.camera.stop()
        super().closeEvent(event)
        self.left.emit()
