"""Import organizations from a street office's or district's Excel register: the shared
import dialog (`app.ui.common.import_dialog`) given the organization importer, previewing
name, type, credit code, 登记/备案 and any note on the row (a code whose kind digit
disagrees with the type). Re-importing a register may update the organizations already
registered (matched by credit code), shown field by field before anything is written."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QWidget

from app.domain.orgs.legal_status import LegalStatus
from app.services.common.import_preview import ImportPreview
from app.services.orgs import importing as org_import
from app.services.orgs.importing import OrgImportResult, OrgImportRow
from app.ui.common import enum_text
from app.ui.common import import_dialog as common
from app.ui.common.import_dialog import Importer, UpdateTexts
from app.ui.common.service_text import shown
from app.ui.common.worker import TaskState


def _status(row: OrgImportRow) -> str:
    return "" if row.legal_status is LegalStatus.UNREGISTERED else enum_text.label(row.legal_status)


class OrgRowModel(common.RowModel):
    """The first valid organizations as they would be registered."""

    def __init__(self, parent: QObject | None = None) -> None:
        def kind(row: OrgImportRow) -> str:
            return enum_text.label(row.draft.kind) if row.draft.kind is not None else ""

        super().__init__([
            (self.tr("Name"), lambda r: r.draft.name),
            (self.tr("Type"), kind),
            (self.tr("Credit code"), lambda r: r.draft.credit_code),
            (self.tr("Legal status"), _status),
            (self.tr("Since"), lambda r: r.legal_on.isoformat() if r.legal_on else ""),
            (self.tr("Legal representative"), lambda r: r.draft.legal_representative),
            (self.tr("Note"), lambda r: shown("；".join(r.warnings))),
        ], parent)


def _read(path: Path, state: TaskState) -> ImportPreview:
    return org_import.read(path, state)


def _read_updating(path: Path, state: TaskState) -> ImportPreview:
    return org_import.read(path, state, update=True)


def _commit(preview: ImportPreview, skip_invalid: bool, state: TaskState) -> OrgImportResult:
    return org_import.commit(preview, skip_invalid=skip_invalid, state=state)


def _template(path: Path) -> None:
    org_import.write_template(path)


class OrgImportDialog(common.ImportDialog):
    """Choose an organization register, see what it holds, import it.

    Signals:
        imported(int): how many organizations were registered.
        previewReady(): a file was read and checked; `preview` holds the result.
    """

    def importer(self) -> Importer:
        return Importer(
            title=self.tr("Import organizations"),
            intro=self.tr("Choose an Excel file (.xlsx) with one organization per row, such "
                          "as a street office's register. Nothing is saved until you press "
                          "Import."),
            choose_title=self.tr("Choose an organization register"),
            template_name=self.tr("organization import template.xlsx"),
            working_title=self.tr("Importing organizations"),
            read=_read, commit=_commit, write_template=_template,
            describe_result=self._describe, read_updating=_read_updating,
            update_texts=UpdateTexts(
                choice=self.tr("Update organizations already registered (matched by credit "
                               "code; rows without a code are added as new)"),
                title=self.tr("Rows that update a registered organization (rows with "
                              "nothing new are only counted)"),
                target=self.tr("Organization"),
                counts=self.tr("Registered organizations: %1 to update, %2 unchanged.")))

    def row_model(self) -> common.RowModel:
        return OrgRowModel(self)

    def _describe(self, result: object) -> str:
        assert isinstance(result, OrgImportResult)
        if result.updated:
            return (self.tr("Imported %1 organizations (%2 registered, %3 filed), updated "
                            "%4; %5 rows skipped.")
                    .replace("%1", str(result.imported)).replace("%2", str(result.registered))
                    .replace("%3", str(result.filed)).replace("%4", str(result.updated))
                    .replace("%5", str(result.skipped)))
        return (self.tr("Imported %1 organizations (%2 registered, %3 filed); %4 rows skipped.")
                .replace("%1", str(result.imported)).replace("%2", str(result.registered))
                .replace("%3", str(result.filed)).replace("%4", str(result.skipped)))


def open_org_import(parent: QWidget | None, path: Path | None = None) -> OrgImportDialog:
    """Open the import dialog for `parent` (the organizations page); the page's list is
    refreshed after an import (its `reload_streets` and `refresh`, when it has them)."""
    dialog = OrgImportDialog(parent, path)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    for name in ("reload_streets", "refresh"):
        method = getattr(parent, name, None)
        if callable(method):
            dialog.imported.connect(lambda _count, method=method: method())
    dialog.open()
    return dialog
