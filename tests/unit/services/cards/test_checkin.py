"""The check-in service on SQLite and PostgreSQL: a card payload in, a kiosk result out,
every scan logged.

Card payloads come from app.services.cards.issuing (`issue` then `payload_for`), so these tests
exercise the real signature check."""

import datetime as dt

import pytest

from app.domain.hours import ActivityDraft, Kind, RecordStatus
from app.domain.idcard import check_character
from app.domain.volunteer import Status, VolunteerDraft
from app.services.cards import checkin
from app.services.common import settings
from app.services.hours import activities
from app.services.hours import records as sr
from app.services.volunteers import registration as volunteers
from app.store.models import ScanLog, ServiceRecord


def t(hh: int, mm: int = 0, ss: int = 0) -> dt.datetime:
    return dt.datetime(2025, 3, 1, hh, mm, ss)


def activity(name: str = "社区义诊") -> int:
    return activities.create(ActivityDraft(name=name, starts_at=t(9), ends_at=t(12))).id


def card_holder(seq: int = 1) -> tuple[int, str]:
    """A registered volunteer with an issued card: (volunteer id, card payload)."""
    from app.services.cards import issuing as cards

    first17 = f"11010519800101{seq:03d}"
    vid = volunteers.register(VolunteerDraft(
        name=f"志愿者{seq}", id_number=first17 + check_character(first17),
        phone="13800138000")).id
    cards.issue(vid)
    return vid, cards.payload_for(vid)


def forge(payload: str) -> str:
    """The payload with its last character changed (inside the signature)."""
    last = payload[-1]
    return payload[:-1] + ("A" if last != "A" else "B")


def logs() -> list[tuple]:
    return [(r.activity_id, r.station, r.payload, r.volunteer_id, r.outcome)
            for r in ScanLog.select().order_by(ScanLog.id)]


def test_check_in_then_out_makes_a_pending_scanned_record(register):
    vid, payload = card_holder()
    aid = activity()
    first = checkin.scan(payload, aid, station="一号机", at=t(9, 2))
    assert first.accepted and first.kind == "checked_in" and first.reason == ""
    assert first.volunteer_id == vid and first.volunteer_name == "志愿者1"
    assert first.volunteer_number and "签到成功" in first.message
    assert checkin.counts(aid, dt.date(2025, 3, 1)) == (1, 1)
    second = checkin.scan(payload, aid, station="一号机", at=t(11, 32))
    assert second.accepted and second.kind == "checked_out"
    assert second.minutes == 150 and "签退成功" in second.message
    rec = sr.get(second.record_id)
    assert (rec.kind, rec.status, rec.minutes) == (Kind.SCANNED, RecordStatus.PENDING, 150)
    assert (rec.started_at, rec.ended_at) == (t(9, 2), t(11, 32))
    present, today = checkin.counts(aid, dt.date(2025, 3, 1))
    assert (present, today) == (0, 1)
    assert checkin.counts(aid, dt.date(2025, 3, 2)) == (0, 0)
    assert logs() == [(aid, "一号机", payload, vid, "checked_in"),
                      (aid, "一号机", payload, vid, "checked_out")]


def test_a_repeat_within_the_window_changes_nothing(register):
    _vid, payload = card_holder()
    aid = activity()
    checkin.scan(payload, aid, at=t(9))
    again = checkin.scan(payload, aid, at=t(9, 0, 20))
    assert again.accepted and again.kind == "repeat" and "重复扫码" in again.message
    rec = ServiceRecord.get()
    assert ServiceRecord.select().count() == 1 and rec.status == RecordStatus.OPEN
    assert [o for *_rest, o in logs()] == ["checked_in", "repeat"]


def test_scanner_case_and_blanks_are_forgiven(register):
    _vid, payload = card_holder()
    aid = activity()
    assert checkin.scan(f"  {payload.lower()}\t\r\n", aid, at=t(9)).kind == "checked_in"
    assert ScanLog.get().payload == payload


def test_a_forged_payload_is_refused_and_logged(register):
    _vid, payload = card_holder()
    aid = activity()
    result = checkin.scan(forge(payload), aid, station="二号机", at=t(9))
    assert not result.accepted and result.kind == "refused"
    assert "signature" in result.reason.lower() and result.message
    assert result.volunteer_id is None
    assert ServiceRecord.select().count() == 0
    entry = ScanLog.get()
    assert (entry.outcome, entry.payload, entry.volunteer_id, entry.station) == (
        "refused", forge(payload), None, "二号机")
    assert result.reason in entry.reason and result.message in entry.reason
    assert checkin.scan(payload, aid, at=t(9, 1)).kind == "checked_in"  # the real card works


def test_garbage_and_blank_scans_are_refused_not_raised(register):
    aid = activity()
    blank = checkin.scan("   ", aid, at=t(9))
    assert (blank.accepted, blank.reason) == (False, "empty")
    junk = checkin.scan("HELLO WORLD " * 40, aid, at=t(9))
    assert not junk.accepted and junk.reason and junk.message
    assert [len(p) for _a, _s, p, _v, _o in logs()] == [0, checkin.PAYLOAD_LOG_LENGTH]


def test_a_reissued_cards_old_payload_is_refused(register):
    from app.services.cards import issuing as cards

    vid, old = card_holder()
    aid = activity()
    cards.reissue(vid, "遗失")
    result = checkin.scan(old, aid, at=t(9))
    assert not result.accepted and result.reason == "revoked" and "作废" in result.message
    assert checkin.scan(cards.payload_for(vid), aid, at=t(9, 1)).kind == "checked_in"


