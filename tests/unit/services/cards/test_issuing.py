"""Issuing, reissuing, revoking and verifying ID cards, on SQLite and PostgreSQL."""

import base64
import datetime as dt

import pytest

from app.domain import card_token
from app.domain.card_token import CardRefused
from app.domain.errors import NotFoundError, ValidationError
from app.domain.volunteer import Status, VolunteerDraft
from app.services.cards import issuing as cards
from app.services.common import settings
from app.services.volunteers import registration as volunteers
from app.store.models import AuditLog, Card, Setting, Volunteer

TODAY = dt.date(2026, 11, 23)
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00"
       b"\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe"
       b"\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82")


def person(name="张三", id_number="11010519491231002X"):
    return volunteers.register(VolunteerDraft(
        name=name, id_number=id_number, phone="13800138000",
        registered_on=dt.date(2025, 1, 10)), today=TODAY)


def refusal(payload: str) -> str:
    with pytest.raises(CardRefused) as caught:
        cards.verify(payload)
    assert caught.value.message_zh
    return caught.value.reason_code


def test_key_is_made_once_and_kept(register):
    v = person()
    assert Setting.get_or_none(Setting.key == cards.KEY_SETTING) is None
    cards.issue(v.id)
    stored = Setting.get(Setting.key == cards.KEY_SETTING).value
    assert len(base64.b64decode(stored)) == 32
    cards.payload_for(v.id)
    assert Setting.get(Setting.key == cards.KEY_SETTING).value == stored
    assert AuditLog.select().where(AuditLog.entity == "card_key").count() == 1


def test_issue_verify_reissue_revoke(register):
    v = person()
    first = cards.issue(v.id, issued_by="李华")
    assert (first.serial, first.issued_by, first.valid) == (1, "李华", True)
    old = cards.payload_for(v.id)
    assert cards.verify(old) == cards.VerifiedCard(v.id, v.number, "张三", 1)
    with pytest.raises(ValidationError):  # a second valid card is a reissue
        cards.issue(v.id)
    with pytest.raises(ValidationError):  # a reissue needs its reason
        cards.reissue(v.id, "  ")

    second = cards.reissue(v.id, "遗失")
    assert second.serial == 2
    new = cards.payload_for(v.id)
    assert new != old and cards.verify(new).serial == 2
    assert refusal(old) == "revoked"
    revoked = next(c for c in cards.history(v.id) if c.serial == 1)
    assert revoked.reason == "遗失" and revoked.revoked_at is not None

    cards.revoke(v.id, "损坏")
    assert cards.current(v.id) is None
    assert refusal(new) == "revoked"
    with pytest.raises(NotFoundError):
        cards.revoke(v.id, "再次")
    with pytest.raises(NotFoundError):
        cards.payload_for(v.id)
    assert cards.issue(v.id).serial == 3  # serials never go back
    actions = [a.action for a in AuditLog.select().where(AuditLog.entity == "card")
               .order_by(AuditLog.id)]
    assert actions == ["issue", "revoke", "issue", "revoke", "issue"]


def test_refusals_name_the_reason(register):
    v = person()
    cards.issue(v.id)
    payload = cards.payload_for(v.id)
    key = base64.b64decode(Setting.get(Setting.key == cards.KEY_SETTING).value)
    assert refusal("HELLO") == "unknown_format"
    assert refusal(card_token.make(v.number, 1, bytes(32))) == "bad_signature"
    assert refusal(payload[:-1] + ("A" if payload[-1] != "A" else "B")) == "bad_signature"
    assert refusal(card_token.make("V99999999", 1, key)) == "unknown_volunteer"
    assert refusal(card_token.make(v.number, 7, key)) == "unknown_card"

    volunteers.change_status(v.id, Status.SUSPENDED, "调查中")
    with pytest.raises(CardRefused) as caught:
        cards.verify(payload)
    assert caught.value.reason_code == "suspended" and "暂停" in caught.value.message_zh
    volunteers.change_status(v.id, Status.WITHDRAWN, "本人申请")
    with pytest.raises(CardRefused) as caught:
        cards.verify(payload)
    assert caught.value.reason_code == "withdrawn" and "退出" in caught.value.message_zh
    with pytest.raises(ValidationError):  # no new card for a withdrawn volunteer
        cards.reissue(v.id, "遗失")
    volunteers.change_status(v.id, Status.ACTIVE, "")
    assert cards.verify(payload).volunteer_id == v.id


def test_verify_before_any_card_was_issued(register):
    person()
    assert refusal("YL1:V00000001:1:AAAAAAAAAA") == "bad_signature"
    assert refusal("nonsense") == "unknown_format"


def test_card_data_and_volunteers_without_card(register):
    a, b, c = person("张三"), person("李四", "110105198001010016"), \
        person("王五", "110105198502020028")
    volunteers.set_photo(a.id, PNG)
    Volunteer.update(approved_minutes=350 * 60).where(Volunteer.id == a.id).execute()
    settings.put(settings.CENTER_NAME, "解放路街道社会组织孵化中心")
    assert cards.volunteers_without_valid_card() == [a.id, b.id, c.id]
    assert cards.volunteers_without_valid_card(limit=1) == [a.id]
    volunteers.change_status(c.id, Status.WITHDRAWN, "本人申请")
    assert cards.ensure_cards([a.id, b.id, a.id]) == 2
    assert cards.ensure_cards([a.id]) == 0
    assert cards.volunteers_without_valid_card() == []
    data = cards.card_data([b.id, a.id])
    assert [d.name for d in data] == ["李四", "张三"]
    assert data[1].photo == PNG and data[0].photo is None
    assert (data[1].star_level, data[0].star_level) == (2, 0)
    assert data[0].center_name == "解放路街道社会组织孵化中心"
    assert data[0].issued_on == dt.date.today()
    assert cards.verify(data[1].payload).volunteer_id == a.id
    with pytest.raises(NotFoundError):
        cards.card_data([c.id])
    cards.reissue(b.id, "遗失")
    assert Card.select().where(Card.volunteer == b.id).count() == 2
    assert cards.card_data([b.id])[0].serial == 2
