"""Reviews from a CSV or JSON export of any platform, with a column mapping in the config."""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator, model_validator

from scrapers.base import Batch, Collector, SourceSettings
from scrapers.dates import parse_datetime
from scrapers.errors import ParseError, SourceUnavailable
from scrapers.fields import web_address
from scrapers.records import RawReview, clean_text, derived_id

FIELDS = (
    "external_id",
    "author",
    "rating",
    "title",
    "text",
    "published_at",
    "updated_at",
    "url",
    "reply_text",
    "language",
)
DEFAULT_COLUMNS = {name: name for name in FIELDS}


class FileSettings(SourceSettings):
    """Where the export is and how its columns map onto review fields."""

    path: str | None = None
    url: str | None = None
    format: Literal["auto", "csv", "json"] = "auto"
    delimiter: str | None = Field(default=None, min_length=1, max_length=1)
    encoding: str = "utf-8-sig"
    json_key: str | None = None
    columns: dict[str, str] = Field(default_factory=dict)
    rating_min: float = 1.0
    rating_max: float = 5.0
    date_format: str | None = None
    timezone: str = "Europe/Amsterdam"
    batch_size: int = Field(default=500, ge=1)

    @field_validator("columns")
    @classmethod
    def _known_fields(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(value) - set(FIELDS))
        if unknown:
            raise ValueError(f"veldnamen uit: {', '.join(FIELDS)} (niet {unknown[0]!r})")
        return value

    @field_validator("encoding")
    @classmethod
    def _known_encoding(cls, value: str) -> str:
        try:
            codecs.lookup(value)
        except LookupError:
            raise ValueError("een bekende tekenset, zoals 'utf-8-sig'") from None
        return value

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("een tijdzone, zoals 'Europe/Amsterdam'") from None
        return value

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        return None if value is None else web_address(value)

    @model_validator(mode="after")
    def _one_location(self) -> FileSettings:
        if (self.path is None) == (self.url is None):
            raise ValueError("precies één van 'path' of 'url'")
        if self.rating_max <= self.rating_min:
            raise ValueError("een rating_max die groter is dan rating_min")
        return self

    def mapping(self) -> dict[str, str]:
        return {**DEFAULT_COLUMNS, **self.columns}

    def detected_format(self) -> str:
        if self.format != "auto":
            return self.format
        where = self.path or urlsplit(self.url or "").path
        return "json" if where.lower().endswith(".json") else "csv"


def parse_csv(
    text: str, settings: FileSettings, *, where: str
) -> tuple[list[RawReview], list[str]]:
    """Rows of a CSV export into records; returns the records and warnings about skipped rows."""
    text = text.removeprefix("\ufeff")  # a byte order mark that a charset header kept
    if not text.strip():
        raise ParseError(where, "het bestand is leeg")
    delimiter = settings.delimiter or _sniff_delimiter(text)
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [name.strip() for name in (reader.fieldnames or [])]
        reader.fieldnames = header
        mapping = settings.mapping()
        if mapping["text"] not in header:
            raise ParseError(
                where, f"de kolom '{mapping['text']}' ontbreekt (kolommen: {', '.join(header)})"
            )
        rows: list[Mapping[str, Any]] = list(reader)
    except csv.Error:
        raise ParseError(where, f"geen geldige CSV (regel {reader.line_num})") from None
    return _records(rows, settings, where=where)


def parse_json(
    text: str, settings: FileSettings, *, where: str
) -> tuple[list[RawReview], list[str]]:
    """A JSON export (a list of objects, or an object holding the list) into records."""
    try:
        data = json.loads(text.removeprefix("\ufeff"))
    except json.JSONDecodeError as exc:
        raise ParseError(where, f"geen geldige JSON (regel {exc.lineno})") from None
    except RecursionError:
        raise ParseError(where, "geen geldige JSON (te diep genest)") from None
    if settings.json_key:
        data = data.get(settings.json_key) if isinstance(data, dict) else None
    elif isinstance(data, dict):
        lists = [value for value in data.values() if isinstance(value, list)]
        data = lists[0] if len(lists) == 1 else None
    if not isinstance(data, list):
        raise ParseError(where, "geen lijst met reviews gevonden (stel 'json_key' in)")
    rows = [row for row in data if isinstance(row, dict)]
    return _records(rows, settings, where=where)


