"""Trustpilot: the public pages' __NEXT_DATA__, the Business API (public and private over OAuth),
paging newest first with the sweep cursor, drift, credentials and the settings."""

from __future__ import annotations

import base64
import contextlib
import json
import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from pydantic import ValidationError

from scrapers.base import Batch
from scrapers.errors import (
    AuthError,
    DriftError,
    HttpStatusError,
    ParseError,
    RobotsDisallowed,
    SourceError,
)
from scrapers.records import RawReview
from scrapers.trustpilot import TrustpilotCollector, TrustpilotSettings
from scrapers.trustpilot_parse import (
    parse_api_reviews,
    parse_business_unit,
    parse_page,
    parse_token,
)
from tests.scrapers.conftest import PAGES, FakeStore, MakeClient, Reply, ScriptedServer, drive
from tests.scrapers.fuzz import FUZZ, damaged, json_values, storable_texts

SITE = "https://nl.trustpilot.com"
PAGE_URL = f"{SITE}/review/depollepel.nl?page=1&languages=all&sort=recency"
API = "https://api.trustpilot.com/v1"
UNIT_ID = "5f3e1c2a9d8b7a0012ab34cd"
HISTOGRAM = {"1": 4, "2": 4, "3": 4, "4": 13, "5": 30}

API_KEY = "tpk-7Hq2Lx9Vb4Rw"
API_SECRET = "tps-Zk81mQ0fJx"
USERNAME = "ilse@depollepel.example"
PASSWORD = "Kookpot!2025-geheim"
TOKEN = "AT-vQ3kP9zL2mX8rT1wY6nB4cJ7"  # in api-token.json
SECRETS = (API_KEY, API_SECRET, USERNAME, PASSWORD, TOKEN)

NEXT_DATA = re.compile(
    r'(<script id="__NEXT_DATA__" type="application/json">)(.*?)(</script>)', re.S
)


def saved(name: str) -> str:
    return (PAGES / "trustpilot" / name).read_text(encoding="utf-8")


def listing(number: int) -> str:
    return saved(f"depollepel-p{number}.html")


def next_data(html: str) -> dict[str, Any]:
    match = NEXT_DATA.search(html)
    assert match is not None
    return json.loads(match.group(2))


def with_data(html: str, data: Any) -> str:
    """The page with other __NEXT_DATA__, escaped the way Next.js embeds it."""
    text = json.dumps(data, ensure_ascii=False)
    for char, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e")):
        text = text.replace(char, escaped)
    return NEXT_DATA.sub(lambda m: m.group(1) + text + m.group(3), html, count=1)


def with_reviews(reviews: list[Any], **pagination: Any) -> str:
    """Page 1 with these reviews (and pagination values) in its data."""
    data = next_data(listing(1))
    data["props"]["pageProps"]["reviews"] = reviews
    data["props"]["pageProps"]["filters"]["pagination"].update(pagination)
    return with_data(listing(1), data)


def all_reviews() -> list[dict[str, Any]]:
    return [r for n in (1, 2, 3) for r in next_data(listing(n))["props"]["pageProps"]["reviews"]]


