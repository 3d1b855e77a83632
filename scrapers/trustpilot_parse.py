"""Reading Trustpilot's public review pages (their embedded Next.js data) and its API answers
into records: pure functions of the text, tested on saved pages."""

from __future__ import annotations

import json
import logging
import math
import re
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bs4 import BeautifulSoup, ParserRejectedMarkup, SoupStrainer

from scrapers.base import Page
from scrapers.dates import parse_datetime
from scrapers.errors import DriftError, ParseError, short_url
from scrapers.records import RawReview, clean_text

logger = logging.getLogger(__name__)

UTC = ZoneInfo("UTC")  # Trustpilot's times without a zone are UTC
API_PER_PAGE = 100
KEY_CHARS = re.compile(r"[\x21-\x7e]+\Z")  # what goes into a header and Basic auth as it is
_SAFE_ID = re.compile(r"[A-Za-z0-9_-]{1,100}\Z")  # ids are put in URL paths
_STAR_WORDS = ("one", "two", "three", "four", "five")  # the page's histogram keys
_API_STAR_WORDS = ("oneStar", "twoStars", "threeStars", "fourStars", "fiveStars")


# One page of reviews as Trustpilot gave it: the records, whether a next page follows, the
# figures it gives about the shop and Dutch warnings about fields that could not be read.
ReviewPage = Page


# ---------------------------------------------------------------- public pages


def parse_page(html: str, url: str, *, site_url: str, page: int = 1) -> ReviewPage:
    """The reviews of a public review page (``page`` is the number asked for), from its
    ``__NEXT_DATA__`` JSON. DriftError when the data or the review list is missing, when page 1
    announces reviews but lists none, or when reviews lack their text."""
    where = short_url(url)
    data = _next_data(html, where)
    props = _dig(data, "props", "pageProps")
    if not isinstance(props, dict) or not isinstance(props.get("reviews"), list):
        raise DriftError(where, "de __NEXT_DATA__-gegevens bevatten geen props.pageProps.reviews")
    pagination = _dig(props, "filters", "pagination")
    current = _count(_dig(pagination, "currentPage"))
    if current is not None and current != page:
        raise ParseError(where, f"gevraagd was pagina {page}, de site stuurde pagina {current}")
    stats = _page_stats(props)
    total_count = _pick(_count, _dig(pagination, "totalCount"), stats.get("total"))
    items: list[Any] = props["reviews"]
    if not items and page == 1 and total_count:
        raise DriftError(where, f"de pagina meldt {total_count} reviews maar de lijst is leeg")
    records, warnings = _records(items, where=where, page=page, site_url=site_url)
    total_pages = _count(_dig(pagination, "totalPages"))
    per_page = _count(_dig(pagination, "perPage"))
    if total_pages is None and total_count is not None and per_page:
        total_pages = math.ceil(total_count / per_page)
    has_more = bool(items) and (total_pages is None or page < total_pages)
    return ReviewPage(records=records, has_more=has_more, stats=stats, warnings=warnings)


def _next_data(html: str, where: str) -> Any:
    """The JSON of the page's ``<script id="__NEXT_DATA__">``."""
    if "__NEXT_DATA__" not in html:  # a challenge page, an error page, another site
        raise DriftError(where, "het script __NEXT_DATA__ met de reviewgegevens ontbreekt")
    strainer = SoupStrainer("script", attrs={"id": "__NEXT_DATA__"})
    try:
        script = BeautifulSoup(html, "html.parser", parse_only=strainer).find("script")
    except ParserRejectedMarkup:
        raise ParseError(where, "de pagina is geen leesbare HTML") from None
    if script is None:
        raise DriftError(where, "het script __NEXT_DATA__ met de reviewgegevens ontbreekt")
    return _load_json(script.get_text(), where, what="de __NEXT_DATA__-gegevens zijn")


