"""The settings dialog's Rules page: the register's rules shown, a wrong value refused at its
field with nothing stored, a good change stored and read back through the services."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox

from app.services.common import settings
from app.services.hours import records as service_records
from app.services.points import ledger as points
from app.ui.settings_dialog import SettingsDialog


def open_dialog(qtbot) -> SettingsDialog:
    dialog = SettingsDialog()
    qtbot.addWidget(dialog)
    dialog.resize(720, 560)
    dialog.show()
    dialog.tabs.setCurrentWidget(dialog.rules_tab)
    return dialog


def save(dialog: SettingsDialog) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()


def test_the_rules_page_shows_the_registers_rules(qtbot, register):
    settings.put(settings.POINTS_RATES, "*=1;助老=2")
    settings.put(settings.POINTS_EXPIRY_MONTHS, 24)
    settings.put(settings.HOURS_CAPACITY_MANUAL, "allow")
    dialog = open_dialog(qtbot)
    rules = dialog.rules_tab
    assert dialog.tabs.tabText(dialog.tabs.indexOf(rules)) == "Rules"
    assert rules.star_thresholds.text() == "100,300,600,1000,1500"
    assert rules.rates.rowCount() == 2 and rules.rates.item(1, 0).text() == "助老"
    assert rules.rates_text() == "*=1;助老=2"
    assert rules.expiry_months.value() == 24
    assert rules.min_share.value() == 60 and rules.daily_cap.value() == 720
    assert rules.repeat_seconds.value() == 60 and rules.scan_margin.value() == 120
    assert rules.capacity_manual.currentData() == "allow"
    assert "not recomputed" in rules.points_note.text()
    assert "next scan" in rules.kiosk_note.text()
    assert not any(label.isVisibleTo(rules) for label in rules.errors.values())
    dialog.grab().save("/tmp/settings_rules.png")


def test_a_falling_threshold_list_is_refused_at_its_field(qtbot, register, typist):
    dialog = open_dialog(qtbot)
    rules = dialog.rules_tab
    dialog.tabs.setCurrentIndex(0)
    rules.star_thresholds.clear()
    typist(rules.star_thresholds, "300,100")
    rules.expiry_months.setValue(12)
    rules.rates.item(0, 1).setText("-1")
    save(dialog)
    assert dialog.isVisible()
    assert dialog.tabs.currentWidget() is rules              # the page with the problem
    error = rules.errors["hours.star_thresholds"]
    assert error.isVisibleTo(dialog) and "递增" in error.text()
    assert "0到1000" in rules.errors["points.rates"].text()
    assert not rules.errors["points.expiry_months"].isVisibleTo(dialog)
    dialog.grab().save("/tmp/settings_rules_error.png")
    assert settings.get(settings.STAR_THRESHOLDS) == settings.STAR_THRESHOLDS.default
    assert settings.get(settings.POINTS_EXPIRY_MONTHS) == 0    # nothing stored
    assert settings.get(settings.POINTS_RATES) == "*=1"
    rules.star_thresholds.setText("100,300")                   # the message goes when fixed
    assert not error.isVisibleTo(dialog)


def test_a_good_change_is_stored_and_read_back(qtbot, register, typist):
    dialog = open_dialog(qtbot)
    rules = dialog.rules_tab
    rules.star_thresholds.clear()
    typist(rules.star_thresholds, "50，150，400")
    rules.add_rate.click()
    row = rules.rates.rowCount() - 1
    rules.rates.item(row, 0).setText("助老")
    rules.rates.item(row, 1).setText("2")
    rules.rates.item(0, 1).setText("0.5")
    rules.expiry_months.setValue(12)
    rules.min_share.setValue(50)
    rules.daily_cap.setValue(600)
    rules.repeat_seconds.setValue(30)
    rules.scan_margin.setValue(45)
    rules.capacity_manual.setCurrentIndex(rules.capacity_manual.findData("allow"))
    with qtbot.waitSignal(dialog.saved):
        save(dialog)
    assert service_records.star_policy().thresholds_hours == (50, 150, 400)
    policy = points.policy()
    assert policy.rate_for("助老") == 2 and policy.rate_for("环保") == 0.5
    assert policy.expiry_months == 12
    hours = service_records.hours_policy()
    assert (hours.min_scan_share_percent, hours.daily_cap_minutes, hours.scan_repeat_seconds,
            hours.scan_margin_minutes) == (50, 600, 30, 45)
    assert settings.capacity_manual() == "allow"

    again = open_dialog(qtbot)
    assert again.rules_tab.star_thresholds.text() == "50,150,400"
    assert again.rules_tab.rates_text() == "*=0.5;助老=2"
    assert again.rules_tab.scan_margin.value() == 45
