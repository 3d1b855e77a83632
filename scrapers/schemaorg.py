"""Reviews from schema.org markup (JSON-LD and microdata) on any configured product or shop page."""

from __future__ import annotations

import logging
import math
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

import extruct
from extruct.jsonld import JsonLdExtractor
from extruct.utils import parse_html
from pydantic import Field, field_validator

from scrapers.base import Batch, Collector, SourceSettings
from scrapers.dates import parse_datetime
from scrapers.errors import ParseError, PartialFailure, SourceError, short_url
from scrapers.fields import web_address
from scrapers.records import RawReview, clean_text, derived_id

logger = logging.getLogger(__name__)

REVIEW_TYPES = {"Review", "UserReview", "CriticReview", "EmployerReview"}
RATED_TYPES = {"AggregateRating"}


class SchemaOrgSettings(SourceSettings):
    """The pages to read."""

    urls: list[str] = Field(min_length=1)

    @field_validator("urls")
    @classmethod
    def _http_urls(cls, value: list[str]) -> list[str]:
        return [web_address(url) for url in value]


def parse(html: str, url: str) -> list[RawReview]:
    """All reviews in a page's schema.org markup. Raises ParseError when the page has no review
    markup at all (it was removed or moved: drift), or reviews without any text or rating."""
    where = short_url(url)
    try:
        nodes, broken = _nodes(html, url)
    except Exception as exc:  # extruct surfaces lxml errors of many kinds
        raise ParseError(where, f"de pagina is geen leesbare HTML ({type(exc).__name__})") from None
    types = {t for node in nodes for t in _types(node)}
    relevant = REVIEW_TYPES | RATED_TYPES | {"Product", "Organization", "OnlineStore"}
    if not types & relevant and not broken:
        raise ParseError(where, "geen schema.org-reviewgegevens op de pagina gevonden")
    records: dict[str, RawReview] = {}
    for node in nodes:
        if _types(node) & REVIEW_TYPES:
            record = _review(node, url)
            if record is not None:
                records.setdefault(record.external_id, record)
    if broken and not records:  # the reviews may well be in the block that could not be read
        raise ParseError(where, "de schema.org-gegevens (JSON-LD) zijn geen geldige JSON")
    expected = sum(_declared_count(node) for node in nodes if _types(node) & RATED_TYPES)
    if expected and not records:
        raise ParseError(where, f"de pagina meldt {expected} reviews maar er is er geen te lezen")
    return list(records.values())


def _nodes(html: str, url: str) -> tuple[list[dict[str, Any]], int]:
    """Every JSON-LD and microdata object of a page, and the number of JSON-LD blocks skipped
    because they are not valid JSON (one broken snippet must not hide the others' reviews)."""
    # Bytes, so an XHTML page with an <?xml ... encoding?> declaration is read too.
    tree = parse_html(html.encode("utf-8", errors="replace"), encoding="UTF-8")
    jsonld: list[Any] = []
    broken = 0
    for script in tree.iter("script"):
        try:
            jsonld.extend(JsonLdExtractor().extract_items(script))
        except (ValueError, RecursionError):
            broken += 1
            logger.warning("Skipped a JSON-LD block that is not valid JSON on %s", short_url(url))
    data = extruct.extract(tree, base_url=url, syntaxes=["microdata"], uniform=True)
    return list(_walk(jsonld)) + list(_walk(data.get("microdata", []))), broken


def _types(node: dict[str, Any]) -> set[str]:
    value = node.get("@type", [])
    values = value if isinstance(value, list) else [value]
    return {str(v).rsplit("/", 1)[-1] for v in values}


def _walk(value: Any) -> Iterator[dict[str, Any]]:
    """Every object in a JSON-LD document: top-level lists, @graph and nested nodes alike."""
    if isinstance(value, list):
        for item in value:
            yield from _walk(item)
    elif isinstance(value, dict):
        yield value
        for key, item in value.items():
            if key != "@context":
                yield from _walk(item)


def _text(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value")
    if value is None:
        return None
    text = clean_text(str(value)).strip()
    return text or None


def _number(value: Any) -> float | None:
    text = _text(value)
    if text is None:
        return None
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _declared_count(node: dict[str, Any]) -> int:
    for key in ("reviewCount", "ratingCount"):
        number = _number(node.get(key))
        if number:
            return int(number)
    return 0


def _review(node: dict[str, Any], page_url: str) -> RawReview | None:
    body = _text(node.get("reviewBody")) or _text(node.get("description")) or ""
    rating_node = node.get("reviewRating")
    rating_node = rating_node if isinstance(rating_node, dict) else {}
    rating = _number(rating_node.get("ratingValue"))
    best = _number(rating_node.get("bestRating"))
    best = 5.0 if best is None else best
    worst = _number(rating_node.get("worstRating"))
    worst = 1.0 if worst is None else worst
    if rating is not None and not worst <= rating <= best:
        rating = None
    if not body and rating is None:
        return None
    author = _text(node.get("author"))
    published_text = _text(node.get("datePublished"))
    try:
        published = parse_datetime(published_text)
    except ValueError:
        published = None
    external_id = _own_id(node, page_url)
    if external_id is None:
        # Author and date identify a review without an id; the text only when they are missing,
        # because an edited text would otherwise look like a new review.
        key = f"{page_url}|{author}|{published_text}"
        if author is None or published_text is None:
            key += f"|{body[:200]}"
        external_id = derived_id(key)
    return RawReview(
        external_id=external_id,
        text=body,
        author=author,
        title=_text(node.get("name")),
        rating=rating,
        rating_min=worst,
        rating_max=best,
        language=_text(node.get("inLanguage")),
        published_at=published,
        url=page_url,
    )


def _own_id(node: dict[str, Any], page_url: str) -> str | None:
    """The review's own id: its @id or url resolved against the page ("#review-3"), but not a
    blank node ("_:b0", renumbered on every render) nor the address of the page itself."""
    for key in ("@id", "url"):
        value = _text(node.get(key))
        if value is None or value.startswith("_:"):
            continue
        resolved = urljoin(page_url, value)
        if resolved != page_url:
            return resolved
    return None


class SchemaOrgCollector(Collector):
    """Fetches each configured page and reads its review markup; one batch per page."""

    name = "schemaorg"
    Settings = SchemaOrgSettings
    settings: SchemaOrgSettings

    @classmethod
    def hosts(cls, settings: SourceSettings) -> set[str]:
        assert isinstance(settings, SchemaOrgSettings)
        return {urlsplit(url).hostname or "" for url in settings.urls}

    def collect(self, *, cursor: str | None, full: bool = False) -> Iterator[Batch]:
        failures: list[SourceError] = []
        for url in self.settings.urls:
            try:
                fetched = self.http.get(url, public=True)
                records = parse(fetched.text, fetched.url)
            except SourceError as exc:
                failures.append(exc)
                continue
            yield Batch(records=records)
        if failures:
            raise PartialFailure(failures, total=len(self.settings.urls), unit="pagina's")
