"""Batch cards are issued only when printing or saving is confirmed: a preview issues
nothing, cancelling issues nothing, confirming issues exactly the serials the PDF carries,
and a desk that issued in between makes the page refuse and render again."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from app.domain.idcard import check_character
from app.domain.volunteer import VolunteerDraft
from app.services.cards import issuing as cards
from app.services.volunteers import registration as volunteers
from app.ui.cards.page import CardsPage
from app.ui.common.worker import Task

COUNT = 4


def person(seq: int, name: str) -> volunteers.VolunteerRecord:
    first17 = f"11010519800102{seq:03d}"
    return volunteers.register(VolunteerDraft(
        name=name, id_number=first17 + check_character(first17), phone="13800138000"))


def finish(qtbot: QtBot, task: Task | None) -> None:
    assert task is not None
    qtbot.waitUntil(lambda: task.done, timeout=60_000)
    assert QThreadPool.globalInstance().waitForDone(10_000)


def qr_payloads(pdf: Path, tmp_path: Path) -> list[str]:
    prefix = tmp_path / "page"
    subprocess.run(["pdftoppm", "-r", "200", "-png", str(pdf), str(prefix)], check=True)
    found = []
    for png in sorted(tmp_path.glob("page-*.png")):
        found += [r.text for r in zxingcpp.read_barcodes(
            Image.open(png), formats=zxingcpp.BarcodeFormat.QRCodeModel2)]
    return found


@pytest.fixture
def page(qtbot: QtBot, register) -> CardsPage:
    widget = CardsPage()
    qtbot.addWidget(widget)
    widget.resize(1000, 650)
    widget.show()
    qtbot.waitExposed(widget)
    widget.sheet_box.setChecked(False)
    return widget


def test_cards_are_issued_only_when_saving_is_confirmed(page, register, qtbot, tmp_path,
                                                         monkeypatch):
    people = [person(i, name) for i, name in enumerate(("赵敏", "钱多多", "孙丽", "周杰"), 1)]
    cards.issue(people[0].id)
    cards.revoke(people[0].id, "遗失")             # their next card is serial 2
    target = tmp_path / "cards.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a: (str(target), ""))

    finish(qtbot, page.print_all())
    preview = page.preview
    assert preview is not None and preview.isVisible()
    assert len(preview.labels) == COUNT
    assert all(cards.current(v.id) is None for v in people)       # the preview issued none
    preview.close()                                               # cancel: still none
    qtbot.waitUntil(lambda: page.preview is None)
    assert len(cards.volunteers_without_valid_card()) == COUNT

    preview = page.show_preview()
    assert preview is not None
    preview.save_button.click()
    question = page.issue_question
    assert question is not None and "4" in question.text()
    question.button(QMessageBox.StandardButton.No).click()       # refuse: none, no file
    assert not target.exists() and len(cards.volunteers_without_valid_card()) == COUNT

    preview.save_button.click()
    question = page.issue_question
    assert question is not None
    question.button(QMessageBox.StandardButton.Yes).click()
    assert preview.saved_path == target and target.exists()
    assert cards.volunteers_without_valid_card() == []
    serials = {v.number: cards.current(v.id).serial for v in people}  # type: ignore[union-attr]
    assert serials[people[0].number] == 2 and set(serials.values()) == {1, 2}
    payloads = qr_payloads(target, tmp_path)
    assert len(payloads) == COUNT
    for payload in payloads:
        card = cards.verify(payload)                # signed, issued, not revoked
        assert card.serial == serials[card.number]
    preview.save_button.click()                     # issued already: saves without asking
    assert page.issue_question is None


def test_a_desk_issuing_in_between_is_refused_and_the_preview_made_again(
        page, register, qtbot, tmp_path, monkeypatch):
    first, second = person(11, "李秀英"), person(12, "张伟")
    target = tmp_path / "cards.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a: (str(target), ""))
    finish(qtbot, page.print_all())
    preview = page.preview
    assert preview is not None
    cards.issue(first.id)                            # another desk, meanwhile
    preview.save_button.click()
    question = page.issue_question
    assert question is not None
    question.button(QMessageBox.StandardButton.Yes).click()
    assert not target.exists()
    assert cards.current(second.id) is None          # nothing of the batch was issued
    finish(qtbot, page.task)                         # rendered again, as things are now
    assert page.rendered is not None and page.rendered.batch.to_issue == (second.id,)
    again = page.preview
    assert again is not None and again is not preview
    again.save_button.click()
    question = page.issue_question
    assert question is not None and "1" in question.text()
    question.button(QMessageBox.StandardButton.Yes).click()
    assert target.exists() and cards.current(second.id) is not None
    assert cards.current(first.id).serial == 1       # type: ignore[union-attr]
