"""The volunteer list as one lazy table model.

A city register holds a million volunteers: the model never loads them all. `rowCount` is
the SQL count for the current filter; `data()` asks for a row, the model fetches the page
(PAGE_SIZE rows) holding it through `volunteer_list.page` and keeps at most MAX_PAGES pages
in an LRU cache, so memory stays flat however far the user scrolls. Sorting and filtering
go to SQL (`VolunteerFilter.sort`), never through a QSortFilterProxyModel.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Qt
from PySide6.QtGui import QBrush, QColor

from app.domain.volunteer import IdType, Status
from app.services.volunteers import listing as volunteer_list
from app.services.volunteers.listing import SortKey, VolunteerFilter, VolunteerRow
from app.ui.common.paged_model import EXACT, PagedTableModel

PAGE_SIZE = 200
MAX_PAGES = 64  # 12,800 rows at most in memory: a few MB


class Column(IntEnum):
    NUMBER = 0
    NAME = 1
    SEX = 2
    AGE = 3
    ID_TYPE = 4
    ID_NUMBER = 5
    PHONE = 6
    STREET = 7
    COMMUNITY = 8
    REGISTERED = 9
    STATUS = 10
    HOURS = 11
    STAR = 12
    POINTS = 13


SORT_KEYS: dict[Column, SortKey] = {
    Column.NUMBER: SortKey.NUMBER,
    Column.NAME: SortKey.NAME,
    Column.SEX: SortKey.SEX,
    Column.AGE: SortKey.AGE,
    Column.STREET: SortKey.STREET,
    Column.COMMUNITY: SortKey.COMMUNITY,
    Column.REGISTERED: SortKey.REGISTERED,
    Column.STATUS: SortKey.STATUS,
    Column.HOURS: SortKey.HOURS,
    Column.STAR: SortKey.HOURS,      # the level only grows with the hours: same order
    Column.POINTS: SortKey.POINTS,
}
COLUMN_OF_SORT = {key: col for col, key in SORT_KEYS.items() if col is not Column.STAR}
NUMERIC_COLUMNS = frozenset({Column.AGE, Column.HOURS, Column.POINTS})

CONTEXT = "VolunteerLabels"  # translation context of the labels below

_COLUMN_TITLES = {
    Column.NUMBER: QT_TRANSLATE_NOOP("VolunteerLabels", "Volunteer no."),
    Column.NAME: QT_TRANSLATE_NOOP("VolunteerLabels", "Name"),
    Column.SEX: QT_TRANSLATE_NOOP("VolunteerLabels", "Sex"),
    Column.AGE: QT_TRANSLATE_NOOP("VolunteerLabels", "Age"),
    Column.ID_TYPE: QT_TRANSLATE_NOOP("VolunteerLabels", "ID type"),
    Column.ID_NUMBER: QT_TRANSLATE_NOOP("VolunteerLabels", "ID number"),
    Column.PHONE: QT_TRANSLATE_NOOP("VolunteerLabels", "Mobile"),
    Column.STREET: QT_TRANSLATE_NOOP("VolunteerLabels", "Street"),
    Column.COMMUNITY: QT_TRANSLATE_NOOP("VolunteerLabels", "Community"),
    Column.REGISTERED: QT_TRANSLATE_NOOP("VolunteerLabels", "Registered on"),
    Column.STATUS: QT_TRANSLATE_NOOP("VolunteerLabels", "Status"),
    Column.HOURS: QT_TRANSLATE_NOOP("VolunteerLabels", "Service hours"),
    Column.STAR: QT_TRANSLATE_NOOP("VolunteerLabels", "Star level"),
    Column.POINTS: QT_TRANSLATE_NOOP("VolunteerLabels", "Points"),
}
_STAR_NAMES = (
    QT_TRANSLATE_NOOP("VolunteerLabels", "One star"),
    QT_TRANSLATE_NOOP("VolunteerLabels", "Two stars"),
    QT_TRANSLATE_NOOP("VolunteerLabels", "Three stars"),
    QT_TRANSLATE_NOOP("VolunteerLabels", "Four stars"),
    QT_TRANSLATE_NOOP("VolunteerLabels", "Five stars"),
    QT_TRANSLATE_NOOP("VolunteerLabels", "Six stars"),
    QT_TRANSLATE_NOOP("VolunteerLabels", "Seven stars"),
    QT_TRANSLATE_NOOP("VolunteerLabels", "Eight stars"),
    QT_TRANSLATE_NOOP("VolunteerLabels", "Nine stars"),
    QT_TRANSLATE_NOOP("VolunteerLabels", "Ten stars"),
)
_STATUS_LABELS = {
    Status.ACTIVE: QT_TRANSLATE_NOOP("VolunteerLabels", "Active"),
    Status.SUSPENDED: QT_TRANSLATE_NOOP("VolunteerLabels", "Suspended"),
    Status.WITHDRAWN: QT_TRANSLATE_NOOP("VolunteerLabels", "Withdrawn"),
    Status.MERGED: QT_TRANSLATE_NOOP("VolunteerLabels", "Merged"),
}
_SEX_LABELS = {
    "M": QT_TRANSLATE_NOOP("VolunteerLabels", "Male"),
    "F": QT_TRANSLATE_NOOP("VolunteerLabels", "Female"),
}
_ID_TYPE_LABELS = {
    IdType.RESIDENT: QT_TRANSLATE_NOOP("VolunteerLabels", "Resident ID card"),
    IdType.PASSPORT: QT_TRANSLATE_NOOP("VolunteerLabels", "Passport"),
    IdType.HK_MACAO: QT_TRANSLATE_NOOP("VolunteerLabels", "Mainland travel permit (HK/Macao)"),
    IdType.TAIWAN: QT_TRANSLATE_NOOP("VolunteerLabels", "Mainland travel permit (Taiwan)"),
    IdType.OTHER: QT_TRANSLATE_NOOP("VolunteerLabels", "Other ID"),
}


def _t(text: object) -> str:
    return QCoreApplication.translate(CONTEXT, str(text))


def star_name(level: int) -> str:
    """一星 … for a level (local rules may add tiers beyond five); "" below the first."""
    if level <= 0:
        return ""
    if level <= len(_STAR_NAMES):
        return _t(_STAR_NAMES[level - 1])
    return _t(QT_TRANSLATE_NOOP("VolunteerLabels", "%1 stars")).replace("%1", str(level))


def star_glyphs(level: int) -> str:
    """★ once per level: reads at a glance in a narrow column."""
    return "★" * max(level, 0)


def hours_text(minutes: int) -> str:
    """Minutes as hours with one decimal (12.5): the list stays narrow and sorts by eye."""
    return f"{minutes / 60:.1f}".removesuffix(".0")


def column_title(column: Column) -> str:
    return _t(_COLUMN_TITLES[column])


def status_label(status: Status) -> str:
    return _t(_STATUS_LABELS[status])


def sex_label(sex: str) -> str:
    return _t(_SEX_LABELS[sex]) if sex in _SEX_LABELS else ""


def id_type_label(id_type: IdType | str) -> str:
    try:
        return _t(_ID_TYPE_LABELS[IdType(id_type)])
    except ValueError:
        return str(id_type)


_STATUS_COLORS = {Status.SUSPENDED: QColor("#b26a00"), Status.WITHDRAWN: QColor("#808080"),
                  Status.MERGED: QColor("#808080")}


class VolunteerTableModel(PagedTableModel[VolunteerRow, VolunteerFilter, Column]):
    """Rows of `VolunteerRow` for the current filter, fetched a page at a time.

    Signals:
        countChanged(int): the number of rows after a filter change or refresh.
    """

    columns = Column
    sort_keys = SORT_KEYS
    roles = frozenset({Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.TextAlignmentRole,
                       Qt.ItemDataRole.ToolTipRole})
    recount_on_sort = False   # a count over a million rows costs tens of milliseconds
    count_cap = volunteer_list.COUNT_CAP  # count exactly only while cheap (see count_upto)

    def __init__(self, parent: QObject | None = None, page_size: int = PAGE_SIZE,
                 max_pages: int = MAX_PAGES) -> None:
        super().__init__(VolunteerFilter(statuses=volunteer_list.LISTED_STATUSES), parent,
                         page_size, max_pages)

    def _count_rows(self, flt: VolunteerFilter) -> int:
        return volunteer_list.count(flt)

    def _page_rows(self, flt: VolunteerFilter, offset: int, limit: int) -> list[VolunteerRow]:
        return self._page_rows_after(flt, offset, limit, None)[0]

    def _count_upto(self, flt: VolunteerFilter, cap: int) -> tuple[int, str]:
        found = volunteer_list.count_upto(flt, cap)
        return found.rows, str(found.kind)

    def _page_rows_after(self, flt: VolunteerFilter, offset: int, limit: int,
                         after: Any) -> tuple[list[VolunteerRow], Any]:
        # The count is known, so the page query need not count the matches again to pick
        # its plan; past the cap there are more matches than counted.
        matches = self._count if self.count_kind == EXACT \
            else max(self._count, volunteer_list.COUNT_CAP) + 1
        found = volunteer_list.page_keyed(flt, offset, limit, after=after, matches=matches)
        return found.rows, found.last_key

    def _column_title(self, column: Column) -> str:
        return column_title(column)

    def _cell(self, row: VolunteerRow, column: Column, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.ForegroundRole and column == Column.STAR:
            return QBrush(QColor("#c77700"))
        if role == Qt.ItemDataRole.ForegroundRole:
            color = _STATUS_COLORS.get(row.status)
            return QBrush(color) if color is not None else None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in NUMERIC_COLUMNS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column == Column.STATUS:
            return status_label(row.status)
        if role == Qt.ItemDataRole.ToolTipRole and column == Column.STAR:
            return star_name(row.star_level) or None
        return None

    @staticmethod
    def _display(row: VolunteerRow, column: Column) -> str | int:
        match column:
            case Column.NUMBER:
                return row.number
            case Column.NAME:
                return row.name
            case Column.SEX:
                return sex_label(row.sex)
            case Column.AGE:
                return row.age
            case Column.ID_TYPE:
                return id_type_label(row.id_type)
            case Column.ID_NUMBER:
                return row.id_number
            case Column.PHONE:
                return row.phone
            case Column.STREET:
                return row.street
            case Column.COMMUNITY:
                return row.community
            case Column.REGISTERED:
                return row.registered_on.isoformat()
            case Column.STATUS:
                return status_label(row.status)
            case Column.HOURS:
                return hours_text(row.approved_minutes)
            case Column.STAR:
                return star_glyphs(row.star_level)
            case Column.POINTS:
                return row.points_balance

    def sort_column(self) -> Column:
        return COLUMN_OF_SORT[self._filter.sort]
