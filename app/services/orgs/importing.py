"""Importing social organizations from a street office's or district's Excel register.

The same two steps as the volunteer import (`app.services.common.import_preview`): `read`
checks every row and returns a preview — valid rows, every refused row with its column and
a Chinese reason, and warnings that do not stop a row (a credit code whose kind digit
disagrees with the type) — and `commit` writes the valid rows in one transaction, with
their legal moves (备案/登记) for the timeline and audit rows, or nothing at all.

Each row is checked by `OrgDraft.validated` (a 登记 row must carry a credit code), plus what
only a whole file shows: the same credit code twice (the later row is refused, naming the
earlier one), a code already in the register, a 社区社会组织 marked 登记.

Re-importing a register (`read(..., update=True)`): a row whose credit code the register
holds becomes an update of that organization, shown field by field, as the volunteer import
does (`common.import_preview.RowUpdate`); see `_match_registered` for what it may change.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import peewee as pw

from app.domain.errors import DuplicateError, FormErrors
from app.domain.normalize import clean_text
from app.domain.orgs.draft import OrgDraft
from app.domain.orgs.kinds import LabelledEnum, OrgKind
from app.domain.orgs.legal_status import COMMUNITY_NOT_REGISTRABLE, LegalStatus
from app.domain.orgs.uscc import normalize_uscc
from app.domain.projects.money import format_yuan
from app.services.common import audit
from app.services.common.import_preview import (
    FieldChange,
    ImportPreview,
    RowProblem,
    RowUpdate,
    apply_updates,
    later_duplicates,
    require_committable,
)
from app.services.common.progress import NullProgress, ProgressState, check
from app.services.common.sheet_reading import (
    BadCell,
    ImportFileError,
    cell,
    cell_date,
    cell_text,
    read_sheet,
)
from app.services.orgs import bulk, registration
from app.services.orgs import import_columns as oc
from app.services.orgs.registration import DRAFT_FIELDS, OrgRecord
from app.store.db import tuples, writing
from app.store.models import Organization, utcnow

CHECK_CHUNK = 2_000
COMMIT_CHUNK = 2_000
LOOKUP_CHUNK = 500
_ORDER = {c.field: i for i, c in enumerate(oc.COLUMNS)}
_DATE_FIELDS = ("founded_on", "legal_on", "certificate_valid_from", "certificate_valid_to")

__all__ = ["ImportFileError", "ImportPreview", "OrgImportResult", "OrgImportRow",
           "RowProblem", "commit", "read", "write_template"]


@dataclass(frozen=True, slots=True)
class OrgImportRow:
    """One organization as it would be registered.

    Args:
        row: the spreadsheet's row number.
        draft: the validated, normalised draft.
        legal_status: where the legal-status machine starts (登记, 备案 or unregistered).
        legal_on: the date of that move (None when unregistered).
        warnings: remarks that do not stop the row (Chinese).
    """

    row: int
    draft: OrgDraft
    legal_status: LegalStatus
    legal_on: dt.date | None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class OrgImportResult:
    imported: int
    skipped: int
    first_id: int
    last_id: int
    filed: int = 0
    registered: int = 0
    updated: int = 0


# ---------------------------------------------------------------- reading

@dataclass
class _Row:
    """A sheet row as read: the draft's values and the cells that could not be read."""

    row: int
    values: dict[str, Any]
    status: LegalStatus = LegalStatus.UNREGISTERED
    errors: dict[str, str] = field(default_factory=dict)


def _convert(row_number: int, raw: list[Any], col_of: dict[str, int],
             headers: dict[str, str]) -> _Row:
    """Cells -> draft values; a cell that cannot mean what its column asks is an error."""
    out = _Row(row_number, {})
    get = {name: cell(raw, col_of.get(name)) for name in oc.BY_FIELD}
    for name in DRAFT_FIELDS:
        if name in _DATE_FIELDS or name in ("kind", "pne_form", "service_field", "capital_fen"):
            continue
        out.values[name] = clean_text(cell_text(get.get(name, "")))
    for name in (*_DATE_FIELDS,):
        try:
            out.values[name] = cell_date(get[name], oc.BY_FIELD[name].header)
        except BadCell as exc:
            out.values[name] = None
            out.errors[name] = str(exc)
    _choice(out, "kind", get["kind"], oc.KIND_FROM_TEXT,
            "组织类型“{}”无法识别，应为社会团体、民办非企业单位（社会服务机构）、基金会或社区社会组织")
    _choice(out, "pne_form", get["pne_form"], oc.PNE_FORM_FROM_TEXT,
            "单位形式“{}”无法识别，应为法人、合伙或个体")
    _choice(out, "service_field", get["service_field"], oc.FIELD_FROM_TEXT,
            "服务领域“{}”无法识别，可填" + "、".join(oc.FIELD_FROM_TEXT) + "之一")
    status_text = clean_text(cell_text(get["legal_status"]))
    status = oc.lookup(oc.STATUS_FROM_TEXT, status_text)
    if isinstance(status, LegalStatus):
        out.status = status
    else:
        out.errors["legal_status"] = (f"登记/备案应填“登记”或“备案”（未登记的留空），"
                                      f"现在是“{status_text}”")
    out.values["capital_fen"] = None
    capital = get["capital_yuan"]
    if cell_text(capital).strip():
        try:
            out.values["capital_fen"] = _fen(capital, "万元" in headers.get("capital_yuan", ""))
        except BadCell as exc:
            out.errors["capital_yuan"] = str(exc)
    out.values["credit_code"] = cell_text(get["credit_code"])
    return out


