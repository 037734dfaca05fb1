"""Screenshots for the user guide (docs/guide/README.md), taken from the running application.

Run through scripts/make-user-guide.sh, which starts an X server (Xvfb) of 1440×900:
a demo register is made in a temporary folder, the real main window is opened over it, and
each task of the guide is done the way a person at the desk does it — clicking the toolbar
actions and buttons, typing into the forms, opening the dialogs. After each step the whole
screen is grabbed (so dialogs are in the picture), cropped to the windows on it and saved as
a palette PNG in docs/guide/img/. At the end every picture the Markdown names must have been
made by this run; otherwise the script fails.

The guide's sections and TASKS below are in the same order with the same titles;
tests/gui/test_user_guide.py checks that without starting the application.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
GUIDE = HERE / "README.md"
IMAGES = HERE / "img"
IMAGE_LINK = re.compile(r"!\[[^\]]*\]\((img/[^)\s]+\.png)\)")
SECTION = re.compile(r"^## (\d+)\. (.+?)\s*$", re.MULTILINE)

W = TypeVar("W", bound="QWidget")
KIOSK_PIN = "2468"
TITLE_BAR = 28  # px of the title bar drawn over a dialog in the pictures


@dataclass(frozen=True)
class Task:
    """One section of the guide: its title (as in the Markdown) and the step that shoots it."""

    title: str
    run: str  # the name of the Driver method that performs the task


TASKS: tuple[Task, ...] = (
    Task("打开益联", "start"),
    Task("登记一名志愿者", "register_volunteer"),
    Task("导入志愿者名册", "import_roster"),
    Task("制作和打印志愿者证", "print_cards"),
    Task("活动签到（签到机）", "run_kiosk"),
    Task("审核服务时长", "approve_hours"),
    Task("积分超市兑换", "redeem"),
    Task("登记社会组织年检", "record_inspection"),
    Task("打印报表：年度工作报告书和项目报告", "print_reports"),
)


def guide_sections(text: str) -> list[str]:
    """The numbered `## N. title` sections of the guide, in order."""
    return [m.group(2) for m in SECTION.finditer(text)]


def guide_images(text: str) -> list[str]:
    """The pictures the guide shows, as paths relative to docs/guide/."""
    return IMAGE_LINK.findall(text)


# -- the driver (imports Qt and the application only when run) ---------------------------


class Driver:
    """Drives the main window like a user and saves the screenshots."""

    def __init__(self, folder: Path) -> None:
        from PySide6.QtCore import QCoreApplication, QSettings
        from PySide6.QtWidgets import QApplication

        from app.domain.idcard import check_character
        from app.services import demo, register
        from app.ui import desk_settings
        from app.ui.resources import app_icon, install_translators

        self.folder = folder
        first17 = "11010519920315052"
        self.volunteer_id_number = first17 + check_character(first17)  # the guide's 陈晓梅
        self.made: list[str] = []
        # Desk preferences in the temporary folder: never the user's own.
        QCoreApplication.setOrganizationName(desk_settings.ORGANIZATION)
        QCoreApplication.setApplicationName("YilianGuide")
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                          str(folder / "desk"))
        self.app = cast(QApplication, QApplication.instance() or QApplication(sys.argv[:1]))
        install_translators(self.app, "zh_CN")
        self.app.setWindowIcon(app_icon())

        # The register is prepared before the window opens, so the first-start question
        # ("fill the empty register with demo data?") never comes up.
        target = folder / "益联演示登记簿.sqlite3"
        register.open(str(target))
        print("making demo data …", flush=True)
        demo.generate_all(400, orgs=60, projects=12, seed=7)
        desk_settings.mark_demo_offered(register.describe())
        from app.services.common import settings

        settings.put(settings.KIOSK_PIN, KIOSK_PIN)  # set up once in 设置 → 签到机

        from app.ui.main_window import MainWindow

        self.window = MainWindow()
        self.window.move(0, 0)
        self.window.resize(1280, 800)
        self.window.show()
        self.wait_until(self.window.isVisible)
        self.pause(500)

    # -- helpers ----------------------------------------------------------------------

    def pause(self, ms: int = 250) -> None:
        from PySide6.QtTest import QTest

        QTest.qWait(ms)

    def wait_until(self, condition: Callable[[], object], what: str = "",
                   timeout_ms: int = 60_000) -> None:
        """Let the event loop run until `condition()` holds; fail loudly if it never does."""
        from PySide6.QtWidgets import QApplication, QMessageBox

        waited = 0
        while not condition():
            if waited >= timeout_ms:
                raise RuntimeError(f"gave up waiting for {what or condition}")
            for box in QApplication.topLevelWidgets():
                if isinstance(box, QMessageBox) and box.isVisible() \
                        and box.icon() == QMessageBox.Icon.Critical:
                    raise RuntimeError(f"waiting for {what}, the application said: "
                                       f"{box.text()} {box.detailedText()}")
            self.pause(50)
            waited += 50

    def tr(self, context: str, text: str) -> str:
        """The text a translated widget shows for an English source string."""
        from PySide6.QtCore import QCoreApplication

        return QCoreApplication.translate(context, text)

    def open_area(self, context: str, title: str, page_class: type[W]) -> W:
        """Click the navigation entry titled `title`; return the page it shows."""
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        nav = self.window.nav
        wanted = {self.tr(context, title), title}
        for row in range(nav.count()):
            item = nav.item(row)
            if item.text() in wanted:
                rect = nav.visualItemRect(item)
                QTest.mouseClick(nav.viewport(), Qt.MouseButton.LeftButton,
                                 pos=rect.center())
                break
        else:
            raise RuntimeError(f"no navigation entry {title!r}")
        found: list[W] = []

        def shown() -> bool:
            found[:] = [w for w in self.window.findChildren(page_class) if w.isVisible()]
            return bool(found)

        self.wait_until(shown, f"the page {page_class.__name__}")
        self.pause(300)
        return found[0]

    def dialog(self, cls: type[W], what: str = "") -> W:
        """The visible top-level window of class `cls` (a dialog that has just opened)."""
        from PySide6.QtWidgets import QApplication

        found: list[Any] = []

        def shown() -> bool:
            found[:] = [w for w in QApplication.topLevelWidgets()
                        if isinstance(w, cls) and w.isVisible()]
            return bool(found)

        self.wait_until(shown, what or cls.__name__)
        self.pause(300)
        return found[-1]

    def gone(self, widget: Any) -> None:
        from shiboken6 import isValid

        self.wait_until(lambda: not isValid(widget) or not widget.isVisible(),
                        f"{type(widget).__name__} to close")
        self.pause(200)

    def click(self, widget: Any) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        QTest.mouseClick(widget, Qt.MouseButton.LeftButton)
        self.pause(150)

    def press(self, widget: Any, key: Any) -> None:
        from PySide6.QtTest import QTest

        QTest.keyClick(widget, key)
        self.pause(100)

    def type(self, widget: Any, text: str) -> None:
        """Type like a person: ASCII as keys, Chinese committed by the input method (QTest
        cannot make key events for characters that are not on the keyboard)."""
        from PySide6.QtGui import QInputMethodEvent
        from PySide6.QtTest import QTest
        from PySide6.QtWidgets import QApplication

        widget.setFocus()
        for chunk in re.findall(r"[\x00-\x7f]+|[^\x00-\x7f]+", text):
            if chunk.isascii():
                QTest.keyClicks(widget, chunk)
            else:
                event = QInputMethodEvent()
                event.setCommitString(chunk)
                QApplication.sendEvent(widget, event)
        self.pause(50)

    def trigger(self, action: Any) -> None:
        """Press the toolbar button of `action` (or trigger it when it has none shown)."""
        from PySide6.QtWidgets import QToolBar

        for bar in self.window.findChildren(QToolBar):
            button = bar.widgetForAction(action)
            if button is not None and button.isVisible():
                self.click(button)
                return
        action.trigger()
        self.pause(150)

    def button(self, parent: Any, context: str, text: str) -> Any:
        """The visible push button of `parent` that shows `text` (translated)."""
        from PySide6.QtWidgets import QPushButton

        wanted = {self.tr(context, text), text}
        for candidate in parent.findChildren(QPushButton):
            if candidate.text() in wanted and candidate.isVisible():
                return candidate
        raise RuntimeError(f"no button {text!r} in {type(parent).__name__}")

    def select_rows(self, view: Any, rows: range) -> None:
        from PySide6.QtCore import QItemSelectionModel, Qt
        from PySide6.QtTest import QTest

        model = view.model()
        first = model.index(rows.start, 0)
        rect = view.visualRect(first)
        QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        flags = QItemSelectionModel.SelectionFlag.Select | \
            QItemSelectionModel.SelectionFlag.Rows
        for row in rows[1:]:
            view.selectionModel().select(model.index(row, 0), flags)
        self.pause(200)

    def shot(self, name: str) -> None:
        """Grab the screen, crop it to the windows shown, save docs/guide/img/<name>.png."""
        from PIL import Image
        from PySide6.QtCore import QBuffer, QIODevice, QRect
        from PySide6.QtGui import QColor, QPainter, QPixmap
        from PySide6.QtWidgets import QApplication

        screen = QApplication.primaryScreen()
        shown = [w for w in QApplication.topLevelWidgets()
                 if w.isVisible() and w.isWindow() and w.width() > 40]
        dialogs = [w for w in shown if w is not self.window
                   and not w.geometry().contains(self.window.geometry())]
        room = self.window.geometry()
        for widget in dialogs:  # inside the main window, with room for the title bar drawn
            if widget.height() > room.height() - TITLE_BAR:
                widget.resize(widget.width(), room.height() - TITLE_BAR)
            if widget.y() < room.y() + TITLE_BAR or widget.geometry().bottom() > room.bottom():
                widget.move(widget.x(), room.y() + TITLE_BAR)
        self.pause(400)
        area = QRect()
        for widget in shown:
            area = area.united(widget.frameGeometry())
        area = area.intersected(screen.geometry())
        grabbed = screen.grabWindow(0, area.x(), area.y(), area.width(), area.height())
        # Only the windows: the bare X screen around them is black.
        pixmap = QPixmap(grabbed.size())
        pixmap.fill(QColor("#cfd8dc"))
        painter = QPainter(pixmap)
        for widget in shown:
            rect = widget.frameGeometry().translated(-area.x(), -area.y())
            painter.drawPixmap(rect.topLeft(), grabbed.copy(rect))
        painter.end()
        self.frame_dialogs(pixmap, dialogs, area.topLeft())
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        pixmap.save(buffer, "PNG")
        image = Image.open(io.BytesIO(buffer.data().data())).convert("RGB")
        small = image.quantize(colors=128, method=Image.Quantize.MEDIANCUT,
                               dither=Image.Dither.NONE)
        IMAGES.mkdir(parents=True, exist_ok=True)
        path = IMAGES / f"{name}.png"
        small.save(path, optimize=True)
        self.made.append(f"img/{name}.png")
        print(f"  {path.relative_to(ROOT)}  {image.width}×{image.height}  "
              f"{path.stat().st_size // 1024} KB", flush=True)

    @staticmethod
    def frame_dialogs(pixmap: Any, dialogs: list[Any], origin: Any) -> None:
        """Xvfb has no window manager, so a dialog would melt into the window under it:
        draw each one a shadow, a border and a title bar with its title."""
        from PySide6.QtCore import QRect, Qt
        from PySide6.QtGui import QColor, QFont, QPainter

        painter = QPainter(pixmap)
        font = QFont(painter.font())
        font.setPointSize(10)
        font.setBold(True)
        painter.setFont(font)
        for widget in dialogs:
            body = widget.frameGeometry().translated(-origin.x(), -origin.y())
            whole = body.adjusted(0, -TITLE_BAR, 0, 0)
            for step in range(1, 7):
                painter.setPen(QColor(0, 0, 0, 60 - step * 9))
                painter.drawRect(whole.adjusted(-step, -step, step - 1, step - 1))
            bar = QRect(whole.x(), whole.y(), whole.width(), TITLE_BAR)
            painter.fillRect(bar, QColor("#455a64"))
            painter.setPen(QColor("white"))
            painter.drawText(bar.adjusted(10, 0, -10, 0),
                             Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                             widget.windowTitle())
            painter.setPen(QColor("#455a64"))
            painter.drawRect(whole.adjusted(0, 0, -1, -1))
        painter.end()

    # -- the tasks ----------------------------------------------------------------------

    def start(self) -> None:
        from app.ui.home_page import HomePage

        self.open_area("MainWindow", "Home", HomePage)
        self.pause(800)
        self.shot("01-home")

    def register_volunteer(self) -> None:
        from PySide6.QtWidgets import QDialogButtonBox

        from app.ui.volunteers.editor import VolunteerEditor
        from app.ui.volunteers.page import VolunteerPage

        page = self.open_area("MainWindow", "Volunteers", VolunteerPage)
        self.shot("02-volunteers")
        self.trigger(page.add_action)
        editor = self.dialog(VolunteerEditor)
        self.type(editor.name, "陈晓梅")
        self.type(editor.id_number, self.volunteer_id_number)
        self.type(editor.inputs["phone"], "13912345678")
        for field, text in (("street", "和平街道"), ("community", "和平里社区"),
                            ("skills", "急救、手语"), ("emergency_contact", "陈建国"),
                            ("emergency_phone", "13800001111")):
            self.type(editor.inputs[field], text)
        self.shot("03-volunteer-new")
        self.click(editor.buttons.button(QDialogButtonBox.StandardButton.Save)
                   or editor.buttons.button(QDialogButtonBox.StandardButton.Ok))
        self.gone(editor)
        self.pause(500)
        self.shot("04-volunteer-saved")

    def import_roster(self) -> None:
        import openpyxl

        from app.domain.idcard import check_character
        from app.ui.volunteers.import_dialog import ImportDialog
        from app.ui.volunteers.page import VolunteerPage

        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = "志愿者名册"
        sheet.append(["姓名", "身份证号码", "联系电话", "所属街道", "所属社区", "技能特长"])
        people = [("刘思远", "110105198806120", "13511112222", "和平街道", "和平里社区", "驾驶"),
                  ("王雨桐", "110105200102280", "13611113333", "和平街道", "安华里社区", "英语"),
                  ("赵志强", "110105197511300", "13711114444", "安定门街道", "交道口社区", "维修"),
                  ("孙丽华", "110105196809090", "13811115555", "安定门街道", "交道口社区", "书法")]
        for k, (name, head, phone, street, community, skill) in enumerate(people):
            first17 = f"{head}{k + 1:02d}"
            sheet.append([name, first17 + check_character(first17), phone, street, community,
                          skill])
        sheet.append(["周杰", "11010519900101001", "1381111", "和平街道", "和平里社区", ""])
        roster = self.folder / "志愿者名册.xlsx"
        book.save(roster)

        page = self.open_area("MainWindow", "Volunteers", VolunteerPage)
        self.trigger(page.import_action)
        dialog = self.dialog(ImportDialog)
        # 选择文件… opens the system's file chooser; what it hands back is this path.
        dialog.load(roster)
        self.wait_until(lambda: dialog.preview is not None, "the import preview")
        self.shot("05-import-preview")
        self.click(dialog.skip_import_button)
        self.wait_until(lambda: dialog.import_result is not None, "the import")
        self.shot("06-import-done")
        dialog.close()
        self.gone(dialog)

    def print_cards(self) -> None:
        from PySide6.QtCore import Qt

        from app.ui.cards.page import CardsPage
        from app.ui.common.pdf_preview import PdfPreviewDialog

        page = self.open_area("MainWindow", "Cards and check-in", CardsPage)
        page.tabs.setCurrentIndex(0)
        number = self.new_volunteer_number()
        self.type(page.number, number)
        self.press(page.number, Qt.Key.Key_Return)
        self.click(page.issue_button)
        self.pause(300)
        self.shot("07-cards")
        self.click(page.print_one_button)
        preview = self.dialog(PdfPreviewDialog, "the card preview")
        self.shot("08-card-preview")
        preview.close()
        self.gone(preview)

    def new_volunteer_number(self) -> str:
        from app.services.volunteers import listing
        from app.services.volunteers.listing import VolunteerFilter

        rows = listing.page(VolunteerFilter(text=self.volunteer_id_number), 0, 1)
        if not rows:  # a partial run, without the registration task: register them here
            from app.domain.volunteer import VolunteerDraft
            from app.services.volunteers import registration

            return registration.register(VolunteerDraft(
                name="陈晓梅", id_number=self.volunteer_id_number, phone="13912345678")).number
        return rows[0].number

    def run_kiosk(self) -> None:
        from PySide6.QtCore import QDateTime, Qt
        from PySide6.QtWidgets import QDialogButtonBox, QLineEdit

        from app.services.cards import issuing
        from app.services.volunteers import listing
        from app.services.volunteers.listing import VolunteerFilter
        from app.ui.cards.kiosk import KioskWindow, PinDialog
        from app.ui.cards.page import CardsPage
        from app.ui.hours.activity_dialog import ActivityDialog
        from app.ui.hours.page import ServiceHoursPage

        hours = self.open_area("MainWindow", "Service hours", ServiceHoursPage)
        hours.setCurrentIndex(0)
        self.pause(300)
        self.click(hours.activities.add_button)
        dialog = self.dialog(ActivityDialog)
        self.type(dialog.name, "敬老院探访")
        self.type(dialog.organizer, "和平里社区志愿服务队")
        self.type(dialog.place, "和平里养老驿站")
        start = QDateTime.currentDateTime().addSecs(-30 * 60)
        start = start.addSecs(-(start.time().minute() % 5) * 60)
        dialog.starts_at.setDateTime(start)
        dialog.ends_at.setDateTime(start.addSecs(3 * 3600))
        self.shot("09-activity-new")
        self.click(dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
                   or dialog.buttons.button(QDialogButtonBox.StandardButton.Ok))
        self.gone(dialog)

        page = self.open_area("MainWindow", "Cards and check-in", CardsPage)
        page.tabs.setCurrentIndex(1)
        self.click(self.button(page, "CardsPage", "Refresh"))
        combo = page.activity_combo
        index = next(i for i in range(combo.count()) if "敬老院探访" in combo.itemText(i))
        combo.setCurrentIndex(index)
        page.station.clear()
        self.type(page.station, "一号签到机")
        self.shot("10-checkin-start")
        self.click(page.start_button)
        kiosk = self.dialog(KioskWindow, "the kiosk")
        # Xvfb has no window manager to make the kiosk full-screen: give it the window's place.
        kiosk.setGeometry(self.window.geometry())
        self.pause(500)
        row = listing.page(VolunteerFilter(text=self.volunteer_id_number), 0, 1)[0]
        scan = kiosk.findChild(QLineEdit, "scanField")
        # A card scanner types the card's QR code and presses Enter.
        self.type(scan, issuing.payload_for(row.id))
        self.press(scan, Qt.Key.Key_Return)
        self.pause(400)
        self.shot("11-kiosk")
        # Staff leave the kiosk with Esc and the PIN.
        self.press(scan, Qt.Key.Key_Escape)
        pin = self.dialog(PinDialog, "the PIN dialog")
        self.type(pin.pin, KIOSK_PIN)
        self.shot("12-kiosk-leave")
        self.press(pin.pin, Qt.Key.Key_Return)
        self.gone(kiosk)

    def approve_hours(self) -> None:
        from app.ui.hours.approval_page import ApprovalPage
        from app.ui.hours.page import ServiceHoursPage

        hours = self.open_area("MainWindow", "Service hours", ServiceHoursPage)
        hours.setCurrentIndex(hours.indexOf(hours.approval))
        approval = hours.findChild(ApprovalPage) or hours.approval
        self.wait_until(lambda: approval.activity.count() > 1, "the activities to approve")
        for index in range(1, approval.activity.count()):  # one activity at a time
            approval.activity.setCurrentIndex(index)
            self.pause(300)
            if approval.model.rowCount() >= 3:
                break
        else:
            raise RuntimeError("no activity with three records to approve")
        self.select_rows(approval.table, range(0, 3))
        self.shot("13-approval")
        self.click(approval.approve_button)
        self.pause(600)
        self.shot("14-approved")

    def redeem(self) -> None:
        from PySide6.QtWidgets import QDialogButtonBox, QPushButton

        from app.services.volunteers import listing
        from app.services.volunteers.listing import SortKey, VolunteerFilter
        from app.ui.points.page import ShopPage
        from app.ui.points.shop_dialogs import RedeemDialog

        # The volunteer at the counter: one of those with the most points.
        person = listing.page(VolunteerFilter(sort=SortKey.POINTS, descending=True), 0, 1)[0]
        page = self.open_area("MainWindow", "Points and charity shop", ShopPage)
        self.click(page.redeem_button)
        dialog = self.dialog(RedeemDialog)
        self.type(dialog.search, person.number)
        self.click(dialog.findChild(QPushButton, "find_button"))
        self.wait_until(lambda: dialog.volunteer_choice.count() > 0, "the volunteer")
        dialog.good_choice.setCurrentIndex(0)
        add = dialog.findChild(QPushButton, "add_button")
        self.click(add)
        if dialog.good_choice.count() > 1:
            dialog.good_choice.setCurrentIndex(1)
            self.click(add)
        self.shot("15-redeem")
        self.click(dialog.confirm_button)
        self.pause(500)
        self.shot("16-redeemed")
        dialog.buttons.button(QDialogButtonBox.StandardButton.Close).click() \
            if dialog.buttons.button(QDialogButtonBox.StandardButton.Close) else dialog.close()
        self.gone(dialog)

    def record_inspection(self) -> None:
        from PySide6.QtWidgets import QTabWidget

        from app.domain.orgs.kinds import InspectionResult
        from app.services.orgs import due
        from app.ui.orgs.dialogs import FieldDialog
        from app.ui.orgs.inspection_tab import InspectionTab
        from app.ui.orgs.page import OrgPage

        # An organization whose report for last year is overdue (the home page lists them).
        year = dt.date.today().year - 1
        owing = next(item for item in due.items() if item.kind == "inspection"
                     and item.detail.startswith(f"{year}年度"))
        page = self.open_area("MainWindow", "Social organizations", OrgPage)
        page.tabs.setCurrentIndex(0)
        self.type(page.search, owing.name)
        self.wait_until(lambda: page.model.rowCount() == 1, "the organization searched for")
        self.select_rows(page.table, range(0, 1))
        page.splitter.setSizes([520, 740])  # drag the divider: room for the inspection table
        self.org_page = page
        tab = page.findChild(InspectionTab)
        assert tab is not None
        tabs = next(t for t in page.detail.findChildren(QTabWidget) if t.indexOf(tab) >= 0)
        tabs.setCurrentWidget(tab)
        self.pause(300)
        self.click(self.button(tab, "InspectionTab", "Record inspection…"))
        dialog = self.dialog(FieldDialog, "the inspection dialog")
        dialog.set_value("year", year)
        dialog.set_value("supervisor_submitted_on", dt.date(year + 1, 3, 10))
        dialog.set_value("submitted_on", dt.date(year + 1, 3, 25))
        dialog.set_value("result", InspectionResult.PASS)
        dialog.set_value("concluded_on", dt.date(year + 1, 6, 18))
        self.type(dialog.inputs["remarks"], "材料齐全，按时报送。")
        self.shot("17-inspection")
        self.click(dialog.buttons.button(dialog.buttons.StandardButton.Ok))
        self.gone(dialog)
        self.shot("18-inspection-saved")

    def print_reports(self) -> None:
        from app.domain.projects.lifecycle import ProjectStatus
        from app.ui.common.pdf_preview import PdfPreviewDialog
        from app.ui.orgs.dialogs import FieldDialog
        from app.ui.orgs.page import OrgPage
        from app.ui.projects.page import ProjectPage

        page = self.open_area("MainWindow", "Social organizations", OrgPage)
        tabs = page.detail.tabs
        tabs.setCurrentIndex(0)
        self.pause(300)
        self.click(page.detail.report_button)
        ask = self.dialog(FieldDialog, "the report year")
        self.shot("19-annual-report-year")
        self.click(ask.buttons.button(ask.buttons.StandardButton.Ok))
        preview = self.dialog(PdfPreviewDialog, "the annual report")
        self.shot("20-annual-report")
        preview.close()
        self.gone(preview)

        projects = self.open_area("MainWindow", "Purchased service projects", ProjectPage)
        combo = projects.status_combo  # a project already evaluated has a full report
        combo.setCurrentIndex(combo.findText(ProjectStatus.EVALUATED.label))
        self.wait_until(lambda: projects.model.rowCount() > 0, "projects")
        self.select_rows(projects.table, range(0, 1))
        self.pause(300)
        self.trigger(projects.report_action)
        preview = self.dialog(PdfPreviewDialog, "the project report")
        self.shot("21-project-report")
        preview.close()
        self.gone(preview)


def check_images(made: list[str]) -> list[str]:
    """Pictures the guide names that this run did not make (should be none)."""
    return [image for image in guide_images(GUIDE.read_text("utf-8")) if image not in made]


def main() -> int:
    os.environ.setdefault("YILIAN_USER", "王老师")
    sys.path.insert(0, str(ROOT))
    only = set(sys.argv[1:])
    with tempfile.TemporaryDirectory(prefix="yilian-guide-") as temp:
        driver = Driver(Path(temp))
        for task in TASKS:
            if only and task.run not in only:
                continue
            print(f"{task.title} …", flush=True)
            getattr(driver, task.run)()
        made = driver.made
        from app.services import register

        driver.window.close()
        driver.pause(200)
        register.close()
    missing = [] if only else check_images(made)
    total = sum((IMAGES / Path(m).name).stat().st_size for m in made)
    print(f"{len(made)} pictures, {total / 1e6:.2f} MB in {IMAGES.relative_to(ROOT)}")
    if missing:
        print("The guide shows pictures this run did not make: " + ", ".join(missing),
              file=sys.stderr)
        return 1
    unused = sorted({m for m in made} - set(guide_images(GUIDE.read_text("utf-8"))))
    if unused and not only:
        print("made but not shown in the guide: " + ", ".join(unused), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
