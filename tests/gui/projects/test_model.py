"""The lazy project table model: Qt's model checks, money shown as ¥, SQL sorting and
filtering."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.domain.projects.lifecycle import ProjectStatus
from app.services.projects.listing import ProjectFilter
from app.ui.projects.model import Column, ProjectTableModel


def column(model: ProjectTableModel, col: Column) -> list:
    return [model.data(model.index(r, col)) for r in range(model.rowCount())]


def test_model_passes_qt_model_tester(qtmodeltester, populated):
    model = ProjectTableModel(page_size=2)
    assert model.rowCount() == 4
    qtmodeltester.check(model)
    model.set_filter(ProjectFilter(text="不存在"))
    qtmodeltester.check(model)


def test_headers_and_money_columns(populated):
    model = ProjectTableModel()
    titles = [model.headerData(c, Qt.Orientation.Horizontal) for c in Column]
    assert len(titles) == 9 and all(titles)
    row = model.row_of_id(populated["青少年成长陪伴服务项目"])
    assert model.data(model.index(row, Column.AMOUNT)) == "¥180,000.00"
    assert model.data(model.index(row, Column.PAID)) == "¥72,000.00"
    assert model.data(model.index(row, Column.STATUS)) == "服务中"
    assert model.data(model.index(row, Column.METHOD)) == "竞争性磋商"
    assert model.data(model.index(row, Column.NUMBER)).startswith("XM")
    assert " – " in model.data(model.index(row, Column.TERM))
    assert model.data(model.index(row, Column.AMOUNT), Qt.ItemDataRole.TextAlignmentRole)


def test_sorting_happens_in_sql(populated):
    model = ProjectTableModel(page_size=2)
    model.sort(Column.NUMBER, Qt.SortOrder.AscendingOrder)
    numbers = column(model, Column.NUMBER)
    assert numbers == sorted(numbers)
    model.sort(Column.AMOUNT, Qt.SortOrder.AscendingOrder)  # contract, else budget
    assert model.data(model.index(0, Column.NAME)) == "青少年成长陪伴服务项目"
    model.sort(Column.PURCHASER, Qt.SortOrder.DescendingOrder)
    purchasers = column(model, Column.PURCHASER)
    assert purchasers == sorted(purchasers, reverse=True)
    before = model.filter
    model.sort(Column.PAID, Qt.SortOrder.AscendingOrder)  # not sortable: order kept
    assert model.filter == before


def test_filters_change_the_rows(populated):
    model = ProjectTableModel()
    model.set_filter(ProjectFilter(status=ProjectStatus.IN_SERVICE))
    assert column(model, Column.NAME) == ["青少年成长陪伴服务项目"]
    model.set_filter(ProjectFilter(purchaser_id=populated["区卫健委"]))
    assert column(model, Column.NAME) == ["社区健康促进项目"]
    assert model.row_of_id(populated["社区健康促进项目"]) == 0
    assert model.row_of_id(populated["社区居家养老服务项目"]) is None  # filtered out
