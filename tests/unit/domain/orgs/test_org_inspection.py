import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.orgs.inspection import (
    InspectionDue,
    InspectionRecord,
    inspection_due,
    suggest_abnormal_list,
    years_due,
)
from app.domain.orgs.kinds import CreditListKind, InspectionResult, OrgKind

D = dt.date
SG, PNE, FND, COM = (OrgKind.SOCIAL_GROUP, OrgKind.PRIVATE_NON_ENTERPRISE, OrgKind.FOUNDATION,
                     OrgKind.COMMUNITY)


@pytest.mark.parametrize("kind", [SG, PNE])
def test_group_and_pne_with_supervisor(kind):
    due = inspection_due(kind, D(2020, 5, 6), None, True, 2025)
    assert due == InspectionDue(2025, kind, D(2026, 3, 31), D(2026, 5, 31))
    assert due.deadline == D(2026, 5, 31)
    assert due.opens_on == D(2026, 1, 1)


@pytest.mark.parametrize("kind", [SG, PNE])
def test_direct_registration_has_only_the_may_deadline(kind):
    due = inspection_due(kind, D(2020, 5, 6), None, False, 2025)
    assert due is not None
    assert due.supervisor_deadline is None
    assert due.authority_deadline == D(2026, 5, 31)


@pytest.mark.parametrize("has_supervisor", [True, False])
def test_foundation_by_march(has_supervisor):
    due = inspection_due(FND, D(2020, 5, 6), None, has_supervisor, 2025)
    assert due == InspectionDue(2025, FND, None, D(2026, 3, 31))


@pytest.mark.parametrize(("registered", "due"), [
    (D(2025, 6, 30), True),
    (D(2025, 7, 1), False),   # last six months: skips 2025
    (D(2025, 12, 31), False),
    (D(2025, 1, 1), True),
])
def test_six_month_rule_for_pne(registered, due):
    assert (inspection_due(PNE, registered, None, True, 2025) is not None) is due
    # the next year is due whatever the date
    assert inspection_due(PNE, registered, None, True, 2026) is not None


@pytest.mark.parametrize("kind", [SG, FND])
def test_six_month_rule_is_only_for_pne(kind):
    assert inspection_due(kind, D(2025, 12, 31), None, True, 2025) is not None


@pytest.mark.parametrize("kind", [SG, PNE, FND])
def test_year_boundary_of_registration(kind):
    assert inspection_due(kind, D(2026, 1, 1), None, True, 2025) is None
    assert inspection_due(kind, D(2025, 12, 31), None, True, 2026) is not None
    assert inspection_due(kind, D(2025, 1, 1), None, True, 2025) is not None


@pytest.mark.parametrize("kind", [SG, PNE, FND])
def test_year_boundary_of_deregistration(kind):
    registered = D(2015, 3, 1)
    assert inspection_due(kind, registered, D(2024, 12, 31), True, 2025) is None
    assert inspection_due(kind, registered, D(2025, 1, 1), True, 2025) is not None
    assert inspection_due(kind, registered, D(2024, 12, 31), True, 2024) is not None


def test_community_and_unregistered_have_none():
    assert inspection_due(COM, D(2020, 1, 1), None, False, 2025) is None
    assert inspection_due(SG, None, None, True, 2025) is None
    assert years_due(COM, D(2020, 1, 1), None, False, D(2026, 11, 23)) == ()
    assert years_due(SG, None, None, True, D(2026, 11, 23)) == ()


def test_years_due_up_to_today():
    today = D(2026, 11, 23)
    assert years_due(SG, D(2022, 9, 1), None, True, today) == (2022, 2023, 2024, 2025)
    assert years_due(PNE, D(2022, 9, 1), None, True, today) == (2023, 2024, 2025)
    assert years_due(FND, D(2022, 9, 1), D(2024, 5, 1), True, today) == (2022, 2023, 2024)
    assert years_due(SG, D(2026, 3, 1), None, True, today) == ()
    # on 1 January the year just ended becomes due
    assert years_due(SG, D(2024, 2, 1), None, True, D(2025, 12, 31)) == (2024,)
    assert years_due(SG, D(2024, 2, 1), None, True, D(2026, 1, 1)) == (2024, 2025)


