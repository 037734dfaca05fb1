"""The due view: rows read in the background, the window selector, opening an
organization."""

from __future__ import annotations

import datetime as dt

from app.domain.orgs.kinds import OrgKind
from app.domain.orgs.legal_status import LegalStatus
from app.services import due
from app.ui.orgs.due_page import DAYS_COLUMN, DuePage


def test_rows_are_read_in_the_background_and_open_their_organization(
        qtbot, qtmodeltester, populated, org_page):
    page = org_page.due
    with qtbot.waitSignal(page.refreshed, timeout=10_000) as done:
        org_page.tabs.setCurrentWidget(page)
    expected = due.items()  # each kind's own reminder period, as `yilian due`
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
        page.window_combo.setCurrentIndex(page.window_combo.findData(90))
    assert page.within() == 90
    assert done.args == [len(due.items(within=90))]


def test_opens_on_each_kinds_own_period(qtbot, populated, make_org):
    """Certificates and ratings are listed 90 days ahead (the issue); the view opened on a
    30-day window for every kind and left a certificate ending in 60 days out."""
    today = dt.date.today()
    make_org("明天社会工作服务中心", OrgKind.PRIVATE_NON_ENTERPRISE, 77, LegalStatus.REGISTERED,
             today - dt.timedelta(days=30), certificate_number="民证字第77号",
             certificate_valid_from=today - dt.timedelta(days=30),
             certificate_valid_to=today + dt.timedelta(days=60))
    page = DuePage()
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.refreshed, timeout=10_000) as done:
        page.show()
    assert page.within() is None
    assert done.args == [len(due.items())]
    rows = [page.model.row(r) for r in range(page.model.rowCount())]
    assert {(r.kind, r.name) for r in rows} >= {
        ("certificate", "明天社会工作服务中心"), ("agreement", "邻里守望互助会")}
    assert not any(r.kind == "agreement" and r.days_overdue < -30 for r in rows)
