"""Importing volunteers from a spreadsheet.

Two steps, so nothing is written before the user has seen what would happen: `read` checks
every row and returns a preview (valid rows, and every problem with its row, column and a
Chinese reason); `commit` writes the valid rows in one transaction, so a cancelled or failed
import leaves the register exactly as it was.

Speed: a city roster has 100,000 rows. The full rule check (`VolunteerDraft.validated`) costs
about 20 µs a row, more than reading the file, so rows are first prepared column by column
(each distinct cell text cleaned once) and plain rows — an 18-character ID, an adult, an
11-digit mobile — are accepted by a vectorised check of the same rules. Every other row goes
through `validated`, which also writes every refusal, so all messages come from the domain.
`tests/unit/services/test_volunteer_import.py` checks that both paths agree.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from functools import partial
from itertools import repeat, zip_longest
from pathlib import Path
from typing import Any, overload

import numpy as np
import peewee as pw
from pypinyin import lazy_pinyin
from pypinyin.constants import PHRASES_DICT

from app.domain.errors import DuplicateError, FormErrors
from app.domain.idcard import mask_id_number, normalize_id_number
from app.domain.normalize import clean_name, clean_text
from app.domain.phone import mask_phone
from app.domain.pinyin import name_grams, name_keys, name_pinyin
from app.domain.search import reversed_key
from app.domain.volunteer import (
    SEX_FROM_TEXT,
    SEX_LABELS,
    STATUS_LABELS,
    TEXT_LIMITS,
    IdType,
    MinorPolicy,
    Status,
    VolunteerDraft,
    format_volunteer_number,
)
from app.services.common import audit, numbering, settings
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
from app.services.common.sheet_reading import ImportFileError, read_sheet
from app.services.volunteers import import_columns as ic
from app.services.volunteers import registration
from app.services.volunteers.registration import DRAFT_FIELDS, remember_areas
from app.store.db import bulk_insert, database, indexes_rebuilt_after, is_sqlite, writing
from app.store.models import Volunteer, utcnow

CHECK_CHUNK = 20_000
COMMIT_CHUNK = 5_000
# An import at least this share of the register rebuilds the list indexes once at the end.
BULK_SHARE = 0.25
LOOKUP_CHUNK = 500

__all__ = [
    "ImportFileError", "ImportPreview", "ImportResult", "ImportRow", "PinyinKeys",
    "RowProblem", "ValidRows", "commit", "read", "write_template",
]

_F = {name: i for i, name in enumerate(DRAFT_FIELDS)}
_ASCII_ID = re.compile(r"[0-9]{17}[0-9X]")
_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_STREET_COMMUNITY = re.compile(r"^(.+?街道)(.+)$")
_WEIGHTS = np.array((7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2), dtype=np.int64)
_CHECK_CODES = np.frombuffer(b"10X98765432", dtype=np.uint8)
_MONTH_DAYS = np.array((0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31), dtype=np.int64)
_MISSING_DEFAULTS: dict[str, Any] = {  # a field whose column the file lacks
    "guardian_consent": False, "birth_date": None, "registered_on": None,
    "id_type": str(IdType.RESIDENT)}
_GUARDIAN_FIELDS = ("guardian_name", "guardian_id_number", "guardian_phone", "guardian_consent")


@dataclass(frozen=True, slots=True)
class ImportRow:
    row: int
    draft: VolunteerDraft


class ValidRows(Sequence[ImportRow]):
    """The rows that would be imported, kept as plain tuples (DRAFT_FIELDS order).

    A draft is built only for the rows someone looks at: making 100,000 dataclasses that
    the commit does not need would cost a tenth of the whole import.
    """

    def __init__(self, rows: list[int], values: list[tuple]) -> None:
        self.rows = rows
        self.values = values

    def __len__(self) -> int:
        return len(self.rows)

    @overload
    def __getitem__(self, index: int) -> ImportRow: ...

    @overload
    def __getitem__(self, index: slice) -> list[ImportRow]: ...

    def __getitem__(self, index: int | slice) -> ImportRow | list[ImportRow]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        draft = VolunteerDraft(*self.values[index])
        draft.id_type = IdType(draft.id_type)
        return ImportRow(self.rows[index], draft)


@dataclass(frozen=True)
class ImportResult:
    imported: int
    skipped: int
    first_number: str
    last_number: str
    updated: int = 0


# ---------------------------------------------------------------- checking rows

class _Memo(dict):
    """Each distinct cell value converted once: districts, communities, skills repeat."""

    def __init__(self, fn: Callable[[Any], Any]) -> None:
        super().__init__()
        self.fn = fn

    def __missing__(self, key: Any) -> Any:
        value = self[key] = self.fn(key)
        return value


class _Bad:
    """A cell that could not be read; `message` says why."""

    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message


def _guard(fn: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def convert(value: Any) -> Any:
        try:
            return fn(value)
        except ic.BadCell as exc:
            return _Bad(str(exc))
    return convert


def _split_street(text: str) -> tuple[str, str]:
    """"工人新村南村街道西区社区" -> ("工人新村南村街道", "西区社区"); else ("", text)."""
    match = _STREET_COMMUNITY.match(text)
    return (match.group(1), match.group(2)) if match else ("", text)


def _id_type(text: str) -> str:
    if not text:
        return str(IdType.RESIDENT)
    kind = ic.ID_TYPE_FROM_TEXT.get(text) or ic.ID_TYPE_FROM_TEXT.get(text.lower())
    return str(kind) if kind else text


def _plain_or(convert: Callable[[Any], Any]) -> Callable[[list[Any]], list[Any]]:
    """For columns of mostly distinct values (IDs, phones): ASCII letters and digits are
    already clean, anything else is converted."""
    def column(values: list[Any]) -> list[Any]:
        return [v if type(v) is str and (not v or (v.isascii() and v.isalnum())) else convert(v)
                for v in values]
    return column


def _memo_map(convert: Callable[[Any], Any]) -> Callable[[list[Any]], list[Any]]:
    """For columns of repeating values: each distinct value converted once (a C-level map)."""
    memo = _Memo(convert)
    return lambda values: list(map(memo.__getitem__, values))


def _converters() -> dict[str, Callable[[list[Any]], list[Any]]]:
    """Per field: a column of raw cells -> the values a draft gets (text cleaned as
    VolunteerDraft.validated cleans it, so the full check sees the same values)."""
    out: dict[str, Callable[[list[Any]], list[Any]]] = {}
    for name in DRAFT_FIELDS:
        if name == "name":
            out[name] = _memo_map(lambda v: clean_name(ic.cell_text(v)))
        elif name in ("id_number", "guardian_id_number"):
            out[name] = _plain_or(_guard(lambda v: clean_text(ic.id_cell_text(v))))
        elif name in ("phone", "emergency_phone", "guardian_phone"):
            out[name] = _plain_or(lambda v: clean_text(ic.cell_text(v)))
        elif name == "id_type":
            out[name] = _memo_map(lambda v: _id_type(clean_text(ic.cell_text(v))))
        elif name in ("birth_date", "registered_on"):
            out[name] = _memo_map(_guard(partial(ic.cell_date, what=ic.BY_FIELD[name].header)))
        elif name == "guardian_consent":
            out[name] = _memo_map(_guard(lambda v: ic.cell_bool(v, "监护人同意")))
        else:
            out[name] = _memo_map(lambda v: clean_text(ic.cell_text(v)))
    return out


@dataclass
class _Checker:
    """Checks the people rows of one sheet, chunk by chunk."""

    rows: list[list[Any]]
    col_of: dict[str, int]           # field -> column index in the sheet
    headers: dict[str, str]          # field -> header text
    policy: MinorPolicy
    today: dt.date
    fast: bool = True
    valid: list[tuple[int, tuple]] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    invalid_ids: list[tuple[int, tuple[str, str], str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.convert = _converters()
        self.split_street = "street" not in self.col_of and "community" in self.col_of
        self._split = _Memo(_split_street)
        self._dates = _Memo(lambda ymd: dt.date(ymd // 10000, ymd // 100 % 100, ymd % 100))

    def check(self, idx: list[int]) -> None:
        """Check the sheet rows at `idx` (0-based indexes into `rows`)."""
        raw = list(zip_longest(*(self.rows[i] for i in idx), fillvalue=""))
        width = len(raw)
        cols = {name: self.convert[name](
            list(raw[self.col_of[name]]) if self.col_of[name] < width else [""] * len(idx))
            if name in self.col_of else [_MISSING_DEFAULTS.get(name, "")] * len(idx)
            for name in DRAFT_FIELDS}
        if self.split_street:
            pairs = [self._split[c] for c in cols["community"]]
            cols["street"] = [p[0] for p in pairs]
            cols["community"] = [p[1] for p in pairs]
        fast = self._fast_rows(cols) if self.fast else [False] * len(idx)
        values = list(zip(*(cols[name] for name in DRAFT_FIELDS), strict=True))
        for k, i in enumerate(idx):
            if fast[k]:
                self.valid.append((i + 1, values[k]))
            else:
                self._slow(i + 1, values[k])

    def _fast_rows(self, cols: dict[str, list[Any]]) -> list[bool]:
        """Which rows plainly pass; fills sex, birth date, registered_on for those."""
        n = len(cols["name"])
        ids = cols["id_number"]
        resident = str(IdType.RESIDENT)
        plain = [type(v) is str and len(v) == 18 and bool(_ASCII_ID.fullmatch(v))
                 and t == resident for v, t in zip(ids, cols["id_type"], strict=True)]
        which = [k for k in range(n) if plain[k]]
        ok_ids, ymds, males = _check_ids([ids[k] for k in which], self.today, self.policy)
        accepted = [False] * n
        odd = _odd_text_rows(cols, [f for f in TEXT_LIMITS
                                    if f in self.col_of or (f == "street" and self.split_street)])
        sex, births, regs = cols["sex"], cols["birth_date"], cols["registered_on"]
        phones, emergency = cols["phone"], cols["emergency_phone"]
        names, consent = cols["name"], cols["guardian_consent"]
        guardian_id = cols["guardian_id_number"]
        for pos, k in enumerate(which):
            if not ok_ids[pos] or k in odd:
                continue
            male = males[pos]
            given = sex[k]
            if given:
                code = SEX_FROM_TEXT.get(given.upper())
                if code is None or (code == "M") != male:
                    continue
            reg = regs[k]
            if not (0 < len(names[k]) <= 40 and _MOBILE.fullmatch(phones[k])
                    and (not emergency[k] or _MOBILE.fullmatch(emergency[k]))
                    and (reg is None or (type(reg) is dt.date and reg <= self.today))
                    and type(consent[k]) is bool and type(guardian_id[k]) is str):
                continue
            accepted[k] = True
            sex[k] = "M" if male else "F"
            births[k] = self._dates[ymds[pos]]
            if reg is None:
                regs[k] = self.today
        return accepted

    def _slow(self, row: int, values: tuple) -> None:
        """The full rule check, which also words every refusal."""
        cell_errors = {name: v.message for name, v in zip(DRAFT_FIELDS, values, strict=True)
                       if isinstance(v, _Bad)}
        plain: dict[str, Any] = {name: None if isinstance(v, _Bad) else v
                                 for name, v in zip(DRAFT_FIELDS, values, strict=True)}
        draft = VolunteerDraft(**plain)
        draft.guardian_consent = bool(draft.guardian_consent)
        for name in ("id_number", "guardian_id_number"):
            if name in cell_errors:
                setattr(draft, name, "")
        if "birth_date" in cell_errors and draft.id_type == str(IdType.RESIDENT):
            del cell_errors["birth_date"]  # the ID number gives the birth date
        try:
            clean = draft.validated(self.policy, self.today)
        except FormErrors as exc:
            errors = {**exc.errors, **cell_errors}
        else:
            if not cell_errors:
                row_values = tuple(getattr(clean, name) for name in DRAFT_FIELDS)
                self.valid.append((row, (*row_values[:2], str(clean.id_type), *row_values[3:])))
                return
            errors = cell_errors
        self._add_problems(row, errors)
        if "id_number" not in errors and draft.id_number:
            key = (str(draft.id_type or IdType.RESIDENT), normalize_id_number(draft.id_number))
            self.invalid_ids.append((row, key, clean_name(draft.name)))

    def _add_problems(self, row: int, errors: dict[str, str]) -> None:
        guardian = [f for f in _GUARDIAN_FIELDS if f in errors]
        if len(guardian) > 1:  # one minor without a guardian: one line, not four
            errors = dict(errors)
            first = guardian[0]
            errors[first] = "；".join(errors.pop(f) for f in guardian)
        for name in DRAFT_FIELDS:
            if name in errors:
                self.problems.append(RowProblem(
                    row, self.headers.get(name) or ic.BY_FIELD[name].header, name,
                    errors[name]))


def _odd_text_rows(cols: dict[str, list[Any]], names: list[str]) -> set[int]:
    """Rows whose free text is too long or not plainly printable (a control character, an
    emoji joiner): left to the full check, which refuses or accepts and words why. A column
    is looked at whole first (two C-level passes); only an odd one row by row."""
    rows: set[int] = set()
    for name in names:  # the file's columns: the others hold only ""
        values, limit = cols[name], TEXT_LIMITS[name][1]
        try:
            if max(map(len, values), default=0) <= limit and "".join(values).isprintable():
                continue
        except TypeError:  # a value that is not text: look at each
            pass
        rows.update(k for k, v in enumerate(values)
                    if type(v) is str and (len(v) > limit or not v.isprintable()))
    return rows


def _check_ids(ids: list[str], today: dt.date, policy: MinorPolicy
               ) -> tuple[list[bool], list[int], list[bool]]:
    """GB 11643 for many plain 18-character IDs at once: (acceptable as an adult, birth as
    YYYYMMDD, male). The same rules as parse_id_number and the minor policy; anything not
    acceptable here is left to the full check, which words the reason."""
    if not ids:
        return [], [], []
    raw = np.frombuffer("".join(ids).encode("ascii"), dtype=np.uint8).reshape(len(ids), 18)
    digits = raw[:, :17].astype(np.int64) - 48
    check_ok = _CHECK_CODES[(digits @ _WEIGHTS) % 11] == raw[:, 17]
    year = digits[:, 6] * 1000 + digits[:, 7] * 100 + digits[:, 8] * 10 + digits[:, 9]
    month = digits[:, 10] * 10 + digits[:, 11]
    day = digits[:, 12] * 10 + digits[:, 13]
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    month_days = _MONTH_DAYS[np.clip(month, 0, 12)] + ((month == 2) & leap)
    ymd = year * 10000 + month * 100 + day
    today_ymd = today.year * 10000 + today.month * 100 + today.day
    age = today.year - year - ((today.month * 100 + today.day) < (month * 100 + day))
    ok = (check_ok & (month >= 1) & (month <= 12) & (day >= 1) & (day <= month_days)
          & (year >= 1800) & (ymd <= today_ymd)
          & (age >= policy.guardian_under) & (age >= policy.min_age))
    return ok.tolist(), ymd.tolist(), (digits[:, 16] % 2 == 1).tolist()


def _existing(keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """Registered volunteers among `keys` (id_type, id_number) -> "V00000012 张三（在册）"."""
    if not keys or not Volunteer.select().exists():
        return {}
    found: dict[tuple[str, str], str] = {}
    numbers = sorted({k[1] for k in keys})
    wanted = set(keys)
    for start in range(0, len(numbers), LOOKUP_CHUNK):
        query = Volunteer.select(Volunteer.id_type, Volunteer.id_number, Volunteer.number,
                                 Volunteer.name, Volunteer.status).where(
            Volunteer.id_number.in_(numbers[start:start + LOOKUP_CHUNK]))
        found_rows: Iterator[tuple[str, str, str, str, str]] = iter(query.tuples())
        for id_type, id_number, number, name, status in found_rows:
            if (id_type, id_number) in wanted:
                found[(id_type, id_number)] = (
                    f"{number} {name}（{STATUS_LABELS[Status(status)]}）")
    return found


def read(path: Path, state: ProgressState | None = None,
         today: dt.date | None = None, update: bool = False) -> ImportPreview:
    """Read and check a volunteer spreadsheet; writes nothing.

    With `update`, a row whose ID number is registered already is not refused: it becomes
    an update of that person (`preview.updates`, what changes; `preview.unchanged` counts
    the rows with nothing new). See `_match_registered` for what an update may change.

    Raises:
        ImportFileError: the file cannot be read or has no recognisable header.
        Cancelled: the state asked to stop.
    """
    return _read(Path(path), state or NullProgress(), today or dt.date.today(),
                 update=update)


def _read(path: Path, state: ProgressState, today: dt.date, fast: bool = True,
          update: bool = False) -> ImportPreview:
    state.set_progress(0, 0, "正在读取文件")
    table = read_sheet(path, ic.TABLE)
    check(state)
    col_of, headers, people = table.col_of, table.headers, table.data
    checker = _Checker(table.rows, col_of, headers, settings.minor_policy(), today, fast)
    total = len(people)
    for start in range(0, total, CHECK_CHUNK):
        check(state)
        checker.check(people[start:start + CHECK_CHUNK])
        state.set_progress(min(start + CHECK_CHUNK, total), total, "正在检查")
    valid = sorted(checker.valid, key=lambda rv: rv[0])
    updates: list[RowUpdate] = []
    unchanged = 0
    if update:
        valid = _drop_duplicates(valid, checker, headers, registered_ok=True)
        valid, updates, unchanged = _match_registered(valid, table.rows, table.col_of, headers,
                                                      checker.problems)
    else:
        valid = _drop_duplicates(valid, checker, headers)
    problems = sorted(checker.problems,
                      key=lambda p: (p.row, DRAFT_FIELDS.index(p.field)))
    return ImportPreview(
        path=path, sheet=table.sheet, header_row=table.header_index + 1, columns=headers,
        ignored_columns=table.ignored, total_rows=total,
        valid=ValidRows([r for r, _ in valid], [v for _, v in valid]),
        problems=problems, today=today, table=ic.TABLE, updates=updates,
        unchanged=unchanged, source_rows=table.rows)


def _drop_duplicates(valid: list[tuple[int, tuple]], checker: _Checker,
                     headers: dict[str, str], registered_ok: bool = False
                     ) -> list[tuple[int, tuple]]:
    """Refuse a second row with the same ID number, and IDs the register already has."""
    column = headers.get("id_number") or ic.BY_FIELD["id_number"].header
    id_at, type_at, name_at = _F["id_number"], _F["id_type"], _F["name"]
    entries = [(row, (v[type_at], v[id_at]), v[name_at]) for row, v in valid]
    entries += checker.invalid_ids
    entries.sort(key=lambda e: e[0])
    valid_rows = {row for row, _ in valid}
    dropped: set[int] = set()
    for row, other, other_name in later_duplicates(entries):
        checker.problems.append(RowProblem(
            row, column, "id_number",
            f"身份证号码与第{other}行（{other_name}）相同，同一人只能登记一次"))
        if row in valid_rows:
            dropped.add(row)
    kept = [(row, v) for row, v in valid if row not in dropped]
    if registered_ok:
        return kept
    registered = _existing([(v[type_at], v[id_at]) for _, v in kept])
    if not registered:
        return kept
    out = []
    for row, v in kept:
        who = registered.get((v[type_at], v[id_at]))
        if who is None:
            out.append((row, v))
        else:
            checker.problems.append(RowProblem(
                row, column, "id_number", f"该证件号码已登记：{who}，不能重复登记"))
    return out


# ---------------------------------------------------------------- updating registered people

# What a re-import never changes: who the person is (the ID is how the row was matched);
# the volunteer number, status, hours and points are not draft fields at all.
_NEVER_UPDATED = frozenset({"id_type", "id_number"})
_MASKED_PHONES = frozenset({"phone", "emergency_phone", "guardian_phone"})


def _shown(name: str, value: Any) -> str:
    """A value as the preview shows it (phones and IDs masked, as in the lists)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.date):
        return value.isoformat()
    if name == "sex":
        return SEX_LABELS.get(value, str(value))
    if name in _MASKED_PHONES:
        return mask_phone(str(value))
    if name == "guardian_id_number":
        return mask_id_number(str(value))
    return str(value)


