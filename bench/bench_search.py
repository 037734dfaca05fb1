"""Search and paging at city scale, as the volunteer list runs them, against the bare SQL.

Usage: .venv/bin/python -m bench.bench_search [--volunteers N] [--samples K]

Every figure drives what the user's click drives: the list's own `VolunteerTableModel`
(offscreen Qt) with the filter its page builds (the default "all but merged" statuses) and
its page size. A search is `model.set_filter(...)` — the count — plus the first page the
view asks for (`row_at(0)`). Paging is the next page after the one shown (scrolling down),
and a jump to the middle of the list (dragging the scroll bar). The floor is the very SQL
statements the model ran (captured from peewee's log on a first run) executed bare with
`sqlite3` on a connection with the register's own pragmas (`SQLITE_PRAGMAS`: page cache, WAL
…), so the ratio is what peewee, the services, the dataclasses and the model add.
"""

from __future__ import annotations

import argparse
import os
import random
from collections.abc import Callable
from dataclasses import replace

from app.store.connection import open_register
from app.store.models import Volunteer
from bench.common import (
    bare_connection,
    captured,
    machine,
    p95,
    register_path,
    report,
    run_bare,
    timed,
)

GOAL_MS = 100


def sample_queries(rng: random.Random, k: int) -> dict[str, list[str]]:
    """Realistic search texts drawn from the register itself."""
    top = Volunteer.select(Volunteer.id).order_by(Volunteer.id.desc()).scalar()
    ids = [rng.randrange(1, top + 1) for _ in range(k)]
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
        "phone tail (last 4 digits)": [r[3][-4:] for r in rows],
        "ID tail (last 4, X allowed)": [r[2][-4:] for r in rows],
    }


def _measure(label: str, raw: object, action: Callable[[], object],
             reset: Callable[[], object], samples: int, goal: float | None) -> None:
    """p95 of `action` (after `reset`, untimed) against its own SQL run bare. One untimed
    run first: a once-per-register check (the dense-id count for jumps) is in neither."""
    reset()
    action()
    service, floor = [], []
    for _ in range(samples):
        reset()
        sql = captured(action)
        reset()
        floor += timed(lambda s=sql: run_bare(raw, s))  # type: ignore[misc, arg-type]
        reset()
        service += timed(action)
    report(label, p95(service), p95(floor), goal)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--volunteers", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=60)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from app.ui.volunteers.model import VolunteerTableModel

    app = QApplication.instance() or QApplication([])  # noqa: F841 (the model needs one)
    path = register_path(args.volunteers)
    open_register(str(path))
    raw = bare_connection(path)
    model = VolunteerTableModel()
    listed = model.filter  # what the page starts with: all but merged, by number
    rng = random.Random(5)
    queries = sample_queries(rng, args.samples)
    print(f"volunteer list on {args.volunteers:,} volunteers ({machine()}), page of "
          f"{model.page_size}, default status filter; p95 of {args.samples} per kind")

    for kind, texts in queries.items():
        service, floor = [], []
        for text in texts:
            flt = replace(listed, text=text)

            def search(flt: object = flt) -> None:
                model.set_filter(flt)  # type: ignore[arg-type]
                model.row_at(0)

            sql = captured(search)
            run_bare(raw, sql)  # warm the page cache for both the same way
            floor += timed(lambda s=sql: run_bare(raw, s))  # type: ignore[misc]
            service += timed(search)
        report(kind, p95(service), p95(floor), GOAL_MS)

    _measure("whole list: count + first page", raw,
             lambda: (model.set_filter(listed), model.row_at(0)), lambda: None, 10, GOAL_MS)

    def next_page() -> None:
        model.row_at(model.page_size)

    _measure("scroll: the next page", raw, next_page,
             lambda: (model.set_filter(listed), model.row_at(0)), 10, GOAL_MS)
    middle = model.rowCount() // 2
    _measure(f"jump to row {middle:,} (scroll bar)", raw, lambda: model.row_at(middle),
             lambda: model.set_filter(listed), 5, None)


if __name__ == "__main__":
    main()
