"""Schema 4: a version-3 register gains the table of hours exported to the national
volunteer system, and keeps its service records."""

from __future__ import annotations

import datetime as dt

from app.store.db import bound, make_database
from app.store.migrations import MIGRATIONS, migrate
from app.store.models import V4_MODELS, Activity, NationalExport


def test_a_version_3_register_gains_the_export_table(db_target):
    with bound(make_database(db_target)) as db:
        db.connect()
        migrate()
        Activity.create(name="敬老", starts_at=dt.datetime(2026, 1, 1, 9),
                        ends_at=dt.datetime(2026, 1, 1, 11))
        db.drop_tables(V4_MODELS)
        db.execute_sql("UPDATE schema_version SET version = 3")
        result = migrate()
        assert (result.from_version, result.to_version) == (3, MIGRATIONS[-1].version)
        assert NationalExport.table_exists()
        assert NationalExport.select().count() == 0
        assert [a.name for a in Activity.select()] == ["敬老"]
        db.close()
