"""Dates and numbers written the Dutch way, for everything an owner reads (report, CLI)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from drafts.workdays import dutch_date

STAGE_WORDS = {
    "collect": "verzamelen",
    "score": "scoren",
    "flag": "signaleren",
    "draft": "concepten",
    "promises": "beloftes",
    "notify": "meldingen",
    "post": "plaatsen",
    "report": "rapport",
}
WEEKDAYS = ("ma", "di", "wo", "do", "vr", "za", "zo")
MONTHS = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


def when(value: datetime | None, zone: ZoneInfo, *, year: bool = False) -> str:
    """'di 24 nov 13:05' in the shop's time zone ('di 24 nov 2026 13:05' with ``year``)."""
    if value is None:
        return "onbekend"
    local = value.astimezone(zone)
    day = f"{WEEKDAYS[local.weekday()]} {local.day} {MONTHS[local.month - 1]}"
    return f"{day} {local:%Y %H:%M}" if year else f"{day} {local:%H:%M}"


def number(value: float | None, *, decimals: int | None = None) -> str:
    """'4,5'; a dash for nothing. Without ``decimals``: as short as exact (8 -> '8')."""
    if value is None:
        return "–"
    text = f"{value:g}" if decimals is None else f"{value:.{decimals}f}"
    return text.replace(".", ",")


def stage(name: str) -> str:
    """A pipeline stage as the owner reads it."""
    return STAGE_WORDS.get(name, name)


def long_date(day: date) -> str:
    """'donderdag 26 november 2026'."""
    return f"{dutch_date(day)} {day.year}"
