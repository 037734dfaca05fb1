"""服务记录 from the volunteer detail panel: every record newest first, read a page at a
time, a reversal on its own line above the record it corrects — on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest

from app.domain.hours import ActivityDraft, Kind, RecordStatus
from app.services.hours import activities
from app.services.hours import records as sr
from app.store.db import writing
from app.store.models import ServiceRecord
from app.ui.volunteers.detail import VolunteerDetail
from app.ui.volunteers.history import HistoryColumn, HistoryDialog, HistoryModel


def t(hh: int, mm: int = 0, day: int = 1) -> dt.datetime:
    return dt.datetime(2025, 3, day, hh, mm)


@pytest.fixture
def detail(qtbot, register) -> VolunteerDetail:
    widget = VolunteerDetail()
    qtbot.addWidget(widget)
    widget.resize(420, 800)
    widget.show()
    return widget


def test_history_button_opens_the_shown_persons_records(qtbot, qtmodeltester, detail,
                                                        make_volunteer):
    person = make_volunteer()
    first = activities.create(ActivityDraft(name="敬老院探访", starts_at=t(9, day=1),
                                            ends_at=t(12, day=1), organizer="孵化中心")).id
    second = activities.create(ActivityDraft(name="社区义诊", starts_at=t(9, day=2),
                                             ends_at=t(12, day=2), organizer="卫生站")).id
    sr.record_scan(person.id, first, t(9, day=1))
    done = sr.record_scan(person.id, first, t(11, 30, day=1)).record_id
    sr.approve([done])
    sr.reverse(done, "记错活动")
    sr.add_manual(person.id, second, t(9, day=2), t(10, day=2), "导诊")
    detail.show_record(person)
    detail.history_button.click()
    dialog = detail.findChild(HistoryDialog)
    assert dialog is not None and dialog.volunteer_id == person.id
    qtbot.waitExposed(dialog)
    model = dialog.model
    qtmodeltester.check(model)
    assert model.rowCount() == 3 and "3 records" in dialog.summary.text()

    def row(r: int) -> list:
        return [model.data(model.index(r, c)) for c in HistoryColumn]

    assert row(0) == ["2025-03-02", "09:00–10:00", "社区义诊", "卫生站", "1", "Manual",
                      "Pending approval", ""]
    assert row(1)[4:] == ["-2.5", "Reversal", "Approved", "记错活动"]
    assert row(2)[:7] == ["2025-03-01", "09:00–11:30", "敬老院探访", "孵化中心", "2.5",
                          "Scanned", "Reversed"]
    dialog.grab().save("/tmp/history_dialog.png")


def test_history_grows_as_the_list_scrolls(qtbot, qtmodeltester, register, make_volunteer):
    person = make_volunteer()
    aid = activities.create(ActivityDraft(name="长期服务", starts_at=t(9),
                                          ends_at=t(12))).id
    start = dt.datetime(2020, 1, 1, 9)
    with writing():
        ServiceRecord.insert_many([
            {"volunteer": person.id, "activity": aid, "kind": Kind.MANUAL,
             "status": RecordStatus.APPROVED, "started_at": start + dt.timedelta(days=i),
             "ended_at": start + dt.timedelta(days=i, hours=2), "minutes": 120}
            for i in range(450)]).execute()
    model = HistoryModel(person.id, page_size=200)
    assert (model.rowCount(), model.total) == (200, 450)
    qtmodeltester.check(model)
    while model.canFetchMore(model.index(-1, -1)):
        model.fetchMore(model.index(-1, -1))
    assert model.rowCount() == 450
    assert model.data(model.index(0, HistoryColumn.DATE)) == "2021-03-25"   # newest first
    assert model.data(model.index(449, HistoryColumn.DATE)) == "2020-01-01"
    dialog = HistoryDialog(None, person)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.model.rowCount() >= 200


def test_no_history_yet(qtbot, detail, make_volunteer):
    person = make_volunteer()
    detail.show_record(person)
    dialog = detail.open_history()
    assert dialog is not None
    assert dialog.model.rowCount() == 0
    assert dialog.summary.text() == "No service recorded yet."
    detail.show_record(None)
    assert detail.open_history() is None
