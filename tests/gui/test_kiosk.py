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
from app.domain.idcard import check_character
from app.domain.volunteer import VolunteerDraft
from app.services import activities, checkin, service_records, settings, volunteers
from app.store.models import ScanLog, ServiceRecord
from app.ui import kiosk
from app.ui.kiosk import KioskWindow

SHOTS = Path(__file__).resolve().parents[2] / "shots"


def card_holder(seq: int = 1, name: str = "李秀英") -> str:
    from app.services import cards

    first17 = f"11010519800101{seq:03d}"
    vid = volunteers.register(VolunteerDraft(
        name=name, id_number=first17 + check_character(first17), phone="13800138000")).id
    cards.issue(vid)
    return cards.payload_for(vid)


@pytest.fixture
def window(qtbot: QtBot, register, monkeypatch) -> KioskWindow:
    monkeypatch.setattr(QApplication, "beep", lambda: None)  # quiet test runs
    now = service_records.local_now()
    aid = activities.create(ActivityDraft(
        name="社区义诊志愿服务", starts_at=now - dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(hours=3), place="和平社区活动中心")).id
    widget = KioskWindow(aid, station="一号机")
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget._unlocked = True  # let the fixture's teardown close it


def scan(qtbot: QtBot, window: KioskWindow, payload: str,
         end: Qt.Key = Qt.Key.Key_Return) -> None:
    with qtbot.waitSignal(window.scanned, timeout=5000):
        qtbot.keyClicks(window.field, payload)
        qtbot.keyClick(window.field, end)


def shoot(window: KioskWindow, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    assert window.grab().save(str(SHOTS / f"kiosk_{name}.png"))


def test_the_scan_field_ignores_the_input_method_and_has_focus(window, qtbot):
    field = window.field
    assert not field.testAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled)
    assert field.inputMethodHints() & Qt.InputMethodHint.ImhLatinOnly
    qtbot.waitUntil(field.hasFocus)
    assert window.state == "ready" and "0" in window.counts_label.text()
    shoot(window, "ready")


def test_enter_checks_in_and_shows_green(window, qtbot):
    payload = card_holder()
    scan(qtbot, window, payload)
    assert window.state == "checked_in"
    assert window.name_label.text() == "李秀英"
    assert window.status_label.text().startswith("Checked in")
    assert window.result_colors() == kiosk.STATE_COLORS["checked_in"]
    assert "#2e7d32" in window.panel.styleSheet()
    assert window.field.text() == ""
    assert "Present now: 1" in window.counts_label.text()
    assert "Checked in today: 1" in window.counts_label.text()
    assert ServiceRecord.select().count() == 1
    assert ScanLog.get().station == "一号机"
    shoot(window, "checked_in")


def test_a_tab_ended_payload_scans_and_keeps_the_focus(window, qtbot):
    payload = card_holder()
    qtbot.waitUntil(window.field.hasFocus)
    scan(qtbot, window, payload, Qt.Key.Key_Tab)
    assert window.state == "checked_in"
    assert window.field.hasFocus() and window.field.text() == ""
    scan(qtbot, window, payload, Qt.Key.Key_Tab)
    assert window.state == "repeat" and window.status_label.text() == "Already scanned"
    assert window.result_colors() == kiosk.STATE_COLORS["repeat"]
    shoot(window, "repeat")


def test_a_forged_card_shows_red_with_the_reason(window, qtbot):
    payload = card_holder()
    forged = payload[:-1] + ("A" if payload[-1] != "A" else "B")
    scan(qtbot, window, forged)
    assert window.state == "refused" and window.status_label.text() == "Refused"
    assert window.detail_label.text()  # the service's reason, in Chinese
    _fg, bg = window.result_colors()
    assert bg == "#c62828" and bg in window.panel.styleSheet()
    assert ScanLog.get().outcome == "refused" and ServiceRecord.select().count() == 0
    shoot(window, "refused")


def test_check_out_shows_the_hours(window, qtbot):
    payload = card_holder()
    settings.put(service_records.settings.HOURS_SCAN_REPEAT_SECONDS, 0)
    settings.put(service_records.settings.HOURS_MIN_SCAN_SHARE, 0)
    scan(qtbot, window, payload)
    scan(qtbot, window, payload)
    assert window.state == "checked_out"
    assert window.status_label.text().startswith("Checked out")
    assert window.result_colors() == kiosk.STATE_COLORS["checked_out"]
    assert "Present now: 0" in window.counts_label.text()


def test_the_result_clears_for_the_next_person(window, qtbot, monkeypatch):
    window._clear_timer.setInterval(50)
    scan(qtbot, window, card_holder())
    assert window.state == "checked_in"
    qtbot.waitUntil(lambda: window.state == "ready", timeout=2000)
    assert window.name_label.text() == "" and window.status_label.text()


def test_a_fast_scanner_and_a_blank_enter(window, qtbot):
    """Two payloads typed back to back with no pause both count; a bare Enter does nothing."""
    first, second = card_holder(1, "甲"), card_holder(2, "乙")
    qtbot.keyClick(window.field, Qt.Key.Key_Return)
    assert ScanLog.select().count() == 0
    for payload in (first, second):
        qtbot.keyClicks(window.field, payload)
        qtbot.keyClick(window.field, Qt.Key.Key_Return)
    assert ScanLog.select().count() == 2 and window.name_label.text() == "乙"
    assert "Checked in today: 2" in window.counts_label.text()


def test_leaving_needs_the_pin(window, qtbot):
    settings.put(checkin.KIOSK_PIN, "2468")
    window.close()
    assert window.isVisible()
    dialog = window._pin_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.keyClicks(dialog.pin, "0000")
    dialog.accept()
    assert window.isVisible() and dialog.error.text() == "Wrong PIN."
    dialog.reject()
    assert window._pin_dialog is None and window.isVisible()
    qtbot.keyClick(window.field, Qt.Key.Key_Escape)
    dialog = window._pin_dialog
    assert dialog is not None
    with qtbot.waitSignal(window.left):
        qtbot.keyClicks(dialog.pin, "2468")
        qtbot.keyClick(dialog.pin, Qt.Key.Key_Return)
    assert not window.isVisible()
