"""Demo data for the whole application: only into an empty register, and enough of the
volunteer half that the hours, approval, report, shop and cards screens show rows."""

from __future__ import annotations

import datetime as dt

import pytest

from app.domain.errors import ValidationError
from app.domain.volunteer import VolunteerDraft
from app.services import demo
from app.services.cards import issuing as cards
from app.services.hours import activities
from app.services.hours import records as service_records
from app.services.points import ledger, redemptions, shop
from app.services.volunteers import registration
from app.store import rollups
from app.store.models import Certificate, ServiceRecord, Volunteer


@pytest.fixture
def filled(register):
    return demo.generate_all(300, orgs=10, projects=3, seed=5)


def test_a_register_with_a_real_volunteer_is_refused(register):
    registration.register(VolunteerDraft(name="王芳", id_number="110105199001010010",
                                         phone="13800138000"))
    assert not demo.is_empty()
    with pytest.raises(ValidationError, match="空的登记簿"):
        demo.generate_all(100, orgs=5, projects=2)
    assert Volunteer.select().count() == 1
    assert ServiceRecord.select().count() == 0
    assert not demo.is_demo()


def test_demo_register_is_marked(register, filled):
    assert demo.is_demo() and demo.generated_at()
    assert filled.volunteers == 300 and filled.organizations == 10 and filled.projects == 3
    with pytest.raises(ValidationError):  # a second run would mix into the first
        demo.generate_all(10)


def test_hours_approval_and_report_pages_have_rows(register, filled):
    today = dt.date.today()
    assert activities.count() >= 40
    assert activities.page(0, 50)
    pending = service_records.pending(0, 100)
    assert pending and service_records.count_pending() == filled.pending
    flags = {f for row in pending for f in row.flags}
    assert {"short_stay", "auto_checkout"} <= flags         # some need a second look
    year = today - dt.timedelta(days=365)
    for group in ("volunteer", "activity", "community", "month"):
        assert service_records.hours_report(year, today, group), group
    by_kind = service_records.hours_report(year, today, "month")
    assert sum(r.scanned_minutes for r in by_kind) > 0
    assert sum(r.manual_minutes for r in by_kind) > 0
    months = {r.key for r in by_kind}
    assert len(months) >= 10                               # spread over the past year


def test_totals_points_and_roll_up_agree(register, filled):
    raw = ServiceRecord.select(ServiceRecord.volunteer, ServiceRecord.minutes).where(
        ServiceRecord.status == "approved").tuples()
    per: dict[int, int] = {}
    for vid, minutes in raw:
        per[vid] = per.get(vid, 0) + minutes
    totals = dict(Volunteer.select(Volunteer.id, Volunteer.approved_minutes).where(
        Volunteer.approved_minutes != 0).tuples())
    assert totals == {v: m for v, m in per.items() if m}
    assert ledger.check_balances() == []
    assert sum(rollups.hours_by_month("2000-01", "2999-12").values()) == sum(per.values())


def test_shop_cards_and_certificates(register, filled):
    goods = shop.list_goods()
    assert goods and all(g.stock >= 0 for g in goods)
    assert filled.redemptions > 0 and redemptions.recent()
    holder = Volunteer.select().where(Volunteer.status == "active").order_by(Volunteer.id).first()
    assert filled.cards > 100 and cards.current(holder.id) is not None
    assert Certificate.select().count() == filled.certificates >= 1
    volunteer = Volunteer.select().where(Volunteer.points_balance > 0).first()
    assert volunteer is not None and ledger.ledger(volunteer.id)
