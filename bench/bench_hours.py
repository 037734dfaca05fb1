"""Service hours at city scale: 1,000,000 volunteers and 10,000,000 service records.

Usage: .venv/bin/python -m bench.bench_hours [--records N] [--samples K] [--skip-approve]

Figures, each beside the bare SQL floor measured in the same run:
- approve 100,000 pending records with their points in one batch
  (`service_records.approve`; floor: the same writes as plain SQL — status UPDATE, one ledger
  row per record by executemany, the volunteers' totals — on another copy);
- a volunteer's balance and star level (`points.balance` + `service_records.volunteer_hours`;
  p95 over random volunteers);
- the hours report for a month, each grouping, as the 统计 tab reads it (by volunteer
  `volunteer_report` with the first screenful's labels; otherwise `hours_report`).
For these two the floor is the very statements the service ran (captured from peewee's log)
executed bare with sqlite3 on a connection with the register's own pragmas.

The register is made once and cached under bench/out/: `yilian demo` volunteers, 5,000
activities over two years and N records (the newest 100,000 pending, the rest approved with
an earn entry each), inserted with the list indexes dropped and rebuilt after.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import sqlite3
import statistics
import time
from collections.abc import Iterator
from pathlib import Path

from bench.common import (
    OUT,
    bare_connection,
    captured,
    machine,
    p95,
    register_path,
    report,
    run_bare,
    timed,
)

ACTIVITIES = 5_000
PENDING = 100_000
CATEGORIES = ("助老", "环保", "文明劝导", "助残", "社区治理", "文化", "应急救援")
START = dt.datetime(2024, 12, 1, 9, 0)


def _activities(rng: random.Random) -> list[tuple]:
    rows = []
    for i in range(ACTIVITIES):
        start = START + dt.timedelta(days=i * 730 // ACTIVITIES, hours=rng.choice((0, 5)))
        rows.append((f"志愿服务活动{i + 1}", "社会组织孵化中心", "社区服务站", str(start),
                     str(start + dt.timedelta(hours=3)), rng.choice(CATEGORIES), 50, "closed",
                     str(START), 1))
    return rows


def _records(rng: random.Random, volunteers: int, total: int,
             starts: list[dt.datetime]) -> Iterator[tuple]:
    """(volunteer, activity, kind, status, start, end, minutes) — records of a volunteer
    on distinct activities; the last PENDING records made are pending."""
    per = total // volunteers
    made = 0
    for vid in range(1, volunteers + 1):
        for aid in rng.sample(range(1, ACTIVITIES + 1), per):
            minutes = rng.choice((120, 150, 165, 180))
            start = starts[aid - 1]
            kind = "manual" if rng.random() < 0.2 else "scanned"
            status = "pending" if made >= total - PENDING else "approved"
            made += 1
            yield (vid, aid, kind, status, str(start),
                   str(start + dt.timedelta(minutes=minutes)), minutes)


def build(volunteers: int, records: int) -> Path:
    path = OUT / f"register-hours-{volunteers}-{records}.sqlite3"
    if path.exists():
        return path
    base = register_path(volunteers)
    tmp = path.with_suffix(".partial")
    shutil.copyfile(base, tmp)
    print(f"building {path.name}: {records:,} records ...", flush=True)
    rng = random.Random(3)
    con = sqlite3.connect(tmp)
    con.execute("PRAGMA journal_mode=off")
    con.execute("PRAGMA synchronous=off")
    con.execute("PRAGMA cache_size=-1000000")
    con.executemany(
        "INSERT INTO activity (name, organizer, place, starts_at, ends_at, category, capacity,"
        " status, created_at, version) VALUES (?,?,?,?,?,?,?,?,?,?)", _activities(rng))
    starts = [dt.datetime.fromisoformat(r[0]) for r in con.execute(
        "SELECT starts_at FROM activity ORDER BY id")]
    saved = con.execute("SELECT name, sql FROM sqlite_master WHERE type='index' AND "
                        "tbl_name IN ('service_record', 'points_entry') AND sql IS NOT NULL"
                        ).fetchall()
    for name, _sql in saved:
        con.execute(f'DROP INDEX "{name}"')
    minutes_of = [0] * (volunteers + 1)
    points_of = [0] * (volunteers + 1)
    stamp = str(START)
    batch_r: list[tuple] = []
    batch_p: list[tuple] = []

    def flush() -> None:
        con.executemany(
            "INSERT INTO service_record (id, volunteer_id, activity_id, kind, status, "
            "started_at, ended_at, minutes, content, flags, reason, recorded_by, decided_by, "
            "created_at, version) VALUES (?,?,?,?,?,?,?,?,'','','','','',?,1)", batch_r)
        con.executemany(
            "INSERT INTO points_entry (volunteer_id, kind, points, balance_after, record_id, "
            "activity_id, reason, actor, at) VALUES (?,'earn',?,?,?,?,'','bench',?)", batch_p)
        batch_r.clear()
        batch_p.clear()

    made = _records(rng, volunteers, records, starts)
    for rid, (vid, aid, kind, status, start, end, minutes) in enumerate(made, start=1):
        batch_r.append((rid, vid, aid, kind, status, start, end, minutes, stamp))
        if status == "approved":
            minutes_of[vid] += minutes
            pts = minutes // 60
            points_of[vid] += pts
            batch_p.append((vid, pts, points_of[vid], rid, aid, stamp))
        if len(batch_r) >= 200_000:
            flush()
    flush()
    con.executemany("UPDATE volunteer SET approved_minutes = ?, points_balance = ? "
                    "WHERE id = ?", ((minutes_of[v], points_of[v], v)
                                     for v in range(1, volunteers + 1)))
    for _name, sql in saved:
        con.execute(sql)
    if con.execute("SELECT name FROM sqlite_master WHERE name = 'hours_month'").fetchone():
        from app.store.rollups import SQLITE_REBUILD  # written around the services: redo it

        con.execute("DELETE FROM hours_month")
        con.execute(SQLITE_REBUILD)
    if con.execute("SELECT name FROM sqlite_master WHERE name = 'hours_volunteer_month'"
                   ).fetchone():
        from app.store.rollups import SQLITE_VOLUNTEER_REBUILD

        con.execute("DELETE FROM hours_volunteer_month")
        con.execute(SQLITE_VOLUNTEER_REBUILD)
    con.execute("ANALYZE")
    con.commit()
    con.execute("PRAGMA journal_mode=wal")
    con.close()
    tmp.rename(path)
    return path


def _schema(path: Path) -> int:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return int(con.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] or 0)
    finally:
        con.close()


def migrated(path: Path) -> Path:
    """The register at the newest schema. An older cached one is left as it is (other
    benches copy it) and migrated on a copy kept beside it, made once."""
    from app.store.db import bound, make_database
    from app.store.migrations import MIGRATIONS, migrate

    newest = MIGRATIONS[-1].version
    if _schema(path) == newest:
        return path
    target = path.with_name(f"{path.stem}-v{newest}{path.suffix}")
    if target.exists() and _schema(target) == newest:
        return target
    tmp = target.with_suffix(".partial")
    shutil.copyfile(path, tmp)
    start = time.perf_counter()
    with bound(make_database(tmp)) as db:
        db.connect()
        migrate(backup=lambda _label: None)
        db.execute_sql("ANALYZE")
        db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    print(f"migrated a copy from schema {_schema(path)} to {newest} in "
          f"{time.perf_counter() - start:.0f} s", flush=True)
    tmp.rename(target)
    return target


def _floor_approve(path: Path, ids: list[int]) -> float:
    """The approval's writes as bare SQL on a copy: the least the batch can cost."""
    con = sqlite3.connect(path)
    start = time.perf_counter()
    con.execute("BEGIN IMMEDIATE")
    rows = []
    for first in range(0, len(ids), 2000):
        chunk = ids[first:first + 2000]
        marks = ",".join("?" * len(chunk))
        rows += con.execute(f"SELECT id, volunteer_id, minutes, activity_id FROM service_record"
                            f" WHERE id IN ({marks})", chunk).fetchall()
        con.execute(f"UPDATE service_record SET status='approved' WHERE id IN ({marks})", chunk)
    con.executemany("INSERT INTO points_entry (volunteer_id, kind, points, balance_after, "
                    "record_id, activity_id, reason, actor, at) VALUES (?,'earn',?,0,?,?,'',"
                    "'bench','2026-01-01')", ((v, m // 60, r, a) for r, v, m, a in rows))
    con.executemany("UPDATE volunteer SET approved_minutes = approved_minutes + ? WHERE id = ?",
                    ((m, v) for _r, v, m, _a in rows))
    con.commit()
    elapsed = (time.perf_counter() - start) * 1000
    con.close()
    return elapsed


def _as_the_report_tab_reads(date_from: dt.date, date_to: dt.date, group: str) -> None:
    """What the 统计 tab's worker and model do for a period: by volunteer the sums with the
    labels of the first screenful (one chunk), otherwise the grouped rows; and the totals."""
    from app.services.hours import records as service_records
    from app.services.hours.volunteer_report import volunteer_report

    if group == "volunteer":
        rows = volunteer_report(date_from, date_to)
        rows.totals()
        rows[:40]
        return
    grouped = service_records.hours_report(date_from, date_to, group_by=group)
    sum(r.total_minutes for r in grouped)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--volunteers", type=int, default=1_000_000)
    parser.add_argument("--records", type=int, default=10_000_000)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--skip-approve", action="store_true",
                        help="only the look-ups and the report (the approval takes minutes)")
    args = parser.parse_args()
    path = migrated(build(args.volunteers, args.records))

    from app.services.hours import records as service_records
    from app.services.points import ledger as points
    from app.store.db import bound, make_database

    print(f"service hours on {args.volunteers:,} volunteers and {args.records:,} records "
          f"({machine()})")
    raw = bare_connection(path)  # the register's own pragmas: the same page cache
    rng = random.Random(9)
    with bound(make_database(path)) as db:
        db.connect()
        vids = [rng.randrange(1, args.volunteers + 1) for _ in range(args.samples)]
        service, floor = [], []
        for vid in vids:
            def lookup(v: int = vid) -> None:
                points.balance(v)
                service_records.volunteer_hours(v)

            sql = captured(lookup)  # the very statements, run bare for the floor
            floor += timed(lambda s=sql: run_bare(raw, s))
            service += timed(lookup)
        report("balance + star level (p95)", p95(service), p95(floor), 10)

        month = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))
        for group in ("volunteer", "activity", "community", "month"):
            def shown(g: str = group) -> None:
                _as_the_report_tab_reads(*month, g)

            sql = captured(shown)
            ms = statistics.median(timed(shown, repeat=3))
            fl = statistics.median(timed(lambda s=sql: run_bare(raw, s), repeat=3))
            report(f"hours report, a month, by {group}", ms, fl, 1000)
    raw.close()
    if args.skip_approve:
        return

    work = path.with_name("approve-copy.sqlite3")
    floor_copy = path.with_name("approve-floor.sqlite3")
    for target in (work, floor_copy):
        shutil.copyfile(path, target)
    with bound(make_database(work)) as db:
        db.connect()
        ids = service_records.pending_ids()
        start = time.perf_counter()
        result = service_records.approve(ids)
        approve_ms = (time.perf_counter() - start) * 1000
    floor_ms = _floor_approve(floor_copy, ids)
    report(f"approve {result.approved:,} pending + points", approve_ms, floor_ms, None)
    for target in (work, floor_copy):
        for suffix in ("", "-wal", "-shm"):
            Path(str(target) + suffix).unlink(missing_ok=True)


if __name__ == "__main__":
    main()