def _choice(out: _Row, name: str, value: Any, table: dict, message: str) -> None:
    text = clean_text(cell_text(value))
    out.values[name] = None
    if not text:
        return
    found = oc.lookup(table, text)
    if found is None:
        out.errors[name] = message.format(text)
    else:
        out.values[name] = found


def _fen(value: Any, ten_thousands: bool) -> int:
    text = clean_text(cell_text(value)).replace(",", "").replace("，", "").rstrip("元")
    if text.endswith("万"):
        ten_thousands, text = True, text[:-1]
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise BadCell(f"注册资金“{cell_text(value)}”不是金额") from None
    if not amount.is_finite() or amount < 0:
        raise BadCell(f"注册资金“{cell_text(value)}”应为不小于0的金额")
    return int((amount * (10000 if ten_thousands else 1) * 100).to_integral_value())


def _check(item: _Row, today: dt.date) -> OrgImportRow | None:
    """The full rule check; fills `item.errors` and returns None when the row is refused."""
    values = {k: v for k, v in item.values.items() if k in DRAFT_FIELDS}
    draft = OrgDraft(**values)
    errors = dict(item.errors)
    kind = draft.kind
    if item.status is LegalStatus.REGISTERED and kind is OrgKind.COMMUNITY:
        errors.setdefault("legal_status", f"登记/备案为“登记”，但{COMMUNITY_NOT_REGISTRABLE}")
    try:
        clean = draft.validated(today, code_required=item.status is LegalStatus.REGISTERED)
    except FormErrors as exc:
        for name, message in exc.errors.items():
            errors.setdefault(name, message)
        clean = None
    legal_on = item.values.get("legal_on")
    if item.status is LegalStatus.UNREGISTERED:
        legal_on = None
    elif legal_on is None:
        legal_on = (clean or draft).founded_on or today
    elif legal_on > today:
        errors.setdefault("legal_on", "登记/备案日期不能晚于今天")
    item.errors = errors
    if errors or clean is None:
        return None
    return OrgImportRow(item.row, clean, item.status, legal_on, tuple(clean.warnings()))


def read(path: Path, state: ProgressState | None = None,
         today: dt.date | None = None, update: bool = False) -> ImportPreview:
    """Read and check an organization spreadsheet; writes nothing.

    With `update`, a row whose credit code is registered already is not refused: it becomes
    an update of that organization (`preview.updates`, what changes; `preview.unchanged`
    counts the rows with nothing new). Rows without a code cannot be matched and stay new.

    Raises:
        ImportFileError: the file cannot be read or has no recognisable header.
        Cancelled: the state asked to stop.
    """
    state = state or NullProgress()
    today = today or dt.date.today()
    path = Path(path)
    state.set_progress(0, 0, "正在读取文件")
    sheet = read_sheet(path, oc.TABLE)
    check(state)
    headers = sheet.headers
    total = len(sheet.data)
    valid: list[OrgImportRow] = []
    refused: list[_Row] = []
    for start in range(0, total, CHECK_CHUNK):
        check(state)
        for i in sheet.data[start:start + CHECK_CHUNK]:
            item = _convert(i + 1, sheet.rows[i], sheet.col_of, headers)
            checked = _check(item, today)
            if checked is None:
                refused.append(item)
            else:
                valid.append(checked)
        state.set_progress(min(start + CHECK_CHUNK, total), total, "正在检查")
    problems = [RowProblem(item.row, _header(headers, name), name, message)
                for item in refused for name, message in item.errors.items()]
    valid = _drop_duplicates(valid, refused, headers, problems, registered_ok=update)
    warnings: list[RowProblem] = []
    updates: list[RowUpdate] = []
    unchanged = 0
    if update:
        valid, updates, unchanged = _match_registered(valid, sheet.rows, sheet.col_of, headers,
                                                      today, problems, warnings)
    problems.sort(key=lambda p: (p.row, _ORDER.get(_column_field(p.field), 99)))
    warnings += [RowProblem(r.row, _header(headers, "credit_code"), "credit_code", w)
                 for r in valid for w in r.warnings]
    warnings += _same_names(valid, headers)
    warnings.sort(key=lambda w: w.row)
    return ImportPreview(
        path=path, sheet=sheet.sheet, header_row=sheet.header_index + 1, columns=headers,
        ignored_columns=sheet.ignored, total_rows=total, valid=valid, problems=problems,
        today=today, table=oc.TABLE, warnings=warnings, updates=updates, unchanged=unchanged,
        source_rows=sheet.rows)


