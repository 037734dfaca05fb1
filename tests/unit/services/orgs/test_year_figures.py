"""Yearly figures staff enter: stored, refused in Chinese, and printed in the annual report."""

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pdfplumber
import pytest

from app.domain.errors import FormErrors, NotFoundError
from app.domain.orgs.draft import OrgDraft
from app.domain.orgs.kinds import OrgKind
from app.domain.orgs.legal_status import LegalStatus
from app.services.orgs import annual_report, registration, year_figures
from app.services.orgs.year_figures import Meeting, YearFigures
from app.store.models import AuditLog, OrgYearFigures
from reports import annual_report as rpt

CODE = "51420000MJH200395N"
TODAY = dt.date(2026, 3, 1)


def org(on: dt.date = dt.date(2020, 5, 1), **kw) -> int:
    draft = OrgDraft(name="夕阳红志愿服务协会", kind=OrgKind.SOCIAL_GROUP, credit_code=CODE,
                     legal_representative="黄志强", registration_authority="武汉市江岸区民政局",
                     certificate_number="鄂岸社证字第0123号", **kw)
    return registration.create(draft, LegalStatus.REGISTERED, on,
                               authority="武汉市江岸区民政局").id


def filled(oid: int, year: int = 2025) -> YearFigures:
    return YearFigures(
        org_id=oid, year=year, staff_full_time=3, staff_part_time=5, members_units=12,
        members_individuals=230, activity_overview="  全年开展敬老助老服务。 ",
        meetings=(Meeting("会员大会", dt.date(year, 1, 18), "每年至少召开1次",
                          "应到230人，实到201人", "审议通过年度工作报告"),
                  Meeting("", None, "", "", "")),   # a blank row the table left
        balance={"current_assets": (1_234_567, 1_500_000), "total_assets": (1_234_567, 1_500_000),
                 "unrestricted_net_assets": (-20_000, 10_000)},
        activity={"donation": (800_000, 200_000), "program_costs": (600_000, 0)},
        remarks="无")


