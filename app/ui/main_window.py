"""The main window: a navigation list of the product's areas beside the page of the one
chosen, a status bar, and the window's saved geometry.

Areas not built yet show a plain page saying so, so staff see the whole shape of the
product from the first version and nothing pretends to work.
"""

from __future__ import annotations

import logging
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app import __version__
from app.services import demo, register
from app.ui import desk_settings
from app.ui.common import backup_dialog
from app.ui.common.errors import message_box, show_error
from app.ui.common.lazy_page import LazyPage
from app.ui.common.worker import Task, TaskState, run_task
from app.ui.home_page import HomePage
from app.ui.resources import app_icon
from app.ui.settings_dialog import SettingsDialog

if TYPE_CHECKING:  # the area pages are imported when first opened (the _make_* methods)
    from app.ui.cards.page import CardsPage
    from app.ui.hours.page import ServiceHoursPage
    from app.ui.orgs.page import OrgPage
    from app.ui.points.page import ShopPage
    from app.ui.projects.page import ProjectPage
    from app.ui.volunteers.page import VolunteerPage

log = logging.getLogger(__name__)

DEMO_VOLUNTEERS = 1000
DEMO_ORGS = 200
DEMO_PROJECTS = 50
DEMO_FILE = "yilian-demo.sqlite3"
BACKUP_CHECK_MS = 15 * 60 * 1000  # how often a running window asks whether a backup is due


class PlaceholderPage(QWidget):
    """An area planned but not built yet."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        heading = QLabel(title)
        heading.setStyleSheet("font-size: 18pt; font-weight: bold")
        note = QLabel(self.tr("This feature is not available yet; it will come in a later "
                              "version."))
        note.setObjectName("placeholder_note")
        note.setWordWrap(True)
        layout.addStretch(1)
        for widget in (heading, note):
            widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(widget)
        layout.addStretch(2)


class SettingsPage(QWidget):
    """The 设置 area: what the settings cover and a button to open them."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        layout = QVBoxLayout(self)
        heading = QLabel(self.tr("Settings"))
        heading.setStyleSheet("font-size: 18pt; font-weight: bold")
        note = QLabel(self.tr("Interface language, where the register is kept, the center's "
                              "name and logo, and the rules for young volunteers."))
        note.setWordWrap(True)
        button = QPushButton(self.tr("Open settings…"))
        button.clicked.connect(window.open_settings)
        layout.addWidget(heading)
        layout.addWidget(note)
        layout.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)


