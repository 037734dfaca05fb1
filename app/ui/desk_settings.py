"""Desk-only preferences (this computer, this user) in one typed registry over QSettings.

Settings shared by every desk on a register live in the database (app.services.common.settings);
what belongs to one desk — language, which register to open, window layout — lives here.
Each entry declares its key, default, type and a description, so the settings dialog and
tests read one list instead of scattered `QSettings().value("...")` calls.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar, cast

from PySide6.QtCore import QByteArray, QSettings

T = TypeVar("T", str, int, bool, QByteArray)

ORGANIZATION = "Yilian"
APPLICATION = "Yilian"


@dataclass(frozen=True)
class DeskSetting(Generic[T]):
    """One preference: `get()` always returns a value of `kind`, never a QVariant surprise.

    Args:
        key: the QSettings key ("group/name").
        default: returned when the key is missing or unreadable.
        kind: the Python type of the value (str, int, bool or QByteArray).
        description: what the setting means, for the settings dialog and documentation.
    """

    key: str
    default: T
    kind: type[T]
    description: str

    def get(self, store: QSettings | None = None) -> T:
        store = store or QSettings()
        raw = store.value(self.key)
        if raw is None:
            return self.default
        return self._coerce(raw)

    def set(self, value: T, store: QSettings | None = None) -> None:
        store = store or QSettings()
        store.setValue(self.key, value)

    def reset(self, store: QSettings | None = None) -> None:
        (store or QSettings()).remove(self.key)

    def _coerce(self, raw: object) -> T:
        try:
            return cast(T, _convert(self.kind, raw))
        except (TypeError, ValueError):
            return self.default


def _convert(kind: type, raw: object) -> object:
    """INI files hand everything back as text; the native backends keep types."""
    if kind is bool:
        return raw.strip().lower() in ("1", "true", "yes") if isinstance(raw, str) else bool(raw)
    if kind is int:
        return int(str(raw))
    if kind is QByteArray:
        if isinstance(raw, QByteArray):
            return raw
        if isinstance(raw, bytes | bytearray):
            return QByteArray(bytes(raw))
        raise TypeError(f"not bytes: {raw!r}")
    return str(raw)


LANGUAGE = DeskSetting("ui/language", "zh_CN", str,
                       "Interface language: zh_CN (default) or en")
REGISTER_TARGET = DeskSetting(
    "register/target", "", str,
    "Register opened at start: a SQLite file or a postgresql:// URL; empty = default file")
LAST_OPENED = DeskSetting(
    "register/last_opened", "", str,
    "The register file opened at the last start (to notice it missing, e.g. a share offline)")
DEMO_OFFERED_FOR = DeskSetting(
    "register/demo_offered_for", "", str,
    "Registers (one per line) for which demo data has been offered already")
LAST_FOLDER = DeskSetting("ui/last_folder", "", str,
                          "Folder last used for import, export and templates")
MAIN_GEOMETRY = DeskSetting("main/geometry", QByteArray(), QByteArray,
                            "Main window position and size")
MAIN_STATE = DeskSetting("main/state", QByteArray(), QByteArray,
                         "Main window toolbars and docks")
VOLUNTEER_HEADER = DeskSetting("volunteers/header", QByteArray(), QByteArray,
                               "Volunteer list column widths and order")
VOLUNTEER_SPLITTER = DeskSetting("volunteers/splitter", QByteArray(), QByteArray,
                                 "Width of the volunteer list against the detail panel")
UPKEEP_LAST_RUN = DeskSetting("register/upkeep_last_run", "", str,
                              "Date the start-up upkeep (check-outs, points expiry) last ran")

REGISTRY: tuple[DeskSetting, ...] = (
    LANGUAGE, REGISTER_TARGET, LAST_OPENED, DEMO_OFFERED_FOR, LAST_FOLDER, MAIN_GEOMETRY,
    MAIN_STATE, VOLUNTEER_HEADER, VOLUNTEER_SPLITTER, UPKEEP_LAST_RUN,
)

LANGUAGES = ("zh_CN", "en")


def demo_offered(target: str) -> bool:
    return target in DEMO_OFFERED_FOR.get().splitlines()


def mark_demo_offered(target: str) -> None:
    targets = DEMO_OFFERED_FOR.get().splitlines()
    if target not in targets:
        DEMO_OFFERED_FOR.set("\n".join([*targets, target]))
