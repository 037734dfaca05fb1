"""Inspections, credit lists, ratings and standing through the service."""

import datetime as dt

import pytest

from app.domain.errors import FormErrors, ValidationError
from app.domain.orgs.draft import OrgDraft
from app.domain.orgs.kinds import CreditListKind, InspectionResult, OrgKind, Rating
from app.domain.orgs.legal_status import LegalStatus
from app.services.orgs import inspections, legal, registration
from app.store.models import Organization, OrgInspection

D = dt.date
R = InspectionResult
TODAY = D(2025, 7, 1)


def registered(on: D, kind: OrgKind = OrgKind.SOCIAL_GROUP,
               code: str = "51420000MJH200395N", **kw) -> int:
    return registration.create(OrgDraft(name="夕阳红志愿服务协会", kind=kind, credit_code=code,
                                        **kw), LegalStatus.REGISTERED, on).id


def test_record_is_one_row_per_year_and_checks_dates(register):
    oid = registered(D(2021, 3, 1))
    inspections.record(oid, 2023, submitted_on=D(2024, 4, 2), today=TODAY)
    line = inspections.record(oid, 2023, submitted_on=D(2024, 4, 2), result=R.PASS,
                              concluded_on=D(2024, 6, 1), today=TODAY)
    assert line.recorded and line.result_label == "合格" and not line.overdue
    assert OrgInspection.select().count() == 1
    with pytest.raises(FormErrors) as exc:
        inspections.record(oid, 2024, submitted_on=D(2025, 8, 1), today=TODAY)
    assert "submitted_on" in exc.value.errors
    with pytest.raises(FormErrors) as exc:
        inspections.record(oid, 2024, result=R.PASS, today=TODAY)
    assert "报送" in exc.value.errors["submitted_on"]
    with pytest.raises(FormErrors):
        inspections.record(oid, 2024, submitted_on=D(2024, 12, 1), today=TODAY)


def test_years_owing_nothing_are_refused_with_the_reason(register):
    oid = registered(D(2021, 3, 1))
    with pytest.raises(ValidationError, match="2021年3月1日登记，2020年度无需年检"):
        inspections.record(oid, 2020, today=TODAY)
    pne = registered(D(2022, 8, 15), OrgKind.PRIVATE_NON_ENTERPRISE, "52420000MJH233402K")
    with pytest.raises(ValidationError, match="不满6个月"):
        inspections.record(pne, 2022, today=TODAY)
    community = registration.create(OrgDraft(name="邻里互助会", kind=OrgKind.COMMUNITY),
                                    LegalStatus.FILED, D(2020, 1, 1)).id
    with pytest.raises(ValidationError, match="社区社会组织"):
        inspections.record(community, 2022, today=TODAY)


def test_history_marks_missing_and_overdue_years(register):
    oid = registered(D(2021, 3, 1), supervisor_unit="区民政局")
    inspections.record(oid, 2022, submitted_on=D(2023, 5, 2), result=R.BASIC_PASS,
                       today=TODAY)
    lines = inspections.history(oid, TODAY)
    assert [(x.year, x.recorded, x.overdue, x.result_label) for x in lines] == [
        (2024, False, True, "逾期未报送"),  # deadline 2025-05-31 passed
        (2023, False, True, "逾期未报送"),
        (2022, True, False, "基本合格"),
        (2021, False, True, "逾期未报送"),
    ]
    assert lines[0].deadline == D(2025, 5, 31)
    assert lines[0].due is not None and lines[0].due.supervisor_deadline == D(2025, 3, 31)
    early = inspections.history(oid, D(2025, 5, 31))  # the deadline day itself is in time
    assert (early[0].year, early[0].overdue, early[0].result_label) == (2024, False, "待报送")


def test_six_month_rule_shows_in_history(register):
    late = registered(D(2022, 7, 1), OrgKind.PRIVATE_NON_ENTERPRISE, "52420000MJH233402K")
    early = registered(D(2022, 6, 30), OrgKind.PRIVATE_NON_ENTERPRISE, "53420000MJH2448303")
    assert [x.year for x in inspections.history(late, TODAY)] == [2024, 2023]
    assert [x.year for x in inspections.history(early, TODAY)] == [2024, 2023, 2022]


