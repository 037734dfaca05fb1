"""The project report filled from the register: money, indicators, evaluation and hours."""

import datetime as dt
from decimal import Decimal

import pdfplumber
import pytest

from app.domain.errors import NotFoundError
from app.domain.orgs.draft import OrgDraft
from app.domain.orgs.kinds import OrgKind
from app.domain.orgs.legal_status import LegalStatus
from app.domain.projects.draft import ProjectDraft
from app.domain.projects.kinds import PurchaseMethod
from app.domain.volunteer import IdType, VolunteerDraft
from app.services.orgs import registration as orgs
from app.services.projects import registration, report
from app.services.volunteers import registration as volunteers
from app.store.models import (
    Activity,
    BudgetLine,
    Indicator,
    Milestone,
    Payment,
    Project,
    ProjectDocument,
    ProjectEvaluation,
    ServiceRecord,
    Tranche,
)

TODAY = dt.date(2026, 12, 28)


def project(**kw) -> int:
    contractor = orgs.create(OrgDraft(name="阳光社工服务中心", kind=OrgKind.PRIVATE_NON_ENTERPRISE,
                                      credit_code="52420000MJH233402K"),
                             LegalStatus.REGISTERED, dt.date(2025, 6, 1)).id
    values = {"name": "社区居家养老服务项目", "method": PurchaseMethod.CONSULTATION,
              "purchaser_id": registration.purchaser_id_for("江岸区民政局"),
              "contractor_id": contractor, "budget_fen": 50_000_000,
              "contract_amount_fen": 48_000_000, "signed_on": dt.date(2025, 12, 20),
              "starts_on": dt.date(2026, 1, 1), "ends_on": dt.date(2026, 12, 31),
              "lead": "王芳", "finance_lead": "李娜", "evaluator": "区财政局"}
    values.update(kw)
    return registration.create(ProjectDraft(**values), today=dt.date(2025, 12, 1)).id


def person(i: int) -> int:
    return volunteers.register(VolunteerDraft(
        name=f"志愿者{'甲乙丙丁戊'[i]}", id_type=IdType.PASSPORT, id_number=f"E1234567{i}",
        sex="F", birth_date=dt.date(1980, 1, 1), phone=f"1380013800{i}",
        registered_on=dt.date(2024, 1, 5))).id


def activity(pid: int | None, name: str, start: dt.datetime, **kw) -> int:
    return Activity.create(name=name, project_id=pid, starts_at=start,
                           ends_at=start + dt.timedelta(hours=3), **kw).id


def served(vol: int, act: int, minutes: int, **kw) -> ServiceRecord:
    return ServiceRecord.create(volunteer=vol, activity=act, kind=kw.pop("kind", "manual"),
                                status=kw.pop("status", "approved"),
                                started_at=dt.datetime(2026, 10, 29, 9), minutes=minutes, **kw)


def paid(pid: int, tranche: Tranche | None, on: dt.date, fen: int) -> None:
    Payment.create(project=pid, tranche=tranche, paid_on=on, amount_fen=fen)
    Project.update(paid_fen=Project.paid_fen + fen).where(Project.id == pid).execute()


def test_hours_count_only_approved_records_that_stand(register):
    pid = project()
    a, b, c, d = person(0), person(1), person(2), person(3)
    act = activity(pid, "重阳节敬老活动", dt.datetime(2026, 10, 29, 9))
    served(a, act, 120)
    served(b, act, 90)
    gone = served(c, act, 60)
    served(c, act, -60, kind="reversal", reverses=gone.id)     # reversed: not counted
    served(d, act, 45, status="pending")                        # not approved yet
    served(d, act, 30, status="rejected")
    later = activity(pid, "健康讲座", dt.datetime(2026, 11, 5, 14))
    served(a, later, 60)
    activity(pid, "取消的活动", dt.datetime(2026, 6, 1, 9), status="cancelled")
    other = activity(None, "别的活动", dt.datetime(2026, 7, 1, 9))
    served(b, other, 600)
    data = report.data_for(pid, TODAY)
    assert [(s.activity, s.held_on, s.volunteers, s.minutes) for s in data.services] == [
        ("重阳节敬老活动", dt.date(2026, 10, 29), 2, 210),
        ("健康讲座", dt.date(2026, 11, 5), 1, 60)]
    assert (data.volunteers, data.volunteer_minutes) == (2, 270)


