"""The activity tab as staff use it: add an activity through the form (a bad one shows its
message at the field and saves nothing), add manual hours for it and find them waiting
in the approval list, cancel with a reason — on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from app.domain.hours import ActivityDraft, ActivityStatus
from app.services.hours import activities
from app.services.hours import records as service_records
from app.ui.hours.activity_dialog import to_qdatetime
from app.ui.hours.approval_page import PendingColumn
from app.ui.hours.page import ActivityModel, ActivityPage, ServiceHoursPage

YESTERDAY = dt.datetime.combine(dt.date.today() - dt.timedelta(days=1), dt.time(9, 0))


def make_activity(name: str = "社区助老", start: dt.datetime = YESTERDAY,
                  hours: int = 3) -> activities.ActivityRecord:
    return activities.create(ActivityDraft(name=name, starts_at=start,
                                           ends_at=start + dt.timedelta(hours=hours),
                                           organizer="孵化中心", place="活动室", category="助老"))


@pytest.fixture
def page(qtbot, register) -> ActivityPage:
    widget = ActivityPage()
    qtbot.addWidget(widget)
    widget.resize(1100, 600)
    widget.show()
    return widget


def test_model_passes_qt_model_tester(qtmodeltester, register):
    for day in range(5):
        make_activity(f"活动{day}", YESTERDAY - dt.timedelta(days=day))
    model = ActivityModel(page_size=2)
    assert model.rowCount() == 2 and model.total == 5
    qtmodeltester.check(model)
    while model.canFetchMore(model.index(-1, -1)):
        model.fetchMore(model.index(-1, -1))
    assert model.rowCount() == 5
    assert model.data(model.index(0, 0)) == "活动0"          # newest first
    model.set_filter("活动3", None)
    assert model.rowCount() == 1


def test_create_activity_through_the_dialog(qtbot, page, typist):
    dialog = page.open_new()
    typist(dialog.name, "环保宣传")
    typist(dialog.organizer, "绿色家园")
    start = dt.datetime(2026, 12, 5, 9, 0)
    dialog.starts_at.setDateTime(to_qdatetime(start))
    dialog.ends_at.setDateTime(to_qdatetime(start + dt.timedelta(hours=2)))
    dialog.capacity.setValue(30)
    with qtbot.waitSignal(dialog.saved) as saved:
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    record = activities.get(saved.args[0])
    assert (record.name, record.organizer, record.capacity) == ("环保宣传", "绿色家园", 30)
    assert record.starts_at == start and record.minutes == 120
    assert page.model.data(page.model.index(0, 0)) == "环保宣传"
    assert page.current() is not None and page.current().id == record.id
    assert page.count_label.text() == "1 activities"


def test_invalid_activity_shows_its_message_at_the_field(page):
    dialog = page.open_new()
    start = dt.datetime(2026, 12, 5, 9, 0)
    dialog.starts_at.setDateTime(to_qdatetime(start))
    dialog.ends_at.setDateTime(to_qdatetime(start - dt.timedelta(hours=1)))
    assert dialog.save() is None
    assert dialog.errors.text("name") == "请填写活动名称"
    assert dialog.errors.text("ends_at")                    # end before start
    assert dialog.name.property("invalid") is True
    assert dialog.isVisible()
    assert activities.count() == 0


def test_edit_keeps_the_version_check(page, typist):
    record = make_activity()
    page.refresh()
    assert page.select(record.id)
    dialog = page.edit_current()
    assert dialog is not None and dialog.name.text() == "社区助老"
    dialog.place.setText("二楼")
    assert dialog.save() is not None
    assert activities.get(record.id).place == "二楼"


def test_manual_hours_through_the_dialog_reach_the_approval_list(qtbot, register,
                                                                 make_volunteer):
    volunteer = make_volunteer()
    record = make_activity()
    area = ServiceHoursPage()
    qtbot.addWidget(area)
    area.show()
    page = area.activities
    page.refresh()
    assert page.select(record.id)
    dialog = page.add_manual_hours()
    assert dialog is not None
    dialog.volunteer.setText(volunteer.number)
    assert dialog.volunteer.update_choices() == [f"{volunteer.number} {volunteer.name}"]
    dialog.starts_at.setDateTime(to_qdatetime(YESTERDAY))
    dialog.ends_at.setDateTime(to_qdatetime(YESTERDAY + dt.timedelta(hours=2)))
    assert dialog.save() is None                            # no content yet
    assert dialog.errors.text("content") == "请填写服务内容"
    assert service_records.count_pending() == 0
    dialog.content.setPlainText("陪老人聊天")
    with qtbot.waitSignal(dialog.saved):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    model = area.approval.model
    assert model.rowCount() == 1
    assert model.data(model.index(0, PendingColumn.NUMBER)) == volunteer.number
    assert model.data(model.index(0, PendingColumn.KIND)) == "Manual"
    assert model.data(model.index(0, PendingColumn.MINUTES)) == "2:00"
    assert dialog.isVisible()                               # open for the next person
    assert volunteer.number in dialog.done_label.text()
    assert "pending approval" in dialog.done_label.text()
    assert dialog.volunteer.text() == "" and dialog.content.toPlainText() == ""


def test_manual_hours_errors_stay_at_their_fields(page, make_volunteer):
    volunteer = make_volunteer()
    record = make_activity()
    page.refresh()
    page.select(record.id)
    dialog = page.add_manual_hours()
    assert dialog is not None
    dialog.volunteer.setText("V99999999")
    dialog.content.setPlainText("整理物资")
    assert dialog.save() is None
    assert "volunteer number" in dialog.errors.text("volunteer")
    dialog.volunteer.setText(volunteer.number)
    dialog.starts_at.setDateTime(to_qdatetime(YESTERDAY))
    dialog.ends_at.setDateTime(to_qdatetime(YESTERDAY + dt.timedelta(hours=4)))
    assert dialog.save() is None                            # longer than the activity
    assert "超过活动时长" in dialog.errors.text("ended_at")
    assert service_records.count_pending() == 0
    dialog.ends_at.setDateTime(to_qdatetime(YESTERDAY + dt.timedelta(hours=2)))
    assert dialog.errors.text("ended_at") == ""              # fixed: the message goes


def test_the_picker_popup_fits_the_latest_results(page, make_volunteer, qtbot):
    """The suggestion list kept the size of the previous, longer result list."""
    from app.domain.idcard import check_character

    ids = [f"11010519800101{n:03d}" for n in range(1, 9)]
    people = [make_volunteer(name=f"张{n}", id_number=i + check_character(i))
              for n, i in zip("一二三四五六七八", ids, strict=True)]
    record = make_activity()
    page.refresh()
    page.select(record.id)
    dialog = page.add_manual_hours()
    assert dialog is not None
    picker = dialog.volunteer
    picker.setFocus()
    qtbot.waitUntil(picker.hasFocus)
    picker.setText("张")
    assert len(picker.update_choices()) == len(people)
    popup = picker.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    tall = popup.height()
    picker.setText(people[0].number)
    assert len(picker.update_choices()) == 1
    qtbot.waitUntil(lambda: popup.height() < tall)


def test_cancel_asks_a_reason(page):
    record = make_activity()
    page.refresh()
    page.select(record.id)
    dialog = page.cancel_current()
    assert dialog is not None
    assert not dialog.submit()
    assert dialog.errors.text("reason") == "请填写取消原因"
    dialog.reason.setText("暴雨")
    assert dialog.submit()
    assert activities.get(record.id).status == ActivityStatus.CANCELLED
    assert page.model.data(page.model.index(0, 7)) == "Cancelled"
    assert not page.cancel_button.isEnabled() and not page.manual_button.isEnabled()


def test_close_activity(page):
    record = make_activity()
    page.refresh()
    page.select(record.id)
    assert page.close_button.isEnabled()
    box = page.close_current()
    assert box is not None
    box.close()
    assert page.close_activity(page.current())
    assert activities.get(record.id).status == ActivityStatus.CLOSED
    assert not page.close_button.isEnabled()
