"""The due list: each kind, days overdue vs days left, the windows and `within`."""

import datetime as dt

from app.domain.orgs.draft import OrgDraft
from app.domain.orgs.incubation import IncubationState
from app.domain.orgs.kinds import OrgKind, Rating
from app.domain.orgs.legal_status import LegalStatus
from app.domain.orgs.uscc import check_character, organization_check_character
from app.services.orgs import due, incubation, inspections, legal, registration

D = dt.date


def code(n: int, kind_digit: str = "1") -> str:
    body = f"MJH{n:05d}"
    first17 = f"5{kind_digit}420000{body}{organization_check_character(body)}"
    return first17 + check_character(first17)


def registered(name: str, on: D, n: int, kind: OrgKind = OrgKind.SOCIAL_GROUP,
               **kw) -> int:
    digit = {OrgKind.SOCIAL_GROUP: "1", OrgKind.PRIVATE_NON_ENTERPRISE: "2",
             OrgKind.FOUNDATION: "3"}[kind]
    return registration.create(OrgDraft(name=name, kind=kind, credit_code=code(n, digit), **kw),
                               LegalStatus.REGISTERED, on).id


def by_kind(found: list[due.DueItem], kind: str) -> list[tuple[str, int]]:
    return [(i.name, i.days_overdue) for i in found if i.kind == kind]


def test_inspections_due_soon_and_overdue(register):
    a = registered("甲协会", D(2020, 3, 1), 1)
    b = registered("乙基金会", D(2020, 3, 1), 2, OrgKind.FOUNDATION)
    registered("丙协会", D(2025, 2, 1), 3)  # registered this year: owes nothing yet
    inspections.record(a, 2023, submitted_on=D(2024, 5, 1), today=D(2025, 4, 15))
    found = due.items(D(2025, 4, 15))
    # 甲: 2024 due 31 May (46 days left); 2023 submitted. 乙: 2023 and 2024 both missed.
    assert by_kind(found, "inspection") == [("乙基金会", 380), ("乙基金会", 15), ("甲协会", -46)]
    item = next(i for i in found if i.name == "甲协会")
    assert item.kind_label == "年检" and item.due == D(2025, 5, 31) and not item.overdue
    assert item.subject == f"{code(1)} 甲协会" and "2024年度年检" in item.detail
    assert b in {i.org_id for i in found}
    early = due.items(D(2025, 3, 1))  # 甲's deadline 91 days away: outside the 60-day window
    assert ("甲协会", -91) not in by_kind(early, "inspection")
    assert ("甲协会", -91) in by_kind(due.items(D(2025, 3, 1), within=100), "inspection")


def test_due_tomorrow_versus_overdue_yesterday(register):
    registered("明天到期协会", D(2020, 3, 1), 1)
    registered("昨天到期基金会", D(2020, 3, 1), 2, OrgKind.FOUNDATION)
    found = due.items(D(2025, 4, 1), kinds=["inspection"])
    assert [(i.name, i.days_overdue, i.overdue) for i in found if i.due.year == 2025] == [
        ("昨天到期基金会", 1, True), ("明天到期协会", -60, False)]
    found = due.items(D(2025, 5, 30), kinds=["inspection"])
    soc = next(i for i in found if i.name == "明天到期协会" and i.due.year == 2025)
    assert (soc.days_overdue, soc.overdue) == (-1, False)