def _blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _match_registered(valid: list[tuple[int, tuple]], rows: list[list[Any]],
                      col_of: dict[str, int], headers: dict[str, str],
                      problems: list[RowProblem]
                      ) -> tuple[list[tuple[int, tuple]], list[RowUpdate], int]:
    """Split valid rows into new people and updates of registered ones (by ID number).

    An update changes only the fields the file has a column for, and never from a blank
    cell (a roster that leaves a cell empty does not erase what the register knows). A
    merged record is refused: its person lives on in the record it was merged into.
    """
    type_at, id_at = _F["id_type"], _F["id_number"]
    found = _registered_rows([(v[type_at], v[id_at]) for _, v in valid])
    if not found:
        return valid, [], 0
    compared = [f for f in DRAFT_FIELDS if f in col_of and f not in _NEVER_UPDATED]
    column = headers.get("id_number") or ic.BY_FIELD["id_number"].header
    new: list[tuple[int, tuple]] = []
    updates: list[RowUpdate] = []
    unchanged = 0
    for row, v in valid:
        current = found.get((v[type_at], v[id_at]))
        if current is None:
            new.append((row, v))
            continue
        if current.status == Status.MERGED:
            problems.append(RowProblem(
                row, column, "id_number",
                f"该证件号码属于已合并的记录{current.number} {current.name}，请在保留的记录上修改"))
            continue
        raw = rows[row - 1]
        changes: list[FieldChange] = []
        values: list[tuple[str, Any]] = []
        for name in compared:
            index = col_of[name]
            if index >= len(raw) or _blank(raw[index]):
                continue
            value, old = v[_F[name]], getattr(current, name)
            if value == old:
                continue
            changes.append(FieldChange(name, headers.get(name) or ic.BY_FIELD[name].header,
                                       _shown(name, old), _shown(name, value)))
            values.append((name, value))
        if not changes:
            unchanged += 1
            continue
        updates.append(RowUpdate(row, int(current.id), f"{current.number} {current.name}",
                                 int(current.version), tuple(changes), tuple(values)))
    return new, updates, unchanged


