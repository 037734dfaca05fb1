"""The main window: every area in the navigation, the register in the title, the demo offer,
and the window layout remembered between runs."""

from __future__ import annotations

from PySide6.QtCore import QThreadPool
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMessageBox

from app.services import demo
from app.services.volunteers import listing as volunteer_list
from app.services.volunteers.listing import VolunteerFilter
from app.store import db
from app.ui import desk_settings
from app.ui.cards.page import CardsPage
from app.ui.common.lazy_page import LazyPage
from app.ui.home_page import HomePage
from app.ui.hours.page import ServiceHoursPage
from app.ui.main_window import MainWindow, PlaceholderPage
from app.ui.orgs.page import OrgPage
from app.ui.points.page import ShopPage
from app.ui.projects.page import ProjectPage
from app.ui.volunteers.page import VolunteerPage


def test_navigation_title_and_every_area_built(qtbot, register):
    """Only the home page is built at start-up; each area is built when first opened."""
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    assert db.describe() in window.windowTitle()
    assert window.nav.count() == 8
    assert window.stack.currentWidget() is window.home  # 首页 first, selected at start
    assert isinstance(window.home, HomePage)
    assert window.built_pages() == []                   # nothing else built yet
    assert not window.findChildren(ServiceHoursPage)
    built = {1: VolunteerPage, 2: ServiceHoursPage, 3: ShopPage, 4: CardsPage, 5: OrgPage,
             6: ProjectPage}
    for row, kind in built.items():
        assert isinstance(window.stack.widget(row), LazyPage)   # a placeholder till opened
        window.nav.setCurrentRow(row)
        assert isinstance(window.stack.currentWidget(), kind)
    assert window.stack.widget(6) is window.projects
    assert len(window.built_pages()) == 6
    window.nav.setCurrentRow(7)
    assert not isinstance(window.stack.currentWidget(), PlaceholderPage)
    assert not window.findChildren(PlaceholderPage)  # no area is a placeholder any more
    window.projects.statusMessage.emit("已保存")  # the page's notes reach the status bar
    assert window.statusBar().currentMessage() == "已保存"
    assert window.show_page(window.cards) and window.nav.currentRow() == 4
    assert QThreadPool.globalInstance().waitForDone(30_000)


def test_the_hours_report_is_counted_only_when_its_tab_is_shown(qtbot, register):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    hours = window.service_hours                      # asking for the page builds it
    assert window.built_pages() == [hours]
    assert hours.reports.report_task is None          # nothing counted on the GUI thread
    window.show_page(hours)
    hours.setCurrentWidget(hours.reports)
    qtbot.waitUntil(lambda: hours.reports.report_task is not None)
    qtbot.waitUntil(lambda: hours.reports.report_task.done, timeout=30_000)
    assert QThreadPool.globalInstance().waitForDone(30_000)


def test_empty_register_offers_demo_data_once(qtbot, register):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    box = window.offer_demo()
    assert box is not None and box.isVisible()
    with qtbot.waitSignal(box.finished):
        box.button(QMessageBox.StandardButton.Yes).click()
    assert window.task is not None
    qtbot.waitUntil(lambda: window.task.done, timeout=120_000)
    assert volunteer_list.count(VolunteerFilter()) == 1000
    assert window.volunteers.model.rowCount() == 1000
    assert window.volunteers.street_combo.count() > 1
    assert window.offer_demo() is None            # asked once per register


def test_declined_demo_is_not_asked_again(qtbot, register):
    window = MainWindow()
    qtbot.addWidget(window)
    box = window.offer_demo()
    box.button(QMessageBox.StandardButton.No).click()
    assert window.task is None
    assert window.offer_demo() is None
    assert volunteer_list.count(VolunteerFilter()) == 0


def test_demo_action_never_adds_to_a_register_with_real_people(qtbot, register,
                                                                make_volunteer, tmp_path,
                                                                monkeypatch):
    make_volunteer()
    demo_file = tmp_path / "yilian-demo.sqlite3"
    asked: list[str] = []

    def save_name(_parent, _title, suggested, *_args, **_kwargs):
        asked.append(suggested)
        return str(demo_file), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_name)
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    assert window.offer_demo() is None                   # not empty: no first-start offer
    action = window.findChild(QAction, "new_demo_register")
    action.trigger()
    assert asked and asked[0].endswith("yilian-demo.sqlite3")
    box = window.demo_question
    assert box is not None and box.isVisible() and str(demo_file) in box.text()
    with qtbot.waitSignal(box.finished):
        box.button(QMessageBox.StandardButton.No).click()
    assert window.task is None
    assert volunteer_list.count(VolunteerFilter()) == 1  # nobody added to the real register
    assert not demo.is_demo()
    assert desk_settings.REGISTER_TARGET.get() == str(demo_file)  # opened at the next start
    assert not demo_file.exists()


def test_switch_to_a_new_demo_register_fills_it(qtbot, register, make_volunteer, tmp_path):
    make_volunteer()
    demo_file = tmp_path / "demo" / "yilian-demo.sqlite3"
    window = MainWindow()
    qtbot.addWidget(window)
    box = window.new_demo_register(str(demo_file))
    box.button(QMessageBox.StandardButton.Yes).click()
    new = window.successor
    assert new is not None
    qtbot.addWidget(new)
    qtbot.waitUntil(lambda: new.task is not None and new.task.done, timeout=120_000)
    assert db.describe() == str(demo_file)
    assert demo.is_demo() and volunteer_list.count(VolunteerFilter()) == 1000
    assert "demo data" in new.windowTitle()
    assert new.service_hours is not None and new.offer_demo() is None
    new.close()


def test_demo_file_that_exists_is_refused(qtbot, register, tmp_path):
    taken = tmp_path / "taken.sqlite3"
    taken.write_bytes(b"x")
    window = MainWindow()
    qtbot.addWidget(window)
    box = window.new_demo_register(str(taken))
    assert box is not None and "already exists" in box.text()
    assert desk_settings.REGISTER_TARGET.get() == ""


def test_geometry_and_columns_are_restored(qtbot, register):
    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(700, 500)
    window.volunteers.table.horizontalHeader().resizeSection(1, 222)
    window.close()
    assert not desk_settings.MAIN_GEOMETRY.get().isEmpty()
    again = MainWindow()
    qtbot.addWidget(again)
    assert again.volunteers.table.horizontalHeader().sectionSize(1) == 222
    assert again.size().width() == 700
