"""The approval tab: pending records listed with their flags, approved (the volunteer's
hours and points grow), approved all in the background and cancelled (nothing changes),
rejected with a reason, and an approved record reversed — on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest

from app.domain.hours import ActivityDraft, RecordStatus
from app.services.common.progress import Cancelled
from app.services.hours import activities
from app.services.hours import records as service_records
from app.services.points import ledger as points
from app.ui.hours.approval_page import ApprovalPage, PendingColumn, PendingModel, approve_all_job

START = dt.datetime.combine(dt.date.today() - dt.timedelta(days=1), dt.time(9, 0))


class CancelledState:
    """A fake task state whose user has pressed Cancel."""

    def set_progress(self, done: int, total: int, message: str = "") -> None:
        pass

    def is_cancelled(self) -> bool:
        return True


@pytest.fixture
def setup(register, make_volunteer, ids):
    """One activity (09:00–12:00 yesterday) and three volunteers with 2 h pending each."""
    act = activities.create(ActivityDraft(name="社区助老", starts_at=START,
                                          ends_at=START + dt.timedelta(hours=3)))
    people = [make_volunteer("王芳", ids["adult"]), make_volunteer("李四", ids["valid"]),
              make_volunteer("张三", ids["other"])]
    for person in people:
        service_records.add_manual(person.id, act.id, START, START + dt.timedelta(hours=2),
                                   "陪老人聊天")
    return act, people


@pytest.fixture
def page(qtbot, setup) -> ApprovalPage:
    widget = ApprovalPage()
    qtbot.addWidget(widget)
    widget.resize(1100, 500)
    widget.show()
    return widget


def test_model_passes_qt_model_tester(qtmodeltester, setup):
    model = PendingModel(page_size=2)
    assert (model.rowCount(), model.total) == (2, 3)
    qtmodeltester.check(model)
    model.fetchMore(model.index(-1, -1))
    assert model.rowCount() == 3
    model.set_activity(setup[0].id + 1000)
    assert model.rowCount() == 0


def test_flags_are_named(register, make_volunteer):
    act = activities.create(ActivityDraft(name="义诊", starts_at=START,
                                          ends_at=START + dt.timedelta(hours=3)))
    person = make_volunteer()
    service_records.record_scan(person.id, act.id, START)
    service_records.record_scan(person.id, act.id, START + dt.timedelta(minutes=10))
    model = PendingModel()
    assert model.data(model.index(0, PendingColumn.KIND)) == "Scanned"
    assert model.data(model.index(0, PendingColumn.FLAGS)) == "Stay too short"
    assert model.data(model.index(0, PendingColumn.MINUTES)) == "0:00"


def test_approve_selected(page, setup):
    _act, people = setup
    page.table.selectRow(0)
    assert page.approve_button.isEnabled()
    result = page.approve_selected()
    assert result is not None and result.approved == 1
    assert service_records.count_pending() == 2
    assert page.model.rowCount() == 2
    first = people[0]
    assert service_records.volunteer_hours(first.id).approved_minutes == 120
    assert points.balance(first.id) == 2
    assert "Approved 1 records" in page.message.text()
    assert not page.approve_button.isEnabled()              # the selection went with the row


def test_approve_all_job_cancelled_changes_nothing(setup):
    act, people = setup
    with pytest.raises(Cancelled):
        approve_all_job(act.id)(CancelledState())  # type: ignore[arg-type]
    assert service_records.count_pending(act.id) == 3
    assert all(service_records.volunteer_hours(p.id).approved_minutes == 0 for p in people)
    assert all(points.balance(p.id) == 0 for p in people)


def test_approve_all_cancelled_from_the_page(qtbot, page, setup, monkeypatch):
    act, people = setup
    page.set_activity(act.id)
    assert page.approve_all_button.isEnabled()
    real = service_records.pending_ids

    def cancel_first(activity_id=None):
        assert page.task is not None
        page.task.cancel()                                  # as the progress dialog's Cancel
        return real(activity_id)

    monkeypatch.setattr(service_records, "pending_ids", cancel_first)
    task = page.start_approve_all()
    with qtbot.waitSignal(task.finished, timeout=30_000):
        pass
    assert page.message.text() == "Cancelled; nothing was changed."
    assert service_records.count_pending(act.id) == 3
    assert all(points.balance(p.id) == 0 for p in people)
    assert page.approve_all_button.isEnabled()


def test_approve_all(qtbot, page, setup):
    act, people = setup
    page.set_activity(act.id)
    box = page.approve_all()
    assert box is not None
    box.close()
    task = page.start_approve_all()
    with qtbot.waitSignal(task.finished, timeout=30_000):
        pass
    assert service_records.count_pending() == 0
    assert page.model.rowCount() == 0
    assert all(service_records.volunteer_hours(p.id).approved_minutes == 120 for p in people)
    assert "Approved 3 records" in page.message.text()


def test_reject_with_a_reason(page, setup):
    page.table.selectRow(1)
    record = page.model.row_at(1)
    dialog = page.reject_selected()
    assert dialog is not None
    assert not dialog.submit()
    assert dialog.errors.text("reason") == "请填写驳回原因"
    assert service_records.count_pending() == 3
    dialog.reason.setText("未到场")
    assert dialog.submit()
    rejected = service_records.get(record.id)
    assert (rejected.status, rejected.reason) == (RecordStatus.REJECTED, "未到场")
    assert page.model.rowCount() == 2
    assert page.message.text() == "Rejected 1 records."


def test_reverse_an_approved_record(page, setup):
    _act, people = setup
    first = people[0]
    service_records.approve(service_records.pending_ids())
    dialog = page.open_reverse()
    dialog.volunteer.setText(first.number)
    assert dialog.load_records() == 1
    assert dialog.reverse_selected() is None
    assert dialog.errors.text("record") == "Choose the record to reverse."
    dialog.records.selectRow(0)
    assert dialog.reverse_selected() is None
    assert dialog.errors.text("reason") == "请填写冲正原因"
    dialog.reason.setText("录错人")
    assert dialog.reverse_selected() is not None
    assert service_records.volunteer_hours(first.id).approved_minutes == 0
    assert points.balance(first.id) == 0
    assert dialog.records.rowCount() == 0                   # no standing records left


def test_reversing_spent_points_says_so_before_it_is_done(qtbot, page, setup):
    """The volunteer spent what the record earned: the shortfall is shown and nothing is
    reversed until the person says yes (issue 12, item 12)."""
    from PySide6.QtWidgets import QMessageBox

    _act, people = setup
    first = people[0]
    service_records.approve(service_records.pending_ids())
    earned = points.balance(first.id)
    assert earned > 0
    points.adjust(first.id, -earned, "兑换前清零（测试）")
    dialog = page.open_reverse()
    dialog.volunteer.setText(first.number)
    dialog.load_records()
    dialog.records.selectRow(0)
    dialog.reason.setText("录错人")
    assert dialog.reverse_selected() is None
    box = dialog.shortfall_box
    assert box is not None and box.isVisible()
    assert str(earned) in box.text() and "cannot be taken back" in box.text()
    assert service_records.volunteer_hours(first.id).approved_minutes == 120  # not yet
    box.button(QMessageBox.StandardButton.Yes).click()
    assert service_records.volunteer_hours(first.id).approved_minutes == 0
    assert page.message.text() == "The record was reversed."
    assert "2e7d32" in page.message.styleSheet()
