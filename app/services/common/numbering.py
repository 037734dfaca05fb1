"""Numbers the register hands out (volunteer numbers now; certificates later).

The counter only moves forward inside the writing transaction, so two desks never get the
same number and a number once given to a record is never given again.
"""

from __future__ import annotations

from app.store.models import NumberSequence

VOLUNTEER = "volunteer"


def reserve(name: str, count: int = 1) -> int:
    """Reserve `count` consecutive values and return the first. Call inside a transaction."""
    NumberSequence.insert(name=name, next_value=1).on_conflict_ignore().execute()
    NumberSequence.update(next_value=NumberSequence.next_value + count).where(
        NumberSequence.name == name).execute()
    after = NumberSequence.get_by_id(name).next_value
    return int(after) - count
