"""Points rules (积分, DOMAIN.md §3): how many points an approved record earns, when points
expire, and the words the ledger and the shop use.

Every locality sets its own rules, so they come from settings as text and numbers and are
parsed here, away from the database, where a test can try every corner. Points are whole
numbers; rates are `Decimal` points per hour ("2 h = 1 point" is a rate of 0.5), and a
record's points are rounded down, so no float ever decides whether someone gets a point.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal, InvalidOperation
from enum import StrEnum

from app.domain.errors import ValidationError

DEFAULT_CATEGORY = "*"
DEFAULT_RATE = Decimal(1)
MAX_RATE = Decimal(1000)
_PAIR_SPLIT = re.compile(r"[;；,，\n]+")
_KEY_VALUE = re.compile(r"\s*(.+?)\s*[=＝:：]\s*(\S+)\s*$")


class EntryKind(StrEnum):
    """What a ledger row is. Credits: earn, bonus, a positive adjust, the reverse of a debit.
    Debits: redeem, expire, a negative adjust, the reverse of a credit."""

    EARN = "earn"
    BONUS = "bonus"
    ADJUST = "adjust"
    REDEEM = "redeem"
    EXPIRE = "expire"
    REVERSE = "reverse"
    TRANSFER_OUT = "transfer_out"  # closes a merged record's ledger
    TRANSFER_IN = "transfer_in"    # opens it on the kept record, dated as originally earned

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


KIND_LABELS = {
    EntryKind.EARN: "服务获得", EntryKind.BONUS: "奖励", EntryKind.ADJUST: "调整",
    EntryKind.REDEEM: "兑换", EntryKind.EXPIRE: "过期", EntryKind.REVERSE: "冲正",
    EntryKind.TRANSFER_OUT: "合并转出", EntryKind.TRANSFER_IN: "合并转入",
}

# Entries a person may reverse one by one; a redemption is undone in the shop (its stock
# comes back too) and an expiry is not undone (adjust instead, with a reason).
REVERSIBLE = frozenset({EntryKind.EARN, EntryKind.BONUS, EntryKind.ADJUST})


class MovementKind(StrEnum):
    """Stock movements of the shop; quantities are signed (issue and write_off negative)."""

    RECEIVE = "receive"
    ISSUE = "issue"
    RETURN = "return"
    WRITE_OFF = "write_off"

    @property
    def label(self) -> str:
        return MOVEMENT_LABELS[self]


MOVEMENT_LABELS = {
    MovementKind.RECEIVE: "入库", MovementKind.ISSUE: "兑换出库",
    MovementKind.RETURN: "撤销退回", MovementKind.WRITE_OFF: "报损",
}


class PointsError(ValidationError):
    """A points or shop operation refused as a whole; `reasons` lists every cause found.

    A ValidationError, so the GUI shows `message` as a plain Chinese sentence.
    """

    def __init__(self, reasons: Sequence[str], field_name: str = "points") -> None:
        self.reasons = tuple(reasons)
        super().__init__(field_name, "；".join(self.reasons))


def parse_rates(text: str) -> dict[str, Decimal]:
    """Read "*=1;助老=2" into {category: points per hour}.

    Separators may be ASCII or full-width (；，＝：), as a Chinese keyboard types them.
    Without a "*" entry, unlisted categories earn the common 1 point per hour.

    Raises:
        ValidationError: a pair is malformed, a rate is negative or absurd, or a category
            is named twice; the message says which.
    """
    rates: dict[str, Decimal] = {}
    for part in _PAIR_SPLIT.split(text.strip()):
        if not part.strip():
            continue
        match = _KEY_VALUE.match(part)
        if match is None:
            raise ValidationError("rates", f"“{part.strip()}”应写成 类别=每小时积分，如 助老=2")
        category, raw = match.group(1), match.group(2)
        try:
            rate = Decimal(raw)
        except InvalidOperation:
            raise ValidationError("rates", f"“{category}”的积分“{raw}”不是数字") from None
        if not rate.is_finite() or rate < 0 or rate > MAX_RATE:
            raise ValidationError("rates", f"“{category}”的积分须在0到{MAX_RATE}之间")
        if category in rates:
            raise ValidationError("rates", f"类别“{category}”重复设置了积分")
        rates[category] = rate
    rates.setdefault(DEFAULT_CATEGORY, DEFAULT_RATE)
    return rates


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` earlier, clamped to the month's end (31 May - 3 = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


@dataclass(frozen=True)
class PointsPolicy:
    """The local points rules, as settings hold them.

    Attributes:
        rates: points per hour by service category; "*" for any other category.
        activity_cap: most points one volunteer earns from one activity (0: no cap).
        expiry_months: points expire this many months after they were earned (0: never).
        min_hours_to_redeem: approved hours a volunteer needs before redeeming.
    """

    rates: Mapping[str, Decimal] = field(default_factory=lambda: {DEFAULT_CATEGORY: DEFAULT_RATE})
    activity_cap: int = 0
    expiry_months: int = 0
    min_hours_to_redeem: int = 0

    @classmethod
    def parse(cls, rates: str, activity_cap: int = 0, expiry_months: int = 0,
              min_hours_to_redeem: int = 0) -> PointsPolicy:
        """Build a policy from the settings' values (see app.services.common.settings POINTS_*)."""
        for name, value in (("activity_cap", activity_cap), ("expiry_months", expiry_months),
                            ("min_hours_to_redeem", min_hours_to_redeem)):
            if value < 0:
                raise ValidationError(name, "不能为负数")
        return cls(parse_rates(rates), activity_cap, expiry_months, min_hours_to_redeem)

    def rate_for(self, category: str) -> Decimal:
        rate = self.rates.get(category.strip())
        if rate is None:
            rate = self.rates.get(DEFAULT_CATEGORY, DEFAULT_RATE)
        return rate

    def points_for(self, minutes: int, category: str) -> int:
        """Points for `minutes` of approved service: minutes × rate / 60, rounded down."""
        if minutes < 0:
            raise ValueError("minutes must not be negative")
        exact = Decimal(minutes) * self.rate_for(category) / 60
        return int(exact.to_integral_value(rounding=ROUND_FLOOR))

    def capped(self, points: int, earned_at_activity: int) -> int:
        """What may still be granted at an activity where `earned_at_activity` were earned."""
        if self.activity_cap <= 0:
            return points
        return max(0, min(points, self.activity_cap - earned_at_activity))

    @property
    def min_minutes_to_redeem(self) -> int:
        return self.min_hours_to_redeem * 60

    def expiry_cutoff(self, today: dt.date) -> dt.date | None:
        """Points earned before this day have expired by `today`; None if points never do."""
        if self.expiry_months <= 0:
            return None
        return months_before(today, self.expiry_months)


def expirable(credits_before_cutoff: int, debits: int, expired: int, balance: int) -> int:
    """Points to expire now, first in first out, from the ledger's totals.

    Spending uses the oldest points first, so whatever was credited before the cutoff and
    not yet spent (`debits`: redeemed, deducted) or expired is what has run out. Never more
    than the balance: the balance never goes below zero.
    """
    return max(0, min(balance, credits_before_cutoff - debits - expired))


def format_redemption_number(year: int, serial: int) -> str:
    """Receipt numbers: DH (兑换), the year, six digits of a counter that never resets, so a
    number is never given twice even across years."""
    return f"DH{year}{serial:06d}"
