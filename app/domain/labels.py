"""Closed vocabularies stored as English values and shown in Chinese.

The value (``"social_group"``) is what the database and exports hold, so a relabelling never
needs a migration; ``.label`` is what the user reads, and ``from_label`` reads it back from a
spreadsheet.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Self, TypeVar


class LabelledEnum(StrEnum):
    """A StrEnum whose members carry a Chinese label, given once with `set_labels`."""

    @property
    def label(self) -> str:
        return _LABELS[type(self), self.value]

    @classmethod
    def from_label(cls, text: str) -> Self:
        """The member whose label or value is `text` (surrounding spaces ignored).

        Raises:
            ValueError: when nothing matches.
        """
        wanted = text.strip()
        for member in cls:
            if wanted in (member.label, member.value):
                return member
        raise ValueError(f"“{wanted}”不是可选的值")

    @classmethod
    def labels(cls) -> tuple[str, ...]:
        """All labels in declaration order, for combo boxes and import templates."""
        return tuple(member.label for member in cls)


E = TypeVar("E", bound=LabelledEnum)

_LABELS: dict[tuple[type[LabelledEnum], str], str] = {}


def set_labels(cls: type[E], labels: Mapping[E, str]) -> None:
    """Give every member of `cls` its label; a member left out is a programming error."""
    missing = [member.name for member in cls if member not in labels]
    if missing:
        raise TypeError(f"{cls.__name__}: no label for {', '.join(missing)}")
    for member, label in labels.items():
        _LABELS[cls, member.value] = label
