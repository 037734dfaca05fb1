"""The project draft's date checks: the end after the start (refused), a term beyond three
years (warned, counted in calendar years so leap days do not move the line)."""

import datetime as dt

import pytest

from app.domain.errors import FormErrors
from app.domain.projects.draft import ProjectDraft, add_years
from app.domain.projects.kinds import PurchaseMethod

D = dt.date


def draft(starts: dt.date, ends: dt.date) -> ProjectDraft:
    return ProjectDraft(name="社区居家养老服务项目", purchaser_id=1,
                        method=PurchaseMethod.CONSULTATION, budget_fen=100_000,
                        starts_on=starts, ends_on=ends)


@pytest.mark.parametrize("ends", [D(2026, 5, 1), D(2026, 4, 30)])
def test_the_end_must_come_after_the_start(ends):
    with pytest.raises(FormErrors) as exc:
        draft(D(2026, 5, 1), ends).validated()
    assert exc.value.errors == {"ends_on": "服务结束日期应晚于开始日期"}


@pytest.mark.parametrize(("starts", "ends", "warned"), [
    (D(2026, 1, 1), D(2026, 12, 31), False),  # the usual year
    (D(2026, 1, 1), D(2029, 1, 1), False),    # three years to the day
    (D(2026, 1, 1), D(2029, 1, 2), True),
    (D(2027, 3, 1), D(2030, 3, 1), False),    # spans 29 Feb 2028: 1,096 days, still three years
    (D(2029, 1, 1), D(2032, 1, 2), True),     # no leap day inside: 1,096 days, one day over
    (D(2028, 2, 29), D(2031, 2, 28), False),
    (D(2028, 2, 29), D(2031, 3, 1), True),
])
def test_a_term_beyond_three_years_is_warned_not_refused(starts, ends, warned):
    d = draft(starts, ends)
    d.validated()
    assert bool(d.warnings()) is warned
    if warned:
        assert "超过三年" in d.warnings()[0]


def test_add_years():
    assert add_years(D(2026, 5, 31), 3) == D(2029, 5, 31)
    assert add_years(D(2028, 2, 29), 1) == D(2029, 2, 28)
