"""The figures of one organization's year that the annual report prints but the register
does not hold: staff and members, the activity overview, meetings, the two financial
statements and remarks (`app.services.orgs.year_figures`).

Amounts are typed in 元 with at most two decimals and kept in fen; a cell refuses what is not
an amount and says so under its table, so nothing wrong is ever sent. The service's
`FormErrors` land under the field (or table) they name, on the tab that shows it. Esc or
Cancel on a changed form asks before discarding, as the organization editor does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import FormErrors, ValidationError
from app.services.orgs import annual_report, registration, year_figures
from app.services.orgs.year_figures import Meeting, YearFigures
from app.ui.common.confirm_discard import ConfirmDiscardDialog
from app.ui.common.errors import show_error
from app.ui.common.service_text import shown
from app.ui.orgs.annual import year_field
from app.ui.orgs.dialogs import FieldDialog, open_dialog
from app.ui.orgs.editor import parse_yuan

RED = "#c62828"
ERROR_FILL = QColor("#ffebee")
FEN = Qt.ItemDataRole.UserRole          # the amount of a finance cell, in fen (None: empty)
COUNT_MAX = 9_999_999
MEETING_COLUMNS = ("kind", "held_on", "charter_rule", "attendance", "content")
Parser = Callable[[str, int], tuple[Any, str]]   # (text, row) → (value, shown text); ValueError


def money_text(fen: int | None) -> str:
    """Fen as 元 with two decimals and thousands separators ("12,345.67"); None is ""."""
    if fen is None:
        return ""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole:,}.{cents:02d}"


def parse_amount(text: str, signed: bool = False) -> int | None:
    """An amount in 元 as typed to fen ("" is None); a minus sign only when `signed`.

    Raises:
        ValueError: not an amount with at most two decimals (or negative where it may not be).
    """
    clean = text.strip()
    negative = clean.startswith(("-", "－"))
    if negative:
        if not signed:
            raise ValueError(text)
        clean = clean[1:]
    fen = parse_yuan(clean)
    if fen is None:
        if negative:
            raise ValueError(text)
        return None
    return -fen if negative else fen


def _cell(table: QTableWidget, row: int, column: int) -> QTableWidgetItem:
    """A cell of an amount table (all made when the table is built)."""
    item = table.item(row, column)
    assert item is not None
    return item


class _CheckedDelegate(QStyledItemDelegate):
    """A line editor whose text is parsed before it reaches the model; a refusal leaves the
    cell as it was and reports through `refuse(message)`."""

    def __init__(self, parent: QWidget, parse: Parser, refuse: Callable[[str], None]) -> None:
        super().__init__(parent)
        self.parse = parse
        self.refuse = refuse

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        return QLineEdit(parent)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel,
                     index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, QLineEdit)
        try:
            value, shown = self.parse(editor.text(), index.row())
        except ValueError as exc:
            self.refuse(str(exc))
            return
        model.setData(index, value, FEN)
        model.setData(index, shown, Qt.ItemDataRole.DisplayRole)
        self.refuse("")


class YearFiguresDialog(ConfirmDiscardDialog):
    """Enter or correct the figures of `org_id` for `year`.

    Signals:
        saved(object): the stored `YearFigures`, after which the dialog closes.
    """

    saved = Signal(object)

    def __init__(self, org_id: int, year: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("YearFiguresDialog")
        self.org_id, self.year = org_id, year
        self.error_labels: dict[str, QLabel] = {}
        record = registration.get(org_id)
        self.setWindowTitle(self.tr("Yearly figures %1 — %2").replace(
            "%1", str(year)).replace("%2", record.name))
        layout = QVBoxLayout(self)
        heading = QLabel(self.tr("Figures of %1 for the year %2, as the annual report prints "
                                 "them.").replace("%1", record.name).replace("%2", str(year)),
                         self)
        heading.setWordWrap(True)
        layout.addWidget(heading)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("tabs")
        self.tabs.addTab(self._build_people(), self.tr("Staff and members"))
        self.tabs.addTab(self._build_overview(), self.tr("Activity overview"))
        self.tabs.addTab(self._build_meetings(), self.tr("Meetings"))
        self.tabs.addTab(self._build_finance(), self.tr("Financial statements"))
        self.tabs.addTab(self._build_remarks(), self.tr("Other remarks"))
        layout.addWidget(self.tabs, 1)
        self.message = self._error_label("error")
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(760, 640)
        self.load(year_figures.get(org_id, year))

    # -- building ----------------------------------------------------------------------------

    def _error_label(self, name: str) -> QLabel:
        label = QLabel(self)
        label.setObjectName(f"{name}_error" if name != "error" else "error")
        label.setWordWrap(True)
        label.setStyleSheet(f"color: {RED}")
        label.hide()
        self.error_labels[name] = label
        return label

    def _build_people(self) -> QWidget:
        page = QWidget(self)
        form = QFormLayout(page)
        self.counts: dict[str, QSpinBox] = {}
        for name, label, optional in (
                ("staff_full_time", self.tr("Full-time staff"), False),
                ("staff_part_time", self.tr("Part-time staff"), False),
                ("members_units", self.tr("Unit members"), True),
                ("members_individuals", self.tr("Individual members"), True)):
            spin = QSpinBox(page)
            spin.setObjectName(name)
            spin.setRange(-1 if optional else 0, COUNT_MAX)
            spin.setMaximumWidth(200)
            if optional:   # -1 shows as blank: not a membership organization, nothing printed
                spin.setSpecialValueText(self.tr("(none)"))
            spin.valueChanged.connect(lambda _v, n=name: self._set_error(n, ""))
            self.counts[name] = spin
            box = QVBoxLayout()
            box.setSpacing(1)
            box.addWidget(spin)
            box.addWidget(self._error_label(name))
            form.addRow(label, box)
        note = QLabel(self.tr("Members apply to social groups; leave them at (none) otherwise."),
                      page)
        note.setWordWrap(True)
        form.addRow(note)
        return page

    def _build_overview(self) -> QWidget:
        page = QWidget(self)
        box = QVBoxLayout(page)
        self.overview = QPlainTextEdit(page)
        self.overview.setObjectName("activity_overview")
        self.overview.setTabChangesFocus(True)
        self.overview_count = QLabel(page)
        self.overview_count.setObjectName("overview_count")
        self.overview_count.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.overview.textChanged.connect(self._count_overview)
        box.addWidget(self.overview, 1)
        box.addWidget(self.overview_count)
        box.addWidget(self._error_label("activity_overview"))
        return page

    def _count_overview(self) -> None:
        count = year_figures.overview_length(self.overview.toPlainText())
        limit = year_figures.OVERVIEW_MAX
        self.overview_count.setText(self.tr("%1 / %2 characters").replace(
            "%1", str(count)).replace("%2", str(limit)))
        self.overview_count.setStyleSheet(
            f"color: {RED}; font-weight: bold" if count > limit else "")
        self._set_error("activity_overview", "")

    def _build_meetings(self) -> QWidget:
        page = QWidget(self)
        box = QVBoxLayout(page)
        self.meetings = QTableWidget(0, len(MEETING_COLUMNS), page)
        self.meetings.setObjectName("meetings")
        self.meetings.setHorizontalHeaderLabels([
            self.tr("Meeting"), self.tr("Date (YYYY-MM-DD)"), self.tr("Charter rule"),
            self.tr("Attendance"), self.tr("Topics and resolutions")])
        header = self.meetings.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((110, 130, 130, 130)):
            self.meetings.setColumnWidth(column, width)
        self.meetings.setItemDelegateForColumn(
            1, _CheckedDelegate(self.meetings, self._parse_date,
                                lambda text: self._set_error("meetings", text)))
        self.meetings.itemChanged.connect(lambda _item: self._set_error("meetings", ""))
        buttons = QHBoxLayout()
        self.add_meeting = QPushButton(self.tr("Add meeting"), page)
        self.add_meeting.setObjectName("add_meeting")
        self.add_meeting.clicked.connect(self._add_blank_meeting)
        self.remove_meeting = QPushButton(self.tr("Remove meeting"), page)
        self.remove_meeting.setObjectName("remove_meeting")
        self.remove_meeting.clicked.connect(self.remove_meeting_row)
        buttons.addWidget(self.add_meeting)
        buttons.addWidget(self.remove_meeting)
        buttons.addStretch(1)
        box.addWidget(self.meetings, 1)
        box.addLayout(buttons)
        box.addWidget(self._error_label("meetings"))
        return page

    def _parse_date(self, text: str, _row: int) -> tuple[Any, str]:
        clean = text.strip()
        if not clean:
            return None, ""
        try:
            day = dt.date.fromisoformat(clean)
        except ValueError:
            raise ValueError(self.tr("“%1” is not a date; type it as %2-03-15.").replace(
                "%1", clean).replace("%2", str(self.year))) from None
        return day.isoformat(), day.isoformat()

    def _add_blank_meeting(self) -> None:
        self.add_meeting_row()
        self.meetings.setFocus()

    def add_meeting_row(self, meeting: Meeting | None = None) -> int:
        row = self.meetings.rowCount()
        self.meetings.insertRow(row)
        values = ("", None, "", "", "") if meeting is None else (
            meeting.kind, meeting.held_on, meeting.charter_rule, meeting.attendance,
            meeting.content)
        for column, value in enumerate(values):
            if column == 1:
                item = QTableWidgetItem(value.isoformat() if isinstance(value, dt.date) else "")
            else:
                item = QTableWidgetItem(str(value))
            self.meetings.setItem(row, column, item)
        if meeting is None:
            self.meetings.setCurrentCell(row, 0)
        return row

    def remove_meeting_row(self) -> None:
        rows = sorted({i.row() for i in self.meetings.selectedIndexes()}
                      | ({self.meetings.currentRow()} if self.meetings.currentRow() >= 0
                         else set()), reverse=True)
        for row in rows:
            self.meetings.removeRow(row)
        self._set_error("meetings", "")

    def _build_finance(self) -> QWidget:
        page = QWidget(self)
        box = QVBoxLayout(page)
        box.addWidget(QLabel(self.tr("Balance sheet (in yuan) at 31 December %1").replace(
            "%1", str(self.year)), page))
        self.balance = self._amount_table(
            "balance", year_figures.BALANCE_FIELDS,
            (self.tr("Start of year"), self.tr("End of year")), page)
        box.addWidget(self.balance)
        box.addWidget(self._error_label("balance"))
        box.addWidget(QLabel(self.tr("Statement of activities (in yuan) for %1").replace(
            "%1", str(self.year)), page))
        self.activity = self._amount_table(
            "activity", year_figures.ACTIVITY_FIELDS,
            (self.tr("Unrestricted"), self.tr("Restricted")), page)
        box.addWidget(self.activity)
        box.addWidget(self._error_label("activity"))
        note = QLabel(self.tr("Leave both statements empty to print them as blank forms; "
                              "totals of the statement of activities are computed."), page)
        note.setWordWrap(True)
        box.addWidget(note)
        return page

    def _amount_table(self, key: str, labels: dict[str, str], columns: tuple[str, str],
                      parent: QWidget) -> QTableWidget:
        table = QTableWidget(len(labels), 2, parent)
        table.setObjectName(key)
        table.setHorizontalHeaderLabels(list(columns))
        table.setVerticalHeaderLabels(list(labels.values()))
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        triggers = QAbstractItemView.EditTrigger
        table.setEditTriggers(triggers.DoubleClicked | triggers.SelectedClicked
                              | triggers.EditKeyPressed | triggers.AnyKeyPressed)
        names = list(labels)
        for row in range(len(labels)):
            for column in range(2):
                item = QTableWidgetItem("")
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                      | Qt.AlignmentFlag.AlignVCenter)
                item.setData(FEN, None)
                table.setItem(row, column, item)

        def parse(text: str, row: int) -> tuple[Any, str]:
            name = names[row]
            signed = name in year_figures.SIGNED_FIELDS
            try:
                fen = parse_amount(text, signed)
            except ValueError:
                message = (self.tr("“%1” is not an amount in yuan (at most two decimals, "
                                   "e.g. 12345.67).") if signed else
                           self.tr("“%1” is not an amount in yuan (at most two decimals, "
                                   "not negative, e.g. 12345.67)."))
                raise ValueError(message.replace("%1", text.strip())) from None
            return fen, money_text(fen)

        table.setItemDelegate(_CheckedDelegate(table, parse,
                                               lambda text: self._set_error(key, text)))
        rows_height = sum(table.rowHeight(r) for r in range(table.rowCount()))
        table.setMinimumHeight(min(rows_height, 220) + table.horizontalHeader().height() + 4)
        return table

    def _build_remarks(self) -> QWidget:
        page = QWidget(self)
        box = QVBoxLayout(page)
        box.addWidget(QLabel(self.tr("Other matters to explain, such as how last year's "
                                     "inspection findings were put right."), page))
        self.remarks = QPlainTextEdit(page)
        self.remarks.setObjectName("remarks")
        self.remarks.setTabChangesFocus(True)
        box.addWidget(self.remarks, 1)
        return page

    # -- values ------------------------------------------------------------------------------

    def load(self, fig: YearFigures) -> None:
        """Show `fig`; what is shown now counts as unchanged."""
        for name, spin in self.counts.items():
            value = getattr(fig, name)
            spin.setValue(-1 if value is None else value)
        self.overview.setPlainText(fig.activity_overview)
        self._count_overview()
        self.meetings.setRowCount(0)
        for meeting in fig.meetings:
            self.add_meeting_row(meeting)
        for table, values in ((self.balance, fig.balance), (self.activity, fig.activity)):
            names = list(year_figures.BALANCE_FIELDS if table is self.balance
                         else year_figures.ACTIVITY_FIELDS)
            for row, name in enumerate(names):
                pair = values.get(name)
                for column in range(2):
                    item = _cell(table, row, column)
                    fen = pair[column] if pair else None
                    item.setData(FEN, fen)
                    item.setText(money_text(fen))
        self.remarks.setPlainText(fig.remarks)
        self.clear_errors()
        self.mark_clean()

    def figures(self) -> YearFigures:
        """The form as a `YearFigures` (not validated: the service does that)."""
        counts: dict[str, Any] = {}
        for name, spin in self.counts.items():
            value = spin.value()
            counts[name] = None if value < 0 else value
        return YearFigures(
            org_id=self.org_id, year=self.year, **counts,
            activity_overview=self.overview.toPlainText(),
            meetings=tuple(self._meetings()),
            balance=self._pairs(self.balance, year_figures.BALANCE_FIELDS),
            activity=self._pairs(self.activity, year_figures.ACTIVITY_FIELDS),
            remarks=self.remarks.toPlainText())

    def _meetings(self) -> list[Meeting]:
        out = []
        for row in range(self.meetings.rowCount()):
            def text(column: int, r: int = row) -> str:
                item = self.meetings.item(r, column)
                return item.text() if item is not None else ""
            try:   # the cell's delegate lets only ISO dates in
                held = dt.date.fromisoformat(text(1).strip()) if text(1).strip() else None
            except ValueError:
                held = None
            out.append(Meeting(kind=text(0), held_on=held, charter_rule=text(2),
                               attendance=text(3), content=text(4)))
        return out

    @staticmethod
    def _pairs(table: QTableWidget, labels: dict[str, str]) -> dict[str, tuple[int, int]]:
        """Rows with an amount in either column (the other counts as 0)."""
        out = {}
        for row, name in enumerate(labels):
            start, end = (_cell(table, row, c).data(FEN) for c in range(2))
            if start is not None or end is not None:
                out[name] = (start or 0, end or 0)
        return out

    def snapshot(self) -> YearFigures:
        return self.figures()

    # -- errors ------------------------------------------------------------------------------

    def _set_error(self, name: str, message: str) -> None:
        label = self.error_labels.get(name)
        if label is None:
            return
        label.setText(message)
        label.setVisible(bool(message))

    def clear_errors(self) -> None:
        for name in self.error_labels:
            self._set_error(name, "")
        for table in (self.meetings, self.balance, self.activity):
            for row in range(table.rowCount()):
                for column in range(table.columnCount()):
                    item = table.item(row, column)
                    if item is not None:
                        item.setBackground(QBrush())

    def show_errors(self, errors: dict[str, str]) -> None:
        """Each message under its field; the first tab with one comes to the front."""
        self.clear_errors()
        grouped: dict[str, list[str]] = {}
        for key, message in errors.items():
            group, _, rest = key.partition(".")
            if group not in self.error_labels or group == "error":
                group = "error"
            grouped.setdefault(group, []).append(shown(message))
            self._mark_cell(group, rest)
        for group, messages in grouped.items():
            self._set_error(group, "\n".join(messages))
        pages = {"staff_full_time": 0, "staff_part_time": 0, "members_units": 0,
                 "members_individuals": 0, "activity_overview": 1, "meetings": 2,
                 "balance": 3, "activity": 3}
        tabs = [pages[g] for g in grouped if g in pages]
        if tabs:
            self.tabs.setCurrentIndex(min(tabs))

    def _mark_cell(self, group: str, rest: str) -> None:
        if group == "meetings" and rest.isdigit() and int(rest) < self.meetings.rowCount():
            for column in range(self.meetings.columnCount()):
                item = self.meetings.item(int(rest), column)
                if item is not None:
                    item.setBackground(ERROR_FILL)
        elif group in ("balance", "activity"):
            table = self.balance if group == "balance" else self.activity
            labels = (year_figures.BALANCE_FIELDS if group == "balance"
                      else year_figures.ACTIVITY_FIELDS)
            if rest in labels:
                row = list(labels).index(rest)
                for column in range(2):
                    _cell(table, row, column).setBackground(ERROR_FILL)

    # -- saving and leaving ------------------------------------------------------------------

    def submit(self) -> YearFigures | None:
        """Save through the service; refusals stay in the dialog."""
        self.clear_errors()
        try:
            fig = year_figures.save(self.figures())
        except FormErrors as exc:
            self.show_errors(exc.errors)
            return None
        except ValidationError as exc:
            self.show_errors({exc.field: exc.message})
            return None
        except Exception as exc:
            show_error(self, exc)
            return None
        self.mark_clean()
        self.saved.emit(fig)
        self.accept()
        return fig

    def discard_question(self) -> str:
        return self.tr("The figures have changes that are not saved. Discard them?")


def ask_year(owner: QWidget, org_id: int | None) -> FieldDialog | None:
    """Ask the year (last year by default), then open `YearFiguresDialog` over `owner`."""
    if org_id is None:
        return None
    record = registration.get(org_id)

    def check(values: dict[str, Any]) -> int:
        annual_report.check_year(values["year"])
        return int(values["year"])

    def opened(year: object) -> None:
        dialog = YearFiguresDialog(org_id, int(str(year)), owner)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    # Literal strings, so lupdate files them under this context.
    title = QCoreApplication.translate("YearFiguresDialog", "Yearly figures")
    year_label = QCoreApplication.translate("YearFiguresDialog", "Year")
    return open_dialog(owner, title, record.name, [year_field(year_label)], check, opened)
