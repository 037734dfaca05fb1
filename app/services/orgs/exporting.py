"""Exporting the organization list to Excel: every field, under Chinese headers the importer
reads back, in the list's own filter and order.

Text stays text: a credit code or a phone is written as a text cell (Excel would round or
reformat it), and a value that starts like a formula (= + - @, a tab or a line break) is
written as a quoted text cell, never as a formula a spreadsheet would run.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from app.domain.orgs.incubation import IncubationState
from app.domain.orgs.kinds import OrgKind, PneForm, Rating, ServiceField
from app.domain.orgs.legal_status import LegalStatus
from app.services.common.progress import NullProgress, ProgressState, check
from app.services.common.xlsx import save_atomically
from app.services.orgs import import_columns as oc
from app.services.orgs import listing
from app.services.orgs.listing import OrgFilter
from app.store.models import Organization

PAGE = 500
TEXT = "@"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")

_STATUS_WORD = {LegalStatus.REGISTERED: "登记", LegalStatus.FILED: "备案",
                LegalStatus.UNREGISTERED: "", LegalStatus.DEREGISTERED: "已注销"}

# (header, how to get the value from a row, width, text). The headers are the importer's.
_FIELDS: tuple[tuple[str, str, int, bool], ...] = (
    ("name", oc.BY_FIELD["name"].header, 28, False),
    ("kind", oc.BY_FIELD["kind"].header, 18, False),
    ("credit_code", oc.BY_FIELD["credit_code"].header, 22, True),
    ("legal_representative", oc.BY_FIELD["legal_representative"].header, 12, False),
    ("contact_phone", oc.BY_FIELD["contact_phone"].header, 14, True),
    ("supervisor_unit", oc.BY_FIELD["supervisor_unit"].header, 18, False),
    ("founded_on", oc.BY_FIELD["founded_on"].header, 12, False),
    ("legal_status", oc.BY_FIELD["legal_status"].header, 10, False),
    ("legal_since", oc.BY_FIELD["legal_on"].header, 12, False),
    ("registration_authority", oc.BY_FIELD["registration_authority"].header, 16, False),
    ("certificate_number", oc.BY_FIELD["certificate_number"].header, 14, True),
    ("pne_form", oc.BY_FIELD["pne_form"].header, 8, False),
    ("service_field", oc.BY_FIELD["service_field"].header, 10, False),
    ("address", oc.BY_FIELD["address"].header, 28, False),
    ("post_code", oc.BY_FIELD["post_code"].header, 8, True),
    ("district", oc.BY_FIELD["district"].header, 10, False),
    ("street", oc.BY_FIELD["street"].header, 14, False),
    ("community", oc.BY_FIELD["community"].header, 14, False),
    ("contact_person", oc.BY_FIELD["contact_person"].header, 10, False),
    ("email", oc.BY_FIELD["email"].header, 18, False),
    ("website", oc.BY_FIELD["website"].header, 18, False),
    ("capital_fen", oc.BY_FIELD["capital_yuan"].header, 12, False),
    ("business_scope", oc.BY_FIELD["business_scope"].header, 30, False),
    ("certificate_valid_from", oc.BY_FIELD["certificate_valid_from"].header, 12, False),
    ("certificate_valid_to", oc.BY_FIELD["certificate_valid_to"].header, 12, False),
    ("code_override_reason", oc.BY_FIELD["code_override_reason"].header, 16, False),
    ("incubation_state", "孵化状态", 10, False),
    ("rating", "评估等级", 8, False),
    ("rated_on", "评估日期", 12, False),
    ("deregistered_on", "注销日期", 12, False),
    ("remarks", oc.BY_FIELD["remarks"].header, 20, False),
)
HEADERS = tuple(f[1] for f in _FIELDS)


def _value(name: str, row: Organization) -> Any:
    value = getattr(row, name)
    if name == "kind":
        return OrgKind(value).label
    if name == "legal_status":
        return _STATUS_WORD[LegalStatus(value)]
    if name == "pne_form":
        return PneForm(value).label if value else ""
    if name == "service_field":
        return ServiceField(value).label if value else ""
    if name == "incubation_state":
        return IncubationState(value).label if value else ""
    if name == "rating":
        return Rating(value).label if value else ""
    if name == "capital_fen":
        return None if value is None else value / 100
    if name == "credit_code":
        return value or ""
    return value


def _rows(flt: OrgFilter) -> Any:
    """The filtered list in its order, PAGE organizations at a time."""
    order = listing.ids(flt)
    for start in range(0, len(order), PAGE):
        chunk = order[start:start + PAGE]
        found = {r.id: r for r in Organization.select().where(Organization.id.in_(chunk))}
        yield [found[i] for i in chunk if i in found]


def export(flt: OrgFilter, path: Path, state: ProgressState | None = None) -> int:
    """Write the filtered organization list to `path` (.xlsx); returns the row count.

    Raises:
        Cancelled: the state asked to stop (no file is left at `path`).
        OSError: the file cannot be written (open in Excel, no permission).
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    state = state or NullProgress()
    path = Path(path)
    total = listing.count(flt)
    state.set_progress(0, total, "正在导出")
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "社会组织"
    sheet.append(list(HEADERS))
    bold = Font(bold=True)
    for j, (_name, _header, width, text) in enumerate(_FIELDS, start=1):
        sheet.cell(row=1, column=j).font = bold
        dim = sheet.column_dimensions[get_column_letter(j)]
        dim.width = width
        if text:
            dim.number_format = TEXT
    sheet.freeze_panes = "A2"
    done = 0
    r = 1
    for page in _rows(flt):
        check(state)
        for org in page:
            r += 1
            for j, (name, _header, _width, text) in enumerate(_FIELDS, start=1):
                _write(sheet.cell(row=r, column=j), _value(name, org), text)
        done += len(page)
        state.set_progress(done, total, "正在导出")
    check(state)
    save_atomically(book, path)
    return done


def _write(target: Any, value: Any, text: bool) -> None:
    """One cell: dates as dates, text never as a formula."""
    if value == "" or value is None:
        return
    if isinstance(value, str):
        target.value = value
        target.data_type = "s"          # openpyxl would read "=…" as a formula
        if text or value.startswith(FORMULA_START):
            target.number_format = TEXT
            if value.startswith(FORMULA_START):
                target.quotePrefix = True  # Excel keeps it text even when edited
        return
    target.value = value
    if isinstance(value, dt.date):
        target.number_format = "yyyy-mm-dd"


def write_template(path: Path) -> None:
    """Save the empty organization import template (.xlsx)."""
    oc.write_template(Path(path))