def _column_field(name: str) -> str:
    return "capital_yuan" if name == "capital_fen" else name


def _header(headers: dict[str, str], name: str) -> str:
    name = _column_field(name)
    return headers.get(name) or (oc.BY_FIELD[name].header if name in oc.BY_FIELD else name)


def _drop_duplicates(valid: list[OrgImportRow], refused: list[_Row], headers: dict[str, str],
                     problems: list[RowProblem], registered_ok: bool = False
                     ) -> list[OrgImportRow]:
    """Refuse a second row with the same credit code, and (unless `registered_ok`, when
    they become updates) codes the register already has."""
    column = _header(headers, "credit_code")
    entries = [(r.row, r.draft.credit_code, r.draft.name) for r in valid if r.draft.credit_code]
    for item in refused:  # a refused row's code still counts, if it can be read
        code = normalize_uscc(item.values.get("credit_code", ""))
        if code and "credit_code" not in item.errors:
            entries.append((item.row, code, clean_text(item.values.get("name", ""))))
    entries.sort(key=lambda e: e[0])
    dropped: set[int] = set()
    for row, other, other_name in later_duplicates(entries):
        shown = f"（{other_name}）" if other_name else ""
        problems.append(RowProblem(
            row, column, "credit_code",
            f"统一社会信用代码与第{other}行{shown}相同，一个代码只能对应一个组织"))
        dropped.add(row)
    kept = [r for r in valid if r.row not in dropped]
    if registered_ok:
        return kept
    registered = _existing([r.draft.credit_code for r in kept if r.draft.credit_code])
    out = []
    for r in kept:
        name = registered.get(r.draft.credit_code) if r.draft.credit_code else None
        if name is None:
            out.append(r)
        else:
            problems.append(RowProblem(
                r.row, column, "credit_code",
                f"统一社会信用代码{r.draft.credit_code}已登记为“{name}”，不能重复登记"))
    return out


def _same_names(valid: list[OrgImportRow], headers: dict[str, str]) -> list[RowProblem]:
    """Warnings for rows without a credit code whose name the register or an earlier row
    already has: with no code to compare, a register imported twice would otherwise add every
    filed organization again. A warning, not a refusal: the clerk decides."""
    codeless = [r for r in valid if not r.draft.credit_code]
    names = sorted({r.draft.name for r in codeless})
    held: set[str] = set()
    if names and Organization.select().exists():
        for start in range(0, len(names), LOOKUP_CHUNK):
            query = Organization.select(Organization.name).where(
                Organization.name.in_(names[start:start + LOOKUP_CHUNK]))
            held.update(name for (name,) in tuples(query))
    column = _header(headers, "name")
    first_row: dict[str, int] = {}
    out = []
    for r in sorted(codeless, key=lambda r: r.row):
        name = r.draft.name
        if name in held:
            out.append(RowProblem(r.row, column, "name",
                                  f"登记簿中已有名为“{name}”的组织，请确认不是重复导入"))
        elif name in first_row:
            out.append(RowProblem(r.row, column, "name",
                                  f"与第{first_row[name]}行组织名称相同，请确认不是重复的行"))
        first_row.setdefault(name, r.row)
    return out


def _existing(codes: Sequence[str]) -> dict[str, str]:
    """Credit codes among `codes` the register already holds -> the organization's name."""
    wanted = sorted(set(codes))
    if not wanted or not Organization.select().exists():
        return {}
    found: dict[str, str] = {}
    for start in range(0, len(wanted), LOOKUP_CHUNK):
        query = Organization.select(Organization.credit_code, Organization.name).where(
            Organization.credit_code.in_(wanted[start:start + LOOKUP_CHUNK]))
        for code, name in tuples(query):
            found[code] = name
    return found


