"""Ratings from the WebwinkelKeur dashboard API (shop id and API code), newest first."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr

from scrapers.base import Collection, Collector, Page, SourceSettings, sweep_newest_first
from scrapers.dates import parse_dutch_date
from scrapers.errors import AuthError, DriftError, HttpStatusError, ParseError, short_url
from scrapers.fields import AccountId, ApiBaseUrl, count, first, load_json, number, plain, scrub
from scrapers.http import Fetched
from scrapers.records import RawReview, derived_id

API_PATH = "/api/1.0/"
# Field names are not confirmed (seen in client code); the first key present wins.
ID_KEYS = ("id", "rating_id")
RATING_KEYS = ("rating", "score")
TEXT_KEYS = ("comment", "text", "content")
DATE_KEYS = ("date", "created")
REPLY_KEYS = ("reply", "response")
TOTAL_KEYS = ("total_ratings", "amount", "total", "count")
AVERAGE_KEYS = ("rating", "average", "average_rating")
AUTH_WORDS = re.compile(
    r"\b(code|key|api[ _-]?key|id|shop|webshop|token|credentials?|auth\w*|unauthori[sz]ed|"
    r"forbidden|access|toegang)\b",
    re.IGNORECASE,
)
ADVICE = "controleer shop_id en api_key in de configuratie"


class WebwinkelKeurSettings(SourceSettings):
    """The shop's WebwinkelKeur id and API code, and the scale its ratings use."""

    shop_id: AccountId
    api_key: SecretStr = Field(min_length=1)
    base_url: ApiBaseUrl = "https://dashboard.webwinkelkeur.nl"
    page_size: int = Field(default=100, ge=1, le=1000)
    rating_max: Literal[5, 10] = 10


@dataclass(slots=True)
class RatingsPage:
    """One response: its ratings, how many entries it held (skipped ones too), warnings."""

    records: list[RawReview]
    count: int
    warnings: list[str] = field(default_factory=list)


def _error_message(body: str, secrets: Sequence[str]) -> str | None:
    """The ``message`` of an error response's body, when there is one (secrets masked)."""
    try:
        data = json.loads(body or "null")
    except (ValueError, RecursionError):
        return None
    message = plain(data.get("message")) if isinstance(data, dict) else None
    return scrub(message, secrets) if message else None


def _payload(data: Any, where: str, secrets: Sequence[str]) -> Any:
    """The ``data`` of a ``{status, message, data}`` envelope; a status other than success is an
    AuthError when its message is about the id or code, else a ParseError."""
    if not isinstance(data, dict):
        raise ParseError(where, "het antwoord is geen JSON-object")
    status = data.get("status")
    if status is not None and str(status).strip().lower() != "success":
        message = scrub(plain(data.get("message")) or f"status {str(status)[:40]!r}", secrets)
        if AUTH_WORDS.search(message):
            raise AuthError(where, f"WebwinkelKeur meldt: {message}", advice=ADVICE)
        raise ParseError(where, f"WebwinkelKeur meldt: {message}")
    if data.get("data") is None:
        raise DriftError(where, "het veld 'data' ontbreekt in het antwoord")
    return data["data"]


def parse_summary(text: str, url: str, *, secrets: Sequence[str] = ()) -> dict[str, Any]:
    """A saved ``ratings_summary.json`` response; see ``summary_from_json``."""
    return summary_from_json(load_json(text, url), url, secrets=secrets)


def summary_from_json(data: Any, url: str, *, secrets: Sequence[str] = ()) -> dict[str, Any]:
    """The shop's own figures as ``Batch.stats``: ``{"total": n, "average": x}``."""
    where = short_url(url)
    payload = _payload(data, where, secrets)
    summary = payload.get("ratings_summary", payload) if isinstance(payload, dict) else None
    if not isinstance(summary, dict):
        raise DriftError(where, "'ratings_summary' ontbreekt")
    stats: dict[str, Any] = {}
    total = count(first(summary, TOTAL_KEYS)[1])
    if total is not None:
        stats["total"] = total
    average = number(first(summary, AVERAGE_KEYS)[1])
    if average is not None:
        stats["average"] = average
    if not stats:
        raise DriftError(where, "geen aantal of gemiddelde in 'ratings_summary'")
    return stats


def parse_ratings(
    text: str, url: str, *, shop_id: str, rating_max: int = 10, secrets: Sequence[str] = ()
) -> RatingsPage:
    """A saved ``ratings.json`` response; see ``ratings_from_json``."""
    return ratings_from_json(
        load_json(text, url), url, shop_id=shop_id, rating_max=rating_max, secrets=secrets
    )


def ratings_from_json(
    data: Any, url: str, *, shop_id: str, rating_max: int = 10, secrets: Sequence[str] = ()
) -> RatingsPage:
    """The ratings of one response (``data`` a list, or ``data.ratings``). A rating with neither
    text nor score is skipped with a warning; a page where none can be read is a DriftError."""
    where = short_url(url)
    payload = _payload(data, where, secrets)
    ratings = payload.get("ratings") if isinstance(payload, dict) else payload
    if not isinstance(ratings, list):
        raise DriftError(where, "er staat geen lijst met beoordelingen in 'data'")
    page = RatingsPage(records=[], count=len(ratings))
    for position, item in enumerate(ratings, start=1):
        record = (
            _rating(item, shop_id, rating_max, where, page.warnings)
            if isinstance(item, dict)
            else None
        )
        if record is None:
            page.warnings.append(
                f"{where}: beoordeling {position} overgeslagen: geen tekst of cijfer."
            )
        else:
            page.records.append(record)
    if ratings and not page.records:
        raise DriftError(where, "geen enkele beoordeling is nog te lezen (andere veldnamen?)")
    return page


