"""The import dialog as a person uses it: load the community roster, read the refused rows,
find 导入全部 disabled, skip them and import the rest — on SQLite and PostgreSQL."""

from __future__ import annotations

import time

import openpyxl
import pytest
from PySide6.QtCore import Qt

from app.services.volunteers import importing as volunteer_import
from app.store.models import AuditLog, Volunteer
from app.ui.volunteers.import_dialog import ImportDialog, ProblemColumn, ProblemModel, ValidRowModel

BAD_ROWS = [20, 24, 28, 32, 36, 40, 44]



@pytest.fixture
def loaded(qtbot, register, sample) -> ImportDialog:
    dialog = ImportDialog(path=sample)
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.previewReady, timeout=30_000):
        pass
    return dialog


def column_texts(model, column: int) -> list[str]:
    return [model.data(model.index(r, column)) for r in range(model.rowCount())]


def test_preview_lists_the_bad_rows_and_imports_nothing(loaded):
    dialog = loaded
    rows = column_texts(dialog.problem_model, ProblemColumn.ROW)
    assert rows == [str(r) for r in BAD_ROWS]
    reasons = column_texts(dialog.problem_model, ProblemColumn.REASON)
    assert "存成了数字" in reasons[0] and "第15行" in reasons[4]
    assert column_texts(dialog.problem_model, ProblemColumn.COLUMN)[2] == "联系电话"
    assert dialog.valid_model.rowCount() == 53
    assert "53" in dialog.summary.text() and "7" in dialog.summary.text()
    assert not dialog.import_all_button.isEnabled()
    assert dialog.skip_import_button.isEnabled()
    assert dialog.export_problems_button.isEnabled()
    dialog.import_all_button.click()                       # disabled: does nothing
    assert dialog.task is None
    assert Volunteer.select().count() == 0


def test_skip_and_import_registers_53(qtbot, loaded):
    dialog = loaded
    with qtbot.waitSignal(dialog.imported, timeout=60_000) as signal:
        dialog.skip_import_button.click()
    assert signal.args == [53]
    assert Volunteer.select().count() == 53
    assert "V00000001" in dialog.summary.text() and "V00000053" in dialog.summary.text()
    assert not dialog.skip_import_button.isEnabled()
    assert dialog.cancel_button.text() == "Close"


def test_cancelled_import_saves_nothing(qtbot, loaded, monkeypatch):
    dialog = loaded
    monkeypatch.setattr(volunteer_import, "COMMIT_CHUNK", 5)
    audit_rows = AuditLog.select().count()
    real = volunteer_import.bulk_insert

    def cancel_during(table, columns, rows, page=5000):
        # Runs on the worker thread, which may get here before the GUI thread has stored
        # the task it just started: wait (bounded) for it.
        deadline = time.monotonic() + 30
        while dialog.task is None and time.monotonic() < deadline:
            time.sleep(0.005)
        assert dialog.task is not None
        dialog.task.cancel()                               # as the progress dialog's Cancel
        return real(table, columns, rows, page)

    monkeypatch.setattr(volunteer_import, "bulk_insert", cancel_during)
    task = dialog.skip_and_import()
    assert task is not None
    with qtbot.waitSignal(task.cancelled, timeout=60_000):
        pass
    assert Volunteer.select().count() == 0
    assert AuditLog.select().count() == audit_rows
    assert "nothing was saved" in dialog.error_label.text()
    assert dialog.skip_import_button.isEnabled()          # the user may try again


def test_unreadable_file_is_explained_in_the_dialog(qtbot, register, tmp_path):
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not an excel file")
    dialog = ImportDialog(path=broken)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.task is None, timeout=30_000)
    assert "无法读取" in dialog.error_label.text()
    assert not dialog.skip_import_button.isEnabled()
    assert not dialog.import_all_button.isEnabled()


def test_clean_file_enables_import_all(qtbot, register, tmp_path):
    path = tmp_path / "clean.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["姓名", "身份证号码", "联系电话"])
    book.active.append(["张三", "11010519491231002X", "13800138000"])
    book.save(path)
    dialog = ImportDialog(path=path)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.previewReady, timeout=30_000):
        pass
    assert dialog.import_all_button.isEnabled()
    assert not dialog.skip_import_button.isEnabled()
    assert dialog.problems_view.isHidden()
    with qtbot.waitSignal(dialog.imported, timeout=30_000):
        dialog.import_all_button.click()
    assert Volunteer.select().count() == 1


def test_problem_list_export(loaded, tmp_path):
    """The bad rows themselves, under the file's header, with a 问题 column."""
    out = tmp_path / "problems.xlsx"
    loaded.write_problems(out)
    rows = list(openpyxl.load_workbook(out).worksheets[0].iter_rows(values_only=True))
    assert rows[0][-1] == "问题" and "身份证号码" in rows[0]
    assert len(rows) - 1 == len(BAD_ROWS)
    assert loaded.export_problems_button.text() == "Export problem rows…"


def test_models_pass_the_qt_model_tester(qtmodeltester, loaded):
    assert loaded.preview is not None
    problems = ProblemModel()
    problems.set_problems(loaded.preview.problems)
    qtmodeltester.check(problems)
    valid = ValidRowModel()
    valid.set_rows(loaded.preview.valid[:20])
    qtmodeltester.check(valid)
    assert valid.headerData(0, Qt.Orientation.Horizontal) == "Row"

