"""Dutch working days (no weekends, no public holidays) and dates written the Dutch way."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import holidays

WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
    "oktober", "november", "december",
)  # fmt: skip


@cache
def _holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.Netherlands(years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """The date ``days`` working days after ``start`` (start itself does not count)."""
    current = start
    left = days
    while left > 0:
        current += timedelta(days=1)
        if is_working_day(current):
            left -= 1
    return current


def dutch_date(day: date) -> str:
    """'donderdag 28 november'."""
    return f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]}"
