"""Running totals kept beside the rows they sum, and how to rebuild them from those rows.

`hours_month` holds approved minutes (net of reversals) per month of the records' start:
`add_hours_month` is called by approval and reversal inside their transaction; `rebuild`
recomputes it from `service_record` (the schema step that creates it, and bulk loaders that
write records around the services, such as the benchmarks).

`hours_volunteer_month` (schema 8) is the same per volunteer, with scanned and manual apart
and the standing-record count, for the hours report: `add_hours_volunteer_month` beside
`add_hours_month`, `move_hours_volunteer_month` when a merge moves a volunteer's records,
`rebuild_hours_volunteer_month` beside `rebuild_hours_month`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

import peewee as pw

from app.store.db import database, is_sqlite, tuples
from app.store.models import HoursMonth, HoursVolunteerMonth

SQLITE_REBUILD = (
    "INSERT INTO hours_month (month, minutes) "
    "SELECT substr(started_at, 1, 7), SUM(minutes) FROM service_record "
    "WHERE status = 'approved' GROUP BY substr(started_at, 1, 7)")
POSTGRES_REBUILD = (
    "INSERT INTO hours_month (month, minutes) "
    "SELECT to_char(started_at, 'YYYY-MM'), SUM(minutes) FROM service_record "
    "WHERE status = 'approved' GROUP BY to_char(started_at, 'YYYY-MM')")

# A reversal counts against the kind of the record it reverses (as in the hours report);
# `records` counts standing records: +1 an approved record, -1 a reversal.
_VOLUNTEER_REBUILD = (
    "INSERT INTO hours_volunteer_month (volunteer_id, month, scanned_minutes, manual_minutes,"
    " records) SELECT r.volunteer_id, {month}, "
    "SUM(CASE WHEN (CASE WHEN r.kind = 'reversal' THEN o.kind ELSE r.kind END) = 'scanned' "
    "THEN r.minutes ELSE 0 END), "
    "SUM(CASE WHEN (CASE WHEN r.kind = 'reversal' THEN o.kind ELSE r.kind END) = 'manual' "
    "THEN r.minutes ELSE 0 END), "
    "SUM(CASE WHEN r.kind = 'reversal' THEN -1 ELSE 1 END) "
    "FROM service_record r LEFT JOIN service_record o "
    "ON r.kind = 'reversal' AND o.id = r.reverses_id "
    "WHERE r.status = 'approved' GROUP BY r.volunteer_id, {month}")
SQLITE_VOLUNTEER_REBUILD = _VOLUNTEER_REBUILD.format(month="substr(r.started_at, 1, 7)")
POSTGRES_VOLUNTEER_REBUILD = _VOLUNTEER_REBUILD.format(
    month="to_char(r.started_at, 'YYYY-MM')")
UPSERT_BATCH = 500  # rows per INSERT ... ON CONFLICT: 2,500 parameters


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


def add_hours_volunteer_month(items: Iterable[tuple[int, dt.datetime, str, int, int]]) -> None:
    """Add (volunteer id, start, effective kind, minutes, records) to the per-volunteer
    months; the kind is "scanned" or "manual" (a reversal passes the kind it reverses).
    Call inside the writing transaction that approves or reverses the records."""
    totals: dict[tuple[int, str], list[int]] = {}
    for volunteer_id, start, kind, minutes, records in items:
        row = totals.setdefault((int(volunteer_id), month_key(start)), [0, 0, 0])
        if kind == "scanned":
            row[0] += int(minutes)
        elif kind == "manual":
            row[1] += int(minutes)
        row[2] += int(records)
    _upsert_volunteer_months([(vid, month, s, m, n)
                              for (vid, month), (s, m, n) in totals.items()])


def move_hours_volunteer_month(from_id: int, to_id: int) -> None:
    """Fold one volunteer's months into another's (a merge moves all the records)."""
    model = HoursVolunteerMonth
    rows = tuples(model.select(model.month, model.scanned_minutes, model.manual_minutes,
                               model.records).where(model.volunteer_id == from_id))
    model.delete().where(model.volunteer_id == from_id).execute()
    _upsert_volunteer_months([(to_id, *row) for row in rows])


def _upsert_volunteer_months(rows: list[tuple[int, str, int, int, int]]) -> None:
    """Add (volunteer id, month, scanned, manual, records) rows onto the roll-up, batched;
    each (volunteer, month) at most once (PostgreSQL refuses a row updated twice)."""
    model = HoursVolunteerMonth
    fields = [model.volunteer_id, model.month, model.scanned_minutes, model.manual_minutes,
              model.records]
    rows = sorted(rows)
    for first in range(0, len(rows), UPSERT_BATCH):
        (model.insert_many(rows[first:first + UPSERT_BATCH], fields=fields)
         .on_conflict(conflict_target=[model.volunteer_id, model.month], update={
             model.scanned_minutes: model.scanned_minutes + pw.EXCLUDED.scanned_minutes,
             model.manual_minutes: model.manual_minutes + pw.EXCLUDED.manual_minutes,
             model.records: model.records + pw.EXCLUDED.records})
         .execute())


def rebuild_hours_volunteer_month(db: pw.Database | None = None) -> None:
    """Recompute `hours_volunteer_month` from the service records (in the caller's
    transaction)."""
    target = db or database
    target.execute_sql("DELETE FROM hours_volunteer_month")
    target.execute_sql(SQLITE_VOLUNTEER_REBUILD if is_sqlite(db)
                       else POSTGRES_VOLUNTEER_REBUILD)
