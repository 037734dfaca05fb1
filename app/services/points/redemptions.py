"""The shop's redemptions as a list for the 爱心超市 screen, newest first.

`app.services.points.shop` makes, reads and undoes one redemption by id; a screen also needs to
find the one to undo or reprint. Kept apart from `shop` so the list (a read, paged by the
primary key) does not grow the module that holds the locking rules.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.services.points.ledger import rows_of
from app.store.models import Redemption, Volunteer


@dataclass(frozen=True)
class RedemptionSummary:
    """One line of the redemptions list."""

    id: int
    number: str
    at: dt.datetime
    volunteer_number: str
    volunteer_name: str
    total_points: int
    status: str          # done / reversed
    actor: str
    reason: str          # why it was undone (empty while it stands)

    @property
    def reversed(self) -> bool:
        return self.status == "reversed"


def recent(offset: int = 0, limit: int = 200, text: str = "") -> list[RedemptionSummary]:
    """Redemptions newest first; `text` narrows to a redemption number or a volunteer's
    number or name (exact or prefix)."""
    query = Redemption.select(
        Redemption.id, Redemption.number, Redemption.at, Volunteer.number, Volunteer.name,
        Redemption.total_points, Redemption.status, Redemption.actor, Redemption.reason) \
        .join(Volunteer, on=(Redemption.volunteer == Volunteer.id))
    text = text.strip()
    if text:
        query = query.where(Redemption.number.startswith(text)
                            | Volunteer.number.startswith(text)
                            | (Volunteer.name == text))
    query = query.order_by(Redemption.id.desc()).offset(offset).limit(limit)
    return [RedemptionSummary(int(i), n, at if isinstance(at, dt.datetime)
                              else dt.datetime.fromisoformat(str(at)), vn, name, int(total),
                              status, actor, reason)
            for i, n, at, vn, name, total, status, actor, reason in rows_of(query)]
