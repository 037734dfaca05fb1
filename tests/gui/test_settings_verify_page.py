"""The settings dialog's certificate tab: the verification page's address (checked, stored
in the register) and the button that writes the page."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox

from app.services.common import settings
from app.services.hours import certificates
from app.ui.settings_dialog import SettingsDialog

ADDRESS = "https://www.example.org.cn/verify.html"


def save(dialog: SettingsDialog) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()


def test_address_is_checked_and_stored(qtbot, register):
    dialog = SettingsDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.verify_url.text() == ""
    dialog.verify_url.setText("www.example.org.cn/verify.html#x")
    save(dialog)
    assert dialog.isVisible()
    assert dialog.verify_url_error.isVisibleTo(dialog)
    assert dialog.tabs.currentWidget() is dialog.certificate_tab
    assert settings.get(settings.CERT_VERIFY_URL) == ""
    dialog.verify_url.setText(f"  {ADDRESS} ")
    with qtbot.waitSignal(dialog.saved):
        save(dialog)
    assert settings.get(settings.CERT_VERIFY_URL) == ADDRESS
    again = SettingsDialog()
    qtbot.addWidget(again)
    assert again.verify_url.text() == ADDRESS


def test_generate_button_writes_the_page(qtbot, register, tmp_path):
    dialog = SettingsDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.verify_page_button.text() == "Generate verification page…"
    written = dialog.write_verify_page(tmp_path / "verify.html")
    assert written == tmp_path / "verify.html"
    text = written.read_text(encoding="utf-8")
    from app.domain import signing

    kid = signing.key_id(signing.load_public_key(certificates.public_key_pem()))
    assert f'"id": "{kid}"' in text
    assert "志愿服务记录证明核验" in text and str(written) in dialog.verify_page_message.text()
    failed = dialog.write_verify_page(tmp_path / "missing" / "verify.html")
    assert failed is None and "missing" in dialog.verify_page_message.text()