def test_a_withdrawn_volunteer_is_refused(register):
    vid, payload = card_holder()
    aid = activity()
    volunteers.change_status(vid, Status.WITHDRAWN, "搬离")
    result = checkin.scan(payload, aid, at=t(9))
    assert not result.accepted and result.kind == "refused"
    assert result.reason in ("withdrawn", "volunteer") and "已退出" in result.message
    assert ServiceRecord.select().count() == 0
    assert [o for *_rest, o in logs()] == ["refused"]


def test_rule_refusals_roll_back_and_are_logged(register):
    """A scan far outside the activity's time, and an unknown activity: refused, logged,
    nothing recorded."""
    vid, payload = card_holder()
    aid = activity()
    late = checkin.scan(payload, aid, at=t(20))
    assert not late.accepted and late.reason == "at" and late.volunteer_id == vid
    missing = checkin.scan(payload, aid + 999, at=t(9))
    assert not missing.accepted and missing.reason == "not_found"
    assert ServiceRecord.select().count() == 0
    assert [(a, o) for a, _s, _p, _v, o in logs()] == [(aid, "refused"),
                                                     (aid + 999, "refused")]


def test_outside_the_window_is_refused_by_default(register):
    assert settings.outside_window() == "refuse"
    _vid, payload = card_holder()
    aid = activity()
    early = checkin.scan(payload, aid, at=t(6, 30))
    assert not early.accepted and early.reason == "at" and early.warning == ""
    assert ServiceRecord.select().count() == 0


def test_warn_accepts_outside_the_window_the_same_day_with_a_warning(register):
    settings.put(settings.KIOSK_OUTSIDE_WINDOW, "warn")
    vid, payload = card_holder()
    aid = activity()
    early = checkin.scan(payload, aid, station="一号机", at=t(6, 30))
    assert early.accepted and early.kind == "checked_in" and early.reason == ""
    assert "09:00" in early.warning and "outside_window" in early.flags
    late = checkin.scan(payload, aid, at=t(18))
    assert late.accepted and late.kind == "checked_out" and "12:00" in late.warning
    assert late.minutes == 180  # only the activity's own time counts
    rec = sr.get(late.record_id)
    assert (rec.started_at, rec.ended_at, rec.status) == (t(6, 30), t(18),
                                                          RecordStatus.PENDING)
    entries = list(ScanLog.select().order_by(ScanLog.id))
    assert [(e.outcome, e.volunteer_id) for e in entries] == [("checked_in", vid),
                                                             ("checked_out", vid)]
    assert all("outside_window" in e.reason for e in entries)
    # a scan inside the window carries no warning
    second_vid, second = card_holder(2)
    inside = checkin.scan(second, aid, at=t(9, 5))
    assert inside.accepted and inside.warning == "" and inside.flags == ()
    # another day is refused even under "warn"
    next_day = checkin.scan(second, aid, at=t(9, 5) + dt.timedelta(days=1))
    assert not next_day.accepted and next_day.reason == "at"
    assert second_vid


def test_an_unknown_outside_window_value_reads_as_refuse(register):
    settings.put(settings.KIOSK_OUTSIDE_WINDOW, "maybe")
    assert settings.outside_window() == "refuse"
    _vid, payload = card_holder()
    assert not checkin.scan(payload, activity(), at=t(6, 30)).accepted


def test_the_kiosk_settings_are_in_the_registry():
    assert checkin.KIOSK_PIN is settings.KIOSK_PIN
    assert {settings.KIOSK_PIN, settings.KIOSK_OUTSIDE_WINDOW} <= set(settings.REGISTRY)
    assert settings.KIOSK_OUTSIDE_WINDOW.default == "refuse"
    assert all(settings.valid_pin(p) for p in ("0000", "12345678", "2468"))
    assert not any(settings.valid_pin(p) for p in ("", "123", "123456789", "12a4", "１２３４",
                                                   " 1234", "1234\n"))


@pytest.mark.parametrize("n", [3])
def test_counts_follow_several_people(register, n):
    aid = activity()
    holders = [card_holder(i) for i in range(1, n + 1)]
    for _vid, payload in holders:
        checkin.scan(payload, aid, at=t(9))
    checkin.scan(holders[0][1], aid, at=t(11, 30))
    assert checkin.counts(aid, dt.date(2025, 3, 1)) == (n - 1, n)


def test_cli_checkin_exit_codes(register, monkeypatch, capsys):
    """`yilian checkin`: 0 and 签到 when accepted, 2 and the reason when refused."""
    from app.cli import checkin as cli_checkin
    from app.cli import main as cli

    monkeypatch.setattr(cli_checkin, "open_db", lambda args: None)  # the fixture's register
    now = sr.local_now()
    aid = activities.create(ActivityDraft(name="夜间巡逻", starts_at=now - dt.timedelta(hours=1),
                                          ends_at=now + dt.timedelta(hours=2))).id
    _vid, payload = card_holder()

    def run(*argv: str) -> tuple[int, str, str]:
        code = cli.main(["checkin", "--activity", str(aid), *argv])
        out = capsys.readouterr()
        return code, out.out, out.err

    code, out, _err = run(payload, "--station", "东门")
    assert code == 0 and out.startswith("签到 志愿者1")
    assert ScanLog.get().station == "东门"
    code, out, _err = run(payload)
    assert code == 0 and "重复扫码" in out
    code, out, err = run(forge(payload))
    assert code == 2 and out == "" and "拒绝" in err and "signature" in err.lower()
