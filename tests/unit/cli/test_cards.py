"""`yilian cards` and `yilian card reissue|revoke` as a user runs them (real processes)."""

import datetime as dt
import io

import pdfplumber

from app.domain.volunteer import VolunteerDraft
from app.services.volunteers import registration as volunteers
from app.store.db import bound, make_database
from app.store.migrations import migrate
from app.store.models import Card
from tests.unit.cli.helpers import yilian


def test_print_reissue_and_revoke(db_target, tmp_path):
    with bound(make_database(db_target)) as db:
        db.connect()
        migrate()
        for name, idn in (("张三", "11010519491231002X"), ("李四", "110105198001010016")):
            volunteers.register(VolunteerDraft(name=name, id_number=idn, phone="13800138000",
                                               registered_on=dt.date(2026, 1, 5)))
    out = tmp_path / "cards.pdf"
    done = yilian("--db", db_target, "cards", "--out", str(out))
    assert done.returncode == 1 and "--volunteer" in done.stderr
    done = yilian("--db", db_target, "cards", "--out", str(out), "--volunteer", "v00000001")
    assert done.returncode == 0, done.stderr
    assert "新发证1张" in done.stdout
    done = yilian("--db", db_target, "cards", "--out", str(out), "--without-card", "--sheet")
    assert done.returncode == 0, done.stderr
    assert "新发证1张" in done.stdout
    with pdfplumber.open(io.BytesIO(out.read_bytes())) as pdf:
        assert len(pdf.pages) == 1 and "李四" in (pdf.pages[0].extract_text() or "")

    done = yilian("--db", db_target, "card", "reissue", "V00000001", "--reason", "遗失")
    assert done.returncode == 0, done.stderr
    assert "第2张" in done.stdout
    done = yilian("--db", db_target, "card", "revoke", "V00000002", "--reason", "损坏")
    assert done.returncode == 0, done.stderr
    done = yilian("--db", db_target, "card", "revoke", "V00000002", "--reason", "损坏")
    assert done.returncode == 1 and "没有有效" in done.stderr
    done = yilian("--db", db_target, "card", "reissue", "V00000009", "--reason", "遗失")
    assert done.returncode == 1 and "V00000009" in done.stderr
    with bound(make_database(db_target)) as db:
        db.connect()
        rows = sorted((c.volunteer_id, c.serial, c.revoked_at is None) for c in Card.select())
    assert [(s, ok) for _, s, ok in rows] == [(1, False), (2, True), (1, False)]
