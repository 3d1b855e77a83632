"""Reading source dates into timezone-aware datetimes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from scrapers.dates import AMSTERDAM, parse_datetime, parse_dutch_date, parse_mail_date


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-06-01T12:00:00+02:00", datetime(2025, 6, 1, 10, 0, tzinfo=UTC)),
        ("2025-06-01T10:00:00Z", datetime(2025, 6, 1, 10, 0, tzinfo=UTC)),
        ("2025-06-01 12:00", datetime(2025, 6, 1, 12, 0, tzinfo=AMSTERDAM)),
        ("2025-12-01", datetime(2025, 12, 1, tzinfo=AMSTERDAM)),
        ("  2025-12-01  ", datetime(2025, 12, 1, tzinfo=AMSTERDAM)),
    ],
)
def test_iso_dates_are_aware_and_naive_ones_are_amsterdam_time(
    value: str, expected: datetime
) -> None:
    parsed = parse_datetime(value)
    assert parsed == expected
    assert parsed is not None and parsed.tzinfo is not None


def test_a_format_reads_dutch_dates_in_the_given_zone() -> None:
    parsed = parse_datetime("21-11-2025 14:03", fmt="%d-%m-%Y %H:%M")
    assert parsed == datetime(2025, 11, 21, 14, 3, tzinfo=AMSTERDAM)
    assert parsed is not None and parsed.utcoffset() == timedelta(hours=1)
    brussels = parse_datetime(
        "21-07-2025 14:03", fmt="%d-%m-%Y %H:%M", tz=ZoneInfo("Europe/Brussels")
    )
    assert brussels is not None and brussels.utcoffset() == timedelta(hours=2)


@pytest.mark.parametrize("value", [None, "", "   "])
def test_an_empty_date_is_none(value: object) -> None:
    assert parse_datetime(value) is None


@pytest.mark.parametrize(
    ("value", "fmt", "words"),
    [
        ("gisteren", None, "isoformat"),
        ("2025-13-01", None, "month"),
        ("1-2", "%d-%m-%Y", "does not match"),
    ],
)
def test_an_unreadable_date_is_a_value_error(value: str, fmt: str | None, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        parse_datetime(value, fmt=fmt)


def test_mail_dates_keep_their_offset_and_a_missing_zone_is_utc() -> None:
    assert parse_mail_date("Sat, 22 Nov 2025 07:00:00 +0100") == datetime(
        2025, 11, 22, 7, 0, tzinfo=timezone(timedelta(hours=1))
    )
    assert parse_mail_date("Sat, 22 Nov 2025 07:00:00 -0000") == datetime(
        2025, 11, 22, 7, 0, tzinfo=UTC
    )


@pytest.mark.parametrize("value", [None, "", "binnenkort", "Sat, 99 Nov 2025 07:00:00 +0100"])
def test_an_unreadable_mail_date_is_none(value: str | None) -> None:
    assert parse_mail_date(value) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3 dagen geleden", datetime(2026, 11, 21, 11, 0, tzinfo=UTC)),
        ("1 uur geleden", datetime(2026, 11, 24, 10, 0, tzinfo=UTC)),
        ("gisteren", datetime(2026, 11, 23, 11, 0, tzinfo=UTC)),
        ("2 weken geleden", datetime(2026, 11, 10, 11, 0, tzinfo=UTC)),
        ("12 mrt. 2020", datetime(2020, 3, 11, 23, 0, tzinfo=UTC)),
        ("24 november 2026", datetime(2026, 11, 23, 23, 0, tzinfo=UTC)),
        ("12-03-2020", datetime(2020, 3, 11, 23, 0, tzinfo=UTC)),
        ("ma 23 nov 2026 14:05", datetime(2026, 11, 23, 13, 5, tzinfo=UTC)),
        ("2026-07-01T10:00:00", datetime(2026, 7, 1, 8, 0, tzinfo=UTC)),  # summer time in Amsterdam
        ("2026-11-20T10:00:00Z", datetime(2026, 11, 20, 10, 0, tzinfo=UTC)),
    ],
)
def test_dutch_dates_become_aware_utc(text: str, expected: datetime) -> None:
    now = datetime(2026, 11, 24, 11, 0, tzinfo=UTC)  # 12:00 in Amsterdam
    parsed = parse_dutch_date(text, now=now)
    assert parsed == expected
    assert parsed.utcoffset() == timedelta(0)


def test_an_unreadable_dutch_date_is_a_value_error_and_empty_is_none() -> None:
    with pytest.raises(ValueError, match="geen datum"):
        parse_dutch_date("binnenkort misschien")
    assert parse_dutch_date("  ") is None
    assert parse_dutch_date(None) is None
