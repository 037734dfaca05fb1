"""Export from the volunteer page runs in the background and writes what the list shows."""

from __future__ import annotations

import pytest

from app.services.volunteers import demo
from app.services.volunteers.listing import VolunteerFilter


def test_export_writes_the_filtered_rows(qtbot, page, tmp_path):
    pytest.importorskip("app.services.volunteers.exporting")
    pytest.importorskip("openpyxl")
    import openpyxl

    demo.generate(120, seed=3)
    page.refresh()
    street = page.model.data(page.model.index(0, 7))
    page.model.set_filter(VolunteerFilter(street=street))
    expected = page.model.rowCount()
    path = tmp_path / "out.xlsx"
    task = page.export_to(path)
    with qtbot.waitSignal(task.finished, timeout=60_000):
        pass
    assert path.is_file()
    sheet = openpyxl.load_workbook(path, read_only=True).worksheets[0]
    rows = [r for r in sheet.iter_rows(values_only=True) if any(r)]
    assert len(rows) >= expected              # a header (and maybe a title) plus the rows
    assert any(street in [str(c) for c in r] for r in rows)