def text_of(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    with pdfplumber.open(path) as doc:
        return "\n".join(page.extract_text() or "" for page in doc.pages)


def test_labels_follow_the_report():
    assert list(year_figures.BALANCE_FIELDS) == [
        f.name for f in dataclasses.fields(rpt.BalanceSheet)]
    assert list(year_figures.ACTIVITY_FIELDS) == [
        f.name for f in dataclasses.fields(rpt.ActivityStatement)]
    printed = {attr: label for label, attr in rpt._BALANCE_ROWS}
    assert printed == year_figures.BALANCE_FIELDS
    printed = {attr: label for label, attr in (*rpt._INCOME_ROWS, *rpt._EXPENSE_ROWS)}
    assert printed == year_figures.ACTIVITY_FIELDS
    assert year_figures.BALANCE_FIELDS["total_assets"] == "资产总计"


def test_nothing_entered_gives_empty_figures(register):
    oid = org()
    fig = year_figures.get(oid, 2025)
    assert fig == YearFigures(org_id=oid, year=2025)
    assert not fig.has_finance
    with pytest.raises(NotFoundError):
        year_figures.get(9999, 2025)


def test_save_and_get_round_trip(register):
    oid = org()
    saved = year_figures.save(filled(oid), today=TODAY)
    assert saved == year_figures.get(oid, 2025)
    assert saved.activity_overview == "全年开展敬老助老服务。"
    assert saved.meetings == (Meeting("会员大会", dt.date(2025, 1, 18), "每年至少召开1次",
                                      "应到230人，实到201人", "审议通过年度工作报告"),)
    assert saved.balance["unrestricted_net_assets"] == (-20_000, 10_000)
    assert saved.activity == {"donation": (800_000, 200_000), "program_costs": (600_000, 0)}
    row = OrgYearFigures.get((OrgYearFigures.org == oid) & (OrgYearFigures.year == 2025))
    assert json.loads(row.finance) == {
        "balance": {"current_assets": [1_234_567, 1_500_000],
                    "total_assets": [1_234_567, 1_500_000],
                    "unrestricted_net_assets": [-20_000, 10_000]},
        "activity": {"donation": [800_000, 200_000], "program_costs": [600_000, 0]}}
    assert json.loads(row.meetings) == [{
        "kind": "会员大会", "held_on": "2025-01-18", "charter_rule": "每年至少召开1次",
        "attendance": "应到230人，实到201人", "content": "审议通过年度工作报告"}]

    # Saving again replaces the row (still one per year) and audits only what changed.
    again = year_figures.save(dataclasses.replace(saved, staff_full_time=4, balance={},
                                                  activity={}), today=TODAY)
    assert again.staff_full_time == 4 and not again.has_finance
    assert OrgYearFigures.select().where(OrgYearFigures.org == oid).count() == 1
    audits = list(AuditLog.select().where(AuditLog.action == "save_year_figures")
                  .order_by(AuditLog.id))
    assert len(audits) == 2
    assert json.loads(audits[1].after) == {"staff_full_time": 4, "finance": ""}
    assert OrgYearFigures.get_by_id(row.id).finance == ""


def test_refusals_are_chinese_and_keyed_by_field(register):
    oid = org(on=dt.date(2020, 5, 1), founded_on=dt.date(2019, 11, 2))
    bad = YearFigures(
        org_id=oid, year=2025, staff_full_time=-1, members_units=-3,
        activity_overview="服" * 1501,
        meetings=(Meeting("理事会", dt.date(2024, 12, 30)),
                  Meeting("", dt.date(2025, 3, 1), content="换届")),
        balance={"current_assets": (-5, 0), "cash": (1, 1), "fixed_assets": (1.5, 0)},  # type: ignore[dict-item]
        activity={"donation": (1, -1)})
    with pytest.raises(FormErrors) as caught:
        year_figures.save(bad, today=TODAY)
    errors = caught.value.errors
    assert errors["staff_full_time"] == "专职工作人员人数不能为负数"
    assert errors["members_units"] == "单位会员人数不能为负数"
    assert errors["activity_overview"] == "业务活动概述不能超过1500字，现有1501字"
    assert errors["meetings.0"] == "第1行会议：召开时间2024年12月30日不在2025年度内"
    assert errors["meetings.1"] == "第2行会议：请填写会议名称（如会员大会、理事会）"
    assert errors["balance.current_assets"] == "资产负债表“流动资产合计”不能为负数"
    assert errors["balance.cash"] == "资产负债表没有“cash”这一项目"
    assert errors["balance.fixed_assets"].startswith("资产负债表“固定资产合计”的金额应为整数分")
    assert errors["activity.donation"] == "业务活动表“捐赠收入”不能为负数"
    assert OrgYearFigures.select().count() == 0

    with pytest.raises(FormErrors) as caught:
        year_figures.save(YearFigures(org_id=oid, year=2018), today=TODAY)
    assert caught.value.errors == {
        "year": "该组织于2019年11月2日成立，年度应在2019年至2026年之间，不能是2018年"}
    with pytest.raises(FormErrors) as caught:
        year_figures.save(YearFigures(org_id=oid, year=2027), today=TODAY)
    assert set(caught.value.errors) == {"year"}
    # 1500 characters exactly is fine, and the founding year itself is open.
    ok = year_figures.save(YearFigures(org_id=oid, year=2019, activity_overview="服" * 1500),
                           today=TODAY)
    assert len(ok.activity_overview) == 1500


def test_the_report_prints_the_figures(register, tmp_path):
    oid = org()
    year_figures.save(filled(oid), today=TODAY)
    data = annual_report.data_for(oid, 2025, TODAY)
    assert data.staff.full_time == 3 and data.staff.part_time == 5
    assert data.org.unit_members == 12 and data.org.individual_members == 230
    assert data.activity_overview == "全年开展敬老助老服务。"
    assert data.meetings == (rpt.MeetingRow("会员大会", dt.date(2025, 1, 18), "每年至少召开1次",
                                            "应到230人，实到201人", "审议通过年度工作报告"),)
    assert data.finance is not None
    assert data.finance.balance.current_assets == rpt.Balance(1_234_567, 1_500_000)
    assert data.finance.balance.unrestricted_net_assets == rpt.Balance(-20_000, 10_000)
    assert data.finance.balance.fixed_assets == rpt.Balance(0, 0)
    assert data.finance.activity.donation == rpt.Split(800_000, 200_000)
    assert data.remarks == "无"
    text = text_of(rpt.render_annual_report(data), tmp_path)
    assert "12,345.67" in text
    assert "-200.00" in text
    assert "审议通过年度工作报告" in text
    assert "全年开展敬老助老服务。" in text


def test_without_figures_the_statements_are_blank(register, tmp_path):
    oid = org()
    year_figures.save(YearFigures(org_id=oid, year=2025, staff_full_time=2), today=TODAY)
    data = annual_report.data_for(oid, 2025, TODAY)
    assert data.finance is None and data.staff.full_time == 2
    text = text_of(rpt.render_annual_report(data), tmp_path)
    lines = text.splitlines()
    row = next(line for line in lines if line.startswith("流动资产合计"))
    assert row.split() == ["流动资产合计", "1"]        # no amounts: a ruled blank
    assert "0.00" not in next(line for line in lines if line.startswith("捐赠收入")
                              or "捐赠收入" in line)
