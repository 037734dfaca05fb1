"""The due view: rows read in the background, the window selector, opening an
organization."""

from __future__ import annotations

from app.services.orgs import due
from app.ui.orgs.due_page import DAYS_COLUMN, DuePage


def test_rows_are_read_in_the_background_and_open_their_organization(
        qtbot, qtmodeltester, populated, org_page):
    page = org_page.due
    with qtbot.waitSignal(page.refreshed, timeout=10_000) as done:
        org_page.tabs.setCurrentWidget(page)
    expected = due.items(within=30)
    assert done.args == [len(expected)] and len(expected) > 0
    qtmodeltester.check(page.model)
    subjects = [page.model.data(page.model.index(r, 1)) for r in range(page.model.rowCount())]
    assert "邻里守望互助会" in " ".join(subjects)  # the agreement ends in 20 days
    row = next(r for r in range(page.model.rowCount())
               if page.model.row(r).org_id == populated["邻里守望互助会"])
    assert page.model.data(page.model.index(row, DAYS_COLUMN)).startswith("20")
    page.view.selectRow(row)
    with qtbot.waitSignal(page.openOrg):
        assert page.open_current()
    assert org_page.tabs.currentIndex() == 0
    assert org_page.detail.org_id == populated["邻里守望互助会"]


def test_window_selector_rereads(qtbot, populated):
    page = DuePage()
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.refreshed, timeout=10_000):
        page.show()
    with qtbot.waitSignal(page.refreshed, timeout=10_000) as done:
        page.window_combo.setCurrentIndex(2)
    assert page.within() == 90
    assert done.args == [len(due.items(within=90))]
