"""The settings dialog: register settings go to the database, desk settings to QSettings."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox

from app.services.common import settings
from app.ui import desk_settings
from app.ui.settings_dialog import SettingsDialog


def save(dialog: SettingsDialog) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()


def test_saves_center_name_policy_and_desk_choices(qtbot, register, typist, tmp_path):
    dialog = SettingsDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.center_name.text() == settings.CENTER_NAME.default
    dialog.center_name.clear()
    typist(dialog.center_name, "阳光社会组织孵化中心")
    dialog.guardian_under.setValue(14)
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    dialog.use_sqlite.setChecked(True)
    dialog.sqlite_path.setText(str(tmp_path / "other.sqlite3"))
    with qtbot.waitSignal(dialog.saved):
        save(dialog)
    assert settings.get(settings.CENTER_NAME) == "阳光社会组织孵化中心"
    assert settings.get(settings.GUARDIAN_UNDER) == 14
    assert desk_settings.LANGUAGE.get() == "en"
    assert desk_settings.REGISTER_TARGET.get() == str(tmp_path / "other.sqlite3")

    again = SettingsDialog()
    qtbot.addWidget(again)
    assert again.center_name.text() == "阳光社会组织孵化中心"
    assert again.use_sqlite.isChecked()


def test_bad_values_are_shown_and_nothing_is_saved(qtbot, register):
    dialog = SettingsDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.center_name.clear()
    dialog.use_postgres.setChecked(True)
    dialog.postgres_url.setText("mysql://server/db")
    dialog.min_age.setValue(18)
    dialog.guardian_under.setValue(14)
    save(dialog)
    assert dialog.isVisible()
    assert dialog.register_error.isVisibleTo(dialog)
    assert dialog.center_name_error.text()
    assert dialog.policy_error.text()
    assert dialog.tabs.currentIndex() == 1          # the first tab with a problem
    assert settings.get(settings.CENTER_NAME) == settings.CENTER_NAME.default
    assert desk_settings.REGISTER_TARGET.get() == ""


def test_desk_settings_registry_reads_typed_values(qtbot):
    assert {s.key for s in desk_settings.REGISTRY} >= {"ui/language", "register/target"}
    assert all(s.description for s in desk_settings.REGISTRY)
    assert desk_settings.LANGUAGE.get() == "zh_CN"
    desk_settings.LANGUAGE.set("en")
    assert desk_settings.LANGUAGE.get() == "en"
    assert not desk_settings.demo_offered("a.sqlite3")
    desk_settings.mark_demo_offered("a.sqlite3")
    desk_settings.mark_demo_offered("b.sqlite3")
    assert desk_settings.demo_offered("a.sqlite3") and desk_settings.demo_offered("b.sqlite3")
