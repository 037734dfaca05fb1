"""The schema runner: fresh build, step-by-step upgrade with backup, atomic steps."""

import sqlite3

import peewee
import pytest

from app.store.db import database, make_database
from app.store.migrations import (
    MIGRATIONS,
    Migration,
    SchemaTooNewError,
    current_version,
    migrate,
)
from app.store.models import Volunteer


def _bind(target):
    db = make_database(target)
    database.initialize(db)
    db.connect()
    return db


def test_fresh_register_is_built_at_the_newest_version(db_target):
    db = _bind(db_target)
    try:
        result = migrate()
        assert (result.from_version, result.to_version) == (0, MIGRATIONS[-1].version)
        assert result.backup is None
        assert current_version() == MIGRATIONS[-1].version
        assert Volunteer.table_exists()
        assert migrate().backup is None  # a second open changes nothing
    finally:
        db.close()


def _add_column(db: peewee.Database) -> None:
    db.execute_sql("ALTER TABLE setting ADD COLUMN note VARCHAR(20) DEFAULT ''")


def test_old_register_is_upgraded_after_a_backup(db_target, backend):
    db = _bind(db_target)
    try:
        migrate()
        db.execute_sql("INSERT INTO setting (key, value) VALUES ('k', 'v')")
        steps = (*MIGRATIONS, Migration(MIGRATIONS[-1].version + 1, "note", _add_column))
        result = migrate(steps)
        assert result.to_version == steps[-1].version
        assert current_version() == steps[-1].version
        assert db.execute_sql("SELECT key, value, note FROM setting").fetchall() == [
            ("k", "v", "")]
        if backend == "sqlite":
            assert result.backup is not None and result.backup.exists()
            copy = sqlite3.connect(result.backup)
            assert copy.execute("SELECT version FROM schema_version").fetchone()[0] == (
                MIGRATIONS[-1].version)
            copy.close()
    finally:
        db.close()


def _broken(db: peewee.Database) -> None:
    db.execute_sql("ALTER TABLE setting ADD COLUMN half VARCHAR(20)")
    raise RuntimeError("power cut")


def test_a_failing_step_leaves_the_previous_version(db_target):
    db = _bind(db_target)
    try:
        migrate()
        before = current_version()
        steps = (*MIGRATIONS, Migration(before + 1, "broken", _broken))
        with pytest.raises(RuntimeError):
            migrate(steps)
        assert current_version() == before
        columns = [c.name for c in db.get_columns("setting")]
        assert "half" not in columns
    finally:
        db.close()


def test_a_newer_register_is_not_opened(db_target):
    db = _bind(db_target)
    try:
        migrate()
        db.execute_sql("UPDATE schema_version SET version = 99")
        with pytest.raises(SchemaTooNewError):
            migrate()
    finally:
        db.close()


def test_a_version_1_file_from_the_first_release_is_upgraded(tmp_path):
    """tests/fixtures/register-v1.sqlite3 was written by schema version 1 (20 volunteers)."""
    import shutil
    from pathlib import Path

    from app.services.volunteers import listing as vl
    from app.services.volunteers import registration as volunteers

    fixture = Path(__file__).resolve().parents[2] / "fixtures" / "register-v1.sqlite3"
    path = tmp_path / "old.sqlite3"
    shutil.copyfile(fixture, path)
    old = sqlite3.connect(path)
    counts = {t: old.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
              for t in ("volunteer", "volunteer_name_gram", "area", "audit_log")}
    old.close()
    db = _bind(str(path))
    try:
        result = migrate()
        assert (result.from_version, result.to_version) == (1, MIGRATIONS[-1].version)
        assert result.backup is not None and result.backup.exists()
        assert vl.count(vl.VolunteerFilter()) == 20
        for table, before in counts.items():  # nothing is lost on the way
            assert db.execute_sql(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == before
        name = Volunteer.get_by_id(3).name
        assert vl.count(vl.VolunteerFilter(text=name[-1])) >= 1  # name grams still there
        assert vl.count(vl.VolunteerFilter(text="V0000002")) == 1
        first = Volunteer.get_by_id(1)
        assert first.approved_minutes == 0 and first.points_balance == 0
        added = volunteers.register(volunteers.VolunteerDraft(
            name="张三", id_number="11010519491231002X", phone="13800138000"))
        assert added.number == "V00000021"
        backup = sqlite3.connect(result.backup)
        assert backup.execute("SELECT version FROM schema_version").fetchone()[0] == 1
        backup.close()
    finally:
        db.close()


def test_a_version_2_register_gains_the_organization_tables(db_target):
    """Schema 3 adds the organization tables and `activity.org_id`, keeping every activity."""
    from app.store.models import (
        V3_MODELS,
        V4_MODELS,
        V5_MODELS,
        V6_MODELS,
        Activity,
        Organization,
    )

    db = _bind(db_target)
    try:
        migrate()
        db.execute_sql("INSERT INTO activity (name, organizer, place, starts_at, ends_at, "
                       "category, status, created_at, version) VALUES ('敬老', '', '', "
                       "'2026-01-01 09:00:00', '2026-01-01 11:00:00', '', 'open', "
                       "'2026-01-01 08:00:00', 1)")
        db.drop_tables([*V6_MODELS, *V5_MODELS, *V4_MODELS, *V3_MODELS])  # as at version 2
        db.execute_sql('DROP INDEX "activity_org_id"')
        db.execute_sql("ALTER TABLE activity DROP COLUMN org_id")
        db.execute_sql("ALTER TABLE volunteer DROP COLUMN merged_into_id")
        db.execute_sql("UPDATE schema_version SET version = 2")
        result = migrate()
        assert (result.from_version, result.to_version) == (2, MIGRATIONS[-1].version)
        assert Organization.table_exists()
        assert [(a.name, a.org_id) for a in Activity.select()] == [("敬老", None)]
    finally:
        db.close()


def test_a_version_6_register_gains_the_number_tails(db_target):
    """Schema 7 adds phone and ID number written backwards, filled for the rows there."""
    import datetime as dt

    from app.domain.volunteer import VolunteerDraft
    from app.services.volunteers import listing as vl
    from app.services.volunteers import registration as volunteers

    db = _bind(db_target)
    try:
        migrate()
        for idn, phone in (("11010519491231002X", "13800138000"),
                           ("370105199205094736", "15012348000")):
            volunteers.register(VolunteerDraft(name="张三", id_number=idn, phone=phone, sex="",
                                               registered_on=dt.date(2026, 1, 1)))
        db.execute_sql('DROP INDEX "volunteer_phone_rev"')      # as at version 6
        db.execute_sql('DROP INDEX "volunteer_id_number_rev"')
        db.execute_sql("ALTER TABLE volunteer DROP COLUMN phone_rev")
        db.execute_sql("ALTER TABLE volunteer DROP COLUMN id_number_rev")
        db.execute_sql("UPDATE schema_version SET version = 6")
        result = migrate()
        assert (result.from_version, result.to_version) == (6, MIGRATIONS[-1].version)
        assert sorted(Volunteer.select(Volunteer.phone_rev, Volunteer.id_number_rev)
                      .tuples()) == [("00083100831", "X20013219491501011"),
                                     ("00084321051", "637490502991501073")]
        assert vl.count(vl.VolunteerFilter(text="8000")) == 2
        assert vl.count(vl.VolunteerFilter(text="002x")) == 1
    finally:
        db.close()
