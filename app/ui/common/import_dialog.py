"""Import a register from an Excel file: read and check in the background, show what would
happen (every refused row with its reason, the first valid rows), then import on request.

One dialog for every importer (volunteers, organizations): an `Importer` says what to call
and which columns of a valid row to show. Nothing is written until the user presses one of
the import buttons; the import itself is one transaction in the background, so Cancel (or a
failure) leaves the register as it was. Errors the user can fix (unreadable file, rows with
problems, someone registered the same record meanwhile) are shown inside the dialog, in
Chinese, without a modal box.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
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
    QCheckBox,
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
from app.services.common.import_preview import (
    ImportPreview,
    RowProblem,
    RowUpdate,
    write_problem_rows,
)
from app.services.common.sheet_reading import ImportFileError
from app.ui import desk_settings
from app.ui.common.errors import show_error
from app.ui.common.service_text import shown
from app.ui.common.worker import Task, TaskState, run_task
from app.ui.resources import child, load_form

PREVIEW_ROWS = 200
_UPDATE_NOTE_COLUMN = 3  # row, record, changes, note
_Index = QModelIndex | QPersistentModelIndex

#: A column of the valid-rows table: its (translated) header and the text of one row.
ShownColumn = tuple[str, Callable[[Any], str]]


@dataclass(frozen=True)
class UpdateTexts:
    """How the update choice speaks of one importer's records; texts already translated.

    Args:
        choice: the check box ("Update organizations already registered (…)").
        title: the line above the table of updates.
        target: the header of the updates table's column naming the record.
        counts: added to the summary in update mode; %1 to update, %2 unchanged.
    """

    choice: str
    title: str
    target: str
    counts: str


@dataclass(frozen=True)
class Importer:
    """What one kind of import needs from the dialog; texts are already translated.

    Args:
        title: the window title.
        intro: the line shown before a file is chosen.
        choose_title: the file chooser's title.
        template_name: the suggested file name of the template.
        working_title: the progress dialog's title while importing.
        read: (path, state) -> preview; writes nothing.
        commit: (preview, skip_invalid, state) -> result with `imported`.
        write_template: saves the empty template.
        describe_result: the summary line after a successful import.
        read_updating: like `read`, but a row matching a registered record becomes an
            update of it; None when the importer cannot update.
        update_texts: how the update choice names the records; None for people (the
            volunteer wording).
    """

    title: str
    intro: str
    choose_title: str
    template_name: str
    working_title: str
    read: Callable[[Path, TaskState], ImportPreview]
    commit: Callable[[ImportPreview, bool, TaskState], Any]
    write_template: Callable[[Path], None]
    describe_result: Callable[[Any], str]
    read_updating: Callable[[Path, TaskState], ImportPreview] | None = None
    update_texts: UpdateTexts | None = None


class ProblemColumn(IntEnum):
    ROW = 0
    COLUMN = 1
    REASON = 2


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
            return problem.column if column is ProblemColumn.COLUMN else shown(problem.reason)
        if role == Qt.ItemDataRole.TextAlignmentRole and column is ProblemColumn.ROW:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(ProblemColumn)):
            return self._headers[ProblemColumn(section)]
        return None


class RowModel(QAbstractTableModel):
    """The first valid rows as they would be registered: the spreadsheet row number, then
    the importer's columns.

    Args:
        columns: (header, text of a row) for each column after the row number.
    """

    def __init__(self, columns: Sequence[ShownColumn], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []
        self._columns: list[ShownColumn] = [(self.tr("Row"), lambda r: str(r.row)),
                                            *columns]

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)
                or not index.isValid() or not 0 <= index.row() < len(self._rows)
                or not 0 <= index.column() < len(self._columns)):
            return None
        return self._columns[index.column()][1](self._rows[index.row()])

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(self._columns)):
            return self._columns[section][0]
        return None


class ImportDialog(QDialog):
    """Choose a spreadsheet, see what it holds, import it.

    Subclasses give `importer()` and `row_model()`; the dialog does the rest.

    Args:
        parent: the window it belongs to.
        path: a file to read at once (otherwise the user chooses one).

    Signals:
        imported(int): how many records were registered.
        previewReady(): a file was read and checked; `preview` holds the result.
    """

    imported = Signal(int)
    previewReady = Signal()

    def __init__(self, parent: QWidget | None = None, path: Path | None = None) -> None:
        super().__init__(parent)
        self.spec = self.importer()
        self.preview: ImportPreview | None = None
        self.import_result: Any = None
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
        self._add_update_widgets()

        self.problem_model = ProblemModel(self)
        self.valid_model = self.row_model()
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

    def _add_update_widgets(self) -> None:
        """The 'update registered people' choice and the table of updates, built here so
        importers that cannot update show neither."""
        layout = self.form.layout()
        assert isinstance(layout, QVBoxLayout)
        self.update_check = QCheckBox(self.form)
        self.update_check.setObjectName("update_check")
        self.update_check.setVisible(self.spec.read_updating is not None)
        self.update_check.toggled.connect(self._update_mode_changed)
        layout.insertWidget(layout.indexOf(self.summary), self.update_check)
        self.updates_title = QLabel(self.form)
        self.updates_view = QTableView(self.form)
        self.updates_view.setObjectName("updates_view")
        self._update_notes: dict[int, str] = {}   # row -> the preview's warnings on it
        self.update_model = RowModel([
            (self._update_texts().target, lambda u: u.label),
            (self.tr("Changes (old → new)"), lambda u: u.summary),
            (self.tr("Note"), lambda u: self._update_notes.get(u.row, ""))], self)
        self.updates_view.setModel(self.update_model)
        # The changes and the note wrap inside the dialog's width (a row grows taller)
        # rather than running off to the right.
        rows = self.updates_view.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.updates_view.setWordWrap(True)
        header = self.updates_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(_UPDATE_NOTE_COLUMN - 1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(_UPDATE_NOTE_COLUMN, QHeaderView.ResizeMode.Stretch)
        at = layout.indexOf(self.valid_title)
        layout.insertWidget(at, self.updates_title)
        layout.insertWidget(at + 1, self.updates_view, 1)
        self.updates_title.hide()
        self.updates_view.hide()

    def _update_texts(self) -> UpdateTexts:
        if self.spec.update_texts is not None:
            return self.spec.update_texts
        title = self.tr(
            "Rows that update a registered person (rows with nothing new are only counted)")
        return UpdateTexts(
            choice=self.tr("Update people already registered (matched by ID number)"),
            title=title, target=self.tr("Person"),
            counts=self.tr("Registered people: %1 to update, %2 unchanged."))

    def _update_mode_changed(self) -> None:
        """Read the file again: what is a duplicate and what is an update has changed."""
        if self.preview is not None and self.task is None and self.import_result is None:
            self.load(self.preview.path)

    # -- what subclasses give ---------------------------------------------------------------

    def importer(self) -> Importer:
        raise NotImplementedError

    def row_model(self) -> RowModel:
        raise NotImplementedError

    def _retranslate(self) -> None:
        self.setWindowTitle(self.spec.title)
        self.file_label.setText(self.spec.intro)
        self.choose_button.setText(self.tr("Choose file…"))
        self.template_button.setText(self.tr("Save template…"))
        self.problems_title.setText(self.tr("Rows with problems (not imported)"))
        self.valid_title.setText(self.tr("Rows that can be imported (first %1)").replace(
            "%1", str(PREVIEW_ROWS)))
        self.export_problems_button.setText(self.tr("Export problem rows…"))
        self.export_problems_button.setToolTip(self.tr(
            "Save the rows with problems as they are in the file, with a Problem column: "
            "correct them there and import that file."))
        texts = self._update_texts()
        self.update_check.setText(texts.choice)
        self.updates_title.setText(texts.title)
        self.import_all_button.setText(self.tr("Import all"))
        self.skip_import_button.setText(self.tr("Skip rows with problems and import"))
        self.cancel_button.setText(self.tr("Cancel"))

    # -- reading ----------------------------------------------------------------------------

    def choose_file(self) -> None:
        folder = desk_settings.LAST_FOLDER.get() or str(Path.home())
        name, _ = QFileDialog.getOpenFileName(
            self, self.spec.choose_title, folder,
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
        self.update_model.set_rows([])
        self.file_label.setText(str(path))
        self.summary.setText(self.tr("Reading %1…").replace("%1", path.name))
        self._set_error("")
        read = self.spec.read
        if self.update_check.isChecked() and self.spec.read_updating is not None:
            read = self.spec.read_updating

        def job(state: TaskState) -> ImportPreview:
            return read(path, state)

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
        text = self.tr(
            "%1 rows in sheet “%2” (header in row %3): %4 can be imported, %5 rows have "
            "problems.").replace("%1", str(preview.total_rows)).replace(
            "%2", preview.sheet).replace("%3", str(preview.header_row)).replace(
            "%4", str(len(preview.valid))).replace("%5", str(len(preview.bad_rows)))
        if preview.warnings:
            text += " " + self.tr("Rows with a note worth a look: %1 (see the Note column).") \
                .replace("%1", str(len({w.row for w in preview.warnings})))
        if self.update_check.isChecked():
            text += " " + self._update_texts().counts.replace(
                "%1", str(len(preview.updates))).replace("%2", str(preview.unchanged))
        updates: list[RowUpdate] = list(preview.updates[:PREVIEW_ROWS])
        shown_rows = {u.row for u in updates}
        notes: dict[int, list[str]] = {}
        for warning in preview.warnings:
            if warning.row in shown_rows:
                notes.setdefault(warning.row, []).append(shown(warning.reason))
        self._update_notes = {row: "；".join(texts) for row, texts in notes.items()}
        self.update_model.set_rows(updates)
        self.updates_view.setColumnHidden(_UPDATE_NOTE_COLUMN, not self._update_notes)
        self.summary.setText(text)
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
        commit = self.spec.commit

        def job(state: TaskState) -> Any:
            return commit(preview, skip_invalid, state)

        self.task = run_task(job, self, self.spec.working_title,
                             on_success=self._committed, on_failure=self._failed,
                             on_cancel=self._commit_cancelled)
        self._update_buttons()
        return self.task

    def _committed(self, result: object) -> None:
        self.task = None
        self.import_result = result
        self.summary.setText(self.spec.describe_result(result))
        self.cancel_button.setText(self.tr("Close"))
        self._update_buttons()
        self.imported.emit(int(getattr(result, "imported", 0)))

    def _commit_cancelled(self) -> None:
        self.task = None
        self._set_error(self.tr("The import was cancelled; nothing was saved."))
        self._update_buttons()

    def _failed(self, exc: object) -> None:
        self.task = None
        if isinstance(exc, ImportFileError | DuplicateError) or type(exc) is ValueError:
            self._set_error(shown(str(exc)))   # the service's own (Chinese) message
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
        name, _ = QFileDialog.getSaveFileName(self, self.tr("Export problem rows"),
                                              str(suggested),
                                              self.tr("Excel workbook (*.xlsx)"))
        if name:
            self.write_problems(Path(name))

    def write_problems(self, path: Path) -> None:
        """The bad rows with their reasons, ready to correct and import again."""
        assert self.preview is not None
        try:
            write_problem_rows(self.preview, path)
        except OSError as exc:
            show_error(self, exc)

    def save_template(self) -> None:
        folder = desk_settings.LAST_FOLDER.get() or str(Path.home())
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save import template"),
            str(Path(folder) / self.spec.template_name), self.tr("Excel workbook (*.xlsx)"))
        if name:
            try:
                self.spec.write_template(Path(name))
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
        valid = len(preview.valid) + len(preview.updates) if preview is not None else 0
        bad = len(preview.bad_rows) if preview is not None else 0
        updates = bool(preview.updates) if preview is not None else False
        self.updates_title.setVisible(updates)
        self.updates_view.setVisible(updates)
        self.update_check.setEnabled(not busy and not done)
        self.import_all_button.setEnabled(ready and valid > 0 and bad == 0)
        self.skip_import_button.setEnabled(ready and valid > 0 and bad > 0)
        self.export_problems_button.setEnabled(
            preview is not None and not busy and bool(preview.problems))
        self.choose_button.setEnabled(not busy)
        self.problems_title.setVisible(bad > 0)
        self.problems_view.setVisible(bad > 0)
