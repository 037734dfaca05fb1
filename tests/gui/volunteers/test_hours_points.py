"""The volunteer list's hours, star level and points columns, the star filter, and the
detail panel's service figures and points dialogs, on both backends."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from app.domain.hours import ActivityDraft
from app.services.hours import activities
from app.services.hours import records as service_records
from app.services.points import ledger as points
from app.services.volunteers import demo
from app.store.models import Volunteer
from app.ui.volunteers.detail import CertificateDialog, LedgerDialog, PointsDialog
from app.ui.volunteers.model import Column, VolunteerTableModel

MINUTES = [0, 120 * 60, 400 * 60, 1600 * 60, 30 * 60]


@pytest.fixture
def served(register) -> list[int]:
    demo.generate(len(MINUTES), seed=31)
    ids = [v.id for v in Volunteer.select(Volunteer.id).order_by(Volunteer.id)]
    for vid, minutes, pts in zip(ids, MINUTES, (3, 50, 9, 200, 0), strict=True):
        Volunteer.update(approved_minutes=minutes).where(Volunteer.id == vid).execute()
        if pts:
            points.bonus(vid, pts, "测试")
    return ids


def values(model: VolunteerTableModel, column: Column) -> list:
    return [model.data(model.index(r, column)) for r in range(model.rowCount())]


def test_model_with_new_columns_passes_the_tester(qtmodeltester, served):
    model = VolunteerTableModel(page_size=2)
    assert model.columnCount() == len(Column)
    qtmodeltester.check(model)


def test_sort_by_hours_star_and_points(served):
    model = VolunteerTableModel()
    model.sort(Column.HOURS, Qt.SortOrder.DescendingOrder)
    assert values(model, Column.HOURS) == ["1600", "400", "120", "30", "0"]
    assert values(model, Column.STAR) == ["★★★★★", "★★", "★", "", ""]
    model.sort(Column.POINTS, Qt.SortOrder.AscendingOrder)
    assert values(model, Column.POINTS) == [0, 3, 9, 50, 200]
    model.sort(Column.STAR, Qt.SortOrder.AscendingOrder)
    assert model.sort_column() == Column.HOURS
    assert values(model, Column.HOURS) == ["0", "30", "120", "400", "1600"]


def test_star_filter_combo(page, served):
    page.model.refresh()
    combo = page.star_combo
    assert combo.count() == 6 and combo.itemData(0) == 0
    combo.setCurrentIndex(1)                     # one star and above
    assert page.model.filter.min_minutes == 100 * 60
    assert page.model.rowCount() == 3
    combo.setCurrentIndex(combo.count() - 1)     # five stars
    assert page.model.rowCount() == 1
    combo.setCurrentIndex(0)
    assert page.model.rowCount() == len(MINUTES)


def test_detail_shows_star_level_and_points_after_bonus(page, served, qtbot):
    page.model.refresh()
    page.model.sort(Column.HOURS, Qt.SortOrder.DescendingOrder)
    page.select_row(1)                           # 400 h: two stars, 200 h to three
    detail = page.detail
    assert detail.service_values["star"].text().startswith("★★ ")
    assert detail.service_values["approved"].text().startswith("400")
    assert "200" in detail.service_values["next"].text()
    assert detail.service_values["points"].text() == "9"
    vid = page.current_id()
    dialog = detail.open_points()
    assert isinstance(dialog, PointsDialog)
    dialog.amount.setValue(25)
    dialog.reason.setText("推荐新志愿者")
    with qtbot.wait_signal(detail.changed):
        assert dialog.submit()
    assert points.balance(vid) == 34
    assert detail.service_values["points"].text() == "34"
    assert page.model.data(page.model.index(1, Column.POINTS)) == 34


def test_points_dialog_keeps_a_refusal(page, served):
    page.model.refresh()
    page.select_row(0)
    dialog = page.detail.open_points()
    assert dialog is not None
    dialog.kind.setCurrentIndex(1)               # adjust
    dialog.amount.setValue(-10_000)
    dialog.reason.setText("更正")
    assert not dialog.submit()
    assert dialog.isVisible() and dialog.error.text()   # Chinese sentence from the service
    dialog.reason.setText("")
    dialog.amount.setValue(5)
    assert not dialog.submit()
    dialog.close()


def test_ledger_dialog_lists_newest_first(page, served, qtmodeltester):
    page.model.refresh()
    page.select_row(1)
    vid = page.current_id()
    start = dt.datetime(2026, 3, 1, 9)
    act = activities.create(ActivityDraft(name="敬老院探访", starts_at=start,
                                          ends_at=start + dt.timedelta(hours=3)))
    service_records.approve([service_records.add_manual(
        vid, act.id, start, start + dt.timedelta(hours=2), "陪伴老人").id])
    points.bonus(vid, 7, "第二笔")
    dialog = page.detail.open_ledger()
    assert isinstance(dialog, LedgerDialog)
    qtmodeltester.check(dialog.model)
    assert dialog.model.rowCount() == 3
    assert dialog.model.data(dialog.model.index(0, 2)) == "+7"
    assert dialog.model.data(dialog.model.index(1, 4)) == "敬老院探访（2026-03-01）"  # 服务获得
    dialog.close()


def test_certificate_without_hours_is_refused(page, served, monkeypatch, tmp_path):
    page.model.refresh()
    page.model.sort(Column.HOURS, Qt.SortOrder.AscendingOrder)
    page.select_row(0)                           # no approved records at all
    dialog = page.detail.open_certificate()
    assert isinstance(dialog, CertificateDialog)
    asked: list[str] = []

    def ask(*_args: object) -> tuple[str, str]:
        asked.append("asked")
        return str(tmp_path / "c.pdf"), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", ask)
    assert not dialog.submit()
    assert dialog.error.text() and not asked
    assert not Path(tmp_path / "c.pdf").exists()
    dialog.close()
