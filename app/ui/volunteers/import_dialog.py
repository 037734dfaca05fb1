"""Import volunteers from an Excel file: read and check in the background, show what would
happen (every refused row with its reason, the first valid rows), then import on request.

Nothing is written until the user presses one of the import buttons; the import itself is
one transaction in the background, so Cancel (or a failure) leaves the register as it was.
Errors the user can fix (unreadable file, rows with problems, someone registered a person
meanwhile) are shown inside the dialog, in Chinese, without a modal box.
"""

from __future__ import annotations

from enum import IntEnum
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import DuplicateError
from app.domain.idcard import mask_id_number
from app.domain.phone import mask_phone
from app.domain.volunteer import SEX_LABELS
from app.services.volunteers import exporting as volunteer_export
from app.services.volunteers import importing as volunteer_import
from app.services.volunteers.importing import (
    ImportFileError,
    ImportPreview,
    ImportResult,
    ImportRow,
    RowProblem,
)
from app.ui import desk_settings
from app.ui.common.errors import show_error
from app.ui.common.worker import Task, TaskState, run_task
from app.ui.resources import child, load_form

PREVIEW_ROWS = 200
_Index = QModelIndex | QPersistentModelIndex


class ProblemColumn(IntEnum):
    ROW = 0
    COLUMN = 1
    REASON = 2


class ValidColumn(IntEnum):
    ROW = 0
    NAME = 1
    SEX = 2
    ID_NUMBER = 3
    PHONE = 4
    STREET = 5
    COMMUNITY = 6


class ProblemModel(QAbstractTableModel):
    """Every refused row: spreadsheet row number, the column as headed in the file, why."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[RowProblem] = []
        self._headers = {ProblemColumn.ROW: self.tr("Row"),
                         ProblemColumn.COLUMN: self.tr("Column"),
                         ProblemColumn.REASON: self.tr("Reason")}

    def set_problems(self, problems: list[RowProblem]) -> None:
        self.beginResetModel()
        self._rows = list(problems)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(ProblemColumn)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        problem = self._rows[index.row()]
        column = ProblemColumn(index.column())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column is ProblemColumn.ROW:
                return str(problem.row)
            return problem.column if column is ProblemColumn.COLUMN else problem.reason
        if role == Qt.ItemDataRole.TextAlignmentRole and column is ProblemColumn.ROW:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(ProblemColumn)):
            return self._headers[ProblemColumn(section)]
        return None


class ValidRowModel(QAbstractTableModel):
    """The first valid rows as they would be registered (ID and phone masked, as in lists)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[ImportRow] = []
        self._headers = {
            ValidColumn.ROW: self.tr("Row"), ValidColumn.NAME: self.tr("Name"),
            ValidColumn.SEX: self.tr("Sex"), ValidColumn.ID_NUMBER: self.tr("ID number"),
            ValidColumn.PHONE: self.tr("Phone"), ValidColumn.STREET: self.tr("Street"),
            ValidColumn.COMMUNITY: self.tr("Community")}

    def set_rows(self, rows: list[ImportRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(ValidColumn)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role != Qt.ItemDataRole.DisplayRole or not index.isValid()
                or not 0 <= index.row() < len(self._rows)):
            return None
        item = self._rows[index.row()]
        draft = item.draft
        values = {
            ValidColumn.ROW: str(item.row), ValidColumn.NAME: draft.name,
            ValidColumn.SEX: SEX_LABELS.get(draft.sex, draft.sex),
            ValidColumn.ID_NUMBER: mask_id_number(draft.id_number),
            ValidColumn.PHONE: mask_phone(draft.phone),
            ValidColumn.STREET: draft.street, ValidColumn.COMMUNITY: draft.community}
        return values[ValidColumn(index.column())]

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(ValidColumn)):
            return self._headers[ValidColumn(section)]
        return None


