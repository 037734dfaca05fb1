"""Fixtures of the project screens: organizations (one in bad standing), purchasers and
projects in several lifecycle stages, all made through the services, and the page itself."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import peewee
import pytest
from pytestqt.qtbot import QtBot

from app.domain.orgs.draft import OrgDraft
from app.domain.orgs.kinds import CreditListKind, OrgKind
from app.domain.orgs.legal_status import LegalStatus
from app.domain.projects.draft import ProjectDraft
from app.domain.projects.kinds import IndicatorLevel1, IndicatorLevel2, PurchaseMethod
from app.domain.projects.lifecycle import ProjectStatus
from app.services.orgs import inspections
from app.services.orgs import registration as orgs
from app.services.projects import indicators, lifecycle, money, registration
from app.services.projects.indicators import IndicatorDraft
from app.services.projects.money import TrancheDraft
from app.ui.projects.page import ProjectPage

CONTRACT_FEN = 18_000_000  # ¥180,000.00


def project(name: str, purchaser: int, contractor: int | None, start: dt.date,
            **extra: object) -> int:
    draft = ProjectDraft(name=name, purchaser_id=purchaser, contractor_id=contractor,
                         method=PurchaseMethod.CONSULTATION, budget_fen=20_000_000,
                         starts_on=start, ends_on=start + dt.timedelta(days=364),
                         lead="李娜", finance_lead="王强", **extra)  # type: ignore[arg-type]
    return registration.create(draft, today=start).id


def walk(project_id: int, states: list[ProjectStatus], start: dt.date) -> None:
    for n, state in enumerate(states, start=1):
        lifecycle.move(project_id, state, start + dt.timedelta(days=7 * n))


def populate(today: dt.date | None = None) -> dict[str, int]:
    """Two purchasers, two organizations (one on the 活动异常名录) and four projects:
    a draft, one in service with a 40/30/30 plan and a first payment, one in procurement
    for the other purchaser, one terminated. Returns name → id (projects, orgs, purchasers).
    """
    today = today or dt.date.today()
    start = today - dt.timedelta(days=120)
    made: dict[str, int] = {}
    made["区民政局"] = registration.save_purchaser("区民政局", "张科长", "027-88880001").id
    made["区卫健委"] = registration.save_purchaser("区卫健委").id
    made["阳光助老服务社"] = orgs.create(OrgDraft(
        name="阳光助老服务社", kind=OrgKind.COMMUNITY), LegalStatus.UNREGISTERED).id
    made["心桥心理咨询中心"] = orgs.create(OrgDraft(
        name="心桥心理咨询中心", kind=OrgKind.COMMUNITY), LegalStatus.UNREGISTERED).id
    inspections.list_entry(made["心桥心理咨询中心"], CreditListKind.ABNORMAL,
                           today - dt.timedelta(days=30), "未按时报送年度报告")
    good = made["阳光助老服务社"]
    made["社区居家养老服务项目"] = project("社区居家养老服务项目", made["区民政局"], good, start)
    running = project("青少年成长陪伴服务项目", made["区民政局"], good, start,
                      contract_amount_fen=CONTRACT_FEN, signed_on=start + dt.timedelta(days=10),
                      service_area="和平街道", target_group="困境青少年")
    walk(running, [ProjectStatus.PROCUREMENT, ProjectStatus.CONTRACTED,
                   ProjectStatus.IN_SERVICE], start)
    money.set_tranches(running, [
        TrancheDraft(share=Decimal(40), condition="合同签订后", due_on=start + dt.timedelta(30)),
        TrancheDraft(share=Decimal(30), condition="中期评估合格后",
                     due_on=today - dt.timedelta(days=5)),
        TrancheDraft(share=Decimal(30), condition="结项验收合格后",
                     due_on=today + dt.timedelta(days=200))])
    money.pay(running, 7_200_000, start + dt.timedelta(days=25))
    indicators.set_indicators(running, [
        IndicatorDraft(IndicatorLevel1.OUTPUT, IndicatorLevel2.QUANTITY, "服务青少年人数", "人",
                       "≥200", "156", Decimal(30), Decimal(24)),
        IndicatorDraft(IndicatorLevel1.OUTPUT, IndicatorLevel2.QUANTITY, "开展小组活动", "次",
                       "≥24", "18", Decimal(20), Decimal(15)),
        IndicatorDraft(IndicatorLevel1.OUTPUT, IndicatorLevel2.QUALITY, "个案结案率", "%",
                       "≥90%", "92%", Decimal(20), Decimal(20)),
        IndicatorDraft(IndicatorLevel1.SATISFACTION, IndicatorLevel2.SERVICE_SATISFACTION,
                       "服务对象满意度", "%", "≥90%", "95%", Decimal(30), None)])
    made["青少年成长陪伴服务项目"] = running
    procurement = project("社区健康促进项目", made["区卫健委"], None, start)
    walk(procurement, [ProjectStatus.PROCUREMENT], start)
    made["社区健康促进项目"] = procurement
    ended = project("老旧小区环境改善项目", made["区民政局"], good, start)
    walk(ended, [ProjectStatus.TERMINATED], start)
    made["老旧小区环境改善项目"] = ended
    return made


@pytest.fixture
def populated(register: peewee.Database) -> dict[str, int]:
    return populate()


@pytest.fixture
def project_page(qtbot: QtBot, populated: dict[str, int]) -> ProjectPage:
    widget = ProjectPage()
    qtbot.addWidget(widget)
    widget.resize(1280, 760)
    widget.show()
    return widget
