"""Indicators in the three official levels, milestones, and evaluations."""

import datetime as dt
from decimal import Decimal

import pytest

from app.domain.errors import FormErrors, ValidationError
from app.domain.projects.kinds import Grade, IndicatorLevel1, IndicatorLevel2
from app.services.projects import evaluation, indicators, milestones
from app.services.projects.indicators import IndicatorDraft

TODAY = dt.date(2026, 4, 1)
SIGNED = dt.date(2026, 4, 10)


L1, L2 = IndicatorLevel1, IndicatorLevel2


def test_indicators_are_ordered_by_level_and_scored(register, kit):
    pid = kit.new_project()
    lines = indicators.set_indicators(pid, [
        IndicatorDraft(L1.SATISFACTION, L2.SERVICE_SATISFACTION, "服务对象满意度", "%", "≥90",
                       "95", Decimal(10), Decimal(10)),
        IndicatorDraft(L1.OUTPUT, L2.QUALITY, "服务质量达标率", "%", "100", "98",
                       Decimal(20), Decimal("18.5"), "个别记录不全，已整改"),
        IndicatorDraft(L1.OUTPUT, L2.QUANTITY, "入户探访", "人次", "1200", "1260", Decimal(30),
                       Decimal(30)),
        IndicatorDraft(L1.OUTCOME, L2.SOCIAL, "独居老人紧急求助响应", "", "及时", "及时",
                       Decimal(20)),
        IndicatorDraft(L1.OUTPUT, L2.QUANTITY, "志愿者培训", "场", "6", "6", Decimal(10),
                       Decimal(10)),
    ])
    assert [(x.level1_label, x.level2_label, x.name) for x in lines] == [
        ("产出指标", "数量指标", "入户探访"), ("产出指标", "数量指标", "志愿者培训"),
        ("产出指标", "质量指标", "服务质量达标率"),
        ("效益指标", "社会效益指标", "独居老人紧急求助响应"),
        ("满意度指标", "服务对象满意度指标", "服务对象满意度")]
    assert lines[2].deviation == "个别记录不全，已整改" and lines[2].score == Decimal("18.50")
    assert lines[3].score is None and lines[3].weight == Decimal("20.00")
    assert indicators.indicators(pid) == lines
    assert indicators.score_total(pid) == Decimal("68.50")
    assert indicators.weight_total(pid) == Decimal("90.00")
    indicators.set_indicators(pid, lines_as_drafts(lines[:1]))  # replaces the whole set
    assert [x.name for x in indicators.indicators(pid)] == ["入户探访"]
    assert indicators.score_total(kit.new_project(name="空项目")) is None


def lines_as_drafts(lines):
    return [IndicatorDraft(x.level1, x.level2, x.name, x.unit, x.target, x.actual, x.weight,
                           x.score, x.deviation) for x in lines]


def test_indicator_rules(register, kit):
    pid = kit.new_project()
    with pytest.raises(FormErrors) as exc:
        indicators.set_indicators(pid, [
            IndicatorDraft(L1.OUTPUT, L2.SOCIAL, "错放的指标", weight=Decimal(10)),
            IndicatorDraft(L1.OUTPUT, L2.QUANTITY, "", weight=Decimal(10)),
            IndicatorDraft(L1.OUTPUT, L2.COST, "成本", weight=Decimal(101)),
            IndicatorDraft(L1.OUTPUT, L2.TIMELINESS, "及时率", weight=Decimal(60),
                           score=Decimal(70)),
            IndicatorDraft(L1.OUTPUT, L2.QUALITY, "质量", unit="单" * 21, weight=Decimal(40)),
        ])
    errors = exc.value.errors
    assert errors["indicators[0].level2"] == ("第1项：“社会效益指标”不属于“产出指标”"
                                              "（可选：数量指标、质量指标、时效指标、成本指标）")
    assert errors["indicators[1].name"] == "第2项：请填写指标名称"
    assert errors["indicators[2].weight"] == "第3项：权重应在0到100之间"
    assert errors["indicators[3].score"] == "第4项：得分70不能超过权重60"
    assert errors["indicators[4].unit"] == "第5项：计量单位不能超过20个字"
    assert errors["indicators"] == "各项指标权重合计120，不能超过100"
    assert indicators.indicators(pid) == []


def test_milestones(register, kit):
    pid = kit.new_project()
    late = milestones.add_milestone(pid, "完成需求调研", dt.date(2026, 5, 20))
    milestones.add_milestone(pid, "结项总结", None)
    milestones.add_milestone(pid, "中期报告", dt.date(2026, 10, 31), note="报区民政局")
    lines = milestones.milestones(pid, today=dt.date(2026, 6, 1))
    assert [(x.name, x.overdue) for x in lines] == [
        ("完成需求调研", True), ("中期报告", False), ("结项总结", False)]
    done = milestones.complete(late.id, dt.date(2026, 5, 28))
    assert done.done and not done.overdue and done.done_on == dt.date(2026, 5, 28)
    assert not milestones.milestones(pid, today=dt.date(2026, 6, 1))[0].overdue
    with pytest.raises(ValidationError, match="不能晚于今天"):
        milestones.complete(late.id, dt.date.today() + dt.timedelta(days=1))
    assert milestones.reopen(late.id).done_on is None
    moved = milestones.update_milestone(late.id, "需求调研", dt.date(2026, 6, 30))
    assert (moved.name, moved.due_on) == ("需求调研", dt.date(2026, 6, 30))
    with pytest.raises(FormErrors):
        milestones.add_milestone(pid, "  ")


def test_evaluations_take_the_grade_from_the_score(register, kit):
    pid = kit.new_project()
    mid = evaluation.record_evaluation(pid, "mid_term", dt.date(2026, 8, 1), "江城评估中心",
                                       Decimal("78.456"), problems="台账不全")
    assert (mid.kind_label, mid.score, mid.grade, mid.grade_label) == (
        "中期评估", Decimal("78.46"), Grade.PASS, "合格")
    final = evaluation.record_evaluation(
        pid, "final", dt.date(2027, 5, 10), "江城评估中心", Decimal(91), conclusion="圆满完成",
        suggestions="扩大覆盖面", remarks="第三方评价")
    assert final.grade is Grade.EXCELLENT and final.suggestions == "扩大覆盖面"
    chosen = evaluation.record_evaluation(pid, "final", dt.date(2027, 5, 12),
                                          score=Decimal(91), grade=Grade.GOOD)
    assert chosen.grade is Grade.GOOD  # the evaluator's grade stands
    ungraded = evaluation.record_evaluation(pid, "mid_term", dt.date(2026, 9, 1))
    assert ungraded.grade is None and ungraded.score is None and ungraded.grade_label == ""
    assert [x.on for x in evaluation.evaluations(pid)] == [
        dt.date(2026, 8, 1), dt.date(2026, 9, 1), dt.date(2027, 5, 10), dt.date(2027, 5, 12)]
    assert evaluation.latest(pid) == chosen
    with pytest.raises(FormErrors) as exc:
        evaluation.record_evaluation(pid, "annual", dt.date(2026, 8, 1), score=Decimal(101))
    assert set(exc.value.errors) == {"kind", "score"}
