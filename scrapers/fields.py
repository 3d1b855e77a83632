"""Defensive reading of what sources hand over (loosely documented JSON: text, numbers, times and
yes/no values that may be missing, misspelled or of another type) and of configured addresses."""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import AfterValidator, BeforeValidator, Field

from scrapers.dates import parse_datetime
from scrapers.errors import ParseError, short_url
from scrapers.records import clean_text

_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_YES = frozenset({"true", "yes", "ja", "1", "y", "j"})
_NO = frozenset({"false", "no", "nee", "0", "n"})


def plain(value: Any) -> str | None:
    """User text as stored: entities decoded, <br> as a line break, storable, trimmed."""
    if value is None or isinstance(value, dict | list | bool):
        return None
    text = html.unescape(_BREAK.sub("\n", str(value)))
    text = clean_text(text).replace("\r\n", "\n").replace("\r", "\n").strip()
    return text or None


def number(value: Any) -> float | None:
    """A finite number from a JSON number or a numeric text ("8,5"), else None."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        result = float(value.replace(",", ".")) if isinstance(value, str) else float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return result if math.isfinite(result) else None


def count(value: Any) -> int | None:
    """A whole, non-negative number, else None."""
    found = number(value)
    return int(found) if found is not None and found >= 0 and found.is_integer() else None


def yes_no(value: Any) -> bool | None:
    """True or False from a boolean, 1/0 or a Dutch or English word; None when unclear."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | str):
        word = str(value).strip().lower()
        if word in _YES:
            return True
        if word in _NO:
            return False
    return None


def when(value: Any) -> datetime | None:
    """An ISO time as an aware datetime, else None."""
    try:
        return parse_datetime(value) if isinstance(value, str) else None
    except (ValueError, OverflowError):
        return None


def first(item: dict[str, Any], keys: Sequence[str]) -> tuple[str | None, Any]:
    """The first of ``keys`` that holds a value, and that value."""
    for key in keys:
        value = item.get(key)
        if value is not None and value != "":
            return key, value
    return None, None


def load_json(text: str, url: str) -> Any:
    """A response text as JSON; anything unreadable is the source's ParseError."""
    try:
        return json.loads(text)
    except (ValueError, RecursionError):  # JSONDecodeError, or a 5,000-digit number
        raise ParseError(short_url(url), "geen geldige JSON") from None


def scrub(text: str, secrets: Sequence[str]) -> str:
    """A server message fit for an error: secrets it echoes removed, at most 200 characters."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text[:200]


def web_address(value: str, *, query: bool = True) -> str:
    """Validator for a configured http(s) address, with a Dutch message whatever is wrong
    (urllib's own complaints, such as "Invalid IPv6 URL", are English)."""
    text = value.strip()
    try:
        parts = urlsplit(text)
        _ = parts.port  # a port that is no number raises here
    except ValueError:
        raise ValueError(f"een geldig http://- of https://-adres (niet {text!r})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"een http://- of https://-adres (niet {text!r})")
    if parts.query and not query:
        raise ValueError("een http://- of https://-adres zonder vraagteken-deel")
    return text


def api_base_url(value: str) -> str:
    """Validator for an API's base URL setting: http(s), a host, no query; without the last /."""
    return web_address(value, query=False).rstrip("/")


def id_as_text(value: Any) -> Any:
    """Validator for an account id setting: a number (``shop_id = 1234`` in TOML) becomes text,
    text is trimmed."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value.strip() if isinstance(value, str) else value


# The setting types the API collectors share.
ApiBaseUrl = Annotated[str, AfterValidator(api_base_url)]
AccountId = Annotated[str, Field(min_length=1), BeforeValidator(id_as_text)]