def pages_of(reviews: list[dict[str, Any]]) -> list[str]:
    """The three saved pages re-cut for this list of reviews, 20 a page (the site after change)."""
    count = len(reviews)
    total_pages = -(-count // 20)
    htmls = []
    for number in range(1, total_pages + 1):
        data = next_data(listing(min(number, 3)))
        props = data["props"]["pageProps"]
        props["reviews"] = reviews[(number - 1) * 20 : number * 20]
        props["filters"]["pagination"].update(
            currentPage=number, totalCount=count, totalPages=total_pages
        )
        props["filters"]["reviewStatistics"]["ratings"]["total"] = count
        htmls.append(with_data(listing(min(number, 3)), data))
    return htmls


def new_review(number: int, published: str) -> dict[str, Any]:
    return {
        "id": f"6850aa00000000000000000{number}",
        "text": f"Nieuwe bestelling nummer {number}, weer snel binnen en goed verpakt.",
        "rating": 5,
        "title": "Weer tevreden",
        "dates": {"publishedDate": published, "experiencedDate": None, "updatedDate": None},
        "consumer": {"id": f"c{number}", "displayName": f"Nieuwe klant {number}"},
        "reply": None,
        "language": "nl",
    }


def by_author(records: list[RawReview]) -> dict[str | None, RawReview]:
    return {record.author: record for record in records}


# ---------------------------------------------------------------- the public pages


def test_a_review_page_gives_its_reviews_newest_first_with_the_shops_figures() -> None:
    page = parse_page(listing(1), PAGE_URL, site_url=SITE)
    assert len(page.records) == 20
    assert page.has_more
    assert page.stats == {"total": 55, "average": 4.2, "histogram": HISTOGRAM}
    assert page.warnings == []
    first = page.records[0]
    assert first.external_id == "d12d8e61f28053854a2c4d7e"
    assert first.author == "Marloes van Dijk"
    assert first.author_reviews == 1  # her account's only review: the flags watch for waves
    assert {record.author_reviews for record in page.records} > {1}
    assert first.title == "Snel geleverd en goed verpakt 😍"
    assert first.text.endswith("Hij is prachtig 😍🍲")
    assert (first.rating, first.rating_min, first.rating_max) == (5.0, 1.0, 5.0)
    assert first.language == "nl"
    assert first.published_at == datetime(2025, 6, 14, 9, 12, 45, 318000, tzinfo=UTC)
    assert first.updated_at is None
    assert first.url == f"{SITE}/reviews/d12d8e61f28053854a2c4d7e"
    assert first.reply_text is not None and first.reply_text.startswith("Wat fijn om te lezen")
    assert first.reply_at == datetime(2025, 6, 14, 14, 24, 45, 318000, tzinfo=UTC)
    assert first.channel == "review"
    dates = [record.published_at for record in page.records]
    assert dates == sorted(dates, reverse=True)  # type: ignore[type-var]


def test_characters_escaped_for_html_come_through_as_written() -> None:
    reviews = by_author(parse_page(listing(1), PAGE_URL, site_url=SITE).records)
    henk = reviews["Henk & Ria"]
    assert henk.title == "Prijs/kwaliteit <3"
    assert henk.text.startswith("Prijs & kwaliteit kloppen gewoon.")
    assert henk.reply_text is None
    assert reviews["Özlem Yılmaz"].text.endswith("Teşekkürler!")


def test_a_review_without_its_optional_fields_is_read() -> None:
    sanne = by_author(parse_page(listing(1), PAGE_URL, site_url=SITE).records)["Sanne"]
    assert (
        sanne.text == "Alles netjes ontvangen. Alleen de track & trace code kwam pas een dag later."
    )
    assert (sanne.language, sanne.updated_at, sanne.reply_text, sanne.reply_at) == (
        None,
        None,
        None,
        None,
    )
    assert sanne.published_at is not None and sanne.rating == 4.0


def test_unknown_extra_fields_are_ignored() -> None:
    jeroen = by_author(parse_page(listing(1), PAGE_URL, site_url=SITE).records)["Jeroen Bakker"]
    assert jeroen.text.startswith("Mijn pannenset had een deukje")
    assert jeroen.rating == 5.0


def test_reviews_in_other_languages_keep_their_language() -> None:
    records = [
        record
        for number in (1, 2, 3)
        for record in parse_page(listing(number), PAGE_URL, site_url=SITE, page=number).records
    ]
    languages = {record.author: record.language for record in records}
    assert languages["Oliver Bennett"] == "en"
    assert languages["Sebastian Krüger"] == "de"
    assert languages["Claire Dubois"] == "fr"
    assert len(records) == 55
    assert len({record.external_id for record in records}) == 55


def test_a_very_long_review_is_kept_whole_and_an_edit_has_its_date() -> None:
    records = by_author(parse_page(listing(2), PAGE_URL, site_url=SITE, page=2).records)
    lisa = records["Lisa Meijer"]
    assert len(lisa.text) == 20_000
    assert lisa.text.startswith("(1) ") and "\n\n(2) " in lisa.text
    rick = records["Rick Dekker"]
    assert rick.updated_at is not None and rick.published_at is not None
    assert rick.updated_at > rick.published_at
    assert rick.reply_text is not None and "terugbetaling" in rick.reply_text


def test_the_last_page_says_there_is_no_next_one() -> None:
    page = parse_page(listing(3), PAGE_URL, site_url=SITE, page=3)
    assert (len(page.records), page.has_more) == (15, False)


def test_a_shop_without_reviews_yet_is_no_error_and_reports_no_average() -> None:
    page = parse_page(saved("nog-geen-reviews.html"), PAGE_URL, site_url=SITE)
    assert (page.records, page.has_more) == ([], False)
    assert page.stats == {"total": 0, "histogram": dict.fromkeys("12345", 0)}


def test_without_page_count_the_pages_follow_from_the_total_or_until_one_is_empty() -> None:
    data = next_data(listing(3))
    pagination = data["props"]["pageProps"]["filters"]["pagination"]
    del pagination["totalPages"]
    assert not parse_page(with_data(listing(3), data), PAGE_URL, site_url=SITE, page=3).has_more
    data["props"]["pageProps"]["filters"] = None
    assert parse_page(with_data(listing(3), data), PAGE_URL, site_url=SITE, page=3).has_more


def test_another_page_than_the_one_asked_for_is_a_parse_error() -> None:
    # Sent back to page 1: reading on would never reach the older reviews.
    with pytest.raises(ParseError, match="gevraagd was pagina 4, de site stuurde pagina 1"):
        parse_page(listing(1), PAGE_URL.replace("page=1", "page=4"), site_url=SITE, page=4)


def test_an_odd_rating_or_date_is_left_out_with_a_warning() -> None:
    reviews = next_data(listing(1))["props"]["pageProps"]["reviews"][:2]
    reviews[0]["rating"] = 7
    reviews[1]["dates"]["publishedDate"] = "gisteren"
    page = parse_page(with_reviews(reviews), PAGE_URL, site_url=SITE)
    assert page.records[0].rating is None
    assert page.records[1].published_at is None
    assert page.warnings == [
        "Trustpilot-review d12d8e61f28053854a2c4d7e: sterren 7 niet te lezen",
        "Trustpilot-review 0c508dc5b8cd9ab6bc3d4f4b: datum 'gisteren' niet te lezen",
    ]


def test_a_review_with_a_title_only_is_kept_next_to_reviews_with_text() -> None:
    reviews = next_data(listing(1))["props"]["pageProps"]["reviews"][:3]
    reviews[1]["text"] = ""
    page = parse_page(with_reviews(reviews), PAGE_URL, site_url=SITE)
    assert (page.records[1].title, page.records[1].text) == ("Prijs/kwaliteit <3", "")


def test_an_id_that_cannot_be_part_of_an_address_gives_no_review_url() -> None:
    reviews = next_data(listing(1))["props"]["pageProps"]["reviews"][:1]
    reviews[0]["id"] = "../../evil?x=1"
    record = parse_page(with_reviews(reviews), PAGE_URL, site_url=SITE).records[0]
    assert (record.external_id, record.url) == ("../../evil?x=1", None)


# ---------------------------------------------------------------- drift and broken pages


@pytest.mark.parametrize(
    ("name", "missing"),
    [
        ("zonder-next-data.html", "het script __NEXT_DATA__ met de reviewgegevens ontbreekt"),
        ("andere-opbouw.html", "de __NEXT_DATA__-gegevens bevatten geen props.pageProps.reviews"),
        ("lege-lijst.html", "de pagina meldt 55 reviews maar de lijst is leeg"),
        (
            "lege-teksten.html",
            "review d12d8e61f28053854a2c4d7e op pagina 1 heeft geen titel en geen tekst",
        ),
    ],
)
def test_a_page_that_changed_its_format_is_drift_naming_page_and_what_is_missing(
    name: str, missing: str
) -> None:
    with pytest.raises(DriftError) as caught:
        parse_page(saved(name), PAGE_URL, site_url=SITE)
    assert caught.value.detail == missing
    assert caught.value.explain() == (
        f"nl.trustpilot.com/review/depollepel.nl lijkt van opbouw veranderd: {missing}. "
        "Er is niets van opgeslagen; controleer de bron of werk reviewwacht bij."
    )


def test_reviews_that_all_lost_their_text_are_drift_even_with_titles() -> None:
    reviews = next_data(listing(1))["props"]["pageProps"]["reviews"]
    for review in reviews:
        review["body"] = review.pop("text")
    with pytest.raises(DriftError, match="geen van de 20 reviews op pagina 1 heeft tekst"):
        parse_page(with_reviews(reviews), PAGE_URL, site_url=SITE)


def test_a_review_without_id_is_drift() -> None:
    reviews = next_data(listing(1))["props"]["pageProps"]["reviews"][:3]
    reviews[2]["reviewId"] = reviews[2].pop("id")
    with pytest.raises(DriftError, match="review 3 op pagina 1 heeft geen id"):
        parse_page(with_reviews(reviews), PAGE_URL, site_url=SITE)


def test_the_name_in_a_script_elsewhere_is_not_the_data() -> None:
    html = "<html><script>window.__NEXT_DATA__ = {}</script></html>"
    with pytest.raises(DriftError, match="__NEXT_DATA__ met de reviewgegevens ontbreekt"):
        parse_page(html, PAGE_URL, site_url=SITE)


def test_data_that_is_no_json_is_a_parse_error_not_drift() -> None:
    html = listing(1).replace('"props":{', '"props":{{', 1)
    with pytest.raises(ParseError) as caught:
        parse_page(html, PAGE_URL, site_url=SITE)
    assert not isinstance(caught.value, DriftError)
    assert caught.value.detail == "de __NEXT_DATA__-gegevens zijn geen geldige JSON"


def test_markup_the_html_parser_rejects_is_a_parse_error() -> None:
    html = '<![<script id="__NEXT_DATA__" type="application/json">{}</script>'
    with pytest.raises(ParseError, match="geen leesbare HTML"):
        parse_page(html, PAGE_URL, site_url=SITE)


# ---------------------------------------------------------------- the Business API


def test_api_reviews_are_mapped_and_naive_times_read_as_utc() -> None:
    url = f"{API}/business-units/{UNIT_ID}/reviews?perPage=100&page=1"
    page = parse_api_reviews(saved("api-reviews-p1.json"), url, site_url=SITE)
    assert page.has_more  # the response links a next page
    jolanda, arjen, marloes = page.records
    assert jolanda.author == "Jolanda"
    assert jolanda.published_at == datetime(2025, 6, 16, 7, 45, 10, tzinfo=UTC)
    assert (jolanda.rating, jolanda.language, jolanda.reply_text) == (5.0, "nl", None)
    assert arjen.reply_text == "Dank je, Arjen! Vanaf 50 euro verzenden we gratis. Groet, Ilse"
    assert arjen.reply_at == datetime(2025, 6, 16, 8, 30, tzinfo=UTC)
    # The same review as on the public page: same id, so switching paths adds nothing.
    assert marloes.external_id == "d12d8e61f28053854a2c4d7e"
    assert marloes.url == f"{SITE}/reviews/d12d8e61f28053854a2c4d7e"
    last = parse_api_reviews(saved("api-reviews-p2.json"), url, site_url=SITE, page=2)
    assert [r.language for r in last.records] == ["nl", "en"]
    assert not last.has_more


def test_api_reviews_with_the_pages_field_names_are_read_too() -> None:
    review = {
        "id": "6850aa0000000000000000aa",
        "rating": "4",
        "title": "Prima",
        "text": "Goede pan.",
        "dates": {"publishedDate": "2025-06-01T10:00:00Z", "updatedDate": "2025-06-02T10:00:00Z"},
        "reply": {"message": "Dank je!", "publishedDate": "2025-06-01T12:00:00Z"},
        "consumer": {"displayName": "Wim", "numberOfReviews": "many"},
    }
    page = parse_api_reviews(json.dumps({"reviews": [review]}), API, site_url=SITE)
    record = page.records[0]
    assert (record.rating, record.author, record.reply_text) == (4.0, "Wim", "Dank je!")
    assert record.author_reviews is None  # not a count: not guessed
    assert record.updated_at == datetime(2025, 6, 2, 10, tzinfo=UTC)
    assert record.reply_at == datetime(2025, 6, 1, 12, tzinfo=UTC)
    assert not page.has_more  # no next link and fewer than a full page


def test_a_full_api_page_without_links_may_have_a_next_one() -> None:
    review = {"id": "a1", "stars": 5, "text": "Goed"}
    text = json.dumps({"reviews": [review] * 100})
    assert parse_api_reviews(text, API, site_url=SITE).has_more


def test_the_business_unit_gives_its_id_and_figures() -> None:
    unit_id, stats = parse_business_unit(saved("api-find.json"), f"{API}/business-units/find")
    assert unit_id == UNIT_ID
    assert stats == {
        "total": 57,
        "average": 4.2,
        "histogram": {"1": 4, "2": 4, "3": 4, "4": 14, "5": 31},
    }
    assert parse_business_unit('{"id": "abc123"}', API) == ("abc123", {})


@pytest.mark.parametrize("text", ['{"name": "depollepel.nl"}', '{"id": "../x"}', "[1]"])
def test_a_business_unit_without_a_usable_id_is_drift(text: str) -> None:
    with pytest.raises(DriftError, match="geen geldig id van het bedrijf"):
        parse_business_unit(text, f"{API}/business-units/find")


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ('{"error": "invalid_grant"}', DriftError),
        ('{"access_token": "met\\nregelovergang"}', DriftError),
        ("<html>login</html>", ParseError),
    ],
)
def test_a_token_response_without_a_usable_token_is_an_error(
    text: str, error: type[Exception]
) -> None:
    assert parse_token(saved("api-token.json"), API) == TOKEN
    with pytest.raises(error):
        parse_token(text, API)


