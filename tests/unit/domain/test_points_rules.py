"""Points rules: rates per category, rounding down, the activity cap, expiry dates."""

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.errors import ValidationError
from app.domain.points import (
    EntryKind,
    PointsError,
    PointsPolicy,
    expirable,
    format_redemption_number,
    months_before,
    parse_rates,
)


def test_rates_parse_with_default_and_categories():
    rates = parse_rates("*=1;助老=2")
    assert rates == {"*": Decimal(1), "助老": Decimal(2)}


def test_rates_accept_full_width_separators_and_half_points():
    rates = parse_rates("助老＝2；环保：0.5， 扶幼 = 1.5")
    assert rates == {"助老": Decimal(2), "环保": Decimal("0.5"), "扶幼": Decimal("1.5"),
                     "*": Decimal(1)}


@pytest.mark.parametrize("text, words", [
    ("助老", "类别=每小时积分"),
    ("助老=两", "不是数字"),
    ("助老=-1", "0到"),
    ("助老=2;助老=3", "重复"),
    ("助老=NaN", "0到"),
])
def test_bad_rates_say_what_is_wrong(text, words):
    with pytest.raises(ValidationError) as err:
        parse_rates(text)
    assert words in err.value.message


def test_points_round_down_per_category():
    policy = PointsPolicy.parse("*=1;助老=2;环保=0.5")
    assert policy.points_for(90, "其他") == 1          # 1.5 -> 1
    assert policy.points_for(90, "助老") == 3
    assert policy.points_for(119, "环保") == 0         # 0.99 -> 0
    assert policy.points_for(120, "环保") == 1
    assert policy.points_for(0, "助老") == 0
    assert isinstance(policy.points_for(61, "助老"), int)
    with pytest.raises(ValueError):
        policy.points_for(-1, "助老")


@given(minutes=st.integers(0, 10_000_000),
       rate=st.decimals(min_value=0, max_value=100, places=2, allow_nan=False))
def test_points_are_the_exact_floor(minutes, rate):
    policy = PointsPolicy({"*": rate})
    exact = Fraction(minutes) * Fraction(rate) / 60
    assert policy.points_for(minutes, "x") == exact.numerator // exact.denominator


def test_cap_counts_what_was_earned_at_the_activity():
    policy = PointsPolicy.parse("*=1", activity_cap=5)
    assert policy.capped(3, 0) == 3
    assert policy.capped(3, 4) == 1
    assert policy.capped(3, 5) == 0
    assert policy.capped(3, 9) == 0
    assert PointsPolicy.parse("*=1").capped(300, 10_000) == 300


def test_negative_settings_are_refused():
    with pytest.raises(ValidationError):
        PointsPolicy.parse("*=1", expiry_months=-1)


def test_months_before_clamps_to_month_end():
    assert months_before(dt.date(2025, 5, 31), 3) == dt.date(2025, 2, 28)
    assert months_before(dt.date(2024, 5, 31), 3) == dt.date(2024, 2, 29)
    assert months_before(dt.date(2025, 1, 15), 12) == dt.date(2024, 1, 15)
    assert months_before(dt.date(2025, 1, 15), 1) == dt.date(2024, 12, 15)


def test_expiry_cutoff_and_min_hours():
    policy = PointsPolicy.parse("*=1", expiry_months=24, min_hours_to_redeem=10)
    assert policy.expiry_cutoff(dt.date(2025, 6, 1)) == dt.date(2023, 6, 1)
    assert PointsPolicy.parse("*=1").expiry_cutoff(dt.date(2025, 6, 1)) is None
    assert policy.min_minutes_to_redeem == 600


def test_fifo_expiry_from_totals():
    # 100 earned before the cutoff, 30 spent since: 70 of the old points run out.
    assert expirable(100, 30, 0, balance=120) == 70
    # Spending more than the old credits used them all up.
    assert expirable(100, 150, 0, balance=20) == 0
    # What expired already is not expired again.
    assert expirable(100, 30, 70, balance=50) == 0
    # Never more than the balance.
    assert expirable(100, 0, 0, balance=40) == 40


def test_labels_numbers_and_errors():
    assert EntryKind.REDEEM.label == "兑换"
    assert format_redemption_number(2025, 42) == "DH2025000042"
    err = PointsError(["积分不足", "库存不足"])
    assert err.message == "积分不足；库存不足" and err.reasons == ("积分不足", "库存不足")
    assert isinstance(err, ValidationError)
