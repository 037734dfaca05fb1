"""Annual work reports (年度工作报告书) from the GUI: one organization's, previewed, or a
batch written to a folder.

One report: ask the year (last year by default), render it on a worker
(`annual_report.render`), then open `PdfPreviewDialog`, which prints through the system's
printers or saves the PDF. A batch: ask the year and a folder, then `render_batch` on a
worker with progress and Cancel; the reports already written stay when cancelled.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from app.services.orgs import annual_report, registration
from app.ui import desk_settings
from app.ui.common.errors import message_box, show_error
from app.ui.common.pdf_preview import PdfPreviewDialog
from app.ui.common.worker import Task, TaskState, run_task
from app.ui.orgs.dialogs import NUMBER, Field, FieldDialog, open_dialog


def year_field(label: str) -> Field:
    last = dt.date.today().year - 1
    return Field("year", label, NUMBER, last, minimum=annual_report.FIRST_YEAR,
                 maximum=dt.date.today().year)


class AnnualReportMixin(QObject):
    """The report actions of a widget (the detail panel, the page). Not a QWidget itself:
    dialogs and progress open over `owner`.

    Signals:
        message(str): a note for the status bar.
    """

    message = Signal(str)

    def __init__(self, owner: QWidget) -> None:
        super().__init__(owner)
        self.owner = owner
        self.task: Task | None = None
        self.dialog: FieldDialog | None = None
        self.preview: PdfPreviewDialog | None = None
        self.box: QMessageBox | None = None

    # -- one organization --------------------------------------------------------------

    def ask_year(self, org_id: int | None) -> FieldDialog | None:
        if org_id is None:
            return None
        record = registration.get(org_id)

        def check(v: dict[str, Any]) -> int:
            annual_report.check_year(v["year"])
            return int(v["year"])

        self.dialog = open_dialog(
            self.owner, self.tr("Annual report"), record.name,
            [year_field(self.tr("Report year"))], check,
            lambda year: self._render(org_id, year))
        return self.dialog

    def _render(self, org_id: int, year: object) -> None:
        self.render(org_id, int(str(year)))

    def _failed(self, exc: BaseException) -> None:
        show_error(self.owner, exc)

    def _preview(self, pdf: object, title: str, name: str) -> None:
        self.show_preview(pdf, title, name)

    def render(self, org_id: int, year: int) -> Task:
        """Render in the background, then preview."""
        record = registration.get(org_id)

        def job(_state: TaskState) -> bytes:
            return annual_report.render(org_id, year)

        name = annual_report.file_name(record.code, org_id, record.name, year)
        title = self.tr("Annual report %1 — %2").replace("%1", str(year)).replace(
            "%2", record.name)
        self.task = run_task(job, self.owner, self.tr("Preparing the annual report"),
                             on_success=lambda pdf: self._preview(pdf, title, name),
                             on_failure=self._failed)
        return self.task

    def show_preview(self, pdf: object, title: str, name: str) -> PdfPreviewDialog | None:
        assert isinstance(pdf, bytes)
        try:
            dialog = PdfPreviewDialog(pdf, title, self.owner, name)
        except Exception as exc:
            show_error(self.owner, exc)
            return None
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(self._preview_gone)
        dialog.saved.connect(lambda path: self.message.emit(
            self.tr("Saved %1").replace("%1", str(path))))
        self.preview = dialog
        dialog.open()
        return dialog

    def _preview_gone(self) -> None:
        self.preview = None

    # -- a batch -------------------------------------------------------------------------

    def ask_batch(self, org_ids: Sequence[int] | None) -> FieldDialog:
        """Year first, then the folder; `org_ids` None means every organization that owes
        a report for the year."""
        def check(v: dict[str, Any]) -> int:
            annual_report.check_year(v["year"])
            return int(v["year"])

        summary = (self.tr("Every organization that owes a report for the year.")
                   if org_ids is None else
                   self.tr("The %1 organization(s) in the list.").replace(
                       "%1", str(len(org_ids))))
        self.dialog = open_dialog(self.owner, self.tr("Print annual reports"), summary,
                                  [year_field(self.tr("Report year"))], check,
                                  lambda year: self._ask_folder(int(str(year)), org_ids))
        return self.dialog

    def _ask_folder(self, year: int, org_ids: Sequence[int] | None) -> None:
        start = desk_settings.LAST_FOLDER.get() or str(Path.home())
        folder = QFileDialog.getExistingDirectory(
            self.owner, self.tr("Folder for the annual reports"), start)
        if folder:
            desk_settings.LAST_FOLDER.set(folder)
            self.batch(year, Path(folder), org_ids)

    def batch(self, year: int, folder: Path, org_ids: Sequence[int] | None) -> Task:
        ids = None if org_ids is None else list(org_ids)

        def job(state: TaskState) -> annual_report.BatchResult:
            return annual_report.render_batch(year, folder, ids, state)

        self.task = run_task(job, self.owner, self.tr("Writing annual reports"),
                             on_success=self._batch_done,
                             on_failure=self._failed,
                             on_cancel=lambda: self.message.emit(self.tr(
                                 "Annual reports cancelled; the reports already written "
                                 "stay in the folder.")))
        return self.task

    def _batch_done(self, result: object) -> None:
        assert isinstance(result, annual_report.BatchResult)
        text = self.tr("%1 annual report(s) written to %2.").replace(
            "%1", str(result.written)).replace("%2", str(result.folder))
        self.message.emit(text)
        if result.skipped:
            text += "\n\n" + self.tr("Left out:") + "\n" + "\n".join(result.skipped[:30])
            if len(result.skipped) > 30:
                text += "\n…"
        self.box = message_box(self.owner, QMessageBox.Icon.Information,
                               self.tr("Annual reports"), text)