@pytest.mark.parametrize("text", ['{"data": []}', "[]", '{"reviews": {"items": []}}'])
def test_an_api_answer_without_a_review_list_is_drift(text: str) -> None:
    with pytest.raises(DriftError, match="bevat geen lijst 'reviews'"):
        parse_api_reviews(text, API, site_url=SITE)


def test_an_api_number_too_long_to_read_is_a_parse_error() -> None:
    with pytest.raises(ParseError):
        parse_api_reviews('{"reviews": [' + "9" * 5000 + "]}", API, site_url=SITE)


# ---------------------------------------------------------------- driving the collector


def make_settings(server: ScriptedServer, **values: Any) -> TrustpilotSettings:
    return TrustpilotSettings(
        domain="depollepel.nl", site_url=server.url(""), api_url=server.url("/v1"), **values
    )


def make_collector(
    server: ScriptedServer, make_client: MakeClient, **values: Any
) -> TrustpilotCollector:
    http = make_client(**values.pop("http", {}))
    return TrustpilotCollector(make_settings(server, **values), http=http, label="Trustpilot")


def page_path(number: int) -> str:
    return f"/review/depollepel.nl?page={number}&languages=all&sort=recency"


def serve_pages(server: ScriptedServer, htmls: list[str]) -> None:
    for number, html in enumerate(htmls, start=1):
        server.route(page_path(number), Reply(200, html))


