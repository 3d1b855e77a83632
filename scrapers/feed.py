"""Brand mentions from RSS and Atom feeds (an alerts feed for the shop's name, say)."""

from __future__ import annotations

import html
import io
import logging
import re
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import feedparser
from bs4 import BeautifulSoup
from bs4.exceptions import ParserRejectedMarkup
from pydantic import Field, field_validator

from scrapers.base import Batch, Collection, Collector, SourceSettings
from scrapers.errors import (
    AuthError,
    DriftError,
    HttpStatusError,
    ParseError,
    PartialFailure,
    SourceError,
    short_url,
)
from scrapers.fields import web_address
from scrapers.records import RawReview, clean_text, derived_id

logger = logging.getLogger(__name__)

DROPPED_TAGS = ["script", "style", "noscript", "template", "head", "title", "iframe", "object"]
BLOCK_TAGS = ["p", "div", "li", "tr", "table", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6"]
HTML_START = re.compile(
    rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(!doctype\s+html|html[\s>])", re.I | re.S
)
UNREADABLE_BLOCKS = re.compile(r"<(script|style)\b.*?(</\1\s*>|$)", re.I | re.S)
EMAIL = r"[^\s@()<>]+@[^\s@()<>]+"
EMAIL_ONLY = re.compile(rf"^{EMAIL}$")
AUTHOR_FORMS = [  # "jan@x.nl (Jan)" (RSS), "Jan (jan@x.nl)" (Atom via feedparser), "Jan <jan@x.nl>"
    re.compile(rf"^{EMAIL}\s*\((?P<name>.*)\)$"),
    re.compile(rf"^(?P<name>.*?)\s*\({EMAIL}\)$"),
    re.compile(rf"^(?P<name>.*?)\s*<{EMAIL}>$"),
]
LANGUAGE = re.compile(r"[A-Za-z]{2,8}")
MAX_ID = 255


class FeedSettings(SourceSettings):
    """The feeds to read (their addresses come from the owner's configuration)."""

    urls: list[str] = Field(min_length=1)

    @field_validator("urls")
    @classmethod
    def _http_urls(cls, value: list[str]) -> list[str]:
        return [web_address(url) for url in value]


def parse_feed(
    content: bytes | str, url: str, *, content_type: str | None = None
) -> tuple[list[RawReview], list[str]]:
    """An RSS or Atom document into mention records and warnings about skipped entries.

    ``url`` is the feed's address (relative links and ids are read against it); ``content_type``
    the server's Content-Type, which may name the charset. A valid feed without entries gives no
    records. Raises DriftError for an HTML page where the feed should be, or entries of which none
    has a title or text; ParseError for something that is no feed at all."""
    where = short_url(url)
    if isinstance(content, str):  # already text: its own charset declaration no longer applies
        raw = content.encode("utf-8", errors="replace")
        content_type = "application/xml; charset=utf-8"
    else:
        raw = content
    if not raw.strip():
        raise ParseError(where, "het antwoord is leeg")
    is_html = bool(HTML_START.match(raw[:4096].removeprefix(b"\xef\xbb\xbf")))
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    try:
        # A stream, never bytes or str: feedparser opens a string that looks like a path or a URL.
        result = feedparser.parse(io.BytesIO(raw), response_headers=headers)
    except Exception as exc:  # feedparser and the XML/SGML parsers below it raise many kinds
        raise ParseError(where, f"geen leesbare feed ({type(exc).__name__})") from None
    entries = result.get("entries") or []
    version = result.get("version") or ""
    feed_info = result.get("feed") or {}
    if not version and (is_html or (content_type or "").lower().startswith("text/html")):
        raise DriftError(
            where, "het adres geeft een HTML-pagina in plaats van een RSS- of Atom-feed"
        )
    if not entries and not version and not feed_info.get("title"):
        raise ParseError(where, "geen RSS- of Atom-feed")
    feed_language = _language(feed_info.get("language"))
    records: dict[str, RawReview] = {}
    warnings: list[str] = []
    for number, entry in enumerate(entries, start=1):
        record = _entry(entry, feed_language)
        if record is None:
            warnings.append(f"{where}: bericht {number} overgeslagen: geen titel en geen tekst")
        else:
            records.setdefault(record.external_id, record)
    if entries and not records:
        raise DriftError(
            where, f"de feed heeft {len(entries)} berichten maar geen met titel of tekst"
        )
    return list(records.values()), warnings


def html_to_text(fragment: str) -> str:
    """The visible text of an HTML fragment: scripts, styles and markup dropped, never run."""
    try:
        soup = BeautifulSoup(fragment, "html.parser")
    except (ParserRejectedMarkup, AssertionError, RecursionError):
        stripped = UNREADABLE_BLOCKS.sub(" ", fragment)
        return html.unescape(re.sub(r"<[^>]*>?", " ", stripped))
    for tag in soup(DROPPED_TAGS):
        tag.decompose()
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for block in soup.find_all(BLOCK_TAGS):
        block.insert_before("\n")
        block.insert_after("\n")
    return soup.get_text()


def _tidy(text: str, *, one_line: bool = False) -> str:
    """Spaces and blank lines collapsed; a title on one line."""
    text = clean_text(text).replace("\r\n", "\n").replace("\r", "\n")
    lines = [" ".join(line.split()) for line in text.split("\n")]
    if one_line:
        return " ".join(line for line in lines if line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _detail_text(value: Any, detail: Any, *, one_line: bool = False) -> str:
    """The plain text of a feed text construct (title, summary, content) by its type."""
    if not isinstance(value, str) or not value.strip():
        return ""
    kind = detail.get("type", "") if isinstance(detail, Mapping) else ""
    if "html" in str(kind).lower():
        value = html_to_text(value)
    return _tidy(value, one_line=one_line)


def _body(entry: Mapping[str, Any]) -> tuple[str, Any]:
    """The fullest text an entry has (content before summary) and its text detail."""
    contents = entry.get("content")
    for item in contents if isinstance(contents, list) else []:
        if isinstance(item, Mapping):
            text = _detail_text(item.get("value"), item)
            if text:
                return text, item
    detail = entry.get("summary_detail")
    return _detail_text(entry.get("summary"), detail), detail


def _when(value: Any) -> datetime | None:
    """feedparser's UTC time tuple as an aware datetime."""
    if not isinstance(value, time.struct_time | tuple) or len(value) < 6:
        return None
    try:
        return datetime(*value[:6], tzinfo=UTC)  # type: ignore[misc]
    except (TypeError, ValueError, OverflowError):
        return None


def _language(value: Any) -> str | None:
    """A language tag reduced to its language ("nl-NL" -> "nl")."""
    if not isinstance(value, str):
        return None
    primary = re.split(r"[-_]", value.strip(), maxsplit=1)[0]
    return primary.lower() if LANGUAGE.fullmatch(primary) else None


def _author(entry: Mapping[str, Any]) -> str | None:
    """The author's name; an e-mail address is left out. The raw string is read here, as
    feedparser's own split of "jan@winkel.online (Jan)" cuts top-level domains after 4 letters."""
    raw = entry.get("author")
    if not isinstance(raw, str) or not raw.strip():
        detail = entry.get("author_detail")
        raw = detail.get("name") if isinstance(detail, Mapping) else None
    if not isinstance(raw, str):
        return None
    name = _tidy(raw, one_line=True)
    for form in AUTHOR_FORMS:
        match = form.match(name)
        if match:
            name = match["name"].strip(' "')
            break
    if not name or EMAIL_ONLY.match(name):
        return None
    return name[:200]


def _http_link(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    link = value.strip()
    parts = urlsplit(link)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return clean_text(link)


def _entry(entry: Any, feed_language: str | None) -> RawReview | None:
    if not isinstance(entry, Mapping):
        return None
    title = _detail_text(entry.get("title"), entry.get("title_detail"), one_line=True)
    text, detail = _body(entry)
    link = entry.get("link") if isinstance(entry.get("link"), str) else None
    if not title and not text:
        return None
    # Read past FeedParserDict, which answers a missing updated time with the published one.
    updated = _when(dict.get(entry, "updated_parsed") if isinstance(entry, dict) else None)
    published = _when(entry.get("published_parsed")) or updated
    external_id = next(
        (
            clean_text(value).strip()
            for value in (entry.get("id"), link)
            if isinstance(value, str) and value.strip()
        ),
        None,
    )
    if external_id is None:
        stamp = published.isoformat() if published else ""
        key = f"{title}|{stamp}" + ("" if title and stamp else f"|{text[:200]}")
        external_id = derived_id(key)
    elif len(external_id) > MAX_ID:
        external_id = derived_id(external_id, length=40)
    language = _language(detail.get("language")) if isinstance(detail, Mapping) else None
    return RawReview(
        external_id=external_id,
        text=text,
        title=title or None,
        author=_author(entry),
        language=language or feed_language,
        published_at=published,
        updated_at=updated,
        url=_http_link(link),
        channel="mention",
    )


def _content_type(headers: Mapping[str, str]) -> str | None:
    return next((value for key, value in headers.items() if key.lower() == "content-type"), None)


class FeedCollector(Collector):
    """Reads each configured feed whole; one batch per feed. Feeds show only their recent items,
    so there is nothing to page and a mention that left the feed was not removed anywhere."""

    name = "feed"
    Settings = FeedSettings
    settings: FeedSettings
    lists_everything = False

    @classmethod
    def hosts(cls, settings: SourceSettings) -> set[str]:
        assert isinstance(settings, FeedSettings)
        return {urlsplit(url).hostname or "" for url in settings.urls}

    def _read(self, url: str) -> tuple[list[RawReview], list[str]]:
        try:
            # A feed the owner subscribed to is read like a feed reader reads it, not crawled:
            # robots.txt is for crawlers (Google's forbids /alerts/ to them, not to readers).
            fetched = self.http.get(url)
        except HttpStatusError as exc:
            if exc.status == 401:
                detail = "de feed vraagt om in te loggen; reviewwacht leest alleen openbare feeds"
                raise AuthError(short_url(url), detail) from None
            raise
        return parse_feed(fetched.content, url, content_type=_content_type(fetched.headers))

    def collect(self, *, cursor: str | None, full: bool = False) -> Collection:
        failures: list[SourceError] = []
        for url in self.settings.urls:
            try:
                records, warnings = self._read(url)
            except SourceError as exc:
                failures.append(exc)
                continue
            yield Batch(records=records, warnings=warnings)
        if failures:
            raise PartialFailure(failures, total=len(self.settings.urls), unit="feeds")
