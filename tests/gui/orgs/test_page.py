"""The organization register page: search and filters, and that every action works on the
organization the detail panel shows."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QDialogButtonBox

from app.domain.orgs.incubation import IncubationState
from app.domain.orgs.kinds import OrgKind
from app.services.orgs.listing import IN_INCUBATOR
from app.ui.orgs.model import Column


def names(page) -> list[str]:
    model = page.model
    return [model.data(model.index(r, Column.NAME)) for r in range(model.rowCount())]


def search(qtbot, page, typist, text: str) -> list[str]:
    page.search.clear()
    typist(page.search, text)
    qtbot.waitUntil(lambda: page.model.filter.text == text)  # the debounced search ran
    return names(page)


def choose(combo, value) -> None:
    combo.setCurrentIndex(combo.findData(value))


def test_search_by_name_fragment_pinyin_and_code(qtbot, populated, org_page, typist):
    assert org_page.model.rowCount() == len(populated)
    assert search(qtbot, org_page, typist, "助残") == ["博爱助残服务中心"]
    assert search(qtbot, org_page, typist, "bazc") == ["博爱助残服务中心"]
    assert search(qtbot, org_page, typist, "xinqiao") == ["心桥心理咨询中心"]
    assert search(qtbot, org_page, typist, "53420000") == ["明德助学基金会"]
    assert search(qtbot, org_page, typist, "不存在的组织") == []
    assert "0" in org_page.count_label.text()


def test_filters(qtbot, populated, org_page):
    choose(org_page.incubation_combo, IN_INCUBATOR)
    assert org_page.model.rowCount() == 7
    assert "未入驻的协会" not in names(org_page)
    choose(org_page.incubation_combo, IncubationState.APPLIED)
    assert sorted(names(org_page)) == sorted(["阳光助老服务社", "绿色家园环保协会"])
    choose(org_page.kind_combo, OrgKind.SOCIAL_GROUP)
    assert names(org_page) == ["绿色家园环保协会"]
    org_page.clear_filters()
    choose(org_page.street_combo, "新华街道")
    assert sorted(names(org_page)) == sorted(["心桥心理咨询中心", "博爱助残服务中心"])
    org_page.clear_filters()
    assert org_page.model.rowCount() == len(populated)


def test_after_saving_a_new_org_edit_opens_that_org(qtbot, populated, org_page, typist):
    page = org_page
    other = page.model.row_of_id(populated["明德助学基金会"])
    page.select_row(other)
    assert page.detail.org_id == populated["明德助学基金会"]

    editor = page.open_editor(None)
    typist(editor.name, "新建的互助社")
    editor.kind.setCurrentIndex(editor.kind.findData(OrgKind.COMMUNITY))
    with qtbot.waitSignal(editor.saved) as saved:
        qtbot.mouseClick(editor.buttons.button(QDialogButtonBox.StandardButton.Save),
                         Qt.MouseButton.LeftButton)
    new_id = saved.args[0]
    # Selected, scrolled to and shown.
    assert page.detail.org_id == new_id
    assert page.detail.title.text() == "新建的互助社"
    current = page.table.currentIndex()
    assert page.model.data(current, page.model.ID_ROLE) == new_id
    assert page.table.selectionModel().isRowSelected(current.row())

    # The current row moves elsewhere without selecting it: 编辑 still follows the panel.
    page.table.selectionModel().clearSelection()
    page.search.setText("")  # a re-query: the model resets, the panel keeps its record
    page.model.refresh()
    assert page.detail.org_id == new_id
    page.edit_action.trigger()
    assert page.editor is not None and page.editor.record is not None
    assert page.editor.record.id == new_id
    page.editor.close()


def test_current_row_without_selection_does_not_retarget_actions(qtbot, populated, org_page):
    page = org_page
    shown = populated["心桥心理咨询中心"]
    page.open_org(shown)
    other = page.model.index(page.model.row_of_id(populated["明德助学基金会"]), 0)
    page.model.refresh()  # the list is re-read: no current row, the panel stays
    assert not page.table.currentIndex().isValid()
    page.table.selectionModel().setCurrentIndex(other, QItemSelectionModel.SelectionFlag.NoUpdate)
    page.table.selectionModel().clearCurrentIndex()
    editor = page.edit_shown()
    assert editor is not None and editor.record.id == shown
    editor.close()


def test_open_org_switches_to_the_list_and_clears_hiding_filters(qtbot, populated, org_page):
    page = org_page
    choose(page.kind_combo, OrgKind.FOUNDATION)
    page.tabs.setCurrentIndex(1)
    target = populated["邻里守望互助会"]
    page.open_org(target)
    assert page.tabs.currentIndex() == 0
    assert page.kind_combo.currentIndex() == 0
    assert page.detail.org_id == target
    assert page.model.data(page.table.currentIndex(), page.model.ID_ROLE) == target
