"""Dutch working days and dates written the Dutch way."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from drafts.workdays import add_working_days, dutch_date, is_working_day


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (date(2025, 11, 24), 2, date(2025, 11, 26)),  # Monday -> Wednesday
        (date(2025, 11, 27), 2, date(2025, 12, 1)),  # Thursday -> Monday, over the weekend
        (date(2025, 11, 28), 1, date(2025, 12, 1)),  # Friday -> Monday
        (date(2025, 11, 29), 1, date(2025, 12, 1)),  # Saturday -> Monday
        (date(2025, 11, 24), 5, date(2025, 12, 1)),  # a full working week
        (date(2025, 11, 24), 0, date(2025, 11, 24)),
    ],
)
def test_weekends_are_skipped(start: date, days: int, expected: date) -> None:
    assert add_working_days(start, days) == expected


@pytest.mark.parametrize(
    ("start", "days", "expected", "skipped"),
    [
        # Kerstmis 2025: Thursday 25 and Friday 26 December
        (date(2025, 12, 24), 1, date(2025, 12, 29), "Eerste en Tweede Kerstdag"),
        # Kerstmis 2027 falls on the weekend: Friday 24 December -> Monday 27 December
        (date(2027, 12, 24), 1, date(2027, 12, 27), "weekend"),
        # Nieuwjaarsdag, across the turn of the year
        (date(2025, 12, 31), 1, date(2026, 1, 2), "Nieuwjaarsdag"),
        (date(2025, 12, 24), 3, date(2025, 12, 31), "Kerstmis"),
        # Koningsdag: Monday 27 April 2026
        (date(2026, 4, 24), 1, date(2026, 4, 28), "Koningsdag"),
        # Tweede Paasdag: Monday 6 April 2026
        (date(2026, 4, 4), 1, date(2026, 4, 7), "Tweede Paasdag"),
        # Hemelvaartsdag: Thursday 14 May 2026
        (date(2026, 5, 13), 1, date(2026, 5, 15), "Hemelvaartsdag"),
        # Tweede Pinksterdag: Monday 25 May 2026
        (date(2026, 5, 22), 1, date(2026, 5, 26), "Tweede Pinksterdag"),
    ],
)
def test_dutch_public_holidays_are_skipped(
    start: date, days: int, expected: date, skipped: str
) -> None:
    assert add_working_days(start, days) == expected, skipped


@pytest.mark.parametrize(
    "holiday",
    [date(2025, 12, 25), date(2025, 12, 26), date(2026, 4, 27), date(2026, 4, 6), date(2026, 1, 1)],
)
def test_holidays_on_weekdays_are_not_working_days(holiday: date) -> None:
    assert holiday.weekday() < 5
    assert not is_working_day(holiday)


def test_an_ordinary_week() -> None:
    monday = date(2025, 11, 24)
    week = [monday + timedelta(days=offset) for offset in range(7)]
    assert [is_working_day(day) for day in week] == [True] * 5 + [False] * 2


def test_the_result_is_always_a_working_day_after_the_start() -> None:
    start = date(2025, 12, 1)
    for offset in range(60):
        day = start + timedelta(days=offset)
        for days in (1, 2, 5):
            result = add_working_days(day, days)
            assert result > day
            assert is_working_day(result)
            assert add_working_days(day, days + 1) > result


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (date(2026, 11, 26), "donderdag 26 november"),
        (date(2024, 11, 28), "donderdag 28 november"),
        (date(2026, 1, 5), "maandag 5 januari"),
        (date(2025, 3, 1), "zaterdag 1 maart"),
        (date(2025, 5, 4), "zondag 4 mei"),
        (date(2025, 8, 12), "dinsdag 12 augustus"),
    ],
)
def test_dutch_date(day: date, text: str) -> None:
    assert dutch_date(day) == text
