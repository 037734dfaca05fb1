"""GUI fixtures: desk settings in a temporary folder, the volunteer page on a real register.

Each GUI test takes `register` (tests/conftest.py), so it runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import peewee
import pytest
from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.domain.volunteer import VolunteerDraft
from app.services.volunteers import registration as volunteers
from app.services.volunteers.registration import VolunteerRecord
from app.ui import desk_settings
from app.ui.volunteers.page import VolunteerPage

VALID_ID = "11010519491231002X"     # female, born 1949-12-31
OTHER_ID = "440524188001010014"     # male, born 1880 (valid per the checks)
ADULT_ID = "110105199001010010"     # male, born 1990-01-01


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # The offscreen platform says these of every top-level window and popup (size hints,
    # raise, keyboard grabs); they are not our warnings.
    for item in items:
        if "tests/gui" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.qt_log_ignore(
                "This plugin does not support (propagateSizeHints|raise|grabbing)"))


@pytest.fixture(autouse=True)
def desk(tmp_path: Path) -> Iterator[Path]:
    """QSettings in a temporary INI folder, so tests never touch the user's preferences."""
    folder = tmp_path / "desk"
    folder.mkdir()
    QCoreApplication.setOrganizationName(desk_settings.ORGANIZATION)
    QCoreApplication.setApplicationName("YilianTest")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    QSettings().clear()
    yield folder
    # A test that switched the interface language leaves the next one in the default
    # (service messages as the services wrote them).
    from app.ui.common import service_text

    service_text.set_language("zh_CN")


@pytest.fixture
def make_volunteer(register: peewee.Database) -> Callable[..., VolunteerRecord]:
    """Register one volunteer through the service (for tests that start from a record)."""

    def make(name: str = "王芳", id_number: str = ADULT_ID, phone: str = "13800138000",
             **extra: str) -> VolunteerRecord:
        return volunteers.register(
            VolunteerDraft(name=name, id_number=id_number, phone=phone, **extra))

    return make


def type_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Type like a person: ASCII as key clicks, Chinese committed by the input method
    (QTest cannot synthesise key events for non-ASCII characters)."""
    for chunk in re.findall(r"[\x00-\x7f]+|[^\x00-\x7f]+", text):
        if chunk.isascii():
            qtbot.keyClicks(widget, chunk)
        else:
            event = QInputMethodEvent()
            event.setCommitString(chunk)
            QApplication.sendEvent(widget, event)


@pytest.fixture
def typist(qtbot: QtBot) -> Callable[[QWidget, str], None]:
    return lambda widget, text: type_text(qtbot, widget, text)


@pytest.fixture
def ids() -> dict[str, str]:
    """Valid resident ID numbers for the tests."""
    return {"valid": VALID_ID, "other": OTHER_ID, "adult": ADULT_ID}


@pytest.fixture
def page(qtbot: QtBot, register: peewee.Database) -> VolunteerPage:
    widget = VolunteerPage()
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    return widget


@pytest.fixture
def card_holder(register: peewee.Database) -> Callable[..., str]:
    """Register a volunteer and issue them a card; returns the card's QR payload."""
    from app.domain.idcard import check_character
    from app.services.cards import issuing as cards

    def make(seq: int = 1, name: str = "李秀英") -> str:
        first17 = f"11010519800101{seq:03d}"
        vid = volunteers.register(VolunteerDraft(
            name=name, id_number=first17 + check_character(first17), phone="13800138000")).id
        cards.issue(vid)
        return cards.payload_for(vid)

    return make


@pytest.fixture
def kiosk_window(qtbot: QtBot, register: peewee.Database,
                 monkeypatch: pytest.MonkeyPatch) -> Iterator[QWidget]:
    """The kiosk, shown, at an activity under way (one hour in, three to go)."""
    import datetime as dt

    from app.domain.hours import ActivityDraft
    from app.services.common import settings
    from app.services.hours import activities
    from app.services.hours import records as service_records
    from app.ui.cards.kiosk import KioskWindow

    monkeypatch.setattr(QApplication, "beep", lambda: None)  # quiet test runs
    settings.put(settings.KIOSK_PIN, "2468")   # else the first start asks for one
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
    widget._unlocked = True  # let the teardown close it without the PIN
