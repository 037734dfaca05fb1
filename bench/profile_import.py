"""Where the volunteer import's commit goes: cProfile of `importing.commit`, 100,000 rows.

    .venv/bin/python -m bench.profile_import [--rows 100000] [--top 25]

Reads the bench file of bench_import (built once, cached under bench/out/), then profiles
only the commit into a fresh SQLite register: the figures behind docs/PERFORMANCE.md's
answer to "why not 1.5x".
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import tempfile
import time
from pathlib import Path

from app.services.volunteers import importing as volunteer_import
from app.store.db import bound, make_database
from app.store.migrations import migrate
from bench.bench_import import build


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    path = build(args.rows)
    with tempfile.TemporaryDirectory() as folder, \
            bound(make_database(Path(folder) / "bench.sqlite3")) as db:
        db.connect()
        migrate()
        start = time.perf_counter()
        preview = volunteer_import.read(path)
        read_done = time.perf_counter()
        profile = cProfile.Profile()
        profile.enable()
        volunteer_import.commit(preview)
        profile.disable()
        end = time.perf_counter()
    print(f"read + check {read_done - start:.2f} s, commit {end - read_done:.2f} s (profiled)")
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(args.top)
    print(out.getvalue())


if __name__ == "__main__":
    main()
