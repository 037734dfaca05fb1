"""Importing a street office's organization register: the sample comes out row by row as
its description says, nothing is written until asked, and 10,000 rows go in one transaction."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pytest

from app.domain.errors import DuplicateError
from app.domain.orgs.kinds import OrgKind
from app.domain.orgs.legal_status import LegalStatus
from app.domain.orgs.uscc import check_character, is_valid_uscc, organization_check_character
from app.services.common.import_preview import write_problems
from app.services.common.progress import Cancelled
from app.services.orgs import exporting, importing
from app.services.orgs.listing import OrgFilter
from app.store.models import AuditLog, Organization, OrgTransition

SAMPLE = (Path(__file__).resolve().parents[5] / "shared" / "samples"
          / "orgs-street-register.xlsx")
TODAY = dt.date(2026, 11, 1)
REFUSED = [9, 11, 15, 16, 21, 22]


@pytest.fixture
def street(tmp_path: Path) -> Path:
    if not SAMPLE.exists():
        pytest.fail(f"the sample register is missing: {SAMPLE}")
    path = tmp_path / "街道台账.xlsx"
    shutil.copy(SAMPLE, path)
    return path


def reasons(preview, row: int) -> str:
    return "；".join(p.reason for p in preview.problems if p.row == row)


def test_the_sample_comes_out_row_by_row(register, street):
    preview = importing.read(street, today=TODAY)
    assert preview.header_row == 2 and preview.total_rows == 24
    assert sorted(preview.bad_rows) == REFUSED
    assert len(preview.valid) == 18
    assert "第18位校验码不符" in reasons(preview, 9)
    assert "第9–17位组织机构代码校验位不符" in reasons(preview, 11)
    assert "与第13行（历下区老年大学校友会）相同" in reasons(preview, 15)
    assert reasons(preview, 16) == "请填写组织名称"
    assert "字母O" in reasons(preview, 21)
    assert "须填写统一社会信用代码" in reasons(preview, 22)
    assert {p.column for p in preview.problems if p.row != 16} == {"统一社会信用代码"}
    # row 13 stays, with a warning that its code says 民非 while its type says 社会团体
    assert [(w.row, "第2位为2" in w.reason) for w in preview.warnings] == [(13, True)]
    rows = {r.row: r for r in preview.valid}
    assert rows[4].draft.credit_code == "52530181MJ63F0WT63"
    assert rows[5].draft.credit_code == "52320303MJR7JY3W2L"
    assert rows[6].draft.founded_on == dt.date(2017, 8, 18)
    assert rows[8].draft.founded_on == dt.date(2024, 12, 23)
    assert rows[19].draft.kind is OrgKind.PRIVATE_NON_ENTERPRISE
    assert rows[5].draft.kind is OrgKind.PRIVATE_NON_ENTERPRISE  # 社会服务机构
    assert (rows[24].draft.kind, rows[24].legal_status, rows[24].draft.credit_code) == (
        OrgKind.COMMUNITY, LegalStatus.FILED, "")
    assert rows[3].legal_status is LegalStatus.REGISTERED
    assert Organization.select().count() == 0


def test_commit_refuses_bad_rows_unless_skipped(register, street):
    preview = importing.read(street, today=TODAY)
    with pytest.raises(ValueError, match="未导入任何数据"):
        importing.commit(preview)
    assert Organization.select().count() == 0
    result = importing.commit(preview, skip_invalid=True)
    assert (result.imported, result.skipped, result.filed, result.registered) == (18, 6, 4, 14)
    assert Organization.select().count() == 18
    org = Organization.get(Organization.credit_code == "52530181MJ63F0WT63")
    assert org.name == "历下区邻里互助会" and org.legal_status == "registered"
    assert org.registered_on == dt.date(2016, 10, 25) and org.name_pinyin.startswith("lixia")
    moves = OrgTransition.select().where(OrgTransition.org == org.id)
    assert [(m.to_state, m.on) for m in moves] == [("registered", dt.date(2016, 10, 25))]
    assert OrgTransition.select().count() == 18
    filed = Organization.get(Organization.name == "助餐服务中心")
    assert filed.legal_status == "filed" and filed.credit_code is None
    assert AuditLog.select().where(AuditLog.entity == "organization").count() == 19
    again = importing.read(street, today=TODAY)
    assert "已登记为“历下区邻里互助会”" in reasons(again, 4)


def test_importing_the_register_again_warns_about_organizations_without_a_code(register,
                                                                              street):
    """Rows without a credit code have nothing to match on: a second import of the same
    register added every filed organization again without a word."""
    importing.commit(importing.read(street, today=TODAY), skip_invalid=True)
    again = importing.read(street, today=TODAY)
    codeless = sorted(r.row for r in again.valid)
    assert len(codeless) == 4                           # the filed ones; coded rows refused
    named = [w for w in again.warnings if w.field == "name"]
    assert [w.row for w in named] == codeless
    assert all(w.column == "组织名称" and "已有名为“" in w.reason for w in named)


def test_two_rows_with_one_name_and_no_code_are_pointed_out(register, tmp_path):
    path = tmp_path / "台账.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["组织名称", "组织类型", "登记/备案"])
    sheet.append(["幸福社区读书会", "社区社会组织", "备案"])
    sheet.append(["幸福社区合唱团", "社区社会组织", "备案"])
    sheet.append(["幸福社区读书会", "社区社会组织", "备案"])
    book.save(path)
    preview = importing.read(path, today=TODAY)
    assert len(preview.valid) == 3 and not preview.problems
    assert [(w.row, w.reason) for w in preview.warnings] == [
        (4, "与第2行组织名称相同，请确认不是重复的行")]


def test_a_community_organization_marked_registered_is_refused(register, tmp_path):
    path = tmp_path / "c.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["组织名称", "组织类型", "登记/备案", "统一社会信用代码",
                        "注册资金（万元）"])
    book.active.append(["阳光社区合唱团", "社区社会组织", "登记", "", 2])
    book.active.append(["阳光助老协会", "社团", "", "", "3.5"])
    book.active.append(["某某会", "商会", "注销", "", "很多"])
    book.save(path)
    preview = importing.read(path, today=TODAY)
    assert "社区社会组织只备案、不登记" in reasons(preview, 2)
    assert preview.valid[0].draft.kind is OrgKind.SOCIAL_GROUP
    assert preview.valid[0].draft.capital_fen == 3_500_000     # 3.5 万元
    assert preview.valid[0].legal_status is LegalStatus.UNREGISTERED
    assert {p.field for p in preview.problems if p.row == 4} == {
        "kind", "legal_status", "capital_yuan"}


def test_cancel_writes_nothing(register, street, monkeypatch):
    preview = importing.read(street, today=TODAY)

    class Cancelling:
        def set_progress(self, done, total, message=""):
            pass

        def is_cancelled(self):
            return True

    with pytest.raises(Cancelled):
        importing.commit(preview, skip_invalid=True, state=Cancelling())
    assert Organization.select().count() == 0
    assert AuditLog.select().count() == 0


def test_registered_since_preview_is_refused_whole(register, street):
    preview = importing.read(street, today=TODAY)
    importing.commit(importing.read(street, today=TODAY), skip_invalid=True)
    with pytest.raises(DuplicateError, match="未导入任何数据"):
        importing.commit(preview, skip_invalid=True)
    assert Organization.select().count() == 18


def _code(rng_index: int, kind_digit: str) -> str:
    body = f"{rng_index:08d}"
    body8 = "MJ" + body[-6:]
    org = body8 + organization_check_character(body8)
    first17 = f"5{kind_digit}370102{org}"
    return first17 + check_character(first17)


def test_ten_thousand_rows_in_one_go(register, tmp_path):
    path = tmp_path / "big.xlsx"
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("台账")
    sheet.append(["序号", "组织名称", "组织类型", "统一社会信用代码", "登记/备案", "成立日期"])
    for i in range(10_000):
        code = _code(i, "1")
        assert is_valid_uscc(code)
        sheet.append([i + 1, f"第{i}号协会", "社会团体", code, "登记", "2015-03-01"])
    book.save(path)
    preview = importing.read(path, today=TODAY)
    assert (len(preview.valid), preview.problems) == (10_000, [])
    result = importing.commit(preview)
    assert result.imported == 10_000
    assert Organization.select().count() == 10_000
    assert OrgTransition.select().count() == 10_000


def test_template_and_problem_list(register, street, tmp_path):
    template = tmp_path / "template.xlsx"
    importing.write_template(template)
    header = next(openpyxl.load_workbook(template).worksheets[0].iter_rows(values_only=True))
    assert header[:3] == ("组织名称", "组织类型", "统一社会信用代码")
    preview = importing.read(street, today=TODAY)
    problems = tmp_path / "problems.xlsx"
    assert write_problems(preview, problems) == 6
    rows = list(openpyxl.load_workbook(problems).worksheets[0].iter_rows(values_only=True))
    assert [r[0] for r in rows[1:7]] == REFUSED and rows[7][2].startswith("提示")


def test_export_reads_back_and_never_writes_a_formula(register, street, tmp_path):
    importing.commit(importing.read(street, today=TODAY), skip_invalid=True)
    Organization.update(remarks='=HYPERLINK("http://x","点我")', address="+86 中心").where(
        Organization.name == "助餐服务中心").execute()
    out = tmp_path / "orgs.xlsx"
    assert exporting.export(OrgFilter(), out) == 18
    sheet = openpyxl.load_workbook(out).worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["组织名称", "组织类型", "统一社会信用代码"]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    remarks = rows["助餐服务中心"][header.index("备注")]
    assert remarks.value == '=HYPERLINK("http://x","点我")' and remarks.data_type == "s"
    assert rows["助餐服务中心"][header.index("住所")].data_type == "s"
    code = rows["历下区邻里互助会"][header.index("统一社会信用代码")]
    assert (code.value, code.data_type, code.number_format) == ("52530181MJ63F0WT63", "s", "@")
    assert exporting.export(OrgFilter(text="邻里"), tmp_path / "one.xlsx") == 1
    # the export is an import file for another register
    OrgTransition.delete().execute()
    Organization.delete().execute()
    back = importing.read(out, today=TODAY)
    assert (len(back.valid), back.problems) == (18, [])
