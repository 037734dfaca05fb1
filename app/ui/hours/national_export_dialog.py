"""导出到全国志愿服务信息系统…: choose a column layout (or edit one), then write the sheet.

Opened from the activity list (one activity) and the hours report (a date range). The
columns come from a saved layout (app.services.hours.national_export); the editor maps each
column of the platform's template to a field once, and saves it by name for next time.
Records exported before are counted up front; exporting them again is asked, with the
choice of leaving them out, because the national system would count their hours twice.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import ValidationError
from app.domain.hours import format_minutes
from app.services.hours import national_export as national
from app.services.hours.national_export import ExportResult, Layout, LayoutColumn, Selection
from app.ui import desk_settings
from app.ui.common.errors import message_box, show_error
from app.ui.common.worker import Task, TaskState, run_task

log = logging.getLogger(__name__)


class LayoutEditor(QDialog):
    """Edit one layout: its name and, per column, the header and what it shows.

    Signals:
        saved(str): the layout's name, after it was stored.
    """

    saved = Signal(str)

    def __init__(self, layout: Layout, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Column layout"))
        self.name = QLineEdit(layout.name, self)
        self.table = QTableWidget(0, 2, self)
        self.table.setObjectName("layout_columns")
        self.table.setHorizontalHeaderLabels([self.tr("Column header"), self.tr("Content")])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        for column in layout.columns:
            self.add_row(column.header, column.field)
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #d32f2f")
        self.error.setWordWrap(True)
        self.error.hide()
        self.add_button = QPushButton(self.tr("Add column"), self)
        self.remove_button = QPushButton(self.tr("Remove column"), self)
        self.up_button = QPushButton(self.tr("Move up"), self)
        self.down_button = QPushButton(self.tr("Move down"), self)
        self.add_button.clicked.connect(lambda: self.add_row("", ""))
        self.remove_button.clicked.connect(self.remove_row)
        self.up_button.clicked.connect(lambda: self.move_row(-1))
        self.down_button.clicked.connect(lambda: self.move_row(1))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("Layout name"), self.name)
        side = QVBoxLayout()
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            side.addWidget(button)
        side.addStretch(1)
        middle = QHBoxLayout()
        middle.addWidget(self.table, 1)
        middle.addLayout(side)
        hint = QLabel(self.tr("Match the columns, in order, to the template your national "
                              "volunteer system account downloads for batch hours entry."),
                      self)
        hint.setWordWrap(True)
        layout_box = QVBoxLayout(self)
        layout_box.addLayout(form)
        layout_box.addWidget(hint)
        layout_box.addLayout(middle, 1)
        layout_box.addWidget(self.error)
        layout_box.addWidget(self.buttons)
        self.resize(560, 460)

    def _field_box(self, field: str) -> QComboBox:
        box = QComboBox(self.table)
        for key, label in national.FIELDS.items():
            box.addItem(label, key)
        box.setCurrentIndex(max(box.findData(field), 0))
        return box

    def add_row(self, header: str, field: str) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, 0, QTableWidgetItem(header))
        self.table.setCellWidget(row, 1, self._field_box(field))
        return row

    def remove_row(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)

    def move_row(self, step: int) -> None:
        columns = self.columns()
        row = self.table.currentRow()
        target = row + step
        if not (0 <= row < len(columns) and 0 <= target < len(columns)):
            return
        columns[row], columns[target] = columns[target], columns[row]
        self.table.setRowCount(0)
        for column in columns:
            self.add_row(column.header, column.field)
        self.table.selectRow(target)

    def columns(self) -> list[LayoutColumn]:
        out = []
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            box = self.table.cellWidget(row, 1)
            field = box.currentData() if isinstance(box, QComboBox) else ""
            out.append(LayoutColumn(item.text() if item is not None else "", str(field or "")))
        return out

    def save(self) -> bool:
        try:
            stored = national.save_layout(Layout(self.name.text(), tuple(self.columns())))
        except ValidationError as exc:
            self.error.setText(exc.message)
            self.error.show()
            return False
        self.saved.emit(stored.name)
        self.accept()
        return True


class NationalExportDialog(QDialog):
    """Export the approved hours of `selection` for the national volunteer system.

    Signals:
        exported(object): the ExportResult, after the file was written.
    """

    exported = Signal(object)

    def __init__(self, selection: Selection, description: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Export to the national volunteer system"))
        self.selection = selection
        self.task: Task | None = None
        self.editor: LayoutEditor | None = None
        self.question: QMessageBox | None = None
        self.result_: ExportResult | None = None
        self.preview = national.preview(selection)
        self.summary = QLabel(self)
        self.summary.setObjectName("export_summary")
        self.summary.setWordWrap(True)
        text = self.tr("%1: %2 approved records, %3.").replace("%1", description) \
            .replace("%2", str(self.preview.records)) \
            .replace("%3", format_minutes(self.preview.minutes))
        if self.preview.exported_before:
            text += " " + self.tr("%1 of them were exported before.").replace(
                "%1", str(self.preview.exported_before))
        self.summary.setText(text)
        self.layout_box = QComboBox(self)
        self.layout_box.setObjectName("layout_choice")
        self.edit_button = QPushButton(self.tr("Edit columns…"), self)
        self.new_button = QPushButton(self.tr("New layout…"), self)
        self.delete_button = QPushButton(self.tr("Delete"), self)
        self.edit_button.clicked.connect(self.edit_layout)
        self.new_button.clicked.connect(self.new_layout)
        self.delete_button.clicked.connect(self.delete_layout)
        self.layout_box.currentIndexChanged.connect(lambda _i: self._show_columns())
        self.columns_label = QLabel(self)
        self.columns_label.setObjectName("layout_headers")
        self.columns_label.setWordWrap(True)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.export_button = self.buttons.addButton(
            self.tr("Export…"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setEnabled(self.preview.records > 0)
        self.buttons.accepted.connect(self.choose_file)
        self.buttons.rejected.connect(self.reject)
        chooser = QHBoxLayout()
        chooser.addWidget(self.layout_box, 1)
        for button in (self.edit_button, self.new_button, self.delete_button):
            chooser.addWidget(button)
        box = QVBoxLayout(self)
        box.addWidget(self.summary)
        box.addWidget(QLabel(self.tr("Column layout"), self))
        box.addLayout(chooser)
        box.addWidget(self.columns_label)
        box.addWidget(self.message)
        box.addStretch(1)
        box.addWidget(self.buttons)
        self.reload_layouts()
        self.resize(600, 260)

    # -- layouts ---------------------------------------------------------------------------

    def reload_layouts(self, select: str | None = None) -> None:
        current = select or self.layout_name()
        self.layout_box.blockSignals(True)
        self.layout_box.clear()
        for item in national.layouts():
            label = item.name + (self.tr(" (preset)") if item.preset else "")
            self.layout_box.addItem(label, item.name)
        self.layout_box.setCurrentIndex(max(self.layout_box.findData(current), 0))
        self.layout_box.blockSignals(False)
        self._show_columns()

    def layout_name(self) -> str:
        return str(self.layout_box.currentData() or national.PRESET_NAME)

    def _show_columns(self) -> None:
        try:
            chosen = national.layout(self.layout_name())
        except Exception as exc:
            show_error(self, exc)
            return
        self.columns_label.setText(self.tr("Columns: %1").replace(
            "%1", " | ".join(chosen.headers)))
        self.delete_button.setText(self.tr("Restore preset") if chosen.preset
                                   else self.tr("Delete"))

    def _open_editor(self, layout: Layout) -> LayoutEditor:
        editor = LayoutEditor(layout, self)
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.saved.connect(self.reload_layouts)
        editor.destroyed.connect(lambda _o=None: setattr(self, "editor", None))
        self.editor = editor
        editor.open()
        return editor

    def edit_layout(self) -> LayoutEditor:
        return self._open_editor(national.layout(self.layout_name()))

    def new_layout(self) -> LayoutEditor:
        base = national.layout(self.layout_name())
        return self._open_editor(Layout(self.tr("My layout"), base.columns))

    def delete_layout(self) -> None:
        national.delete_layout(self.layout_name())
        self.reload_layouts(national.PRESET_NAME)

    # -- exporting -------------------------------------------------------------------------

    def choose_file(self) -> None:
        folder = desk_settings.LAST_FOLDER.get() or str(Path.home())
        path, _f = QFileDialog.getSaveFileName(
            self, self.tr("Export to Excel"), str(Path(folder) / "全国志愿服务信息系统_时长.xlsx"),
            self.tr("Excel workbook (*.xlsx)"))
        if path:
            chosen = Path(path).with_suffix(".xlsx")
            desk_settings.LAST_FOLDER.set(str(chosen.parent))
            self.export_to(chosen)

    def export_to(self, path: Path) -> QMessageBox | Task:
        """Export to `path`; when records went out before, ask first (the returned box)."""
        if not self.preview.exported_before:
            return self.start(path)

        def answered(button: QMessageBox.StandardButton) -> None:
            self.question = None
            if button == QMessageBox.StandardButton.Yes:
                self.start(path, include_exported=True)
            elif button == QMessageBox.StandardButton.No:
                self.start(path, skip_exported=True)

        box = message_box(
            self, QMessageBox.Icon.Question, self.tr("Exported before"),
            self.tr("%1 of these %2 records were exported before; importing them into the "
                    "national system again would count their hours twice.\n\nYes: export "
                    "them again. No: leave them out and export only the others.")
            .replace("%1", str(self.preview.exported_before))
            .replace("%2", str(self.preview.records)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
            | QMessageBox.StandardButton.Cancel, answered)
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("Export again"))
        box.button(QMessageBox.StandardButton.No).setText(self.tr("Only the others"))
        self.question = box
        return box

    def start(self, path: Path, include_exported: bool = False,
              skip_exported: bool = False) -> Task:
        selection, name = self.selection, self.layout_name()

        def job(state: TaskState) -> ExportResult:
            return national.export(path, selection, name, include_exported=include_exported,
                                   skip_exported=skip_exported, state=state)

        self.export_button.setEnabled(False)
        self.task = run_task(job, self, self.tr("Exporting"), on_success=self._done,
                             on_failure=self._failed, on_cancel=self._cancelled)
        return self.task

    def _done(self, result: object) -> None:
        assert isinstance(result, ExportResult)
        self.result_ = result
        self.message.setText(self.tr("Saved %1 records to %2").replace("%1", str(result.rows))
                             .replace("%2", str(result.path)))
        self.exported.emit(result)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.export_button.setEnabled(True)
        show_error(self, exc)

    def _cancelled(self) -> None:
        self.export_button.setEnabled(True)
        self.message.setText(self.tr("Export cancelled."))