def test_budget_payments_indicators_and_the_final_evaluation(register):
    pid = project(remarks="项目档案已归档。")
    BudgetLine.create(project=pid, source="own", initial_fen=2_000_000, adjusted_fen=2_000_000,
                      executed_fen=1_500_000)
    BudgetLine.create(project=pid, source="fiscal", initial_fen=50_000_000,
                      adjusted_fen=48_000_000, executed_fen=46_000_000, weight=10, score=9.5,
                      reason="尾款待审计后拨付")
    first = Tranche.create(project=pid, seq=1, planned_fen=19_200_000, share=40,
                           condition="合同签订后", due_on=dt.date(2026, 1, 15))
    Tranche.create(project=pid, seq=2, planned_fen=14_400_000, condition="中期评估合格后",
                   due_on=dt.date(2026, 7, 15))
    paid(pid, first, dt.date(2026, 1, 10), 10_000_000)
    paid(pid, first, dt.date(2026, 1, 20), 9_200_000)
    paid(pid, None, dt.date(2026, 3, 1), 500_000)
    Indicator.create(project=pid, seq=2, level1="outcome", level2="social", name="居民满意率提升",
                     target="≥90", actual="93", unit="%", weight=20, score=19)
    Indicator.create(project=pid, seq=1, level1="output", level2="quantity", name="服务人次",
                     target="3000", actual="3120", unit="人次", weight=30, score=30)
    Milestone.create(project=pid, name="中期评估", due_on=dt.date(2026, 6, 30))
    Milestone.create(project=pid, name="项目启动", due_on=dt.date(2026, 1, 10),
                     done_on=dt.date(2026, 1, 9))
    ProjectEvaluation.create(project=pid, kind="mid_term", on=dt.date(2026, 7, 1), score=70,
                             grade="pass", conclusion="中期结论")
    ProjectEvaluation.create(project=pid, kind="final", on=dt.date(2026, 12, 20), score=92.5,
                             grade="excellent", evaluator="湖北公益评估中心",
                             conclusion="终期结论", problems="问题", suggestions="建议",
                             remarks="采用问卷调查。")
    ProjectDocument.create(project=pid, title="项目合同", file_name="a.pdf", stored_as="x",
                           sha256="0" * 64, size=1)
    data = report.data_for(pid, TODAY)
    assert data.contract_capitals == "肆拾捌万元整" and data.contract_fen == 48_000_000
    assert (data.contractor, data.purchaser, data.method) == ("阳光社工服务中心", "江岸区民政局",
                                                              "竞争性磋商")
    assert [(b.source, b.adjusted_fen, b.executed_fen) for b in data.budget] == [
        ("财政资金", 48_000_000, 46_000_000), ("单位资金", 2_000_000, 1_500_000)]
    assert data.budget[0].weight == Decimal(10) and data.budget[0].score == Decimal("9.5")
    assert [(p.batch, p.planned_fen, p.paid_on, p.amount_fen) for p in data.payments] == [
        ("第1批", 19_200_000, dt.date(2026, 1, 10), 10_000_000),
        ("第1批", None, dt.date(2026, 1, 20), 9_200_000),
        ("第2批", 14_400_000, None, None),
        ("计划外", None, dt.date(2026, 3, 1), 500_000)]
    assert [(i.level1, i.level2, i.name) for i in data.indicators] == [
        ("产出指标", "数量指标", "服务人次"), ("效益指标", "社会效益指标", "居民满意率提升")]
    assert [m.name for m in data.milestones] == ["项目启动", "中期评估"]
    assert (data.evaluation_kind, data.score, data.grade, data.evaluator) == (
        "结项评价", Decimal("92.5"), "优秀", "湖北公益评估中心")
    assert (data.conclusion, data.problems, data.suggestions) == ("终期结论", "问题", "建议")
    assert "采用问卷调查。" in data.work_done and "三级指标2个" in data.work_done
    assert data.other == "项目档案已归档。" and list(data.attachments) == ["项目合同"]
    pdf = report.render(pid, TODAY)
    assert pdf[:5] == b"%PDF-"


def test_rates_read_back_from_the_pdf(register, tmp_path):
    pid = project()
    BudgetLine.create(project=pid, source="fiscal", initial_fen=50_000_000,
                      adjusted_fen=48_000_000, executed_fen=46_000_000)
    (tmp_path / "r.pdf").write_bytes(report.render(pid, TODAY))
    with pdfplumber.open(tmp_path / "r.pdf") as doc:
        text = "".join((p.extract_text() or "").replace(" ", "") for p in doc.pages)
    assert "95.83%" in text and "肆拾捌万元整" in text and "阳光社工服务中心" in text


def test_without_budget_lines_or_evaluation(register):
    pid = project(contract_amount_fen=None)
    Indicator.create(project=pid, level1="output", level2="quantity", name="服务人次",
                     weight=40, score=36)
    Indicator.create(project=pid, level1="satisfaction", level2="service_satisfaction",
                     name="服务对象满意度", weight=10, score=None)
    data = report.data_for(pid, TODAY)
    # the fiscal row comes from the project itself: budget, (no contract →) budget, paid
    assert [(b.source, b.initial_fen, b.adjusted_fen, b.executed_fen) for b in data.budget] == [
        ("财政资金", 50_000_000, 50_000_000, 0)]
    assert data.contract_fen is None and data.contract_capitals == ""
    assert (data.evaluation_kind, data.score, data.grade, data.work_done) == (
        "", Decimal(36), "不合格", "")
    assert data.evaluator == "区财政局"
    with pytest.raises(NotFoundError):
        report.data_for(pid + 99)
