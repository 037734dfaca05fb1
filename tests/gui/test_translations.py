"""Every message of the Chinese translation is translated, keeps its placeholders, and the
compiled .qm loads and answers."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator

from app.ui.resources import TRANSLATIONS_DIR, install_translators

TS = TRANSLATIONS_DIR / "yilian_zh_CN.ts"
QM = TRANSLATIONS_DIR / "yilian_zh_CN.qm"
ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PLACEHOLDER = re.compile(r"%n|%L?\d+|\{[A-Za-z_][A-Za-z0-9_]*\}")


def messages() -> list[tuple[str, str, list[str]]]:
    """(context, source, translations) for every message in the .ts file."""
    return _messages(TS)


def _messages(ts: Path) -> list[tuple[str, str, list[str]]]:
    found = []
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None
            if translation.get("type") in ("unfinished", "vanished", "obsolete"):
                texts = [""]
            elif message.get("numerus") == "yes":
                texts = [form.text or "" for form in translation.iter("numerusform")]
            else:
                texts = [translation.text or ""]
            found.append((name, message.findtext("source") or "", texts))
    return found


def test_every_source_string_is_in_the_ts_file(tmp_path):
    """lupdate over the sources finds nothing the committed .ts lacks."""
    copy = tmp_path / "check.ts"
    shutil.copy(TS, copy)
    sources = sorted(str(p) for p in (ROOT / "app" / "ui").rglob("*.py"))
    sources += sorted(str(p) for p in (ROOT / "forms").glob("*.ui"))
    subprocess.run([str(BIN / "pyside6-lupdate"), "-no-obsolete", *sources, "-ts", str(copy)],
                   check=True, capture_output=True)
    fresh = {(c, s) for c, s, _ in _messages(copy)}
    committed = {(c, s) for c, s, _ in messages()}
    assert fresh - committed == set(), "run scripts/update-translations.sh and translate"


def test_every_message_is_translated():
    found = messages()
    assert len(found) > 150
    untranslated = [(c, s) for c, s, texts in found if not all(t.strip() for t in texts)]
    assert untranslated == []


@pytest.mark.parametrize(("context", "source", "texts"), messages(),
                         ids=lambda v: v if isinstance(v, str) else None)
def test_placeholders_match(context, source, texts):
    expected = sorted(PLACEHOLDER.findall(source))
    for text in texts:
        assert sorted(PLACEHOLDER.findall(text)) == expected, (context, source, text)


def test_qm_is_compiled_and_translates(qapp, tmp_path):
    fresh = tmp_path / "fresh.qm"
    subprocess.run([str(BIN / "pyside6-lrelease"), str(TS), "-qm", str(fresh)], check=True,
                   capture_output=True)
    assert fresh.read_bytes() == QM.read_bytes(), "run scripts/update-translations.sh"
    translator = QTranslator()
    assert translator.load(str(QM))
    assert translator.translate("VolunteerPage", "Add") == "新增"
    assert translator.translate("VolunteerPage", "%n volunteer(s)", None, 3) == "共 %n 人"


def test_installed_translators_cover_qt_and_yilian(qapp):
    try:
        installed = install_translators(qapp, "zh_CN")
        assert len(installed) == 3        # qtbase_zh_CN, yilian_zh_CN and qtbase's gaps
        assert QCoreApplication.translate("MainWindow", "Volunteers") == "志愿者"
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"
        assert QCoreApplication.translate("VolunteerPage", "%n volunteer(s)", None, 3) == \
            "共 3 人"
    finally:
        assert install_translators(qapp, "en") == []
    assert QCoreApplication.translate("MainWindow", "Volunteers") == "Volunteers"


def test_file_dialog_speaks_chinese(qtbot):
    """qtbase_zh_CN.qm lacks two of the Qt 6 file dialog's labels ("&Look in:")."""
    from PySide6.QtWidgets import QFileDialog, QLabel

    app = QCoreApplication.instance()
    try:
        install_translators(app, "zh_CN")  # type: ignore[arg-type]
        dialog = QFileDialog(None, "x", str(ROOT))
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        qtbot.addWidget(dialog)
        labels = [label.text() for label in dialog.findChildren(QLabel) if label.text()]
        assert len(labels) == 3
        assert not [text for text in labels if re.search("[A-Za-z]{2}", text)], labels
    finally:
        install_translators(app, "en")  # type: ignore[arg-type]


def test_forms_are_covered(qapp):
    sources = {s for _c, s, _t in messages()}
    for form in Path(TRANSLATIONS_DIR.parents[1] / "forms").glob("*.ui"):
        for text in re.findall(r"<string>([^<]+)</string>", form.read_text("utf-8")):
            assert text.replace("&amp;", "&") in sources, (form.name, text)
