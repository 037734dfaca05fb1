"""The report by volunteer as the screen reads it: rows, slices, totals and an export's
iteration across label chunks equal the report read whole, on SQLite and PostgreSQL."""

import datetime as dt
import random

from app.services.hours import records as sr
from app.services.hours import volunteer_report as vr
from tests.unit.services.hours.test_report_rollup import build


def test_chunks_slices_and_totals_equal_the_whole_report(register, monkeypatch):
    build(random.Random(3))
    whole = sr.hours_report(None, None, "volunteer")
    assert len(whole) >= 6
    monkeypatch.setattr(vr, "CHUNK", 2)
    monkeypatch.setattr(vr, "SWEEP", 3)
    monkeypatch.setattr(vr, "KEPT_CHUNKS", 2)
    lazy = vr.volunteer_report(None, None)
    assert len(lazy) == len(whole)
    assert [lazy[i] for i in reversed(range(len(lazy)))] == whole[::-1]  # chunks dropped
    assert lazy[-1] == whole[-1] and lazy[1:5] == whole[1:5]
    assert list(lazy) == whole
    assert lazy.totals() == (sum(r.scanned_minutes for r in whole),
                             sum(r.manual_minutes for r in whole),
                             sum(r.records for r in whole))
    empty = vr.volunteer_report(dt.date(2030, 1, 1), dt.date(2030, 1, 31))
    assert len(empty) == 0 and list(empty) == [] and empty.totals() == (0, 0, 0)
