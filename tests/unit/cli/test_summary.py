"""`yilian summary` run in-process through `app.cli.main.main` on a SQLite register."""

import datetime as dt
import json
from pathlib import Path

import pytest

from app.cli.main import main
from app.services.projects import demo as project_demo
from app.store.db import bound, make_database
from app.store.migrations import migrate


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "register.sqlite3")
    with bound(make_database(path)) as conn:
        conn.connect()
        migrate()
        project_demo.generate(15, seed=2, today=dt.date.today())
    return path


def test_json_is_one_object_with_fen_and_yuan(db, capsys):
    assert main(["--db", db, "summary", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["today"] == dt.date.today().isoformat()
    assert data["volunteers"]["registered"] >= data["volunteers"]["active"] > 0
    assert len(data["hours"]["by_month"]) == 12
    assert data["hours"]["this_year_minutes"] >= data["hours"]["this_month_minutes"] >= 0
    projects = data["projects"]
    assert projects["total"] == 15
    assert projects["contracted_fen"] == sum(s["contracted_fen"] for s in projects["by_status"])
    assert projects["contracted_yuan"] == f"{projects['contracted_fen'] / 100:.2f}"
    assert projects["paid_fen"] <= projects["contracted_fen"]
    assert {s["label"] for s in projects["by_status"]} >= {"草稿", "已结项"}
    assert data["orgs"]["total"] > 0
    assert len(data["due"]["items"]) <= 20 and data["due"]["total"] >= len(data["due"]["items"])
    for item in data["due"]["items"]:
        dt.date.fromisoformat(item["due"])
        # a project's tranche or milestone names its project, as the home page opens it
        assert (item["project_id"] is not None) == (item["kind"] in ("tranche", "milestone"))


def test_lines(db, capsys):
    assert main(["--db", db, "summary"]) == 0
    out = capsys.readouterr().out
    assert "志愿者 注册" in out and "购买服务项目 共15个" in out and "到期与逾期事项" in out
    assert "¥" in out


def test_demo_projects_then_summary(tmp_path, capsys):
    path = str(tmp_path / "demo.sqlite3")
    assert main(["-q", "--db", path, "demo", "--volunteers", "40", "--projects", "9"]) == 0
    assert "9个演示购买服务项目" in capsys.readouterr().out
    assert main(["--db", path, "summary", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["projects"]["total"] == 9 and data["volunteers"]["registered"] == 40
    assert data["hours"]["this_year_minutes"] > 0 or any(
        m["minutes"] > 0 for m in data["hours"]["by_month"])