# ---------------------------------------------------------------- updating registered ones

# What a re-import never changes: the credit code is how the row was matched (and with the
# code the reason it was kept). Legal status, incubation and rating are not draft fields:
# they change only through their state machines, so the file's 登记/备案 cell is only
# compared (a warning), never applied.
_NEVER_UPDATED = frozenset({"credit_code", "code_override_reason"})
_COMPARED = tuple(f for f in DRAFT_FIELDS if f not in _NEVER_UPDATED)


def _shown(name: str, value: Any) -> str:
    """A value as the preview shows it (labels for types, yuan for money)."""
    if value is None:
        return ""
    if isinstance(value, LabelledEnum):
        return value.label
    if isinstance(value, dt.date):
        return value.isoformat()
    if name == "capital_fen":
        return f"{format_yuan(int(value), symbol=False)}元"
    return str(value)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _kind_refusal(status: LegalStatus, kind: OrgKind | None) -> str | None:
    """Why a registered organization cannot take `kind` (a 社区社会组织 is never registered)."""
    if status is LegalStatus.REGISTERED and kind is not None and not kind.registrable:
        return f"登记簿中该组织已登记，不能把组织类型改为{kind.label}：{COMMUNITY_NOT_REGISTRABLE}"
    return None


def _match_registered(valid: list[OrgImportRow], rows: list[list[Any]],
                      col_of: dict[str, int], headers: dict[str, str], today: dt.date,
                      problems: list[RowProblem], warnings: list[RowProblem]
                      ) -> tuple[list[OrgImportRow], list[RowUpdate], int]:
    """Split valid rows into new organizations and updates of registered ones (by code).

    An update changes only the plain fields the file has a column for, and never from a
    blank cell (a register that leaves a cell empty does not erase what is known). The
    registered record with the file's values is validated as `registration.update` will
    validate it, so the changes shown are exactly the ones written.
    """
    found = _registered_records([r.draft.credit_code for r in valid if r.draft.credit_code])
    if not found:
        return valid, [], 0
    present = {f for f in _COMPARED if _column_field(f) in col_of}
    new: list[OrgImportRow] = []
    updates: list[RowUpdate] = []
    unchanged = 0
    for r in valid:
        current = found.get(r.draft.credit_code) if r.draft.credit_code else None
        if current is None:
            new.append(r)
            continue
        raw = rows[r.row - 1]
        given = {f: getattr(r.draft, f) for f in present
                 if not _blank(cell(raw, col_of[_column_field(f)]))}
        merged = dataclasses.replace(current.draft, **given)
        refusal = _kind_refusal(current.legal_status, merged.kind)
        try:
            clean = registration.validate(merged, current.legal_status, today)
        except FormErrors as exc:
            for name, message in exc.errors.items():
                problems.append(RowProblem(
                    r.row, _header(headers, name), name,
                    f"与登记簿中{current.subject}的信息合起来：{message}"))
            continue
        if refusal is not None:
            problems.append(RowProblem(r.row, _header(headers, "kind"), "kind", refusal))
            continue
        warnings.extend(_legal_notes(r, current, raw, col_of, headers))
        changes: list[FieldChange] = []
        values: list[tuple[str, Any]] = []
        for name in _COMPARED:
            old, value = getattr(current.draft, name), getattr(clean, name)
            if value == old:
                continue
            changes.append(FieldChange(name, _header(headers, name), _shown(name, old),
                                       _shown(name, value)))
            values.append((name, value))
        if not changes:
            unchanged += 1
            continue
        updates.append(RowUpdate(r.row, current.id, current.subject, current.version,
                                 tuple(changes), tuple(values)))
    return new, updates, unchanged


def _legal_notes(r: OrgImportRow, current: OrgRecord, raw: list[Any], col_of: dict[str, int],
                 headers: dict[str, str]) -> list[RowProblem]:
    """A warning when the file's 登记/备案 disagrees with the register: the import does not
    move the legal-status machine (that is done, dated, on the organization's page)."""
    at = col_of.get("legal_status")
    if at is None or _blank(cell(raw, at)) or r.legal_status is current.legal_status:
        return []
    return [RowProblem(r.row, _header(headers, "legal_status"), "legal_status",
                       f"文件中为“{r.legal_status.label}”，登记簿中为“{current.legal_status.label}”；"
                       "导入不改变登记/备案状态，请在该组织的页面办理")]


