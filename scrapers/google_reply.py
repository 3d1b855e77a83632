"""Posting an approved reply on Google Business Profile, with the owner's OAuth refresh token."""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import quote

from scrapers.base import SourceSettings
from scrapers.errors import AuthError, DriftError, HttpStatusError, SourceError, short_url
from scrapers.fields import plain
from scrapers.google import (
    ASK_ACCESS,
    CHECK_RIGHTS,
    NO_RIGHTS,
    NOT_APPROVED,
    NOT_APPROVED_HINTS,
    RECREATE,
    WHERE,
    GoogleCollector,
    GoogleSettings,
    load_credentials,
)
from scrapers.http import Fetched, HttpClient
from scrapers.replying import ReplyPoster, ReplyRefused, ReviewGone, server_message

logger = logging.getLogger(__name__)

MAX_REPLY_BYTES = 4096  # Google's limit for a reply's comment


class GoogleReplyPoster(ReplyPoster):
    """PUTs the reply to ``.../reviews/{id}/reply`` with an access token traded for the owner's
    refresh token (the collector's token request). A review has one reply and a PUT replaces
    it, so a retry can never make a second one (``replaces``)."""

    name = "google"
    platform = "Google"
    replaces = True
    Settings = GoogleSettings
    settings: GoogleSettings

    def __init__(self, settings: SourceSettings, *, http: HttpClient, label: str) -> None:
        super().__init__(settings, http=http, label=label)
        self._collector = GoogleCollector(settings, http=http, label=label)
        self._token: str | None = None  # one token serves every reply of a run
        self._secrets: list[str] = []

    @classmethod
    def hosts(cls, settings: SourceSettings) -> set[str]:
        return GoogleCollector.hosts(settings)

    def review_url(self, external_id: str) -> str:
        """The API address of a review, from the id the collector stored (its ``reviewId``, or
        the last part of its ``name``)."""
        review_id = external_id.strip()
        if "/reviews/" in review_id:  # a whole resource name
            review_id = review_id.rsplit("/reviews/", 1)[1].strip("/")
        if review_id.startswith("h:"):  # derived_id: the real id was too long to store
            detail = "het id van deze review was te lang om te bewaren; plak de reactie zelf"
            raise ReplyRefused(WHERE, detail)
        if not review_id or "/" in review_id:
            raise ReplyRefused(WHERE, f"het review-id {review_id[:40]!r} is geen Google-id")
        return f"{self._collector.reviews_url}/{quote(review_id, safe='')}"

    def existing_reply(self, external_id: str) -> str | None:
        url = self.review_url(external_id)
        fetched = self._call("GET", url, external_id)
        data = fetched.json()
        if not isinstance(data, dict) or not ({"name", "reviewId"} & data.keys()):
            raise DriftError(short_url(url), "het antwoord is geen review")
        reply = data.get("reviewReply")
        if reply is None:
            return None
        text = plain(reply.get("comment")) if isinstance(reply, dict) else None
        if text is None:  # guessing "none" is not safe here
            raise DriftError(short_url(url), "de reactie van het bedrijf is niet te lezen")
        return text

    def post_reply(self, external_id: str, text: str) -> None:
        url = self.review_url(external_id) + "/reply"
        self.check_text(text, WHERE)
        if len(text.encode("utf-8")) > MAX_REPLY_BYTES:
            detail = f"de reactie is langer dan Google toestaat ({MAX_REPLY_BYTES} bytes)"
            raise ReplyRefused(WHERE, detail)
        self._call("PUT", url, external_id, body={"comment": text})
        logger.info("Posted the reply of %s to Google review %s", self.label, external_id)

    def _call(self, method: str, url: str, external_id: str, *, body: object = None) -> Fetched:
        if self._token is None:
            credentials = load_credentials(Path(self.settings.credentials_file).expanduser())
            self._secrets = [
                credentials.client_secret.get_secret_value(),
                credentials.refresh_token.get_secret_value(),
            ]
            self._token = self._collector.access_token(credentials)
        headers = {"Authorization": f"Bearer {self._token}", "Accept": "application/json"}
        try:
            if method == "PUT":
                return self.http.put(url, json_body=body, headers=headers)
            return self.http.get(url, headers=headers)
        except HttpStatusError as exc:
            if exc.status == 401:
                self._token = None  # expired or revoked: the next call asks for a new one
            raise self._failure(exc, external_id) from None

    def _failure(self, exc: HttpStatusError, external_id: str) -> SourceError:
        """The typed error for an error status (the collector's wording for refused access)."""
        if exc.status == 401:
            recreate = RECREATE.format(path=self.settings.credentials_file)
            detail = f"HTTP 401, het toegangstoken werd niet aanvaard; {recreate}"
            return AuthError(WHERE, detail)
        if exc.status == 403:
            if any(hint in exc.body.lower() for hint in NOT_APPROVED_HINTS):
                return AuthError(WHERE, NOT_APPROVED, advice=ASK_ACCESS)
            return AuthError(WHERE, NO_RIGHTS, advice=CHECK_RIGHTS)
        if exc.status == 404:
            return ReviewGone(self.platform, external_id)
        if 400 <= exc.status < 500:
            said = server_message(exc.body, [*self._secrets, self._token or ""])
            detail = f"Google gaf foutcode {exc.status}" + (f" ({said})" if said else "")
            return ReplyRefused(WHERE, detail)
        return exc
