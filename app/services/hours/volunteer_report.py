"""The hours report by volunteer as a screen reads it: every volunteer's sums at once, their
numbers and names only for the rows looked at.

A month at city scale is ~350,000 volunteers with hours. Their sums come from the roll-up's
covering index in a third of a second; joining each to its volunteer row for the number and
name, and building a row object for each, costs about as much again twice over (1.9 s in all
at 10M records). A table on screen shows a few dozen rows, so the labels are read in chunks as
rows are asked for; an export iterates and reads them chunk by chunk in the background.
"""

from __future__ import annotations

import datetime as dt
from array import array
from collections.abc import Iterator, Sequence
from typing import overload

import peewee as pw

from app.services.hours import records
from app.services.hours import report_sums as sums_of
from app.services.hours.records import ReportRow
from app.store.db import database
from app.store.models import Volunteer

# Rows whose labels are read in one query; the chunks kept (a screen's worth many times over).
CHUNK = 500
KEPT_CHUNKS = 64
SWEEP = 20_000  # rows an export labels per query


class VolunteerReport(Sequence[ReportRow]):
    """Rows in volunteer-number order. Numbers are handed out in id order and never change
    (see `store.volunteer_queries`), so the order is the volunteer id's, which the roll-up's
    index already gives: nothing is sorted."""

    def __init__(self, ids: array, scanned: array, manual: array, counts: array) -> None:
        self._ids, self._scanned, self._manual, self._counts = ids, scanned, manual, counts
        self._labels: dict[int, list[tuple[str, str]]] = {}

    def __len__(self) -> int:
        return len(self._ids)

    @overload
    def __getitem__(self, index: int) -> ReportRow: ...

    @overload
    def __getitem__(self, index: slice) -> list[ReportRow]: ...

    def __getitem__(self, index: int | slice) -> ReportRow | list[ReportRow]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        number, name = self._chunk(index // CHUNK)[index % CHUNK]
        return ReportRow(number, name, self._scanned[index], self._manual[index],
                         self._counts[index], 1)

    def __iter__(self) -> Iterator[ReportRow]:
        """Every row (an export): labels read by id range, in long sequential runs, which
        reads about three times the rows needed and is still twice as fast as asking for
        each chunk's ids."""
        for first in range(0, len(self), SWEEP):
            ids = self._ids[first:first + SWEEP]
            with sums_of.gc_paused():
                found = {vid: (str(number), str(name)) for vid, number, name in
                         database.execute(
                             Volunteer.select(Volunteer.id, Volunteer.number, Volunteer.name)
                             .where(Volunteer.id.between(ids[0], ids[-1])))}
            for offset, vid in enumerate(ids):
                i = first + offset
                number, name = found[vid]
                yield ReportRow(number, name, self._scanned[i], self._manual[i],
                                self._counts[i], 1)

    def totals(self) -> tuple[int, int, int]:
        """(scanned, manual, records) over every row, without reading a label."""
        return sum(self._scanned), sum(self._manual), sum(self._counts)

    def _chunk(self, chunk: int) -> list[tuple[str, str]]:
        if chunk not in self._labels:
            if len(self._labels) >= KEPT_CHUNKS:
                self._labels.pop(next(iter(self._labels)))
            self._labels[chunk] = self._read(chunk)
        return self._labels[chunk]

    def _read(self, chunk: int) -> list[tuple[str, str]]:
        ids = self._ids[chunk * CHUNK:(chunk + 1) * CHUNK]
        found = {vid: (str(number), str(name)) for vid, number, name in database.execute(
            Volunteer.select(Volunteer.id, Volunteer.number, Volunteer.name)
            .where(Volunteer.id.in_(list(ids))))}
        return [found[vid] for vid in ids]


def volunteer_report(date_from: dt.date | None, date_to: dt.date | None,
                     source: str = "rollup") -> VolunteerReport:
    """`records.hours_report(..., "volunteer")` with its labels read as rows are asked for."""
    sums = records.report_source(date_from, date_to, "volunteer", source)
    query = pw.Select([sums], [sums.c.k, sums.c.scanned, sums.c.manual, sums.c.records]) \
        .order_by(sums.c.k)
    ids, scanned, manual, counts = array("q"), array("q"), array("q"), array("q")
    with sums_of.gc_paused():
        for k, s, m, n in database.execute(query):
            ids.append(k)
            scanned.append(int(s or 0))
            manual.append(int(m or 0))
            counts.append(int(n or 0))
    return VolunteerReport(ids, scanned, manual, counts)
