"""Reviews of a Google Business Profile location, through Google's Business Profile API (OAuth)."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

from pydantic import Field, SecretStr, field_validator

from scrapers.base import Collection, Collector, Page, SourceSettings, sweep_newest_first
from scrapers.errors import (
    AuthError,
    DriftError,
    HttpStatusError,
    ParseError,
    SourceUnavailable,
    short_url,
)
from scrapers.fields import web_address
from scrapers.google_parse import ReviewPage, parse_reviews_data
from scrapers.records import RawReview

logger = logging.getLogger(__name__)

API_URL = "https://mybusiness.googleapis.com/v4"
TOKEN_URL = "https://oauth2.googleapis.com/token"  # noqa: S105 - an address, not a secret
PAGE_SIZE = 50
WHERE = "Google Business Profile"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
ID_PART = re.compile(r"[A-Za-z0-9_-]+")

RECREATE = "maak het inloggegevensbestand {path} opnieuw aan"
NOT_APPROVED = "HTTP 403: de API-toegang van het Cloud-project is nog niet goedgekeurd (quotum 0)"
NOT_APPROVED_HINTS = ("quota", "has not been used", "service_disabled", "resource_exhausted")
ASK_ACCESS = (
    "vraag Google eerst toegang tot de Business Profile API aan; tot die is goedgekeurd kan "
    "reviewwacht hier niets ophalen"
)
NO_RIGHTS = (
    "HTTP 403: het account heeft geen rechten op deze locatie of mist het bereik business.manage"
)
CHECK_RIGHTS = (
    "geef het Google-account beheerrechten op de locatie en maak het inloggegevensbestand opnieuw"
)

# Google puts its machine translation and the reviewer's own words in one comment, either as
# "(Translated by Google) <translation>\n\n(Original)\n<original>" or as
# "<original>\n\n(Translated by Google)\n<translation>"; in Dutch with Dutch labels.


def _http_url(value: str) -> str:
    parts = urlsplit(web_address(value))
    if parts.scheme == "http" and parts.hostname not in LOOPBACK:
        # Client secret, refresh token and access token never travel unencrypted.
        raise ValueError("een https://-adres (http:// alleen voor 127.0.0.1 of localhost)")
    return value.rstrip("/")


class GoogleSettings(SourceSettings):
    """Which location to read, and where the OAuth credentials file is (made once by the owner)."""

    credentials_file: str = Field(min_length=1)
    account_id: str
    location_id: str
    api_url: str = API_URL
    token_url: str = TOKEN_URL

    @field_validator("account_id", "location_id")
    @classmethod
    def _id(cls, value: str) -> str:
        # "accounts/123" and "locations/456", as Google's tools show them, are accepted too.
        bare = value.strip().removeprefix("accounts/").removeprefix("locations/")
        if not ID_PART.fullmatch(bare):
            raise ValueError("een nummer zoals 1234567890 (of accounts/1234567890)")
        return bare

    @field_validator("api_url", "token_url")
    @classmethod
    def _https(cls, value: str) -> str:
        return _http_url(value)


@dataclass(frozen=True, slots=True)
class Credentials:
    """The OAuth client and refresh token from the credentials file; secrets stay masked."""

    client_id: str
    client_secret: SecretStr
    refresh_token: SecretStr


def load_credentials(path: Path) -> Credentials:
    """The credentials file as Google's tools write it (``authorized_user``: client_id,
    client_secret, refresh_token at the top), or with the client under ``installed`` or ``web``.
    A missing or unreadable file is SourceUnavailable; invalid JSON or a missing key a ParseError
    that names the key and never shows a value."""
    where = f"Google-inloggegevensbestand {path}"
    try:
        raw = path.read_bytes()
    except OSError as exc:
        reason = "bestaat niet" if isinstance(exc, FileNotFoundError) else "is niet te openen"
        detail = f"het bestand {reason} ({exc.strerror or type(exc).__name__})"
        raise SourceUnavailable(where, detail) from None
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ParseError(where, "geen geldige JSON (geen UTF-8)") from None
    except json.JSONDecodeError as exc:
        raise ParseError(where, f"geen geldige JSON (regel {exc.lineno})") from None
    except RecursionError:
        raise ParseError(where, "geen geldige JSON (te diep genest)") from None
    if not isinstance(data, dict):
        raise ParseError(
            where, "verwacht een JSON-object met client_id, client_secret en refresh_token"
        )
    nested = [data] + [data[key] for key in ("installed", "web") if isinstance(data.get(key), dict)]

    def value(key: str) -> str:
        for node in nested:
            found = node.get(key)
            if isinstance(found, str) and found.strip():
                return found.strip()
        raise ParseError(where, f"de sleutel '{key}' ontbreekt of is leeg")

    return Credentials(
        client_id=value("client_id"),
        client_secret=SecretStr(value("client_secret")),
        refresh_token=SecretStr(value("refresh_token")),
    )


class GoogleCollector(Collector):
    """Reads the reviews of one location, newest change first (``orderBy=updateTime desc``),
    50 per page, with an access token from the owner's refresh token.

    Incremental runs stop after a page that held nothing new, but only once that page reaches
    back to the cursor: the newest update time of the last complete sweep. A run that broke off
    saved no cursor, so the next run pages on past the reviews it already stored and still finds
    the older new ones. The cursor goes on the last batch of a sweep only (on an empty batch when
    the sweep stops early)."""

    name = "google"
    Settings = GoogleSettings
    settings: GoogleSettings
    lists_everything = True

    @classmethod
    def hosts(cls, settings: SourceSettings) -> set[str]:
        assert isinstance(settings, GoogleSettings)
        return {urlsplit(url).hostname or "" for url in (settings.api_url, settings.token_url)}

    @property
    def reviews_url(self) -> str:
        s = self.settings
        return f"{s.api_url}/accounts/{s.account_id}/locations/{s.location_id}/reviews"

    def access_token(self, credentials: Credentials) -> str:
        """Trade the refresh token for an access token; a refused one is an AuthError."""
        token_url = self.settings.token_url
        form = {
            "grant_type": "refresh_token",
            "client_id": credentials.client_id,
            "client_secret": credentials.client_secret.get_secret_value(),
            "refresh_token": credentials.refresh_token.get_secret_value(),
        }
        try:
            fetched = self.http.post(token_url, data=form)
        except HttpStatusError as exc:
            if exc.status in (400, 401):  # invalid_grant (revoked, expired), invalid_client
                detail = (
                    f"HTTP {exc.status}, het vernieuwingstoken is ingetrokken of verlopen of de "
                    f"client klopt niet; {RECREATE.format(path=self.settings.credentials_file)}"
                )
                raise AuthError(WHERE, detail) from None
            raise
        data = fetched.json()
        token = data.get("access_token") if isinstance(data, dict) else None
        if not isinstance(token, str) or not token.strip():
            raise ParseError(short_url(token_url), "het antwoord bevat geen access_token")
        return token.strip()

    def _page(self, token: str, page_token: str | None) -> ReviewPage:
        query = {"pageSize": str(PAGE_SIZE)}
        if page_token:
            query["pageToken"] = page_token
        query["orderBy"] = "updateTime desc"
        url = f"{self.reviews_url}?{urlencode(query, quote_via=quote)}"
        try:
            fetched = self.http.get(url, headers={"Authorization": f"Bearer {token}"})
        except HttpStatusError as exc:
            if exc.status == 401:
                recreate = RECREATE.format(path=self.settings.credentials_file)
                detail = f"HTTP 401, het toegangstoken werd niet aanvaard; {recreate}"
                raise AuthError(WHERE, detail) from None
            if exc.status == 403:
                body = exc.body.lower()
                if any(hint in body for hint in NOT_APPROVED_HINTS):
                    raise AuthError(WHERE, NOT_APPROVED, advice=ASK_ACCESS) from None
                raise AuthError(WHERE, NO_RIGHTS, advice=CHECK_RIGHTS) from None
            raise
        return parse_reviews_data(fetched.json(), fetched.url, first_page=page_token is None)

    def collect(self, *, cursor: str | None, full: bool = False) -> Collection:
        credentials = load_credentials(Path(self.settings.credentials_file).expanduser())
        token = self.access_token(credentials)
        yield from sweep_newest_first(
            self._pages(token), cursor=cursor, full=full, moment=changed, source=WHERE
        )

    def _pages(self, token: str) -> Iterator[Page]:
        """The review list page by page, fetched only as the sweep asks; a page token that comes
        back is drift (the list would never end)."""
        page_token: str | None = None
        tokens_seen: set[str] = set()
        while True:
            page = self._page(token, page_token)
            following = page.next_page_token
            if following is not None and following in tokens_seen | {page_token}:
                raise DriftError(short_url(self.reviews_url), "de paginering herhaalt zich")
            yield Page(
                records=page.records,
                has_more=following is not None,
                warnings=page.warnings,
                stats=page.stats,
            )
            if following is None:
                return
            if page_token is not None:
                tokens_seen.add(page_token)
            page_token = following


def changed(record: RawReview) -> datetime | None:
    """When a review last changed: Google lists by update time."""
    return record.updated_at or record.published_at
