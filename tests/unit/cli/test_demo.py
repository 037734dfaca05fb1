"""`yilian demo` run in-process: only into an empty register, never beside real records."""

from pathlib import Path

from app.cli.main import main
from app.domain.volunteer import VolunteerDraft
from app.services import demo
from app.services.volunteers import registration
from app.store.db import bound, make_database
from app.store.migrations import migrate
from app.store.models import Activity, ServiceRecord, Volunteer


def test_demo_fills_an_empty_register_and_marks_it(tmp_path: Path, capsys):
    path = str(tmp_path / "yilian-demo.sqlite3")
    assert main(["-q", "--db", path, "demo", "--volunteers", "200", "--seed", "3"]) == 0
    out = capsys.readouterr().out
    assert "已生成200名演示志愿者" in out and "演示活动" in out and "本登记簿为演示数据" in out
    with bound(make_database(path)) as db:
        db.connect()
        assert demo.is_demo() and not demo.is_empty()
        assert Volunteer.select().count() == 200
        assert Activity.select().count() > 0 and ServiceRecord.select().count() > 0


def test_demo_refuses_a_register_with_a_real_volunteer(tmp_path: Path, capsys):
    path = str(tmp_path / "register.sqlite3")
    with bound(make_database(path)) as db:
        db.connect()
        migrate()
        registration.register(VolunteerDraft(name="王芳", id_number="110105199001010010",
                                             phone="13800138000"))
    code = main(["-q", "--db", path, "demo", "--volunteers", "50", "--orgs", "5",
                 "--projects", "2", "--seed", "9"])
    out = capsys.readouterr().out
    assert code == 1
    assert "未生成演示数据" in out and "空的登记簿" in out
    with bound(make_database(path)) as db:
        db.connect()
        assert Volunteer.select().count() == 1
        assert not demo.is_demo()
        assert ServiceRecord.select().count() == 0


def test_demo_refuses_a_second_run(tmp_path: Path, capsys):
    path = str(tmp_path / "yilian-demo.sqlite3")
    assert main(["-q", "--db", path, "demo", "--volunteers", "0", "--orgs", "10"]) == 0
    capsys.readouterr()
    assert main(["-q", "--db", path, "demo", "--volunteers", "5"]) == 1
    assert "未生成演示数据" in capsys.readouterr().out
    with bound(make_database(path)) as db:
        db.connect()
        assert Volunteer.select().count() == 0
