"""The 绩效指标 tab: the project's indicators in the three-level table officials use
(一级 产出/效益/满意度 → 二级 数量/质量/… → the indicator), with target, actual, weight and
score, and the weights' and scores' totals.

The table is grouped as it is printed: each 一级 and 二级 name shows on the first row of its
group only. An indicator is added or edited in a small dialog whose 二级 list offers only
what belongs under the chosen 一级; the whole list is then stored through
`indicators.set_indicators`, which checks it (weights at most 100, score at most weight).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import FormErrors
from app.domain.projects.kinds import LEVEL2_UNDER, IndicatorLevel1, IndicatorLevel2
from app.services.projects import indicators
from app.services.projects.indicators import IndicatorDraft, IndicatorLine
from app.services.projects.registration import ProjectRecord
from app.ui.common import enum_text
from app.ui.common.errors import show_error
from app.ui.common.row_table import Col, RowsModel, table_view
from app.ui.orgs.dialogs import CHOICE, MULTILINE, SCORE, TEXT, Field, FieldDialog
from app.ui.projects.dialogs import ProjectFieldDialog

RED = "#c62828"


@dataclass(frozen=True)
class IndicatorRow:
    """One table row: the indicator and whether it opens its 一级 / 二级 group."""

    line: IndicatorLine
    first_of_level1: bool
    first_of_level2: bool


def grouped(lines: list[IndicatorLine]) -> list[IndicatorRow]:
    """Rows in the service's order, marking where each group starts."""
    out = []
    previous: IndicatorLine | None = None
    for line in lines:
        new1 = previous is None or previous.level1 != line.level1
        new2 = new1 or previous is None or previous.level2 != line.level2
        out.append(IndicatorRow(line, new1, new2))
        previous = line
    return out


def number(value: Decimal | None) -> str:
    return "" if value is None else f"{value.normalize():f}"


def draft_of(line: IndicatorLine) -> IndicatorDraft:
    return IndicatorDraft(line.level1, line.level2, line.name, line.unit, line.target,
                          line.actual, line.weight, line.score, line.deviation)


class IndicatorDialog(ProjectFieldDialog):
    """One indicator's fields; the 二级 list follows the 一级 chosen."""

    def __init__(self, parent: QWidget | None, title: str, summary: str,
                 fields: list[Field], action: Any) -> None:
        super().__init__(parent, title, summary, fields, action)
        self.level1 = self.inputs["level1"]
        self.level2 = self.inputs["level2"]
        assert isinstance(self.level1, QComboBox) and isinstance(self.level2, QComboBox)
        self.level1.currentIndexChanged.connect(self._limit_level2)
        self._limit_level2()

    def _limit_level2(self) -> None:
        assert isinstance(self.level1, QComboBox) and isinstance(self.level2, QComboBox)
        level1 = self.fields["level1"].choices[self.level1.currentIndex()][1]
        allowed = LEVEL2_UNDER[level1]
        model = self.level2.model()
        assert isinstance(model, QStandardItemModel)
        choices = self.fields["level2"].choices
        for row, (_text, value) in enumerate(choices):
            item = model.item(row)
            if item is not None:
                item.setEnabled(value in allowed)
        if choices[self.level2.currentIndex()][1] not in allowed:
            self.level2.setCurrentIndex(
                next(n for n, (_t, v) in enumerate(choices) if v in allowed))