def _registered_rows(keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], Volunteer]:
    """The registered volunteers among `keys` (id_type, id_number), whole rows."""
    if not keys or not Volunteer.select().exists():
        return {}
    found: dict[tuple[str, str], Volunteer] = {}
    numbers = sorted({k[1] for k in keys})
    wanted = set(keys)
    for start in range(0, len(numbers), LOOKUP_CHUNK):
        for v in Volunteer.select().where(
                Volunteer.id_number.in_(numbers[start:start + LOOKUP_CHUNK])):
            if (v.id_type, v.id_number) in wanted:
                found[(v.id_type, v.id_number)] = v
    return found


def _apply_updates(updates: Sequence[RowUpdate], today: dt.date, state: ProgressState,
                   done: int, total: int) -> list[str]:
    """Update each matched person through `registration.update` (validation, version bump,
    name grams, the before/after audit row); any refusal undoes the whole import."""
    records = apply_updates(
        updates, "志愿者", registration.get,
        lambda vid, draft, version: registration.update(vid, draft, version, today),
        state, done, total)
    return [r.number for r in records]


# ---------------------------------------------------------------- writing to the register

_INSERT_COLUMNS = ("number", *DRAFT_FIELDS, "name_initials", "name_pinyin", "phone_rev",
                   "id_number_rev", "status", "status_reason", "created_at", "updated_at",
                   "version")
