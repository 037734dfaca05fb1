"""The 证件与签到 page on a real register: issue and reissue through the page, batch print of
volunteers without cards to a PDF, and the kiosk launcher."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from app.domain.card_token import CardRefused
from app.domain.hours import ActivityDraft
from app.domain.idcard import check_character
from app.domain.volunteer import VolunteerDraft
from app.services.cards import issuing as cards
from app.services.hours import activities
from app.services.hours import records as service_records
from app.services.volunteers import registration as volunteers
from app.ui.cards.kiosk import KioskWindow
from app.ui.cards.page import CardsPage
from app.ui.common.worker import Task

SHOTS = Path(__file__).resolve().parents[2] / "shots"


def person(seq: int, name: str) -> volunteers.VolunteerRecord:
    first17 = f"11010519800101{seq:03d}"
    return volunteers.register(VolunteerDraft(
        name=name, id_number=first17 + check_character(first17), phone="13800138000"))


def finish(qtbot: QtBot, task: Task) -> None:
    """Wait for the job and for its worker thread to close its connection, so the
    register fixture's teardown never races it."""
    qtbot.waitUntil(lambda: task.done, timeout=60_000)
    assert QThreadPool.globalInstance().waitForDone(10_000)


def answer(page: CardsPage, yes: bool) -> None:
    """Answer the page's question before issuing the cards of a batch."""
    box = page.issue_question
    assert box is not None and box.isVisible()
    button = QMessageBox.StandardButton.Yes if yes else QMessageBox.StandardButton.No
    box.button(button).click()
    assert page.issue_question is None


@pytest.fixture
def page(qtbot: QtBot, register) -> CardsPage:
    widget = CardsPage()
    qtbot.addWidget(widget)
    widget.resize(1000, 650)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_issue_through_the_page(page, register):
    v = person(1, "李秀英")
    page.refresh()
    assert [r.number for r in page.missing.rows] == [v.number]
    page.number.setText(v.number.lower())
    row = page.issue()
    assert row is not None and row.serial == 1
    assert cards.current(v.id) is not None
    assert v.name in page.card_status.text()
    assert page.missing.rows == []
    cards.verify(cards.payload_for(v.id))


def test_reissue_asks_a_reason_and_refuses_the_old_card(page, register):
    v = person(2, "张伟")
    cards.issue(v.id)
    old = cards.payload_for(v.id)
    page.number.setText(v.number)
    dialog = page.reissue()
    assert dialog is not None and dialog.isVisible()
    assert not dialog.submit()                     # no reason: stays open, says why
    assert dialog.error.text()
    assert (before := cards.current(v.id)) is not None and before.serial == 1
    dialog.reason.setText("遗失")
    assert dialog.submit()
    assert (after := cards.current(v.id)) is not None and after.serial == 2
    with pytest.raises(CardRefused) as refused:
        cards.verify(old)
    assert refused.value.reason_code == cards.REVOKED
    cards.verify(cards.payload_for(v.id))


def test_revoke_with_a_reason(page, register):
    v = person(3, "王芳")
    cards.issue(v.id)
    page.number.setText(v.number)
    dialog = page.revoke()
    dialog.reason.setText("损坏")
    assert dialog.submit()
    assert cards.current(v.id) is None
    assert [r.id for r in page.missing.rows] == [v.id]


def test_batch_print_of_volunteers_without_cards(page, register, qtbot, tmp_path,
                                                 monkeypatch, qtmodeltester):
    first, second = person(4, "赵敏"), person(5, "钱多多")
    page.refresh()
    qtmodeltester.check(page.missing)
    target = tmp_path / "cards.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a: (str(target), ""))
    page.missing_view.selectAll()
    assert sorted(page.selected_ids()) == sorted([first.id, second.id])
    page.number.setText(first.number)
    page.show_current()
    assert "赵敏" in page.card_status.text()
    SHOTS.mkdir(exist_ok=True)
    assert page.grab().save(str(SHOTS / "cards_page.png"))
    page.sheet_box.setChecked(True)
    task = page.print_selected()
    assert task is not None
    finish(qtbot, task)
    assert page.preview is not None                 # the batch opens the print preview
    assert cards.current(first.id) is None          # nothing issued for a preview
    page.save()
    answer(page, yes=True)
    assert page.saved_path == target and target.exists()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(target.read_bytes())).pages)
    assert "赵敏" in text and "钱多多" in text
    assert cards.current(first.id) is not None and cards.current(second.id) is not None
    assert page.missing.rows == []
    qtmodeltester.check(page.missing)


def test_print_all_single_cards(page, register, qtbot, tmp_path, monkeypatch):
    person(6, "孙丽"), person(7, "周杰")
    target = tmp_path / "all"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a: (str(target), ""))
    page.sheet_box.setChecked(False)
    task = page.print_all()
    finish(qtbot, task)
    assert page.preview is not None
    page.save()
    answer(page, yes=True)
    pdf = PdfReader(str(target.with_suffix(".pdf")))
    assert len(pdf.pages) == 2                      # one card per page
    assert cards.volunteers_without_valid_card() == []


def test_kiosk_launcher_opens_the_chosen_activity(page, register, qtbot, monkeypatch):
    now = service_records.local_now()
    first = activities.create(ActivityDraft(
        name="社区义诊", starts_at=now - dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(hours=2))).id
    second = activities.create(ActivityDraft(
        name="敬老院探访", starts_at=now, ends_at=now + dt.timedelta(hours=3))).id
    page.tabs.setCurrentIndex(1)
    page.reload_activities()
    assert page.activity_combo.count() == 2
    page.activity_combo.setCurrentIndex(page.activity_combo.findData(first))
    page.station.setText("一号机")
    monkeypatch.setattr(QApplication, "beep", lambda: None)
    kiosk = page.start_kiosk()
    assert isinstance(kiosk, KioskWindow)
    qtbot.waitExposed(kiosk)
    assert kiosk.isVisible() and kiosk.isFullScreen()
    assert kiosk.activity_id == first != second
    assert kiosk.station == "一号机"
    assert page.kiosk is kiosk
    kiosk._unlocked = True
    kiosk.close()
    qtbot.waitUntil(lambda: page.kiosk is None)


def test_the_without_card_list_can_be_searched(page, register, qtbot):
    """It showed the first 200 and no way to find the 201st."""
    people = [person(20 + n, name) for n, name in enumerate(("赵一", "钱二", "孙三"))]
    page.refresh()
    assert len(page.missing.rows) == 3
    qtbot.keyClicks(page.missing_search, people[1].number)
    qtbot.waitUntil(lambda: [r.id for r in page.missing.rows] == [people[1].id])
    page.missing_search.setText("孙")
    page.refresh()
    assert [r.name for r in page.missing.rows] == ["孙三"]
    page.missing_search.setText("周")
    page.refresh()
    assert page.missing.rows == [] and "周" in page.missing_note.text()
    cards.issue(people[0].id)
    page.missing_search.clear()
    page.refresh()
    assert [r.id for r in page.missing.rows] == [people[1].id, people[2].id]
