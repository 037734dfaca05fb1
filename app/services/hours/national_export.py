"""Approved hours as a sheet for the national volunteer information system (全国志愿服务信息系统).

Hours recorded here also belong in the national system; rather than typing them twice, staff
export the approved records of an activity or a period as a batch time-entry sheet and
import it there. The platform's template differs between provinces and versions, so the
sheet's columns come from a *layout* — an ordered list of (header, field) the user maps
once and saves by name in the register's settings (settings.HOURS_EXPORT_LAYOUTS). A preset
for the national system's batch hours import (志愿者姓名, 证件类型, 证件号码, 服务日期, 开始时间,
结束时间, 服务时长（小时）, 活动名称) is offered; it is a starting point the user adjusts to the
template their platform account downloads (saving it under the preset's name replaces it,
deleting that restores the default).

Only approved records still standing are exported: pending, rejected and reversed ones and
reversal rows are left out. Each exported record is marked (table `national_export`), since
the national system would count it twice; exporting marked records again has to be asked
for (`include_exported`) or they can be left out (`skip_exported`). Text goes in as text:
ID numbers keep their digits and a leading 0 or X, and a value starting with = + - @ is
never read as a formula. The sheet carries real ID numbers (the platform needs them), so
every export is audited.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import peewee as pw

from app.domain.errors import NotFoundError, ValidationError
from app.domain.hours import Kind, RecordStatus
from app.domain.volunteer import ID_TYPE_LABELS, IdType
from app.services.common import audit, settings
from app.services.common.progress import NullProgress, ProgressState, check
from app.services.common.xlsx import save_atomically
from app.store.db import database, writing
from app.store.models import Activity, NationalExport, ServiceRecord, Volunteer, utcnow

CHUNK = 2000
PRESET_NAME = "全国志愿服务信息系统（批量录入时长）"
TEXT = "@"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")

# The fields a column can show, in the order the editor lists them ("" = an empty column
# the platform's template has but the register does not fill).
FIELDS: dict[str, str] = {
    "name": "姓名", "id_type": "证件类型", "id_number": "证件号码",
    "volunteer_number": "志愿者编号", "phone": "手机号码", "date": "服务日期",
    "start_time": "开始时间", "end_time": "结束时间", "start": "开始日期时间",
    "end": "结束日期时间", "hours": "服务时长（小时）", "minutes": "服务时长（分钟）",
    "activity": "活动名称", "organizer": "组织单位", "place": "服务地点",
    "category": "服务类别", "content": "服务内容", "record_id": "记录编号", "": "（留空）",
}
NUMERIC = frozenset({"hours", "minutes", "record_id"})


@dataclass(frozen=True)
class LayoutColumn:
    header: str
    field: str


@dataclass(frozen=True)
class Layout:
    """A named, ordered column mapping for the sheet."""

    name: str
    columns: tuple[LayoutColumn, ...]
    preset: bool = False

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(c.header for c in self.columns)


DEFAULT_PRESET = Layout(PRESET_NAME, (
    LayoutColumn("志愿者姓名", "name"),
    LayoutColumn("证件类型", "id_type"),
    LayoutColumn("证件号码", "id_number"),
    LayoutColumn("服务日期", "date"),
    LayoutColumn("开始时间", "start_time"),
    LayoutColumn("结束时间", "end_time"),
    LayoutColumn("服务时长（小时）", "hours"),
    LayoutColumn("活动名称", "activity"),
), preset=True)


@dataclass(frozen=True)
class Selection:
    """Which records: those of one activity, or those served in a date range (inclusive)."""

    activity_id: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    def checked(self) -> Selection:
        if self.activity_id is None and (self.date_from is None or self.date_to is None):
            raise ValidationError("date_from", "请选择一项活动，或填写开始和结束日期")
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValidationError("date_from", "开始日期晚于结束日期")
        return self


@dataclass(frozen=True)
class ExportPreview:
    records: int
    minutes: int
    exported_before: int


@dataclass(frozen=True)
class ExportResult:
    path: Path
    layout: str
    rows: int
    minutes: int
    exported_before: int  # of the rows written, how many had been exported before
    skipped: int = 0      # marked records left out (skip_exported)
    record_ids: tuple[int, ...] = field(default=(), repr=False)


class AlreadyExportedError(ValidationError):
    """Some chosen records were exported before; the caller must say whether to include them.

    Attributes:
        count: how many of `total` chosen records were exported before.
    """

    def __init__(self, count: int, total: int) -> None:
        super().__init__("include_exported", f"所选{total}条记录中有{count}条此前已导出过，"
                                             "再次导入全国系统会重复计算时长")
        self.count, self.total = count, total


# --- layouts ------------------------------------------------------------------------------

def _stored() -> list[Layout]:
    text = settings.get(settings.HOURS_EXPORT_LAYOUTS).strip()
    if not text:
        return []
    try:
        data = json.loads(text)
        return [Layout(str(item["name"]),
                       tuple(LayoutColumn(str(h), str(f)) for h, f in item["columns"]),
                       preset=item["name"] == PRESET_NAME)
                for item in data.get("layouts", [])]
    except (ValueError, KeyError, TypeError, AttributeError):
        return []  # a damaged setting: offer the preset rather than fail every export


def _store(items: Sequence[Layout]) -> None:
    data = {"layouts": [{"name": x.name, "columns": [[c.header, c.field] for c in x.columns]}
                        for x in items]}
    settings.put(settings.HOURS_EXPORT_LAYOUTS, json.dumps(data, ensure_ascii=False))


def layouts() -> tuple[Layout, ...]:
    """The preset (as adjusted, if it was), then the saved layouts by name."""
    saved = {x.name: x for x in _stored()}
    preset = saved.pop(PRESET_NAME, DEFAULT_PRESET)
    return (preset, *sorted(saved.values(), key=lambda x: x.name))


def layout(name: str | None = None) -> Layout:
    """The layout called `name` (default: the preset)."""
    wanted = (name or PRESET_NAME).strip()
    for item in layouts():
        if item.name == wanted:
            return item
    raise NotFoundError(f"没有名为“{wanted}”的导出方案")


def check_layout(item: Layout) -> Layout:
    """The layout with names trimmed, or ValidationError saying what is wrong."""
    name = item.name.strip()
    if not name or len(name) > 40:
        raise ValidationError("name", "方案名称不能为空，最多40个字")
    columns = tuple(LayoutColumn(c.header.strip(), c.field) for c in item.columns)
    if not columns:
        raise ValidationError("columns", "方案至少要有一列")
    seen: set[str] = set()
    for i, c in enumerate(columns, 1):
        if not c.header:
            raise ValidationError("columns", f"第{i}列没有列名")
        if c.header in seen:
            raise ValidationError("columns", f"列名“{c.header}”重复")
        if c.field not in FIELDS:
            raise ValidationError("columns", f"第{i}列的内容“{c.field}”无法识别")
        seen.add(c.header)
    return Layout(name, columns, preset=name == PRESET_NAME)


def save_layout(item: Layout) -> Layout:
    """Save (or replace) a layout by its name; saving the preset's name adjusts the preset."""
    item = check_layout(item)
    with writing():
        others = [x for x in _stored() if x.name != item.name]
        _store([*others, item])
    return item


