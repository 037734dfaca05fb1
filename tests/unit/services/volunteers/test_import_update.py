"""Re-importing a roster: matching people (by ID number) become updates when asked, the
refused rows come back as a file to fix and import again; on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest

from app.domain.volunteer import Status
from app.services.common.import_preview import PROBLEM_COLUMN, write_problem_rows
from app.services.points import ledger as points
from app.services.volunteers import importing as volunteer_import
from app.services.volunteers import registration as volunteers
from app.store.models import AuditLog, Volunteer

TODAY = dt.date(2026, 9, 1)
W = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
HEADER = ["姓名", "身份证号码", "联系电话", "技能特长", "备注"]


def id_number(i: int) -> str:
    body = f"1101051980{(i % 12) + 1:02d}{(i % 28) + 1:02d}{i:03d}"
    return body + "10X98765432"[sum(int(x) * w for x, w in zip(body, W, strict=True)) % 11]


def sheet(path: Path, rows: list[list[object]], header: list[str] = HEADER) -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["某社区志愿者花名册"])  # a title row above the header
    ws.append(header)
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


def first_roster(tmp_path: Path) -> Path:
    return sheet(tmp_path / "first.xlsx", [
        ["张三", id_number(1), "13800138001", "摄影", "老队员"],
        ["李四", id_number(2), "13800138002", "急救", ""],
        ["王五", id_number(3), "13800138003", "驾驶", ""],
    ])


@pytest.fixture
def registered(register, tmp_path):
    volunteer_import.commit(volunteer_import.read(first_roster(tmp_path), today=TODAY))
    return {v.name: v for v in Volunteer.select()}


def second_roster(tmp_path: Path) -> Path:
    return sheet(tmp_path / "second.xlsx", [
        ["张三", id_number(1), "13900139001", "摄影", ""],   # new phone; blank remark
        ["李四", id_number(2), "13800138002", "急救", ""],   # nothing new
        ["王五", id_number(3), "13800138003", "心理辅导", "转入"],  # address and remark
        ["赵六", id_number(4), "13800138004", "", ""],             # a new person
    ])


def test_without_update_matches_stay_duplicates(registered, tmp_path):
    preview = volunteer_import.read(second_roster(tmp_path), today=TODAY)
    assert [p.row for p in preview.problems] == [3, 4, 5]
    assert all("已登记" in p.reason for p in preview.problems)
    assert (len(preview.valid), list(preview.updates)) == (1, [])


def test_update_preview_lists_what_changes(registered, tmp_path):
    preview = volunteer_import.read(second_roster(tmp_path), today=TODAY, update=True)
    assert preview.problems == []
    assert [r.row for r in preview.valid] == [6]
    assert preview.unchanged == 1
    by_row = {u.row: u for u in preview.updates}
    assert sorted(by_row) == [3, 5]
    zhang = by_row[3]
    assert zhang.label.endswith("张三")
    assert [(c.column, c.old, c.new) for c in zhang.changes] == [
        ("联系电话", "138****8001", "139****9001")]   # masked; the blank 备注 erases nothing
    wang = by_row[5]
    assert [(c.field, c.old, c.new) for c in wang.changes] == [
        ("skills", "驾驶", "心理辅导"), ("remarks", "", "转入")]
    assert "技能特长：驾驶 → 心理辅导" in wang.summary


def test_update_commit_applies_all_with_audit_and_versions(registered, tmp_path):
    zhang = registered["张三"]
    points.bonus(zhang.id, 30, "推荐新人")
    Volunteer.update(status=Status.SUSPENDED, status_reason="暂停").where(
        Volunteer.id == zhang.id).execute()
    before = Volunteer.get_by_id(zhang.id)
    preview = volunteer_import.read(second_roster(tmp_path), today=TODAY, update=True)
    result = volunteer_import.commit(preview)
    assert (result.imported, result.updated) == (1, 2)
    after = Volunteer.get_by_id(zhang.id)
    assert after.phone == "13900139001" and after.remarks == "老队员"
    assert after.version == before.version + 1
    # never changed by an update: who it is, the number, status, hours, points
    for name in ("id_number", "number", "status", "approved_minutes", "points_balance",
                 "registered_on"):
        assert getattr(after, name) == getattr(before, name), name
    wang = Volunteer.get_by_id(registered["王五"].id)
    assert (wang.skills, wang.remarks, wang.version) == ("心理辅导", "转入", 2)
    assert Volunteer.get_by_id(registered["李四"].id).version == 1
    row = AuditLog.get((AuditLog.action == "update") & (AuditLog.entity_id == zhang.number))
    assert (json.loads(row.before), json.loads(row.after)) == (
        {"phone": "13800138001"}, {"phone": "13900139001"})
    summary = AuditLog.select().where(AuditLog.action == "import").order_by(
        AuditLog.id.desc()).first()
    assert sorted(json.loads(summary.after)["updated"]) == sorted(
        [zhang.number, registered["王五"].number])


def test_update_is_all_or_nothing(registered, tmp_path):
    preview = volunteer_import.read(second_roster(tmp_path), today=TODAY, update=True)
    # someone edits 王五 at another desk after the file was read
    record = volunteers.get(registered["王五"].id)
    volunteers.update(record.id, record.draft, record.version, today=TODAY)
    with pytest.raises(ValueError, match="已被修改"):
        volunteer_import.commit(preview)
    assert Volunteer.get_by_id(registered["张三"].id).phone == "13800138001"
    assert Volunteer.select().count() == 3


def test_only_updates_is_committable(registered, tmp_path):
    path = sheet(tmp_path / "only.xlsx", [["张三", id_number(1), "13900139001", "", ""]])
    preview = volunteer_import.read(path, today=TODAY, update=True)
    result = volunteer_import.commit(preview)
    assert (result.imported, result.updated, result.first_number) == (0, 1, "")


def test_problem_rows_round_trip(register, tmp_path):
    source = sheet(tmp_path / "bad.xlsx", [
        ["张三", id_number(1), "13800138001", "摄影", ""],
        ["李四", id_number(2)[:-1] + "0", "13800138002", "", ""],   # wrong check digit
        ["王五", id_number(3), "1380013", "", "电话少了几位"],        # short phone
        ["赵六", id_number(4), "13800138004", "", ""],
    ])
    preview = volunteer_import.read(source, today=TODAY)
    assert preview.bad_rows == {4, 5}
    out = tmp_path / "problems.xlsx"
    assert write_problem_rows(preview, out) == 2
    book = openpyxl.load_workbook(out)
    ws = book.worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == [*HEADER, PROBLEM_COLUMN]
    assert [r[0] for r in rows[1:]] == ["李四", "王五"]
    assert "身份证号码" in rows[1][-1] and "联系电话" in rows[2][-1]
    assert rows[1][1] == id_number(2)[:-1] + "0"     # the ID stays text, every digit kept
    # fix the cells, import the exported file
    ws.cell(row=2, column=2, value=id_number(2))
    ws.cell(row=3, column=3, value="13800138003")
    book.save(out)
    volunteer_import.commit(volunteer_import.read(source, today=TODAY), skip_invalid=True)
    again = volunteer_import.read(out, today=TODAY)
    assert (again.problems, len(again.valid)) == ([], 2)
    assert again.ignored_columns == [PROBLEM_COLUMN]
    assert volunteer_import.commit(again).imported == 2
    assert Volunteer.select().count() == 4
