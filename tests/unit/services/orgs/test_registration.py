"""Registering organizations: validation at the field, one code one organization, changes kept."""

import datetime as dt

import pytest

from app.domain.errors import ConflictError, DuplicateError, FormErrors
from app.domain.orgs.draft import OrgDraft
from app.domain.orgs.kinds import OrgKind
from app.domain.orgs.legal_status import LegalStatus
from app.domain.transitions import IllegalTransition
from app.services.orgs import listing, registration
from app.services.orgs.listing import OrgFilter
from app.store.models import OrgChange, OrgTransition

CODE = "51420000MJH200395N"


def draft(**kw) -> OrgDraft:
    values = {"name": "夕阳红志愿服务协会", "kind": OrgKind.SOCIAL_GROUP, "credit_code": CODE,
              "legal_representative": "黄志强", "street": "解放路街道"}
    values.update(kw)
    return OrgDraft(**values)


def test_create_normalises_and_records_the_legal_move(register):
    rec = registration.create(draft(credit_code="51420000mjh200395n"), LegalStatus.REGISTERED,
                              dt.date(2020, 5, 1), authority="武汉市民政局")
    assert rec.code == CODE and rec.legal_status is LegalStatus.REGISTERED
    assert rec.registered_on == dt.date(2020, 5, 1)
    moves = list(OrgTransition.select().where(OrgTransition.org == rec.id))
    assert [(m.from_state, m.to_state, m.authority) for m in moves] == [
        ("unregistered", "registered", "武汉市民政局")]


def test_one_code_one_organization(register):
    registration.create(draft(), LegalStatus.REGISTERED)
    with pytest.raises(DuplicateError, match="已登记为“夕阳红志愿服务协会”"):
        registration.create(draft(name="另一个协会"), LegalStatus.REGISTERED)


def test_a_registered_organization_needs_a_code_and_a_bad_code_needs_a_reason(register):
    with pytest.raises(FormErrors) as exc:
        registration.create(draft(credit_code=""), LegalStatus.REGISTERED)
    assert "credit_code" in exc.value.errors
    bad = CODE[:-1] + "M"
    with pytest.raises(FormErrors, match="第18位"):
        registration.create(draft(credit_code=bad), LegalStatus.REGISTERED)
    rec = registration.create(draft(credit_code=bad, code_override_reason="证书原样如此"),
                              LegalStatus.REGISTERED)
    assert rec.draft.code_override_reason == "证书原样如此"


def test_a_community_organization_cannot_be_registered(register):
    with pytest.raises(IllegalTransition):
        registration.create(draft(kind=OrgKind.COMMUNITY, credit_code=""),
                            LegalStatus.REGISTERED)
    rec = registration.create(draft(kind=OrgKind.COMMUNITY, credit_code=""), LegalStatus.FILED)
    assert rec.legal_status is LegalStatus.FILED and rec.filed_on is not None


def test_update_keeps_the_changes_and_catches_a_stale_save(register):
    rec = registration.create(draft(), LegalStatus.REGISTERED)
    new = registration.update(rec.id, draft(address="解放路1号", legal_representative="王芳"),
                              rec.version, today=dt.date(2026, 3, 1))
    assert new.version == rec.version + 1
    changes = {(c.item, c.before, c.after) for c in OrgChange.select()}
    assert changes == {("住所", "", "解放路1号"), ("法定代表人", "黄志强", "王芳")}
    with pytest.raises(ConflictError):
        registration.update(rec.id, draft(address="别处"), rec.version)


def test_an_update_to_another_organizations_code_names_it(register):
    first = registration.create(draft(), LegalStatus.REGISTERED)
    second = registration.create(draft(name="阳光读书会", credit_code=""), LegalStatus.FILED)
    with pytest.raises(DuplicateError, match="已登记为“夕阳红志愿服务协会”") as exc:
        registration.update(second.id, draft(name="阳光读书会"), second.version)
    assert exc.value.existing == str(first.id)


def test_an_update_racing_another_desk_is_a_duplicate_not_an_integrity_error(
        register, monkeypatch):
    """The other desk committed the code after this desk's check: the unique index refuses
    the update, and the user is told which organization has it, as `create` does."""
    first = registration.create(draft(), LegalStatus.REGISTERED)
    second = registration.create(draft(name="阳光读书会", credit_code=""), LegalStatus.FILED)
    real = registration._duplicate
    calls = []

    def stale_check(code, exclude=None):
        calls.append(code)
        return None if len(calls) == 1 else real(code, exclude)  # the first check ran early

    monkeypatch.setattr(registration, "_duplicate", stale_check)
    with pytest.raises(DuplicateError, match="已登记为“夕阳红志愿服务协会”") as exc:
        registration.update(second.id, draft(name="阳光读书会"), second.version)
    assert exc.value.existing == str(first.id)
    monkeypatch.undo()
    assert registration.get(second.id).code == "" and registration.get(second.id).version == 1
    assert registration.update(second.id, draft(name="阳光读书会", credit_code=""),
                               second.version).version == second.version + 1


def test_list_searches_name_pinyin_and_code(register):
    registration.create(draft(), LegalStatus.REGISTERED)
    registration.create(draft(name="阳光读书会", kind=OrgKind.COMMUNITY, credit_code=""),
                        LegalStatus.FILED)

    def names(**kw):
        return [r.name for r in listing.page(OrgFilter(**kw), 0, 50)]

    assert names(text="读书") == ["阳光读书会"]
    assert names(text="ygdsh") == ["阳光读书会"]
    assert names(text="xyh") == ["夕阳红志愿服务协会"]
    assert names(text="51420000mjh") == ["夕阳红志愿服务协会"]
    assert names(kind=OrgKind.COMMUNITY) == ["阳光读书会"]
    assert names(legal_status=LegalStatus.REGISTERED) == ["夕阳红志愿服务协会"]
    assert listing.count(OrgFilter()) == 2
    assert names() == ["夕阳红志愿服务协会", "阳光读书会"]  # pinyin order
