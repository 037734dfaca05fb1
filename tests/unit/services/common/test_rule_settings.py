"""The local rules as settings: each rule's check (for the 规则 page and a command line),
storing them all or none, and the kiosk's scan margin read from its setting."""

import datetime as dt

import pytest

from app.domain.errors import FormErrors, ValidationError
from app.domain.hours import ActivityDraft, RecordStatus
from app.domain.idcard import check_character
from app.domain.volunteer import VolunteerDraft
from app.services.common import settings
from app.services.hours import activities
from app.services.hours import records as sr
from app.services.points import ledger as points
from app.services.volunteers import registration as volunteers
from app.store.models import AuditLog


def t(hh: int, mm: int = 0) -> dt.datetime:
    return dt.datetime(2025, 3, 1, hh, mm)


def test_thresholds_must_be_rising_positive_whole_hours():
    check = settings.check_rule
    assert check(settings.STAR_THRESHOLDS, " 50，150, 400 ") == "50,150,400"
    for bad in ("", "0,100", "300,100", "100,100", "100,abc", "-5"):
        with pytest.raises(ValidationError) as caught:
            check(settings.STAR_THRESHOLDS, bad)
        assert caught.value.field == "hours.star_thresholds"
        assert "星级门槛" in caught.value.message


def test_rates_are_per_category_and_never_negative():
    check = settings.check_rule
    assert check(settings.POINTS_RATES, "助老=2；*=0.5") == "*=0.5;助老=2"
    assert check(settings.POINTS_RATES, "助老=2") == "*=1;助老=2"  # the common default kept
    assert check(settings.POINTS_RATES, "*=0") == "*=0"
    for bad, said in (("助老=-1", "0到1000"), ("助老=两", "不是数字"), ("助老", "类别=每小时积分"),
                      ("助老=1;助老=2", "重复")):
        with pytest.raises(ValidationError, match=said):
            check(settings.POINTS_RATES, bad)


def test_whole_number_rules_keep_to_their_range():
    check = settings.check_rule
    assert check(settings.HOURS_MIN_SCAN_SHARE, "0") == 0
    assert check(settings.HOURS_MIN_SCAN_SHARE, "100") == 100
    assert check(settings.HOURS_SCAN_MARGIN, "180") == 180
    assert check(settings.POINTS_EXPIRY_MONTHS, " 24 ") == 24
    for key, bad, said in ((settings.HOURS_MIN_SCAN_SHARE, "101", "0到100%"),
                           (settings.HOURS_DAILY_CAP, "0", "1到1440分钟"),
                           (settings.HOURS_SCAN_REPEAT_SECONDS, "-1", "0到3600秒"),
                           (settings.HOURS_SCAN_MARGIN, "181", "0到180分钟"),
                           (settings.POINTS_EXPIRY_MONTHS, "1.5", "整数"),
                           (settings.POINTS_ACTIVITY_CAP, "", "整数")):
        with pytest.raises(ValidationError, match=said):
            check(key, bad)
    assert check(settings.HOURS_CAPACITY_MANUAL, "Allow") == "allow"
    with pytest.raises(ValidationError, match="refuse 或 allow"):
        check(settings.HOURS_CAPACITY_MANUAL, "sometimes")
    with pytest.raises(ValueError):
        check(settings.CENTER_NAME, "x")  # not a rule


def test_put_rules_stores_all_or_none(register):
    with pytest.raises(FormErrors) as caught:
        settings.put_rules({settings.POINTS_EXPIRY_MONTHS: "12",
                            settings.STAR_THRESHOLDS: "300,100"})
    assert set(caught.value.errors) == {"hours.star_thresholds"}
    assert settings.get(settings.POINTS_EXPIRY_MONTHS) == 0     # the good one not stored
    before = AuditLog.select().count()
    settings.put_rules({settings.POINTS_EXPIRY_MONTHS: "12", settings.STAR_THRESHOLDS: "50,150",
                        settings.POINTS_RATES: "助老=2", settings.HOURS_DAILY_CAP: "720"})
    assert settings.get(settings.POINTS_EXPIRY_MONTHS) == 12
    assert settings.get(settings.STAR_THRESHOLDS) == "50,150"
    assert sr.star_policy().thresholds_hours == (50, 150)
    assert points.policy().rate_for("助老") == 2 and points.policy().expiry_months == 12
    assert AuditLog.select().count() == before + 3              # the unchanged cap writes none


def test_the_scan_margin_comes_from_its_setting(register):
    first17 = "11010519800101001"
    vid = volunteers.register(VolunteerDraft(
        name="志愿者", id_number=first17 + check_character(first17), phone="13800138000")).id
    aid = activities.create(ActivityDraft(name="敬老院探访", starts_at=t(9), ends_at=t(12))).id
    assert settings.get(settings.HOURS_SCAN_MARGIN) == 120       # the former fixed value
    settings.put_rules({settings.HOURS_SCAN_MARGIN: "30"})
    assert sr.hours_policy().scan_margin_minutes == 30
    with pytest.raises(ValidationError, match="开始前30分钟内"):
        sr.record_scan(vid, aid, t(8, 29))
    rid = sr.record_scan(vid, aid, t(8, 30)).record_id
    assert sr.close_forgotten(now=t(12, 29)) == 0
    assert sr.close_forgotten(now=t(12, 30)) == 1                # 30 minutes after the end
    assert sr.get(rid).status is RecordStatus.PENDING
