"""What the CLI tests share: the command run as a user runs it, and a register with one
approved record to certify or export."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

from app.domain.volunteer import VolunteerDraft
from app.services.volunteers import registration as volunteers
from app.store.db import bound, make_database
from app.store.migrations import migrate
from app.store.models import Activity, ServiceRecord


def yilian(*args: str) -> subprocess.CompletedProcess[str]:
    """`yilian ARGS` in a fresh process (exit code, stdout and stderr as the user sees)."""
    return subprocess.run([sys.executable, "-m", "app.cli", *args], check=False,
                          capture_output=True, text=True, timeout=120)


def seed_one_record(target: str, minutes: int) -> None:
    """A new register at `target` with one volunteer (张三) and one approved record."""
    with bound(make_database(target)) as db:
        db.connect()
        migrate()
        person = volunteers.register(VolunteerDraft(
            name="张三", id_number="11010519491231002X", phone="13800138000",
            registered_on=dt.date(2026, 1, 5)))
        start = dt.datetime(2026, 3, 3, 9)
        act = Activity.create(name="社区敬老服务", organizer="和平社区居委会",
                              starts_at=start, ends_at=start + dt.timedelta(hours=4))
        ServiceRecord.create(volunteer=person.id, activity=act.id, kind="manual",
                             status="approved", started_at=start,
                             ended_at=start + dt.timedelta(minutes=minutes), minutes=minutes)
