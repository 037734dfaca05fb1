"""Date arithmetic the organization rules share: anniversaries and ordered date pairs."""

from __future__ import annotations

import datetime as dt

from app.domain.errors import ValidationError


def add_years(day: dt.date, years: int) -> dt.date:
    """The same calendar day `years` later; 29 February becomes 1 March in a common year.

    1 March (not 28 February) keeps "a period of N years ends the day before its anniversary"
    ending on the last day of February, so no period loses a day.
    """
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February -> common year
        return dt.date(day.year + years, 3, 1)


def fmt_date(day: dt.date) -> str:
    """2026年11月23日: the Arabic-numeral form the printed documents use."""
    return f"{day.year}年{day.month}月{day.day}日"


def check_after(earlier: dt.date, later: dt.date, field: str, message: str) -> None:
    """Raise ValidationError(field, message) unless `later` is strictly after `earlier`."""
    if later <= earlier:
        raise ValidationError(field, message)
