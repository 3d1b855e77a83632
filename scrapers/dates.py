"""Reading the date formats sources use into timezone-aware datetimes."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo

import dateparser

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def parse_datetime(
    value: object, *, fmt: str | None = None, tz: ZoneInfo = AMSTERDAM
) -> datetime | None:
    """ISO 8601 (or ``fmt`` for strptime) into an aware datetime; a time without zone is read in
    ``tz``. Returns None for an empty value; raises ValueError for one that cannot be read."""
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    if fmt:
        parsed = datetime.strptime(text, fmt)  # noqa: DTZ007 - zone added below
    else:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz)
    return parsed


def parse_mail_date(value: str | None) -> datetime | None:
    """An RFC 2822 ``Date`` header into an aware datetime, or None when missing or unreadable."""
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def parse_dutch_date(
    value: str | None, *, now: datetime | None = None, tz: ZoneInfo = AMSTERDAM
) -> datetime | None:
    """A date as Dutch pages write it ("12 mrt. 2020", "3 dagen geleden", "gisteren",
    "24-11-2026 14:05") or an ISO time, as an aware UTC datetime; relative dates count back from
    ``now``. None when empty; ValueError when it cannot be read."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        return parse_datetime(text, tz=tz).astimezone(UTC)  # type: ignore[union-attr]
    except ValueError:
        pass
    base = (now or datetime.now(UTC)).astimezone(tz).replace(tzinfo=None)
    parsed = dateparser.parse(
        text,
        languages=["nl", "en"],
        settings={
            "RELATIVE_BASE": base,
            "TIMEZONE": str(tz),
            "RETURN_AS_TIMEZONE_AWARE": True,
            "DATE_ORDER": "DMY",
            "PREFER_DATES_FROM": "past",
        },
    )
    if parsed is None:
        raise ValueError(f"geen datum: {text!r}")
    return parsed.astimezone(UTC)