class IndicatorsTab(QWidget):
    """Signals:
        changed(): the indicators were saved.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("indicators_tab")
        self.record: ProjectRecord | None = None
        self.lines: list[IndicatorLine] = []
        self.dialog: FieldDialog | None = None
        self.model: RowsModel[IndicatorRow] = RowsModel([
            Col(self.tr("Level 1"),
                lambda r: enum_text.label(r.line.level1) if r.first_of_level1 else ""),
            Col(self.tr("Level 2"),
                lambda r: enum_text.label(r.line.level2) if r.first_of_level2 else ""),
            Col(self.tr("Indicator"), lambda r: r.line.name),
            Col(self.tr("Unit"), lambda r: r.line.unit),
            Col(self.tr("Target"), lambda r: r.line.target),
            Col(self.tr("Actual"), lambda r: r.line.actual),
            Col(self.tr("Weight"), lambda r: number(r.line.weight), True),
            Col(self.tr("Score"), lambda r: number(r.line.score), True),
            Col(self.tr("Deviation and remedy"), lambda r: r.line.deviation)], self)
        self.view = table_view(self.model, self)
        self.view.setObjectName("indicators")
        self.view.doubleClicked.connect(lambda _i: self.edit_current())
        self.totals = QLabel(self)
        self.totals.setObjectName("indicator_totals")
        self.add_button = QPushButton(self.tr("Add…"), self)
        self.add_button.setObjectName("add_indicator")
        self.add_button.clicked.connect(lambda: self.open_editor(None))
        self.edit_button = QPushButton(self.tr("Edit…"), self)
        self.edit_button.clicked.connect(self.edit_current)
        self.remove_button = QPushButton(self.tr("Remove"), self)
        self.remove_button.clicked.connect(self.remove_current)
        self.totals.setWordWrap(True)
        row = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.remove_button):
            row.addWidget(button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.totals)
        layout.addLayout(row)

    def show_project(self, record: ProjectRecord) -> None:
        self.record = record
        self.lines = indicators.indicators(record.id)
        self.model.set_rows(grouped(self.lines))
        self.view.resizeColumnsToContents()
        weight = indicators.weight_total(record.id)
        score = indicators.score_total(record.id)
        text = self.tr("%n indicator(s); weights total %1", "", len(self.lines)).replace(
            "%1", number(weight))
        if score is not None:
            text += self.tr("; score %1").replace("%1", number(score))
        self.totals.setText(text)
        self.totals.setStyleSheet(f"color: {RED}" if self.lines and weight != 100 else "")

    def current_index(self) -> int | None:
        row = self.view.currentIndex().row()
        return row if 0 <= row < len(self.lines) else None

    def open_editor(self, index: int | None) -> FieldDialog | None:
        """Add an indicator (`index` None) or edit the `index`-th; saves the whole list."""
        record = self.record
        if record is None:
            return None
        line = self.lines[index] if index is not None else None
        level1 = line.level1 if line else IndicatorLevel1.OUTPUT
        fields = [
            Field("level1", self.tr("Level 1"), CHOICE, level1,
                  [(enum_text.label(x), x) for x in IndicatorLevel1]),
            Field("level2", self.tr("Level 2"), CHOICE,
                  line.level2 if line else LEVEL2_UNDER[level1][0],
                  [(enum_text.label(x), x) for x in IndicatorLevel2]),
            Field("name", self.tr("Indicator"), TEXT, line.name if line else ""),
            Field("unit", self.tr("Unit"), TEXT, line.unit if line else "",
                  placeholder=self.tr("e.g. persons, sessions, %")),
            Field("target", self.tr("Target"), TEXT, line.target if line else ""),
            Field("actual", self.tr("Actual"), TEXT, line.actual if line else ""),
            Field("weight", self.tr("Weight"), SCORE, number(line.weight) if line else ""),
            Field("score", self.tr("Score"), SCORE, number(line.score) if line else ""),
            Field("deviation", self.tr("Deviation and remedy"), MULTILINE,
                  line.deviation if line else "")]
        drafts = [draft_of(x) for x in self.lines]
        position = index if index is not None else len(drafts)

        def act(v: dict[str, Any]) -> list[IndicatorLine]:
            draft = IndicatorDraft(
                v["level1"], v["level2"], v["name"], v["unit"], v["target"], v["actual"],
                v["weight"] if v["weight"] is not None else Decimal(0), v["score"],
                v["deviation"])
            wanted = [*drafts[:position], draft, *drafts[position + 1:]]
            try:
                return indicators.set_indicators(record.id, wanted)
            except FormErrors as exc:  # keyed indicators[i].field: this dialog's fields
                prefix = f"indicators[{position}]."
                mine = {k[len(prefix):]: m for k, m in exc.errors.items()
                        if k.startswith(prefix)}
                loose = [m for k, m in exc.errors.items() if not k.startswith(prefix)]
                if loose:
                    mine[""] = "\n".join(loose)
                raise FormErrors(mine) from None

        title = self.tr("Edit indicator") if line else self.tr("New indicator")
        dialog = IndicatorDialog(self, title, f"{record.number} {record.name}", fields, act)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.succeeded.connect(lambda _r: self.changed.emit())
        self.dialog = dialog
        dialog.open()
        return dialog

    def edit_current(self) -> FieldDialog | None:
        index = self.current_index()
        return None if index is None else self.open_editor(index)

    def remove_current(self) -> bool:
        index = self.current_index()
        if self.record is None or index is None:
            return False
        kept = [draft_of(x) for n, x in enumerate(self.lines) if n != index]
        try:
            indicators.set_indicators(self.record.id, kept)
        except Exception as exc:
            show_error(self, exc)
            return False
        self.changed.emit()
        return True
