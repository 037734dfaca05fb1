"""Volunteer import, measured against its floor: a bare pandas read of the same file.

    .venv/bin/python bench/bench_import.py [--rows 100000] [--repeat 3]

Builds (once, cached under bench/out/) an .xlsx of valid people in the template's columns
from the demo generator, then times
  floor:  pandas.read_excel(path, engine="calamine")
  import: volunteer_import.read + commit into a fresh SQLite register
and prints both and their ratio (goal: at most 1.5x). Best of --repeat runs each.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import tempfile
import time
from pathlib import Path

import pandas as pd
from openpyxl import Workbook

from app.domain.idcard import age_on
from app.services.volunteers import demo
from app.services.volunteers import importing as volunteer_import
from app.services.volunteers.import_columns import COLUMNS
from app.store.db import bound, make_database
from app.store.migrations import migrate
from bench.common import register_path

OUT = Path(__file__).resolve().parent / "out"
FIELDS = ("name", "sex", "id_number", "phone", "district", "street", "community", "skills",
          "service_preferences", "available_time", "political_status", "guardian_name",
          "guardian_id_number", "guardian_phone", "guardian_consent", "registered_on")


def build(rows: int, seed: int = 7) -> Path:
    """The bench file, made once per row count (openpyxl writes ~10,000 rows a second)."""
    path = OUT / f"volunteers-{rows}.xlsx"
    if path.exists():
        return path
    OUT.mkdir(parents=True, exist_ok=True)
    headers = {c.field: c.header for c in COLUMNS}
    book = Workbook(write_only=True)
    sheet = book.create_sheet("志愿者登记")
    sheet.append([headers[f] for f in FIELDS])
    # Fixed date, so the cached file stays valid: everyone is an adult or has a guardian.
    today = dt.date(2026, 1, 1)
    people = demo._people(random.Random(seed), rows * 2, today, demo.areas())
    written = 0
    for p in people:
        (name, _ini, _full, sex, id_number, birth, phone, district, street, community,
         skills, prefs, political, g_name, g_id, g_phone, consent, registered, _status) = p
        if age_on(birth, today) < 18 and not g_name:
            continue  # the demo's minor test is by year; the register's is by birthday
        if written == rows:
            break
        written += 1
        sheet.append([name, "男" if sex == "M" else "女", id_number, phone, district, street,
                      community, skills, prefs, "周末", political, g_name, g_id, g_phone,
                      "是" if consent else "", registered])
    tmp = path.with_suffix(".part.xlsx")
    book.save(tmp)
    tmp.replace(path)
    return path


def time_floor(path: Path) -> float:
    start = time.perf_counter()
    pd.read_excel(path, engine="calamine")
    return time.perf_counter() - start


def time_import(path: Path, into: Path | None = None) -> tuple[float, float, int]:
    """(read seconds, commit seconds, rows imported) into a fresh SQLite register, or into
    a copy of the register `into`."""
    with tempfile.TemporaryDirectory() as folder, \
            bound(make_database(Path(folder) / "bench.sqlite3")) as db:
        if into is not None:
            shutil.copyfile(into, Path(folder) / "bench.sqlite3")
        db.connect()
        migrate()
        start = time.perf_counter()
        preview = volunteer_import.read(path)
        middle = time.perf_counter()
        # In a filled register some generated people are registered already: skip them.
        result = volunteer_import.commit(preview, skip_invalid=into is not None)
        end = time.perf_counter()
        if preview.problems and into is None:
            raise SystemExit(f"bench file has problems: {preview.problems[:3]}")
        return middle - start, end - middle, result.imported


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--into-volunteers", type=int, default=0,
                        help="import into a copy of the demo register of this size")
    args = parser.parse_args()
    into = register_path(args.into_volunteers) if args.into_volunteers else None
    path = build(args.rows)
    floors, reads, commits = [], [], []
    count = 0
    for _ in range(args.repeat):
        floors.append(time_floor(path))
        read_s, commit_s, count = time_import(path, into)
        reads.append(read_s)
        commits.append(commit_s)
    floor = min(floors)
    total = min(r + c for r, c in zip(reads, commits, strict=True))
    print(f"file: {path.name} ({path.stat().st_size / 1e6:.1f} MB, {count} people)")
    print(f"floor  pandas.read_excel(calamine): {floor:6.2f} s")
    print(f"import read+check:                  {min(reads):6.2f} s")
    where = f"into {args.into_volunteers:,} volunteers" if into else "into an empty register"
    print(f"import commit (SQLite, {where}): {min(commits):6.2f} s")
    print(f"import total:                       {total:6.2f} s")
    print(f"ratio: {total / floor:.2f}x (goal <= 1.5x)")


if __name__ == "__main__":
    main()
