"""Registering, editing and status changes, on SQLite and PostgreSQL."""

import datetime as dt
import json

import pytest

from app.domain.errors import ConflictError, DuplicateError, FormErrors, ValidationError
from app.domain.volunteer import Status, VolunteerDraft
from app.services.common import settings
from app.services.volunteers import listing as vl
from app.services.volunteers import registration as volunteers
from app.store.models import AuditLog, Volunteer

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 32


def draft(**kw) -> VolunteerDraft:
    base = {"name": "张三", "id_number": "11010519491231002X", "phone": "13800138000",
            "street": "解放路街道", "community": "和平社区"}
    base.update(kw)
    return VolunteerDraft(**base)


def test_register_assigns_numbers_and_audits(register):
    first = volunteers.register(draft())
    second = volunteers.register(draft(name="李四", id_number="440524188001010014"))
    assert first.number == "V00000001"
    assert second.number == "V00000002"
    assert first.draft.birth_date == dt.date(1949, 12, 31)
    assert first.status is Status.ACTIVE
    row = AuditLog.get(AuditLog.entity_id == first.number)
    assert row.action == "register" and row.actor == "tester"
    assert json.loads(row.after)["name"] == "张三"


def test_invalid_draft_saves_nothing(register):
    with pytest.raises(FormErrors) as err:
        volunteers.register(draft(id_number="110105194912310021"))
    assert "校验位" in err.value.errors["id_number"]
    assert Volunteer.select().count() == 0


def test_second_registration_points_to_the_first(register):
    first = volunteers.register(draft())
    with pytest.raises(DuplicateError) as err:
        volunteers.register(draft(name="张叁", id_number="11010519491231002x"))
    assert err.value.existing == first.number
    assert first.number in err.value.message
    assert Volunteer.select().count() == 1


def test_numbers_are_never_reused(register):
    a = volunteers.register(draft())
    volunteers.change_status(a.id, Status.WITHDRAWN, "搬离本区")
    b = volunteers.register(draft(name="李四", id_number="440524188001010014"))
    assert b.number == "V00000002"


def test_update_checks_version_and_rewrites_search_keys(register):
    rec = volunteers.register(draft())
    changed = volunteers.update(rec.id, draft(name="王五"), rec.version)
    assert changed.version == rec.version + 1
    assert [r.name for r in vl.page(vl.VolunteerFilter(text="王"), 0, 10)] == ["王五"]
    assert vl.count(vl.VolunteerFilter(text="张")) == 0
    assert vl.count(vl.VolunteerFilter(text="ww")) == 1
    with pytest.raises(ConflictError):
        volunteers.update(rec.id, draft(name="赵六"), rec.version)  # stale version
    audit = AuditLog.select().where(AuditLog.action == "update").get()
    assert json.loads(audit.before) == {"name": "张三"}
    assert json.loads(audit.after) == {"name": "王五"}


def test_update_refuses_another_persons_id_number(register):
    volunteers.register(draft())
    other = volunteers.register(draft(name="李四", id_number="440524188001010014"))
    with pytest.raises(DuplicateError):
        volunteers.update(other.id, draft(name="李四"), other.version)


def test_status_changes_keep_reasons(register):
    rec = volunteers.register(draft())
    suspended = volunteers.change_status(rec.id, Status.SUSPENDED, "长期未参加活动")
    assert suspended.status is Status.SUSPENDED
    assert suspended.status_reason == "长期未参加活动"
    with pytest.raises(ValidationError):
        volunteers.change_status(rec.id, Status.WITHDRAWN, "")
    back = volunteers.change_status(rec.id, Status.ACTIVE, "")
    assert back.status is Status.ACTIVE
    assert Volunteer.select().count() == 1


def test_minor_policy_comes_from_settings(register):
    child = draft(id_number="370105201601011234", guardian_name="李四",
                  guardian_phone="13900139000", guardian_id_number="11010519491231002X",
                  guardian_consent=True)
    settings.put(settings.MIN_AGE, 12)
    with pytest.raises(FormErrors):
        volunteers.register(child)
    settings.put(settings.MIN_AGE, 6)
    assert volunteers.register(child).draft.guardian_name == "李四"


def test_photo_round_trip_and_checks(register):
    rec = volunteers.register(draft(), photo=PNG)
    assert volunteers.get(rec.id).has_photo
    assert volunteers.photo(rec.id) == PNG
    with pytest.raises(ValidationError):
        volunteers.set_photo(rec.id, b"GIF89a")
    volunteers.set_photo(rec.id, None)
    assert volunteers.photo(rec.id) is None


def test_reveal_is_audited(register):
    rec = volunteers.register(draft())
    assert volunteers.reveal(rec.id) == ("11010519491231002X", "13800138000")
    assert AuditLog.select().where(AuditLog.action == "reveal").count() == 1
