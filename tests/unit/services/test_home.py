"""The home page's figures on a small register built through the services."""

import datetime as dt

from app.domain.hours import ActivityDraft
from app.domain.orgs.draft import OrgDraft
from app.domain.orgs.incubation import IncubationState
from app.domain.orgs.kinds import OrgKind
from app.domain.orgs.legal_status import LegalStatus
from app.domain.projects.draft import ProjectDraft
from app.domain.projects.kinds import PurchaseMethod
from app.domain.projects.lifecycle import ProjectStatus
from app.domain.volunteer import Status, VolunteerDraft
from app.services import home
from app.services.hours import activities
from app.services.hours import records as service_records
from app.services.orgs import demo as org_demo
from app.services.orgs import due, incubation
from app.services.orgs import registration as orgs
from app.services.projects import lifecycle, listing, money
from app.services.projects import registration as projects
from app.services.projects.listing import ProjectFilter, ProjectMoney
from app.services.volunteers import registration as volunteers

TODAY = dt.date(2026, 6, 15)
NOW = dt.datetime(2026, 6, 15, 18, 0)
IDS = ("11010519491231002X", "440524188001010014", "110105199001010010")


def _volunteers() -> list[int]:
    ids = [volunteers.register(VolunteerDraft(name=name, id_number=number,
                                              phone=f"1380013800{k}")).id
           for k, (name, number) in enumerate(zip(("王芳", "李强", "张敏"), IDS, strict=True))]
    volunteers.change_status(ids[2], Status.SUSPENDED, "外出务工")
    return ids


def _served(vid: int, day: dt.date, minutes: int = 120) -> int:
    start = dt.datetime.combine(day, dt.time(9, 0))
    act = activities.create(ActivityDraft(name=f"社区服务{day}", starts_at=start,
                                          ends_at=start + dt.timedelta(hours=4)))
    return service_records.add_manual(vid, act.id, start, start + dt.timedelta(minutes=minutes),
                                      "陪伴老人", now=NOW).id


def test_volunteers_and_hours(register):
    v1, v2, _v3 = _volunteers()
    june = _served(v1, dt.date(2026, 6, 2), 120)
    march = _served(v1, dt.date(2026, 3, 10), 180)
    november = _served(v2, dt.date(2025, 11, 10), 60)    # last year, inside the window
    long_ago = _served(v2, dt.date(2025, 5, 10), 240)    # older than twelve months
    reversed_one = _served(v2, dt.date(2026, 6, 3), 90)
    _pending = _served(v2, dt.date(2026, 6, 4), 30)
    service_records.approve([june, march, november, long_ago, reversed_one])
    service_records.reverse(reversed_one, "重复录入")

    s = home.summary(TODAY)
    assert s.volunteers.registered == 3 and s.volunteers.active == 2
    assert s.hours.this_month_minutes == 120       # pending and reversed left out
    assert s.hours.this_year_minutes == 120 + 180
    months = {m.key: m.minutes for m in s.hours.by_month}
    assert len(s.hours.by_month) == 12
    assert s.hours.by_month[0].key == "2025-07" and s.hours.by_month[-1].key == "2026-06"
    assert months["2025-11"] == 60 and months["2026-03"] == 180 and months["2026-06"] == 120
    assert "2025-05" not in months
    assert sum(months.values()) == 360


def test_organizations_by_stage_and_legal_status(register):
    first = orgs.create(OrgDraft(name="青苗社工服务中心", kind=OrgKind.SOCIAL_GROUP)).id
    orgs.create(OrgDraft(name="阳光社工服务中心", kind=OrgKind.PRIVATE_NON_ENTERPRISE,
                         credit_code="52420000MJH233402K"),
                LegalStatus.REGISTERED, dt.date(2026, 3, 1))
    incubation.move(first, IncubationState.APPLIED, dt.date(2026, 4, 1))

    s = home.summary(TODAY)
    stages = {c.key: c.count for c in s.orgs.by_stage}
    legal = {c.key: c.count for c in s.orgs.by_legal_status}
    assert s.orgs.total == 2 and s.orgs.never_applied == 1
    assert stages[str(IncubationState.APPLIED)] == 1 and sum(stages.values()) == 1
    assert legal[str(LegalStatus.REGISTERED)] == 1 and legal[str(LegalStatus.UNREGISTERED)] == 1
    assert [c.key for c in s.orgs.by_stage] == [str(x) for x in IncubationState]


