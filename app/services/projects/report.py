"""The report of one purchased-service project (绩效评价报告), filled from the register.

`data_for` gathers `reports.project_report.ProjectReportData`; `render` prints it. One query per
table (project, tranches, payments, budget lines, indicators, milestones, evaluation, documents,
activities and their hours): a project with 50 indicators and 20 payments is a few
milliseconds to gather and well under a second to print.

What comes from where:

* cover and basic data: the `project` row, its purchaser and contractor; the contract amount
  in capitals from `app.domain.projects.money.chinese_capitals`;
* budget execution: the `budget_line` rows (财政资金 / 单位资金 / 其他资金); a project with no
  lines prints the fiscal row from the project itself (budget, contract amount, paid);
* payments: each tranche in order with its payments (a tranche not paid yet prints once with
  blank payment columns), then payments outside any tranche as 计划外;
* indicators, milestones: their rows in order;
* conclusion, score, grade, problems, suggestions: the newest final evaluation, else the newest
  mid-term review; without a recorded score the indicators' and budget lines' scores add up
  to it, and the grade follows the score's band;
* services and volunteer hours: activities linked to the project (not cancelled) with their
  approved service records, each reversal netting its record out.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

import peewee as pw

from app.domain.errors import NotFoundError
from app.domain.hours import ActivityStatus, Kind, RecordStatus
from app.domain.labels import LabelledEnum
from app.domain.projects.kinds import (
    Grade,
    IndicatorLevel1,
    IndicatorLevel2,
    PurchaseMethod,
    grade_for,
)
from app.domain.projects.lifecycle import ProjectStatus
from app.domain.projects.money import chinese_capitals
from app.store.db import tuples
from app.store.models import (
    Activity,
    BudgetLine,
    Indicator,
    Milestone,
    Organization,
    Payment,
    Project,
    ProjectDocument,
    ProjectEvaluation,
    Purchaser,
    ServiceRecord,
    Tranche,
)
from reports import project_report as rpt
from reports.annual_report import chinese_date

SOURCES = {"fiscal": "财政资金", "own": "单位资金", "other": "其他资金"}
EVALUATION_KINDS = {"final": "结项评价", "mid_term": "中期评估"}
UNPLANNED = "计划外"


def _label(enum: type[LabelledEnum], value: str) -> str:
    """The Chinese label of a stored value; text that is no member prints as it is."""
    try:
        return enum(value).label
    except ValueError:
        try:
            return enum.from_label(value).label
        except ValueError:
            return value


def _dec(value: Any) -> Decimal | None:
    return None if value is None else Decimal(value)


def _evaluation(project_id: int) -> ProjectEvaluation | None:
    """The newest final evaluation, else the newest mid-term review."""
    rows = list(ProjectEvaluation.select().where(ProjectEvaluation.project == project_id)
                .order_by(ProjectEvaluation.on.desc(), ProjectEvaluation.id.desc()))
    return next((r for r in rows if r.kind == "final"), rows[0] if rows else None)


def _budget(project: Project) -> list[rpt.BudgetRow]:
    lines = {b.source: b for b in BudgetLine.select().where(BudgetLine.project == project.id)}
    if not lines:
        adjusted = project.contract_amount_fen or project.budget_fen
        return [rpt.BudgetRow(SOURCES["fiscal"], project.budget_fen, adjusted,
                              project.paid_fen)]
    order = [*SOURCES, *sorted(set(lines) - set(SOURCES))]
    return [rpt.BudgetRow(SOURCES.get(key, key), b.initial_fen, b.adjusted_fen, b.executed_fen,
                          _dec(b.weight), _dec(b.score), b.reason)
            for key in order if (b := lines.get(key)) is not None]


def _payments(project_id: int) -> list[rpt.PaymentRow]:
    tranches = list(Tranche.select().where(Tranche.project == project_id)
                    .order_by(Tranche.seq, Tranche.id))
    paid: dict[int | None, list[tuple[dt.date | None, int | None]]] = defaultdict(list)
    for tranche_id, paid_on, amount in tuples(
            Payment.select(Payment.tranche, Payment.paid_on, Payment.amount_fen)
            .where(Payment.project == project_id).order_by(Payment.paid_on, Payment.id)):
        paid[tranche_id].append((paid_on, int(amount)))
    rows: list[rpt.PaymentRow] = []
    for t in tranches:
        batch = f"第{t.seq}批"
        payments = paid.get(t.id) or [(None, None)]
        for n, (paid_on, amount) in enumerate(payments):
            first = n == 0
            rows.append(rpt.PaymentRow(
                batch, t.condition if first else "", int(t.planned_fen) if first else None,
                t.due_on if first else None, paid_on, amount))
    known = {t.id for t in tranches}
    for tranche_id, payments in paid.items():
        if tranche_id in known:
            continue
        rows += [rpt.PaymentRow(UNPLANNED, paid_on=paid_on, amount_fen=amount)
                 for paid_on, amount in payments]
    return rows


def _indicators(project_id: int) -> list[rpt.IndicatorRow]:
    query = (Indicator.select().where(Indicator.project == project_id)
             .order_by(Indicator.seq, Indicator.id))
    return [rpt.IndicatorRow(_label(IndicatorLevel1, i.level1), _label(IndicatorLevel2, i.level2),
                             i.name, i.unit, i.target, i.actual, Decimal(i.weight or 0),
                             _dec(i.score), i.deviation) for i in query]


def _milestones(project_id: int) -> list[rpt.MilestoneRow]:
    query = (Milestone.select().where(Milestone.project == project_id)
             .order_by(Milestone.due_on.is_null(), Milestone.due_on, Milestone.id))
    return [rpt.MilestoneRow(m.name, m.due_on, m.done_on, m.note) for m in query]


def _services(project_id: int) -> tuple[list[rpt.ServiceLine], int, int]:
    """Linked activities (not cancelled) with the volunteers whose approved records stand
    (a reversal nets its record out) and their minutes; the distinct volunteers and the
    minutes over all."""
    cond = ((Activity.project_id == project_id)
            & (Activity.status != str(ActivityStatus.CANCELLED)))
    acts = tuples(Activity.select(Activity.id, Activity.name, Activity.starts_at)
                  .where(cond).order_by(Activity.starts_at, Activity.id))
    sums = tuples(ServiceRecord.select(
        ServiceRecord.activity, ServiceRecord.volunteer, pw.fn.SUM(ServiceRecord.minutes),
        pw.fn.SUM(pw.Case(None, [(ServiceRecord.kind == str(Kind.REVERSAL), -1)], 1)))
        .where((ServiceRecord.status == str(RecordStatus.APPROVED))
               & ServiceRecord.activity.in_(Activity.select(Activity.id).where(cond)))
        .group_by(ServiceRecord.activity, ServiceRecord.volunteer))
    people: dict[int, int] = defaultdict(int)
    minutes: dict[int, int] = defaultdict(int)
    everyone: set[int] = set()
    for aid, vid, mins, count in sums:
        if not count or count <= 0:
            continue
        people[aid] += 1
        minutes[aid] += int(mins or 0)
        everyone.add(vid)
    lines = [rpt.ServiceLine(name, starts.date(), people[aid], minutes[aid])
             for aid, name, starts in acts]
    return lines, len(everyone), sum(minutes.values())


def _work_done(project: Project, evaluation: ProjectEvaluation | None, evaluator: str,
               indicators: list[rpt.IndicatorRow]) -> str:
    """二、评价工作开展情况, as far as the register tells it."""
    if evaluation is None:
        return ""
    level1 = len({i.level1 for i in indicators})
    level2 = len({(i.level1, i.level2) for i in indicators})
    who = evaluator or "评价机构"
    kind = EVALUATION_KINDS.get(evaluation.kind, evaluation.kind)
    term = ""
    if project.starts_on and project.ends_on:
        term = (f"（{chinese_date(project.starts_on)}至"
                f"{chinese_date(project.ends_on)}）")
    text = (f"{who}于{chinese_date(evaluation.on)}对项目开展{kind}，评价范围为项目服务期"
            f"{term}内的资金使用、组织实施、产出和效益情况。")
    if indicators:
        text += (f"评价依据项目绩效指标体系进行，共设一级指标{level1}个、二级指标{level2}个、"
                 f"三级指标{len(indicators)}个。")
    if evaluation.remarks:
        text += "\n" + evaluation.remarks
    return text


def _score(evaluation: ProjectEvaluation | None, budget: list[rpt.BudgetRow],
           indicators: list[rpt.IndicatorRow]) -> tuple[Decimal | None, str]:
    """The recorded score and grade; else the scores added up and their band."""
    score = _dec(evaluation.score) if evaluation is not None else None
    grade = evaluation.grade if evaluation is not None else ""
    if score is None:
        parts = [b.score for b in budget] + [i.score for i in indicators]
        present = [p for p in parts if p is not None]
        score = sum(present, Decimal(0)) if present else None
    if grade:
        return score, _label(Grade, grade)
    return score, grade_for(float(score)).label if score is not None else ""


def data_for(project_id: int, today: dt.date | None = None) -> rpt.ProjectReportData:
    """Everything the report prints for one project, as of `today` (the report date).

    Raises:
        NotFoundError: no such project.
    """
    project = Project.get_or_none(Project.id == project_id)
    if project is None:
        raise NotFoundError(f"找不到该项目（内部编号{project_id}）")
    purchaser = Purchaser.get_by_id(project.purchaser_id).name
    contractor = ""
    if project.contractor_id is not None:
        org = (Organization.select(Organization.name)
               .where(Organization.id == project.contractor_id).first())
        contractor = org.name if org else ""
    evaluation = _evaluation(project_id)
    evaluator = (evaluation.evaluator if evaluation and evaluation.evaluator
                 else project.evaluator)
    budget = _budget(project)
    indicators = _indicators(project_id)
    services, volunteers, minutes = _services(project_id)
    score, grade = _score(evaluation, budget, indicators)
    attachments = [title for (title,) in tuples(
        ProjectDocument.select(ProjectDocument.title)
        .where(ProjectDocument.project == project_id)
        .order_by(ProjectDocument.added_at, ProjectDocument.id))]
    contract = project.contract_amount_fen
    other = project.remarks
    if project.contractor_warning:
        other = f"承接主体情况说明：{project.contractor_warning}" + (other and f"\n{other}")
    return rpt.ProjectReportData(
        number=project.number, name=project.name, purchaser=purchaser, contractor=contractor,
        report_date=today or dt.date.today(),
        method=_label(PurchaseMethod, project.method),
        status=_label(ProjectStatus, project.status),
        budget_fen=int(project.budget_fen),
        contract_fen=None if contract is None else int(contract),
        contract_capitals="" if contract is None else chinese_capitals(int(contract)),
        paid_fen=int(project.paid_fen), signed_on=project.signed_on,
        starts_on=project.starts_on, ends_on=project.ends_on,
        service_area=project.service_area, target_group=project.target_group,
        content=project.content, lead=project.lead, finance_lead=project.finance_lead,
        evaluator=evaluator,
        evaluation_kind=EVALUATION_KINDS.get(evaluation.kind, "") if evaluation else "",
        evaluated_on=evaluation.on if evaluation else None, score=score, grade=grade,
        work_done=_work_done(project, evaluation, evaluator, indicators),
        conclusion=evaluation.conclusion if evaluation else "",
        problems=evaluation.problems if evaluation else "",
        suggestions=evaluation.suggestions if evaluation else "",
        other=other, budget=budget, payments=_payments(project_id), indicators=indicators,
        milestones=_milestones(project_id), services=services, volunteers=volunteers,
        volunteer_minutes=minutes, attachments=attachments)


def render(project_id: int, today: dt.date | None = None) -> bytes:
    """The project's report as PDF bytes.

    Raises:
        NotFoundError: no such project.
        reports.fonts.FontMissingError: no CJK font installed.
    """
    return rpt.render_project_report(data_for(project_id, today))
