"""The project page: search and filters, the home page's entry points, the purchaser list,
the report preview, and that every action works on the project the panel shows."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QDialogButtonBox

from app.domain.projects.kinds import PurchaseMethod
from app.domain.projects.lifecycle import ProjectStatus
from app.services.projects import registration
from app.ui.projects.model import Column


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


def test_search_by_name_contractor_pinyin_and_number(qtbot, populated, project_page, typist):
    page = project_page
    assert page.model.rowCount() == 4
    assert search(qtbot, page, typist, "健康") == ["社区健康促进项目"]
    assert search(qtbot, page, typist, "qsn") == ["青少年成长陪伴服务项目"]
    assert sorted(search(qtbot, page, typist, "阳光助老")) == sorted(
        ["社区居家养老服务项目", "青少年成长陪伴服务项目", "老旧小区环境改善项目"])
    number = registration.get(populated["社区健康促进项目"]).number
    assert search(qtbot, page, typist, number) == ["社区健康促进项目"]
    assert search(qtbot, page, typist, "不存在的项目") == []
    assert "0" in page.count_label.text()


def test_filters_and_show_filtered(qtbot, populated, project_page):
    page = project_page
    choose(page.status_combo, ProjectStatus.IN_SERVICE)
    assert names(page) == ["青少年成长陪伴服务项目"]
    page.clear_filters()
    choose(page.purchaser_combo, populated["区卫健委"])
    assert names(page) == ["社区健康促进项目"]
    page.clear_filters()
    year = dt.date.today().year
    choose(page.year_combo, year + 1)
    assert page.model.rowCount() == 4  # a one-year term from 120 days ago reaches next year
    page.clear_filters()
    choose(page.year_combo, year - 3)
    assert names(page) == []
    # The home page's entry points.
    page.show_filtered(ProjectStatus.TERMINATED)
    assert names(page) == ["老旧小区环境改善项目"]
    assert page.year_combo.currentIndex() == 0
    page.show_filtered(year=2001)
    assert page.year_combo.currentData() == 2001 and names(page) == []
    page.show_filtered()
    assert page.model.rowCount() == 4
    choose(page.status_combo, ProjectStatus.DRAFT)
    page.open_project(populated["社区健康促进项目"])  # hidden by the filter: cleared
    assert page.status_combo.currentIndex() == 0
    assert page.detail.project_id == populated["社区健康促进项目"]
    assert page.model.data(page.table.currentIndex(), page.model.ID_ROLE) == \
        populated["社区健康促进项目"]


def test_after_saving_a_new_project_edit_opens_that_project(qtbot, populated, project_page,
                                                            typist):
    page = project_page
    page.select_row(page.model.row_of_id(populated["社区健康促进项目"]))
    assert page.detail.project_id == populated["社区健康促进项目"]

    editor = page.open_editor(None)
    typist(editor.name, "新建的助残服务项目")
    choose(editor.purchaser, populated["区民政局"])
    choose(editor.method, PurchaseMethod.SINGLE_SOURCE)
    editor.money["budget_fen"].setText("50000")
    with qtbot.waitSignal(editor.saved) as saved:
        qtbot.mouseClick(editor.buttons.button(QDialogButtonBox.StandardButton.Save),
                         Qt.MouseButton.LeftButton)
    new_id = saved.args[0]
    assert page.detail.project_id == new_id
    assert "新建的助残服务项目" in page.detail.title.text()
    current = page.table.currentIndex()
    assert page.model.data(current, page.model.ID_ROLE) == new_id
    assert page.table.selectionModel().isRowSelected(current.row())

    # The current row moves to another project without selecting it: actions follow the panel.
    other = page.model.index(page.model.row_of_id(populated["青少年成长陪伴服务项目"]), 0)
    page.model.refresh()  # a re-query: the panel keeps its record
    page.table.selectionModel().setCurrentIndex(other, QItemSelectionModel.SelectionFlag.NoUpdate)
    assert page.model.data(page.table.currentIndex(), page.model.ID_ROLE) != new_id
    assert page.detail.project_id == new_id
    page.edit_action.trigger()
    assert page.editor is not None and page.editor.record is not None
    assert page.editor.record.id == new_id
    page.editor.close()
    page.detail.open_move(ProjectStatus.PROCUREMENT).close()
    assert page.detail.dialog is not None
    assert "新建的助残服务项目" in page.detail.dialog.findChild(type(page.count_label),
                                                          "summary").text()


def test_purchaser_list_add_rename_retire(qtbot, qtmodeltester, populated, project_page):
    page = project_page
    dialog = page.open_purchasers()
    assert dialog.model.rowCount() == 2
    qtmodeltester.check(dialog.model)
    add = dialog.open_edit(None)
    add.set_value("name", "区教育局")
    with qtbot.waitSignal(dialog.changed):
        add.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert page.purchaser_combo.findText("区教育局") > 0
    row = next(n for n, p in enumerate(dialog.model.rows) if p.name == "区教育局")
    dialog.view.selectRow(row)
    rename = dialog.edit_current()
    rename.set_value("name", "区卫健委")  # taken: refused at the field
    rename.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert "已在列表中" in rename.error_text("name")
    rename.set_value("name", "区教育和体育局")
    rename.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert page.purchaser_combo.findText("区教育和体育局") > 0
    assert dialog.current().name == "区教育和体育局"
    with qtbot.waitSignal(dialog.changed):
        dialog.retire_button.click()
    assert not dialog.current().active
    assert "区教育和体育局" not in [p.name for p in registration.purchasers()]
    assert page.purchaser_combo.findText("区教育和体育局") > 0  # still a filter choice
    dialog.close()


def test_project_report_renders_and_previews_the_project_shown(qtbot, populated, project_page):
    page = project_page
    page.open_project(populated["青少年成长陪伴服务项目"])
    task = page.report_shown()
    assert task is not None
    qtbot.waitUntil(lambda: page.report.preview is not None, timeout=60_000)
    preview = page.report.preview
    assert len(preview.images) >= 1
    assert "青少年成长陪伴服务项目" in preview.windowTitle()
    assert preview.file_name.endswith("项目报告.pdf")
    preview.close()
