"""Reviews from the Feedback Company API v2 (OAuth client id and secret), newest first."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from pydantic import Field, SecretStr

from scrapers.base import Collection, Collector, Page, SourceSettings, sweep_newest_first
from scrapers.errors import AuthError, DriftError, HttpStatusError, ParseError, short_url
from scrapers.fields import AccountId, ApiBaseUrl, load_json, number, plain, scrub, when, yes_no
from scrapers.http import Fetched
from scrapers.records import RawReview, clean_text

TOKEN_PATH = "/api/v2/oauth2/token"  # noqa: S105 - a path, not a password
REVIEW_PATH = "/api/v2/review"
SCORE_MIN, SCORE_MAX = 1.0, 5.0
# Question types: "main_open" holds the review text and "final_score" the score (seen in the
# platform's own plugin); the title types are a guess, other open answers a fallback.
TEXT_TYPES = ("main_open", "opinion", "review", "text")
TITLE_TYPES = ("title", "oneliner", "short_open", "headline", "summary")
SCORE_TYPES = ("final_score", "total_score")
REPLY_KEYS = ("reply", "response", "shop_reply", "shop_response")
TOTAL_KEYS = ("total", "total_count", "count")
AVERAGE_KEYS = ("average", "average_score")
AUTH_WORDS = re.compile(r"token|auth|unauthori[sz]ed|forbidden|credential|client|access", re.I)
ADVICE = "controleer client_id en client_secret in de configuratie"


class FeedbackCompanySettings(SourceSettings):
    """The shop's OAuth client at Feedback Company."""

    client_id: AccountId
    client_secret: SecretStr = Field(min_length=1)
    base_url: ApiBaseUrl = "https://www.feedbackcompany.com"
    page_size: int = Field(default=100, ge=1, le=1000)


@dataclass(slots=True)
class ReviewsPage:
    """One response: its reviews, how many entries it held (skipped ones too), the totals the
    API reports, warnings."""

    records: list[RawReview]
    count: int
    stats: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def _message(data: dict[str, Any], secrets: Sequence[str]) -> str | None:
    """The reason an error body gives (masked), or None."""
    for key in ("error_description", "description", "message", "error"):
        text = plain(data.get(key))
        if text and text.lower() not in ("true", "1"):
            return scrub(text, secrets)
    return None


def _error_message(exc: HttpStatusError, secrets: Sequence[str]) -> str | None:
    """The reason in an error response's JSON body, when the HTTP client kept the body."""
    try:
        data = json.loads(exc.body or "null")
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    return _message(data, secrets)


def token_from_json(data: Any, url: str, *, secrets: Sequence[str] = ()) -> str:
    """The access token of a token response; an AuthError when the platform refused one."""
    where = short_url(url)
    if not isinstance(data, dict):
        raise ParseError(where, "het antwoord is geen JSON-object")
    token = data.get("access_token")
    if data.get("error") not in (None, False, "", 0) or not isinstance(token, str) or not token:
        reason = _message(data, secrets) or "geen reden opgegeven"
        raise AuthError(where, f"geen toegangstoken ({reason})", advice=ADVICE)
    return token


def parse_reviews(text: str, url: str, *, secrets: Sequence[str] = ()) -> ReviewsPage:
    """A saved review response; see ``reviews_from_json``."""
    return reviews_from_json(load_json(text, url), url, secrets=secrets)