class MainWindow(QMainWindow):
    """The application window over the register the process has opened."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("MainWindow")
        self.setWindowIcon(app_icon())
        self.setWindowTitle(self.tr("Yilian — %1").replace("%1", self.register_label()))
        self.task: Task | None = None
        self.demo_question: QMessageBox | None = None
        self.successor: MainWindow | None = None  # the window over a demo register switched to
        self.nav = QListWidget(self)
        self.nav.setObjectName("navigation")
        self.nav.setStyleSheet("QListWidget#navigation { font-size: 11pt; }"
                               "QListWidget#navigation::item { padding: 8px 6px; }")
        self.stack = QStackedWidget(self)
        self.home = HomePage(self)
        self.home.openArea.connect(self.open_area)
        self.lazy = {name: LazyPage(factory, self.stack) for name, factory in (
            ("volunteers", self._make_volunteers), ("service_hours", self._make_hours),
            ("shop", self._make_shop), ("cards", self._make_cards), ("orgs", self._make_orgs),
            ("projects", self._make_projects))}
        areas: list[tuple[str, QWidget]] = [
            (self.tr("Home"), self.home),
            (self.tr("Volunteers"), self.lazy["volunteers"]),
            (self.tr("Service hours"), self.lazy["service_hours"]),
            (self.tr("Points and charity shop"), self.lazy["shop"]),
            (self.tr("Cards and check-in"), self.lazy["cards"]),
            (self.tr("Social organizations"), self.lazy["orgs"]),
            (self.tr("Purchased service projects"), self.lazy["projects"]),
            (self.tr("Settings"), SettingsPage(self)),
        ]
        for title, page in areas:
            QListWidgetItem(title, self.nav)
            self.stack.addWidget(page)
        self.nav.currentRowChanged.connect(self._select)
        self.nav.setCurrentRow(0)
        width = max(self.nav.sizeHintForColumn(0), 120) + 24
        self.nav.setFixedWidth(width)
        central = QWidget(self)
        layout = QHBoxLayout(central)
        layout.setContentsMargins(4, 4, 4, 0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self._build_menu()
        self.location_label = QLabel(self.register_label())
        self.statusBar().addPermanentWidget(self.location_label)
        self.backup_label = QLabel(self)
        self.backup_label.setObjectName("last_backup")
        self.statusBar().addPermanentWidget(self.backup_label)
        self.show_last_backup()
        self.backup_timer = QTimer(self)  # started by start_backup_schedule (the app's start)
        self.backup_timer.setInterval(BACKUP_CHECK_MS)
        self.backup_timer.timeout.connect(self.run_due_backup)
        self.resize(1280, 800)
        self.restore_state()

    # -- the area pages, built when first shown or asked for ---------------------------------

    def _make_volunteers(self, parent: QWidget) -> QWidget:
        from app.ui.volunteers.page import VolunteerPage

        page = VolunteerPage(parent)
        page.statusMessage.connect(self.show_message)
        page.restore_state()
        return page

    def _make_hours(self, parent: QWidget) -> QWidget:
        from app.ui.hours.page import ServiceHoursPage

        return ServiceHoursPage(parent)

    def _make_shop(self, parent: QWidget) -> QWidget:
        from app.ui.points.page import ShopPage

        page = ShopPage(parent)
        page.statusMessage.connect(self.show_message)
        return page

    def _make_cards(self, parent: QWidget) -> QWidget:
        from app.ui.cards.page import CardsPage

        page = CardsPage(parent)
        page.statusMessage.connect(self.show_message)
        return page

    def _make_orgs(self, parent: QWidget) -> QWidget:
        from app.ui.orgs.page import OrgPage

        page = OrgPage(parent)
        page.statusMessage.connect(self.show_message)
        page.openProject.connect(lambda project_id: self.open_area("project", project_id))
        return page

    def _make_projects(self, parent: QWidget) -> QWidget:
        from app.ui.projects.page import ProjectPage

        page = ProjectPage(parent)
        page.statusMessage.connect(self.show_message)
        return page

    @property
    def volunteers(self) -> VolunteerPage:
        from app.ui.volunteers.page import VolunteerPage

        return self.lazy["volunteers"].page_as(VolunteerPage)

    @property
    def service_hours(self) -> ServiceHoursPage:
        from app.ui.hours.page import ServiceHoursPage

        return self.lazy["service_hours"].page_as(ServiceHoursPage)

    @property
    def shop(self) -> ShopPage:
        from app.ui.points.page import ShopPage

        return self.lazy["shop"].page_as(ShopPage)

    @property
    def cards(self) -> CardsPage:
        from app.ui.cards.page import CardsPage

        return self.lazy["cards"].page_as(CardsPage)

    @property
    def orgs(self) -> OrgPage:
        from app.ui.orgs.page import OrgPage

        return self.lazy["orgs"].page_as(OrgPage)

    @property
    def projects(self) -> ProjectPage:
        from app.ui.projects.page import ProjectPage

        return self.lazy["projects"].page_as(ProjectPage)

    def built_pages(self) -> list[QWidget]:
        """The area pages built so far (the others will load fresh when opened)."""
        return [holder.built for holder in self.lazy.values() if holder.built is not None]

    def _build_menu(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        settings_action = QAction(self.tr("&Settings…"), self)
        settings_action.setShortcut(QKeySequence.StandardKey.Preferences)
        settings_action.triggered.connect(self.open_settings)
        file_menu.addAction(settings_action)
        demo_action = QAction(self.tr("New &demo register…"), self)
        demo_action.setObjectName("new_demo_register")
        # not the signal's `checked` as the path: ask for the file
        demo_action.triggered.connect(partial(self.new_demo_register, None))
        file_menu.addAction(demo_action)
        file_menu.addSeparator()
        backup_action = QAction(self.tr("&Back up the register…"), self)
        backup_action.setObjectName("backup_register")
        backup_action.triggered.connect(
            lambda: backup_dialog.backup_now(self, on_done=lambda _r: self.show_last_backup()))
        file_menu.addAction(backup_action)
        restore_action = QAction(self.tr("&Restore from a backup…"), self)
        restore_action.setObjectName("restore_register")
        restore_action.triggered.connect(
            lambda: backup_dialog.choose_restore(self, on_restored=self.after_restore))
        file_menu.addAction(restore_action)
        file_menu.addSeparator()
        quit_action = QAction(self.tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        about_action = QAction(self.tr("&About Yilian"), self)
        about_action.triggered.connect(self.about)
        help_menu.addAction(about_action)

    # -- actions ---------------------------------------------------------------------------

    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 10_000)

    def _select(self, row: int) -> None:
        """Show the page of navigation row `row`, building it if it is opened first."""
        widget = self.stack.widget(row)
        if isinstance(widget, LazyPage):
            widget.page()
        self.stack.setCurrentIndex(row)

    def show_page(self, page: QWidget) -> bool:
        """Select the navigation entry of `page`; False if it is not in the window."""
        row = self.stack.indexOf(page)
        if row >= 0:
            self.nav.setCurrentRow(row)
        return row >= 0

    def open_area(self, area: str, arg: object = None) -> None:
        """The home page's figures open their lists: switch and filter (see HomePage)."""
        filters = arg if isinstance(arg, dict) else {}
        if area == "volunteers":
            self.show_page(self.volunteers)
            combo = self.volunteers.status_combo
            wanted = (filters["status"],) if "status" in filters else None
            for index in range(combo.count()):
                if (index == 0 and wanted is None) or tuple(combo.itemData(index) or ()) == wanted:
                    combo.setCurrentIndex(index)
                    break
        elif area == "hours":
            hours_page = self.service_hours
            if "from" in filters and "to" in filters:   # the hours report for that period
                report = hours_page.reports
                report.date_from.setDate(filters["from"])
                report.date_to.setDate(filters["to"])
                report.refresh()
                hours_page.setCurrentWidget(report)
            self.show_page(hours_page)
        elif area == "orgs":
            self.show_page(self.orgs)
            self.orgs.show_filtered(incubation=filters.get("incubation"),
                                    legal_status=filters.get("legal_status"))
        elif area == "org" and arg is not None:
            self.show_page(self.orgs)
            self.orgs.open_org(int(str(arg)))
        elif area in ("projects", "project"):
            page = getattr(self, "projects", None)
            if page is None or not self.show_page(page):
                return
            if area == "project" and arg is not None and hasattr(page, "open_project"):
                page.open_project(int(str(arg)))
            elif hasattr(page, "show_filtered"):
                page.show_filtered(status=filters.get("status"), year=filters.get("year"),
                                   money=filters.get("money"))

    def open_settings(self) -> SettingsDialog:
        dialog = SettingsDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(lambda: self.show_message(self.tr(
            "Settings saved. Language and register changes apply at the next start.")))
        dialog.open()
        return dialog

    def about(self) -> None:
        message_box(self, QMessageBox.Icon.Information, self.tr("About Yilian"),
                    self.tr("Yilian %1 — volunteer, social organization and service project "
                            "register for incubation centers.\nRegister: %2").replace(
                        "%1", __version__).replace("%2", register.describe()))

    def register_label(self) -> str:
        """Where the register lives, and that it holds demo data if it does."""
        if demo.is_demo():
            return self.tr("%1 (demo data)").replace("%1", register.describe())
        return register.describe()

    def offer_demo(self) -> QMessageBox | None:
        """On the first start with an empty register, offer to fill it with demo data."""
        target = register.describe()
        if desk_settings.demo_offered(target) or not demo.is_empty():
            return None
        desk_settings.mark_demo_offered(target)

        def answered(button: QMessageBox.StandardButton) -> None:
            self.demo_question = None
            if button == QMessageBox.StandardButton.Yes:
                self.generate_demo(DEMO_VOLUNTEERS, orgs=DEMO_ORGS, projects=DEMO_PROJECTS)

        self.demo_question = message_box(
            self, QMessageBox.Icon.Question, self.tr("Empty register"),
            self.tr("The register is empty. Fill it with demo data (%1 volunteers, "
                    "organizations, projects and a year of service hours) to try Yilian out?\n"
                    "Demo records are fictitious; keep real work in a separate register.")
            .replace("%1", str(DEMO_VOLUNTEERS)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, answered)
        return self.demo_question

    def new_demo_register(self, path: str | None = None) -> QMessageBox | None:
        """File → New demo register…: demo data goes into a new file of its own, never
        into this register. Asks for the file (default beside this register), makes it the
        register opened at the next start, and offers to switch to it now."""
        if path is None:
            here = Path(register.describe())
            folder = here.parent if here.suffix == ".sqlite3" else register.default_data_dir()
            path, _ = QFileDialog.getSaveFileName(
                self, self.tr("New demo register"), str(folder / DEMO_FILE),
                self.tr("Yilian register (*.sqlite3);;All files (*)"),
                options=QFileDialog.Option.DontConfirmOverwrite)
            if not path:
                return None
        target = Path(path).expanduser()
        if target.exists():
            return message_box(self, QMessageBox.Icon.Warning, self.tr("New demo register"),
                               self.tr("%1 already exists. Demo data goes only into a new "
                                       "file; choose another name.").replace("%1", str(target)))
        desk_settings.REGISTER_TARGET.set(str(target))

        def answered(button: QMessageBox.StandardButton) -> None:
            self.demo_question = None
            if button == QMessageBox.StandardButton.Yes:
                self.switch_to_demo(str(target))
            else:
                self.show_message(self.tr("The demo register opens at the next start."))

        self.demo_question = message_box(
            self, QMessageBox.Icon.Question, self.tr("New demo register"),
            self.tr("The demo register will be %1; this register is not changed.\n"
                    "Yilian opens the demo register at the next start. To come back here, "
                    "choose this register in Settings.\n\nSwitch to the demo register now?")
            .replace("%1", str(target)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, answered)
        return self.demo_question

    def switch_to_demo(self, path: str) -> MainWindow:
        """Close this register, open the new file and fill it in a window of its own."""
        register.close()
        register.open(path)
        desk_settings.mark_demo_offered(register.describe())
        window = MainWindow()
        window.show()
        window.generate_demo(DEMO_VOLUNTEERS, orgs=DEMO_ORGS, projects=DEMO_PROJECTS)
        self.successor = window
        self.close()
        return window

    def generate_demo(self, count: int, orgs: int = 0, projects: int = 0) -> Task:
        """Demo volunteers, organizations, projects and a year of hours in one background
        job; `demo.generate_all` refuses a register that is not empty."""

        def job(state: TaskState) -> object:
            return demo.generate_all(count, orgs=orgs, projects=projects, state=state)

        def done(_result: object) -> None:
            built = self.built_pages()   # pages not built yet will read the data when opened
            hours = [p for p in built if p is self.lazy["service_hours"].built]
            targets: list[QWidget] = [*built, *(t for h in hours for t in (
                getattr(h, "activities", None), getattr(h, "approval", None)) if t)]
            for page in targets:
                for name in ("reload_areas", "reload_activities", "refresh"):
                    refresh = getattr(page, name, None)
                    if callable(refresh):
                        refresh()
            if self.stack.currentWidget() is self.home:
                self.home.refresh()
            label = self.register_label()
            self.setWindowTitle(self.tr("Yilian — %1").replace("%1", label))
            self.location_label.setText(label)
            self.show_message(self.tr("Added demo data: %1 volunteers, %2 organizations, "
                                      "%3 projects and a year of service hours.")
                              .replace("%1", str(count)).replace("%2", str(orgs))
                              .replace("%3", str(projects)))

        self.task = run_task(job, self, self.tr("Generating demo data"),
                             on_success=done, on_failure=self._failed)
        return self.task

    def _failed(self, exc: BaseException) -> None:
        show_error(self, exc)

    # -- backups -----------------------------------------------------------------------------

    def show_last_backup(self) -> None:
        """The status bar's note of when the register was last backed up (by any desk)."""
        when = backup_dialog.last_backup_text()
        self.backup_label.setText(self.tr("Last backup: %1").replace(
            "%1", when or self.tr("never")))

    def start_backup_schedule(self) -> Task:
        """At start-up: the scheduled backup if it is due, then a check every while."""
        self.backup_timer.start()
        return self.run_due_backup()

    def run_due_backup(self) -> Task:
        """The scheduled automatic backup on a worker, if due; failures go to the log and
        the status bar (nobody asked for this work, so no dialog)."""

        def failed(exc: BaseException) -> None:
            log.error("automatic backup failed", exc_info=(type(exc), exc, exc.__traceback__))
            self.show_message(self.tr("Automatic backup failed: %1").replace(
                "%1", getattr(exc, "message", str(exc))))

        return run_task(lambda _state: backup_dialog.run_due(), None, "",
                        on_success=lambda _r: self.show_last_backup(), on_failure=failed)

    def after_restore(self, _result: object) -> MainWindow:
        """Every page shows the register as it was; a new window shows the restored one."""
        window = MainWindow()
        window.show()
        window.show_message(self.tr("The register was restored from the backup."))
        window.start_backup_schedule()
        self.successor = window
        self.backup_timer.stop()
        self.close()
        return window

    # -- state -------------------------------------------------------------------------------

    def restore_state(self) -> None:
        geometry = desk_settings.MAIN_GEOMETRY.get()
        if not geometry.isEmpty():
            self.restoreGeometry(geometry)
        state = desk_settings.MAIN_STATE.get()
        if not state.isEmpty():
            self.restoreState(state)
        # the volunteer page restores its own state when it is built

    def save_state(self) -> None:
        desk_settings.MAIN_GEOMETRY.set(self.saveGeometry())
        desk_settings.MAIN_STATE.set(self.saveState())
        if self.lazy["volunteers"].built is not None:
            self.volunteers.save_state()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_state()
        super().closeEvent(event)
