"""The volunteer list at scale, as the page shows it: search by the visible tail (尾号),
counts that say how sure they are, and pages fetched by key rather than by OFFSET."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.domain.volunteer import Status
from app.services.volunteers import demo
from app.services.volunteers import listing as volunteer_list
from app.services.volunteers.listing import SortKey
from app.store.models import Volunteer
from app.ui.common.paged_model import ABOUT, AT_LEAST, EXACT
from app.ui.volunteers.model import Column, VolunteerTableModel
from app.ui.volunteers.page import VolunteerPage


def test_search_by_the_tail_the_list_shows(qtbot, page: VolunteerPage, make_volunteer, ids,
                                           typist):
    make_volunteer(name="王芳", id_number=ids["adult"], phone="13800138000")
    make_volunteer(name="李娜", id_number=ids["other"], phone="15012348000")
    page.refresh()
    shown = page.model.data(page.model.index(0, Column.PHONE))
    assert shown.endswith("8000") and "*" in shown          # 138****8000
    typist(page.search, "8000")
    page.apply_filters()
    assert page.model.rowCount() == 2
    id_tail = ids["adult"][-4:]
    page.search.clear()
    typist(page.search, id_tail)
    page.apply_filters()
    names = [page.model.data(page.model.index(r, Column.NAME))
             for r in range(page.model.rowCount())]
    assert "王芳" in names
    assert "last 4" in page.search.placeholderText() and "8000" in page.search.toolTip()


@pytest.fixture
def six_hundred(register) -> int:
    return demo.generate(600, seed=7).volunteers


def test_counts_say_how_sure_they_are(qtbot, page: VolunteerPage, six_hundred):
    page.model.count_cap = 100  # as COUNT_CAP is to a city register
    page.refresh()
    assert page.model.count_kind == ABOUT
    assert page.model.rowCount() == six_hundred
    assert page.count_label.text() != page._count_text(0)
    assert "600" in page.count_label.text() and page.model.count_kind == ABOUT
    page.status_combo.setCurrentIndex(1)  # Active
    assert page.model.count_kind == AT_LEAST and page.model.rowCount() == 100
    assert "100" in page.count_label.text()
    active = Volunteer.select().where(Volunteer.status == str(Status.ACTIVE)).count()
    while page.model.canFetchMore():
        page.model.fetchMore()
    assert page.model.count_kind == EXACT and page.model.rowCount() == active
    assert page.count_label.text() == page._count_text(active)


def test_an_estimate_settles_at_the_end_of_the_list(qtbot, six_hundred):
    Volunteer.delete().where(Volunteer.id == 300).execute()  # a gap in the ids
    model = VolunteerTableModel(page_size=50)
    model.count_cap = 100
    model.set_filter(model.filter)
    assert (model.count_kind, model.rowCount()) == (ABOUT, six_hundred)
    assert model.row_at(six_hundred - 2) is not None
    assert model.row_at(six_hundred - 1) is None
    qtbot.waitUntil(lambda: model.count_kind == EXACT)
    assert model.rowCount() == six_hundred - 1


@pytest.mark.parametrize(("sort", "descending"), [
    (SortKey.NUMBER, False), (SortKey.NAME, True), (SortKey.AGE, False),
    (SortKey.STREET, False), (SortKey.HOURS, True)])
def test_scrolling_fetches_pages_by_key(six_hundred, sort, descending):
    model = VolunteerTableModel(page_size=50)
    model.set_filter(volunteer_list.VolunteerFilter(
        statuses=volunteer_list.LISTED_STATUSES, sort=sort, descending=descending))
    scrolled = [model.row_at(r).id for r in range(model.rowCount())]
    assert list(model.fetch_modes)[1:] == ["key"] * (len(model.fetch_modes) - 1)
    by_offset = [row.id for start in range(0, model.rowCount(), 50)
                 for row in volunteer_list.page(model.filter, start, 50)]
    assert scrolled == by_offset and len(set(scrolled)) == model.rowCount()


def test_a_jump_fetches_by_offset_then_scrolls_by_key(six_hundred):
    model = VolunteerTableModel(page_size=50)
    model.sort(Column.NAME, Qt.SortOrder.AscendingOrder)
    model.row_at(420)
    model.row_at(470)
    assert list(model.fetch_modes) == ["offset", "key"]
