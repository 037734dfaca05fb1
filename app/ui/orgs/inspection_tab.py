"""The 年检 tab: annual inspections year by year, the credit lists, and ratings.

Years the rules say are due but have no record yet are listed too, and a due year past its
deadline is drawn in red. When the inspections suggest a credit-list entry
(`inspections.suggestion`) the tab says so above the lists; staff decide and record it with
列入…, and take an entry off with 移出….
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHeaderView,
    QLabel,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.orgs.kinds import CreditListKind, InspectionResult, Rating
from app.services.orgs import inspections
from app.services.orgs.inspections import CreditLine, InspectionLine
from app.services.orgs.registration import OrgRecord
from app.ui.common import enum_text
from app.ui.common.row_table import Col, RowsModel
from app.ui.common.table_group import table_group
from app.ui.orgs.dialogs import (
    CHOICE,
    DATE,
    MULTILINE,
    NUMBER,
    OPTIONAL_DATE,
    Field,
    FieldDialog,
    open_dialog,
)

TABLE_HEIGHT = 130
MAX_COLUMN = 160          # px; wider text elides
# The credit list's free-text columns (原因, 移出原因): they share what the short ones leave.
CREDIT_TEXT_COLUMNS = (2, 5)


def day(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


class CreditModel(RowsModel[CreditLine]):
    """The credit-list rows; a reason squeezed into its share of the panel shows whole as a
    tooltip however short it is (the shared rule only tips texts over a dozen characters)."""

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and index.column() in CREDIT_TEXT_COLUMNS:
            row = self.row(index.row())
            text = str(self.columns[index.column()].value(row)) if row is not None else ""
            return text or None
        return super().data(index, role)


def fit_credit_columns(view: QTableView) -> None:
    """Dates, list and authority take their text's width; the two reasons stretch over the
    rest, so 移出原因 stays inside the panel at any width instead of behind a scrollbar."""
    header = view.horizontalHeader()
    header.setStretchLastSection(False)  # it would keep 移出原因 at its default 100 px
    for column in range(header.count()):
        mode = (QHeaderView.ResizeMode.Stretch if column in CREDIT_TEXT_COLUMNS
                else QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(column, mode)


class InspectionTab(QScrollArea):
    """Signals:
        changed(): something was recorded; the panel re-reads the organization.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("inspection_tab")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.record: OrgRecord | None = None
        self.dialog: FieldDialog | None = None
        body = QWidget(self)
        self.body = QVBoxLayout(body)
        self.notice = QLabel(body)
        self.notice.setObjectName("suggestion")
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet("background: #fff3e0; color: #8d4a00; padding: 6px;"
                                  "border: 1px solid #ffb74d")
        self.body.addWidget(self.notice)
        self.history: RowsModel[InspectionLine] = RowsModel([
            Col(self.tr("Year"), lambda r: r.year, True),
            Col(self.tr("Deadline"), lambda r: day(r.deadline)),
            Col(self.tr("To supervisor"), lambda r: day(r.supervisor_submitted_on)),
            Col(self.tr("Submitted"), lambda r: day(r.submitted_on)),
            Col(self.tr("Result"), lambda r: enum_text.label(r.result) if r.result is not None
                else r.result_label if r.recorded or r.result_label
                else self.tr("not recorded")),
            Col(self.tr("Concluded"), lambda r: day(r.concluded_on)),
            Col(self.tr("Remarks"), lambda r: r.remarks)], self,
            flagged=lambda r: r.overdue or r.result is InspectionResult.FAIL)
        self.history_view = self._group(self.tr("Annual inspections"), self.history, [
            (self.tr("Record inspection…"), self.open_inspection)])
        self.entries = CreditModel([
            Col(self.tr("List"), lambda r: enum_text.label(r.list_kind)),
            Col(self.tr("Listed on"), lambda r: day(r.listed_on)),
            Col(self.tr("Reason"), lambda r: r.reason),
            Col(self.tr("Authority"), lambda r: r.authority),
            Col(self.tr("Removed on"), lambda r: day(r.removed_on)),
            Col(self.tr("Removal reason"), lambda r: r.removal_reason)], self,
            flagged=lambda r: r.active)
        self.entries_view = self._group(self.tr("Credit lists"), self.entries, [
            (self.tr("List…"), self.open_list_entry),
            (self.tr("Remove…"), self.open_remove_entry)])
        fit_credit_columns(self.entries_view)
        self.ratings: RowsModel[Any] = RowsModel([
            Col(self.tr("Rating"), lambda r: enum_text.label(r.rating)),
            Col(self.tr("Rated on"), lambda r: day(r.rated_on)),
            Col(self.tr("Valid until"), lambda r: day(r.valid_until)),
            Col(self.tr("Evaluator"), lambda r: r.evaluator),
            Col(self.tr("Valid today"), lambda r: self.tr("yes") if r.valid_on_today
                else self.tr("no"))], self)
        self.ratings_view = self._group(self.tr("Ratings"), self.ratings, [
            (self.tr("Rate…"), self.open_rating)])
        self.body.addStretch(1)
        self.setWidget(body)

    def _group(self, title: str, model: RowsModel[Any],
               buttons: list[tuple[str, Any]]) -> QTableView:
        return table_group(title, model, buttons, self.body, TABLE_HEIGHT)

    # -- showing -----------------------------------------------------------------------

    def show_org(self, record: OrgRecord) -> None:
        self.record = record
        org_id = record.id
        self.history.set_rows(inspections.history(org_id))
        self.entries.set_rows(inspections.credit_entries(org_id))
        self.ratings.set_rows(inspections.ratings(org_id))
        for view in (self.history_view, self.ratings_view):
            view.resizeColumnsToContents()
            # A long remark or reason must not push the year off the left edge: wide
            # columns are capped (the full text is in the tooltip and the dialog).
            header = view.horizontalHeader()
            for column in range(header.count()):
                header.resizeSection(column, min(header.sectionSize(column), MAX_COLUMN))
            view.horizontalScrollBar().setValue(0)
        advice = inspections.suggestion(org_id)
        if advice is None:
            self.notice.hide()
            return
        text = self.tr("Suggested: list on the %1.").replace(
            "%1", enum_text.label(advice.list_kind))
        self.notice.setText("\n".join([text, *advice.reasons]))
        self.notice.show()

    # -- actions -----------------------------------------------------------------------

    def _open(self, title: str, fields: list[Field], act: Any) -> FieldDialog | None:
        if self.record is None:
            return None
        self.dialog = open_dialog(self, title, self.record.name, fields, act,
                                  lambda _r: self.changed.emit())
        return self.dialog

    def _selected(self, view: QTableView, model: RowsModel[Any]) -> Any:
        return model.row(view.currentIndex().row())

    def open_inspection(self) -> FieldDialog | None:
        if self.record is None:
            return None
        org_id = self.record.id
        chosen: InspectionLine | None = self._selected(self.history_view, self.history)
        year = chosen.year if chosen is not None else dt.date.today().year - 1
        results: list[tuple[str, Any]] = [(self.tr("(not concluded yet)"), None)]
        results += [(enum_text.label(r), r) for r in InspectionResult]
        fields = [
            Field("year", self.tr("Year"), NUMBER, year, minimum=1950, maximum=2100),
            Field("supervisor_submitted_on", self.tr("Submitted to supervisor"),
                  OPTIONAL_DATE, chosen.supervisor_submitted_on if chosen else None),
            Field("submitted_on", self.tr("Submitted to authority"), OPTIONAL_DATE,
                  chosen.submitted_on if chosen else None),
            Field("result", self.tr("Result"), CHOICE, chosen.result if chosen else None,
                  choices=results),
            Field("concluded_on", self.tr("Concluded on"), OPTIONAL_DATE,
                  chosen.concluded_on if chosen else None),
            Field("remarks", self.tr("Remarks"), MULTILINE, chosen.remarks if chosen else "")]
        return self._open(self.tr("Record inspection"), fields,
                          lambda v: inspections.record(org_id, **v))

    def open_list_entry(self) -> FieldDialog | None:
        if self.record is None:
            return None
        org_id = self.record.id
        advice = inspections.suggestion(org_id)
        kinds = [(enum_text.label(k), k) for k in CreditListKind]
        return self._open(self.tr("List on a credit list"), [
            Field("list_kind", self.tr("List"), CHOICE,
                  advice.list_kind if advice else CreditListKind.ABNORMAL, choices=kinds),
            Field("listed_on", self.tr("Listed on"), DATE),
            Field("reason", self.tr("Reason"), MULTILINE,
                  "；".join(advice.reasons) if advice else ""),
            Field("authority", self.tr("Authority"), default=self.record.draft
                  .registration_authority)],
            lambda v: inspections.list_entry(org_id, **v))

    def open_remove_entry(self) -> FieldDialog | None:
        entry: CreditLine | None = self._selected(self.entries_view, self.entries)
        if entry is None:
            entry = next((e for e in self.entries.rows if e.active), None)
        if self.record is None or entry is None or not entry.active:
            return None
        entry_id = entry.id
        title = self.tr("Remove from the %1").replace("%1", enum_text.label(entry.list_kind))
        return self._open(title, [
            Field("removed_on", self.tr("Removed on"), DATE),
            Field("reason", self.tr("Reason"), MULTILINE)],
            lambda v: inspections.remove_entry(entry_id, **v))

    def open_rating(self) -> FieldDialog | None:
        if self.record is None:
            return None
        org_id = self.record.id
        return self._open(self.tr("Rate"), [
            Field("rating", self.tr("Rating"), CHOICE, Rating.A3,
                  choices=[(enum_text.label(r), r) for r in Rating]),
            Field("rated_on", self.tr("Rated on"), DATE),
            Field("evaluator", self.tr("Evaluator"))],
            lambda v: inspections.rate(org_id, **v))
