"""The main window: every area in the navigation, the register in the title, the demo offer,
and the window layout remembered between runs."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from app.services.volunteers import listing as volunteer_list
from app.services.volunteers.listing import VolunteerFilter
from app.store import db
from app.ui import desk_settings
from app.ui.cards.page import CardsPage
from app.ui.home_page import HomePage
from app.ui.hours.page import ServiceHoursPage
from app.ui.main_window import MainWindow, PlaceholderPage
from app.ui.orgs.page import OrgPage
from app.ui.points.page import ShopPage
from app.ui.projects.page import ProjectPage
from app.ui.volunteers.page import VolunteerPage


def test_navigation_title_and_every_area_built(qtbot, register):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    assert db.describe() in window.windowTitle()
    assert window.nav.count() == 8
    assert window.stack.currentWidget() is window.home  # 首页 first, selected at start
    assert isinstance(window.home, HomePage)
    built = {1: VolunteerPage, 2: ServiceHoursPage, 3: ShopPage, 4: CardsPage, 5: OrgPage,
             6: ProjectPage}
    for row, kind in built.items():
        window.nav.setCurrentRow(row)
        assert isinstance(window.stack.currentWidget(), kind)
    assert window.stack.widget(6) is window.projects
    window.nav.setCurrentRow(7)
    assert not isinstance(window.stack.currentWidget(), PlaceholderPage)
    assert not window.findChildren(PlaceholderPage)  # no area is a placeholder any more
    window.projects.statusMessage.emit("已保存")  # the page's notes reach the status bar
    assert window.statusBar().currentMessage() == "已保存"


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
