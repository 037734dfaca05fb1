"""Re-importing an organization register: rows whose credit code is registered become
updates when asked (shown field by field, all or nothing, each with its audit row and
version bump); the legal-status and incubation machines are left alone; on SQLite and
PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import openpyxl
import pytest

from app.domain.orgs.incubation import IncubationState
from app.domain.orgs.legal_status import LegalStatus
from app.domain.orgs.uscc import check_character, organization_check_character
from app.services.common.import_preview import PROBLEM_COLUMN, write_problem_rows
from app.services.orgs import importing, incubation
from app.services.orgs import registration as orgs
from app.store.models import AuditLog, Organization, OrgChange, OrgTransition

TODAY = dt.date(2026, 11, 1)
HEADER = ["组织名称", "组织类型", "统一社会信用代码", "法定代表人/负责人", "联系电话",
          "登记/备案", "注册资金（元）", "备注"]
SAMPLE = (Path(__file__).resolve().parents[5] / "shared" / "samples"
          / "orgs-street-register.xlsx")


def code(i: int, kind_digit: str = "1") -> str:
    body8 = f"MJ{i:06d}"
    first17 = f"5{kind_digit}370102{body8}{organization_check_character(body8)}"
    return first17 + check_character(first17)


def sheet(path: Path, rows: list[list[object]], header: list[str] = HEADER) -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["某街道社会组织台账"])  # a title row above the header
    ws.append(header)
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


@pytest.fixture
def registered(register, tmp_path):
    first = sheet(tmp_path / "first.xlsx", [
        ["历下区邻里互助会", "社会团体", code(1), "张三", "0531-1234567", "登记", 30000, "老会"],
        ["历下区助老服务中心", "民非", code(2, "2"), "李四", "", "登记", "", ""],
        ["泉城书画协会", "社会团体", code(3), "王五", "", "登记", 10000, ""],
        ["幸福社区读书会", "社区社会组织", "", "赵六", "", "备案", "", ""],
    ])
    importing.commit(importing.read(first, today=TODAY))
    return {o.name: o for o in Organization.select()}


def second_register(tmp_path: Path) -> Path:
    return sheet(tmp_path / "second.xlsx", [
        ["历下区邻里互助会", "社会团体", code(1), "张小三", "0531-1234567", "登记", "", ""],
        ["历下区助老服务中心", "民非", code(2, "2"), "李四", "", "登记", "", ""],  # nothing new
        ["泉城书画院", "社会团体", code(3).lower(), "王五", "", "", 50000, "更名"],
        ["幸福社区读书会", "社区社会组织", "", "赵六", "", "备案", "", ""],   # no code
        ["明湖环保协会", "社会团体", code(4), "钱七", "", "登记", "", ""],    # new
    ])


def test_without_update_registered_codes_stay_refused(registered, tmp_path):
    preview = importing.read(second_register(tmp_path), today=TODAY)
    assert [p.row for p in preview.problems] == [3, 4, 5]
    assert all("不能重复登记" in p.reason for p in preview.problems)
    assert [r.row for r in preview.valid] == [6, 7]
    assert list(preview.updates) == []


def test_update_preview_lists_what_changes(registered, tmp_path):
    preview = importing.read(second_register(tmp_path), today=TODAY, update=True)
    assert preview.problems == []
    assert [r.row for r in preview.valid] == [6, 7]     # the codeless row stays new
    assert [(w.row, w.field) for w in preview.warnings if "已有名为" in w.reason] == [
        (6, "name")]
    assert preview.unchanged == 1
    by_row = {u.row: u for u in preview.updates}
    assert sorted(by_row) == [3, 5]
    assert by_row[3].label == f"{code(1)} 历下区邻里互助会"
    # blank 注册资金 and 备注 erase nothing
    assert [(c.column, c.old, c.new) for c in by_row[3].changes] == [
        ("法定代表人/负责人", "张三", "张小三")]
    assert [(c.field, c.old, c.new) for c in by_row[5].changes] == [
        ("name", "泉城书画协会", "泉城书画院"),
        ("capital_fen", "10,000.00元", "50,000.00元"),
        ("remarks", "", "更名")]
    assert "组织名称：泉城书画协会 → 泉城书画院" in by_row[5].summary
    assert Organization.get_by_id(registered["泉城书画协会"].id).name == "泉城书画协会"


def test_update_commit_writes_versions_audit_and_change_items(registered, tmp_path):
    target = registered["历下区邻里互助会"]
    incubation.move(target.id, IncubationState.APPLIED, on=TODAY)
    before = Organization.get_by_id(target.id)
    moves_before = OrgTransition.select().count()
    preview = importing.read(second_register(tmp_path), today=TODAY, update=True)
    result = importing.commit(preview)
    assert (result.imported, result.updated, result.skipped) == (2, 2, 0)
    after = Organization.get_by_id(target.id)
    assert (after.legal_representative, after.remarks, after.capital_fen) == (
        "张小三", "老会", 3_000_000)
    assert after.version == before.version + 1
    for name in ("credit_code", "legal_status", "registered_on", "legal_since",
                 "incubation_state", "incubation_since", "rating"):
        assert getattr(after, name) == getattr(before, name), name
    # only the two new rows' moves (明湖's 登记, the codeless 读书会's 备案)
    assert OrgTransition.select().count() == moves_before + 2
    renamed = Organization.get_by_id(registered["泉城书画协会"].id)
    assert (renamed.name, renamed.capital_fen, renamed.version) == ("泉城书画院", 5_000_000, 2)
    assert renamed.name_pinyin.startswith("quancheng")
    assert Organization.get_by_id(registered["历下区助老服务中心"].id).version == 1
    row = AuditLog.get((AuditLog.action == "update") & (AuditLog.entity_id == str(target.id)))
    assert (json.loads(row.before), json.loads(row.after)) == (
        {"legal_representative": "张三"}, {"legal_representative": "张小三"})
    items = {(c.item, c.before, c.after) for c in OrgChange.select()}
    assert ("名称", "泉城书画协会", "泉城书画院") in items
    assert ("法定代表人", "张三", "张小三") in items
    summary = AuditLog.select().where(AuditLog.action == "import").order_by(
        AuditLog.id.desc()).first()
    assert sorted(json.loads(summary.after)["updated"]) == sorted(
        [target.id, registered["泉城书画协会"].id])
    assert Organization.select().count() == 6


def test_update_is_all_or_nothing(registered, tmp_path):
    preview = importing.read(second_register(tmp_path), today=TODAY, update=True)
    # someone edits 泉城书画协会 at another desk after the file was read
    record = orgs.get(registered["泉城书画协会"].id)
    orgs.update(record.id, record.draft, record.version, today=TODAY)
    with pytest.raises(ValueError, match="已被修改"):
        importing.commit(preview)
    assert Organization.get_by_id(registered["历下区邻里互助会"].id).legal_representative == "张三"
    assert Organization.select().count() == 4
    assert not AuditLog.select().where(AuditLog.entity_id == str(
        registered["历下区邻里互助会"].id), AuditLog.action == "update").exists()


def test_legal_status_is_compared_never_moved(registered, tmp_path):
    """备案 in the file for a registered organization: a warning; the machine stays put. A
    registered organization cannot become a 社区社会组织 through an import."""
    path = sheet(tmp_path / "odd.xlsx", [
        ["历下区邻里互助会", "社会团体", code(1), "张三", "0531-7654321", "备案", "", ""],
        ["泉城书画协会", "社区社会组织", code(3), "王五", "", "", "", ""],
    ])
    preview = importing.read(path, today=TODAY, update=True)
    assert [(p.row, p.field) for p in preview.problems] == [(4, "kind")]
    assert "社区社会组织只备案、不登记" in preview.problems[0].reason
    notes = [w for w in preview.warnings if w.field == "legal_status"]
    assert [(w.row, w.column) for w in notes] == [(3, "登记/备案")]
    assert "导入不改变登记/备案状态" in notes[0].reason
    assert [u.row for u in preview.updates] == [3]
    result = importing.commit(preview, skip_invalid=True)
    assert (result.imported, result.updated) == (0, 1)
    org = Organization.get_by_id(registered["历下区邻里互助会"].id)
    assert (org.contact_phone, org.legal_status) == ("0531-7654321", str(LegalStatus.REGISTERED))


def test_only_updates_is_committable(registered, tmp_path):
    path = sheet(tmp_path / "only.xlsx", [["历下区邻里互助会", "社团", code(1), "张三丰",
                                           "", "", "", ""]])
    result = importing.commit(importing.read(path, today=TODAY, update=True))
    assert (result.imported, result.updated, result.first_id) == (0, 1, 0)
    summary = AuditLog.get(AuditLog.action == "import", AuditLog.entity_id == "only.xlsx")
    assert json.loads(summary.after)["imported"] == 0


def test_the_street_sample_round_trips_through_its_problem_rows(register, tmp_path):
    street = tmp_path / "街道台账.xlsx"
    shutil.copy(SAMPLE, street)
    preview = importing.read(street, today=TODAY)
    out = tmp_path / "problems.xlsx"
    assert write_problem_rows(preview, out) == 6
    rows = list(openpyxl.load_workbook(out).worksheets[0].iter_rows(values_only=True))
    assert rows[0][-1] == PROBLEM_COLUMN and "组织名称" in rows[0]
    assert len(rows) == 7
    assert "第18位校验码不符" in rows[1][-1]
    # importing it again reads the same six refusals, each with its reason, and 问题 ignored
    again = importing.read(out, today=TODAY)
    assert again.ignored_columns == [PROBLEM_COLUMN]
    assert again.total_rows == 6
