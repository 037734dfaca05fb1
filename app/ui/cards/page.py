"""The 证件与签到 area: issue, reissue and revoke volunteer ID cards, print them in batches,
and start the check-in kiosk for an activity.

Batch printing renders the PDF off the GUI thread (run_task, with progress and Cancel) and
opens the preview (PdfPreviewDialog: PDFium page images, since this PySide6 build has no
QtPdf), which prints through the system's printers at true CR80 size or saves the PDF. No
card is issued for a preview: volunteers without one are drawn with the serial they would
get (`cards.plan_cards`), and the cards are issued in one transaction only when the user
confirms printing or saving (`cards.issue_batch`, which refuses if another desk issued in
between; the preview is then made again).
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import ConflictError
from app.domain.hours import ActivityStatus
from app.services.cards import issuing as cards
from app.services.cards.issuing import CardBatch, CardRow, WithoutCard
from app.services.common import progress
from app.services.hours import activities
from app.services.volunteers import registration as volunteers
from app.ui.cards.kiosk import KioskWindow
from app.ui.common.errors import message_box, show_error
from app.ui.common.pdf_preview import PdfPreviewDialog, choose_pdf_path
from app.ui.common.row_table import Col, RowsModel, table_view
from app.ui.common.worker import Task, TaskState, run_task
from app.ui.points.shop_dialogs import ReasonDialog
from reports.card import render_cards

MISSING_LIMIT = 200      # rows shown in the "without a valid card" list
ACTIVITY_LIMIT = 200     # open activities offered to the kiosk


@dataclass(frozen=True)
class RenderedCards:
    """A rendered batch; its `batch.to_issue` cards are not issued yet."""
    pdf: bytes
    count: int
    batch: CardBatch
    ids: tuple[int, ...] | None    # what was asked for (None: all without a valid card)
    sheet: bool


def render_job(state: TaskState, ids: Sequence[int] | None, sheet: bool) -> RenderedCards:
    """Render the cards of `ids` (None: every volunteer without a valid card), the missing
    ones with the serial they would get, issuing nothing; runs on a worker thread."""
    state.set_progress(0, 0, "")
    chosen = list(cards.volunteers_without_valid_card() if ids is None else ids)
    progress.check(state)
    batch = cards.plan_cards(chosen)
    progress.check(state)
    return RenderedCards(render_cards(list(batch.cards), sheet=sheet), len(batch.cards), batch,
                         None if ids is None else tuple(chosen), sheet)


class CardsPage(QWidget):
    """证件 (issue, reissue, revoke, batch print) and 签到 (start the kiosk).

    Signals:
        statusMessage(str): a short note for the main window's status bar.
    """

    statusMessage = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.task: Task | None = None
        self.pdf: bytes | None = None
        self.rendered: RenderedCards | None = None
        self.issue_question: QMessageBox | None = None
        self.saved_path: Path | None = None
        self.kiosk: KioskWindow | None = None
        self.preview: PdfPreviewDialog | None = None
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._cards_tab(), self.tr("Cards"))
        self.tabs.addTab(self._kiosk_tab(), self.tr("Check-in"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)

    # -- building ------------------------------------------------------------------------

    def _cards_tab(self) -> QWidget:
        tab = QWidget(self)
        layout = QVBoxLayout(tab)

        one = QGroupBox(self.tr("One volunteer"), tab)
        one_layout = QVBoxLayout(one)
        row = QHBoxLayout()
        self.number = QLineEdit(one)
        self.number.setObjectName("volunteer_number")
        self.number.setPlaceholderText(self.tr("Volunteer number"))
        self.number.setClearButtonEnabled(True)
        self.number.returnPressed.connect(self.show_current)
        self.issue_button = QPushButton(self.tr("Issue"), one)
        self.reissue_button = QPushButton(self.tr("Reissue…"), one)
        self.revoke_button = QPushButton(self.tr("Revoke…"), one)
        self.print_one_button = QPushButton(self.tr("Print card…"), one)
        self.issue_button.clicked.connect(self.issue)
        self.reissue_button.clicked.connect(self.reissue)
        self.revoke_button.clicked.connect(self.revoke)
        self.print_one_button.clicked.connect(self.print_one)
        row.addWidget(self.number, 1)
        for button in (self.issue_button, self.reissue_button, self.revoke_button,
                       self.print_one_button):
            row.addWidget(button)
        self.card_status = QLabel(one)
        self.card_status.setObjectName("card_status")
        self.card_status.setWordWrap(True)
        one_layout.addLayout(row)
        one_layout.addWidget(self.card_status)
        layout.addWidget(one)

        batch = QGroupBox(self.tr("Volunteers without a valid card"), tab)
        batch_layout = QVBoxLayout(batch)
        self.missing_search = QLineEdit(batch)
        self.missing_search.setObjectName("missing_search")
        self.missing_search.setClearButtonEnabled(True)
        self.missing_search.setPlaceholderText(self.tr(
            "Find: volunteer no., name, pinyin initials, or the last digits of ID or mobile"))
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(250)
        self._search_timer.timeout.connect(self.refresh)
        self.missing_search.textEdited.connect(lambda _t: self._search_timer.start())
        self.missing = RowsModel[WithoutCard]([
            Col(self.tr("Number"), lambda r: r.number),
            Col(self.tr("Name"), lambda r: r.name),
            Col(self.tr("Community"), lambda r: r.community)], self)
        self.missing_view = table_view(self.missing, batch)
        self.missing_view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.missing_view.doubleClicked.connect(self._pick_missing)
        self.missing_note = QLabel(batch)
        self.missing_note.setObjectName("missing_note")
        buttons = QHBoxLayout()
        self.sheet_box = QCheckBox(self.tr("A4 sheets of ten cards"), batch)
        self.sheet_box.setChecked(True)
        self.refresh_button = QPushButton(self.tr("Refresh"), batch)
        self.print_selected_button = QPushButton(self.tr("Print selected…"), batch)
        self.print_all_button = QPushButton(self.tr("Print all without a card…"), batch)
        self.save_button = QPushButton(self.tr("Save PDF…"), batch)
        self.save_button.setEnabled(False)
        self.preview_button = QPushButton(self.tr("Preview / print…"), batch)
        self.preview_button.setEnabled(False)
        self.preview_button.clicked.connect(self.show_preview)
        self.refresh_button.clicked.connect(self.refresh)
        self.print_selected_button.clicked.connect(self.print_selected)
        self.print_all_button.clicked.connect(self.print_all)
        self.save_button.clicked.connect(self.save)
        buttons.addWidget(self.sheet_box)
        buttons.addStretch(1)
        for button in (self.refresh_button, self.print_selected_button,
                       self.print_all_button, self.preview_button, self.save_button):
            buttons.addWidget(button)
        self.print_note = QLabel(self.tr(
            "The cards are drawn at true size: when printing the saved PDF from another "
            "program, print at actual size (100 %)."), batch)
        self.print_note.setWordWrap(True)
        self.print_note.setStyleSheet("color: #546e7a")
        batch_layout.addWidget(self.missing_search)
        batch_layout.addWidget(self.missing_view, 1)
        batch_layout.addWidget(self.missing_note)
        batch_layout.addLayout(buttons)
        batch_layout.addWidget(self.print_note)
        layout.addWidget(batch, 1)
        return tab

    def _kiosk_tab(self) -> QWidget:
        tab = QWidget(self)
        layout = QVBoxLayout(tab)
        form = QFormLayout()
        self.activity_combo = QComboBox(tab)
        self.activity_combo.setObjectName("activity_combo")
        self.activity_combo.setMinimumContentsLength(30)
        self.station = QLineEdit(socket.gethostname(), tab)
        self.station.setObjectName("station")
        activity_row = QHBoxLayout()
        activity_row.addWidget(self.activity_combo, 1)
        reload_button = QPushButton(self.tr("Refresh"), tab)
        reload_button.clicked.connect(self.reload_activities)
        activity_row.addWidget(reload_button)
        form.addRow(self.tr("Activity"), activity_row)
        form.addRow(self.tr("Station"), self.station)
        self.start_button = QPushButton(self.tr("Start check-in"), tab)
        self.start_button.clicked.connect(self.start_kiosk)
        note = QLabel(self.tr(
            "The kiosk fills the screen; volunteers scan their cards to check in and, later, "
            "out. Leaving it needs the staff PIN (Settings)."), tab)
        note.setWordWrap(True)
        layout.addLayout(form)
        layout.addWidget(self.start_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(note)
        layout.addStretch(1)
        return tab

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not event.spontaneous():
            self.refresh()
            self.reload_activities()

    # -- one volunteer -------------------------------------------------------------------

    def _volunteer_id(self) -> int | None:
        text = self.number.text().strip()
        if not text:
            self.card_status.setText(self.tr("Type a volunteer number first."))
            return None
        try:
            return cards.ids_for_numbers([text])[0]
        except Exception as exc:
            show_error(self, exc)
            return None

    def _describe(self, volunteer_id: int, card: CardRow | None) -> None:
        person = volunteers.get(volunteer_id)
        if card is None:
            text = self.tr("%1 %2 has no valid card.")
        else:
            text = self.tr("%1 %2 holds card no. %3, issued %4.").replace(
                "%3", str(card.serial)).replace("%4", f"{card.issued_at:%Y-%m-%d}")
        self.card_status.setText(text.replace("%1", person.number).replace("%2", person.name))

    def show_current(self) -> None:
        vid = self._volunteer_id()
        if vid is not None:
            self._describe(vid, cards.current(vid))

    def issue(self) -> CardRow | None:
        vid = self._volunteer_id()
        if vid is None:
            return None
        try:
            row = cards.issue(vid)
        except Exception as exc:
            show_error(self, exc)
            return None
        self._changed(vid)
        return row

    def _ask_reason(self, title: str, summary: str, action: str) -> ReasonDialog | None:
        vid = self._volunteer_id()
        if vid is None:
            return None
        person = volunteers.get(vid)

        def call(reason: str) -> CardRow:
            if action == "reissue":
                return cards.reissue(vid, reason)
            return cards.revoke(vid, reason)

        dialog = ReasonDialog(self, title, summary.replace("%1", f"{person.number} "
                                                                 f"{person.name}"), call)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.reason.setPlaceholderText(self.tr("e.g. lost, damaged"))
        dialog.succeeded.connect(lambda _row: self._changed(vid))
        dialog.open()
        return dialog

    def reissue(self) -> ReasonDialog | None:
        return self._ask_reason(
            self.tr("Reissue card"),
            self.tr("%1 gets a new card; the current card stops working at once."), "reissue")

    def revoke(self) -> ReasonDialog | None:
        return self._ask_reason(
            self.tr("Revoke card"),
            self.tr("%1's card stops working; no new card is issued."), "revoke")

    def _changed(self, volunteer_id: int) -> None:
        self._describe(volunteer_id, cards.current(volunteer_id))
        self.statusMessage.emit(self.card_status.text())
        self.refresh()

    def _pick_missing(self) -> None:
        row = self.missing.row(self.missing_view.currentIndex().row())
        if row is not None:
            self.number.setText(row.number)
            self._describe(row.id, None)

    def print_one(self) -> Task | None:
        vid = self._volunteer_id()
        return None if vid is None else self.print_cards([vid])

    # -- batch ---------------------------------------------------------------------------

    def refresh(self) -> None:
        text = self.missing_search.text().strip()
        rows = cards.without_valid_card(text, MISSING_LIMIT + 1)
        self.missing.set_rows(rows[:MISSING_LIMIT])
        if len(rows) > MISSING_LIMIT:
            note = self.tr("Showing the first %1; search to find someone, or “Print all” "
                           "for every one.").replace("%1", str(MISSING_LIMIT))
        elif text and not rows:
            note = self.tr("Nobody without a valid card matches “%1”.").replace("%1", text)
        else:
            note = self.tr("%1 volunteers without a valid card.").replace("%1", str(len(rows)))
        self.missing_note.setText(note)

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.missing_view.selectionModel().selectedRows()})
        return [r.id for n in rows if (r := self.missing.row(n)) is not None]

    def print_selected(self) -> Task | None:
        ids = self.selected_ids()
        if not ids:
            self.statusMessage.emit(self.tr("Select volunteers in the list first."))
            return None
        return self.print_cards(ids)

    def print_all(self) -> Task:
        return self.print_cards(None)

    def print_cards(self, ids: Sequence[int] | None, sheet: bool | None = None) -> Task:
        """Render the cards in the background and open the preview; the missing cards are
        issued when the preview's output is confirmed (`confirm_output`)."""
        sheet = self.sheet_box.isChecked() if sheet is None else sheet
        chosen = None if ids is None else list(ids)

        def job(state: TaskState) -> RenderedCards:
            return render_job(state, chosen, sheet)

        self._set_busy(True)
        self.task = run_task(job, self, self.tr("Preparing cards"),
                             on_success=self._rendered, on_failure=self._failed,
                             on_cancel=self._cancelled)
        return self.task

    def _set_busy(self, busy: bool) -> None:
        for button in (self.print_selected_button, self.print_all_button,
                       self.print_one_button):
            button.setEnabled(not busy)

    def _rendered(self, result: object) -> None:
        assert isinstance(result, RenderedCards)
        self._set_busy(False)
        self.pdf, self.rendered = result.pdf, result
        self.save_button.setEnabled(result.count > 0)
        self.preview_button.setEnabled(result.count > 0)
        self.refresh()
        self.statusMessage.emit(self.tr("%1 cards ready (%2 to be issued when printed).")
                                .replace("%1", f"{result.count:,}")
                                .replace("%2", f"{len(result.batch.to_issue):,}"))
        if result.count:
            self.show_preview()

    def confirm_output(self, proceed: Callable[[], None]) -> QMessageBox | None:
        """Before the rendered cards are printed or saved: if some are not issued yet, ask
        (with how many), issue them in one transaction, then `proceed`. If another desk
        changed one of the cards since the preview, say so and render the batch again."""
        rendered = self.rendered
        if rendered is None or not rendered.batch.to_issue:
            proceed()
            return None
        count = len(rendered.batch.to_issue)

        def answered(button: QMessageBox.StandardButton) -> None:
            self.issue_question = None
            if button != QMessageBox.StandardButton.Yes:
                self.statusMessage.emit(self.tr("No card was issued."))
                return
            if self._issue(rendered):
                proceed()

        self.issue_question = message_box(
            self.preview or self, QMessageBox.Icon.Question, self.tr("Issue cards"),
            self.tr("Cards will be issued to %1 volunteers and printed. Continue?")
            .replace("%1", f"{count:,}"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, answered)
        return self.issue_question

    def _issue(self, rendered: RenderedCards) -> bool:
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            issued = cards.issue_batch(rendered.batch)
        except ConflictError as exc:
            QGuiApplication.restoreOverrideCursor()
            if self.preview is not None:
                self.preview.close()
            self.refresh()
            show_error(self, exc)
            self.print_cards(rendered.ids, rendered.sheet)   # the cards as they are now
            return False
        except Exception as exc:
            QGuiApplication.restoreOverrideCursor()
            show_error(self.preview or self, exc)
            return False
        QGuiApplication.restoreOverrideCursor()
        self.rendered = replace(rendered, batch=replace(rendered.batch, to_issue=()))
        self.refresh()
        self.statusMessage.emit(self.tr("%1 cards issued.").replace("%1", f"{issued:,}"))
        return True

    def show_preview(self) -> PdfPreviewDialog | None:
        """Open the rendered cards in the preview, which prints or saves them."""
        if self.pdf is None:
            return None
        if self.preview is not None:
            self.preview.close()
        try:
            dialog = PdfPreviewDialog(self.pdf, self.tr("Cards"), self,
                                      self.tr("cards") + ".pdf", confirm=self.confirm_output)
        except Exception as exc:
            show_error(self, exc)
            return None
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(self._preview_gone)
        dialog.saved.connect(self._preview_saved)
        self.preview = dialog
        dialog.open()
        return dialog

    def _preview_saved(self, path: object) -> None:
        assert isinstance(path, Path)
        self.saved_path = path
        self.statusMessage.emit(self.tr("Saved %1").replace("%1", str(path)))

    def _preview_gone(self) -> None:
        self.preview = None

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.refresh()
        show_error(self, exc)

    def _cancelled(self) -> None:
        self._set_busy(False)
        self.refresh()
        self.statusMessage.emit(self.tr("Card printing cancelled."))

    def save(self) -> Path | None:
        """Ask for the file, confirm issuing the missing cards, then write the PDF; the path
        if written at once, None if cancelled or waiting for the answer (`issue_question`)."""
        pdf = self.pdf
        if pdf is None:
            return None
        target = choose_pdf_path(self, self.tr("Save cards"), self.tr("cards") + ".pdf")
        if target is None:
            return None
        written: list[Path] = []

        def write() -> None:
            try:
                target.write_bytes(pdf)
            except OSError as exc:
                show_error(self, exc)
                return
            written.append(target)
            self._preview_saved(target)

        self.confirm_output(write)
        return written[0] if written else None

    # -- kiosk ---------------------------------------------------------------------------

    def reload_activities(self) -> None:
        keep = self.activity_combo.currentData()
        self.activity_combo.clear()
        for act in activities.page(0, ACTIVITY_LIMIT, status=ActivityStatus.OPEN):
            label = f"{act.starts_at:%Y-%m-%d %H:%M} {act.name}"
            self.activity_combo.addItem(label, act.id)
        index = self.activity_combo.findData(keep)
        if index >= 0:
            self.activity_combo.setCurrentIndex(index)
        self.start_button.setEnabled(self.activity_combo.count() > 0)

    def start_kiosk(self) -> KioskWindow | None:
        activity_id = self.activity_combo.currentData()
        if activity_id is None:
            return None
        try:
            kiosk = KioskWindow(int(activity_id), self.station.text().strip())
        except Exception as exc:
            show_error(self, exc)
            return None
        kiosk.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        kiosk.destroyed.connect(self._kiosk_gone)
        self.kiosk = kiosk
        kiosk.showFullScreen()
        return kiosk

    def _kiosk_gone(self) -> None:
        self.kiosk = None
