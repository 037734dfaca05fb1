"""到场名单 and 在场人员 from the activity tab: who came with check-in and check-out times,
who is on site now across open activities — on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest

from app.domain.hours import ActivityDraft
from app.domain.idcard import check_character
from app.domain.volunteer import VolunteerDraft
from app.services.hours import activities
from app.services.hours import records as sr
from app.services.volunteers import registration as volunteers
from app.ui.hours.attendance_dialog import AttendanceDialog, OnSiteDialog
from app.ui.hours.page import ActivityPage


def volunteer(seq: int) -> int:
    first17 = f"11010519800101{seq:03d}"
    return volunteers.register(VolunteerDraft(
        name=f"志愿者{seq}", id_number=first17 + check_character(first17),
        phone="13800138000")).id


@pytest.fixture
def scene(register) -> dict[str, int]:
    """Two activities under way: three people came to the first (one left, one was
    entered by hand), one is at the second."""
    now = sr.local_now().replace(second=0)
    first = activities.create(ActivityDraft(
        name="社区义诊", starts_at=now - dt.timedelta(hours=2),
        ends_at=now + dt.timedelta(minutes=30), place="和平社区活动中心")).id
    second = activities.create(ActivityDraft(
        name="敬老院探访", starts_at=now - dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(hours=1), place="幸福敬老院")).id
    v = [volunteer(i) for i in range(1, 5)]
    sr.record_scan(v[0], first, now - dt.timedelta(minutes=110))
    sr.record_scan(v[1], first, now - dt.timedelta(minutes=100))
    sr.record_scan(v[1], first, now - dt.timedelta(minutes=5))
    sr.add_manual(v[2], first, now - dt.timedelta(minutes=90), now - dt.timedelta(minutes=30),
                  "导诊", now=now)
    sr.record_scan(v[3], second, now - dt.timedelta(minutes=30))
    return {"first": first, "second": second, "v1": v[0], "v2": v[1], "v3": v[2],
            "v4": v[3]}


@pytest.fixture
def page(qtbot, register) -> ActivityPage:
    widget = ActivityPage()
    qtbot.addWidget(widget)
    widget.resize(1200, 600)
    widget.show()
    return widget


def test_attendance_button_lists_the_selected_activity(qtbot, qtmodeltester, scene, page):
    page.refresh()
    assert not page.attendance_button.isEnabled()          # nothing selected yet
    assert page.select(scene["first"])
    assert page.attendance_button.isEnabled()
    page.attendance_button.click()
    dialog = page.dialog
    assert isinstance(dialog, AttendanceDialog)
    qtbot.waitExposed(dialog)
    qtmodeltester.check(dialog.model)
    model = dialog.model
    names = [model.data(model.index(r, 1)) for r in range(model.rowCount())]
    assert names == ["志愿者1", "志愿者2", "志愿者3"]
    assert model.data(model.index(0, 3)) == ""             # still here: no check-out
    assert model.data(model.index(0, 6)) == "On site"
    assert model.data(model.index(1, 3)) != "" and model.data(model.index(1, 4)) == "1.6"
    assert model.data(model.index(2, 5)) == "Manual"
    assert dialog.present.text() == "1 on site now"
    assert "3 people came" in dialog.note.text()
    sr.record_scan(scene["v1"], scene["first"], sr.local_now())   # leaves
    dialog.refresh_button.click()
    assert dialog.present.text() == "0 on site now"
    assert model.data(model.index(0, 3)) != ""
    dialog.grab().save("/tmp/attendance_dialog.png")


def test_on_site_lists_everyone_checked_in_across_activities(qtbot, qtmodeltester, scene, page):
    page.on_site_button.click()
    dialog = page.dialog
    assert isinstance(dialog, OnSiteDialog)
    qtbot.waitExposed(dialog)
    qtmodeltester.check(dialog.model)
    rows = [(dialog.model.data(dialog.model.index(r, 0)),
             dialog.model.data(dialog.model.index(r, 3))) for r in range(dialog.model.rowCount())]
    assert rows == [("社区义诊", "志愿者1"), ("敬老院探访", "志愿者4")]
    assert dialog.present.text() == "2 on site now"
    assert "2 open activities" in dialog.note.text()
    dialog.grab().save("/tmp/on_site_dialog.png")
    activities.close(scene["second"])
    dialog.refresh()
    assert dialog.present.text() == "1 on site now"
    assert dialog.model.rowCount() == 1


def test_empty_lists(qtbot, qtmodeltester, register):
    start = dt.datetime.combine(dt.date.today() - dt.timedelta(days=1), dt.time(9))
    act = activities.create(ActivityDraft(name="无人到场", starts_at=start,
                                          ends_at=start + dt.timedelta(hours=2)))
    dialog = AttendanceDialog(act)
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.model)
    assert dialog.model.rowCount() == 0 and dialog.present.text() == "0 on site now"
    assert "0 people came" in dialog.note.text()
    on_site = OnSiteDialog()
    qtbot.addWidget(on_site)
    assert on_site.model.rowCount() == 0 and on_site.present.text() == "0 on site now"


def test_records_exported_to_the_national_system_say_so(qtbot, register, tmp_path):
    """A record that went to the national system is marked in the list, also after a
    reversal (whose hours then have to be taken off there by hand)."""
    from app.services.hours import national_export
    from app.services.hours.national_export import Selection

    start = dt.datetime.combine(dt.date.today() - dt.timedelta(days=1), dt.time(9))
    act = activities.create(ActivityDraft(name="社区助老", starts_at=start,
                                          ends_at=start + dt.timedelta(hours=3)))
    ids = [sr.add_manual(volunteer(i), act.id, start + dt.timedelta(minutes=i),
                         start + dt.timedelta(hours=2), "陪伴").id for i in (1, 2, 3)]
    sr.approve(ids[:2])                                   # the third stays pending
    national_export.export(tmp_path / "h.xlsx", Selection(activity_id=act.id))
    sr.reverse(ids[1], "登记错人")
    dialog = AttendanceDialog(act)
    qtbot.addWidget(dialog)
    model = dialog.model
    assert [model.data(model.index(r, 6)) for r in range(3)] == [
        "Approved, exported", "Reversed, exported", "Pending approval"]
