"""Demo projects: every state, money that never exceeds the contract, hours on the linked
activities kept in the volunteers' totals and the points ledger."""

import datetime as dt

import peewee as pw

from app.domain.projects.kinds import IndicatorLevel1
from app.domain.projects.lifecycle import ProjectStatus
from app.services.points import ledger
from app.services.projects import demo
from app.store.models import (
    Activity,
    Indicator,
    Payment,
    Project,
    ProjectEvaluation,
    ServiceRecord,
    Tranche,
    Volunteer,
)

TODAY = dt.date(2026, 6, 15)


def test_every_state_money_indicators_and_hours(register):
    result = demo.generate(40, seed=4, today=TODAY)
    assert result.projects == Project.select().count() == 40
    states = {ProjectStatus(s) for (s,) in Project.select(Project.status).tuples()}
    assert states == set(ProjectStatus)

    for p in Project.select():
        paid = Payment.select(pw.fn.SUM(Payment.amount_fen)).where(
            Payment.project == p.id).scalar() or 0
        assert p.paid_fen == paid
        if p.contract_amount_fen is None:
            assert paid == 0 and not Tranche.select().where(Tranche.project == p.id).exists()
            continue
        assert paid <= p.contract_amount_fen
        planned = [t.planned_fen for t in Tranche.select().where(Tranche.project == p.id)
                   .order_by(Tranche.seq)]
        assert sum(planned) == p.contract_amount_fen and len(planned) == 3
        indicators = list(Indicator.select().where(Indicator.project == p.id))
        assert 8 <= len(indicators) <= 15
        assert {i.level1 for i in indicators} == {str(x) for x in IndicatorLevel1}
        if p.status == ProjectStatus.CLOSED:
            assert paid == p.contract_amount_fen
        if p.status in (ProjectStatus.EVALUATED, ProjectStatus.CLOSED):
            assert ProjectEvaluation.select().where(
                (ProjectEvaluation.project == p.id) & (ProjectEvaluation.kind == "final")).exists()

    linked = (ServiceRecord.select(pw.fn.SUM(ServiceRecord.minutes))
              .join(Activity).where(Activity.project_id.is_null(False)
                                    & (ServiceRecord.status == "approved")).scalar())
    assert linked and linked > 0 and linked == result.minutes
    totals = Volunteer.select(pw.fn.SUM(Volunteer.approved_minutes)).scalar()
    assert totals == linked  # the running totals agree with the records
    assert ledger.check_balances() == []  # points balances equal the ledger


def test_names_read_as_purchasers_write_them(register):
    """Year, district, street and service; no piece of the contractor's name cut short."""
    import re

    demo.generate(20, seed=5, today=TODAY)
    services = "|".join(re.escape(s) for s, _g, _c in demo.SERVICES)
    streets = "|".join(re.escape(a) for a in demo.AREAS if a != "全域")
    shape = re.compile(rf"20\d\d年历下区({streets})?({services})项目")
    for name, area in Project.select(Project.name, Project.service_area).tuples():
        assert shape.fullmatch(name), name
        assert area == "历下区全域" or area.removeprefix("历下区") in name


def test_contractors_come_from_the_register_and_a_second_run_adds_more(register):
    demo.generate(12, seed=1, today=TODAY)
    demo.generate(12, seed=2, today=TODAY)
    assert Project.select().count() == 24
    assert Project.select(Project.number).distinct().count() == 24
    assert not Project.select().where(Project.contractor.is_null()).exists()


def test_demo_weights_make_exactly_one_hundred(register):
    from decimal import Decimal

    from app.services.projects import demo
    from app.store.models import BudgetLine, Indicator, Project

    demo.generate(6, seed=3)
    for project in Project.select():
        weights = [i.weight for i in Indicator.select().where(Indicator.project == project.id)]
        budget = [b.weight or 0 for b in BudgetLine.select().where(
            BudgetLine.project == project.id)]
        if weights:
            assert sum(weights) + sum(budget) == Decimal(100)
