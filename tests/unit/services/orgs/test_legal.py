"""Legal status through the service: the table, the community rule, the credit code, the
certificate and authority written with the move."""

import datetime as dt

import pytest

from app.domain.errors import ConflictError, FormErrors
from app.domain.orgs.draft import OrgDraft
from app.domain.orgs.kinds import OrgKind
from app.domain.orgs.legal_status import LEGAL_STATUS_MOVES, LegalStatus
from app.domain.transitions import IllegalTransition
from app.services.orgs import legal, registration
from app.store.models import AuditLog, Organization, OrgTransition

L = LegalStatus
D = dt.date
CODE = "51420000MJH200395N"


def new_org(kind: OrgKind = OrgKind.SOCIAL_GROUP, code: str = CODE, **kw) -> int:
    return registration.create(OrgDraft(name="青年志愿者协会", kind=kind, credit_code=code,
                                        **kw)).id


def test_register_writes_dates_certificate_and_authority(register):
    oid = new_org()
    rec = legal.move(oid, L.REGISTERED, D(2021, 3, 5), authority="武汉市民政局",
                     certificate_number="鄂民证字第0001号", valid_to=D(2026, 3, 4),
                     expected_version=1)
    assert rec.legal_status is L.REGISTERED and rec.registered_on == D(2021, 3, 5)
    assert rec.legal_since == D(2021, 3, 5) and rec.version == 2
    assert rec.draft.certificate_number == "鄂民证字第0001号"
    assert (rec.draft.certificate_valid_from, rec.draft.certificate_valid_to) == (
        D(2021, 3, 5), D(2026, 3, 4))
    assert rec.draft.registration_authority == "武汉市民政局"
    t = OrgTransition.get(OrgTransition.org == oid)
    assert (t.machine, t.from_state, t.to_state, t.authority) == (
        "legal", "unregistered", "registered", "武汉市民政局")
    rec = legal.move(oid, L.DEREGISTERED, D(2024, 8, 1), authority="武汉市民政局")
    assert rec.deregistered_on == D(2024, 8, 1) and rec.registered_on == D(2021, 3, 5)
    assert AuditLog.select().where(AuditLog.action == "legal_move").count() == 2


@pytest.mark.parametrize("start", list(L))
def test_every_illegal_move_is_refused_and_nothing_is_written(register, start):
    oid = new_org()
    if start is not L.UNREGISTERED:
        path = {L.FILED: [L.FILED], L.REGISTERED: [L.REGISTERED],
                L.DEREGISTERED: [L.REGISTERED, L.DEREGISTERED]}[start]
        for n, step in enumerate(path):
            legal.move(oid, step, D(2020, 1, 1 + n))
    before = (OrgTransition.select().count(), AuditLog.select().count(),
              Organization.get_by_id(oid).version)
    for target in L:
        if target in LEGAL_STATUS_MOVES[start]:
            continue
        with pytest.raises(IllegalTransition, match="法律身份"):
            legal.move(oid, target, D(2025, 1, 1))
    assert (OrgTransition.select().count(), AuditLog.select().count(),
            Organization.get_by_id(oid).version) == before


def test_community_is_filed_never_registered(register):
    oid = new_org(OrgKind.COMMUNITY, code="")
    with pytest.raises(IllegalTransition, match="社区社会组织只备案"):
        legal.move(oid, L.REGISTERED, D(2024, 1, 1))
    assert OrgTransition.select().count() == 0
    rec = legal.move(oid, L.FILED, D(2024, 1, 1), authority="解放路街道办事处")
    assert rec.filed_on == D(2024, 1, 1) and rec.legal_status is L.FILED


def test_registering_needs_a_credit_code(register):
    oid = new_org(code="")
    with pytest.raises(FormErrors) as exc:
        legal.move(oid, L.REGISTERED, D(2024, 1, 1))
    assert "credit_code" in exc.value.errors
    assert registration.get(oid).legal_status is L.UNREGISTERED
    assert OrgTransition.select().count() == 0


def test_bad_certificate_period_backdating_and_stale_version(register):
    oid = new_org()
    with pytest.raises(FormErrors) as exc:
        legal.move(oid, L.REGISTERED, D(2024, 1, 1), valid_from=D(2024, 1, 1),
                   valid_to=D(2023, 1, 1))
    assert "valid_to" in exc.value.errors
    legal.move(oid, L.REGISTERED, D(2024, 1, 1))
    with pytest.raises(FormErrors) as exc:
        legal.move(oid, L.DEREGISTERED, D(2023, 12, 1))
    assert "on" in exc.value.errors
    with pytest.raises(ConflictError):
        legal.move(oid, L.DEREGISTERED, D(2024, 12, 1), expected_version=1)
    assert registration.get(oid).legal_status is L.REGISTERED
