"""The lazy volunteer table model: Qt's model checks, SQL sorting and filtering, and that
it fetches only the pages a view asks for."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView

from app.domain.volunteer import Status
from app.services.volunteers import demo
from app.services.volunteers.listing import VolunteerFilter
from app.ui.volunteers.model import Column, VolunteerTableModel


@pytest.fixture
def demo_rows(register) -> int:
    return demo.generate(600, seed=7).volunteers


def column(model: VolunteerTableModel, col: Column, rows: int) -> list:
    return [model.data(model.index(r, col)) for r in range(rows)]


def test_model_passes_qt_model_tester(qtmodeltester, demo_rows):
    model = VolunteerTableModel(page_size=50)
    assert model.rowCount() == demo_rows
    qtmodeltester.check(model)


def test_sorting_happens_in_sql(demo_rows):
    model = VolunteerTableModel()
    numbers = column(model, Column.NUMBER, 50)
    assert numbers == sorted(numbers)
    model.sort(Column.AGE, Qt.SortOrder.DescendingOrder)
    ages = column(model, Column.AGE, model.rowCount())
    assert ages == sorted(ages, reverse=True)
    model.sort(Column.NUMBER, Qt.SortOrder.DescendingOrder)
    last = model.data(model.index(0, Column.NUMBER))
    assert last > numbers[-1] and last == f"V{demo_rows:08d}"
    before = model.filter
    model.sort(Column.PHONE, Qt.SortOrder.AscendingOrder)  # no index: order unchanged
    assert model.filter == before


def test_filters_change_the_rows(demo_rows):
    model = VolunteerTableModel()
    with_status = VolunteerFilter(statuses=(str(Status.SUSPENDED),))
    model.set_filter(with_status)
    suspended = model.rowCount()
    assert 0 < suspended < demo_rows
    assert set(column(model, Column.STATUS, suspended)) == {
        model.data(model.index(0, Column.STATUS))}
    street = model.data(model.index(0, Column.STREET))
    model.set_filter(VolunteerFilter(street=street))
    assert 0 < model.rowCount() < demo_rows
    assert set(column(model, Column.STREET, model.rowCount())) == {street}
    model.set_filter(VolunteerFilter(age_group="senior"))
    assert all(age >= 60 for age in column(model, Column.AGE, model.rowCount()))
    name = model.data(model.index(0, Column.NAME))
    model.set_filter(VolunteerFilter(text=name))
    assert name in column(model, Column.NAME, model.rowCount())
    model.set_filter(VolunteerFilter(text="不存在的名字"))
    assert model.rowCount() == 0


@pytest.mark.slow
def test_only_the_pages_a_view_needs_are_fetched(qtbot, register):
    demo.generate(3000, seed=11)
    model = VolunteerTableModel(page_size=200)
    assert model.rowCount() == 3000
    assert list(model.fetch_log) == []          # counting fetches no rows

    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(800, 400)
    view.show()
    view.grab()                                 # paint now: the view asks for its rows
    assert set(model.fetch_log) == {0}          # the first screenful is on page 0

    view.scrollToBottom()
    view.grab()
    assert 14 in model.fetch_log
    assert set(model.fetch_log) <= {0, 13, 14}  # jumped to the end: nothing in between
    row = model.row_at(1500)
    assert row is not None and 7 in model.fetch_log
    assert len(model.fetch_log) == len(set(model.fetch_log))  # cached pages are not re-read


def test_page_cache_is_bounded(register):
    demo.generate(500, seed=5)
    model = VolunteerTableModel(page_size=20, max_pages=3)
    for row in range(0, 500, 20):
        assert model.row_at(row) is not None
    assert model.cached_pages() == [22, 23, 24]  # least recently used pages were dropped
    model.row_at(0)
    assert model.cached_pages() == [23, 24, 0]