class ImportDialog(QDialog):
    """Choose a spreadsheet, see what it holds, import it.

    Args:
        parent: the window it belongs to.
        path: a file to read at once (otherwise the user chooses one).

    Signals:
        imported(int): how many volunteers were registered.
        previewReady(): a file was read and checked; `preview` holds the result.
    """

    imported = Signal(int)
    previewReady = Signal()

    def __init__(self, parent: QWidget | None = None, path: Path | None = None) -> None:
        super().__init__(parent)
        self.preview: ImportPreview | None = None
        self.import_result: ImportResult | None = None
        self.task: Task | None = None
        self.form = load_form("import_dialog", self)
        QVBoxLayout(self).addWidget(self.form)
        self.file_label = child(self.form, QLabel, "file_label")
        self.summary = child(self.form, QLabel, "summary")
        self.error_label = child(self.form, QLabel, "error_label")
        self.error_label.setStyleSheet("color: #d32f2f")
        self.problems_title = child(self.form, QLabel, "problems_title")
        self.valid_title = child(self.form, QLabel, "valid_title")
        self.problems_view = child(self.form, QTableView, "problems_view")
        self.valid_view = child(self.form, QTableView, "valid_view")
        self.choose_button = child(self.form, QPushButton, "choose_button")
        self.template_button = child(self.form, QPushButton, "template_button")
        self.export_problems_button = child(self.form, QPushButton, "export_problems_button")
        self.import_all_button = child(self.form, QPushButton, "import_all_button")
        self.skip_import_button = child(self.form, QPushButton, "skip_import_button")
        self.cancel_button = child(self.form, QPushButton, "cancel_button")

        self.problem_model = ProblemModel(self)
        self.valid_model = ValidRowModel(self)
        self.problems_view.setModel(self.problem_model)
        self.valid_view.setModel(self.valid_model)
        for view in (self.problems_view, self.valid_view):
            view.verticalHeader().hide()
            view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.problems_view.horizontalHeader().setStretchLastSection(True)
        self.valid_view.horizontalHeader().setStretchLastSection(True)

        self.choose_button.clicked.connect(self.choose_file)
        self.template_button.clicked.connect(self.save_template)
        self.export_problems_button.clicked.connect(self.export_problems)
        self.import_all_button.clicked.connect(self.import_all)
        self.skip_import_button.clicked.connect(self.skip_and_import)
        self.cancel_button.clicked.connect(self.reject)
        self.import_all_button.setDefault(True)
        self._retranslate()
        self._update_buttons()
        self.resize(900, 640)
        if path is not None:
            self.load(Path(path))

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("Import volunteers"))
        self.file_label.setText(self.tr("Choose an Excel file (.xlsx) with one volunteer per "
                                        "row. Nothing is saved until you press Import."))
        self.choose_button.setText(self.tr("Choose file…"))
        self.template_button.setText(self.tr("Save template…"))
        self.problems_title.setText(self.tr("Rows with problems (not imported)"))
        self.valid_title.setText(self.tr("Rows that can be imported (first %1)").replace(
            "%1", str(PREVIEW_ROWS)))
        self.export_problems_button.setText(self.tr("Export problem list…"))
        self.import_all_button.setText(self.tr("Import all"))
        self.skip_import_button.setText(self.tr("Skip rows with problems and import"))
        self.cancel_button.setText(self.tr("Cancel"))

    # -- reading ----------------------------------------------------------------------------

    def choose_file(self) -> None:
        folder = desk_settings.LAST_FOLDER.get() or str(Path.home())
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("Choose a volunteer spreadsheet"), folder,
            self.tr("Excel files (*.xlsx *.xlsm *.xls *.ods)"))
        if name:
            desk_settings.LAST_FOLDER.set(str(Path(name).parent))
            self.load(Path(name))

    def load(self, path: Path) -> Task:
        """Read and check `path` in the background; the preview appears when done."""
        self.preview = None
        self.import_result = None
        self.problem_model.set_problems([])
        self.valid_model.set_rows([])
        self.file_label.setText(str(path))
        self.summary.setText(self.tr("Reading %1…").replace("%1", path.name))
        self._set_error("")

        def job(state: TaskState) -> ImportPreview:
            return volunteer_import.read(path, state)

        self.task = run_task(job, self, self.tr("Checking the file"),
                             on_success=self._show_preview, on_failure=self._failed,
                             on_cancel=self._read_cancelled)
        self._update_buttons()
        return self.task

    def _show_preview(self, preview: object) -> None:
        assert isinstance(preview, ImportPreview)
        self.task = None
        self.preview = preview
        self.problem_model.set_problems(preview.problems)
        self.valid_model.set_rows(preview.valid[:PREVIEW_ROWS])
        self.summary.setText(self.tr(
            "%1 people in sheet “%2” (header in row %3): %4 can be imported, %5 rows have "
            "problems.").replace("%1", str(preview.total_rows)).replace(
            "%2", preview.sheet).replace("%3", str(preview.header_row)).replace(
            "%4", str(len(preview.valid))).replace("%5", str(len(preview.bad_rows))))
        if preview.ignored_columns:
            self._set_error(self.tr("Columns not imported: %1").replace(
                "%1", "、".join(preview.ignored_columns)), warning=False)
        self._update_buttons()
        self.previewReady.emit()

    def _read_cancelled(self) -> None:
        self.task = None
        self.summary.setText(self.tr("Reading was cancelled."))
        self._update_buttons()

    # -- importing --------------------------------------------------------------------------

    def import_all(self) -> Task | None:
        return self._commit(skip_invalid=False)

    def skip_and_import(self) -> Task | None:
        return self._commit(skip_invalid=True)

    def _commit(self, skip_invalid: bool) -> Task | None:
        preview = self.preview
        if preview is None or self.task is not None:
            return None
        self._set_error("")

        def job(state: TaskState) -> ImportResult:
            return volunteer_import.commit(preview, skip_invalid=skip_invalid, state=state)

        self.task = run_task(job, self, self.tr("Importing volunteers"),
                             on_success=self._committed, on_failure=self._failed,
                             on_cancel=self._commit_cancelled)
        self._update_buttons()
        return self.task

    def _committed(self, result: object) -> None:
        assert isinstance(result, ImportResult)
        self.task = None
        self.import_result = result
        self.summary.setText(self.tr("Imported %1 volunteers (%2 – %3); %4 rows skipped.")
                             .replace("%1", str(result.imported))
                             .replace("%2", result.first_number)
                             .replace("%3", result.last_number)
                             .replace("%4", str(result.skipped)))
        self.cancel_button.setText(self.tr("Close"))
        self._update_buttons()
        self.imported.emit(result.imported)

    def _commit_cancelled(self) -> None:
        self.task = None
        self._set_error(self.tr("The import was cancelled; nothing was saved."))
        self._update_buttons()

    def _failed(self, exc: object) -> None:
        self.task = None
        if isinstance(exc, ImportFileError | DuplicateError) or type(exc) is ValueError:
            self._set_error(str(exc))   # the service's own Chinese message
            if self.preview is None:
                self.summary.setText(self.tr("The file could not be imported."))
        elif isinstance(exc, BaseException):
            self._set_error(self.tr("Nothing was saved."))
            show_error(self, exc)
        self._update_buttons()

    # -- files ------------------------------------------------------------------------------

    def export_problems(self) -> None:
        if self.preview is None or not self.preview.problems:
            return
        folder = desk_settings.LAST_FOLDER.get() or str(Path.home())
        suggested = Path(folder) / f"{self.preview.path.stem}-{self.tr('problems')}.xlsx"
        name, _ = QFileDialog.getSaveFileName(self, self.tr("Export problem list"),
                                              str(suggested),
                                              self.tr("Excel workbook (*.xlsx)"))
        if name:
            self.write_problems(Path(name))

    def write_problems(self, path: Path) -> None:
        assert self.preview is not None
        try:
            volunteer_export.write_problems(self.preview, path)
        except OSError as exc:
            show_error(self, exc)

    def save_template(self) -> None:
        folder = desk_settings.LAST_FOLDER.get() or str(Path.home())
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save import template"),
            str(Path(folder) / self.tr("volunteer import template.xlsx")),
            self.tr("Excel workbook (*.xlsx)"))
        if name:
            try:
                volunteer_import.write_template(Path(name))
            except OSError as exc:
                show_error(self, exc)

    # -- state ------------------------------------------------------------------------------

    def _set_error(self, text: str, warning: bool = True) -> None:
        self.error_label.setStyleSheet("color: #d32f2f" if warning else "color: #555")
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))

    def _update_buttons(self) -> None:
        preview, busy, done = self.preview, self.task is not None, self.import_result is not None
        ready = preview is not None and not busy and not done
        valid = len(preview.valid) if preview is not None else 0
        bad = len(preview.bad_rows) if preview is not None else 0
        self.import_all_button.setEnabled(ready and valid > 0 and bad == 0)
        self.skip_import_button.setEnabled(ready and valid > 0 and bad > 0)
        self.export_problems_button.setEnabled(
            preview is not None and not busy and bool(preview.problems))
        self.choose_button.setEnabled(not busy)
        self.problems_title.setVisible(bad > 0)
        self.problems_view.setVisible(bad > 0)
