"""The home page: figures arrive from the worker, each figure opens its filtered list, and
the main window switches to that area."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QPoint, Qt

from app.domain.orgs.incubation import IncubationState
from app.domain.orgs.legal_status import LegalStatus
from app.domain.projects.lifecycle import ProjectStatus
from app.domain.volunteer import Status
from app.services import home
from app.services.orgs import demo as org_demo
from app.services.projects import demo as project_demo
from app.services.projects.listing import ProjectMoney
from app.services.volunteers import demo as volunteer_demo
from app.ui.home_page import HomePage
from app.ui.main_window import MainWindow


def _fill() -> None:
    volunteer_demo.generate(60, seed=3)
    org_demo.generate(30, seed=3)
    project_demo.generate(12, seed=3, today=dt.date.today())


def _loaded(qtbot, page: HomePage) -> None:
    qtbot.waitUntil(lambda: page.summary is not None, timeout=30_000)
    qtbot.waitUntil(lambda: page.task is None or page.task.done, timeout=30_000)


def test_figures_appear_after_the_worker(qtbot, register):
    _fill()
    page = HomePage()
    qtbot.addWidget(page)
    page.resize(1100, 760)
    with qtbot.waitSignal(page.loaded, timeout=30_000):
        page.show()
    expected = home.summary()
    assert page.registered_tile.value.text() == f"{expected.volunteers.registered:,}"
    assert page.active_tile.value.text() == f"{expected.volunteers.active:,}"
    assert page.month_tile.value.text() != "…" and page.year_tile.value.text() != "…"
    assert page.contracted_tile.value.text().startswith("¥")
    by_stage = {c.key: c.count for c in expected.orgs.by_stage}
    for key, tile in page.stage_tiles.items():
        assert tile.value.text() == f"{by_stage[key]:,}"
    for fig in expected.projects.by_status:
        assert page.status_tiles[str(fig.status)].value.text() == f"{fig.count:,}"
    assert len(page.chart.months) == 12
    assert page.due_table.rowCount() == len(expected.due.items)
    _loaded(qtbot, page)


def test_each_tile_emits_its_filter(qtbot, qtmodeltester, register):
    page = HomePage()
    qtbot.addWidget(page)
    page.show()
    _loaded(qtbot, page)
    cases = [
        (page.registered_tile, ("volunteers", None)),
        (page.active_tile, ("volunteers", {"status": str(Status.ACTIVE)})),
        (page.stage_tiles[str(IncubationState.INCUBATING)],
         ("orgs", {"incubation": str(IncubationState.INCUBATING)})),
        (page.legal_tiles[str(LegalStatus.REGISTERED)],
         ("orgs", {"legal_status": str(LegalStatus.REGISTERED)})),
        (page.status_tiles[str(ProjectStatus.IN_SERVICE)],
         ("projects", {"status": str(ProjectStatus.IN_SERVICE)})),
        (page.contracted_tile, ("projects", {"money": "contracted"})),
        (page.paid_tile, ("projects", {"money": "paid"})),
    ]
    for tile, expected in cases:
        with qtbot.waitSignal(page.openArea) as blocker:
            qtbot.mouseClick(tile, Qt.MouseButton.LeftButton)
        assert tuple(blocker.args) == expected
    qtmodeltester.check(page.due_table.model())


def test_hours_figures_and_chart_bars_open_their_period(qtbot, register):
    page = HomePage()
    qtbot.addWidget(page)
    page.resize(1100, 760)
    page.show()
    _loaded(qtbot, page)
    today = page.summary.today
    cases = [(page.month_tile, today.replace(day=1)),
             (page.year_tile, today.replace(month=1, day=1))]
    for tile, first in cases:
        with qtbot.waitSignal(page.openArea) as blocker:
            qtbot.mouseClick(tile, Qt.MouseButton.LeftButton)
        assert tuple(blocker.args) == ("hours", {"from": first, "to": today})
    chart = page.chart
    slot = (chart.width() - 16) / 12
    oldest, newest = chart.months[0], chart.months[-1]
    with qtbot.waitSignal(chart.monthClicked) as blocker:
        qtbot.mouseClick(chart, Qt.MouseButton.LeftButton,
                         pos=QPoint(int(8 + slot / 2), chart.height() // 2))
    assert tuple(blocker.args) == (oldest.year, oldest.month)
    with qtbot.waitSignal(page.openArea) as blocker:
        qtbot.mouseClick(chart, Qt.MouseButton.LeftButton,
                         pos=QPoint(int(8 + slot / 2), chart.height() // 2))
    first = dt.date(oldest.year, oldest.month, 1)
    last = (first + dt.timedelta(days=31)).replace(day=1) - dt.timedelta(days=1)
    assert tuple(blocker.args) == ("hours", {"from": first, "to": last})
    with qtbot.waitSignal(page.openArea) as blocker:   # this month: up to today
        qtbot.mouseClick(chart, Qt.MouseButton.LeftButton,
                         pos=QPoint(int(chart.width() - 8 - slot / 2), chart.height() // 2))
    assert tuple(blocker.args) == ("hours", {"from": dt.date(newest.year, newest.month, 1),
                                             "to": today})


def test_the_main_window_switches_to_the_area(qtbot, register):
    _fill()
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    assert window.stack.currentWidget() is window.home
    _loaded(qtbot, window.home)

    qtbot.mouseClick(window.home.active_tile, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.volunteers
    assert tuple(window.volunteers.status_combo.currentData()) == (str(Status.ACTIVE),)
    assert window.volunteers.model.filter.statuses == (str(Status.ACTIVE),)

    window.nav.setCurrentRow(0)
    _loaded(qtbot, window.home)
    qtbot.mouseClick(window.home.legal_tiles[str(LegalStatus.REGISTERED)],
                     Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.orgs
    assert window.orgs.model.filter.legal_status == LegalStatus.REGISTERED
    assert window.orgs.model.filter.incubation is None

    window.nav.setCurrentRow(0)
    _loaded(qtbot, window.home)
    qtbot.mouseClick(window.home.stage_tiles[str(IncubationState.INCUBATING)],
                     Qt.MouseButton.LeftButton)
    assert window.orgs.model.filter.incubation == IncubationState.INCUBATING
    assert window.orgs.model.filter.legal_status is None

    rows = window.home.due_table.rowCount()
    if rows:
        window.nav.setCurrentRow(0)
        _loaded(qtbot, window.home)
        kind, ident = window.home.due_table.item(0, 0).data(Qt.ItemDataRole.UserRole)
        window.home._open_due(0, 0)  # as a double click on the row
        page = window.orgs if kind == "org" else window.projects
        assert window.stack.currentWidget() is page
        assert page.shown_id == ident

    window.nav.setCurrentRow(0)
    _loaded(qtbot, window.home)
    qtbot.mouseClick(window.home.status_tiles[str(ProjectStatus.CLOSED)],
                     Qt.MouseButton.LeftButton)
    projects = window.projects
    assert window.stack.currentWidget() is projects
    assert projects.model.filter.status == ProjectStatus.CLOSED
    assert projects.model.rowCount() == next(
        f.count for f in window.home.summary.projects.by_status
        if f.status is ProjectStatus.CLOSED)

    for tile, money, counted in (
            (window.home.contracted_tile, ProjectMoney.CONTRACTED,
             window.home.summary.projects.contracted_count),
            (window.home.paid_tile, ProjectMoney.PAID, window.home.summary.projects.paid_count)):
        window.nav.setCurrentRow(0)
        _loaded(qtbot, window.home)
        qtbot.mouseClick(tile, Qt.MouseButton.LeftButton)   # the projects the total counts
        assert window.stack.currentWidget() is projects
        assert projects.model.filter.money is money and projects.model.filter.status is None
        assert projects.model.rowCount() == counted
        assert tile.note.text() == f"{counted:,} projects"

    window.nav.setCurrentRow(0)
    _loaded(qtbot, window.home)
    qtbot.mouseClick(window.home.month_tile, Qt.MouseButton.LeftButton)
    hours = window.service_hours
    today = window.home.summary.today
    assert window.stack.currentWidget() is hours
    assert hours.currentWidget() is hours.reports
    assert hours.reports.period() == (today.replace(day=1), today)


def test_a_projects_due_item_names_the_project(qtbot, register):
    """A payment or milestone showed only the contractor: which of its projects was due?"""
    project_demo.generate(12, seed=3, today=dt.date.today())
    page = HomePage()
    qtbot.addWidget(page)
    page.resize(1100, 760)
    with qtbot.waitSignal(page.loaded, timeout=30_000):
        page.show()
    _loaded(qtbot, page)
    items = page.summary.due.items
    rows = [r for r, item in enumerate(items) if item.project_id]
    assert rows, "the demo projects have payments or milestones due"
    for row in rows:
        item = items[row]
        text = page.due_table.item(row, 2).text()
        assert text.startswith(item.project) and item.project.startswith("XM")
        assert item.name in text  # and its contractor
        assert page.due_table.item(row, 2).toolTip() == f"{text}\n{item.detail}"
    org_rows = [r for r, item in enumerate(items) if not item.project_id]
    for row in org_rows:
        assert page.due_table.item(row, 2).text() == items[row].name