def delete_layout(name: str) -> None:
    """Forget a saved layout; for the preset this restores the default columns."""
    with writing():
        _store([x for x in _stored() if x.name != name.strip()])


# --- the records ----------------------------------------------------------------------------

def _condition(sel: Selection) -> pw.Expression:
    reversed_ids = ServiceRecord.select(ServiceRecord.reverses).where(
        (ServiceRecord.kind == Kind.REVERSAL) & ServiceRecord.reverses.is_null(False))
    cond = ((ServiceRecord.status == RecordStatus.APPROVED)
            & (ServiceRecord.kind != Kind.REVERSAL) & (ServiceRecord.minutes > 0)
            & ~(ServiceRecord.id.in_(reversed_ids)))
    if sel.activity_id is not None:
        cond &= ServiceRecord.activity == sel.activity_id
    if sel.date_from is not None:
        cond &= ServiceRecord.started_at >= dt.datetime.combine(sel.date_from, dt.time())
    if sel.date_to is not None:
        cond &= ServiceRecord.started_at < dt.datetime.combine(
            sel.date_to + dt.timedelta(days=1), dt.time())
    return cond


def preview(selection: Selection) -> ExportPreview:
    """How many records the selection exports, their minutes, and how many went out before.

    Raises:
        NotFoundError: the chosen activity does not exist (rather than "nothing to export").
    """
    selection = selection.checked()
    if selection.activity_id is not None and not Activity.select().where(
            Activity.id == selection.activity_id).exists():
        raise NotFoundError(f"找不到活动（{selection.activity_id}）")
    cond = _condition(selection)
    total, minutes = ServiceRecord.select(
        pw.fn.COUNT(ServiceRecord.id), pw.fn.SUM(ServiceRecord.minutes)).where(cond).tuples()[0]
    before = (ServiceRecord.select().join(
        NationalExport, on=(NationalExport.record == ServiceRecord.id)).where(cond).count())
    return ExportPreview(int(total or 0), int(minutes or 0), int(before))


