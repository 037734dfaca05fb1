"""The organization import as a person uses it: open the dialog on the street office's
register, read every refused row and its reason, find 导入全部 disabled, skip the bad rows
and import the other 18 — on SQLite and PostgreSQL."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget

from app.store.models import Organization, OrgTransition
from app.ui.common.import_dialog import ProblemColumn
from app.ui.orgs.import_dialog import OrgImportDialog, OrgRowModel, open_org_import

SAMPLE = (Path(__file__).resolve().parents[4] / "shared" / "samples"
          / "orgs-street-register.xlsx")
REFUSED = [9, 11, 15, 16, 21, 22]


@pytest.fixture
def street(tmp_path: Path) -> Path:
    path = tmp_path / "街道台账.xlsx"
    shutil.copy(SAMPLE, path)
    return path


class Page(QWidget):
    """Stands in for the organizations page: counts the refreshes it is asked for."""

    def __init__(self) -> None:
        super().__init__()
        self.refreshed = 0

    def refresh(self) -> None:
        self.refreshed += 1


def column(model, col: int) -> list[str]:
    return [model.data(model.index(r, col)) for r in range(model.rowCount())]


@pytest.fixture
def loaded(qtbot, register, street) -> tuple[Page, OrgImportDialog]:
    page = Page()
    qtbot.addWidget(page)
    dialog = open_org_import(page, street)
    with qtbot.waitSignal(dialog.previewReady, timeout=30_000):
        pass
    return page, dialog


def test_every_bad_row_with_its_reason_and_nothing_imported(loaded):
    _page, dialog = loaded
    assert dialog.windowTitle() == "Import organizations"
    rows = column(dialog.problem_model, ProblemColumn.ROW)
    assert sorted(set(rows), key=int) == [str(r) for r in REFUSED]
    reasons = dict(zip(rows, column(dialog.problem_model, ProblemColumn.REASON), strict=True))
    assert "第18位校验码不符" in reasons["9"]
    assert "组织机构代码校验位不符" in reasons["11"]
    assert "与第13行（历下区老年大学校友会）相同" in reasons["15"]
    assert reasons["16"] == "请填写组织名称"
    assert "字母O" in reasons["21"]
    assert "须填写统一社会信用代码" in reasons["22"]
    assert dialog.valid_model.rowCount() == 18
    notes = dict(zip(column(dialog.valid_model, 0), column(dialog.valid_model, 7),
                     strict=True))
    assert "第2位为2" in notes["13"] and notes["4"] == ""
    assert "18" in dialog.summary.text() and "6" in dialog.summary.text()
    assert not dialog.import_all_button.isEnabled()
    assert dialog.skip_import_button.isEnabled()
    dialog.import_all_button.click()                       # disabled: does nothing
    assert dialog.task is None
    assert Organization.select().count() == 0


def test_skipping_the_bad_rows_imports_18(qtbot, loaded):
    page, dialog = loaded
    with qtbot.waitSignal(dialog.imported, timeout=60_000) as signal:
        dialog.skip_import_button.click()
    assert signal.args == [18]
    assert Organization.select().count() == 18
    assert OrgTransition.select().count() == 18
    assert "18" in dialog.summary.text() and "14" in dialog.summary.text()
    assert dialog.cancel_button.text() == "Close"
    assert not dialog.skip_import_button.isEnabled()
    assert page.refreshed == 1


def test_row_model_passes_the_qt_model_tester(qtmodeltester, loaded):
    _page, dialog = loaded
    assert dialog.preview is not None
    model = OrgRowModel()
    model.set_rows(dialog.preview.valid)
    qtmodeltester.check(model)
