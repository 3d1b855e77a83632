"""Property tests: every parser, fed anything, returns records or raises a SourceError; nothing else.

The inputs are arbitrary text and bytes, JSON built from the export's field names, and the saved
pages with random damage (cut, truncated, spliced), which is what drift and broken servers give.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

from scrapers.errors import SourceError
from scrapers.file import FIELDS, FileSettings, parse_csv, parse_json
from scrapers.mail import parse_message
from scrapers.records import RawReview
from scrapers.schemaorg import parse
from tests.scrapers.conftest import PAGES
from tests.scrapers.fuzz import FUZZ, damaged, json_values, storable

SCHEMAORG_PAGES = [path.read_text(encoding="utf-8") for path in sorted(PAGES.glob("schemaorg/*"))]
CSV_PAGES = [path.read_text(encoding="utf-8") for path in sorted(PAGES.glob("file/*.csv"))]
JSON_PAGES = [path.read_text(encoding="utf-8") for path in sorted(PAGES.glob("file/*.json"))]
MAIL_PAGES = [path.read_bytes() for path in sorted(PAGES.glob("mail/*.eml"))]

FILE_SETTINGS = [
    FileSettings(path="export.csv"),
    FileSettings(
        path="export.csv",
        columns={
            "external_id": "review_id",
            "published_at": "datum",
            "author": "naam",
            "rating": "cijfer",
            "title": "titel",
            "text": "review",
            "reply_text": "reactie_winkel",
        },
        rating_max=10,
        date_format="%d-%m-%Y %H:%M",
    ),
    FileSettings(path="export.csv", delimiter=";", rating_min=0, rating_max=10),
    FileSettings(path="export.json", json_key="reviews"),
]


def check_reviews(outcome: tuple[list[RawReview], list[str]]) -> None:
    records, warnings = outcome
    assert all(isinstance(warning, str) for warning in warnings)
    for record in records:
        storable(record)


# schema.org ----------------------------------------------------------------------------


@FUZZ
@given(html=st.text(max_size=2000) | damaged(SCHEMAORG_PAGES))
@example(
    html='<script type="application/ld+json">{"@type":"Review","reviewBody":"\\ud83d"}</script>'
)
@example(html='<script type="application/ld+json">{"@type":"AggregateRating","reviewCount":"NaN"}')
@example(html='<?xml version="1.0" encoding="utf-8"?><html></html>')
def test_schemaorg_parse_returns_records_or_a_source_error(html: str) -> None:
    try:
        records = parse(html, "https://theelichtje.example/producten/theepot")
    except SourceError:
        return
    for record in records:
        storable(record)


JSON_VALUES = json_values(["4", "6,5", "2025-06-01T12:00:00+02:00", "31-02-2025 10:00", "NaN"])


@FUZZ
@given(
    node=st.dictionaries(
        st.sampled_from(
            ["@type", "@id", "url", "author", "datePublished", "reviewBody", "name", "reviewRating"]
        ),
        JSON_VALUES
        | st.fixed_dictionaries(
            {"ratingValue": JSON_VALUES, "bestRating": JSON_VALUES, "worstRating": JSON_VALUES}
        ),
    )
)
def test_schemaorg_parse_survives_any_review_object(node: dict[str, Any]) -> None:
    node["@type"] = "Review"
    block = json.dumps({"@type": "Product", "review": [node]})
    html = f'<html><head><script type="application/ld+json">{block}</script></head></html>'
    try:
        records = parse(html, "https://theelichtje.example/producten/theepot")
    except SourceError:
        return
    for record in records:
        storable(record)


# file exports --------------------------------------------------------------------------


@FUZZ
@given(
    text=st.text(max_size=2000) | damaged(CSV_PAGES),
    file_settings=st.sampled_from(FILE_SETTINGS),
)
@example(text='text;rating\n"' + "a" * 140_000 + '";4\n', file_settings=FILE_SETTINGS[0])
def test_parse_csv_returns_records_or_a_source_error(
    text: str, file_settings: FileSettings
) -> None:
    try:
        check_reviews(parse_csv(text, file_settings, where="export.csv"))
    except SourceError:
        return


@FUZZ
@given(
    text=st.text(max_size=2000) | damaged(JSON_PAGES),
    file_settings=st.sampled_from(FILE_SETTINGS),
)
@example(text="[" * 50_000, file_settings=FILE_SETTINGS[0])
@example(text='[{"text": "Top \\ud83d", "author": "a\\u0000"}]', file_settings=FILE_SETTINGS[0])
def test_parse_json_returns_records_or_a_source_error(
    text: str, file_settings: FileSettings
) -> None:
    try:
        check_reviews(parse_json(text, file_settings, where="export.json"))
    except SourceError:
        return


@FUZZ
@given(
    rows=st.lists(st.dictionaries(st.sampled_from(FIELDS), JSON_VALUES), max_size=5),
    file_settings=st.sampled_from(FILE_SETTINGS[:1] + FILE_SETTINGS[2:3]),
)
def test_parse_json_survives_any_values_in_the_known_fields(
    rows: list[dict[str, Any]], file_settings: FileSettings
) -> None:
    try:
        check_reviews(parse_json(json.dumps(rows), file_settings, where="export.json"))
    except SourceError:
        return


# mail ----------------------------------------------------------------------------------

HEADER_NAMES = [
    "From",
    "Subject",
    "Date",
    "Message-ID",
    "In-Reply-To",
    "References",
    "Content-Type",
    "Content-Transfer-Encoding",
    "Content-Disposition",
    "Auto-Submitted",
    "Precedence",
    "MIME-Version",
]


@st.composite
def header_mail(draw: st.DrawFn) -> bytes:
    """A message of random headers (known names, any bytes as value) and a random body."""
    headers = draw(
        st.lists(st.tuples(st.sampled_from(HEADER_NAMES), st.binary(max_size=60)), max_size=8)
    )
    lines = [name.encode() + b": " + value.replace(b"\n", b" ") for name, value in headers]
    return b"\n".join(lines) + b"\n\n" + draw(st.binary(max_size=200))


@FUZZ
@given(raw=st.binary(max_size=2000) | damaged(MAIL_PAGES) | header_mail())
@example(raw=b"From: Andr\xe9 <a@b.nl>\nSubject: Caf\xe9\n\nhoi")
@example(raw=b":\nMessage-ID:<")  # IndexError in the email package's Message-ID parser
@example(raw=b":\nMessage-ID:<\x00@")
@example(raw=b"Content-Type: text/plain; charset=x-onbekend\n\n\xe9\x00")
def test_parse_message_returns_a_record_none_or_a_source_error(raw: bytes) -> None:
    try:
        record = parse_message(raw, where="bericht")
    except SourceError:
        return
    if record is not None:
        storable(record)
