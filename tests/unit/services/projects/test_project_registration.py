"""Recording projects: field checks, numbering, the contractor's standing, the list."""

import datetime as dt

import pytest

from app.domain.errors import ConflictError, FormErrors
from app.domain.orgs.draft import OrgDraft
from app.domain.orgs.kinds import CreditListKind, OrgKind
from app.domain.orgs.legal_status import LegalStatus
from app.domain.projects.draft import ProjectDraft
from app.domain.projects.kinds import PurchaseMethod
from app.services.orgs import inspections
from app.services.orgs import registration as orgs
from app.services.projects import listing, registration
from app.services.projects.listing import ProjectFilter
from app.services.projects.registration import ContractorWarning

TODAY = dt.date(2026, 11, 23)


def org(name="阳光社工服务中心", code="52420000MJH233402K"):
    return orgs.create(OrgDraft(name=name, kind=OrgKind.PRIVATE_NON_ENTERPRISE,
                                credit_code=code), LegalStatus.REGISTERED, dt.date(2026, 3, 1))


def draft(**kw) -> ProjectDraft:
    purchaser = registration.purchaser_id_for("江岸区民政局")
    values = {"name": "社区居家养老服务项目", "purchaser_id": purchaser,
              "method": PurchaseMethod.CONSULTATION, "budget_fen": 50_000_000,
              "contract_amount_fen": 48_000_000, "starts_on": dt.date(2026, 1, 1),
              "ends_on": dt.date(2026, 12, 31)}
    values.update(kw)
    return ProjectDraft(**values)


def test_numbers_run_per_year_and_fields_are_checked(register):
    a = registration.create(draft(), today=TODAY)
    b = registration.create(draft(name="青少年成长营"), today=TODAY)
    assert (a.number, b.number) == ("XM2026-0001", "XM2026-0002")
    assert a.status.label == "草稿" and a.purchaser_name == "江岸区民政局"
    with pytest.raises(FormErrors) as exc:
        registration.create(draft(ends_on=dt.date(2025, 12, 1), contract_amount_fen=60_000_000))
    assert set(exc.value.errors) == {"ends_on", "contract_amount_fen"}
    assert "超过预算" in exc.value.errors["contract_amount_fen"]
    assert draft(ends_on=dt.date(2030, 1, 1)).warnings()  # beyond three years: warned


def test_a_contractor_in_bad_standing_needs_a_reason(register):
    contractor = org()
    inspections.list_entry(contractor.id, CreditListKind.ABNORMAL, dt.date(2026, 6, 30),
                           "未按时报送年度工作报告")
    with pytest.raises(ContractorWarning) as exc:
        registration.create(draft(contractor_id=contractor.id), today=TODAY)
    assert "活动异常名录" in exc.value.message
    rec = registration.create(draft(contractor_id=contractor.id),
                              contractor_reason="区民政局同意，整改期内承接", today=TODAY)
    assert "区民政局同意" in rec.contractor_warning and rec.contractor_name == contractor.name


def test_update_catches_a_stale_save(register):
    rec = registration.create(draft(), today=TODAY)
    registration.update(rec.id, draft(lead="王芳"), rec.version)
    with pytest.raises(ConflictError):
        registration.update(rec.id, draft(lead="李娜"), rec.version)


def test_the_list_searches_and_filters(register):
    contractor = org()
    registration.create(draft(contractor_id=contractor.id), today=TODAY)
    registration.create(draft(name="青少年成长营"), today=TODAY)
    names = lambda **kw: [r.name for r in listing.page(ProjectFilter(**kw), 0, 50)]  # noqa: E731
    assert names(text="养老") == ["社区居家养老服务项目"]
    assert names(text="阳光") == ["社区居家养老服务项目"]  # the contractor's name
    assert names(text="qsn") == ["青少年成长营"]
    assert names(text="xm2026-0002") == ["青少年成长营"]
    assert listing.count(ProjectFilter(year=2026)) == 2
    assert listing.count(ProjectFilter(year=2024)) == 0
