"""The check-in kiosk on a real register: a scanner types the payload and ends it with
Enter or Tab, the result shows large and coloured, and leaving needs the staff PIN."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.domain.hours import ActivityDraft
from app.services.cards import checkin
from app.services.common import settings
from app.services.hours import activities
from app.services.hours import records as service_records
from app.services.volunteers import registration as volunteers
from app.store.models import ScanLog, ServiceRecord
from app.ui.cards import kiosk
from app.ui.cards.kiosk import KioskWindow

SHOTS = Path(__file__).resolve().parents[2] / "shots"






def scan(qtbot: QtBot, kiosk_window: KioskWindow, payload: str,
         end: Qt.Key = Qt.Key.Key_Return) -> None:
    with qtbot.waitSignal(kiosk_window.scanned, timeout=5000):
        qtbot.keyClicks(kiosk_window.field, payload)
        qtbot.keyClick(kiosk_window.field, end)


def png(color: str = "#1565c0") -> bytes:
    from PySide6.QtCore import QBuffer, QIODevice
    from PySide6.QtGui import QColor, QImage

    image = QImage(60, 80, QImage.Format.Format_RGB32)
    image.fill(QColor(color))
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert image.save(buffer, "PNG")
    return bytes(buffer.data().data())


def shoot(kiosk_window: KioskWindow, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    assert kiosk_window.grab().save(str(SHOTS / f"kiosk_{name}.png"))


def test_the_scan_field_ignores_the_input_method_and_has_focus(kiosk_window, qtbot):
    field = kiosk_window.field
    assert not field.testAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled)
    assert field.inputMethodHints() & Qt.InputMethodHint.ImhLatinOnly
    qtbot.waitUntil(field.hasFocus)
    assert kiosk_window.state == "ready" and "0" in kiosk_window.counts_label.text()
    shoot(kiosk_window, "ready")


def test_enter_checks_in_and_shows_green(kiosk_window, qtbot, card_holder):
    payload = card_holder()
    scan(qtbot, kiosk_window, payload)
    assert kiosk_window.state == "checked_in"
    assert kiosk_window.name_label.text() == "李秀英"
    assert kiosk_window.status_label.text().startswith("Checked in")
    assert kiosk_window.result_colors() == kiosk.STATE_COLORS["checked_in"]
    assert "#2e7d32" in kiosk_window.panel.styleSheet()
    assert kiosk_window.field.text() == ""
    assert "Present now: 1" in kiosk_window.counts_label.text()
    assert "Checked in today: 1" in kiosk_window.counts_label.text()
    assert ServiceRecord.select().count() == 1
    assert ScanLog.get().station == "一号机"
    shoot(kiosk_window, "checked_in")


def test_a_tab_ended_payload_scans_and_keeps_the_focus(kiosk_window, qtbot, card_holder):
    payload = card_holder()
    qtbot.waitUntil(kiosk_window.field.hasFocus)
    scan(qtbot, kiosk_window, payload, Qt.Key.Key_Tab)
    assert kiosk_window.state == "checked_in"
    assert kiosk_window.field.hasFocus() and kiosk_window.field.text() == ""
    scan(qtbot, kiosk_window, payload, Qt.Key.Key_Tab)
    assert kiosk_window.state == "repeat" and kiosk_window.status_label.text() == "Already scanned"
    assert kiosk_window.result_colors() == kiosk.STATE_COLORS["repeat"]
    shoot(kiosk_window, "repeat")


def test_a_forged_card_shows_red_with_the_reason(kiosk_window, qtbot, card_holder):
    payload = card_holder()
    forged = payload[:-1] + ("A" if payload[-1] != "A" else "B")
    scan(qtbot, kiosk_window, forged)
    assert kiosk_window.state == "refused" and kiosk_window.status_label.text() == "Refused"
    assert kiosk_window.detail_label.text()  # the service's reason, in Chinese
    _fg, bg = kiosk_window.result_colors()
    assert bg == "#c62828" and bg in kiosk_window.panel.styleSheet()
    assert ScanLog.get().outcome == "refused" and ServiceRecord.select().count() == 0
    shoot(kiosk_window, "refused")


def test_check_out_shows_the_hours(kiosk_window, qtbot, card_holder, monkeypatch):
    payload = card_holder()
    settings.put(service_records.settings.HOURS_MIN_SCAN_SHARE, 0)
    scan(qtbot, kiosk_window, payload)
    later = service_records.local_now() + dt.timedelta(minutes=90)
    monkeypatch.setattr(service_records, "local_now", lambda: later)
    scan(qtbot, kiosk_window, payload)
    assert kiosk_window.state == "checked_out"
    assert kiosk_window.status_label.text().startswith("Checked out")
    assert "pending approval" in kiosk_window.detail_label.text()
    assert kiosk_window.result_colors() == kiosk.STATE_COLORS["checked_out"]
    assert "Present now: 0" in kiosk_window.counts_label.text()


def test_a_check_out_that_counts_nothing_is_amber(kiosk_window, qtbot, card_holder):
    """A stay too short to count was shown as a green 签退成功."""
    payload = card_holder()
    settings.put(service_records.settings.HOURS_SCAN_REPEAT_SECONDS, 0)
    scan(qtbot, kiosk_window, payload)
    scan(qtbot, kiosk_window, payload)          # seconds later: under the minimum stay
    assert kiosk_window.state == "checked_out"
    assert kiosk_window.result_colors() == kiosk.STATE_COLORS["warning"]
    assert "本次不计时长" in kiosk_window.detail_label.text()
    assert ServiceRecord.get().minutes == 0


def test_the_first_start_asks_for_a_pin_of_our_own(qtbot, register, monkeypatch):
    monkeypatch.setattr(QApplication, "beep", lambda: None)
    now = service_records.local_now()
    aid = activities.create(ActivityDraft(
        name="社区义诊", starts_at=now - dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(hours=3))).id
    window = KioskWindow(aid)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: isinstance(window._pin_dialog, kiosk.NewPinDialog))
    dialog = window._pin_dialog
    assert isinstance(dialog, kiosk.NewPinDialog)
    assert "0000" in window.hint.text()                  # said on the kiosk too
    for pin, again, problem in (("12a4", "12a4", "4 to 8 digits"),
                                ("0000", "0000", "other than 0000"),
                                ("2580", "2581", "differ")):
        dialog.pin.setText(pin)
        dialog.again.setText(again)
        dialog.accept()
        assert dialog.isVisible() and problem in dialog.error.text()
        assert settings.get(checkin.KIOSK_PIN) == "0000"
    dialog.pin.setText("2580")
    dialog.again.setText("2580")
    dialog.accept()
    assert settings.get(checkin.KIOSK_PIN) == "2580"
    assert window._pin_dialog is None and "0000" not in window.hint.text()
    window._unlocked = True


def test_the_result_clears_for_the_next_person(kiosk_window, qtbot, monkeypatch, card_holder):
    kiosk_window._clear_timer.setInterval(50)
    scan(qtbot, kiosk_window, card_holder())
    assert kiosk_window.state == "checked_in"
    qtbot.waitUntil(lambda: kiosk_window.state == "ready", timeout=2000)
    assert kiosk_window.name_label.text() == "" and kiosk_window.status_label.text()


def test_a_fast_scanner_and_a_blank_enter(kiosk_window, qtbot, card_holder):
    """Two payloads typed back to back with no pause both count; a bare Enter does nothing."""
    first, second = card_holder(1, "甲"), card_holder(2, "乙")
    qtbot.keyClick(kiosk_window.field, Qt.Key.Key_Return)
    assert ScanLog.select().count() == 0
    for payload in (first, second):
        qtbot.keyClicks(kiosk_window.field, payload)
        qtbot.keyClick(kiosk_window.field, Qt.Key.Key_Return)
    assert ScanLog.select().count() == 2 and kiosk_window.name_label.text() == "乙"
    assert "Checked in today: 2" in kiosk_window.counts_label.text()


def test_leaving_needs_the_pin(kiosk_window, qtbot):
    settings.put(checkin.KIOSK_PIN, "2468")
    kiosk_window.close()
    assert kiosk_window.isVisible()
    dialog = kiosk_window._pin_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.keyClicks(dialog.pin, "0000")
    dialog.accept()
    assert kiosk_window.isVisible() and dialog.error.text() == "Wrong PIN."
    dialog.reject()
    assert kiosk_window._pin_dialog is None and kiosk_window.isVisible()
    qtbot.keyClick(kiosk_window.field, Qt.Key.Key_Escape)
    dialog = kiosk_window._pin_dialog
    assert dialog is not None
    with qtbot.waitSignal(kiosk_window.left):
        qtbot.keyClicks(dialog.pin, "2468")
        qtbot.keyClick(dialog.pin, Qt.Key.Key_Return)
    assert not kiosk_window.isVisible()


def test_the_result_shows_the_photo_or_a_placeholder(kiosk_window, qtbot, card_holder):
    from app.services.cards import issuing as cards

    with_photo = card_holder(1, "甲")
    vid = cards.verify(with_photo).volunteer_id
    volunteers.set_photo(vid, png("#1565c0"))
    scan(qtbot, kiosk_window, with_photo)
    photo = kiosk_window.photo_label.pixmap()
    assert kiosk_window.photo_label.isVisible() and not photo.isNull()
    assert photo.size() == kiosk.PHOTO_SIZE and kiosk_window.photo_label.height() >= 200
    centre = photo.toImage().pixelColor(photo.width() // 2, photo.height() // 2)
    assert centre.name() == "#1565c0"  # the volunteer's own photo, scaled
    name_box = kiosk_window.name_label.geometry()
    assert kiosk_window.photo_label.geometry().right() < name_box.left()  # beside the name
    assert abs(kiosk_window.photo_label.geometry().center().y() - name_box.center().y()) < 10

    scan(qtbot, kiosk_window, card_holder(2, "乙"))  # no photo: the neutral placeholder
    placeholder = kiosk_window.photo_label.pixmap().toImage()
    assert placeholder.pixelColor(2, 2).name() == "#cfd8dc"
    assert kiosk_window.photo_label.isVisible()


def test_no_photo_for_an_unknown_card_nor_when_ready(kiosk_window, qtbot, card_holder):
    qtbot.waitUntil(kiosk_window.field.hasFocus)
    assert not kiosk_window.photo_label.isVisible()
    payload = card_holder()
    scan(qtbot, kiosk_window, payload[:-1] + ("A" if payload[-1] != "A" else "B"))
    assert kiosk_window.state == "refused" and not kiosk_window.photo_label.isVisible()
    kiosk_window.clear_result()
    assert kiosk_window.photo_label.pixmap().isNull()


def test_a_broken_photo_falls_back_to_the_placeholder(register):
    pixmap = kiosk.volunteer_photo(None)
    assert pixmap.size() == kiosk.PHOTO_SIZE
    assert pixmap.toImage().pixelColor(2, 2).name() == "#cfd8dc"


@pytest.fixture
def early_window(qtbot: QtBot, register, monkeypatch) -> KioskWindow:
    """A kiosk for an activity that starts in five hours, later today if the clock allows."""
    monkeypatch.setattr(QApplication, "beep", lambda: None)
    now = service_records.local_now()
    start = now + dt.timedelta(hours=5)
    if start.date() != now.date():  # too late today: move the kiosk's clock instead
        fake_now = now.replace(hour=6, minute=0, second=0)
        monkeypatch.setattr(service_records, "local_now", lambda: fake_now)
        start = fake_now + dt.timedelta(hours=5)
    settings.put(checkin.KIOSK_PIN, "2468")    # else the first start asks for one
    aid = activities.create(ActivityDraft(
        name="周末环保清洁", starts_at=start, ends_at=start + dt.timedelta(hours=2))).id
    widget = KioskWindow(aid, station="一号机")
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget._unlocked = True


def test_outside_the_window_is_refused_in_red_by_default(early_window, qtbot, card_holder):
    scan(qtbot, early_window, card_holder())
    assert early_window.state == "refused"
    assert early_window.result_colors() == kiosk.STATE_COLORS["refused"]
    assert ServiceRecord.select().count() == 0


def test_outside_the_window_with_warn_checks_in_in_amber(early_window, qtbot, card_holder):
    settings.put(settings.KIOSK_OUTSIDE_WINDOW, "warn")
    scan(qtbot, early_window, card_holder())
    assert early_window.state == "checked_in"
    assert early_window.status_label.text().startswith("Checked in")
    assert early_window.detail_label.text().startswith("Note: ")
    assert "已提前签到" in early_window.detail_label.text()
    assert early_window.result_colors() == kiosk.STATE_COLORS["warning"]
    assert "#ffb300" in early_window.panel.styleSheet()
    assert ServiceRecord.select().count() == 1
    assert "outside_window" in ScanLog.get().reason
    shoot(early_window, "warning")


def test_the_settings_dialog_edits_the_kiosk_pin_and_rule(qtbot, register):
    from PySide6.QtWidgets import QDialogButtonBox

    from app.ui.settings_dialog import SettingsDialog

    dialog = SettingsDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.kiosk_pin.text() == "0000"
    assert dialog.outside_window.currentData() == "refuse"
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    assert dialog.kiosk_pin.maxLength() == 8  # a ninth digit cannot be typed
    for bad in ("123", "12 34", "12a4", "１２３４", ""):
        dialog.kiosk_pin.setText(bad)
        save.click()
        assert dialog.isVisible() and dialog.kiosk_pin_error.isVisibleTo(dialog), bad
        assert dialog.kiosk_pin_error.text() == "The PIN must be 4 to 8 digits."
        assert dialog.tabs.currentIndex() == 4
        assert settings.get(checkin.KIOSK_PIN) == "0000"
    dialog.kiosk_pin.setText("24681357")
    dialog.outside_window.setCurrentIndex(dialog.outside_window.findData("warn"))
    with qtbot.waitSignal(dialog.saved):
        save.click()
    assert settings.get(checkin.KIOSK_PIN) == "24681357"
    assert settings.outside_window() == "warn"
    again = SettingsDialog()
    qtbot.addWidget(again)
    assert again.kiosk_pin.text() == "24681357"
    assert again.outside_window.currentData() == "warn"