def test_agreement_certificate_and_rating(register):
    inc = registration.create(OrgDraft(name="孵化中的小组", kind=OrgKind.COMMUNITY)).id
    for n, step in enumerate((IncubationState.APPLIED, IncubationState.UNDER_REVIEW,
                              IncubationState.ADMITTED, IncubationState.INCUBATING)):
        incubation.move(inc, step, D(2024, 1, 1 + n))
    incubation.sign_agreement(inc, D(2024, 1, 4), D(2025, 1, 3))
    cert = registered("证书将到期协会", D(2019, 1, 10), 1)
    legal_rec = registration.get(cert)
    legal.move(cert, LegalStatus.DEREGISTERED, D(2024, 12, 31))  # deregistered: not listed
    live = registered("证书协会", D(2019, 1, 10), 2, certificate_valid_from=D(2020, 1, 1),
                      certificate_valid_to=D(2025, 3, 1))
    rated = registered("五年前评级协会", D(2015, 1, 10), 3)
    inspections.rate(rated, Rating.A3, D(2020, 3, 1))
    assert legal_rec.legal_status is LegalStatus.REGISTERED
    found = due.items(D(2024, 12, 20))
    assert by_kind(found, "agreement") == [("孵化中的小组", -14)]
    assert by_kind(found, "certificate") == [("证书协会", -71)]
    assert by_kind(found, "rating") == [("五年前评级协会", -70)]  # valid to 2025-02-28
    assert {i.org_id for i in found if i.kind == "certificate"} == {live}
    later = due.items(D(2025, 3, 10), kinds=["agreement", "certificate", "rating"])
    assert [(i.kind, i.days_overdue) for i in later] == [
        ("agreement", 66), ("rating", 10), ("certificate", 9)]
    assert later[0].kind_label == "孵化协议到期" and "已于" in later[0].detail
    assert due.items(D(2024, 11, 1), kinds=["agreement"]) == []
    assert len(due.items(D(2024, 11, 1), within=63, kinds=["agreement"])) == 1
    incubation.extend_agreement(inc, D(2025, 12, 31), "延期半年", D(2024, 12, 1))
    assert due.items(D(2025, 3, 10), kinds=["agreement"]) == []


def test_sources_are_open_to_more_kinds(register):
    registered("甲协会", D(2020, 3, 1), 1)

    def payments(today: D, within: int) -> list[due.DueItem]:
        return [due.DueItem("payment", "拨付节点", 0, "", "某项目", today, 3, "第二笔")]

    due.add_source("payment", "拨付节点", 30, payments)
    try:
        found = due.items(D(2025, 4, 1))
        assert [i.kind for i in found if i.days_overdue == 3] == ["payment"]
        assert due.items(D(2025, 4, 1), kinds=["payment"])[0].subject == "某项目"
        assert due.kind_labels()["payment"] == "拨付节点"
    finally:
        del due.SOURCES["payment"]


def test_a_lapse_stays_listed_for_a_year_then_leaves_the_list(register):
    """Certificates and ratings that lapsed years ago were listed as overdue forever."""
    today = D(2026, 6, 1)
    year_ago = today - dt.timedelta(days=due.EXPIRED_SHOWN_DAYS)
    registered("去年到期证书协会", D(2015, 1, 10), 1, certificate_valid_from=D(2016, 1, 1),
               certificate_valid_to=year_ago)
    registered("多年前到期证书协会", D(2015, 1, 10), 2, certificate_valid_from=D(2016, 1, 1),
               certificate_valid_to=year_ago - dt.timedelta(days=1))
    recent = registered("近期失效评级协会", D(2010, 1, 10), 3)
    inspections.rate(recent, Rating.A3, D(2021, 3, 1))  # valid to 2026-02-28
    old = registered("早已失效评级协会", D(2010, 1, 10), 4)
    inspections.rate(old, Rating.A4, D(2019, 3, 1))  # valid to 2024-02-29
    edge = registered("一年前失效评级协会", D(2010, 1, 10), 5)
    inspections.rate(edge, Rating.A2, D(2020, 6, 2))  # valid to 2025-06-01: 365 days ago
    found = due.items(today, kinds=["certificate", "rating"])
    assert by_kind(found, "certificate") == [("去年到期证书协会", 365)]
    assert by_kind(found, "rating") == [("一年前失效评级协会", 365), ("近期失效评级协会", 93)]
    later = due.items(today + dt.timedelta(days=1), kinds=["certificate", "rating"])
    assert [i.name for i in later] == ["近期失效评级协会"]
    inspections.rate(recent, Rating.A4, D(2026, 5, 20))  # renewed: off the list
    assert due.items(today, kinds=["rating"])[0].name == "一年前失效评级协会"
    assert len(due.items(today, kinds=["rating"])) == 1