def reviews_from_json(data: Any, url: str, *, secrets: Sequence[str] = ()) -> ReviewsPage:
    """The reviews of one response (``reviews``, ``data`` or ``data.reviews``). An error body is
    an AuthError or ParseError; a list that is gone, ids that are gone or a page where no review
    has text or a score is a DriftError."""
    where = short_url(url)
    if not isinstance(data, dict):
        raise ParseError(where, "het antwoord is geen JSON-object")
    if data.get("error") not in (None, False, "", 0) or data.get("success") is False:
        message = _message(data, secrets) or "geen reden opgegeven"
        if AUTH_WORDS.search(message):
            raise AuthError(where, f"Feedback Company meldt: {message}", advice=ADVICE)
        raise ParseError(where, f"Feedback Company meldt: {message}")
    reviews = data.get("reviews")
    if reviews is None:
        inner = data.get("data")
        reviews = inner.get("reviews") if isinstance(inner, dict) else inner
    if not isinstance(reviews, list):
        raise DriftError(where, "het antwoord bevat geen lijst 'reviews'")
    page = ReviewsPage(records=[], count=len(reviews), stats=_stats(data))
    without_id = 0
    for item in reviews:
        review_id = item.get("id") if isinstance(item, dict) else None
        if isinstance(review_id, bool) or not isinstance(review_id, str | int):
            without_id += 1
            continue
        assert isinstance(item, dict)
        external_id = clean_text(str(review_id)).strip()
        if not external_id:
            without_id += 1
            continue
        record = _review(item, external_id, where, page.warnings)
        if record is None:
            page.warnings.append(
                f"{where}: review {external_id} overgeslagen: geen tekst of score."
            )
        else:
            page.records.append(record)
    if reviews and without_id == len(reviews):
        raise DriftError(where, "de reviews hebben geen 'id' meer")
    if without_id:
        page.warnings.append(f"{where}: {without_id} review(s) zonder id overgeslagen.")
    if reviews and not page.records:
        raise DriftError(where, "geen enkele review heeft nog tekst of een score")
    return page


def _stats(data: dict[str, Any]) -> dict[str, Any]:
    stats: dict[str, Any] = {}
    for key in TOTAL_KEYS:
        total = number(data.get(key))
        if total is not None and total >= 0 and total.is_integer():
            stats["total"] = int(total)
            break
    for key in AVERAGE_KEYS:
        average = number(data.get(key))
        if average is not None:
            stats["average"] = average
            break
    return stats


def _review(
    item: dict[str, Any], external_id: str, where: str, warnings: list[str]
) -> RawReview | None:
    answers: dict[str, list[str]] = {}
    scores: list[float] = []
    questions = item.get("questions")
    for question in questions if isinstance(questions, list) else []:
        if not isinstance(question, dict):
            continue
        kind = question.get("type")
        kind = kind.strip().lower() if isinstance(kind, str) else ""
        value = question.get("value")
        if kind in SCORE_TYPES and (score := number(value)) is not None:
            scores.append(score)
        elif isinstance(value, str) and (text := plain(value)):
            answers.setdefault(kind, []).append(text)
    texts = [text for kind in TEXT_TYPES for text in answers.get(kind, [])]
    if not texts:  # no main answer: the other open answers, in order
        texts = [t for kind, found in answers.items() if "open" in kind for t in found]
    titles = [text for kind in TITLE_TYPES for text in answers.get(kind, [])]
    rating = number(item.get("total_score"))
    if rating is None and scores:
        rating = scores[0]
    if rating is not None and not SCORE_MIN <= rating <= SCORE_MAX:
        warnings.append(
            f"{where}: review {external_id} heeft score {rating:g}, buiten de schaal 1-5; "
            "de score is weggelaten."
        )
        rating = None
    text = "\n\n".join(texts)
    if not text and rating is None:
        return None
    title = titles[0] if titles else None
    client = item.get("client")
    author = plain(client.get("name")) if isinstance(client, dict) else None
    reply_text, reply_at = _reply(item)
    language = plain(item.get("language"))
    return RawReview(
        external_id=external_id,
        text=text,
        author=author,
        title=title,
        rating=rating,
        rating_min=SCORE_MIN,
        rating_max=SCORE_MAX,
        language=language.lower() if language and len(language) <= 16 else None,
        published_at=when(item.get("date_created")),
        updated_at=when(item.get("date_updated")),
        reply_text=reply_text,
        reply_at=reply_at,
        recommends=yes_no(item.get("recommends")),
    )