@given(st.sampled_from([SG, PNE, FND]), st.dates(D(2000, 1, 1), D(2030, 12, 31)),
       st.booleans(), st.integers(1999, 2031))
def test_deadlines_fall_in_the_following_year(kind, registered, has_supervisor, year):
    due = inspection_due(kind, registered, None, has_supervisor, year)
    if due is None:
        assert registered.year > year or (kind is PNE and registered >= D(year, 7, 1))
        return
    assert due.deadline.year == year + 1
    assert due.supervisor_deadline is None or due.supervisor_deadline < due.deadline


def test_overdue_is_after_the_deadline_day():
    due = inspection_due(SG, D(2020, 1, 1), None, True, 2025)
    assert due is not None
    assert not due.is_overdue(None, D(2026, 5, 31))
    assert due.is_overdue(None, D(2026, 6, 1))
    assert not due.is_overdue(D(2026, 7, 1), D(2026, 8, 1))  # late but submitted


def _records(*records):
    return {r.year: r for r in records}


def test_missing_inspection_past_deadline_suggests_abnormal_list():
    registered = D(2023, 3, 1)
    records = _records(InspectionRecord(2023, D(2024, 4, 1), InspectionResult.PASS))
    assert suggest_abnormal_list(SG, registered, None, True, records, D(2025, 5, 31)) is None
    suggestion = suggest_abnormal_list(SG, registered, None, True, records, D(2025, 6, 1))
    assert suggestion is not None
    assert suggestion.list_kind is CreditListKind.ABNORMAL
    assert suggestion.years == (2024,)
    assert suggestion.reasons == ("2024年度年检未在2025年5月31日前提交",)


def test_foundation_is_late_after_march():
    suggestion = suggest_abnormal_list(FND, D(2023, 3, 1), None, True,
                                       _records(InspectionRecord(2023, D(2024, 3, 1))),
                                       D(2025, 4, 1))
    assert suggestion is not None
    assert suggestion.years == (2024,)


def test_failed_inspection_suggests_abnormal_list():
    records = _records(InspectionRecord(2023, D(2024, 4, 1), InspectionResult.FAIL),
                       InspectionRecord(2024, D(2025, 4, 1), InspectionResult.BASIC_PASS))
    suggestion = suggest_abnormal_list(SG, D(2023, 3, 1), None, True, records, D(2025, 8, 1))
    assert suggestion is not None
    assert suggestion.years == (2023,)
    assert suggestion.reasons == ("2023年度年检结论为不合格",)


def test_up_to_date_organization_gets_nothing():
    records = _records(InspectionRecord(2023, D(2024, 4, 1), InspectionResult.PASS),
                       InspectionRecord(2024, D(2025, 4, 1), None))
    assert suggest_abnormal_list(SG, D(2023, 3, 1), None, True, records, D(2025, 8, 1)) is None


def test_two_years_on_the_abnormal_list_suggests_serious_list():
    listed = D(2024, 6, 15)
    def suggest(today):
        return suggest_abnormal_list(SG, D(2020, 1, 1), None, True, {}, today,
                                     abnormal_listed_on=listed)

    assert suggest(D(2026, 6, 14)) is None
    suggestion = suggest(D(2026, 6, 15))
    assert suggestion is not None
    assert suggestion.list_kind is CreditListKind.SERIOUS
    assert suggestion.reasons == ("自2024年6月15日列入活动异常名录已满两年",)


def test_removed_from_the_list_forgets_years_dealt_with():
    records = _records(InspectionRecord(2023, D(2024, 4, 1), InspectionResult.FAIL))
    assert suggest_abnormal_list(SG, D(2023, 3, 1), None, True, records, D(2025, 3, 1),
                                 removed_on=D(2024, 9, 1)) is None


def test_deregistered_and_community_get_nothing():
    assert suggest_abnormal_list(SG, D(2020, 1, 1), D(2025, 1, 1), True, {},
                                 D(2026, 8, 1)) is None
    assert suggest_abnormal_list(COM, D(2020, 1, 1), None, False, {}, D(2026, 8, 1)) is None
