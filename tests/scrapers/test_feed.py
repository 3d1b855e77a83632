"""Brand mentions from RSS and Atom feeds: plain text from HTML, ids, links, dates, broken and
non-feeds, and the collector over several feeds."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from pydantic import ValidationError

from scrapers.base import Batch, Stored
from scrapers.errors import (
    AuthError,
    DriftError,
    HttpStatusError,
    ParseError,
    PartialFailure,
    SourceError,
)
from scrapers.feed import FeedCollector, FeedSettings, parse_feed
from scrapers.records import RawReview
from tests.scrapers.conftest import PAGES, MakeClient, Reply, ScriptedServer
from tests.scrapers.fuzz import FUZZ, damaged, storable

FEED = "https://www.kookblog.example/feed/pollepel"
RSS = {"Content-Type": "application/rss+xml; charset=utf-8"}
ATOM = {"Content-Type": "application/atom+xml"}
FEED_PAGES = sorted((PAGES / "feed").iterdir())


def saved(name: str) -> bytes:
    return (PAGES / "feed" / name).read_bytes()


def by_id(records: list[RawReview]) -> dict[str, RawReview]:
    return {record.external_id: record for record in records}


def drive(collector: FeedCollector, *, full: bool = False) -> list[Batch]:
    """Run ``collect`` as the collect stage does (each batch stored, its result sent back)."""
    batches: list[Batch] = []
    gen = collector.collect(cursor=None, full=full)
    stored: Stored | None = None
    while True:
        try:
            batch = gen.send(stored)
        except StopIteration:
            return batches
        batches.append(batch)
        stored = Stored(new=len(batch.records))


# Atom (an alerts feed) -----------------------------------------------------------------


def test_an_alerts_feed_gives_plain_text_mentions() -> None:
    records, warnings = parse_feed(saved("google-alerts.xml"), FEED)
    assert warnings == []
    assert [record.external_id for record in records] == [
        f"tag:google.com,2013:googlealerts/feed:{digit * 20}" for digit in "123"
    ]
    first = records[0]
    assert first.channel == "mention"
    assert first.title == "Review: De Pollepel bezorgt snel, maar de verpakking & service?"
    assert first.text == (
        "Wie heeft ervaring met De Pollepel? Mijn pan kwam snel 🚀 maar de doos was kapot … "
        "€ 89 is niet niks."
    )
    assert first.rating is None
    assert first.author is None  # an empty <name>
    assert first.published_at == datetime(2025, 6, 12, 6, tzinfo=UTC)
    assert first.url is not None and first.url.startswith("https://www.google.com/url?")
    assert "&amp;" not in first.url


def test_atom_times_are_aware_and_a_missing_published_falls_back_to_updated() -> None:
    records, _ = parse_feed(saved("google-alerts.xml"), FEED)
    english, test = records[1], records[2]
    assert english.published_at == datetime(2025, 6, 11, 12, 20, tzinfo=UTC)  # +02:00
    assert english.updated_at == datetime(2025, 6, 11, 13, tzinfo=UTC)
    assert english.text == (
        "The Dutch cookware shop De Pollepel announced a second store in Antwerp."
    )
    assert test.published_at == test.updated_at == datetime(2025, 6, 10, 9, tzinfo=UTC)
    assert test.author == "Redactie Consumentengids"


# RSS 2.0 -------------------------------------------------------------------------------


@pytest.fixture
def rss() -> dict[str, RawReview]:
    records, _ = parse_feed(saved("merk-rss.xml"), FEED)
    return by_id(records)


def test_rss_html_is_read_as_text_and_scripts_and_styles_are_dropped(
    rss: dict[str, RawReview],
) -> None:
    jan = rss["kookblog-4711"]
    assert jan.title == "De Pollepel & hun klantenservice"
    assert jan.text == (
        "Mijn ervaring met De Pollepel: snel antwoord & een nieuwe pan voor € 0,-.\n\nTop! 😍"
    )
    assert "document.cookie" not in jan.text and "color" not in jan.text
    assert jan.author == "Jan de Vries"  # "jan@kookblog.example (Jan de Vries)": no address
    assert jan.language == "nl"  # the channel's nl-NL
    assert jan.published_at == datetime(2025, 6, 10, 7, 30, tzinfo=UTC)
    assert jan.updated_at is None  # RSS has no update time
    assert jan.url == "https://www.kookblog.example/2025/06/pollepel-klantenservice"


def test_rss_ids_fall_back_to_the_link_and_then_a_stable_hash(rss: dict[str, RawReview]) -> None:
    offer = rss["https://www.aanbiedingen.example/pollepel"]  # no guid
    assert (offer.title, offer.text) == ("Pollepel-pannen in de aanbieding", "")
    (hashed,) = [record for record in rss.values() if record.external_id.startswith("h:")]
    assert hashed.title == "Forumdraad over De Pollepel"
    assert hashed.url is None
    again, _ = parse_feed(saved("merk-rss.xml"), FEED)
    assert hashed.external_id in by_id(again)


def test_only_http_links_are_kept(rss: dict[str, RawReview]) -> None:
    dangerous = rss["kookblog-4712"]
    assert dangerous.url is None  # javascript:
    assert dangerous.author == "Fatima El Amrani"  # dc:creator
    assert dangerous.published_at is None


def test_content_is_preferred_over_the_summary_and_kept_whole(rss: dict[str, RawReview]) -> None:
    long = rss["https://www.kookblog.example/?p=4713"]
    assert len(long.text) == 20000
    assert "Slot 🍲" in long.text
    assert not long.text.startswith("Korte samenvatting")


def test_a_non_dutch_entry_empty_entries_and_repeats(rss: dict[str, RawReview]) -> None:
    assert rss["kochblog-99"].text.startswith("Der Topf von De Pollepel ist schwer")
    assert len(rss) == 6  # the empty entry skipped, the repeated guid once
    _, warnings = parse_feed(saved("merk-rss.xml"), FEED)
    assert warnings == [
        "www.kookblog.example/feed/pollepel: bericht 7 overgeslagen: geen titel en geen tekst"
    ]


def test_the_declared_charset_is_honoured() -> None:
    records, _ = parse_feed(saved("latin1-rss.xml"), FEED, content_type="application/rss+xml")
    assert records[0].title == "Café-eigenaar prijst De Pollepel"
    assert records[0].text == "Naïef gedacht, maar de pannen zijn écht goed."


def test_text_that_was_already_decoded_is_read_as_utf8() -> None:
    text = saved("latin1-rss.xml").decode("iso-8859-1")
    records, _ = parse_feed(text, FEED)
    assert records[0].title == "Café-eigenaar prijst De Pollepel"


def test_a_feed_served_as_html_or_plain_text_is_still_read() -> None:
    for content_type in ("text/html; charset=utf-8", "text/plain"):
        records, _ = parse_feed(saved("google-alerts.xml"), FEED, content_type=content_type)
        assert len(records) == 3


def test_a_valid_empty_feed_has_no_mentions() -> None:
    assert parse_feed(saved("leeg-rss.xml"), FEED) == ([], [])


def test_a_feed_with_markup_errors_still_gives_what_it_can() -> None:
    records, _ = parse_feed(saved("kapot-rss.xml"), FEED, content_type="text/xml")
    assert records[0].title == "Pollepel & co: snelle levering"
    assert records[0].text == "Snel geleverd & netjes verpakt."


def test_a_plain_text_summary_is_not_read_as_html() -> None:
    rss = (
        '<rss version="2.0"><channel><title>x</title><item><guid>a</guid>'
        "<title>5 &lt; 6</title><description>Ik &lt;3 De Pollepel</description></item>"
        "</channel></rss>"
    )
    (record,), _ = parse_feed(rss.encode(), FEED)
    assert (record.title, record.text) == ("5 < 6", "Ik <3 De Pollepel")


def test_a_very_long_id_is_hashed_to_fit_the_store() -> None:
    guid = "https://www.kookblog.example/?" + "q=pollepel&" * 40
    rss = (
        '<rss version="2.0"><channel><title>x</title><item>'
        f"<guid>{guid.replace('&', '&amp;')}</guid><title>Lang</title></item></channel></rss>"
    )
    (record,), _ = parse_feed(rss.encode(), FEED)
    assert record.external_id.startswith("h:") and len(record.external_id) <= 255


# Not a feed ----------------------------------------------------------------------------


def test_an_html_page_instead_of_a_feed_is_drift() -> None:
    with pytest.raises(DriftError) as caught:
        parse_feed(saved("html-pagina.html"), FEED, content_type="text/html; charset=utf-8")
    assert "HTML-pagina" in caught.value.explain()
    with pytest.raises(DriftError):  # also when the server calls it XML
        parse_feed(saved("html-pagina.html"), FEED, content_type="application/rss+xml")


@pytest.mark.parametrize(
    "content",
    [
        saved("geen-feed.json"),
        b"",
        b"   \n",
        b"gewoon tekst",
        b"<foo><bar/></foo>",
        b"\x00\xff\xfe",
    ],
)
def test_something_that_is_no_feed_is_a_parse_error(content: bytes) -> None:
    with pytest.raises(ParseError):
        parse_feed(content, FEED)


def test_entries_without_any_title_or_text_are_drift() -> None:
    rss = (
        '<rss version="2.0"><channel><title>x</title>'
        "<item><guid>a</guid></item><item><guid>b</guid><title> </title></item>"
        "</channel></rss>"
    )
    with pytest.raises(DriftError, match="2 berichten"):
        parse_feed(rss.encode(), FEED)


def test_a_body_that_names_a_local_file_is_not_opened(tmp_path: Path) -> None:
    # feedparser opens a str or bytes argument that looks like a path; the parser never lets it.
    secret = tmp_path / "feed.xml"
    secret.write_bytes(saved("google-alerts.xml"))
    with pytest.raises(ParseError):
        parse_feed(str(secret).encode(), FEED)
    with pytest.raises(ParseError):
        parse_feed(str(secret), FEED)


# Settings ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "urls", [[], ["www.kookblog.example/feed"], ["file:///etc/passwd"], ["feed://x.example/rss"]]
)
def test_invalid_feed_lists_are_rejected(urls: list[str]) -> None:
    with pytest.raises(ValidationError):
        FeedSettings(urls=urls)


def test_the_hosts_are_those_of_the_feeds() -> None:
    settings = FeedSettings(urls=[FEED, "https://www.google.com/alerts/feeds/1/2"])
    assert FeedCollector.hosts(settings) == {"www.kookblog.example", "www.google.com"}
    assert FeedCollector.lists_everything is False


# Collector -----------------------------------------------------------------------------


def feeds(server: ScriptedServer) -> list[str]:
    return [
        server.route("/alerts/feeds/1/2", Reply(200, saved("google-alerts.xml"), ATOM)),
        server.route("/feed/pollepel", Reply(200, saved("merk-rss.xml"), RSS)),
    ]


def test_each_feed_is_one_batch_fetched_once_per_run(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    urls = feeds(server)
    collector = FeedCollector(FeedSettings(urls=urls), http=make_client(), label="Vermeldingen")
    batches = drive(collector)
    assert [len(batch.records) for batch in batches] == [3, 6]
    assert all(batch.cursor is None for batch in batches)
    assert server.paths() == ["/alerts/feeds/1/2", "/feed/pollepel"]
    # The next run reads each feed once more (no paging); the ids are the same.
    server.requests.clear()
    again = drive(FeedCollector(FeedSettings(urls=urls), http=make_client(), label="x"))
    assert server.paths() == ["/alerts/feeds/1/2", "/feed/pollepel"]
    assert [r.external_id for b in again for r in b.records] == [
        r.external_id for b in batches for r in b.records
    ]


def test_a_full_resync_reads_the_same_one_request_per_feed(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    collector = FeedCollector(FeedSettings(urls=feeds(server)), http=make_client(), label="x")
    assert [len(batch.records) for batch in drive(collector, full=True)] == [3, 6]
    assert server.paths().count("/feed/pollepel") == 1


def test_a_failing_feed_does_not_stop_the_others(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    good = feeds(server)
    urls = [
        server.route("/nieuws/rss", Reply(200, saved("html-pagina.html"))),
        good[0],
        server.url("/opgeheven.xml?token=geheim123"),
        good[1],
    ]
    collector = FeedCollector(FeedSettings(urls=urls), http=make_client(), label="x")
    batches: list[Batch] = []
    with pytest.raises(PartialFailure) as caught:
        batches.extend(collector.collect(cursor=None))
    assert [len(batch.records) for batch in batches] == [3, 6]  # nothing of the HTML page
    failure = caught.value
    assert [type(error) for error in failure.failures] == [DriftError, HttpStatusError]
    explanation = failure.explain()
    assert explanation.startswith("2 van 4 feeds mislukt.")
    assert "HTML-pagina" in explanation and "geheim123" not in explanation


def test_a_feed_that_asks_for_a_login_is_an_auth_error_without_its_key(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    url = server.route("/prive/feed", Reply(401, "Unauthorized")) + "?key=geheime-sleutel-42"
    collector = FeedCollector(FeedSettings(urls=[url]), http=make_client(), label="x")
    with pytest.raises(PartialFailure) as caught:
        drive(collector)
    (error,) = caught.value.failures
    assert isinstance(error, AuthError)
    message = str(caught.value) + caught.value.explain()
    assert "openbare feeds" in message and "geheime-sleutel-42" not in message


def test_a_subscribed_feed_is_read_like_a_feed_reader_without_robots_txt(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    # Google's robots.txt forbids /alerts/ to crawlers; a feed the owner subscribed to is not
    # crawled but read, as every feed reader does.
    server.route(
        "/robots.txt",
        Reply(200, "User-agent: *\nDisallow: /alerts/\n", {"Content-Type": "text/plain"}),
    )
    urls = feeds(server)
    batches = drive(FeedCollector(FeedSettings(urls=urls), http=make_client(), label="x"))
    assert [len(batch.records) for batch in batches] == [3, 6]
    assert "/robots.txt" not in server.paths()


# Properties ----------------------------------------------------------------------------


@FUZZ
@given(content=st.binary(max_size=3000) | damaged([path.read_bytes() for path in FEED_PAGES]))
@example(content=b"<rss><channel><item><title>\xed\xa0\xbd</title></item></channel></rss>")
@example(content=b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a '" + b"a" * 1000 + b"'>]><rss/>")
@example(
    content=b"<feed xmlns='http://www.w3.org/2005/Atom'><entry><id>"
    + b"i" * 5000
    + b"</id></entry></feed>"
)
def test_parse_feed_returns_mentions_or_a_source_error(content: bytes) -> None:
    try:
        records, warnings = parse_feed(content, FEED, content_type="application/rss+xml")
    except SourceError:
        return
    assert all(isinstance(warning, str) for warning in warnings)
    for record in records:
        storable(record)
        assert record.channel == "mention"
        assert record.rating is None
        assert record.url is None or record.url.startswith(("http://", "https://"))


@FUZZ
@given(text=st.text(max_size=2000))
def test_parse_feed_accepts_any_text_without_crashing(text: str) -> None:
    try:
        records, _ = parse_feed(text, FEED)
    except SourceError:
        return
    for record in records:
        storable(record)
