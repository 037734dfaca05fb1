"""Running totals kept beside the rows they sum, and how to rebuild them from those rows.

`hours_month` holds approved minutes (net of reversals) per month of the records' start:
`add_hours_month` is called by approval and reversal inside their transaction; `rebuild`
recomputes it from `service_record` (the schema step that creates it, and bulk loaders that
write records around the services, such as the benchmarks).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

import peewee as pw

from app.store.db import database, is_sqlite, tuples
from app.store.models import HoursMonth

SQLITE_REBUILD = (
    "INSERT INTO hours_month (month, minutes) "
    "SELECT substr(started_at, 1, 7), SUM(minutes) FROM service_record "
    "WHERE status = 'approved' GROUP BY substr(started_at, 1, 7)")
POSTGRES_REBUILD = (
    "INSERT INTO hours_month (month, minutes) "
    "SELECT to_char(started_at, 'YYYY-MM'), SUM(minutes) FROM service_record "
    "WHERE status = 'approved' GROUP BY to_char(started_at, 'YYYY-MM')")


def month_key(day: dt.date | dt.datetime) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def add_hours_month(deltas: Mapping[str, int] | Iterable[tuple[dt.datetime, int]]) -> None:
    """Add minutes to months; `deltas` maps "YYYY-MM" to minutes or lists (start, minutes).
    Call inside the writing transaction that approves or reverses the records."""
    totals: dict[str, int] = {}
    items = deltas.items() if isinstance(deltas, Mapping) else (
        (month_key(start), minutes) for start, minutes in deltas)
    for key, minutes in items:
        totals[key] = totals.get(key, 0) + int(minutes)
    for key, minutes in sorted(totals.items()):
        if minutes:
            (HoursMonth.insert(month=key, minutes=minutes)
             .on_conflict(conflict_target=[HoursMonth.month],
                          update={HoursMonth.minutes: HoursMonth.minutes + minutes})
             .execute())


def rebuild_hours_month(db: pw.Database | None = None) -> None:
    """Recompute `hours_month` from the service records (inside the caller's transaction)."""
    target = db or database
    target.execute_sql("DELETE FROM hours_month")
    target.execute_sql(SQLITE_REBUILD if is_sqlite(db) else POSTGRES_REBUILD)


def hours_by_month(first: str, last: str) -> dict[str, int]:
    """Minutes per "YYYY-MM" for months first..last (inclusive); months without any: absent."""
    query = HoursMonth.select(HoursMonth.month, HoursMonth.minutes).where(
        (HoursMonth.month >= first) & (HoursMonth.month <= last))
    return {str(m): int(v) for m, v in tuples(query)}