def pages_fetched(server: ScriptedServer) -> list[int]:
    return [
        int(parse_qs(path.split("?", 1)[1])["page"][0])
        for path in server.paths()
        if path.startswith("/review/")
    ]


def test_the_pages_are_fetched_politely_and_read_to_the_last(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    serve_pages(server, [listing(1), listing(2), listing(3)])
    collector = make_collector(server, make_client)
    store = FakeStore()
    batches = drive(collector, store)
    assert server.paths()[0] == "/robots.txt"
    assert server.paths()[1:] == [page_path(1), page_path(2), page_path(3)]
    assert all(seen.user_agent.startswith("reviewwacht-test/") for seen in server.requests)
    assert [len(batch.records) for batch in batches] == [20, 20, 15]
    assert batches[0].stats == {"total": 55, "average": 4.2, "histogram": HISTOGRAM}
    first = batches[0].records[0]
    assert first.url == server.url("/reviews/d12d8e61f28053854a2c4d7e")
    # The cursor goes with the last batch only: the newest review of the complete sweep.
    assert [batch.cursor for batch in batches] == [None, None, "2025-06-14T09:12:45.318000+00:00"]
    assert len(store.rows) == 55


def test_a_second_run_reads_only_up_to_the_first_page_without_anything_new(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    serve_pages(server, [listing(1), listing(2), listing(3)])
    store = FakeStore()
    drive(make_collector(server, make_client), store)
    assert pages_fetched(server) == [1, 2, 3]

    # Two new reviews on top push every review two places down.
    newer = [new_review(2, "2025-06-16T07:45:10.000Z"), new_review(1, "2025-06-15T18:03:27.000Z")]
    serve_pages(server, pages_of(newer + all_reviews()))
    server.requests.clear()
    batches = drive(make_collector(server, make_client), store)
    assert pages_fetched(server) == [1, 2]
    assert [len(batch.records) for batch in batches] == [20, 20, 0]
    assert len(store.rows) == 57
    assert [batch.cursor for batch in batches] == [None, None, "2025-06-16T07:45:10+00:00"]
    assert store.cursor == "2025-06-16T07:45:10+00:00"

    # Nothing new at all: one page.
    server.requests.clear()
    drive(make_collector(server, make_client), store)
    assert pages_fetched(server) == [1]


def test_a_reply_added_to_a_review_on_page_one_keeps_the_run_going_to_page_two(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    serve_pages(server, [listing(1), listing(2), listing(3)])
    store = FakeStore()
    drive(make_collector(server, make_client), store)
    reviews = all_reviews()
    reviews[5]["reply"] = {"message": "Dank je wel!", "publishedDate": "2025-06-15T08:00:00Z"}
    serve_pages(server, pages_of(reviews))
    server.requests.clear()
    drive(make_collector(server, make_client), store)
    assert pages_fetched(server) == [1, 2]


def test_a_sweep_that_broke_off_is_read_on_past_the_stored_pages_next_time(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    serve_pages(server, [listing(1), listing(2)])
    server.route(page_path(3), Reply(503, "Even niet"))
    store = FakeStore()
    with pytest.raises(HttpStatusError):
        drive(make_collector(server, make_client, http={"retries": 0}), store)
    assert (len(store.rows), store.cursor) == (40, None)  # pages 1 and 2 stored, no cursor

    serve_pages(server, [listing(1), listing(2), listing(3)])
    server.requests.clear()
    drive(make_collector(server, make_client), store)
    assert pages_fetched(server) == [1, 2, 3]  # pages 1 and 2 hold nothing new, yet it reads on
    assert len(store.rows) == 55
    assert store.cursor == "2025-06-14T09:12:45.318000+00:00"


def test_an_unreadable_cursor_means_reading_to_the_end(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    serve_pages(server, [listing(1), listing(2), listing(3)])
    store = FakeStore()
    drive(make_collector(server, make_client), store)
    store.cursor = "pagina 3"
    server.requests.clear()
    drive(make_collector(server, make_client), store)
    assert pages_fetched(server) == [1, 2, 3]
    assert store.cursor == "2025-06-14T09:12:45.318000+00:00"


def test_a_full_resync_reads_every_page_ignoring_cursor_and_max_pages(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    serve_pages(server, [listing(1), listing(2), listing(3)])
    store = FakeStore()
    drive(make_collector(server, make_client), store)
    server.requests.clear()
    batches = drive(make_collector(server, make_client, max_pages=2), store, cursor=None, full=True)
    assert pages_fetched(server) == [1, 2, 3]
    assert [len(batch.records) for batch in batches] == [20, 20, 15]
    assert batches[-1].cursor == "2025-06-14T09:12:45.318000+00:00"
    assert all(batch.warnings == [] for batch in batches)
    assert TrustpilotCollector.lists_everything


def test_an_ordinary_run_stops_at_max_pages_and_says_so(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    serve_pages(server, [listing(1), listing(2), listing(3)])
    store = FakeStore()
    batches = drive(make_collector(server, make_client, max_pages=2), store)
    assert pages_fetched(server) == [1, 2]
    assert batches[-1].warnings == [
        "Trustpilot heeft meer reviews; alleen de nieuwste 2 pagina's zijn gelezen (max_pages). "
        "Een volledige run ('reviewwacht run --full') leest alles."
    ]
    # It did not see everything, so it vouches for nothing: no cursor, the next run reads on.
    assert all(batch.cursor is None for batch in batches)


def test_a_caller_that_stores_nothing_gets_the_first_page(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    serve_pages(server, [listing(1), listing(2), listing(3)])
    batches = make_collector(server, make_client).collect(cursor=None, full=False)
    batch = next(batches)
    batches.close()
    assert len(batch.records) == 20
    assert pages_fetched(server) == [1]


def test_a_drifted_page_yields_nothing_and_leaves_the_cursor(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    serve_pages(
        server,
        [listing(1), saved("lege-teksten.html").replace('"currentPage":1', '"currentPage":2')],
    )
    store = FakeStore()
    batches: list[Batch] = []
    store.cursor = "2025-01-01T00:00:00+00:00"
    with pytest.raises(DriftError) as caught:
        drive(make_collector(server, make_client), store, into=batches)
    assert [len(batch.records) for batch in batches] == [20]  # page 1 only
    assert store.cursor == "2025-01-01T00:00:00+00:00"
    assert f"127.0.0.1:{server.port}/review/depollepel.nl" in caught.value.explain()
    assert "op pagina 2 heeft geen titel en geen tekst" in caught.value.explain()


def test_a_blocked_first_page_is_drift_before_any_batch(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    serve_pages(server, [saved("zonder-next-data.html")])
    batches: list[Batch] = []
    with pytest.raises(DriftError, match="__NEXT_DATA__"):
        drive(make_collector(server, make_client), FakeStore(), into=batches)
    assert batches == []


def test_robots_txt_forbidding_reviews_stops_the_pages_but_not_the_api(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    rules = "User-agent: *\nDisallow: /review/\nAllow: /\n"
    server.route("/robots.txt", Reply(200, rules, {"Content-Type": "text/plain"}))
    serve_pages(server, [listing(1), listing(2), listing(3)])
    with pytest.raises(RobotsDisallowed) as caught:
        drive(make_collector(server, make_client), FakeStore())
    assert server.paths() == ["/robots.txt"]
    assert "gebruik de API" in caught.value.explain()

    serve_api(server)
    server.requests.clear()
    store = FakeStore()
    drive(make_collector(server, make_client, api_key=API_KEY), store)
    assert len(store.rows) == 5
    assert "/robots.txt" not in server.paths()  # robots.txt does not govern an API


# ---------------------------------------------------------------- the collector on the API

API_QUERY = "perPage=100&page={}&orderBy=createdat.desc"


def serve_api(server: ScriptedServer, *, private: bool = False) -> None:
    json_type = {"Content-Type": "application/json; charset=utf-8"}
    server.route(
        "/v1/business-units/find?name=depollepel.nl", Reply(200, saved("api-find.json"), json_type)
    )
    if private:
        token = Reply(200, saved("api-token.json"), json_type)
        server.route("/v1/oauth/oauth-business-users-for-applications/accesstoken", token)
        listed = Reply(200, saved("api-prive-reviews.json"), json_type)
        server.route(f"/v1/private/business-units/{UNIT_ID}/reviews?{API_QUERY.format(1)}", listed)
        return
    for number in (1, 2):
        body = saved(f"api-reviews-p{number}.json")
        path = f"/v1/business-units/{UNIT_ID}/reviews?{API_QUERY.format(number)}"
        server.route(path, Reply(200, body, json_type))


def test_with_an_api_key_the_api_is_read_instead_of_the_pages(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    serve_api(server)
    store = FakeStore()
    batches = drive(make_collector(server, make_client, api_key=API_KEY), store)
    assert server.paths() == [
        "/v1/business-units/find?name=depollepel.nl",
        f"/v1/business-units/{UNIT_ID}/reviews?{API_QUERY.format(1)}",
        f"/v1/business-units/{UNIT_ID}/reviews?{API_QUERY.format(2)}",
    ]
    assert all(seen.headers.get("apikey") == API_KEY for seen in server.requests)
    assert [len(batch.records) for batch in batches] == [3, 2]
    assert batches[0].stats["total"] == 57
    assert batches[-1].cursor == "2025-06-16T07:45:10+00:00"
    assert API_KEY not in " ".join(server.paths())

    server.requests.clear()
    drive(make_collector(server, make_client, api_key=API_KEY), store)  # nothing new
    assert len(server.paths()) == 2  # the lookup and page 1


def test_with_a_business_user_the_private_list_is_read_with_an_oauth_token(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    serve_api(server, private=True)
    credentials = {
        "api_key": API_KEY,
        "api_secret": API_SECRET,
        "username": USERNAME,
        "password": PASSWORD,
    }
    batches = drive(make_collector(server, make_client, **credentials), FakeStore())
    find, token, listed = server.requests
    assert find.headers["apikey"] == API_KEY
    assert token.method == "POST"
    basic = base64.b64encode(f"{API_KEY}:{API_SECRET}".encode()).decode()
    assert token.headers["Authorization"] == f"Basic {basic}"
    assert parse_qs(token.body.decode()) == {
        "grant_type": ["password"],
        "username": [USERNAME],
        "password": [PASSWORD],
    }
    assert listed.headers["Authorization"] == f"Bearer {TOKEN}"
    assert [record.author for record in batches[0].records] == ["Annemiek Kramer", "Tom"]
    assert all(record.contact is None for record in batches[0].records)  # no e-mail kept


@pytest.mark.parametrize(
    ("path", "status", "private"),
    [
        ("/v1/business-units/find", 401, False),
        ("/v1/business-units/find", 403, True),
        ("/v1/oauth/oauth-business-users-for-applications/accesstoken", 401, True),
        ("/v1/oauth/oauth-business-users-for-applications/accesstoken", 400, True),
        (f"/v1/private/business-units/{UNIT_ID}/reviews", 403, True),
        (f"/v1/business-units/{UNIT_ID}/reviews", 401, False),
    ],
)
def test_refused_credentials_are_an_auth_error_without_the_secrets(
    server: ScriptedServer, make_client: MakeClient, path: str, status: int, private: bool
) -> None:
    serve_api(server, private=private)
    refusal = Reply(status, '{"message": "Unauthorized"}', {"Content-Type": "application/json"})
    for route in [route for route in server.routes if route.split("?")[0] == path]:
        server.route(route, refusal)
    credentials: dict[str, Any] = {"api_key": API_KEY}
    if private:
        credentials |= {"api_secret": API_SECRET, "username": USERNAME, "password": PASSWORD}
    batches: list[Batch] = []
    with pytest.raises(AuthError) as caught:
        drive(make_collector(server, make_client, **credentials), FakeStore(), into=batches)
    assert batches == []
    error = caught.value
    shown = f"{error} {error.explain()} {error!r}"
    assert f"foutcode {status}" in shown
    assert error.explain().startswith("Trustpilot (127.0.0.1) weigert de ingestelde inloggegevens")
    for secret in SECRETS:
        assert secret not in shown


def test_an_html_answer_from_the_api_is_a_parse_error(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    server.route("/v1/business-units/find", Reply(200, "<html>Inloggen</html>"))
    with pytest.raises(ParseError, match="verwachtte JSON"):
        drive(make_collector(server, make_client, api_key=API_KEY), FakeStore())


# ---------------------------------------------------------------- settings and hosts


def test_the_hosts_are_the_site_and_with_a_key_the_api() -> None:
    plain = TrustpilotSettings(domain="depollepel.nl")
    assert TrustpilotCollector.hosts(plain) == {"nl.trustpilot.com"}
    keyed = TrustpilotSettings(domain="depollepel.nl", api_key=API_KEY)
    assert TrustpilotCollector.hosts(keyed) == {"nl.trustpilot.com", "api.trustpilot.com"}
    assert (keyed.site_url, keyed.api_url, keyed.max_pages) == (SITE, API, 50)


@pytest.mark.parametrize(
    "domain", ["depollepel.nl", "www.depollepel.nl", "DePollepel.NL", "xn--caf-dma.nl"]
)
def test_a_domain_name_is_accepted_in_lower_case(domain: str) -> None:
    assert TrustpilotSettings(domain=domain).domain == domain.lower()


@pytest.mark.parametrize(
    "domain",
    [
        "",
        "https://depollepel.nl",
        "depollepel.nl/review",
        "depollepel",
        "de pollepel.nl",
        "-a.nl",
        "depollepel.nl?x=1",
        "a..nl",
    ],
)
def test_anything_but_a_domain_name_is_refused(domain: str) -> None:
    with pytest.raises(ValidationError, match=r"een domeinnaam zoals 'depollepel\.nl'"):
        TrustpilotSettings(domain=domain)


@pytest.mark.parametrize("key", ["site_url", "api_url"])
@pytest.mark.parametrize("value", ["nl.trustpilot.com", "ftp://nl.trustpilot.com", "https://"])
def test_base_addresses_must_be_http(key: str, value: str) -> None:
    with pytest.raises(ValidationError, match="een http://- of https://-adres"):
        TrustpilotSettings(domain="depollepel.nl", **{key: value})


@pytest.mark.parametrize(
    "values",
    [
        {"api_key": API_KEY, "api_secret": API_SECRET},
        {"api_key": API_KEY, "username": USERNAME, "password": PASSWORD},
        {"api_secret": API_SECRET, "username": USERNAME, "password": PASSWORD},
        {"api_key": "met spatie"},
        {"api_key": API_KEY, "api_secret": API_SECRET, "username": USERNAME, "password": " "},
        {"max_pages": 0},
    ],
)
def test_incomplete_or_odd_credentials_are_refused(values: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        TrustpilotSettings(domain="depollepel.nl", **values)


def test_the_secrets_are_not_shown_in_the_settings() -> None:
    configured = TrustpilotSettings(
        domain="depollepel.nl",
        api_key=API_KEY,
        api_secret=API_SECRET,
        username=USERNAME,
        password=PASSWORD,
    )
    assert configured.oauth
    for secret in (API_KEY, API_SECRET, USERNAME, PASSWORD):
        assert secret not in repr(configured)


# ---------------------------------------------------------------- properties

SAVED_HTML = [path.read_text(encoding="utf-8") for path in sorted(PAGES.glob("trustpilot/*.html"))]
SAVED_JSON = [path.read_text(encoding="utf-8") for path in sorted(PAGES.glob("trustpilot/*.json"))]


def storable(records: list[RawReview]) -> None:
    for record in records:
        storable_texts(
            record.external_id, record.text, record.author, record.title, record.reply_text
        )
        if record.rating is not None:
            assert 1 <= record.rating <= 5
        for when in (record.published_at, record.updated_at, record.reply_at):
            assert when is None or when.tzinfo is not None


JSON_VALUES = json_values(
    ["5", "4,5", "2025-06-14T09:12:45.318Z", "2025-06-14T09:12:45", "31-02-2025", ""]
)
NESTED = st.fixed_dictionaries(
    {},
    optional={
        key: JSON_VALUES
        for key in ("publishedDate", "updatedDate", "displayName", "message", "text", "createdAt")
    },
)
REVIEW_KEYS = ["id", "title", "text", "rating", "stars", "language", "dates", "consumer", "reply"]
REVIEW_KEYS += ["companyReply", "createdAt", "updatedAt"]
REVIEWS = st.lists(st.dictionaries(st.sampled_from(REVIEW_KEYS), JSON_VALUES | NESTED), max_size=4)


@FUZZ
@given(html=st.text(max_size=2000) | damaged(SAVED_HTML))
@example(html='<![<script id="__NEXT_DATA__">')
@example(html='<script id="__NEXT_DATA__" type="application/json">' + "[" * 50_000 + "</script>")
@example(
    html='<script id="__NEXT_DATA__">{"props": {"pageProps": {"reviews": ['
    + "1" * 5000
    + "]}}}</script>"
)
def test_parse_page_returns_a_page_or_a_source_error(html: str) -> None:
    try:
        page = parse_page(html, PAGE_URL, site_url=SITE)
    except SourceError:
        return
    storable(page.records)


@FUZZ
@given(
    reviews=REVIEWS,
    pagination=st.dictionaries(
        st.sampled_from(["currentPage", "totalCount", "totalPages", "perPage"]), JSON_VALUES
    ),
)
@example(reviews=[{"id": "a", "text": "x", "stars": 10**400}], pagination={"totalCount": 10**400})
def test_parse_page_survives_any_review_objects(
    reviews: list[Any], pagination: dict[str, Any]
) -> None:
    template = saved("nog-geen-reviews.html")  # the smallest page: quick to parse many times
    data = next_data(template)
    data["props"]["pageProps"]["reviews"] = reviews
    data["props"]["pageProps"]["filters"]["pagination"] = pagination
    try:
        page = parse_page(with_data(template, data), PAGE_URL, site_url=SITE)
    except SourceError:
        return
    storable(page.records)


@FUZZ
@given(text=st.text(max_size=2000) | damaged(SAVED_JSON), reviews=REVIEWS)
def test_the_api_parsers_return_results_or_a_source_error(text: str, reviews: list[Any]) -> None:
    for parse in (parse_business_unit, parse_token):
        with contextlib.suppress(SourceError):
            parse(text, API)
    for body in (text, json.dumps({"reviews": reviews, "links": reviews})):
        try:
            page = parse_api_reviews(body, API, site_url=SITE)
        except SourceError:
            continue
        storable(page.records)
