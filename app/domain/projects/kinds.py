"""The closed vocabularies of a purchased-service project (DOMAIN.md §6, §7)."""

from __future__ import annotations

from app.domain.labels import LabelledEnum, set_labels


class PurchaseMethod(LabelledEnum):
    """采购方式 under the Government Procurement Law."""

    OPEN_TENDER = "open_tender"
    INVITED_TENDER = "invited_tender"
    NEGOTIATION = "negotiation"
    CONSULTATION = "consultation"
    SINGLE_SOURCE = "single_source"
    INQUIRY = "inquiry"
    FRAMEWORK = "framework"


set_labels(PurchaseMethod, {
    PurchaseMethod.OPEN_TENDER: "公开招标",
    PurchaseMethod.INVITED_TENDER: "邀请招标",
    PurchaseMethod.NEGOTIATION: "竞争性谈判",
    PurchaseMethod.CONSULTATION: "竞争性磋商",
    PurchaseMethod.SINGLE_SOURCE: "单一来源",
    PurchaseMethod.INQUIRY: "询价",
    PurchaseMethod.FRAMEWORK: "框架协议",
})


class IndicatorLevel1(LabelledEnum):
    """一级指标."""

    OUTPUT = "output"
    OUTCOME = "outcome"
    SATISFACTION = "satisfaction"


set_labels(IndicatorLevel1, {
    IndicatorLevel1.OUTPUT: "产出指标",
    IndicatorLevel1.OUTCOME: "效益指标",
    IndicatorLevel1.SATISFACTION: "满意度指标",
})


class IndicatorLevel2(LabelledEnum):
    """二级指标; which belong under which 一级 is `LEVEL2_UNDER`."""

    QUANTITY = "quantity"
    QUALITY = "quality"
    TIMELINESS = "timeliness"
    COST = "cost"
    SOCIAL = "social"
    SUSTAINABILITY = "sustainability"
    SERVICE_SATISFACTION = "service_satisfaction"


set_labels(IndicatorLevel2, {
    IndicatorLevel2.QUANTITY: "数量指标",
    IndicatorLevel2.QUALITY: "质量指标",
    IndicatorLevel2.TIMELINESS: "时效指标",
    IndicatorLevel2.COST: "成本指标",
    IndicatorLevel2.SOCIAL: "社会效益指标",
    IndicatorLevel2.SUSTAINABILITY: "可持续影响指标",
    IndicatorLevel2.SERVICE_SATISFACTION: "服务对象满意度指标",
})

LEVEL2_UNDER: dict[IndicatorLevel1, tuple[IndicatorLevel2, ...]] = {
    IndicatorLevel1.OUTPUT: (IndicatorLevel2.QUANTITY, IndicatorLevel2.QUALITY,
                             IndicatorLevel2.TIMELINESS, IndicatorLevel2.COST),
    IndicatorLevel1.OUTCOME: (IndicatorLevel2.SOCIAL, IndicatorLevel2.SUSTAINABILITY),
    IndicatorLevel1.SATISFACTION: (IndicatorLevel2.SERVICE_SATISFACTION,),
}


class Grade(LabelledEnum):
    """Evaluation grade (优秀/良好/合格/不合格), from the score as 财预〔2020〕10号 bands it."""

    EXCELLENT = "excellent"
    GOOD = "good"
    PASS = "pass"
    FAIL = "fail"


set_labels(Grade, {
    Grade.EXCELLENT: "优秀",
    Grade.GOOD: "良好",
    Grade.PASS: "合格",
    Grade.FAIL: "不合格",
})


def grade_for(score: float) -> Grade:
    """优秀 90–100, 良好 80–89, 合格 60–79, 不合格 below 60."""
    if score >= 90:
        return Grade.EXCELLENT
    if score >= 80:
        return Grade.GOOD
    if score >= 60:
        return Grade.PASS
    return Grade.FAIL
