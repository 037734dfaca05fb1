"""Where the GUI's own files are and how they are loaded: Designer forms, translations, icons.

Forms are loaded at run time with QUiLoader rather than compiled with pyside6-uic: the .ui
file stays the one source (no generated module to forget to regenerate or to review in
diffs), pyside6-lupdate reads its strings directly, and QUiLoader translates them on load
with the form's class name as context. The price is untyped children, paid back by
`child()`, which checks the type and fails loudly if a name in the .ui and the code drift.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import ClassVar, TypeVar

from PySide6.QtCore import (
    QCoreApplication,
    QFile,
    QIODevice,
    QLibraryInfo,
    QLocale,
    QTranslator,
)
from PySide6.QtGui import QIcon
from PySide6.QtUiTools import QUiLoader
from PySide6.QtWidgets import QWidget

from app.ui.common import service_text

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
FORMS_DIR = ROOT / "forms"
RESOURCES_DIR = ROOT / "resources"
TRANSLATIONS_DIR = RESOURCES_DIR / "translations"
ICON_PATH = RESOURCES_DIR / "icons" / "yilian.svg"

W = TypeVar("W", bound=QWidget)
_translators: list[QTranslator] = []  # kept alive as long as the application


def load_form(name: str, parent: QWidget) -> QWidget:
    """Build the widget tree of `forms/<name>.ui` as a child of `parent`."""
    path = FORMS_DIR / f"{name}.ui"
    file = QFile(str(path))
    if not file.open(QIODevice.OpenModeFlag.ReadOnly):
        raise FileNotFoundError(f"form not found: {path}")
    try:
        loader = QUiLoader()
        widget = loader.load(file, parent)
    finally:
        file.close()
    if widget is None:
        raise RuntimeError(f"form {path} could not be loaded: {loader.errorString()}")
    return widget


def child(root: QWidget, kind: type[W], name: str) -> W:
    """The descendant `name` of `root`, which must be a `kind`."""
    found = root.findChild(kind, name)
    if found is None:
        raise LookupError(f"{root.objectName()} has no {kind.__name__} named {name!r}")
    return found


def app_icon() -> QIcon:
    return QIcon(str(ICON_PATH)) if ICON_PATH.is_file() else QIcon()


class _QtGaps(QTranslator):
    """Qt's own strings that qtbase_zh_CN.qm lacks (Qt 6 added the accelerators, the
    translation kept the old source text), so the file dialog said "Look in:" in Chinese."""

    _ZH_CN: ClassVar[dict[tuple[str, str], str]] = {
        ("QFileDialog", "&Look in:"): "查找范围(&L)：",
        ("QFileDialog", "Files of &type:"): "文件类型(&T)：",
    }

    def translate(self, context: str, source: str, disambiguation: str | None = None,
                  n: int = -1) -> str:
        return self._ZH_CN.get((context, source))  # type: ignore[return-value]  # None: a null QString, so the next translator is asked

    def isEmpty(self) -> bool:
        return False


def install_translators(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Install Yilian's and Qt's own translations for `language` (zh_CN or en).

    Source strings are English, so English needs no translator; Chinese loads
    yilian_zh_CN.qm and, for standard buttons and dialogs, Qt's qtbase_zh_CN.qm.
    Returns the translators that loaded.
    """
    for old in _translators:
        app.removeTranslator(old)
    _translators.clear()
    service_text.set_language(language)
    if language == "en":
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        return []
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name, folder in ((f"qtbase_{language}", qt_dir),
                         (f"yilian_{language}", str(TRANSLATIONS_DIR))):
        translator = QTranslator(app)
        if translator.load(name, folder):
            app.installTranslator(translator)
            _translators.append(translator)
        else:
            log.warning("translation %s not found in %s", name, folder)
    if language == "zh_CN":
        gaps = _QtGaps(app)
        app.installTranslator(gaps)
        _translators.append(gaps)
    return list(_translators)
