"""Exporting the volunteer list to Excel, on SQLite and PostgreSQL: masked by default,
the list's own filter and order, page by page, audited when unmasked, nothing left behind
when cancelled."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest

from app.services.common.progress import Cancelled
from app.services.volunteers import demo
from app.services.volunteers import exporting as volunteer_export
from app.services.volunteers import importing as volunteer_import
from app.services.volunteers import listing as vl
from app.services.volunteers.listing import SortKey, VolunteerFilter
from app.store.models import AuditLog, Volunteer

TODAY = dt.date(2026, 9, 1)


def rows_of(path: Path) -> list[tuple]:
    sheet = openpyxl.load_workbook(path).worksheets[0]
    return list(sheet.iter_rows(values_only=True))


def test_masked_export_reads_back(register, tmp_path):
    demo.generate(40, seed=4, today=TODAY)
    path = tmp_path / "志愿者.xlsx"
    assert volunteer_export.export(VolunteerFilter(), path, today=TODAY) == 40
    rows = rows_of(path)
    assert rows[0] == volunteer_export.HEADERS
    assert len(rows) == 41
    first = Volunteer.get(Volunteer.number == "V00000001")
    line = dict(zip(rows[0], rows[1], strict=True))
    assert line["志愿者编号"] == "V00000001" and line["姓名"] == first.name
    assert line["身份证号码"] == first.id_number[:6] + "********" + first.id_number[-4:]
    assert line["联系电话"] == first.phone[:3] + "****" + first.phone[-4:]
    assert line["性别"] in ("男", "女") and line["状态"] in ("在册", "暂停", "已退出")
    sheet = openpyxl.load_workbook(path).worksheets[0]
    assert sheet["F2"].number_format == "@" and sheet["G2"].number_format == "@"
    assert not AuditLog.select().where(AuditLog.action == "export_unmasked").exists()


def test_a_list_longer_than_a_sheet_continues_on_the_next(register, tmp_path):
    """Excel stops at 1,048,576 rows a sheet; the export went on past it and failed."""
    demo.generate(40, seed=4, today=TODAY)
    path = tmp_path / "志愿者.xlsx"
    assert volunteer_export.export(VolunteerFilter(), path, today=TODAY,
                                   rows_per_sheet=15) == 40
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["志愿者", "志愿者(2)", "志愿者(3)"]
    numbers = []
    for sheet in book.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0] == volunteer_export.HEADERS
        numbers += [row[0] for row in rows[1:]]
    assert numbers == [f"V{n:08d}" for n in range(1, 41)]
    assert volunteer_export.SHEET_ROWS == 1_048_575


def test_unmasked_export_is_audited_and_can_be_imported_elsewhere(register, tmp_path):
    demo.generate(12, seed=5, today=TODAY)
    path = tmp_path / "full.xlsx"
    volunteer_export.export(VolunteerFilter(), path, unmasked=True, today=TODAY)
    first = Volunteer.get(Volunteer.number == "V00000001")
    line = dict(zip(rows_of(path)[0], rows_of(path)[1], strict=True))
    assert (line["身份证号码"], line["联系电话"]) == (first.id_number, first.phone)
    row = AuditLog.get(AuditLog.action == "export_unmasked")
    assert row.actor == "tester" and json.loads(row.after)["count"] == 12
    # The headers are ones the importer knows: every row is recognised (and already there).
    preview = volunteer_import.read(path, today=TODAY)
    assert preview.total_rows == 12
    assert all("已登记" in p.reason for p in preview.problems)


@pytest.mark.parametrize("flt", [
    VolunteerFilter(),
    VolunteerFilter(sort=SortKey.AGE),
    VolunteerFilter(sort=SortKey.STREET, descending=True),
    VolunteerFilter(sort=SortKey.NAME, statuses=("active",)),
], ids=["number", "age", "street-desc", "name-active"])
def test_export_follows_the_list_page_by_page(register, tmp_path, monkeypatch, flt):
    demo.generate(230, seed=6, today=TODAY)
    monkeypatch.setattr(volunteer_export, "PAGE", 50)   # many pages, keyset from page 2
    path = tmp_path / "page.xlsx"
    count = volunteer_export.export(flt, path, today=TODAY)
    expected = [r.number for r in vl.page(flt, 0, 10_000, today=TODAY)]
    assert count == len(expected)
    assert [r[0] for r in rows_of(path)[1:]] == expected


def test_cancelled_export_leaves_no_file(register, tmp_path, monkeypatch):
    demo.generate(120, seed=7, today=TODAY)
    monkeypatch.setattr(volunteer_export, "PAGE", 30)

    class CancelOnSecondPage:
        pages = 0

        def set_progress(self, done: int, total: int, message: str = "") -> None:
            if done:
                self.pages += 1

        def is_cancelled(self) -> bool:
            return self.pages >= 2

    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(Cancelled):
        volunteer_export.export(VolunteerFilter(), folder / "cancelled.xlsx",
                                state=CancelOnSecondPage())
    assert list(folder.iterdir()) == []


def test_problem_list(register, tmp_path):
    source = tmp_path / "in.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["姓名", "身份证号码", "联系电话"])
    book.active.append(["张三", "110105194912310021", "13800138000"])
    book.save(source)
    preview = volunteer_import.read(source, today=TODAY)
    out = tmp_path / "problems.xlsx"
    assert volunteer_export.write_problems(preview, out) == 1
    assert rows_of(out)[1][:2] == (2, "身份证号码")
    assert "校验位" in rows_of(out)[1][2]