def _page_stats(props: Mapping[str, Any]) -> dict[str, Any]:
    unit = props.get("businessUnit")
    ratings = _dig(props, "filters", "reviewStatistics", "ratings")
    pagination = _dig(props, "filters", "pagination")
    total = _pick(
        _count,
        _dig(ratings, "total"),
        _dig(pagination, "totalCount"),
        _dig(unit, "numberOfReviews"),
    )
    average = _pick(_number, _dig(unit, "trustScore"), _dig(unit, "stars"))
    counts = [_count(_dig(ratings, word)) for word in _STAR_WORDS]
    return _stats(total, average, counts)


# ---------------------------------------------------------------- Business API


def parse_business_unit(text: str, url: str) -> tuple[str, dict[str, Any]]:
    """The business unit id (and any figures) from ``/business-units/find``."""
    return business_unit_from(_load_json(text, short_url(url)), url)


def business_unit_from(data: Any, url: str) -> tuple[str, dict[str, Any]]:
    unit_id = _id(_dig(data, "id"))
    if unit_id is None or not _SAFE_ID.match(unit_id):
        raise DriftError(short_url(url), "het antwoord bevat geen geldig id van het bedrijf")
    count = _dig(data, "numberOfReviews")
    total = _pick(_count, _dig(count, "total"), count)
    score = _dig(data, "score")
    average = _pick(
        _number, _dig(score, "trustScore"), _dig(data, "trustScore"), _dig(score, "stars")
    )
    counts = [_count(_dig(count, word)) for word in _API_STAR_WORDS]
    return unit_id, _stats(total, average, counts)


def parse_api_reviews(
    text: str, url: str, *, site_url: str, page: int = 1, per_page: int = API_PER_PAGE
) -> ReviewPage:
    """One page of ``/business-units/{id}/reviews`` (or the private list)."""
    data = _load_json(text, short_url(url))
    return reviews_from_api(data, url, site_url=site_url, page=page, per_page=per_page)


def reviews_from_api(
    data: Any,
    url: str,
    *,
    site_url: str,
    page: int = 1,
    per_page: int = API_PER_PAGE,
    stats: dict[str, Any] | None = None,
) -> ReviewPage:
    """Records from an API review list; ``stats`` are the shop's figures from the find call.
    A next page follows when the response links one or when this page was full."""
    where = short_url(url)
    items = _dig(data, "reviews")
    if not isinstance(items, list):
        raise DriftError(where, f"het antwoord op pagina {page} bevat geen lijst 'reviews'")
    stats = dict(stats or {})
    if not items and page == 1 and stats.get("total"):
        raise DriftError(where, f"Trustpilot meldt {stats['total']} reviews maar de lijst is leeg")
    records, warnings = _records(items, where=where, page=page, site_url=site_url)
    links = _dig(data, "links")
    next_link = isinstance(links, list) and any(
        isinstance(link, dict) and link.get("rel") == "next-page" for link in links
    )
    has_more = bool(items) and (next_link or len(items) >= per_page)
    return ReviewPage(records=records, has_more=has_more, stats=stats, warnings=warnings)


def parse_token(text: str, url: str) -> str:
    """The ``access_token`` of an OAuth token response."""
    return token_from(_load_json(text, short_url(url)), url)


def token_from(data: Any, url: str) -> str:
    token = _dig(data, "access_token")
    if not isinstance(token, str) or not KEY_CHARS.match(token):
        raise DriftError(short_url(url), "het antwoord bevat geen bruikbaar access_token")
    return token


# ---------------------------------------------------------------- review records


