"""Trustpilot reviews: the Business API with the shop's key (private reviews over OAuth), else
the public review pages, read from their embedded Next.js data."""

from __future__ import annotations

import itertools
import logging
import re
from collections.abc import Callable, Mapping
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationInfo, field_validator

from scrapers.base import Collection, Collector, SourceSettings, sweep_newest_first
from scrapers.errors import AuthError, HttpStatusError
from scrapers.fields import web_address
from scrapers.http import Fetched, HttpClient
from scrapers.trustpilot_parse import (
    API_PER_PAGE,
    KEY_CHARS,
    ReviewPage,
    business_unit_from,
    parse_page,
    reviews_from_api,
    token_from,
)

logger = logging.getLogger(__name__)

OAUTH_PATH = "/oauth/oauth-business-users-for-applications/accesstoken"
_BUSINESS_USER_ID = re.compile(r"[A-Za-z0-9_-]{1,100}\Z")
_HOST_NAME = re.compile(
    r"(?=.{1,253}\Z)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?\Z"
)


class TrustpilotSettings(SourceSettings):
    """The shop's domain on Trustpilot. With ``api_key`` the Business API is read instead of the
    public pages; with ``api_secret``, ``username`` and ``password`` (a business user) as well,
    its private review list; with ``business_user_id`` (the business user who signs replies) as
    well, approved replies are posted."""

    domain: str
    site_url: str = "https://nl.trustpilot.com"
    api_url: str = "https://api.trustpilot.com/v1"
    api_key: SecretStr | None = None
    api_secret: SecretStr | None = None
    username: SecretStr | None = None
    password: SecretStr | None = Field(default=None, validate_default=True)
    business_user_id: str | None = None
    # The most pages an ordinary run reads. A full resync reads to the end, within the HTTP
    # client's request budget: it must see every review to tell which were removed.
    max_pages: int = Field(default=50, ge=1)

    @field_validator("domain")
    @classmethod
    def _host_name(cls, value: str) -> str:
        if not _HOST_NAME.match(value.lower()):
            raise ValueError("een domeinnaam zoals 'depollepel.nl' (zonder https:// en zonder pad)")
        return value.lower()

    @field_validator("site_url", "api_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        return web_address(value).rstrip("/")

    @field_validator("api_key", "api_secret")
    @classmethod
    def _key_characters(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not KEY_CHARS.match(value.get_secret_value()):
            raise ValueError("een sleutel van letters, cijfers en leestekens, zonder spaties")
        return value

    @field_validator("business_user_id")
    @classmethod
    def _business_user_id(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not _BUSINESS_USER_ID.match(value.strip()):
            raise ValueError("het id van de zakelijke gebruiker: letters, cijfers, - en _")
        return value.strip()

    @field_validator("username", "password")
    @classmethod
    def _not_blank(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().strip():
            raise ValueError("een waarde die niet leeg is (of laat de instelling weg)")
        return value

    @field_validator("password")
    @classmethod
    def _complete_credentials(
        cls, value: SecretStr | None, info: ValidationInfo
    ) -> SecretStr | None:
        given = [info.data.get(name) is not None for name in ("api_secret", "username")]
        given.append(value is not None)
        if any(given) and (not all(given) or info.data.get("api_key") is None):
            raise ValueError(
                "api_secret, username en password alle drie of geen van drieën, en met api_key"
            )
        return value

    @property
    def oauth(self) -> bool:
        """Whether the private review list is read (as a business user, over OAuth)."""
        return None not in (self.api_key, self.api_secret, self.username, self.password)


def api_where(settings: TrustpilotSettings) -> str:
    """How errors name the Trustpilot API: "Trustpilot (api.trustpilot.com)"."""
    return f"Trustpilot ({urlsplit(settings.api_url).hostname})"


def business_user_token(http: HttpClient, settings: TrustpilotSettings) -> str:
    """An OAuth access token for the business user (password grant, app key and secret); a
    refused request is an AuthError. Used to read the private list and to post replies."""
    assert settings.api_key and settings.api_secret and settings.username and settings.password
    url = f"{settings.api_url}{OAUTH_PATH}"
    form = {
        "grant_type": "password",
        "username": settings.username.get_secret_value(),
        "password": settings.password.get_secret_value(),
    }
    auth = (settings.api_key.get_secret_value(), settings.api_secret.get_secret_value())
    try:
        fetched = http.post(url, data=form, auth=auth)
    except HttpStatusError as exc:
        if exc.status in (400, 401, 403):
            detail = f"het token voor de bedrijfsgebruiker werd geweigerd, foutcode {exc.status}"
            advice = (
                "controleer de API-sleutel, het geheim en de gebruikersnaam en het wachtwoord "
                "van de zakelijke gebruiker"
            )
            raise AuthError(api_where(settings), detail, advice=advice) from None
        raise
    return token_from(fetched.json(), fetched.url)


# ---------------------------------------------------------------- the collector


class TrustpilotCollector(Collector):
    """Reads the shop's reviews newest first, a page per batch: from the Business API when a key
    is configured, else from the public review pages (where robots.txt allows).

    An ordinary run stops at a page of only known, unchanged reviews, once it has reached the
    reviews of the last complete sweep. The cursor is the publication time of the newest review
    of the last complete sweep, saved with its last batch: a sweep that broke off leaves it as it
    was, so the next run reads on past the reviews that are already stored.
    """

    name = "trustpilot"
    Settings = TrustpilotSettings
    settings: TrustpilotSettings
    lists_everything = True

    @classmethod
    def hosts(cls, settings: SourceSettings) -> set[str]:
        assert isinstance(settings, TrustpilotSettings)
        hosts = {(urlsplit(settings.site_url).hostname or "").lower()}
        if settings.api_key is not None:
            hosts.add((urlsplit(settings.api_url).hostname or "").lower())
        return hosts

    def collect(self, *, cursor: str | None, full: bool = False) -> Collection:
        if self.settings.api_key is None:
            read: Callable[[int], ReviewPage] = self._public_page
        else:
            read = self._api_reader()
        pages = (read(number) for number in itertools.count(1))
        yield from sweep_newest_first(
            pages, cursor=cursor, full=full, max_pages=self.settings.max_pages, source="Trustpilot"
        )

    def _public_page(self, number: int) -> ReviewPage:
        fetched = self.http.get(
            f"{self.settings.site_url}/review/{self.settings.domain}",
            params={"page": str(number), "languages": "all", "sort": "recency"},
            public=True,
        )
        return parse_page(fetched.text, fetched.url, site_url=self.settings.site_url, page=number)

    def _api_reader(self) -> Callable[[int], ReviewPage]:
        """Looks up the business unit (and gets a token for the private list); returns what
        reads one page of its reviews."""
        assert self.settings.api_key is not None
        api = self.settings.api_url
        key = self.settings.api_key.get_secret_value()
        found = self._api_get(
            f"{api}/business-units/find",
            params={"name": self.settings.domain},
            headers={"apikey": key},
        )
        unit_id, stats = business_unit_from(found.json(), found.url)
        if self.settings.oauth:
            url = f"{api}/private/business-units/{unit_id}/reviews"
            headers = {"Authorization": f"Bearer {business_user_token(self.http, self.settings)}"}
        else:
            url = f"{api}/business-units/{unit_id}/reviews"
            headers = {"apikey": key}

        def read(number: int) -> ReviewPage:
            params = {
                "perPage": str(API_PER_PAGE),
                "page": str(number),
                "orderBy": "createdat.desc",
            }
            fetched = self._api_get(url, params=params, headers=headers)
            return reviews_from_api(
                fetched.json(),
                fetched.url,
                site_url=self.settings.site_url,
                page=number,
                stats=stats,
            )

        return read

    def _api_get(
        self, url: str, *, params: Mapping[str, str], headers: Mapping[str, str]
    ) -> Fetched:
        """GET an API address with these headers; credentials refused (401, 403) are an
        AuthError."""
        try:
            return self.http.get(url, params=params, headers=headers)
        except HttpStatusError as exc:
            if exc.status in (401, 403):
                detail = f"foutcode {exc.status} bij {urlsplit(url).path}"
                raise AuthError(self._api_where(), detail) from None
            raise

    def _api_where(self) -> str:
        return api_where(self.settings)
