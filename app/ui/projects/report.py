"""The project report (政府购买服务项目结项/绩效评价报告) from the GUI.

`projects.report.render` gathers the register's data and draws the PDF; here it runs on a
worker (its own connection), then `PdfPreviewDialog` shows the pages and prints them through
the system's printers or saves the PDF — as the organizations' annual report does.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QWidget

from app.services.projects import registration
from app.services.projects import report as report_service
from app.ui.common.errors import show_error
from app.ui.common.pdf_preview import PdfPreviewDialog
from app.ui.common.worker import Task, TaskState, run_task

_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


def file_name(number: str, name: str) -> str:
    """XM2026-0001-社区助老服务项目-项目报告.pdf, without characters a file system refuses."""
    return _UNSAFE.sub("_", f"{number}-{name}")[:80] + "-项目报告.pdf"


class ProjectReport(QObject):
    """Renders and previews one project's report over `owner`.

    Signals:
        message(str): a note for the status bar.
    """

    message = Signal(str)

    def __init__(self, owner: QWidget) -> None:
        super().__init__(owner)
        self.owner = owner
        self.task: Task | None = None
        self.preview: PdfPreviewDialog | None = None

    def render(self, project_id: int) -> Task | None:
        """Render in the background, then preview."""
        try:
            record = registration.get(project_id)
        except Exception as exc:
            show_error(self.owner, exc)
            return None

        def job(_state: TaskState) -> bytes:
            return report_service.render(project_id)

        title = self.tr("Project report — %1 %2").replace("%1", record.number).replace(
            "%2", record.name)
        name = file_name(record.number, record.name)
        def done(pdf: object) -> None:
            self.show_preview(pdf, title, name)

        self.task = run_task(job, self.owner, self.tr("Preparing the project report"),
                             on_success=done, on_failure=self._failed)
        return self.task

    def _failed(self, exc: BaseException) -> None:
        show_error(self.owner, exc)

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
