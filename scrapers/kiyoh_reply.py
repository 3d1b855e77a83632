"""Posting an approved reply on Kiyoh (and Klantenvertellen), through the publication API."""

from __future__ import annotations

import logging
import re
from typing import ClassVar
from urllib.parse import urlsplit

from scrapers.base import SourceSettings
from scrapers.errors import AuthError, HttpStatusError, SourceError, short_url
from scrapers.kiyoh import (
    TOKEN_HEADER,
    KiyohCollector,
    KiyohSettings,
    KlantenvertellenCollector,
    KlantenvertellenSettings,
)
from scrapers.kiyoh_errors import ADVICE, error_data, error_detail
from scrapers.replying import ReplyPoster, ReplyRefused, ReviewGone

logger = logging.getLogger(__name__)

RESPONSE_PATH = "/v1/publication/review/response"
REVIEW_GONE = re.compile(r"REVIEW.*NOT.?FOUND|NOT.?FOUND.*REVIEW|REVIEW.*(DELETED|REMOVED)", re.I)


class KiyohReplyPoster(ReplyPoster):
    """PUTs the reply to ``/v1/publication/review/response`` with the publication token. Kiyoh
    keeps one response per review and a PUT replaces it, so a retry can never make a second
    reply (``replaces``); the HTTP client retries it on a server error like a GET."""

    name = "kiyoh"
    platform = "Kiyoh"
    replaces = True
    Settings = KiyohSettings
    settings: KiyohSettings
    Collector: ClassVar[type[KiyohCollector]] = KiyohCollector

    @classmethod
    def hosts(cls, settings: SourceSettings) -> set[str]:
        assert isinstance(settings, KiyohSettings)
        return {(urlsplit(settings.base_url).hostname or "").lower()}

    @property
    def endpoint(self) -> str:
        return self.settings.base_url + RESPONSE_PATH

    def post_reply(self, external_id: str, text: str) -> None:
        where = short_url(self.endpoint)
        review_id = external_id.strip()
        if not review_id:
            raise ReplyRefused(where, "de review heeft geen id")
        self.check_text(text, where)
        settings = self.settings
        body = {
            "locationId": settings.location_id,
            "tenantId": str(settings.tenant_id),
            "reviewId": review_id,
            "response": text,
            "reviewResponseType": "PUBLIC",
            "responseEmail": "false",  # Kiyoh would otherwise mail the reviewer the reply
        }
        headers = {TOKEN_HEADER: settings.token.get_secret_value(), "Accept": "application/json"}
        try:
            fetched = self.http.put(self.endpoint, json_body=body, headers=headers)
        except HttpStatusError as exc:
            raise self._failure(exc.status, exc.body, review_id, fallback=exc) from None
        if error_data(fetched.text) is not None:  # an error object with a success status
            raise self._failure(fetched.status, fetched.text, review_id)
        logger.info("Posted the reply of %s to %s review %s", self.label, self.platform, review_id)

    def existing_reply(self, external_id: str) -> str | None:
        """Kiyoh has no address for one review: the location's list (most recently changed
        first, where a new reply puts its review) is read until the review turns up."""
        review_id = external_id.strip()
        collector = self.Collector(self.settings, http=self.http, label=self.label)
        batches = collector.collect(cursor=None, full=True)
        try:
            for batch in batches:
                for record in batch.records:
                    if record.external_id == review_id:
                        return record.reply_text
        finally:
            batches.close()
        raise ReviewGone(self.platform, review_id)

    def _failure(
        self, status: int, body: str, review_id: str, *, fallback: SourceError | None = None
    ) -> SourceError:
        """The typed error for an error answer: an error status (``fallback``, the client's own
        error, for a server error) or Kiyoh's error object with a success status."""
        where = short_url(self.endpoint)
        data = error_data(body)
        if data is None:
            detail, about_access, code = None, False, ""
        else:
            secrets = (self.settings.token.get_secret_value(),)
            detail, about_access = error_detail(data, secrets)
            code = str(data.get("errorCode"))
        if status in (401, 403) or about_access:
            said = detail or "het token of de locatie wordt niet geaccepteerd"
            return AuthError(where, f"HTTP {status}: {said}", advice=ADVICE)
        if status == 404 or REVIEW_GONE.search(code):
            return ReviewGone(self.platform, review_id)
        if fallback is None or 400 <= status < 500:
            return ReplyRefused(where, detail or f"Kiyoh gaf foutcode {status}")
        return fallback


class KlantenvertellenReplyPoster(KiyohReplyPoster):
    """The same API on Klantenvertellen's host and tenant."""

    name = "klantenvertellen"
    platform = "Klantenvertellen"
    Settings = KlantenvertellenSettings
    Collector = KlantenvertellenCollector