_CHAR_READINGS: dict[tuple[str, bool], str | None] = {}


def _char_reading(ch: str, first: bool) -> str | None:
    """How pypinyin reads a character on its own (a surname's own reading when first);
    None for what is not a common Chinese character."""
    key = (ch, first)
    if key not in _CHAR_READINGS:
        reading: str | None = None
        if "\u3400" <= ch <= "\u9fff":
            reading = name_pinyin(ch)[0] if first else lazy_pinyin(ch)[0].lower()
        _CHAR_READINGS[key] = reading
    return _CHAR_READINGS[key]


class PinyinKeys:
    """Search keys and name grams as `volunteers._columns` makes them, cached.

    pypinyin takes about 20 µs a name, as long as checking the whole row. It reads a name
    character by character unless part of the name is in its phrase dictionary; so a name
    with no such part is keyed from a per-character table, and only the others are sent to
    pypinyin (once per distinct name). The result is the same as `name_keys`.
    """

    def __init__(self) -> None:
        self._keys: dict[str, tuple[str, str]] = {}
        self._grams: dict[str, tuple[str, ...]] = {}

    def keys(self, name: str) -> tuple[str, str]:
        found = self._keys.get(name)
        if found is None:
            found = self._keys[name] = self._compute(name)
        return found

    def grams(self, name: str) -> tuple[str, ...]:
        found = self._grams.get(name)
        if found is None:
            found = self._grams[name] = tuple(name_grams(name))
        return found

    @staticmethod
    def _compute(name: str) -> tuple[str, str]:
        size = len(name)
        readings = [_char_reading(ch, k == 0) for k, ch in enumerate(name)]
        if not name or None in readings or any(
                name[i:j] in PHRASES_DICT for i in range(size) for j in range(i + 2, size + 1)):
            initials, full = name_keys(name)
            return initials, full.replace(" ", "")
        return "".join(r[0] for r in readings if r), "".join(r for r in readings if r)


