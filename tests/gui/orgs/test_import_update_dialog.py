"""Re-importing an organization register in the dialog: tick “update organizations already
registered”, see what changes for which organization (and a note when the file's 登记/备案
disagrees with the register), import; the problem rows come back as a file to fix."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
from PySide6.QtCore import Qt

from app.domain.orgs.kinds import OrgKind
from app.services.orgs import importing as org_import
from app.store.models import Organization
from app.ui.orgs.import_dialog import OrgImportDialog
from tests.gui.orgs.conftest import code_for

HEADER = ["组织名称", "组织类型", "统一社会信用代码", "法定代表人/负责人", "登记/备案"]


def register_file(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    book.active.append(HEADER)
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def column(model, col: int) -> list[str]:
    return [model.data(model.index(r, col)) for r in range(model.rowCount())]


def test_update_mode_shows_changes_and_imports_them(qtbot, register, tmp_path):
    one, two = code_for(OrgKind.SOCIAL_GROUP, 1), code_for(OrgKind.SOCIAL_GROUP, 2)
    first = register_file(tmp_path / "first.xlsx", [
        ["历下区邻里互助会", "社会团体", one, "张三", "登记"],
        ["泉城书画协会", "社会团体", two, "王五", "登记"]])
    org_import.commit(org_import.read(first, today=dt.date.today()))
    second = register_file(tmp_path / "second.xlsx", [
        ["历下区邻里互助会", "社会团体", one, "张小三", "备案"],
        ["泉城书画协会", "社会团体", two, "王五", "登记"],
        ["明湖环保协会", "社会团体", "", "钱七", "登记"]])   # 登记 without a code: refused
    dialog = OrgImportDialog(path=second)
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.previewReady, timeout=30_000):
        pass
    assert dialog.update_check.isVisible() and not dialog.update_check.isChecked()
    assert "credit code" in dialog.update_check.text()
    assert column(dialog.problem_model, 0) == ["2", "3", "4"]   # duplicates and the bad row
    assert dialog.updates_view.isHidden()
    with qtbot.waitSignal(dialog.previewReady, timeout=30_000):
        dialog.update_check.setChecked(True)                   # reads the file again
    assert column(dialog.problem_model, 0) == ["4"]
    assert dialog.update_model.rowCount() == 1
    assert dialog.update_model.headerData(1, Qt.Orientation.Horizontal) == "Organization"
    assert column(dialog.update_model, 1) == [f"{one} 历下区邻里互助会"]
    assert column(dialog.update_model, 2) == ["法定代表人/负责人：张三 → 张小三"]
    assert "导入不改变登记/备案状态" in column(dialog.update_model, 3)[0]
    assert not dialog.updates_view.isColumnHidden(3)
    assert "Registered organizations: 1 to update, 1 unchanged." in dialog.summary.text()
    assert dialog.updates_view.isVisible()
    assert not dialog.import_all_button.isEnabled() and dialog.skip_import_button.isEnabled()
    assert dialog.export_problems_button.isEnabled()
    problems = tmp_path / "problems.xlsx"
    dialog.write_problems(problems)
    rows = list(openpyxl.load_workbook(problems).worksheets[0].iter_rows(values_only=True))
    assert rows[0] == (*HEADER, "问题") and [r[0] for r in rows[1:]] == ["明湖环保协会"]
    with qtbot.waitSignal(dialog.imported, timeout=30_000):
        dialog.skip_import_button.click()
    assert "updated 1" in dialog.summary.text()
    orgs = {o.name: (o.legal_representative, o.legal_status, o.version)
            for o in Organization.select()}
    assert orgs == {"历下区邻里互助会": ("张小三", "registered", 2),
                    "泉城书画协会": ("王五", "registered", 1)}
