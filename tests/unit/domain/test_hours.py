"""The hours rules on plain values: scans, shares, caps, manual entries, star levels."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.errors import FormErrors, ValidationError
from app.domain.hours import (
    ActivityDraft,
    Flag,
    HoursPolicy,
    StarPolicy,
    check_scan_time,
    count_scanned,
    format_minutes,
    parse_local_datetime,
    scan_action,
    star_label,
    stay_minutes,
    validate_manual,
    whole_minutes,
)

START = dt.datetime(2025, 3, 1, 9, 0)
END = dt.datetime(2025, 3, 1, 12, 0)  # 180 minutes
POLICY = HoursPolicy()


def at(hh: int, mm: int = 0, ss: int = 0) -> dt.datetime:
    return dt.datetime(2025, 3, 1, hh, mm, ss)


# ---- activities ---------------------------------------------------------------------------


def test_activity_draft_is_cleaned():
    draft = ActivityDraft(name="  敬老院 探访 ", starts_at=at(9, 0, 30), ends_at=at(11),
                          category="助老").validated()
    assert draft.name == "敬老院 探访"
    assert draft.starts_at == at(9)


@pytest.mark.parametrize(("start", "end", "message"), [
    (at(11), at(9), "晚于开始"),
    (at(9), at(9), "晚于开始"),
    (at(9), dt.datetime(2025, 3, 3, 8), "当天或次日"),
    (at(9), dt.datetime(2025, 3, 2, 9, 1), "24小时"),
])
def test_activity_times_are_checked(start, end, message):
    with pytest.raises(FormErrors) as err:
        ActivityDraft(name="探访", starts_at=start, ends_at=end).validated()
    assert message in err.value.errors["ends_at"]


def test_activity_overnight_up_to_a_day_is_allowed():
    draft = ActivityDraft(name="夜间巡逻", starts_at=at(22), ends_at=dt.datetime(2025, 3, 2, 6))
    assert draft.validated().ends_at.day == 2
    whole_day = ActivityDraft(name="全天", starts_at=at(9), ends_at=dt.datetime(2025, 3, 2, 9))
    assert whole_day.validated()


def test_activity_reports_every_missing_field():
    with pytest.raises(FormErrors) as err:
        ActivityDraft(capacity=0).validated()
    assert set(err.value.errors) == {"name", "starts_at", "ends_at", "capacity"}


def test_parse_local_datetime():
    assert parse_local_datetime("2025-03-01 09:30") == at(9, 30)
    assert parse_local_datetime("2025-03-01T09:30:15") == at(9, 30, 15)
    with pytest.raises(ValidationError) as err:
        parse_local_datetime("3月1日", "ends_at")
    assert err.value.field == "ends_at" and "YYYY-MM-DD" in err.value.message


# ---- scans -------------------------------------------------------------------------------


def test_first_scan_checks_in_and_next_checks_out():
    assert scan_action(None, None, at(9), POLICY) == "check_in"
    assert scan_action(at(9), at(9), at(11), POLICY) == "check_out"


def test_a_scan_within_the_repeat_window_is_a_repeat():
    assert scan_action(at(9), at(9), at(9, 0, 59), POLICY) == "repeat"
    assert scan_action(at(9), at(9), at(9, 1), POLICY) == "check_out"
    # right after a check-out, too: no second check-in
    assert scan_action(None, at(11), at(11, 0, 30), POLICY) == "repeat"
    assert scan_action(None, at(11), at(11, 5), POLICY) == "check_in"
    assert scan_action(at(9), at(9), at(9, 0, 20), HoursPolicy(scan_repeat_seconds=10)) == \
        "check_out"


def test_a_scan_before_the_check_in_is_refused():
    with pytest.raises(ValidationError, match="时钟"):
        scan_action(at(10), at(10), at(9), POLICY)


def test_scans_far_outside_the_window_are_refused():
    check_scan_time("check_in", at(7), START, END, POLICY)  # 2 h early is fine
    with pytest.raises(ValidationError, match="尚未开始"):
        check_scan_time("check_in", at(6, 59), START, END, POLICY)
    with pytest.raises(ValidationError, match="已结束"):
        check_scan_time("check_in", at(12), START, END, POLICY)
    check_scan_time("check_out", at(14), START, END, POLICY)
    with pytest.raises(ValidationError, match="超过2小时"):
        check_scan_time("check_out", at(14, 1), START, END, POLICY)


def test_warn_accepts_a_scan_outside_the_window_on_the_same_day_only():
    warn = HoursPolicy(outside_window="warn")
    assert check_scan_time("check_in", at(7), START, END, warn) == ""
    assert "09:00" in check_scan_time("check_in", at(6, 59), START, END, warn)
    assert "12:00" in check_scan_time("check_in", at(12), START, END, warn)
    assert check_scan_time("check_out", at(14), START, END, warn) == ""
    assert "仍已签退" in check_scan_time("check_out", at(23, 59), START, END, warn)
    with pytest.raises(ValidationError, match="已结束"):  # the next day: refused anyway
        check_scan_time("check_in", START + dt.timedelta(days=1), START, END, warn)
    with pytest.raises(ValidationError, match="尚未开始"):
        check_scan_time("check_in", START - dt.timedelta(hours=10), START, END, warn)
    with pytest.raises(ValidationError, match="超过2小时"):
        check_scan_time("check_out", END + dt.timedelta(hours=13), START, END, warn)
    overnight_end = END + dt.timedelta(hours=14)  # 09:00 – 02:00 the next day
    assert check_scan_time("check_out", overnight_end + dt.timedelta(hours=5), START,
                           overnight_end, warn)


def test_stay_is_clipped_to_the_activity():
    assert stay_minutes(at(8), at(13), START, END) == 180
    assert stay_minutes(at(9, 30), at(10, 15, 59), START, END) == 45
    assert stay_minutes(at(12, 30), at(13), START, END) == 0


def test_min_share_counts_only_long_enough_stays():
    ok = count_scanned(at(9), at(10, 48), START, END, 0, POLICY)  # 108 = 60 % of 180
    assert ok.minutes == 108 and ok.flags == ()
    short = count_scanned(at(9), at(10, 47), START, END, 0, POLICY)
    assert short.minutes == 0 and short.flags == (Flag.SHORT_STAY,)
    lenient = count_scanned(at(9), at(10), START, END, 0, HoursPolicy(min_scan_share_percent=0))
    assert lenient.minutes == 60


def test_daily_cap_cuts_scanned_minutes():
    cut = count_scanned(at(9), at(12), START, END, 600, POLICY)
    assert cut.minutes == 120 and cut.flags == (Flag.DAILY_CAP,)
    full = count_scanned(at(9), at(12), START, END, 720, POLICY)
    assert full.minutes == 0


def test_auto_checkout_and_overlap_are_flagged():
    auto = count_scanned(at(9), END, START, END, 0, POLICY, auto=True)
    assert auto.minutes == 180 and auto.flags == (Flag.AUTO_CHECKOUT,)
    clash = count_scanned(at(9), END, START, END, 0, POLICY, overlaps=True)
    assert clash.minutes == 0 and clash.flags == (Flag.OVERLAP,)


# ---- manual entries -----------------------------------------------------------------------


def manual(start, end, used=0, content="整理物资", now=dt.datetime(2025, 3, 2)):
    return validate_manual(start, end, START, END, content, used, now, POLICY)


def test_manual_minutes_are_whole_minutes():
    assert manual(at(9), at(11, 30)) == 150
    assert isinstance(manual(at(9), at(9, 1, 30)), int)


def test_manual_is_capped_at_the_activity_length():
    assert manual(at(8), at(11)) == 180  # outside the window but not longer
    with pytest.raises(FormErrors) as err:
        manual(at(8), at(11, 1))
    assert "超过活动时长3小时" in err.value.errors["ended_at"]


def test_manual_over_the_daily_cap_is_refused_not_cut():
    assert manual(at(9), at(11), used=600) == 120
    with pytest.raises(FormErrors) as err:
        manual(at(9), at(11), used=601)
    assert "最多还可补录1小时59分" in err.value.errors["ended_at"]


def test_manual_needs_content_and_a_past_time():
    with pytest.raises(FormErrors) as err:
        manual(at(9), at(11), content=" ", now=at(10))
    assert set(err.value.errors) == {"content", "ended_at"}
    with pytest.raises(FormErrors) as err:
        manual(at(11), at(9))
    assert "晚于开始" in err.value.errors["ended_at"]


# ---- star levels --------------------------------------------------------------------------

STARS = StarPolicy()


@pytest.mark.parametrize(("hours", "level"), [
    (0, 0), (99, 0), (100, 1), (299, 1), (300, 2), (600, 3), (1000, 4), (1500, 5), (9000, 5)])
def test_star_levels_at_thresholds(hours, level):
    assert STARS.level(hours * 60) == level
    assert STARS.level(hours * 60 - 1) == max(0, level - (hours in (100, 300, 600, 1000, 1500)))


def test_hours_to_next_level_round_up():
    assert STARS.minutes_to_next(0) == 6000
    assert STARS.hours_to_next(99 * 60 + 1) == 1  # 59 minutes to go is "1 hour"
    assert STARS.hours_to_next(100 * 60) == 200
    assert STARS.next_threshold_minutes(1500 * 60) is None
    assert STARS.hours_to_next(1500 * 60) is None


def test_star_thresholds_parse_and_extra_tiers():
    policy = StarPolicy.parse("100，300, 600,1000,1500,2000")
    assert policy.level(2000 * 60) == 6
    assert star_label(6) == "六星" and star_label(0) == "—"
    for bad in ("", "100,50", "0,10", "abc"):
        with pytest.raises(ValidationError):
            StarPolicy.parse(bad)


@given(st.lists(st.integers(1, 5000), min_size=1, max_size=8, unique=True).map(sorted),
       st.integers(0, 6_000_000))
def test_star_level_properties(thresholds, minutes):
    policy = StarPolicy(tuple(thresholds))
    level = policy.level(minutes)
    assert 0 <= level <= len(thresholds)
    assert level == 0 or minutes >= thresholds[level - 1] * 60
    left = policy.minutes_to_next(minutes)
    if level == len(thresholds):
        assert left is None
    else:
        assert left is not None and left > 0
        assert policy.level(minutes + left) == level + 1
        assert policy.level(minutes + left - 1) == level


def test_format_minutes():
    assert format_minutes(150) == "2小时30分"
    assert format_minutes(120) == "2小时"
    assert format_minutes(45) == "45分钟"
    assert format_minutes(-60) == "-1小时"
    assert whole_minutes(at(9), at(9, 0, 59)) == 0
