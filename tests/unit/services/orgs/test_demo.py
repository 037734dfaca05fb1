"""Demo organizations: every type, stage and status, valid codes, things due and overdue."""

from __future__ import annotations

import datetime as dt

import pytest

from app.domain.orgs.incubation import IncubationState
from app.domain.orgs.inspection import inspection_due
from app.domain.orgs.kinds import CreditListKind, InspectionResult, OrgKind
from app.domain.orgs.legal_status import LegalStatus
from app.domain.orgs.rating import rating_valid_until
from app.domain.orgs.uscc import EXPECTED_KIND_DIGIT, is_valid_uscc
from app.services.common.progress import Cancelled
from app.services.orgs import demo
from app.store.db import bound, make_database
from app.store.migrations import migrate
from app.store.models import (
    AuditLog,
    OrgAgreement,
    Organization,
    OrgCreditEntry,
    OrgEvaluation,
    OrgInspection,
    OrgMentor,
    OrgRating,
    OrgReview,
    OrgService,
    OrgTransition,
    TrainingAttendance,
)

TODAY = dt.date(2026, 3, 10)


@pytest.fixture
def made(register):
    return demo.generate(200, seed=7, today=TODAY)


def test_every_type_stage_and_status(made):
    assert made.organizations == 200 and Organization.select().count() == 200
    orgs = list(Organization.select())
    assert {OrgKind(o.kind) for o in orgs} == set(OrgKind)
    assert {LegalStatus(o.legal_status) for o in orgs} == set(LegalStatus)
    assert {IncubationState(o.incubation_state) for o in orgs if o.incubation_state} == set(
        IncubationState)
    for org in orgs:
        if org.credit_code:
            assert is_valid_uscc(org.credit_code), org.credit_code
            assert org.credit_code[1] == EXPECTED_KIND_DIGIT[OrgKind(org.kind)]
        if org.legal_status == "registered":
            assert org.credit_code and org.registered_on <= TODAY
        if org.kind == "community":
            assert org.legal_status != "registered"
    assert len({o.credit_code for o in orgs if o.credit_code}) == sum(
        1 for o in orgs if o.credit_code)
    for model in (OrgReview, OrgAgreement, OrgMentor, OrgService, OrgEvaluation,
                  TrainingAttendance, OrgRating, OrgTransition):
        assert model.select().count() > 0, model.__name__
    assert OrgService.select().where(OrgService.kind == "small_grant").count() > 0
    assert AuditLog.select().where(AuditLog.action == "demo").count() == 1


def test_histories_follow_the_machines(made):
    for org in Organization.select().where(Organization.incubation_state.is_null(False)):
        moves = [m.to_state for m in OrgTransition.select().where(
            (OrgTransition.org == org.id) & (OrgTransition.machine == "incubation"))
            .order_by(OrgTransition.on, OrgTransition.id)]
        assert moves[0] == "applied" and moves[-1] == org.incubation_state
    for move in OrgTransition.select():
        assert move.on <= TODAY


def test_things_are_due_and_overdue(made):
    results = {r.result for r in OrgInspection.select()}
    assert {str(r) for r in InspectionResult} <= results
    overdue = 0
    submitted = {(i.org_id, i.year) for i in OrgInspection.select()}
    for org in Organization.select().where(Organization.legal_status == "registered"):
        due = inspection_due(OrgKind(org.kind), org.registered_on, None,
                             bool(org.supervisor_unit), TODAY.year - 2)
        if due is not None and (org.id, due.year) not in submitted and due.deadline < TODAY:
            overdue += 1
    assert overdue > 0
    soon = TODAY + dt.timedelta(days=30)
    ending = (OrgAgreement.select().join(Organization, on=(OrgAgreement.org == Organization.id))
              .where((Organization.incubation_state == "incubating")
                     & OrgAgreement.ends_on.between(TODAY, soon)).count())
    assert ending > 0
    expiring = [o for o in Organization.select().where(Organization.rating != "")
                if TODAY <= rating_valid_until(o.rated_on) <= TODAY + dt.timedelta(days=90)]
    assert expiring
    kinds = {e.list_kind for e in OrgCreditEntry.select()}
    assert str(CreditListKind.ABNORMAL) in kinds
    assert all(e.reason for e in OrgCreditEntry.select())


def test_some_organizations_have_documents_kept_intact(made):
    """The 附件 tab showed nothing for every demo organization."""
    from app.services.orgs import documents
    from app.store.models import OrgDocument

    owners = {d.org_id for d in OrgDocument.select()}
    assert len(owners) == demo.DEMO_DOCUMENTS
    assert OrgDocument.select().count() == demo.DEMO_DOCUMENTS * len(demo.DOCUMENTS)
    for line in documents.documents(min(owners)):
        assert documents.problem(line.id) == ""  # copied in, hash checks
        assert documents.path_for(line.id).read_text("utf-8").startswith(
            Organization.get_by_id(min(owners)).name)


def _made(seed: int) -> list[tuple]:
    demo.generate(30, seed=seed, today=TODAY)
    return [(o.name, o.credit_code, o.legal_status, o.founded_on)
            for o in Organization.select().order_by(Organization.id)]


def test_the_same_seed_gives_the_same_register(register, tmp_path):
    first = _made(3)
    with bound(make_database(tmp_path / "other.sqlite3")) as other:
        other.connect()
        migrate()
        assert _made(3) == first
        assert _made(4) != first   # (a second run beside the first: new codes)


def test_cancel_stops_between_batches(register):
    class Cancelling:
        def set_progress(self, done, total, message=""):
            pass

        def is_cancelled(self):
            return True

    with pytest.raises(Cancelled):
        demo.generate(50, state=Cancelling(), today=TODAY)
    assert Organization.select().count() == 0
