"""The first-start demo offer fills both registers: volunteers, then 200 organizations."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from app.store.models import Organization
from app.ui.main_window import DEMO_ORGS, MainWindow


def test_the_demo_adds_organizations_after_the_volunteers(qtbot, register):
    window = MainWindow()
    qtbot.addWidget(window)
    box = window.offer_demo()
    assert box is not None
    with qtbot.waitSignal(box.finished):
        box.button(QMessageBox.StandardButton.Yes).click()
    assert window.task is not None
    qtbot.waitUntil(lambda: window.task.done, timeout=120_000)
    assert DEMO_ORGS == 200
    assert Organization.select().count() == DEMO_ORGS
