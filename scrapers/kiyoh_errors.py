"""Kiyoh's error bodies ({errorCode, detailedError: [{message}]}) as clear Dutch errors, for the
collector and the reply poster alike."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from scrapers.errors import AuthError, HttpStatusError, ParseError
from scrapers.fields import plain, scrub

AUTH_HINT = re.compile(r"TOKEN|AUTH|FORBIDDEN|ACCESS|PERMISSION|NOT_ALLOWED|CREDENTIAL", re.I)
ADVICE = "controleer token, location_id en tenant_id in de configuratie"


def error_detail(data: dict[str, Any], secrets: Sequence[str]) -> tuple[str, bool]:
    """What an error body ({errorCode, detailedError: [{message}]}) says, in a Dutch phrase
    without the secrets, and whether it is about access (the token, the location)."""
    code = plain(data.get("errorCode")) or "onbekend"
    details = data.get("detailedError")
    messages = [
        plain(entry.get("message")) or ""
        for entry in (details if isinstance(details, list) else [])
        if isinstance(entry, dict)
    ]
    message = scrub("; ".join(m for m in messages if m) or code, secrets)
    detail = f"Kiyoh meldt {scrub(code, secrets)}: {message}"
    return detail, bool(AUTH_HINT.search(code) or AUTH_HINT.search(message))


def error_data(body: str) -> dict[str, Any] | None:
    """An error body that is Kiyoh's error object ({errorCode, ...}), else None."""
    try:
        data = json.loads(body or "null")
    except (ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) and data.get("errorCode") is not None else None


def api_error(data: dict[str, Any], where: str, secrets: Sequence[str]) -> ParseError | AuthError:
    detail, about_access = error_detail(data, secrets)
    if about_access:
        return AuthError(where, detail, advice=ADVICE)
    return ParseError(where, detail)


def error_from_body(
    exc: HttpStatusError, where: str, secrets: Sequence[str]
) -> ParseError | AuthError | None:
    """What Kiyoh's error body ({errorCode, detailedError}) says, when the client kept it."""
    data = error_data(exc.body)
    return api_error(data, where, secrets) if data is not None else None