def _reply(item: dict[str, Any]) -> tuple[str | None, datetime | None]:
    """The shop's public reply, when the response carries one (field name unverified)."""
    for key in REPLY_KEYS:
        value = item.get(key)
        if isinstance(value, dict):
            text = next(
                (t for k in ("text", "value", "message", "comment") if (t := plain(value.get(k)))),
                None,
            )
            if text:
                stamp = when(value.get("date_created")) or when(value.get("date"))
                return text, stamp
        elif isinstance(value, str) and (text := plain(value)):
            return text, None
    return None, None


class FeedbackCompanyCollector(Collector):
    """Gets an access token for the run, then pages through the shop's reviews, newest first,
    until a page brings nothing new (or to the end, for a full resync). A token that expires
    during the run is renewed once."""

    name = "feedbackcompany"
    Settings = FeedbackCompanySettings
    settings: FeedbackCompanySettings
    lists_everything = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._token: str | None = None

    @classmethod
    def hosts(cls, settings: SourceSettings) -> set[str]:
        assert isinstance(settings, FeedbackCompanySettings)
        return {urlsplit(settings.base_url).hostname or ""}

    @property
    def _secrets(self) -> tuple[str, ...]:
        return tuple(t for t in (self.settings.client_secret.get_secret_value(), self._token) if t)

    def _new_token(self) -> str:
        # The documented form: a GET with the client in the query (errors show no query).
        url = self.settings.base_url + TOKEN_PATH
        params = {
            "client_id": self.settings.client_id,
            "client_secret": self.settings.client_secret.get_secret_value(),
            "grant_type": "authorization_code",
        }
        try:
            fetched = self.http.get(url, params=params, headers={"Accept": "application/json"})
        except HttpStatusError as exc:
            if exc.status in (400, 401, 403):
                said = _error_message(exc, self._secrets) or "de OAuth-client is geweigerd"
                raise AuthError(
                    short_url(url), f"HTTP {exc.status}: {said}", advice=ADVICE
                ) from None
            raise
        self._token = token_from_json(fetched.json(), url, secrets=self._secrets)
        return self._token

    def _reviews(self, params: dict[str, str]) -> Fetched:
        url = self.settings.base_url + REVIEW_PATH
        renewed = self._token is None
        token = self._token or self._new_token()
        while True:
            headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
            try:
                return self.http.get(url, params=params, headers=headers)
            except HttpStatusError as exc:
                if exc.status == 401 and not renewed:  # expired: one new token, one retry
                    renewed = True
                    token = self._new_token()
                    continue
                if exc.status in (401, 403):
                    said = _error_message(exc, self._secrets)
                    detail = said or "het toegangstoken wordt niet geaccepteerd"
                    raise AuthError(
                        short_url(url), f"HTTP {exc.status}: {detail}", advice=ADVICE
                    ) from None
                raise

    def collect(self, *, cursor: str | None, full: bool = False) -> Collection:
        yield from sweep_newest_first(
            self._pages(), cursor=cursor, full=full, source="Feedback Company"
        )

    def _pages(self) -> Iterator[Page]:
        """The reviews page by page, newest first, fetched only as the sweep asks."""
        settings = self.settings
        seen: set[str] = set()
        start = 0
        while True:
            fetched = self._reviews({"limit": str(settings.page_size), "start": str(start)})
            where = short_url(fetched.url)
            page = reviews_from_json(fetched.json(), fetched.url, secrets=self._secrets)
            total = page.stats.get("total")
            if start == 0 and not page.count and total:
                raise DriftError(where, f"Feedback Company meldt {total} reviews maar gaf er geen")
            fresh = [record for record in page.records if record.external_id not in seen]
            if page.records and not fresh:
                raise DriftError(
                    where,
                    f"vanaf review {start} kwamen dezelfde reviews terug; de API lijkt 'start' "
                    "te negeren, dus niet alles is gelezen",
                )
            seen.update(record.external_id for record in fresh)
            more = page.count >= settings.page_size
            yield Page(
                records=fresh,
                has_more=more,
                warnings=page.warnings,
                stats=page.stats if start == 0 else {},
            )
            if not more:
                return
            start += page.count