def _records(
    items: list[Any], *, where: str, page: int, site_url: str
) -> tuple[list[RawReview], list[str]]:
    """Records from page or API review objects. A review without an id or without both title
    and text, or a page on which no review has text, means the format changed: DriftError."""
    records: list[RawReview] = []
    warnings: list[str] = []
    for number, item in enumerate(items, start=1):
        review_id = _id(_dig(item, "id"))
        if review_id is None:
            raise DriftError(where, f"review {number} op pagina {page} heeft geen id")
        record = _record(item, review_id, site_url=site_url, warnings=warnings)
        if not record.text and not record.title:
            detail = f"review {review_id} op pagina {page} heeft geen titel en geen tekst"
            raise DriftError(where, detail)
        records.append(record)
    if records and not any(record.text for record in records):
        raise DriftError(where, f"geen van de {len(records)} reviews op pagina {page} heeft tekst")
    return records, warnings


def _record(
    item: Mapping[str, Any], review_id: str, *, site_url: str, warnings: list[str]
) -> RawReview:
    """One review; the API's field names and the page's are both accepted."""
    rating_value = _first(item.get("stars"), item.get("rating"))
    rating = _number(rating_value)
    if rating is not None and not 1 <= rating <= 5:
        rating = None
    if rating is None and rating_value is not None:
        warnings.append(f"Trustpilot-review {review_id}: sterren {rating_value!r} niet te lezen")
    reply = _first(item.get("companyReply"), item.get("reply"))
    reply_text = _text(_first(_dig(reply, "text"), _dig(reply, "message")))

    def when(*values: Any) -> datetime | None:
        value = _first(*values)
        try:
            return parse_datetime(value, tz=UTC) if isinstance(value, str) else None
        except ValueError:
            warnings.append(f"Trustpilot-review {review_id}: datum {value!r} niet te lezen")
            return None

    return RawReview(
        external_id=review_id,
        text=_text(item.get("text")) or "",
        author=_text(_dig(item, "consumer", "displayName")),
        author_reviews=_count(_dig(item, "consumer", "numberOfReviews")),
        title=_text(item.get("title")),
        rating=rating,
        rating_min=1.0,
        rating_max=5.0,
        language=_text(item.get("language")),
        published_at=when(item.get("createdAt"), _dig(item, "dates", "publishedDate")),
        updated_at=when(item.get("updatedAt"), _dig(item, "dates", "updatedDate")),
        url=f"{site_url}/reviews/{review_id}" if _SAFE_ID.match(review_id) else None,
        reply_text=reply_text,
        reply_at=when(
            _dig(reply, "createdAt"),
            _dig(reply, "publishedDate"),
            _dig(reply, "updatedAt"),
            _dig(reply, "updatedDate"),
        )
        if reply_text
        else None,
    )


# ---------------------------------------------------------------- small readers


def _load_json(text: str, where: str, *, what: str = "het antwoord is") -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):  # ValueError also for a number of over 4300 digits
        raise ParseError(where, f"{what} geen geldige JSON") from None


def _dig(value: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def _first(*values: Any) -> Any:
    """The first value that is not None or empty."""
    return next((value for value in values if value not in (None, "", {})), None)


def _pick(read: Callable[[Any], Any], *values: Any) -> Any:
    """What ``read`` makes of the first of ``values`` it can read, or None."""
    return next((result for result in map(read, values) if result is not None), None)


def _text(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    text = clean_text(value).strip()
    return text or None


def _id(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    return _text(str(value))


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value.replace(",", "."))
        except ValueError:
            return None
    if not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:  # an integer beyond any float
        return None
    return number if math.isfinite(number) else None


def _count(value: Any) -> int | None:
    number = _number(value)
    if number is None or number < 0 or not number.is_integer():
        return None
    return int(number)


def _stats(total: int | None, average: float | None, counts: list[int | None]) -> dict[str, Any]:
    """``Batch.stats`` from what the source gives: only the figures it really gave."""
    stats: dict[str, Any] = {}
    if total is not None:
        stats["total"] = total
    if average is not None and 0 <= average <= 5 and total != 0:
        stats["average"] = average
    if all(count is not None for count in counts):
        stats["histogram"] = {str(stars): count for stars, count in enumerate(counts, start=1)}
    return stats
