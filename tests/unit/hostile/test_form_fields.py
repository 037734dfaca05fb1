"""Form fields with SQL, HTML, very long text and NUL characters, through the services the
forms call: volunteer registration (create, update), organization and project registration,
activities and shop goods, on SQLite and PostgreSQL.

SQL and HTML are stored verbatim (queries are parameterised: read back, the text is the one
typed and the tables are still there). Beyond a field's length (the column's width; free-text
columns 2000 or 5000) the save is refused with a Chinese "过长" reason at that field, and a
control character (a NUL cannot even be stored in PostgreSQL text) is refused too; a refusal
leaves the register as it was. Before this, a 100,000-character street or a NUL in a name
reached the database: PostgreSQL raised DataError, SQLite stored it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain.errors import FormErrors, ValidationError
from app.domain.hours import ActivityDraft
from app.domain.idcard import check_character
from app.domain.normalize import clean_text
from app.domain.orgs import draft as org_draft
from app.domain.orgs.draft import OrgDraft
from app.domain.orgs.kinds import OrgKind
from app.domain.projects import draft as project_draft
from app.domain.projects.draft import ProjectDraft
from app.domain.projects.kinds import PurchaseMethod
from app.domain.volunteer import TEXT_LIMITS, VolunteerDraft
from app.services.hours import activities
from app.services.orgs import registration as orgs
from app.services.points import shop
from app.services.projects import registration as projects
from app.services.volunteers import registration
from app.store.models import Activity, AuditLog, Good, Organization, Project, Volunteer

SQL = "'; DROP TABLE volunteer;--"
HTML = "<b>x</b><script>alert(1)</script>"
LONG = "长" * 100_000
NUL = "甲\x00乙"
RANDOM_EXAMPLES = 60


def id_number(seq: int) -> str:
    first17 = f"11010519800101{seq:03d}"
    return first17 + check_character(first17)


def volunteer(seq: int = 1, **fields: object) -> VolunteerDraft:
    values: dict[str, object] = {"name": "张三", "id_number": id_number(seq),
                                 "phone": "13800138000", **fields}
    return VolunteerDraft(**values)  # type: ignore[arg-type]


def snapshot() -> tuple[int, ...]:
    return tuple(model.select().count() for model in (
        Volunteer, Organization, Project, Activity, Good, AuditLog))


def test_sql_and_html_are_stored_verbatim(register):
    record = registration.register(volunteer(name=SQL, skills=HTML, remarks=SQL,
                                             employer=HTML))
    back = registration.get(record.id).draft
    assert (back.name, back.skills, back.remarks, back.employer) == (SQL, HTML, SQL, HTML)
    org = orgs.create(OrgDraft(name=SQL, kind=OrgKind.SOCIAL_GROUP, address=HTML,
                               business_scope=SQL + "\n" + HTML))
    assert orgs.get(org.id).draft.business_scope == SQL + "\n" + HTML
    buyer = projects.save_purchaser(SQL, contact=HTML)
    project = projects.create(ProjectDraft(name=HTML, purchaser_id=buyer.id,
                                           method=PurchaseMethod.OPEN_TENDER,
                                           budget_fen=100_000, content=SQL))
    assert (projects.get(project.id).draft.name, buyer.name) == (HTML, SQL)
    start = dt.datetime(2026, 3, 1, 9)
    activity = activities.create(ActivityDraft(name=SQL, starts_at=start, place=HTML,
                                               ends_at=start + dt.timedelta(hours=2)))
    assert (activities.get(activity.id).name, activities.get(activity.id).place) == (SQL, HTML)
    good = shop.create_good(SQL, 10, unit="<b>")
    assert (good.name, good.unit) == (SQL, "<b>")
    assert Volunteer.select().count() == 1  # the table is still there
    assert Volunteer.select().where(Volunteer.name == SQL).count() == 1


@pytest.mark.parametrize("field", sorted(TEXT_LIMITS))
def test_a_volunteer_field_beyond_its_length_or_with_a_nul_is_refused(register, field):
    before = snapshot()
    label, limit = TEXT_LIMITS[field]
    for text, reason in ((LONG, "过长"), ("字" * (limit + 1), "过长"), (NUL, "控制字符")):
        with pytest.raises(FormErrors) as refused:
            registration.register(volunteer(**{field: text}))
        message = refused.value.errors[field]
        assert message.startswith(label) and reason in message
    assert snapshot() == before
    if field != "name":
        record = registration.register(volunteer(**{field: "字" * limit}))
        assert getattr(record.draft, field) == "字" * limit


def test_an_update_beyond_a_length_is_refused_and_changes_nothing(register):
    record = registration.register(volunteer())
    for field, text in (("street", LONG), ("remarks", NUL), ("employer", LONG)):
        with pytest.raises(FormErrors) as refused:
            registration.update(record.id, volunteer(**{field: text}), record.version)
        assert field in refused.value.errors
    again = registration.get(record.id)
    assert again.version == record.version and again.draft == record.draft
    changed = registration.update(record.id, volunteer(employer=SQL), record.version)
    assert changed.draft.employer == SQL


@pytest.mark.parametrize("field", sorted(org_draft.TEXT_LIMITS))
def test_an_organization_field_beyond_its_length_or_with_a_nul_is_refused(register, field):
    before = snapshot()
    for text in (LONG, NUL):
        values = {"name": "益联社工服务中心", "kind": OrgKind.SOCIAL_GROUP, field: text}
        with pytest.raises(FormErrors) as refused:
            orgs.create(OrgDraft(**values))  # type: ignore[arg-type]
        assert field in refused.value.errors
    assert snapshot() == before


@pytest.mark.parametrize("field", sorted(project_draft.TEXT_LIMITS))
def test_a_project_field_beyond_its_length_or_with_a_nul_is_refused(register, field):
    buyer = projects.save_purchaser("区民政局")
    before = snapshot()
    for text, reason in ((LONG, "过长"), (NUL, "控制字符")):
        values = {"name": "长者助餐", "purchaser_id": buyer.id,
                  "method": PurchaseMethod.OPEN_TENDER, "budget_fen": 100_000, field: text}
        with pytest.raises(FormErrors) as refused:
            projects.create(ProjectDraft(**values))  # type: ignore[arg-type]
        assert reason in refused.value.errors[field]
    with pytest.raises(FormErrors, match="过长"):
        projects.save_purchaser(LONG)
    assert snapshot() == before


def test_activities_and_goods_refuse_long_text_and_nul(register):
    before = snapshot()
    start = dt.datetime(2026, 3, 1, 9)
    for field in ("name", "organizer", "place", "category"):
        for text, reason in ((LONG, "过长"), (NUL, "控制字符")):
            values = {"name": "义诊", "starts_at": start,
                      "ends_at": start + dt.timedelta(hours=2), field: text}
            with pytest.raises(FormErrors) as refused:
                activities.create(ActivityDraft(**values))  # type: ignore[arg-type]
            assert reason in refused.value.errors[field]
    for name, unit, reason in ((LONG, "件", "过长"), (NUL, "件", "控制字符"),
                               ("毛巾", LONG, "过长")):
        with pytest.raises(ValidationError, match=reason):
            shop.create_good(name, 10, unit=unit)
    assert snapshot() == before


@settings(max_examples=RANDOM_EXAMPLES, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(("employer", "skills", "street", "remarks", "name")),
       st.text(max_size=150))
def test_random_text_is_stored_as_cleaned_or_refused_with_a_reason(register, field, text):
    """Any text (controls, emoji, surrogate-free Unicode): stored as `clean_text` makes it,
    or refused as a form error — never another exception, never a half-written row."""
    before = snapshot()
    seq = Volunteer.select().count() + 1
    try:
        record = registration.register(volunteer(seq, **{field: text}))
    except FormErrors as refused:
        assert set(refused.errors) == {field} and refused.errors[field]
        assert snapshot() == before
        return
    expected = clean_text(text).replace(" ", "") if field == "name" and text.strip() \
        and all("\u3400" <= ch <= "\u9fff" or ch.isspace() for ch in text.strip()) \
        else clean_text(text)
    stored = registration.get(record.id).draft
    assert getattr(stored, field) == expected


def test_case_counts_are_reported(capsys):
    with capsys.disabled():
        print(f"\nhostile form fields: 4 fixed payloads (SQL, HTML, 100,000 characters, NUL) "
              f"through 6 services, {RANDOM_EXAMPLES} random texts per backend")
