"""Fixtures of the organization screens: valid credit codes, organizations made through the
services, a register with organizations in every incubation stage, and the page itself."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import peewee
import pytest
from pytestqt.qtbot import QtBot

from app.domain.orgs.draft import OrgDraft
from app.domain.orgs.incubation import IncubationState
from app.domain.orgs.kinds import OrgKind, ServiceField
from app.domain.orgs.legal_status import LegalStatus
from app.domain.orgs.uscc import check_character, organization_check_character
from app.services.orgs import incubation, registration
from app.services.orgs.registration import OrgRecord
from app.ui.orgs.page import OrgPage

KIND_DIGITS = {OrgKind.SOCIAL_GROUP: "1", OrgKind.PRIVATE_NON_ENTERPRISE: "2",
               OrgKind.FOUNDATION: "3", OrgKind.COMMUNITY: "9"}


def code_for(kind: OrgKind, seq: int) -> str:
    """A valid 民政 credit code of `kind`, different for each `seq`."""
    body = f"MJH{seq:05d}"
    first17 = f"5{KIND_DIGITS[kind]}420000{body}{organization_check_character(body)}"
    return first17 + check_character(first17)


def new_org(name: str, kind: OrgKind = OrgKind.SOCIAL_GROUP, seq: int | None = None,
            legal: LegalStatus = LegalStatus.UNREGISTERED, on: dt.date | None = None,
            **extra: object) -> OrgRecord:
    code = code_for(kind, seq) if seq is not None else ""
    draft = OrgDraft(name=name, kind=kind, credit_code=code, **extra)  # type: ignore[arg-type]
    return registration.create(draft, legal, legal_on=on)


STAGE_PATHS = {
    IncubationState.APPLIED: (IncubationState.APPLIED,),
    IncubationState.UNDER_REVIEW: (IncubationState.APPLIED, IncubationState.UNDER_REVIEW),
    IncubationState.ADMITTED: (IncubationState.APPLIED, IncubationState.UNDER_REVIEW,
                               IncubationState.ADMITTED),
    IncubationState.INCUBATING: (IncubationState.APPLIED, IncubationState.UNDER_REVIEW,
                                 IncubationState.ADMITTED, IncubationState.INCUBATING),
}


def walk(org_id: int, stages: tuple[IncubationState, ...], start: dt.date) -> None:
    for n, stage in enumerate(stages):
        incubation.move(org_id, stage, start + dt.timedelta(days=10 * n))


def populate(today: dt.date | None = None) -> dict[str, int]:
    """Organizations in every incubation stage (counts 2, 1, 1, 3), with streets and
    fields, one agreement ending soon; returns name → id."""
    today = today or dt.date.today()
    start = today - dt.timedelta(days=200)
    made: dict[str, int] = {}
    plan = [
        ("阳光助老服务社", OrgKind.PRIVATE_NON_ENTERPRISE, IncubationState.APPLIED,
         "解放路街道", ServiceField.ELDERLY),
        ("绿色家园环保协会", OrgKind.SOCIAL_GROUP, IncubationState.APPLIED,
         "和平街道", ServiceField.ENVIRONMENT),
        ("彩虹儿童之家", OrgKind.COMMUNITY, IncubationState.UNDER_REVIEW,
         "解放路街道", ServiceField.CHILDREN),
        ("明德助学基金会", OrgKind.FOUNDATION, IncubationState.ADMITTED,
         "和平街道", ServiceField.EDUCATION),
        ("邻里守望互助会", OrgKind.COMMUNITY, IncubationState.INCUBATING,
         "解放路街道", ServiceField.COMMUNITY_GOVERNANCE),
        ("心桥心理咨询中心", OrgKind.PRIVATE_NON_ENTERPRISE, IncubationState.INCUBATING,
         "新华街道", ServiceField.HEALTH),
        ("博爱助残服务中心", OrgKind.PRIVATE_NON_ENTERPRISE, IncubationState.INCUBATING,
         "新华街道", ServiceField.DISABILITY),
    ]
    for seq, (name, kind, stage, street, field) in enumerate(plan, start=1):
        legal = LegalStatus.FILED if kind is OrgKind.COMMUNITY else LegalStatus.REGISTERED
        record = new_org(name, kind, seq if kind is not OrgKind.COMMUNITY else None, legal,
                         start - dt.timedelta(days=400), street=street, service_field=field,
                         legal_representative="张伟", contact_phone="027-88886666")
        walk(record.id, STAGE_PATHS[stage], start)
        made[name] = record.id
    incubation.sign_agreement(made["邻里守望互助会"], today - dt.timedelta(days=340),
                              today + dt.timedelta(days=20), "三楼工位2号")
    incubation.sign_agreement(made["心桥心理咨询中心"], today - dt.timedelta(days=100),
                              today + dt.timedelta(days=265), "二楼办公室")
    made["未入驻的协会"] = new_org("未入驻的协会", OrgKind.SOCIAL_GROUP, 90).id
    return made


@pytest.fixture
def make_org(register: peewee.Database) -> Callable[..., OrgRecord]:
    return new_org


@pytest.fixture
def populated(register: peewee.Database) -> dict[str, int]:
    return populate()


@pytest.fixture
def org_page(qtbot: QtBot, register: peewee.Database) -> OrgPage:
    widget = OrgPage()
    qtbot.addWidget(widget)
    widget.resize(1280, 760)
    widget.show()
    return widget