def _sniff_delimiter(text: str) -> str:
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    counts = {delimiter: first_line.count(delimiter) for delimiter in ",;\t|"}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def _records(
    rows: list[Mapping[str, Any]], settings: FileSettings, *, where: str
) -> tuple[list[RawReview], list[str]]:
    mapping = settings.mapping()
    tz = ZoneInfo(settings.timezone)
    records: list[RawReview] = []
    warnings: list[str] = []
    for number, row in enumerate(rows, start=1):
        try:
            record = _record(row, mapping, settings, tz)
        except ValueError as exc:
            warnings.append(f"{where}, rij {number} overgeslagen: {exc}")
            continue
        if record is not None:
            records.append(record)
        else:
            warnings.append(f"{where}, rij {number} overgeslagen: geen tekst en geen cijfer")
    if rows and not records:
        raise ParseError(where, "geen enkele rij bevat een review; klopt de kolomindeling nog?")
    return records, warnings


def _cell(row: Mapping[str, Any], column: str) -> str | None:
    value = row.get(column)
    if value is None:
        return None
    # CRLF as "\n", as when reading a local file, so a URL gives the same text and id.
    text = clean_text(str(value)).replace("\r\n", "\n").strip()
    return text or None


def _record(
    row: Mapping[str, Any], mapping: dict[str, str], settings: FileSettings, tz: ZoneInfo
) -> RawReview | None:
    text = _cell(row, mapping["text"]) or ""
    rating_text = _cell(row, mapping["rating"])
    if not text and rating_text is None:
        return None
    rating = None
    if rating_text is not None:
        try:
            rating = float(rating_text.replace(",", "."))
        except ValueError:
            raise ValueError(f"cijfer '{rating_text}' is geen getal") from None
        if not settings.rating_min <= rating <= settings.rating_max:
            scale = f"{settings.rating_min:g}-{settings.rating_max:g}"
            raise ValueError(f"cijfer {rating:g} valt buiten de schaal {scale}")

    def when(field: str) -> Any:
        value = _cell(row, mapping[field])
        try:
            return parse_datetime(value, fmt=settings.date_format, tz=tz)
        except ValueError:
            raise ValueError(f"datum '{value}' is niet te lezen") from None

    published = when("published_at")
    author = _cell(row, mapping["author"])
    external_id = _cell(row, mapping["external_id"])
    if external_id is None:
        key = f"{author}|{published.isoformat() if published else ''}|{text[:200]}"
        external_id = derived_id(key)
    return RawReview(
        external_id=external_id,
        text=text,
        author=author,
        title=_cell(row, mapping["title"]),
        rating=rating,
        rating_min=settings.rating_min,
        rating_max=settings.rating_max,
        language=_cell(row, mapping["language"]),
        published_at=published,
        updated_at=when("updated_at"),
        url=_cell(row, mapping["url"]),
        reply_text=_cell(row, mapping["reply_text"]),
    )


class FileCollector(Collector):
    """Reads an export from a local path or a configured URL; every run reads it whole (the store
    recognises what it already has)."""

    name = "file"
    Settings = FileSettings
    settings: FileSettings

    @classmethod
    def hosts(cls, settings: SourceSettings) -> set[str]:
        assert isinstance(settings, FileSettings)
        return {urlsplit(settings.url).hostname or ""} if settings.url else set()

    def _read(self) -> tuple[str, str]:
        if self.settings.url:
            fetched = self.http.get(self.settings.url)
            encoding = fetched.encoding or self.settings.encoding
            return fetched.content.decode(encoding, errors="replace"), urlsplit(fetched.url).path
        path = Path(self.settings.path or "")
        try:
            return path.read_text(encoding=self.settings.encoding, errors="replace"), path.name
        except OSError as exc:
            raise SourceUnavailable(str(path), exc.strerror or "niet te openen") from None

    def collect(self, *, cursor: str | None, full: bool = False) -> Iterator[Batch]:
        text, where = self._read()
        parse = parse_json if self.settings.detected_format() == "json" else parse_csv
        records, warnings = parse(text, self.settings, where=where)
        size = self.settings.batch_size
        for start in range(0, len(records), size):
            yield Batch(
                records=records[start : start + size], warnings=warnings if start == 0 else []
            )
        if not records:
            yield Batch(records=[], warnings=warnings)
