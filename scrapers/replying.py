"""Posting the shop's approved public replies on review platforms: the base class and its errors."""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import ClassVar

from scrapers.base import SourceSettings
from scrapers.errors import (
    FetchError,
    HttpStatusError,
    RateLimited,
    RequestBudgetExceeded,
    SourceError,
)
from scrapers.fields import plain, scrub
from scrapers.http import HttpClient

# ---------------------------------------------------------------- errors


class ReviewGone(SourceError):
    """The review to reply to no longer exists on its platform (HTTP 404 there). Raised by the
    reply posters; caught by the monitor's post stage, which stops trying: posting again cannot
    succeed."""

    def __init__(self, platform: str, external_id: str) -> None:
        super().__init__(f"{platform}: review {external_id[:80]} bestaat niet meer")
        self.platform = platform
        self.external_id = external_id

    def explain(self) -> str:
        return f"De review bestaat niet meer op {self.platform}; de reactie is niet geplaatst."


class ReplyRefused(SourceError):
    """The platform refused this reply, or it cannot be sent as it is (HTTP 400, 409 or 422,
    an empty or too long text, a review id the platform cannot take). Raised by the reply
    posters; caught by the monitor's post stage: the same reply sent again fails again, so the
    owner has to change it or paste it by hand."""

    def __init__(self, where: str, detail: str) -> None:
        super().__init__(f"{where}: {detail}")
        self.where = where
        self.detail = detail

    def explain(self) -> str:
        return f"De reactie is niet geplaatst op {self.where}: {self.detail}."


def may_retry(error: SourceError) -> bool:
    """Whether posting the same reply later can succeed: after a time-out, a dropped connection,
    a rate limit or a server error, yes; after refused credentials, a refused reply or a review
    that is gone, no. (On a platform that does not replace, check ``existing_reply`` first.)"""
    if isinstance(error, FetchError | RateLimited | RequestBudgetExceeded):
        return True
    return isinstance(error, HttpStatusError) and (error.status >= 500 or error.status == 408)


def server_message(body: str, secrets: Sequence[str]) -> str | None:
    """What an API's JSON error body says (``error.message``, ``message``, ``error_description``,
    ``details`` or ``error``), without the secrets, at most 200 characters; None when it says
    nothing readable (an HTML page, an empty body)."""
    try:
        data = json.loads(body or "null")
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    nested = data.get("error")
    candidates = [nested.get("message")] if isinstance(nested, dict) else []
    candidates += [data.get(key) for key in ("message", "error_description", "details", "error")]
    for candidate in candidates:
        text = plain(candidate) if isinstance(candidate, str) else None
        if text:
            return scrub(" ".join(text.split()), secrets)
    return None


# ---------------------------------------------------------------- the base class


class ReplyPoster(ABC):
    """Posts the shop's approved public reply to one review on its platform.

    A poster declares the source ``name`` it serves (the source type in the config), its
    ``Settings`` (the collector's) and whether posting again ``replaces`` the reply (a PUT: a
    retry can never make a second reply). It is built like a collector, with an ``HttpClient``
    allowed to reach ``hosts(settings)``. ``external_id`` is the review id exactly as the
    collector stored it. Failures are typed ``SourceError``s with a Dutch ``explain()``:
    ``AuthError`` (401/403), ``ReviewGone`` (404), ``ReplyRefused`` (the platform refused this
    text), ``RateLimited`` (429), ``HttpStatusError`` (5xx) and ``FetchError`` (no answer).
    Secrets never appear in a message. Posters never touch the database.
    """

    name: ClassVar[str]
    platform: ClassVar[str]  # how Dutch messages name the platform: "Trustpilot"
    replaces: ClassVar[bool]
    Settings: ClassVar[type[SourceSettings]] = SourceSettings

    def __init__(self, settings: SourceSettings, *, http: HttpClient, label: str) -> None:
        self.settings = settings
        self.http = http
        self.label = label

    @classmethod
    def ready(cls, settings: SourceSettings) -> str | None:
        """None when these settings allow posting; else why not, in Dutch (the reply is then
        handed over to be pasted by hand)."""
        return None

    @classmethod
    def hosts(cls, settings: SourceSettings) -> set[str]:
        """The hosts this poster may contact with these settings."""
        return set()

    @abstractmethod
    def existing_reply(self, external_id: str) -> str | None:
        """The shop's reply as the platform shows it now, None when there is none. Asked before
        a retry on a platform that does not replace, so a reply the platform accepted just
        before a crash or a time-out is never posted twice."""

    @abstractmethod
    def post_reply(self, external_id: str, text: str) -> None:
        """Post ``text`` as the shop's public reply to the review; raise a ``SourceError``."""

    def check_text(self, text: str, where: str) -> None:
        """An empty reply is never sent (a platform would show an empty answer, or refuse it)."""
        if not text.strip():
            raise ReplyRefused(where, "de reactie is leeg")


def poster_for(source_type: str) -> type[ReplyPoster] | None:
    """The poster for a source type in the config ("trustpilot", "kiyoh", "klantenvertellen",
    "google"), None for a source whose replies are pasted by hand."""
    from scrapers.reply_registry import POSTERS  # the platform modules import this module

    return POSTERS.get(source_type)
