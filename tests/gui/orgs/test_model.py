"""The lazy organization table model: Qt's model checks, SQL sorting and filtering."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.domain.orgs.incubation import IncubationState
from app.domain.orgs.kinds import OrgKind
from app.services.orgs.listing import IN_INCUBATOR, OrgFilter
from app.ui.orgs.model import Column, OrgTableModel


def column(model: OrgTableModel, col: Column) -> list:
    return [model.data(model.index(r, col)) for r in range(model.rowCount())]


def test_model_passes_qt_model_tester(qtmodeltester, populated):
    model = OrgTableModel(page_size=3)
    assert model.rowCount() == len(populated)
    qtmodeltester.check(model)
    model.set_filter(OrgFilter(text="不存在"))
    qtmodeltester.check(model)


def test_headers_are_the_eleven_columns(populated):
    model = OrgTableModel()
    titles = [model.headerData(c, Qt.Orientation.Horizontal) for c in Column]
    assert len(titles) == 11 and all(titles)


def test_sorting_happens_in_sql(populated):
    model = OrgTableModel(page_size=2)
    model.sort(Column.CODE, Qt.SortOrder.DescendingOrder)
    codes = [c for c in column(model, Column.CODE) if c]
    assert codes == sorted(codes, reverse=True)
    model.sort(Column.NAME, Qt.SortOrder.AscendingOrder)
    assert model.data(model.index(0, Column.NAME)) == "博爱助残服务中心"  # bo… first
    before = model.filter
    model.sort(Column.PHONE, Qt.SortOrder.AscendingOrder)  # not sortable: order kept
    assert model.filter == before


def test_filters_change_the_rows(populated):
    model = OrgTableModel()
    model.set_filter(OrgFilter(incubation=IN_INCUBATOR))
    assert model.rowCount() == 7
    model.set_filter(OrgFilter(incubation=IncubationState.INCUBATING))
    assert set(column(model, Column.INCUBATION)) == {"孵化中"}
    assert model.rowCount() == 3
    model.set_filter(OrgFilter(kind=OrgKind.FOUNDATION))
    assert column(model, Column.NAME) == ["明德助学基金会"]
    model.set_filter(OrgFilter(street="新华街道"))
    assert set(column(model, Column.STREET)) == {"新华街道"}
    assert model.row_of_id(populated["心桥心理咨询中心"]) is not None
    assert model.row_of_id(populated["明德助学基金会"]) is None  # filtered out