def test_credit_entry_removal_and_suggestion(register):
    oid = registered(D(2021, 3, 1))
    suggestion = inspections.suggestion(oid, TODAY)
    assert suggestion is not None and suggestion.list_kind is CreditListKind.ABNORMAL
    assert suggestion.years == (2021, 2022, 2023, 2024)
    with pytest.raises(FormErrors) as exc:
        inspections.list_entry(oid, CreditListKind.ABNORMAL, D(2024, 7, 1), " ")
    assert "reason" in exc.value.errors
    entry = inspections.list_entry(oid, CreditListKind.ABNORMAL, D(2023, 7, 1),
                                   "未按规定参加年检", "武汉市民政局")
    with pytest.raises(FormErrors, match="尚未移出"):
        inspections.list_entry(oid, CreditListKind.ABNORMAL, D(2023, 8, 1), "重复")
    assert inspections.suggestion(oid, D(2025, 6, 30)) is None  # listed, under two years
    serious = inspections.suggestion(oid, D(2025, 7, 1))
    assert serious is not None and serious.list_kind is CreditListKind.SERIOUS
    with pytest.raises(FormErrors):
        inspections.remove_entry(entry.id, D(2023, 1, 1), "已补报")
    removed = inspections.remove_entry(entry.id, D(2024, 6, 1), "已补报年检")
    assert not removed.active and removed.removal_reason == "已补报年检"
    with pytest.raises(FormErrors, match="已于"):
        inspections.remove_entry(entry.id, D(2024, 6, 2), "再次")
    after = inspections.suggestion(oid, TODAY)  # only years whose deadline came after removal
    assert after is not None and after.years == (2024,)
    assert [(e.list_label, e.active) for e in inspections.credit_entries(oid)] == [
        ("活动异常名录", False)]


def test_rating_refused_when_ineligible_then_recorded(register):
    oid = registered(D(2022, 5, 1))
    with pytest.raises(ValidationError, match="2025年1月1日起方可申请评估"):
        inspections.rate(oid, Rating.A3, D(2024, 12, 1))
    assert Organization.get_by_id(oid).rating == ""
    line = inspections.rate(oid, Rating.A4, D(2025, 3, 1), "第三方评估机构")
    assert line.valid_until == D(2030, 2, 28)
    rec = registration.get(oid)
    assert rec.rating is Rating.A4 and rec.rated_on == D(2025, 3, 1)
    assert [(r.label, r.valid_on_today) for r in inspections.ratings(oid, D(2030, 3, 1))] == [
        ("4A级", False)]
    inspections.list_entry(oid, CreditListKind.SERIOUS, D(2025, 4, 1), "虚假材料")
    with pytest.raises(ValidationError, match="严重违法失信名单"):
        inspections.rate(oid, Rating.A5, D(2025, 5, 1))


def test_standing_lists_every_problem(register):
    good = registered(D(2021, 3, 1))
    for year in (2021, 2022, 2023, 2024):
        inspections.record(good, year, submitted_on=D(year + 1, 4, 1), result=R.PASS,
                           today=TODAY)
    assert inspections.standing(good, TODAY) == inspections.Standing(True, ())
    inspections.record(good, 2024, submitted_on=D(2025, 4, 1), result=R.FAIL, today=TODAY)
    inspections.list_entry(good, CreditListKind.ABNORMAL, D(2025, 6, 1), "年检不合格")
    problems = inspections.standing(good, TODAY).problems
    assert problems == ("自2025年6月1日列入活动异常名录：年检不合格", "2024年度年检结论为不合格")
    late = registered(D(2022, 3, 1), OrgKind.FOUNDATION, "53420000MJH2448303")
    assert inspections.standing(late, TODAY).problems == (
        "2022、2023、2024年度年检逾期未报送（最近一次截止2025年3月31日）",)
    legal.move(late, LegalStatus.DEREGISTERED, D(2025, 6, 1))
    gone = inspections.standing(late, TODAY)
    assert not gone.ok and gone.problems == ("已于2025年6月1日注销",)