def test_projects_by_status_with_contracted_and_paid_totals(register):
    contractor = orgs.create(OrgDraft(name="阳光社工服务中心", kind=OrgKind.PRIVATE_NON_ENTERPRISE,
                                      credit_code="52420000MJH233402K"),
                             LegalStatus.REGISTERED, dt.date(2026, 3, 1)).id
    purchaser = projects.purchaser_id_for("历下区民政局")

    def project(contract: int | None) -> int:
        return projects.create(ProjectDraft(
            name="社区居家养老服务项目", purchaser_id=purchaser, contractor_id=contractor,
            method=PurchaseMethod.CONSULTATION, budget_fen=50_000_000,
            contract_amount_fen=contract, signed_on=dt.date(2026, 4, 10),
            starts_on=dt.date(2026, 5, 1), ends_on=dt.date(2027, 4, 30)),
            today=dt.date(2026, 4, 1)).id

    project(None)                                    # a draft without a contract
    signed = project(48_000_000)
    lifecycle.move(signed, ProjectStatus.PROCUREMENT, dt.date(2026, 4, 2))
    lifecycle.move(signed, ProjectStatus.CONTRACTED, dt.date(2026, 4, 10))
    money.pay(signed, 19_200_000, dt.date(2026, 4, 20))
    other = project(30_000_000)
    lifecycle.move(other, ProjectStatus.PROCUREMENT, dt.date(2026, 4, 2))

    s = home.summary(TODAY)
    by = {f.status: f for f in s.projects.by_status}
    assert [f.status for f in s.projects.by_status] == list(ProjectStatus)
    assert s.projects.total == 3
    assert by[ProjectStatus.DRAFT].count == 1 and by[ProjectStatus.DRAFT].contracted_fen == 0
    assert by[ProjectStatus.PROCUREMENT].count == 1
    assert by[ProjectStatus.PROCUREMENT].contracted_fen == 30_000_000
    assert by[ProjectStatus.CONTRACTED].count == 1
    assert by[ProjectStatus.CONTRACTED].contracted_fen == 48_000_000
    assert by[ProjectStatus.CONTRACTED].paid_fen == 19_200_000
    assert s.projects.contracted_fen == 78_000_000 and s.projects.paid_fen == 19_200_000
    # the money tiles open the projects they count: the counts are the filtered list's
    assert (s.projects.contracted_count, s.projects.paid_count) == (2, 1)
    assert listing.count(ProjectFilter(money=ProjectMoney.CONTRACTED)) == 2
    assert [r.id for r in listing.page(ProjectFilter(money=ProjectMoney.PAID), 0, 9)] == [signed]


def test_due_list_is_cut_to_twenty_with_the_total(register):
    org_demo.generate(80, seed=2, today=TODAY)
    everything = due.items(TODAY)
    assert len(everything) > home.DUE_SHOWN
    s = home.summary(TODAY)
    assert s.due.total == len(everything)
    assert list(s.due.items) == everything[:home.DUE_SHOWN]
    assert s.due.overdue == sum(1 for item in everything if item.overdue)


def test_an_empty_register(register):
    s = home.summary(TODAY)
    assert s.volunteers.registered == 0 and s.hours.this_year_minutes == 0
    assert all(m.minutes == 0 for m in s.hours.by_month)
    assert s.projects.total == 0 and s.due.total == 0
