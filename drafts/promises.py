"""The dates a reply promises ("uiterlijk donderdag 28 november", "binnen 5 werkdagen"), read
from its final wording so that a person's edit counts as much as the drafted date."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from drafts.workdays import MONTHS, WEEKDAYS, add_working_days

_MONTH = {name: number for number, name in enumerate(MONTHS, start=1)}
_MONTH |= {name[:3]: number for name, number in list(_MONTH.items())}
_MONTH["sept"] = 9
_NUMBERS = {
    "een": 1, "één": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7,
    "acht": 8, "negen": 9, "tien": 10, "veertien": 14,
}  # fmt: skip
_WEEKDAY = "|".join(WEEKDAYS)
_MONTHS = "|".join(sorted(_MONTH, key=len, reverse=True))
ON_DATE = re.compile(
    rf"\b(?:(?:{_WEEKDAY})\s+)?(\d{{1,2}})\s+({_MONTHS})\.?(?:\s+(\d{{4}}))?\b", re.IGNORECASE
)
WITHIN = re.compile(
    r"\bbinnen\s+(\d{1,2}|" + "|".join(_NUMBERS) + r")\s+(werkdagen|werkdag|dagen|dag)\b",
    re.IGNORECASE,
)
TOMORROW = re.compile(r"\b(overmorgen|morgen)\b", re.IGNORECASE)
REFUND = re.compile(r"terugbeta|terugstort|op uw rekening|op je rekening|geld terug", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Promise:
    """A date a reply commits to, and the sentence that says so."""

    due: date
    sentence: str

    @property
    def is_refund(self) -> bool:
        return bool(REFUND.search(self.sentence))


def _sentences(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"(?<=[.!?])\s+|\n+", text) if part.strip()]


def _on_date(match: re.Match[str], written_on: date) -> date | None:
    day, month_word, year = int(match.group(1)), match.group(2).lower(), match.group(3)
    month = _MONTH.get(month_word.rstrip("."))
    if month is None:
        return None
    try:
        if year:
            return date(int(year), month, day)
        candidate = date(written_on.year, month, day)
        # "28 november" written in December means next year's; a date a few days back is a typo
        # for this year's and stays as it is, to surface as overdue rather than vanish.
        if candidate < written_on - timedelta(days=31):
            candidate = date(written_on.year + 1, month, day)
        return candidate
    except ValueError:  # 31 februari
        return None


def promised_dates(text: str, *, written_on: date) -> list[Promise]:
    """Every date the text promises, counted from the day it was written (approved)."""
    found: list[Promise] = []
    for sentence in _sentences(text):
        for match in ON_DATE.finditer(sentence):
            due = _on_date(match, written_on)
            if due is not None:
                found.append(Promise(due, sentence))
        for match in WITHIN.finditer(sentence):
            amount = match.group(1).lower()
            count = int(amount) if amount.isdigit() else _NUMBERS[amount]
            if match.group(2).lower().startswith("werkdag"):
                due = add_working_days(written_on, count)
            else:
                due = written_on + timedelta(days=count)
            found.append(Promise(due, sentence))
        for match in TOMORROW.finditer(sentence):
            days = 2 if match.group(1).lower() == "overmorgen" else 1
            found.append(Promise(written_on + timedelta(days=days), sentence))
    unique: dict[date, Promise] = {}
    for promise in found:
        unique.setdefault(promise.due, promise)
    return sorted(unique.values(), key=lambda promise: promise.due)
