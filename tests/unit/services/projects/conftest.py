"""What the projects' service tests share: a contractor, a project, a signed project, and
attachments kept out of the user's data folder."""

from __future__ import annotations

import datetime as dt

import pytest

from app.domain.errors import NotFoundError
from app.domain.orgs.draft import OrgDraft
from app.domain.orgs.kinds import OrgKind
from app.domain.orgs.legal_status import LegalStatus
from app.domain.projects.draft import ProjectDraft
from app.domain.projects.kinds import PurchaseMethod
from app.domain.projects.lifecycle import ProjectStatus
from app.services.orgs import registration as orgs
from app.services.projects import lifecycle, registration

TODAY = dt.date(2026, 4, 1)
SIGNED = dt.date(2026, 4, 10)


class ProjectKit:
    """Builders for the tests (through the services, on the test's register)."""

    @staticmethod
    def contractor(name: str = "阳光社工服务中心", code: str = "52420000MJH233402K") -> int:
        try:
            return orgs.get_by_code(code).id
        except NotFoundError:
            pass
        return orgs.create(OrgDraft(name=name, kind=OrgKind.PRIVATE_NON_ENTERPRISE,
                                    credit_code=code), LegalStatus.REGISTERED,
                           dt.date(2026, 3, 1)).id

    def new_project(self, contract_fen: int | None = 48_000_000, with_contractor: bool = True,
                    signed_on: dt.date | None = SIGNED, **kw: object) -> int:
        values: dict[str, object] = {
            "name": "社区居家养老服务项目",
            "purchaser_id": registration.purchaser_id_for("江岸区民政局"),
            "method": PurchaseMethod.CONSULTATION, "budget_fen": 50_000_000,
            "contract_amount_fen": contract_fen, "signed_on": signed_on,
            "starts_on": dt.date(2026, 5, 1), "ends_on": dt.date(2027, 4, 30),
            "contractor_id": self.contractor() if with_contractor else None}
        values.update(kw)
        return registration.create(ProjectDraft(**values), today=TODAY).id

    def signed_project(self, **kw: object) -> int:
        """A project moved to 已签约 on SIGNED."""
        pid = self.new_project(**kw)
        lifecycle.move(pid, ProjectStatus.PROCUREMENT, dt.date(2026, 4, 2))
        lifecycle.move(pid, ProjectStatus.CONTRACTED, SIGNED)
        return pid


@pytest.fixture
def kit() -> ProjectKit:
    return ProjectKit()


@pytest.fixture(autouse=True)
def _attachments_in_tmp(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    """On PostgreSQL attachments go under the user's data folder: keep tests out of it."""
    from app.services.common import attachments

    monkeypatch.setattr(attachments, "default_data_dir", lambda: tmp_path / "data")