def commit(preview: ImportPreview, skip_invalid: bool = False,
           state: ProgressState | None = None) -> ImportResult:
    """Write the preview's valid rows in one transaction; all or nothing.

    Raises:
        ValueError: there are rows with problems and `skip_invalid` is False.
        DuplicateError: someone registered one of these people since the preview was read.
        Cancelled: the state asked to stop (nothing is written).
    """
    state = state or NullProgress()
    total = require_committable(preview, skip_invalid)
    valid = preview.valid
    assert isinstance(valid, ValidRows)
    values = valid.values
    count = len(values)
    first_number = last_number = ""
    state.set_progress(0, total, "正在导入")
    with writing():
        if count:
            _recheck_duplicates(values)
            first = numbering.reserve(numbering.VOLUNTEER, count)
            bulk = (indexes_rebuilt_after("volunteer")
                    if count >= BULK_SHARE * Volunteer.select().count() else nullcontext())
            try:
                with bulk:
                    _write(values, first, state)
            except pw.IntegrityError:
                raise DuplicateError("导入期间有人登记了相同证件号码的志愿者，未导入任何数据，"
                                     "请重新读取文件", existing="") from None
            first_number = format_volunteer_number(first)
            last_number = format_volunteer_number(first + count - 1)
        updated = _apply_updates(preview.updates, preview.today, state, count, total)
        # One row for the whole import; the k-th number came from the k-th listed row (each
        # updated person also has an update row with the before/after values).
        audit.record("import", "volunteer",
                     f"{first_number}..{last_number}" if count else preview.path.name, None, {
                         "file": preview.path.name, "sheet": preview.sheet, "imported": count,
                         "updated": updated, "skipped_rows": sorted(preview.bad_rows),
                         "rows": list(valid.rows)})
    return ImportResult(count, len(preview.bad_rows), first_number, last_number, len(updated))