def _rating(
    item: dict[str, Any], shop_id: str, rating_max: int, where: str, warnings: list[str]
) -> RawReview | None:
    text = plain(first(item, TEXT_KEYS)[1]) or ""
    _, score = first(item, RATING_KEYS)
    rating = number(score)
    if score is not None and rating is None:
        warnings.append(f"{where}: cijfer {str(score)[:20]!r} is geen getal; weggelaten.")
    elif rating is not None and not 1 <= rating <= rating_max:
        warnings.append(
            f"{where}: cijfer {rating:g} valt buiten de schaal 1-{rating_max} (klopt "
            "rating_max?); weggelaten."
        )
        rating = None
    if not text and rating is None:
        return None
    name = plain(item.get("name"))
    _, date_value = first(item, DATE_KEYS)
    date_text = plain(date_value)
    published = _date(date_text, where, warnings)
    external_id = plain(first(item, ID_KEYS)[1])
    if external_id is None:
        # Name and date identify a rating without an id; the text only when they are missing,
        # because an edited text would otherwise look like a new rating. Never the e-mail.
        key = f"{shop_id}|{name}|{date_text}"
        if name is None or date_text is None:
            key += f"|{text[:200]}"
        external_id = derived_id(key)
    _, reply = first(item, REPLY_KEYS)
    if isinstance(reply, dict):
        reply = first(reply, ("text", "comment", "message", "content"))[1]
    language = plain(item.get("language"))
    return RawReview(
        external_id=external_id,
        text=text,
        author=name,
        rating=rating,
        rating_min=1.0,
        rating_max=float(rating_max),
        language=language.lower() if language and len(language) <= 16 else None,
        published_at=published,
        reply_text=plain(reply),
    )


def _date(text: str | None, where: str, warnings: list[str]) -> datetime | None:
    if text is None:
        return None
    try:
        return parse_dutch_date(text)
    except (ValueError, OverflowError, TypeError, KeyError, IndexError):
        warnings.append(f"{where}: datum {text[:40]!r} is niet te lezen.")
        return None


class WebwinkelKeurCollector(Collector):
    """Reads the shop's figures once, then pages through its ratings, newest first, until a page
    brings nothing new (or to the end, for a full resync). The API code travels in the query, as
    the API requires; errors and logs show URLs without it."""

    name = "webwinkelkeur"
    Settings = WebwinkelKeurSettings
    settings: WebwinkelKeurSettings
    lists_everything = True

    @classmethod
    def hosts(cls, settings: SourceSettings) -> set[str]:
        assert isinstance(settings, WebwinkelKeurSettings)
        return {urlsplit(settings.base_url).hostname or ""}

    def _url(self, name: str) -> str:
        return self.settings.base_url + API_PATH + name

    @property
    def _secrets(self) -> tuple[str, ...]:
        return (self.settings.api_key.get_secret_value(),)

    def _get(self, name: str, params: dict[str, str]) -> Fetched:
        query = {"id": self.settings.shop_id, "code": self._secrets[0], **params}
        try:
            return self.http.get(
                self._url(name), params=query, headers={"Accept": "application/json"}
            )
        except HttpStatusError as exc:
            if exc.status in (401, 403):
                said = _error_message(exc.body, self._secrets)
                detail = said or "het webshop-id of de API-code wordt niet geaccepteerd"
                where = short_url(self._url(name))
                raise AuthError(where, f"HTTP {exc.status}: {detail}", advice=ADVICE) from None
            raise

    def _summary(self) -> tuple[dict[str, Any], list[str]]:
        """The shop's figures, or none and a warning when only the summary cannot be read."""
        try:
            fetched = self._get("ratings_summary.json", {})
            return summary_from_json(fetched.json(), fetched.url, secrets=self._secrets), []
        except AuthError:
            raise
        except (HttpStatusError, ParseError) as exc:
            return {}, [f"Het overzicht van WebwinkelKeur is niet gelezen: {exc.explain()}"]

    def collect(self, *, cursor: str | None, full: bool = False) -> Collection:
        yield from sweep_newest_first(
            self._pages(), cursor=cursor, full=full, source="WebwinkelKeur"
        )

    def _pages(self) -> Iterator[Page]:
        """The ratings page by page, newest first, fetched only as the sweep asks; the shop's
        figures (read once) go with the first page."""
        settings = self.settings
        stats, warnings = self._summary()
        seen: set[str] = set()
        offset = 0
        while True:
            params = {"limit": str(settings.page_size), "offset": str(offset)}
            fetched = self._get("ratings.json", params)
            page = ratings_from_json(
                fetched.json(),
                fetched.url,
                shop_id=settings.shop_id,
                rating_max=settings.rating_max,
                secrets=self._secrets,
            )
            where = short_url(fetched.url)
            if offset == 0 and not page.records and stats.get("total"):
                raise DriftError(
                    where, f"WebwinkelKeur meldt {stats['total']} beoordelingen maar gaf er geen"
                )
            fresh = [record for record in page.records if record.external_id not in seen]
            if page.records and not fresh:
                raise DriftError(
                    where,
                    f"vanaf beoordeling {offset} kwamen dezelfde beoordelingen terug; de API lijkt "
                    "'offset' te negeren, dus niet alles is gelezen",
                )
            seen.update(record.external_id for record in fresh)
            more = page.count >= settings.page_size
            yield Page(
                records=fresh,
                has_more=more,
                warnings=warnings + page.warnings if offset == 0 else page.warnings,
                stats=stats if offset == 0 else {},
            )
            if not more:
                return
            offset += page.count
