"""Search at city scale: p95 of each search kind against the bare SQL it runs.

Usage: .venv/bin/python -m bench.bench_search [--volunteers N] [--samples K]

A search, as the list runs it, is the count of matches plus the first page of 100 rows.
The floor is the same two SQL statements executed directly with sqlite3 (no peewee, no
dataclasses), so the ratio shows what the service layer adds.
"""

from __future__ import annotations

import argparse
import random
import sqlite3

from app.services.volunteers import listing as vl
from app.store import volunteer_queries as q
from app.store.connection import open_register
from app.store.models import Volunteer
from bench.common import machine, p95, register_path, report, timed

GOAL_MS = 100


def sample_queries(rng: random.Random, k: int) -> dict[str, list[str]]:
    """Realistic search texts drawn from the register itself."""
    ids = [rng.randrange(1, Volunteer.select().count() + 1) for _ in range(k)]
    rows = list(Volunteer.select(Volunteer.name, Volunteer.name_initials, Volunteer.id_number,
                                 Volunteer.phone, Volunteer.number)
                .where(Volunteer.id.in_(ids)).tuples())
    rng.shuffle(rows)
    return {
        "name fragment (1-3 chars)": [
            n[rng.randrange(len(n))] if i % 3 == 0 else n[-2:] if i % 3 == 1 else n
            for i, (n, *_r) in enumerate(rows)],
        "pinyin initials": [r[1][: rng.choice((2, 3))] for r in rows],
        "ID-number prefix": [r[2][: rng.choice((6, 10, 14, 18))] for r in rows],
        "phone": [r[3][: rng.choice((7, 11))] for r in rows],
        "volunteer number": [r[4] if i % 2 else str(int(r[4][1:])) for i, r in enumerate(rows)],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--volunteers", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=60)
    args = parser.parse_args()
    path = register_path(args.volunteers)
    open_register(str(path))
    raw = sqlite3.connect(path)
    rng = random.Random(5)
    queries = sample_queries(rng, args.samples)
    print(f"search on {args.volunteers:,} volunteers ({machine()}), {args.samples} queries "
          f"per kind; p95 of count + first page of 100")
    for kind, texts in queries.items():
        service, floor = [], []
        for text in texts:
            flt = vl.VolunteerFilter(text=text)

            def run_service(flt: vl.VolunteerFilter = flt) -> None:
                vl.page(flt, 0, 100, matches=vl.count(flt))

            matches = vl.count(flt)
            count_sql = q._apply(Volunteer.select(q.pw.fn.COUNT(Volunteer.id)), flt, None).sql()
            page_sql = q._apply(Volunteer.select(*q.LIST_COLUMNS), flt, None,
                                q.prefer_sort_index(flt, matches)).order_by(
                *q.ordering(flt)).limit(100).sql()

            def run_floor(c: tuple = count_sql, p: tuple = page_sql) -> None:
                raw.execute(*c).fetchall()
                raw.execute(*p).fetchall()

            run_floor()  # warm the page cache for both the same way
            floor += timed(run_floor)
            service += timed(run_service)
        report(kind, p95(service), p95(floor), GOAL_MS)


if __name__ == "__main__":
    main()
