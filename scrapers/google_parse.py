"""Reading Google Business Profile review pages (the API's JSON) into records: pure functions,
tested on saved responses."""

from __future__ import annotations

import json
import logging
import math
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from scrapers.dates import parse_datetime
from scrapers.errors import DriftError, ParseError, short_url
from scrapers.records import RawReview, clean_text, derived_id

logger = logging.getLogger(__name__)

STARS = {"ONE": 1.0, "TWO": 2.0, "THREE": 3.0, "FOUR": 4.0, "FIVE": 5.0}
UTC = ZoneInfo("UTC")
_TRANSLATED = r"\((?:Translated by Google|Vertaald door Google)\)"
_ORIGINAL = r"\((?:Original|Origineel)\)"
TRANSLATED_FIRST = re.compile(rf"^\s*{_TRANSLATED}[ \t]*(.*?)\n\s*{_ORIGINAL}[ \t]*\n?(.*)$", re.S)
TRANSLATION_AFTER = re.compile(rf"^(.*?)\n\s*{_TRANSLATED}[ \t]*\n.*$", re.S)
TRANSLATION_ONLY = re.compile(rf"^\s*{_TRANSLATED}[ \t]*(.*)$", re.S)


@dataclass(slots=True)
class ReviewPage:
    """One page of the review list: its records, warnings about skipped reviews, what Google
    says about the location (``stats``) and the token of the next page (None on the last)."""

    records: list[RawReview]
    warnings: list[str] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)
    next_page_token: str | None = None

    def changes(self) -> list[datetime | None]:
        """When each review on the page last changed (None where Google gave no time)."""
        return [record.updated_at or record.published_at for record in self.records]


def parse_reviews(text: str, url: str, *, first_page: bool = True) -> ReviewPage:
    """A saved response of ``accounts.locations.reviews.list`` into a page of records."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        raise ParseError(short_url(url), "geen geldige JSON") from None
    except RecursionError:
        raise ParseError(short_url(url), "geen geldige JSON (te diep genest)") from None
    return parse_reviews_data(data, url, first_page=first_page)


def parse_reviews_data(data: Any, url: str, *, first_page: bool = True) -> ReviewPage:
    """The decoded response into a page. A rating-only review (no comment) is normal on Google.
    Raises DriftError when the response no longer has the documented shape: not an object,
    ``reviews`` not a list, a count of reviews on the first page without any review, or reviews
    of which none can be read (no id, or neither stars nor text)."""
    where = short_url(url)
    if not isinstance(data, dict):
        raise DriftError(where, "het antwoord is geen JSON-object met reviews")
    stats = _stats(data)
    items = data.get("reviews", [])
    if not isinstance(items, list):
        raise DriftError(where, "'reviews' is geen lijst")
    if not items and first_page and stats.get("total"):
        raise DriftError(
            where, f"Google meldt {stats['total']} reviews maar het antwoord bevat er geen"
        )
    records: dict[str, RawReview] = {}
    warnings: list[str] = []
    for number, item in enumerate(items, start=1):
        record, problem = _review(item)
        if record is None:
            warnings.append(f"{where}: review {number} overgeslagen: {problem}")
        else:
            records.setdefault(record.external_id, record)
    if items and not records:
        raise DriftError(where, f"geen van de {len(items)} reviews is te lezen ({problem})")
    token = data.get("nextPageToken")
    next_token = token if isinstance(token, str) and token.strip() else None
    return ReviewPage(list(records.values()), warnings, stats, next_token)


def _stats(data: dict[str, Any]) -> dict[str, Any]:
    stats: dict[str, Any] = {}
    total = data.get("totalReviewCount")
    if isinstance(total, int) and not isinstance(total, bool) and total >= 0:
        stats["total"] = total
    average = data.get("averageRating")
    number = isinstance(average, int | float) and not isinstance(average, bool)
    if number and math.isfinite(average) and 0 < average <= 5:
        stats["average"] = float(average)
    return stats


def _string(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    text = clean_text(value).strip()
    return text or None


def _time(value: Any) -> datetime | None:
    text = _string(value)
    if text is None:
        return None
    try:
        return parse_datetime(text, tz=UTC)
    except (ValueError, OverflowError):
        return None


def original_comment(comment: str) -> str:
    """The reviewer's own words from a comment Google translated (the translation is dropped)."""
    match = TRANSLATED_FIRST.match(comment)
    if match and match.group(2).strip():
        return match.group(2).strip()
    match = TRANSLATION_AFTER.match(comment)
    if match and match.group(1).strip():
        return match.group(1).strip()
    match = TRANSLATION_ONLY.match(comment)
    if match:  # only the translation came: better than nothing, without Google's label
        return match.group(1).strip()
    return comment.strip()


def _review_id(item: dict[str, Any]) -> str | None:
    review_id = _string(item.get("reviewId"))
    if review_id is None:
        name = _string(item.get("name"))
        if name and "/reviews/" in name:
            review_id = name.rsplit("/reviews/", 1)[1].strip("/") or None
    if review_id is not None and len(review_id) > 255:
        review_id = derived_id(review_id, length=40)
    return review_id


def _review(item: Any) -> tuple[RawReview | None, str]:
    """One review object into a record, or None and why it was skipped."""
    if not isinstance(item, dict):
        return None, "geen JSON-object"
    review_id = _review_id(item)
    if review_id is None:
        return None, "geen reviewId"
    stars = item.get("starRating")
    rating = STARS.get(stars) if isinstance(stars, str) else None
    comment = item.get("comment")
    text = original_comment(clean_text(comment)) if isinstance(comment, str) else ""
    if rating is None and not text:
        return None, "geen sterren en geen tekst"
    reviewer = item.get("reviewer")
    reviewer = reviewer if isinstance(reviewer, dict) else {}
    author = None if reviewer.get("isAnonymous") is True else _string(reviewer.get("displayName"))
    reply = item.get("reviewReply")
    reply = reply if isinstance(reply, dict) else {}
    reply_text = _string(reply.get("comment"))
    return RawReview(
        external_id=review_id,
        text=text,
        author=author[:200] if author else None,
        rating=rating,
        rating_min=1.0,
        rating_max=5.0,
        published_at=_time(item.get("createTime")),
        updated_at=_time(item.get("updateTime")),
        reply_text=reply_text,
        reply_at=_time(reply.get("updateTime")) if reply_text else None,
    ), ""
