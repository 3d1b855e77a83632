"""The dates a reply promises ("uiterlijk donderdag 28 november", "binnen 5 werkdagen"), read
from its final wording so that a person's edit counts as much as the drafted date.

A date counts only in a sentence where the shop commits to something ("uiterlijk", "we ...",
"u hoort/ontvangt/krijgt", "wordt ...", "op uw rekening"), and not when it names the customer's
own term ("binnen 14 dagen retourneren"), a closing day ("morgen gesloten") or a past day ("uw
bestelling van 20 november")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from drafts.workdays import MONTHS, WEEKDAYS, add_working_days

_MONTH = {name: number for number, name in enumerate(MONTHS, start=1)}
_MONTH |= {name[:3]: number for name, number in list(_MONTH.items())}
_MONTH |= {"sept": 9, "mrt": 3}
_NUMBERS = {
    "een": 1, "één": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7,
    "acht": 8, "negen": 9, "tien": 10, "veertien": 14,
}  # fmt: skip
_WEEKDAY = "|".join(WEEKDAYS)
_MONTHS = "|".join(sorted(_MONTH, key=len, reverse=True))
ON_DATE = re.compile(
    rf"\b(?:(?:{_WEEKDAY})\s+)?(\d{{1,2}})\s+({_MONTHS})\.?(?:\s+(\d{{4}}))?\b", re.IGNORECASE
)
ABBREVIATED = re.compile(rf"(\d\s+(?:{_MONTHS}))\.", re.IGNORECASE)
WITHIN = re.compile(
    r"\bbinnen\s+(\d{1,2}|" + "|".join(_NUMBERS) + r")\s+(werkdagen|werkdag|dagen|dag)\b",
    re.IGNORECASE,
)
TOMORROW = re.compile(r"\b(overmorgen|morgen)\b", re.IGNORECASE)
COMMITMENT = re.compile(
    r"\b(?:uiterlijk|we|wij|ik|wordt|worden|(?:u|je)\s+(?:hoort|ontvangt|krijgt)"
    r"|(?:hoort|ontvangt|krijgt)\s+u|(?:hoor|ontvang|krijg)\s+je|op\s+(?:uw|je)\s+rekening)\b",
    re.IGNORECASE,
)
CUSTOMERS_TERM = re.compile(
    r"\b(?:retourneren|terugsturen|terug\s+te\s+(?:sturen|zenden)|herroep\w*|bedenktijd)\b",
    re.IGNORECASE,
)
CLOSED = re.compile(r"\b(?:gesloten|dicht|afwezig|niet\s+bereikbaar|feestdag)\b", re.IGNORECASE)
REFERENCE = re.compile(r"\b(?:van|sinds)\s+$", re.IGNORECASE)  # "uw bestelling van 20 nov."
# "geldig tot en met 22 februari": how long a discount code lasts, not a date the shop acts by.
EXPIRY = re.compile(r"\bgeldig\s+(?:tot(?:\s+en\s+met)?|t/m)\s+$", re.IGNORECASE)
PAST_REFERENCE = timedelta(days=183)  # a month name further back than this means next year
REFUND = re.compile(
    r"terugbeta|terug(?:ge)?stort|teruggeboekt|op uw rekening|op je rekening|geld terug",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Promise:
    """A date a reply commits to, and the sentence that says so."""

    due: date
    sentence: str

    @property
    def is_refund(self) -> bool:
        return bool(REFUND.search(self.sentence))


def _sentences(text: str) -> list[str]:
    """The text's sentences; the dot of an abbreviated month ("3 dec.") ends none."""
    text = ABBREVIATED.sub("\\1\u2024", text)  # a one-dot leader: looks the same, splits nothing
    parts = re.split(r"(?<=[.!?])\s+|\n+", text)
    return [part.strip().replace("\u2024", ".") for part in parts if part.strip()]


def _on_date(match: re.Match[str], written_on: date) -> date | None:
    """The date a match names, or None when it is impossible or lies before ``written_on``."""
    day, month_word, year = int(match.group(1)), match.group(2).lower(), match.group(3)
    month = _MONTH.get(month_word.rstrip("."))
    if month is None:
        return None
    try:
        candidate = date(int(year or written_on.year), month, day)
        if not year and candidate < written_on - PAST_REFERENCE:
            candidate = date(written_on.year + 1, month, day)  # "5 januari" written in November
    except ValueError:  # 31 februari
        return None
    return candidate if candidate >= written_on else None


def promised_dates(text: str, *, written_on: date) -> list[Promise]:
    """Every date the text promises, counted from the day it was written (approved)."""
    found: list[Promise] = []
    for sentence in _sentences(text):
        if not COMMITMENT.search(sentence):
            continue
        for match in ON_DATE.finditer(sentence):
            due = _on_date(match, written_on)
            before = sentence[: match.start()]
            if due is not None and not REFERENCE.search(before) and not EXPIRY.search(before):
                found.append(Promise(due, sentence))
        if not CUSTOMERS_TERM.search(sentence):
            for match in WITHIN.finditer(sentence):
                amount = match.group(1).lower()
                count = int(amount) if amount.isdigit() else _NUMBERS[amount]
                if match.group(2).lower().startswith("werkdag"):
                    due = add_working_days(written_on, count)
                else:
                    due = written_on + timedelta(days=count)
                found.append(Promise(due, sentence))
        if not CLOSED.search(sentence):
            for match in TOMORROW.finditer(sentence):
                days = 2 if match.group(1).lower() == "overmorgen" else 1
                found.append(Promise(written_on + timedelta(days=days), sentence))
    unique: dict[date, Promise] = {}
    for promise in found:
        unique.setdefault(promise.due, promise)
    return sorted(unique.values(), key=lambda promise: promise.due)


def latest_promise(text: str, *, written_on: date) -> date | None:
    """The last date the text promises (a draft's follow-up date), or None."""
    return max((p.due for p in promised_dates(text, written_on=written_on)), default=None)