def _recheck_duplicates(values: list[tuple]) -> None:
    keys = [(v[_F["id_type"]], v[_F["id_number"]]) for v in values]
    registered = _existing(keys)
    if registered:
        sample = "；".join(list(registered.values())[:3])
        raise DuplicateError(
            f"读取之后已有{len(registered)}人被登记（{sample}），未导入任何数据，请重新读取文件",
            existing=next(iter(registered.values())).split()[0])


def _write(values: list[tuple], first: int, state: ProgressState) -> None:
    """Insert the rows chunk by chunk (progress, cancel) through the driver's bulk path.

    Rows are assembled column-wise with map/zip, which run in C: at 100,000 rows a
    per-row Python expression costs as much as SQLite's own work for the table.
    """
    count = len(values)
    now = utcnow()
    sqlite = is_sqlite()
    to_db: Callable[[list[Any]], Any] = (
        _memo_map(lambda d: d.isoformat()) if sqlite else (lambda column: column))
    stamp = str(now) if sqlite else now
    b, r = _F["birth_date"], _F["registered_on"]
    pinyin_keys = PinyinKeys()
    areas: set[tuple[str, str, str]] = set()
    select_ids = (f"SELECT number, id FROM volunteer WHERE number BETWEEN "
                  f"{database.param} AND {database.param}")
    for start in range(0, count, COMMIT_CHUNK):
        check(state)
        chunk = values[start:start + COMMIT_CHUNK]
        size = len(chunk)
        numbers = [format_volunteer_number(first + start + k) for k in range(size)]
        cols: list[Any] = list(zip(*chunk, strict=True))
        cols[b], cols[r] = to_db(cols[b]), to_db(cols[r])
        keys = list(map(pinyin_keys.keys, cols[_F["name"]]))
        initials, full = (list(x) for x in zip(*keys, strict=True))
        bulk_insert("volunteer", _INSERT_COLUMNS, zip(
            numbers, *cols, initials, full, map(reversed_key, cols[_F["phone"]]),
            map(reversed_key, cols[_F["id_number"]]), repeat("active", size), repeat("", size),
            repeat(stamp, size), repeat(stamp, size), repeat(1, size), strict=True))
        id_of = dict(database.execute_sql(select_ids, (numbers[0], numbers[-1])).fetchall())
        ids = list(map(id_of.__getitem__, numbers))
        grams = map(pinyin_keys.grams, cols[_F["name"]])
        bulk_insert("volunteer_name_gram", ("gram", "volunteer_id"),
                    [(g, vid) for vid, names in zip(ids, grams, strict=True) for g in names])
        areas.update(zip(cols[_F["district"]], cols[_F["street"]], cols[_F["community"]],
                         strict=True))
        state.set_progress(start + size, count, "正在导入")
    remember_areas(areas)


def write_template(path: Path) -> None:
    """Save the empty import template (.xlsx) with notes and drop-down lists."""
    ic.write_template(Path(path))
