"""The sums behind the hours report (`records.hours_report`): per volunteer, activity or
month, from the service records ("raw") or, for whole calendar months, from the roll-up
`hours_volunteer_month` (schema 8, kept by approval, reversal and merge in their
transactions). Each part yields the columns (k, scanned, manual, records, people).
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterator
from contextlib import contextmanager

import peewee as pw

from app.domain.hours import Kind, RecordStatus
from app.store import rollups
from app.store.db import is_sqlite
from app.store.models import HoursVolunteerMonth, ServiceRecord


def effective_kind() -> pw.Node:
    """A reversal counts against the kind it reverses (looked up only for reversal rows)."""
    orig = ServiceRecord.alias("orig")
    kind_of_orig = orig.select(orig.kind).where(orig.id == ServiceRecord.reverses)
    return pw.Case(None, [(ServiceRecord.kind == Kind.REVERSAL, kind_of_orig)],
                   ServiceRecord.kind)


def month_of_start() -> pw.ColumnBase:
    if is_sqlite():
        return pw.fn.strftime("%Y-%m", ServiceRecord.started_at)
    return pw.fn.to_char(ServiceRecord.started_at, "YYYY-MM")


Span = tuple[dt.datetime | None, dt.datetime | None]  # [start, end) of started_at; None: open


def split_period(date_from: dt.date | None, date_to: dt.date | None,
                 ) -> tuple[tuple[str | None, str | None], list[Span]] | None:
    """The whole months inside the period ("YYYY-MM" first..last, None: unbounded) and the
    partial stretches at its edges; None when no whole month fits inside."""
    first = date_from
    if first is not None and first.day != 1:
        first = (first.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    end = None if date_to is None else date_to + dt.timedelta(days=1)  # exclusive
    if end is not None and end.day != 1:
        end = end.replace(day=1)
    if first is not None and end is not None and first >= end:
        return None
    edges: list[Span] = []
    if date_from is not None and first is not None and date_from < first:
        edges.append((midnight(date_from), midnight(first)))
    if date_to is not None and end is not None and end <= date_to:
        edges.append((midnight(end), midnight(date_to + dt.timedelta(days=1))))
    months = (None if first is None else rollups.month_key(first),
              None if end is None else rollups.month_key(end - dt.timedelta(days=1)))
    return months, edges


def midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time())


def span(start: dt.datetime | None, end: dt.datetime | None) -> pw.Expression:
    cond: pw.Expression = ServiceRecord.status == RecordStatus.APPROVED
    if start is not None:
        cond &= ServiceRecord.started_at >= start
    if end is not None:
        cond &= ServiceRecord.started_at < end
    return cond


def raw_sums(group_by: str, cond: pw.Expression) -> pw.SelectBase:
    """(k, scanned, manual, records, people) from the records matching `cond`."""
    kind = effective_kind()
    inner_key: pw.ColumnBase
    if group_by in ("volunteer", "community"):
        inner_key = ServiceRecord.volunteer
    elif group_by == "activity":
        inner_key = ServiceRecord.activity
    else:
        inner_key = month_of_start()
    people = (pw.Value(1) if group_by in ("volunteer", "community")
              else pw.fn.COUNT(ServiceRecord.volunteer.distinct()))
    return (ServiceRecord.select(
        inner_key.alias("k"),
        pw.fn.SUM(pw.Case(None, [(kind == Kind.SCANNED, ServiceRecord.minutes)], 0))
        .alias("scanned"),
        pw.fn.SUM(pw.Case(None, [(kind == Kind.MANUAL, ServiceRecord.minutes)], 0))
        .alias("manual"),
        pw.fn.SUM(pw.Case(None, [(ServiceRecord.kind == Kind.REVERSAL, -1)], 1))
        .alias("records"),
        people.alias("people"))
        .where(cond).group_by(inner_key))


def rollup_sums(group_by: str, first: str | None, last: str | None) -> pw.SelectBase:
    """(k, scanned, manual, records, people) for whole months first..last from the roll-up.
    One month needs no grouping by volunteer: its rows are one per volunteer already, read
    in volunteer order from the covering index on month."""
    h = HoursVolunteerMonth
    if first is not None and first == last:
        cond: pw.Expression = h.month == first
    else:
        cond = h.month >= (first or "")  # every month when unbounded, still an index range
        if last is not None:
            cond &= h.month <= last
    if group_by == "month":
        return (h.select(h.month.alias("k"), pw.fn.SUM(h.scanned_minutes).alias("scanned"),
                         pw.fn.SUM(h.manual_minutes).alias("manual"),
                         pw.fn.SUM(h.records).alias("records"),
                         pw.fn.COUNT(h.volunteer_id).alias("people"))
                .where(cond).group_by(h.month))
    if first is not None and first == last:
        return h.select(h.volunteer_id.alias("k"), h.scanned_minutes.alias("scanned"),
                        h.manual_minutes.alias("manual"), h.records.alias("records"),
                        pw.Value(1).alias("people")).where(cond)
    return (h.select(h.volunteer_id.alias("k"), pw.fn.SUM(h.scanned_minutes).alias("scanned"),
                     pw.fn.SUM(h.manual_minutes).alias("manual"),
                     pw.fn.SUM(h.records).alias("records"), pw.Value(1).alias("people"))
            .where(cond).group_by(h.volunteer_id))


def combined(group_by: str, parts: list[pw.SelectBase]) -> pw.SelectBase:
    """One (k, scanned, manual, records, people) source from the parts: months are disjoint
    between parts, so by month they are just put together; by volunteer a volunteer may be
    in several, so their sums are added."""
    if len(parts) == 1:
        return parts[0].alias("sums")
    union = parts[0]
    for part in parts[1:]:
        union = union + part  # UNION ALL
    if group_by == "month":
        return union.alias("sums")
    u = union.alias("u")
    return (pw.Select([u], [u.c.k.alias("k"), pw.fn.SUM(u.c.scanned).alias("scanned"),
                            pw.fn.SUM(u.c.manual).alias("manual"),
                            pw.fn.SUM(u.c.records).alias("records"),
                            pw.Value(1).alias("people")])
            .group_by(u.c.k).alias("sums"))


@contextmanager
def gc_paused() -> Iterator[None]:
    """Hold off the cyclic garbage collector while a report's rows are fetched and built:
    a month by volunteer is ~350,000 tuples and as many rows, none of them cyclic, and the
    collector's passes over them cost about as much as building them (measured 2x)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
