"""Settings shared by every desk on a register (kept in the database): the center's
details for printouts and the local rules. Desk-only preferences live in the GUI's QSettings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from app.domain.volunteer import MinorPolicy
from app.services import audit
from app.store.db import writing
from app.store.models import Setting

T = TypeVar("T", str, int, bool)


@dataclass(frozen=True)
class SettingKey(Generic[T]):
    key: str
    default: T
    description: str

    def parse(self, text: str) -> T:
        kind = type(self.default)
        if kind is bool:
            return text.lower() in ("1", "true", "yes")
        return kind(text)


CENTER_NAME = SettingKey("center.name", "社会组织孵化中心", "中心名称（打印在证件和报告上）")
CENTER_LOGO = SettingKey("center.logo_path", "", "中心标志图片文件")
MIN_AGE = SettingKey("volunteer.min_age", 6, "可登记的最小年龄")
GUARDIAN_UNDER = SettingKey("volunteer.guardian_under", 18, "未满此年龄须有监护人同意")
REGISTRY: tuple[SettingKey, ...] = (CENTER_NAME, CENTER_LOGO, MIN_AGE, GUARDIAN_UNDER)


def get(key: SettingKey[T]) -> T:
    row = Setting.get_or_none(Setting.key == key.key)
    return key.default if row is None else key.parse(row.value)


def put(key: SettingKey[T], value: T) -> None:
    with writing():
        old = get(key)
        if old == value:
            return
        Setting.insert(key=key.key, value=str(value)).on_conflict(
            conflict_target=[Setting.key], update={Setting.value: str(value)}).execute()
        audit.record("update", "setting", key.key, {"value": old}, {"value": value})


def minor_policy() -> MinorPolicy:
    return MinorPolicy(min_age=get(MIN_AGE), guardian_under=get(GUARDIAN_UNDER))
