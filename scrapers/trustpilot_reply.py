"""Posting an approved reply on Trustpilot, through the Business API as the business user."""

from __future__ import annotations

import logging
import re
from urllib.parse import urlsplit

from scrapers.base import SourceSettings
from scrapers.errors import AuthError, DriftError, HttpStatusError, SourceError, short_url
from scrapers.fields import plain
from scrapers.http import HttpClient
from scrapers.replying import ReplyPoster, ReplyRefused, ReviewGone, server_message
from scrapers.trustpilot import TrustpilotSettings, api_where, business_user_token

logger = logging.getLogger(__name__)

NEEDED = ("api_key", "api_secret", "username", "password", "business_user_id")
REVIEW_ID = re.compile(r"[A-Za-z0-9_-]{1,100}\Z")  # it goes into the URL path
POST_ADVICE = (
    "controleer de API-sleutel, het geheim, de gebruikersnaam en het wachtwoord, en of "
    "business_user_id de zakelijke gebruiker is die reacties mag plaatsen"
)
READ_ADVICE = "controleer de API-sleutel (api_key) in de configuratie"


class TrustpilotReplyPoster(ReplyPoster):
    """POSTs the reply to ``/private/reviews/{id}/reply`` with the business user's OAuth token
    (the collector's token flow), signed by ``business_user_id``. A second POST would make a
    second reply, so ``replaces`` is False: before a retry, ``existing_reply`` reads the review
    with the API key to see whether the first attempt got through."""

    name = "trustpilot"
    platform = "Trustpilot"
    replaces = False
    Settings = TrustpilotSettings
    settings: TrustpilotSettings

    def __init__(self, settings: SourceSettings, *, http: HttpClient, label: str) -> None:
        super().__init__(settings, http=http, label=label)
        self._token: str | None = None  # one token serves every reply of a run

    @classmethod
    def ready(cls, settings: SourceSettings) -> str | None:
        assert isinstance(settings, TrustpilotSettings)
        missing = _missing(settings)
        return f"Trustpilot: {missing}" if missing else None

    @classmethod
    def hosts(cls, settings: SourceSettings) -> set[str]:
        assert isinstance(settings, TrustpilotSettings)
        return {(urlsplit(settings.api_url).hostname or "").lower()}

    @property
    def where(self) -> str:
        return api_where(self.settings)

    def existing_reply(self, external_id: str) -> str | None:
        review_id = self._review_id(external_id)
        if self.settings.api_key is None:
            raise AuthError(self.where, "er is geen api_key ingesteld", advice=READ_ADVICE)
        url = f"{self.settings.api_url}/reviews/{review_id}"
        headers = {"apikey": self.settings.api_key.get_secret_value(), "Accept": "application/json"}
        try:
            fetched = self.http.get(url, headers=headers)
        except HttpStatusError as exc:
            raise self._failure(exc, review_id, advice=READ_ADVICE) from None
        return reply_of(fetched.json(), fetched.url)

    def post_reply(self, external_id: str, text: str) -> None:
        missing = _missing(self.settings)
        if missing:
            raise ReplyRefused(self.where, missing)
        review_id = self._review_id(external_id)
        self.check_text(text, self.where)
        if self._token is None:
            self._token = business_user_token(self.http, self.settings)
        url = f"{self.settings.api_url}/private/reviews/{review_id}/reply"
        body = {"message": text, "authorBusinessUserId": self.settings.business_user_id}
        headers = {"Authorization": f"Bearer {self._token}", "Accept": "application/json"}
        try:
            self.http.post(url, json_body=body, headers=headers)
        except HttpStatusError as exc:
            if exc.status == 401:
                self._token = None  # expired or revoked: the next reply asks for a new one
            raise self._failure(exc, review_id, advice=POST_ADVICE) from None
        logger.info("Posted the reply of %s to Trustpilot review %s", self.label, review_id)

    def _review_id(self, external_id: str) -> str:
        review_id = external_id.strip()
        if not REVIEW_ID.match(review_id):
            detail = f"het review-id {review_id[:40]!r} is geen Trustpilot-id"
            raise ReplyRefused(self.where, detail)
        return review_id

    def _secrets(self) -> list[str]:
        values = [self.settings.api_key, self.settings.api_secret]
        values += [self.settings.username, self.settings.password]
        found = [value.get_secret_value() for value in values if value is not None]
        return [*found, self._token or ""]

    def _failure(self, exc: HttpStatusError, review_id: str, *, advice: str) -> SourceError:
        """The typed error for an error status of the review or reply address."""
        if exc.status in (401, 403):
            detail = f"foutcode {exc.status} bij {urlsplit(exc.url).path}"
            return AuthError(self.where, detail, advice=advice)
        if exc.status == 404:
            return ReviewGone(self.platform, review_id)
        if 400 <= exc.status < 500:
            said = server_message(exc.body, self._secrets())
            detail = f"Trustpilot gaf foutcode {exc.status}" + (f" ({said})" if said else "")
            return ReplyRefused(self.where, detail)
        return exc


def _missing(settings: TrustpilotSettings) -> str | None:
    """What the settings lack for posting, in Dutch; None when nothing."""
    missing = [name for name in NEEDED if getattr(settings, name) is None]
    if not missing:
        return None
    return (
        "voor reageren zijn api_key, api_secret, username, password en business_user_id nodig "
        f"(ontbreekt: {', '.join(missing)})"
    )


def reply_of(data: object, url: str) -> str | None:
    """The company's reply in a review object from ``GET /reviews/{id}`` (``companyReply.text``,
    or ``reply.message``); None when it has none. A reply that is there but unreadable is drift:
    guessing "none" could post a second reply."""
    where = short_url(url)
    if not isinstance(data, dict) or not ({"id", "companyReply", "reply"} & data.keys()):
        raise DriftError(where, "het antwoord is geen review")
    for key in ("companyReply", "reply"):
        reply = data.get(key)
        if reply is None:
            continue
        text = None
        if isinstance(reply, dict):
            text = plain(reply.get("text")) or plain(reply.get("message"))
        if text is None:
            raise DriftError(where, f"de reactie van het bedrijf ('{key}') is niet te lezen")
        return text
    return None