def _registered_records(codes: Sequence[str]) -> dict[str, OrgRecord]:
    """The registered organizations among credit `codes`, whole records."""
    wanted = sorted(set(codes))
    if not wanted or not Organization.select().exists():
        return {}
    found: dict[str, OrgRecord] = {}
    for start in range(0, len(wanted), LOOKUP_CHUNK):
        for row in Organization.select().where(
                Organization.credit_code.in_(wanted[start:start + LOOKUP_CHUNK])):
            record = registration.record_of(row)
            found[record.code] = record
    return found


def _apply_updates(updates: Sequence[RowUpdate], today: dt.date, state: ProgressState,
                   done: int, total: int) -> list[int]:
    """Update each matched organization through `registration.update` (validation, version
    bump, the annual report's change items, the before/after audit row); any refusal undoes
    the whole import. Returns the updated ids."""
    records = apply_updates(
        updates, "组织", registration.get,
        lambda oid, draft, version: registration.update(oid, draft, version, today),
        state, done, total,
        refusal=lambda current, draft: _kind_refusal(current.legal_status, draft.kind))
    return [r.id for r in records]


# ---------------------------------------------------------------- writing

def commit(preview: ImportPreview, skip_invalid: bool = False,
           state: ProgressState | None = None) -> OrgImportResult:
    """Write the preview's valid rows and its updates in one transaction; all or nothing.

    Raises:
        ValueError: there are rows with problems and `skip_invalid` is False, or an
            organization to update was changed since the preview was read.
        DuplicateError: someone registered one of these codes since the preview was read.
        Cancelled: the state asked to stop (nothing is written).
    """
    state = state or NullProgress()
    total = require_committable(preview, skip_invalid)
    rows: list[OrgImportRow] = list(preview.valid)
    count = len(rows)
    state.set_progress(0, total, "正在导入")
    now = utcnow()
    actor = audit.current_actor()
    ids: list[int] = []
    with writing():
        registered = _existing([r.draft.credit_code for r in rows if r.draft.credit_code])
        if registered:
            sample = "；".join(f"{c} {n}" for c, n in list(registered.items())[:3])
            raise DuplicateError(f"读取之后已有{len(registered)}个代码被登记（{sample}），"
                                 "未导入任何数据，请重新读取文件", existing=next(iter(registered)))
        try:
            for start in range(0, count, COMMIT_CHUNK):
                check(state)
                chunk = rows[start:start + COMMIT_CHUNK]
                chunk_ids = bulk.insert_organizations([
                    bulk.org_values(r.draft, r.legal_status, r.legal_on, now) for r in chunk])
                moves = [m for oid, r in zip(chunk_ids, chunk, strict=True)
                         if r.legal_on is not None
                         for m in bulk.legal_transitions(
                             oid, r.legal_status, r.legal_on, r.draft.registration_authority,
                             now, actor, f"导入自{preview.path.name}第{r.row}行")]
                bulk.insert_transitions(moves)
                bulk.audit_many("register", [
                    (oid, {**asdict(r.draft), "legal_status": str(r.legal_status),
                           "row": r.row, "file": preview.path.name})
                    for oid, r in zip(chunk_ids, chunk, strict=True)])
                ids.extend(chunk_ids)
                state.set_progress(start + len(chunk), total, "正在导入")
            check(state)
        except pw.IntegrityError:
            raise DuplicateError("导入期间有人登记了相同统一社会信用代码的组织，未导入任何数据，"
                                 "请重新读取文件", existing="") from None
        updated = _apply_updates(preview.updates, preview.today, state, count, total)
        check(state)
        # One row for the whole import (each updated organization also has its own update
        # row with the before/after values).
        audit.record("import", "organization",
                     f"{ids[0]}..{ids[-1]}" if ids else preview.path.name, None, {
                         "file": preview.path.name, "sheet": preview.sheet, "imported": count,
                         "updated": updated, "skipped_rows": sorted(preview.bad_rows),
                         "rows": [r.row for r in rows]})
    return OrgImportResult(
        count, len(preview.bad_rows), ids[0] if ids else 0, ids[-1] if ids else 0,
        filed=sum(r.legal_status is LegalStatus.FILED for r in rows),
        registered=sum(r.legal_status is LegalStatus.REGISTERED for r in rows),
        updated=len(updated))


def write_template(path: Path) -> None:
    """Save the empty organization import template (.xlsx)."""
    oc.write_template(Path(path))
