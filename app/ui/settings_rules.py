"""The settings dialog's Rules page (规则): the local rules for stars, points, hours and the
kiosk, each with its check at the field and a note of when a change takes effect.

The checks are the service's (`settings.check_rules`), so the page and a command line
refuse the same values; the page only arranges the widgets and shows the messages.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import ValidationError
from app.domain.points import DEFAULT_CATEGORY, parse_rates
from app.services.common import settings
from app.services.common.settings import SettingKey

ERROR_STYLE = "color: #d32f2f"
NOTE_STYLE = "color: #616161"
ROLE_CATEGORY = Qt.ItemDataRole.UserRole


class RulesTab(QWidget):
    """Stars, points, hours and kiosk rules of the register (shared by every desk)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.errors: dict[str, QLabel] = {}
        body = QWidget(self)
        column = QVBoxLayout(body)
        column.addWidget(self._stars_box(body))
        column.addWidget(self._points_box(body))
        column.addWidget(self._hours_box(body))
        column.addWidget(self._kiosk_box(body))
        column.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area = scroll
        scroll.setWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        # A message goes as soon as its field is edited, not only at the next save.
        self.star_thresholds.textChanged.connect(
            lambda: self._clear(settings.STAR_THRESHOLDS))
        self.rates.itemChanged.connect(lambda _item: self._clear(settings.POINTS_RATES))

    # ---- building ----------------------------------------------------------------------

    def _field(self, form: QFormLayout, label: str, widget: QWidget, key: SettingKey) -> None:
        """A row for one rule, with its error line under it (hidden while the value is fine)."""
        widget.setObjectName(key.key.replace(".", "_"))
        widget.setToolTip(key.description)
        error = QLabel(widget.parentWidget())
        error.setObjectName(widget.objectName() + "_error")
        error.setStyleSheet(ERROR_STYLE)
        error.setWordWrap(True)
        error.hide()
        self.errors[key.key] = error
        form.addRow(label, widget)
        form.addRow("", error)

    @staticmethod
    def _note(form: QFormLayout, text: str) -> QLabel:
        note = QLabel(text)
        note.setWordWrap(True)
        note.setStyleSheet(NOTE_STYLE)
        form.addRow(note)
        return note

    def _spin(self, parent: QWidget, key: SettingKey, suffix: str) -> QSpinBox:
        spin = QSpinBox(parent)
        low, high, _name, _unit = settings.RULE_LIMITS[key.key]
        spin.setRange(low, high)
        spin.setSuffix(suffix)
        spin.setMinimumWidth(120)
        return spin

    def _stars_box(self, parent: QWidget) -> QGroupBox:
        box = QGroupBox(self.tr("Star levels"), parent)
        form = QFormLayout(box)
        self.star_thresholds = QLineEdit(box)
        self.star_thresholds.setPlaceholderText("100,300,600,1000,1500")
        self._field(form, self.tr("Hours for each star (one star first)"),
                    self.star_thresholds, settings.STAR_THRESHOLDS)
        self.stars_note = self._note(form, self.tr(
            "Rising whole hours, separated by commas. Takes effect at once: star levels are "
            "worked out from approved hours, so lists, the detail pane and cards printed "
            "afterwards show the new levels. Cards already printed keep theirs."))
        return box

    def _points_box(self, parent: QWidget) -> QGroupBox:
        box = QGroupBox(self.tr("Points"), parent)
        form = QFormLayout(box)
        self.rates = QTableWidget(0, 2, box)
        self.rates.setHorizontalHeaderLabels([self.tr("Service category"),
                                              self.tr("Points per hour")])
        self.rates.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.rates.verticalHeader().hide()
        self.rates.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.rates.setMinimumHeight(110)
        self.rates.setMaximumHeight(150)
        self.add_rate = QPushButton(self.tr("Add category"), box)
        self.add_rate.setObjectName("add_rate")
        self.remove_rate = QPushButton(self.tr("Remove"), box)
        self.remove_rate.setObjectName("remove_rate")
        self.add_rate.clicked.connect(lambda: self._add_rate_row("", "1", edit=True))
        self.remove_rate.clicked.connect(self._remove_rate_row)
        self.rates.currentCellChanged.connect(lambda *_a: self._update_rate_buttons())
        rates = QWidget(box)
        rates_column = QVBoxLayout(rates)
        rates_column.setContentsMargins(0, 0, 0, 0)
        rates_column.addWidget(self.rates)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_rate)
        buttons.addWidget(self.remove_rate)
        buttons.addStretch(1)
        rates_column.addLayout(buttons)
        self._field(form, self.tr("Points per hour"), rates, settings.POINTS_RATES)
        self.rates.setObjectName("points_rates")
        self.activity_cap = self._spin(box, settings.POINTS_ACTIVITY_CAP, "")
        self.activity_cap.setSpecialValueText(self.tr("No limit"))
        self._field(form, self.tr("Most points per activity"), self.activity_cap,
                    settings.POINTS_ACTIVITY_CAP)
        self.expiry_months = self._spin(box, settings.POINTS_EXPIRY_MONTHS,
                                        self.tr(" months"))
        self.expiry_months.setSpecialValueText(self.tr("Never expire"))
        self._field(form, self.tr("Points expire after"), self.expiry_months,
                    settings.POINTS_EXPIRY_MONTHS)
        self.min_hours = self._spin(box, settings.POINTS_MIN_HOURS_TO_REDEEM, self.tr(" h"))
        self._field(form, self.tr("Hours served before the first redemption"),
                    self.min_hours, settings.POINTS_MIN_HOURS_TO_REDEEM)
        self.points_note = self._note(form, self.tr(
            "Rates and the per-activity limit apply to hours approved from now on; points "
            "already earned are not recomputed. A new expiry period applies at the next "
            "daily run (the first start of a desk each day, or \"yilian points expire\"). "
            "The redemption minimum applies from the next redemption."))
        return box

    def _hours_box(self, parent: QWidget) -> QGroupBox:
        box = QGroupBox(self.tr("Service hours"), parent)
        form = QFormLayout(box)
        self.min_share = self._spin(box, settings.HOURS_MIN_SCAN_SHARE, " %")
        self._field(form, self.tr("Least share of the activity to count"), self.min_share,
                    settings.HOURS_MIN_SCAN_SHARE)
        self.daily_cap = self._spin(box, settings.HOURS_DAILY_CAP, self.tr(" min"))
        self._field(form, self.tr("Most minutes per person per day"), self.daily_cap,
                    settings.HOURS_DAILY_CAP)
        self.capacity_manual = QComboBox(box)
        self.capacity_manual.addItem(self.tr("Refuse them"), "refuse")
        self.capacity_manual.addItem(self.tr("Allow them"), "allow")
        self._field(form, self.tr("Manual entries beyond an activity's capacity"),
                    self.capacity_manual, settings.HOURS_CAPACITY_MANUAL)
        self.hours_note = self._note(form, self.tr(
            "Apply to check-outs and manual entries from now on; hours already counted are "
            "not recounted. The kiosk always accepts people beyond the capacity and warns."))
        return box

    def _kiosk_box(self, parent: QWidget) -> QGroupBox:
        box = QGroupBox(self.tr("Kiosk"), parent)
        form = QFormLayout(box)
        self.repeat_seconds = self._spin(box, settings.HOURS_SCAN_REPEAT_SECONDS,
                                         self.tr(" s"))
        self._field(form, self.tr("A second scan within this is a repeat"),
                    self.repeat_seconds, settings.HOURS_SCAN_REPEAT_SECONDS)
        self.scan_margin = self._spin(box, settings.HOURS_SCAN_MARGIN, self.tr(" min"))
        self._field(form, self.tr("Scans accepted before the start and after the end"),
                    self.scan_margin, settings.HOURS_SCAN_MARGIN)
        self.kiosk_note = self._note(form, self.tr(
            "Apply from the next scan. Check-outs nobody scanned are closed this long after "
            "the activity's end, at the next daily run. What happens to scans outside these "
            "times is set on the Kiosk page."))
        return box

    # ---- the rates table ---------------------------------------------------------------

    def _add_rate_row(self, category: str, rate: str, edit: bool = False) -> None:
        row = self.rates.rowCount()
        self.rates.insertRow(row)
        if category == DEFAULT_CATEGORY:
            name = QTableWidgetItem(self.tr("Any other category"))
            name.setFlags(name.flags() & ~Qt.ItemFlag.ItemIsEditable)
        else:
            name = QTableWidgetItem(category)
        name.setData(ROLE_CATEGORY, category == DEFAULT_CATEGORY)
        self.rates.setItem(row, 0, name)
        self.rates.setItem(row, 1, QTableWidgetItem(rate))
        if edit:
            self.rates.setCurrentCell(row, 0)
            self.rates.editItem(name)
        self._update_rate_buttons()

    def _remove_rate_row(self) -> None:
        row = self.rates.currentRow()
        if row >= 0 and not self._is_default_row(row):
            self.rates.removeRow(row)
        self._update_rate_buttons()

    def _is_default_row(self, row: int) -> bool:
        item = self.rates.item(row, 0)
        return item is not None and bool(item.data(ROLE_CATEGORY))

    def _update_rate_buttons(self) -> None:
        row = self.rates.currentRow()
        self.remove_rate.setEnabled(row >= 0 and not self._is_default_row(row))

    def rates_text(self) -> str:
        """The table as the setting's text ("*=1;助老=2"); rows left wholly empty are skipped."""
        pairs = []
        for row in range(self.rates.rowCount()):
            name, rate = self.rates.item(row, 0), self.rates.item(row, 1)
            category = DEFAULT_CATEGORY if self._is_default_row(row) else \
                (name.text().strip() if name else "")
            value = rate.text().strip() if rate else ""
            if category or value:
                pairs.append(f"{category}={value}")
        return ";".join(pairs)

    # ---- load, check, save -------------------------------------------------------------

    def load(self) -> None:
        self.star_thresholds.setText(settings.get(settings.STAR_THRESHOLDS))
        self.rates.setRowCount(0)
        try:
            rates = parse_rates(settings.get(settings.POINTS_RATES))
        except ValidationError:  # a value stored by hand: show the default, say why at save
            rates = parse_rates(settings.POINTS_RATES.default)
        for category, rate in sorted(rates.items(), key=lambda kv: kv[0] != DEFAULT_CATEGORY):
            self._add_rate_row(category, str(rate))
        self.rates.setCurrentCell(-1, -1)
        self._update_rate_buttons()
        for spin, key in self._spins():
            spin.setValue(settings.get(key))
        self.capacity_manual.setCurrentIndex(
            max(self.capacity_manual.findData(settings.capacity_manual()), 0))
        self._show({})

    def _spins(self) -> list[tuple[QSpinBox, SettingKey[int]]]:
        return [(self.activity_cap, settings.POINTS_ACTIVITY_CAP),
                (self.expiry_months, settings.POINTS_EXPIRY_MONTHS),
                (self.min_hours, settings.POINTS_MIN_HOURS_TO_REDEEM),
                (self.min_share, settings.HOURS_MIN_SCAN_SHARE),
                (self.daily_cap, settings.HOURS_DAILY_CAP),
                (self.repeat_seconds, settings.HOURS_SCAN_REPEAT_SECONDS),
                (self.scan_margin, settings.HOURS_SCAN_MARGIN)]

    def values(self) -> dict[SettingKey, str]:
        """Every rule on the page as typed, by setting."""
        texts: dict[SettingKey, str] = {
            settings.STAR_THRESHOLDS: self.star_thresholds.text(),
            settings.POINTS_RATES: self.rates_text(),
            settings.HOURS_CAPACITY_MANUAL: str(self.capacity_manual.currentData()),
        }
        for spin, key in self._spins():
            texts[key] = str(spin.value())
        return texts

    def validate(self) -> dict[str, str]:
        """Check every rule with the service's checks and show each problem at its field.

        Returns:
            {setting key: Chinese message}; empty when the page can be saved.
        """
        errors = settings.check_rules(self.values())
        self._show(errors)
        return errors

    def _show(self, errors: dict[str, str]) -> None:
        for key, label in self.errors.items():
            label.setText(errors.get(key, ""))
            label.setVisible(key in errors)

    def _clear(self, key: SettingKey) -> None:
        self.errors[key.key].clear()
        self.errors[key.key].hide()

    def save(self) -> bool:
        """Store the rules (all or none); False, with the problems shown, if any is wrong."""
        if self.validate():
            return False
        settings.put_rules(self.values())
        return True
