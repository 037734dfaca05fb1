"""Re-importing a roster in the dialog: tick “update people already registered”, see what
changes for whom, import; the problem rows come back as a file to fix."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

from app.services.volunteers import importing as volunteer_import
from app.store.models import Volunteer
from app.ui.volunteers.import_dialog import ImportDialog

W = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
SHOTS = Path("/tmp/shots-b4")


def id_number(i: int) -> str:
    body = f"1101051980{(i % 12) + 1:02d}{(i % 28) + 1:02d}{i:03d}"
    return body + "10X98765432"[sum(int(x) * w for x, w in zip(body, W, strict=True)) % 11]


def roster(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    book.active.append(["姓名", "身份证号码", "联系电话", "技能特长"])
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def test_update_mode_shows_changes_and_imports_them(qtbot, register, tmp_path):
    first = roster(tmp_path / "first.xlsx", [["张三", id_number(1), "13800138001", "摄影"],
                                             ["李四", id_number(2), "13800138002", ""]])
    volunteer_import.commit(volunteer_import.read(first, today=dt.date.today()))
    second = roster(tmp_path / "second.xlsx", [["张三", id_number(1), "13900139001", "急救"],
                                               ["李四", id_number(2), "13800138002", ""],
                                               ["王五", id_number(3), "13800138003", ""]])
    dialog = ImportDialog(path=second)
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.previewReady, timeout=30_000):
        pass
    assert dialog.update_check.isVisible() and not dialog.update_check.isChecked()
    assert dialog.problem_model.rowCount() == 2          # duplicates, as before
    assert dialog.updates_view.isHidden()
    with qtbot.waitSignal(dialog.previewReady, timeout=30_000):
        dialog.update_check.setChecked(True)             # reads the file again
    assert dialog.problem_model.rowCount() == 0 and dialog.problems_view.isHidden()
    assert dialog.update_model.rowCount() == 1
    changes = dialog.update_model.data(dialog.update_model.index(0, 2))
    assert changes == "联系电话：138****8001 → 139****9001；技能特长：摄影 → 急救"
    assert "1 to update, 1 unchanged" in dialog.summary.text()
    assert dialog.updates_view.isVisible() and dialog.import_all_button.isEnabled()
    SHOTS.mkdir(exist_ok=True)
    dialog.grab().save(str(SHOTS / "import-update.png"))
    with qtbot.waitSignal(dialog.imported, timeout=30_000):
        dialog.import_all_button.click()
    assert "updated 1" in dialog.summary.text()
    people = {v.name: (v.phone, v.skills, v.version) for v in Volunteer.select()}
    assert people == {"张三": ("13900139001", "急救", 2), "李四": ("13800138002", "", 1),
                      "王五": ("13800138003", "", 1)}
