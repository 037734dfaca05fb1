import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.orgs.kinds import OrgKind, Rating
from app.domain.orgs.periods import add_years
from app.domain.orgs.rating import (
    eligible_from,
    priority_in_purchasing,
    rating_eligibility,
    rating_valid_on,
    rating_valid_until,
)

D = dt.date


def test_valid_through_the_day_before_the_fifth_anniversary():
    assert rating_valid_until(D(2021, 12, 15)) == D(2026, 12, 14)
    assert rating_valid_on(D(2021, 12, 15), D(2026, 12, 14))
    assert not rating_valid_on(D(2021, 12, 15), D(2026, 12, 15))
    assert not rating_valid_on(D(2021, 12, 15), D(2021, 12, 14))


def test_leap_day_rating_runs_to_end_of_february():
    assert add_years(D(2024, 2, 29), 5) == D(2029, 3, 1)
    assert rating_valid_until(D(2024, 2, 29)) == D(2029, 2, 28)
    assert rating_valid_until(D(2023, 3, 1)) == D(2028, 2, 29)


@given(st.dates(D(1990, 1, 1), D(2090, 12, 31)))
def test_validity_is_five_years_less_a_day(rated_on):
    until = rating_valid_until(rated_on)
    assert until.year - rated_on.year in (4, 5)
    assert 365 * 5 - 1 <= (until - rated_on).days <= 366 * 5
    assert rating_valid_on(rated_on, until)
    assert not rating_valid_on(rated_on, until + dt.timedelta(days=1))


@pytest.mark.parametrize(("rating", "priority"), [
    (Rating.A1, False), (Rating.A2, False), (Rating.A3, True), (Rating.A4, True),
    (Rating.A5, True)])
def test_priority_in_purchasing_from_3a(rating, priority):
    assert priority_in_purchasing(rating, D(2024, 1, 1), D(2025, 1, 1)) is priority


def test_expired_rating_gives_no_priority():
    assert not priority_in_purchasing(Rating.A5, D(2019, 1, 1), D(2024, 1, 1))
    assert priority_in_purchasing(Rating.A5, D(2019, 1, 1), D(2023, 12, 31))
    assert not priority_in_purchasing(None, None, D(2024, 1, 1))


@pytest.mark.parametrize(("registered", "first_day"), [
    (D(2022, 1, 1), D(2024, 1, 1)),
    (D(2022, 1, 2), D(2025, 1, 1)),
    (D(2022, 7, 1), D(2025, 1, 1)),
    (D(2022, 12, 31), D(2025, 1, 1)),
])
def test_two_complete_calendar_years(registered, first_day):
    assert eligible_from(registered) == first_day
    before = rating_eligibility(OrgKind.SOCIAL_GROUP, registered, None, False,
                                first_day - dt.timedelta(days=1))
    assert not before.eligible
    assert before.eligible_from == first_day
    assert "须满两个完整年度" in before.reasons[0]
    on = rating_eligibility(OrgKind.SOCIAL_GROUP, registered, None, False, first_day)
    assert on.eligible
    assert on.reasons == ()


def test_ineligible_reasons():
    today = D(2026, 11, 23)
    result = rating_eligibility(OrgKind.FOUNDATION, D(2015, 1, 1), D(2026, 3, 1), True, today)
    assert not result.eligible
    assert result.reasons == ("已于2026年3月1日注销", "已列入严重违法失信名单")
    assert result.eligible_from is None
    assert rating_eligibility(OrgKind.PRIVATE_NON_ENTERPRISE, None, None, False,
                              today).reasons[0].startswith("尚未登记")
    community = rating_eligibility(OrgKind.COMMUNITY, None, None, False, today)
    assert not community.eligible
    assert "社区社会组织" in community.reasons[0]


def test_serious_list_alone_blocks():
    result = rating_eligibility(OrgKind.SOCIAL_GROUP, D(2015, 5, 1), None, True,
                                D(2026, 11, 23))
    assert result.reasons == ("已列入严重违法失信名单",)
    assert result.eligible_from == D(2018, 1, 1)  # 2016 and 2017 complete