_COLUMNS = (ServiceRecord.id, ServiceRecord.started_at, ServiceRecord.ended_at,
            ServiceRecord.minutes, ServiceRecord.content, Volunteer.number, Volunteer.name,
            Volunteer.id_type, Volunteer.id_number, Volunteer.phone, Activity.name,
            Activity.organizer, Activity.place, Activity.category, Activity.ends_at,
            NationalExport.times)


def _rows(sel: Selection) -> Iterator[tuple]:
    query = (ServiceRecord.select(*_COLUMNS)
             .join(Volunteer, on=(ServiceRecord.volunteer == Volunteer.id))
             .switch(ServiceRecord).join(Activity, on=(ServiceRecord.activity == Activity.id))
             .switch(ServiceRecord)
             .join(NationalExport, pw.JOIN.LEFT_OUTER,
                   on=(NationalExport.record == ServiceRecord.id))
             .where(_condition(sel)).order_by(ServiceRecord.started_at, ServiceRecord.id))
    cursor = database.execute(query)
    while batch := cursor.fetchmany(CHUNK):
        yield from batch


def _moment(value: Any) -> dt.datetime:
    return dt.datetime.fromisoformat(value) if isinstance(value, str) else value


def hours_value(minutes: int) -> float:
    """Hours with two decimals, rounded half up from whole minutes (2 h 5 min → 2.08)."""
    return ((minutes * 100 + 30) // 60) / 100


def record_values(row: tuple, own_unit: str) -> dict[str, Any]:
    """Every field of one record (a row of `_COLUMNS`) as the sheet writes it."""
    (rid, started, ended, minutes, content, number, name, id_type, id_number, phone,
     activity, organizer, place, category, activity_end, _times) = row
    start = _moment(started)
    end = _moment(ended) if ended is not None else _moment(activity_end)
    try:
        type_label = ID_TYPE_LABELS[IdType(id_type)]
    except (ValueError, KeyError):
        type_label = str(id_type)
    return {
        "name": name, "id_type": type_label, "id_number": id_number,
        "volunteer_number": number, "phone": phone, "date": f"{start:%Y-%m-%d}",
        "start_time": f"{start:%H:%M}", "end_time": f"{end:%H:%M}",
        "start": f"{start:%Y-%m-%d %H:%M}", "end": f"{end:%Y-%m-%d %H:%M}",
        "hours": hours_value(int(minutes)), "minutes": int(minutes), "activity": activity,
        "organizer": organizer or own_unit, "place": place, "category": category,
        "content": content, "record_id": int(rid), "": "",
    }


def _cell(sheet: Any, value: Any, numeric: bool) -> Any:
    """A cell whose text stays text: '@' format, string type, and a quote prefix before
    anything Excel or the platform's importer could take for a formula."""
    from openpyxl.cell import WriteOnlyCell

    if numeric and isinstance(value, int | float):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "0.00" if isinstance(value, float) else "0"
        return cell
    text = "" if value is None else str(value)
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"
    cell.number_format = TEXT
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True
    return cell


def export(path: Path, selection: Selection, layout_name: str | None = None,
           include_exported: bool = False, skip_exported: bool = False,
           state: ProgressState | None = None) -> ExportResult:
    """Write the selection's approved records to `path` (.xlsx) in the layout's columns and
    mark them exported, in one transaction (a failed save marks nothing).

    Raises:
        AlreadyExportedError: some records were exported before and neither
            `include_exported` nor `skip_exported` says what to do with them.
        ValidationError: no activity or period, or nothing to export.
        NotFoundError: no such layout or activity.
        Cancelled: the state asked to stop (nothing written, nothing marked).
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    state = state or NullProgress()
    selection = selection.checked()
    chosen = layout(layout_name)
    path = Path(path)
    with writing():
        counted = preview(selection)
        if counted.exported_before and not (include_exported or skip_exported):
            raise AlreadyExportedError(counted.exported_before, counted.records)
        if counted.records - (counted.exported_before if skip_exported else 0) <= 0:
            raise ValidationError("date_from", "所选范围内没有可导出的已审核服务记录"
                                  + ("（均已导出过）" if counted.records else ""))
        own_unit = settings.get(settings.CENTER_NAME)
        book = Workbook(write_only=True)
        sheet = book.create_sheet("服务时长")
        for j, column in enumerate(chosen.columns):
            sheet.column_dimensions[_letter(j)].width = max(10, min(40, len(column.header) * 2
                                                                  + 4))
        bold = Font(bold=True)
        header = []
        for column in chosen.columns:
            cell = _cell(sheet, column.header, False)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        fresh: list[int] = []
        again: list[int] = []
        minutes = skipped = 0
        for row in _rows(selection):
            was_exported = row[-1] is not None
            if was_exported and skip_exported:
                skipped += 1
                continue
            values = record_values(row, own_unit)
            sheet.append([_cell(sheet, values[c.field], c.field in NUMERIC)
                          for c in chosen.columns])
            (again if was_exported else fresh).append(values["record_id"])
            minutes += values["minutes"]
            done = len(fresh) + len(again)
            if done % CHUNK == 0:
                check(state)
                state.set_progress(done, counted.records, "正在导出服务时长")
        check(state)
        _mark(fresh, again, chosen.name, path.name)
        audit.record("export_national", "service_record", path.name, None, {
            "file": str(path), "layout": chosen.name, "count": len(fresh) + len(again),
            "again": len(again), "skipped": skipped, "minutes": minutes,
            "activity": selection.activity_id, "date_from": selection.date_from,
            "date_to": selection.date_to})
        save_atomically(book, path)
    state.set_progress(len(fresh) + len(again), counted.records, "正在导出服务时长")
    return ExportResult(path, chosen.name, len(fresh) + len(again), minutes, len(again),
                        skipped, tuple(sorted(fresh + again)))


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _mark(fresh: list[int], again: list[int], layout_name: str, file_name: str) -> None:
    now, actor = utcnow(), audit.current_actor()
    for first in range(0, len(fresh), CHUNK):
        NationalExport.insert_many(
            [{"record": rid, "exported_at": now, "exported_by": actor, "layout": layout_name,
              "file_name": file_name[:255], "times": 1} for rid in fresh[first:first + CHUNK]]
        ).execute()
    for first in range(0, len(again), CHUNK):
        NationalExport.update(
            exported_at=now, exported_by=actor, layout=layout_name, file_name=file_name[:255],
            times=NationalExport.times + 1,
        ).where(NationalExport.record.in_(again[first:first + CHUNK])).execute()


@dataclass(frozen=True)
class ExportMark:
    record_id: int
    exported_at: dt.datetime
    times: int
    layout: str
    file_name: str


def marks(record_ids: Sequence[int]) -> dict[int, ExportMark]:
    """When the given records were last exported (records never exported are absent)."""
    out: dict[int, ExportMark] = {}
    ids = sorted({int(i) for i in record_ids})
    for first in range(0, len(ids), CHUNK):
        for row in NationalExport.select().where(
                NationalExport.record.in_(ids[first:first + CHUNK])):
            out[row.record_id] = ExportMark(row.record_id, row.exported_at, row.times,
                                            row.layout, row.file_name)
    return out
