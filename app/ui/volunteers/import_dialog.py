"""Import volunteers from an Excel file: the shared import dialog
(`app.ui.common.import_dialog`) given the volunteer importer and the columns to preview
(ID numbers and phones masked, as in the lists)."""

from __future__ import annotations

from enum import IntEnum
from pathlib import Path

from PySide6.QtCore import QObject

from app.domain.idcard import mask_id_number
from app.domain.phone import mask_phone
from app.domain.volunteer import SEX_LABELS
from app.services.common.import_preview import ImportPreview
from app.services.volunteers import importing as volunteer_import
from app.services.volunteers.importing import ImportResult
from app.ui.common import import_dialog as common
from app.ui.common.import_dialog import PREVIEW_ROWS, Importer, ProblemColumn, ProblemModel
from app.ui.common.worker import TaskState

__all__ = ["PREVIEW_ROWS", "ImportDialog", "ProblemColumn", "ProblemModel", "ValidColumn",
           "ValidRowModel"]


class ValidColumn(IntEnum):
    ROW = 0
    NAME = 1
    SEX = 2
    ID_NUMBER = 3
    PHONE = 4
    STREET = 5
    COMMUNITY = 6


class ValidRowModel(common.RowModel):
    """The first valid rows as they would be registered (ID and phone masked, as in lists)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__([
            (self.tr("Name"), lambda r: r.draft.name),
            (self.tr("Sex"), lambda r: SEX_LABELS.get(r.draft.sex, r.draft.sex)),
            (self.tr("ID number"), lambda r: mask_id_number(r.draft.id_number)),
            (self.tr("Phone"), lambda r: mask_phone(r.draft.phone)),
            (self.tr("Street"), lambda r: r.draft.street),
            (self.tr("Community"), lambda r: r.draft.community),
        ], parent)


def _read(path: Path, state: TaskState) -> ImportPreview:
    return volunteer_import.read(path, state)


def _read_updating(path: Path, state: TaskState) -> ImportPreview:
    return volunteer_import.read(path, state, update=True)


def _commit(preview: ImportPreview, skip_invalid: bool, state: TaskState) -> ImportResult:
    return volunteer_import.commit(preview, skip_invalid=skip_invalid, state=state)


def _template(path: Path) -> None:
    volunteer_import.write_template(path)


class ImportDialog(common.ImportDialog):
    """Choose a volunteer spreadsheet, see what it holds, import it.

    Signals:
        imported(int): how many volunteers were registered.
        previewReady(): a file was read and checked; `preview` holds the result.
    """

    def importer(self) -> Importer:
        return Importer(
            title=self.tr("Import volunteers"),
            intro=self.tr("Choose an Excel file (.xlsx) with one volunteer per row. Nothing "
                          "is saved until you press Import."),
            choose_title=self.tr("Choose a volunteer spreadsheet"),
            template_name=self.tr("volunteer import template.xlsx"),
            working_title=self.tr("Importing volunteers"),
            read=_read, commit=_commit, write_template=_template,
            describe_result=self._describe, read_updating=_read_updating)

    def row_model(self) -> common.RowModel:
        return ValidRowModel(self)

    def _describe(self, result: object) -> str:
        assert isinstance(result, ImportResult)
        if result.updated:
            return (self.tr("Imported %1 volunteers, updated %2; %3 rows skipped.")
                    .replace("%1", str(result.imported)).replace("%2", str(result.updated))
                    .replace("%3", str(result.skipped)))
        return (self.tr("Imported %1 volunteers (%2 – %3); %4 rows skipped.")
                .replace("%1", str(result.imported)).replace("%2", result.first_number)
                .replace("%3", result.last_number).replace("%4", str(result.skipped)))
