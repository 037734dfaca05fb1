"""`yilian due` run in-process through `app.cli.main.main` on a SQLite register."""

import datetime as dt
import json
from pathlib import Path

import pytest

from app.cli.main import main
from app.domain.orgs.draft import OrgDraft
from app.domain.orgs.kinds import OrgKind
from app.domain.orgs.legal_status import LegalStatus
from app.services.orgs import registration
from app.store.db import bound, database, make_database
from app.store.migrations import migrate
from app.store.models import OrgInspection

CODE = "51420000MJH200395N"
LATE = "52420000MJH233402K"


@pytest.fixture
def db(tmp_path: Path) -> str:
    """Two registered organizations: one has filed last year's inspection, one has not, and
    the one before it is overdue for both but the first."""
    path = str(tmp_path / "register.sqlite3")
    last = dt.date.today().year - 1
    with bound(make_database(path)) as conn:
        conn.connect()
        migrate()
        good = registration.create(OrgDraft(
            name="夕阳红志愿服务协会", kind=OrgKind.SOCIAL_GROUP, credit_code=CODE,
            legal_representative="黄志强"), LegalStatus.REGISTERED, dt.date(2019, 5, 1)).id
        registration.create(OrgDraft(
            name="阳光养老服务中心", kind=OrgKind.PRIVATE_NON_ENTERPRISE, credit_code=LATE,
            legal_representative="王芳"), LegalStatus.REGISTERED, dt.date(2019, 5, 1))
        for year in (last - 1, last):
            OrgInspection.create(org=good, year=year, submitted_on=dt.date(year + 1, 3, 1))
    return path


def yilian(*args: str) -> int:
    previous = database.obj
    try:
        return main(list(args))
    finally:
        if database.obj is not None and database.obj is not previous:
            database.obj.close()
        database.initialize(previous)


def test_json_lists_the_late_organization_only(db, capsys):
    assert yilian("--db", db, "due", "--within", "100", "--json") == 0
    items = json.loads(capsys.readouterr().out)
    assert items, "the second organization owes inspections"
    assert {i["code"] for i in items} == {LATE}
    first = items[0]
    for key in ("kind", "kind_label", "subject", "code", "name", "org_id", "project_id",
                "project", "due", "days_overdue"):
        assert key in first
    assert first["project_id"] is None  # a project's tranche or milestone carries its id
    assert first["project"] == ""  # and its number and name
    assert first["kind"] == "inspection" and first["kind_label"] == "年检"
    assert first["subject"] == f"{LATE} 阳光养老服务中心" and first["name"] == "阳光养老服务中心"
    assert dt.date.fromisoformat(first["due"])
    overdue = [i for i in items if i["days_overdue"] > 0]
    assert overdue and overdue == items[:len(overdue)]   # most overdue first


def test_lines_say_how_late_or_how_long_is_left(db, capsys):
    assert yilian("--db", db, "due", "--within", "100") == 0
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert lines and all(LATE in line and "阳光养老服务中心" in line for line in lines)
    assert lines[0].startswith("逾期 ") and "  年检  " in lines[0]
    assert all(line.startswith(("逾期 ", "还有 ", "今天到期")) for line in lines)
    assert f"共{len(lines)}项" in captured.err


def test_a_negative_window_is_refused(db, capsys):
    assert yilian("--db", db, "due", "--within", "-1") == 1
    assert "--within" in capsys.readouterr().err


def test_a_rating_lapsed_years_ago_is_no_longer_chased(db, capsys):
    """Lapsed ratings stayed overdue forever; a year after the lapse they leave the list."""
    from app.domain.orgs.kinds import Rating
    from app.domain.orgs.uscc import check_character, organization_check_character
    from app.services.orgs import inspections

    body = "MJH00077"
    first17 = f"51420000{body}{organization_check_character(body)}"
    old_code = first17 + check_character(first17)
    today = dt.date.today()
    with bound(make_database(db)) as conn:
        conn.connect()
        old = registration.create(OrgDraft(
            name="老牌志愿者协会", kind=OrgKind.SOCIAL_GROUP, credit_code=old_code,
            legal_representative="李明"), LegalStatus.REGISTERED, dt.date(2005, 1, 10)).id
        inspections.rate(old, Rating.A3, today.replace(year=today.year - 8, day=1))
    assert yilian("--db", db, "due", "--within", "100", "--json") == 0
    assert "rating" not in {i["kind"] for i in json.loads(capsys.readouterr().out)}
    with bound(make_database(db)) as conn:
        conn.connect()
        inspections.rate(old, Rating.A4, today.replace(year=today.year - 5, day=1)
                         - dt.timedelta(days=60))
    assert yilian("--db", db, "due", "--json") == 0
    ratings = [i for i in json.loads(capsys.readouterr().out) if i["kind"] == "rating"]
    assert [(i["code"], i["days_overdue"] > 0) for i in ratings] == [(old_code, True)]
