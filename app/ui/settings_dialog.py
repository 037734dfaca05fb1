"""Settings: this desk's preferences (QSettings) and the register's shared ones (database).

Desk preferences — language and which register to open — are written to `desk_settings`
and take effect at the next start (switching a live register under open windows would
leave them showing another database's rows). The center's name and logo and the minor
policy, and the kiosk's staff PIN and out-of-window rule, belong to the register, so every
desk prints and checks the same; they go through `app.services.common.settings`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.services import register
from app.services.common import settings
from app.ui import desk_settings
from app.ui.common.backup_settings import BackupSettingsTab
from app.ui.resources import child, load_form
from app.ui.settings_rules import RulesTab

LANGUAGE_NAMES = {"zh_CN": "中文（简体）", "en": "English"}


class SettingsDialog(QDialog):
    """Edit desk and register settings.

    Signals:
        saved(): after the settings were stored.
    """

    saved = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self.form = load_form("settings_dialog", self)
        QVBoxLayout(self).addWidget(self.form)
        f = self.form
        self.tabs = child(f, QTabWidget, "tabs")
        self.language = child(f, QComboBox, "language")
        self.current_location = child(f, QLabel, "current_location")
        self.data_folder = child(f, QLabel, "data_folder")
        self.use_default = child(f, QRadioButton, "use_default")
        self.use_sqlite = child(f, QRadioButton, "use_sqlite")
        self.use_postgres = child(f, QRadioButton, "use_postgres")
        self.sqlite_path = child(f, QLineEdit, "sqlite_path")
        self.postgres_url = child(f, QLineEdit, "postgres_url")
        self.register_error = child(f, QLabel, "register_error")
        self.center_name = child(f, QLineEdit, "center_name")
        self.center_name_error = child(f, QLabel, "center_name_error")
        self.logo_path = child(f, QLineEdit, "logo_path")
        self.logo_error = child(f, QLabel, "logo_error")
        self.logo_preview = child(f, QLabel, "logo_preview")
        self.min_age = child(f, QSpinBox, "min_age")
        self.guardian_under = child(f, QSpinBox, "guardian_under")
        self.policy_error = child(f, QLabel, "policy_error")
        self.kiosk_pin = child(f, QLineEdit, "kiosk_pin")
        self.kiosk_pin_error = child(f, QLabel, "kiosk_pin_error")
        self.outside_window = child(f, QComboBox, "outside_window")
        self.kiosk_pin.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
        self.outside_window.addItem(self.tr("Refuse them"), "refuse")
        self.outside_window.addItem(self.tr("Accept them with a warning (same day only)"),
                                    "warn")
        self.buttons = child(f, QDialogButtonBox, "button_box")
        self.certificate_tab = self._certificate_tab()
        self.tabs.addTab(self.certificate_tab, self.tr("Certificates"))
        self.rules_tab = RulesTab(self)
        self.tabs.addTab(self.rules_tab, self.tr("Rules"))
        self.backup_tab = BackupSettingsTab(self)
        self.tabs.addTab(self.backup_tab, self.tr("Backups"))
        for label in (self.register_error, self.center_name_error, self.logo_error,
                      self.policy_error, self.kiosk_pin_error, self.verify_url_error):
            label.setStyleSheet("color: #d32f2f")
            label.hide()
        for spin in (self.min_age, self.guardian_under):
            spin.setSuffix(self.tr(" years"))
        for code, name in LANGUAGE_NAMES.items():
            self.language.addItem(name, code)

        child(f, QPushButton, "sqlite_browse").clicked.connect(self.browse_sqlite)
        child(f, QPushButton, "test_connection").clicked.connect(self.test_connection)
        child(f, QPushButton, "logo_browse").clicked.connect(self.browse_logo)
        child(f, QPushButton, "logo_clear").clicked.connect(self.logo_path.clear)
        self.logo_path.textChanged.connect(self._show_logo)
        for radio in (self.use_default, self.use_sqlite, self.use_postgres):
            radio.toggled.connect(self._update_register_inputs)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.load()
        self.resize(680, 420)

    def load(self) -> None:
        self.language.setCurrentIndex(max(self.language.findData(desk_settings.LANGUAGE.get()),
                                          0))
        self.current_location.setText(register.describe())
        self.data_folder.setText(self.tr("Data folder (default register, log file): %1")
                                 .replace("%1", str(register.default_data_dir())))
        target = desk_settings.REGISTER_TARGET.get()
        if register.is_postgres_url(target):
            self.use_postgres.setChecked(True)
            self.postgres_url.setText(target)
        elif target:
            self.use_sqlite.setChecked(True)
            self.sqlite_path.setText(target)
        else:
            self.use_default.setChecked(True)
        self._update_register_inputs()
        self.center_name.setText(settings.get(settings.CENTER_NAME))
        self.logo_path.setText(settings.get(settings.CENTER_LOGO))
        self.min_age.setValue(settings.get(settings.MIN_AGE))
        self.guardian_under.setValue(settings.get(settings.GUARDIAN_UNDER))
        self.kiosk_pin.setText(settings.get(settings.KIOSK_PIN))
        self.outside_window.setCurrentIndex(
            max(self.outside_window.findData(settings.outside_window()), 0))
        self.verify_url.setText(settings.get(settings.CERT_VERIFY_URL))
        self.rules_tab.load()
        self.backup_tab.load()
        self._show_logo()

    def _certificate_tab(self) -> QWidget:
        """The public verification page: its address (the QR then holds ADDRESS#PAYLOAD)
        and a button that writes the page to put there."""
        tab = QWidget(self)
        self.verify_url = QLineEdit(tab)
        self.verify_url.setObjectName("verify_url")
        self.verify_url.setPlaceholderText("https://www.example.org.cn/verify.html")
        self.verify_url_error = QLabel(tab)
        self.verify_page_button = QPushButton(self.tr("Generate verification page…"), tab)
        self.verify_page_button.setObjectName("verify_page_button")
        self.verify_page_button.clicked.connect(self.choose_verify_page)
        self.verify_page_message = QLabel(tab)
        self.verify_page_message.setWordWrap(True)
        hint = QLabel(self.tr(
            "Put the generated page on any web host (the centre's website, an official-account "
            "link) and enter its address here. Certificates printed afterwards carry a QR a "
            "phone camera opens there; the page checks the signature in the browser and sends "
            "nothing anywhere. Leave empty to keep the plain signed code."), tab)
        hint.setWordWrap(True)
        form = QFormLayout(tab)
        form.addRow(self.tr("Verification page address"), self.verify_url)
        form.addRow("", self.verify_url_error)
        form.addRow(hint)
        form.addRow("", self.verify_page_button)
        form.addRow(self.verify_page_message)
        return tab

    def choose_verify_page(self) -> None:
        folder = desk_settings.LAST_FOLDER.get() or str(Path.home())
        path, _f = QFileDialog.getSaveFileName(
            self, self.tr("Save verification page"), str(Path(folder) / "verify.html"),
            self.tr("Web page (*.html)"))
        if path:
            desk_settings.LAST_FOLDER.set(str(Path(path).parent))
            self.write_verify_page(Path(path).with_suffix(".html"))

    def write_verify_page(self, path: Path) -> Path | None:
        """Write the self-contained verification page (with this register's public key)."""
        from app.services.hours import verify_page
        from app.ui.common.errors import show_error, user_message

        try:
            written = verify_page.write(path)
        except OSError as exc:  # said as every GUI export says it, not in the OS's words
            message = user_message(exc)
            self.verify_page_message.setText(message or "")
            if message is None:  # no file named: not the user's to fix
                show_error(self, exc)
            return None
        self.verify_page_message.setText(
            self.tr("Saved %1. Put it on the web and enter its address above.")
            .replace("%1", str(written)))
        return written

    def _update_register_inputs(self) -> None:
        self.sqlite_path.setEnabled(self.use_sqlite.isChecked())
        child(self.form, QPushButton, "sqlite_browse").setEnabled(self.use_sqlite.isChecked())
        self.postgres_url.setEnabled(self.use_postgres.isChecked())
        child(self.form, QPushButton, "test_connection").setEnabled(
            self.use_postgres.isChecked())

    def _show_logo(self) -> None:
        pixmap = QPixmap(self.logo_path.text().strip()) if self.logo_path.text().strip() \
            else QPixmap()
        if pixmap.isNull():
            self.logo_preview.setPixmap(QPixmap())
            self.logo_preview.setText(self.tr("No logo"))
        else:
            self.logo_preview.setPixmap(pixmap.scaled(
                self.logo_preview.size(), Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation))

    def browse_sqlite(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Choose register file"), self.sqlite_path.text(),
            self.tr("Yilian register (*.sqlite3);;All files (*)"),
            options=QFileDialog.Option.DontConfirmOverwrite)
        if path:
            self.sqlite_path.setText(path)

    def browse_logo(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Choose logo"), self.logo_path.text(),
            self.tr("Images (*.png *.jpg *.jpeg *.svg)"))
        if path:
            self.logo_path.setText(path)

    def test_connection(self) -> bool:
        """Try the PostgreSQL URL now, so a typo is found here and not at the next start."""
        url = self.postgres_url.text().strip()
        error = self._check_postgres(url)
        if error is None:
            try:
                register.try_connect(url)
            except Exception as exc:  # any driver error means "cannot connect"; show it
                error = self.tr("Cannot connect: %1").replace("%1", str(exc).strip())
        self._show_error(self.register_error, error or "")
        if error is None:
            self.register_error.setStyleSheet("color: #2e7d32")
            self.register_error.setText(self.tr("Connected."))
            self.register_error.show()
        return error is None

    def _check_postgres(self, url: str) -> str | None:
        if not register.is_postgres_url(url):
            return self.tr("Enter an address starting with postgresql://")
        return None

    @staticmethod
    def _show_error(label: QLabel, text: str) -> None:
        label.setStyleSheet("color: #d32f2f")
        label.setText(text)
        label.setVisible(bool(text))

    def register_target(self) -> str | None:
        """What to store as the register to open next time ("" = default); None if invalid."""
        if self.use_postgres.isChecked():
            url = self.postgres_url.text().strip()
            error = self._check_postgres(url)
            self._show_error(self.register_error, error or "")
            return None if error else url
        if self.use_sqlite.isChecked():
            path = self.sqlite_path.text().strip()
            if not path:
                self._show_error(self.register_error, self.tr("Choose the register file."))
                return None
            self._show_error(self.register_error, "")
            return str(Path(path).expanduser())
        return ""

    def save(self) -> bool:
        """Check every tab, then store; on a problem show it at its field and keep the dialog."""
        target = self.register_target()
        name = self.center_name.text().strip()
        self._show_error(self.center_name_error,
                         "" if name else self.tr("Enter the center's name."))
        logo = self.logo_path.text().strip()
        logo_ok = not logo or Path(logo).is_file()
        self._show_error(self.logo_error, "" if logo_ok else self.tr("No such file."))
        policy_ok = self.min_age.value() < self.guardian_under.value()
        self._show_error(self.policy_error, "" if policy_ok else self.tr(
            "The guardian age must be above the youngest age accepted."))
        pin = self.kiosk_pin.text().strip()
        pin_ok = settings.valid_pin(pin)
        self._show_error(self.kiosk_pin_error, "" if pin_ok else self.tr(
            "The PIN must be 4 to 8 digits."))
        verify_url = self.verify_url.text().strip()
        url_ok = settings.valid_verify_url(verify_url)
        self._show_error(self.verify_url_error, "" if url_ok else self.tr(
            "Enter an address starting with http:// or https://, without #."))
        problems = [(target is None, 1), (not name or not logo_ok, 2), (not policy_ok, 3),
                    (not pin_ok, 4), (not url_ok, self.tabs.indexOf(self.certificate_tab)),
                    (bool(self.rules_tab.validate()), self.tabs.indexOf(self.rules_tab)),
                    (bool(self.backup_tab.validate()), self.tabs.indexOf(self.backup_tab))]
        for bad, tab in problems:
            if bad:
                self.tabs.setCurrentIndex(tab)
                return False
        assert target is not None
        desk_settings.LANGUAGE.set(self.language.currentData())
        desk_settings.REGISTER_TARGET.set(target)
        settings.put(settings.CENTER_NAME, name)
        settings.put(settings.CENTER_LOGO, logo)
        settings.put(settings.MIN_AGE, self.min_age.value())
        settings.put(settings.GUARDIAN_UNDER, self.guardian_under.value())
        settings.put(settings.KIOSK_PIN, pin)
        settings.put(settings.KIOSK_OUTSIDE_WINDOW, str(self.outside_window.currentData()))
        settings.put(settings.CERT_VERIFY_URL, verify_url)
        self.rules_tab.save()
        self.backup_tab.save()
        self.saved.emit()
        self.accept()
        return True
