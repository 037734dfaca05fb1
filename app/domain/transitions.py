"""A small state machine: a frozen table of allowed moves and one error for the rest.

Incubation, legal status and the project lifecycle are machines built from this; keeping the table
as data lets tests enumerate every pair that is not in it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Generic, TypeVar


class IllegalTransition(ValueError):
    """A state change the rules do not allow; `message` is Chinese and names both states.

    Attributes:
        current, target: the refused move.
        allowed: the states `current` may move to (empty for a final state).
        message: the sentence to show the user.
    """

    def __init__(self, current: StrEnum, target: StrEnum, allowed: Iterable[StrEnum],
                 message: str) -> None:
        super().__init__(message)
        self.current = current
        self.target = target
        self.allowed = tuple(allowed)
        self.message = message


S = TypeVar("S", bound=StrEnum)


class StateMachine(Generic[S]):
    """Allowed moves between the members of one StrEnum whose members have a `label`.

    Args:
        moves: for each state, the states it may move to; states left out are final.
        subject: the Chinese name of what changes (e.g. "孵化状态"), used in messages.
    """

    def __init__(self, states: type[S], moves: Mapping[S, Iterable[S]], subject: str) -> None:
        self.states = states
        self.subject = subject
        self.moves: Mapping[S, frozenset[S]] = MappingProxyType(
            {state: frozenset(moves.get(state, ())) for state in states})

    def next_states(self, state: S) -> tuple[S, ...]:
        """The states `state` may move to, in declaration order."""
        allowed = self.moves[state]
        return tuple(s for s in self.states if s in allowed)

    def is_final(self, state: S) -> bool:
        return not self.moves[state]

    def allows(self, current: S, target: S) -> bool:
        return target in self.moves[current]

    def check_move(self, current: S, target: S) -> None:
        """Raise IllegalTransition unless the table allows current -> target."""
        if self.allows(current, target):
            return
        raise IllegalTransition(current, target, self.next_states(current),
                                self.refusal(current, target))

    def refusal(self, current: S, target: S, reason: str = "") -> str:
        """The Chinese sentence for a refused move; `reason` replaces the generic tail."""
        head = f"{self.subject}不能从“{_label(current)}”改为“{_label(target)}”"
        allowed = self.next_states(current)
        if reason:
            tail = reason
        elif not allowed:
            tail = f"“{_label(current)}”是最终状态，不能再变更"
        else:
            names = "、".join(f"“{_label(s)}”" for s in allowed)
            tail = f"“{_label(current)}”之后只能改为{names}"
        if current == target and not reason:
            tail = f"已经是这个状态；{tail}"
        return f"{head}：{tail}"


def _label(state: StrEnum) -> str:
    label = getattr(state, "label", None)
    return label if isinstance(label, str) else state.value
