"""Google Business Profile: the credentials file, the token request, review pages, paging that
stops at known reviews (also after a broken-off run), drift and refused access."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

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
    SourceError,
    SourceUnavailable,
)
from scrapers.google import GoogleCollector, GoogleSettings, load_credentials
from scrapers.google_parse import original_comment, parse_reviews
from scrapers.records import RawReview
from tests.scrapers.conftest import PAGES, FakeStore, MakeClient, Reply, ScriptedServer, drive
from tests.scrapers.fuzz import FUZZ, damaged, json_values, storable

CLIENT_ID = "123456789012-voorbeeld.apps.googleusercontent.com"
CLIENT_SECRET = "GOCSPX-geheim-clientgeheim-4711"
REFRESH_TOKEN = "1//09geheim-vernieuwingstoken-0815"
ACCESS_TOKEN = "ya29.a0AfB_voorbeeld-toegangstoken"
SECRETS = (CLIENT_SECRET, REFRESH_TOKEN, ACCESS_TOKEN)
ACCOUNT, LOCATION = "111222333", "444555666"
REVIEWS = f"/v4/accounts/{ACCOUNT}/locations/{LOCATION}/reviews"
URL = f"https://mybusiness.googleapis.com{REVIEWS}"
JSON = {"Content-Type": "application/json; charset=UTF-8"}
GOOGLE_PAGES = sorted((PAGES / "google").glob("*.json"))


def saved(name: str) -> str:
    return (PAGES / "google" / name).read_text(encoding="utf-8")


def by_id(records: list[RawReview]) -> dict[str, RawReview]:
    return {record.external_id: record for record in records}


def query(page_token: str | None = None) -> str:
    """The query string exactly as the collector sends it."""
    token = f"&pageToken={page_token.replace('=', '%3D')}" if page_token else ""
    return f"?pageSize=50{token}&orderBy=updateTime%20desc"


def write_credentials(folder: Path, data: Any = None) -> Path:
    """The credentials file the owner makes once (Google's "authorized_user" format)."""
    if data is None:
        data = {
            "type": "authorized_user",
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "refresh_token": REFRESH_TOKEN,
        }
    path = folder / "google-inlog.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def make_collector(
    server: ScriptedServer, make_client: MakeClient, credentials: Path, **overrides: Any
) -> GoogleCollector:
    settings = GoogleSettings(
        **{
            "credentials_file": str(credentials),
            "account_id": ACCOUNT,
            "location_id": LOCATION,
            "api_url": server.url("/v4"),
            "token_url": server.url("/token"),
            **overrides,
        }
    )
    return GoogleCollector(settings, http=make_client(), label="Google De Pollepel")


def token_route(server: ScriptedServer, *replies: Reply) -> None:
    server.route("/token", *(replies or (Reply(200, saved("token.json"), JSON),)))


def saved_cursor(batches: list[Batch], before: str | None = None) -> str | None:
    """The cursor the source ends up with: the last one a committed batch carried."""
    for batch in batches:
        if batch.cursor is not None:
            before = batch.cursor
    return before


# Parsing -------------------------------------------------------------------------------


def test_a_page_of_reviews_is_read_with_stars_replies_and_times() -> None:
    page = parse_reviews(saved("reviews-pagina-1.json"), URL)
    records = page.records
    assert [r.external_id for r in records] == [f"AbFvOqn1{x}{x}" for x in "abcdef"]
    marloes = records[0]
    assert marloes.author == "Marloes K."
    assert marloes.text == "Super snelle levering 🚀 en de koekenpan is top! 👍🏽"
    assert (marloes.rating, marloes.rating_min, marloes.rating_max) == (5.0, 1.0, 5.0)
    assert marloes.published_at == datetime(2025, 6, 10, 8, 15, 30, 123456, tzinfo=UTC)
    assert marloes.updated_at == marloes.published_at
    assert marloes.reply_text == "Dank je wel, Marloes! 😊 Veel kookplezier."
    assert marloes.reply_at == datetime(2025, 6, 10, 12, tzinfo=UTC)
    assert (marloes.channel, marloes.title, marloes.url, marloes.language) == (
        "review",
        None,
        None,
        None,
    )
    assert all(r.published_at and r.published_at.tzinfo for r in records)
    assert page.stats == {"total": 11, "average": 4.3}
    assert page.next_page_token == "CAEQAhoIMjAyNS0wNS0yOA=="
    assert page.warnings == []


def test_plain_text_keeps_ampersands_and_entities_as_written() -> None:
    henk = by_id(parse_reviews(saved("reviews-pagina-1.json"), URL).records)["AbFvOqn1bb"]
    assert henk.author == "Henk & Ria"
    # Google's comment is plain text: nothing in it is decoded as HTML.
    assert henk.text == (
        "Prijs & kwaliteit prima <3 Alleen &amp; de verzendkosten (€ 6,95) vallen tegen."
    )
    assert henk.reply_text is None and henk.reply_at is None
    assert henk.updated_at == datetime(2025, 6, 8, 7, 30, 0, 500000, tzinfo=UTC)


def test_anonymous_rating_only_and_extra_fields() -> None:
    records = by_id(parse_reviews(saved("reviews-pagina-1.json"), URL).records)
    assert records["AbFvOqn1dd"].author is None  # isAnonymous
    assert records["AbFvOqn1dd"].rating == 1.0
    sevda = records["AbFvOqn1ee"]  # stars without a comment: normal on Google
    assert (sevda.author, sevda.text, sevda.rating) == ("Sevda", "", 3.0)
    bram = records["AbFvOqn1ff"]  # media items and fields Google may add later are ignored
    assert bram.reply_text == "Graag gedaan, Bram!"


def test_a_translated_comment_keeps_the_reviewers_own_words() -> None:
    first = by_id(parse_reviews(saved("reviews-pagina-1.json"), URL).records)
    assert first["AbFvOqn1cc"].text == "Die Pfanne kam verbeult an. Schade!"
    second = by_id(parse_reviews(saved("reviews-pagina-2.json"), URL, first_page=False).records)
    assert second["AbFvOqn2ee"].text == "Sehr gute Pfanne, schnelle Lieferung."


@pytest.mark.parametrize(
    ("comment", "original"),
    [
        ("(Translated by Google) Great pan\n\n(Original)\nGeweldige pan 😍", "Geweldige pan 😍"),
        ("Tolle Pfanne\n\n(Translated by Google)\nGreat pan", "Tolle Pfanne"),
        ("(Vertaald door Google) Mooi\n\n(Origineel)\nBeautiful", "Beautiful"),
        ("(Translated by Google) Only the translation came", "Only the translation came"),
        (
            "Ik schreef (Original) zelf, midden in een zin",
            "Ik schreef (Original) zelf, midden in een zin",
        ),
        ("  Gewoon een review  ", "Gewoon een review"),
    ],
)
def test_original_comment(comment: str, original: str) -> None:
    assert original_comment(comment) == original


def test_the_last_page_english_long_unrated_and_skipped_reviews() -> None:
    page = parse_reviews(saved("reviews-pagina-2.json"), URL, first_page=False)
    records = by_id(page.records)
    assert page.next_page_token is None
    assert records["AbFvOqn2aa"].text.startswith("Great pans, fast shipping")
    assert records["AbFvOqn2aa"].author == "Emily Carter"
    long = records["AbFvOqn2bb"].text
    assert len(long) == 20000 and "Einde. 🙂" in long[-50:]
    assert records["AbFvOqn2cc"].rating is None  # STAR_RATING_UNSPECIFIED
    assert records["AbFvOqn2cc"].text == "Geen sterren gegeven, maar wel tevreden."
    gerrit = records["AbFvOqn2dd"]  # no reviewId: the id from the resource name
    assert gerrit.rating is None  # "SIX" is no star rating Google documents
    assert gerrit.author == "Gerrit"
    assert len(page.records) == 5
    assert page.warnings == [
        f"{URL.removeprefix('https://')}: review 6 overgeslagen: geen reviewId"
    ]


def test_a_location_without_reviews_is_no_error() -> None:
    page = parse_reviews(saved("leeg.json"), URL)
    assert (page.records, page.stats, page.next_page_token) == ([], {}, None)


# Drift ---------------------------------------------------------------------------------


def test_a_count_without_reviews_on_the_first_page_is_drift() -> None:
    with pytest.raises(DriftError, match="Google meldt 11 reviews") as caught:
        parse_reviews(saved("drift-telling-zonder-reviews.json"), URL)
    assert "lijkt van opbouw veranderd" in caught.value.explain()
    # On a later page, an empty list is just the end.
    assert (
        parse_reviews(saved("drift-telling-zonder-reviews.json"), URL, first_page=False).records
        == []
    )


def test_reviews_in_another_shape_are_drift() -> None:
    with pytest.raises(DriftError, match="geen van de 2 reviews is te lezen"):
        parse_reviews(saved("drift-andere-velden.json"), URL)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("[]", DriftError),
        ('{"reviews": {"reviewId": "x"}}', DriftError),
        ('{"reviews": [{"reviewId": "x", "starRating": "ZERO"}]}', DriftError),
        ("<!DOCTYPE html><html><body>Inloggen</body></html>", ParseError),
        ("", ParseError),
    ],
)
def test_responses_that_are_not_a_review_list(text: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        parse_reviews(text, URL)


# Credentials file ----------------------------------------------------------------------


def test_the_authorized_user_file_is_read(tmp_path: Path) -> None:
    credentials = load_credentials(write_credentials(tmp_path))
    assert credentials.client_id == CLIENT_ID
    assert credentials.client_secret.get_secret_value() == CLIENT_SECRET
    assert credentials.refresh_token.get_secret_value() == REFRESH_TOKEN
    assert CLIENT_SECRET not in repr(credentials) and REFRESH_TOKEN not in repr(credentials)


@pytest.mark.parametrize("section", ["installed", "web"])
def test_the_client_may_sit_under_installed_or_web(tmp_path: Path, section: str) -> None:
    data = {
        section: {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "project_id": "x"},
        "refresh_token": REFRESH_TOKEN,
    }
    credentials = load_credentials(write_credentials(tmp_path, data))
    assert credentials.client_id == CLIENT_ID
    assert credentials.client_secret.get_secret_value() == CLIENT_SECRET


def test_a_missing_credentials_file_is_unavailable(tmp_path: Path) -> None:
    with pytest.raises(SourceUnavailable) as caught:
        load_credentials(tmp_path / "bestaat-niet.json")
    assert "bestaat niet" in caught.value.explain()


def test_a_missing_key_is_named_and_no_value_is_shown(tmp_path: Path) -> None:
    path = write_credentials(tmp_path, {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET})
    with pytest.raises(ParseError, match="'refresh_token' ontbreekt") as caught:
        load_credentials(path)
    assert CLIENT_SECRET not in str(caught.value) + caught.value.explain()


@pytest.mark.parametrize(
    "content",
    [
        f'{{"client_id": "{CLIENT_ID}", "client_secret": "{CLIENT_SECRET}", "refresh_token": "{REFRESH_TOKEN}"',
        f'["{CLIENT_SECRET}", "{REFRESH_TOKEN}"]',
        f'{{"client_id": "{CLIENT_ID}", "client_secret": "", "refresh_token": "{REFRESH_TOKEN}"}}',
    ],
)
def test_a_broken_credentials_file_is_a_parse_error_without_secrets(
    tmp_path: Path, content: str
) -> None:
    with pytest.raises(ParseError) as caught:
        load_credentials(write_credentials(tmp_path, content))
    message = str(caught.value) + caught.value.explain()
    assert str(tmp_path) in message
    assert all(secret not in message for secret in SECRETS)


# Settings ------------------------------------------------------------------------------


def test_settings_defaults_hosts_and_id_forms() -> None:
    settings = GoogleSettings(
        credentials_file="google.json", account_id="accounts/111", location_id="locations/222"
    )
    assert (settings.account_id, settings.location_id) == ("111", "222")
    assert settings.api_url == "https://mybusiness.googleapis.com/v4"
    assert settings.token_url == "https://oauth2.googleapis.com/token"
    assert GoogleCollector.hosts(settings) == {"mybusiness.googleapis.com", "oauth2.googleapis.com"}
    assert GoogleCollector.lists_everything is True


@pytest.mark.parametrize(
    "overrides",
    [
        {"account_id": "111/locations/9"},
        {"location_id": "../../etc"},
        {"account_id": ""},
        {"api_url": "ftp://mybusiness.googleapis.com/v4"},
        {"token_url": "http://oauth2.googleapis.com/token"},  # secrets never unencrypted
        {"credentials_file": ""},
        {"client_secret": "in de config"},
    ],
)
def test_invalid_settings_are_rejected(overrides: dict[str, str]) -> None:
    values = {"credentials_file": "g.json", "account_id": "1", "location_id": "2", **overrides}
    with pytest.raises(ValidationError):
        GoogleSettings(**values)


# Fetching ------------------------------------------------------------------------------


def test_a_run_trades_the_refresh_token_and_reads_every_page(
    tmp_path: Path, server: ScriptedServer, make_client: MakeClient
) -> None:
    token_route(server)
    server.route(REVIEWS + query(), Reply(200, saved("reviews-pagina-1.json"), JSON))
    token = "CAEQAhoIMjAyNS0wNS0yOA=="
    server.route(REVIEWS + query(token), Reply(200, saved("reviews-pagina-2.json"), JSON))
    collector = make_collector(server, make_client, write_credentials(tmp_path))
    batches = drive(collector, FakeStore())
    assert [len(batch.records) for batch in batches] == [6, 5]
    assert [batch.cursor for batch in batches] == [None, "2025-06-10T08:15:30.123456+00:00"]
    assert batches[0].stats == {"total": 11, "average": 4.3}
    assert len(batches[1].warnings) == 1
    assert server.paths() == ["/token", REVIEWS + query(), REVIEWS + query(token)]
    post = server.requests[0]
    assert post.method == "POST"
    assert parse_qs(post.body.decode()) == {
        "grant_type": ["refresh_token"],
        "client_id": [CLIENT_ID],
        "client_secret": [CLIENT_SECRET],
        "refresh_token": [REFRESH_TOKEN],
    }
    for seen in server.requests[1:]:
        assert seen.method == "GET"
        assert seen.headers["Authorization"] == f"Bearer {ACCESS_TOKEN}"
        assert ACCESS_TOKEN not in seen.path and REFRESH_TOKEN not in seen.path


def stamp(day: int) -> str:
    return f"2025-06-{day:02d}T10:00:00Z"


def review(number: int, day: int, text: str | None = None) -> dict[str, Any]:
    return {
        "name": f"accounts/{ACCOUNT}/locations/{LOCATION}/reviews/r{number}",
        "reviewId": f"r{number}",
        "reviewer": {"displayName": f"Klant {number}", "isAnonymous": False},
        "starRating": "FOUR",
        "comment": text or f"Review nummer {number}",
        "createTime": stamp(day),
        "updateTime": stamp(day),
    }


def serve_pages(server: ScriptedServer, *pages: list[dict[str, Any]]) -> None:
    """Script the review list as these pages (newest first), with page tokens between them."""
    for number, reviews in enumerate(pages):
        body: dict[str, Any] = {"reviews": reviews, "totalReviewCount": 9, "averageRating": 4.0}
        if number + 1 < len(pages):
            body["nextPageToken"] = f"p{number + 2}"
        token = f"p{number + 1}" if number else None
        server.route(REVIEWS + query(token), Reply(200, json.dumps(body), JSON))


def review_paths(server: ScriptedServer) -> list[str]:
    return [path.split("&pageToken=")[1].split("&")[0] if "pageToken" in path else "p1"
            for path in server.paths() if path.startswith(REVIEWS)]  # fmt: skip


@pytest.fixture
def google(tmp_path: Path, server: ScriptedServer, make_client: MakeClient) -> GoogleCollector:
    token_route(server)
    return make_collector(server, make_client, write_credentials(tmp_path))


def nine_reviews() -> list[list[dict[str, Any]]]:
    return [[review(9, 9), review(8, 8), review(7, 7)], [review(6, 6), review(5, 5), review(4, 4)],
            [review(3, 3), review(2, 2), review(1, 1)]]  # fmt: skip


def test_the_next_run_stops_at_the_first_page_with_nothing_new(
    google: GoogleCollector, server: ScriptedServer
) -> None:
    store = FakeStore()
    serve_pages(server, *nine_reviews())
    first = drive(google, store)
    cursor = saved_cursor(first)
    assert cursor == "2025-06-09T10:00:00+00:00"
    assert [batch.cursor for batch in first[:-1]] == [None, None]  # only the last one
    assert review_paths(server) == ["p1", "p2", "p3"]

    # One new review on top: page 1 has it, page 2 only known reviews older than the cursor.
    server.requests.clear()
    pages = nine_reviews()
    newest = [review(10, 10), *pages[0][:2]], [pages[0][2], *pages[1][:2]], [pages[1][2], *pages[2]]
    serve_pages(server, *newest)
    second = drive(google, store, cursor=cursor)
    assert review_paths(server) == ["p1", "p2"]
    assert [len(batch.records) for batch in second] == [3, 3, 0]
    assert [batch.cursor for batch in second] == [None, None, "2025-06-10T10:00:00+00:00"]
    assert len(store.rows) == 10

    # Nothing new at all: one page.
    server.requests.clear()
    third = drive(google, store, cursor=saved_cursor(second, cursor))
    assert review_paths(server) == ["p1"]
    assert [len(batch.records) for batch in third] == [3, 0]


def test_an_edited_review_comes_first_and_counts_as_new_work(
    google: GoogleCollector, server: ScriptedServer
) -> None:
    store = FakeStore()
    serve_pages(server, *nine_reviews())
    cursor = saved_cursor(drive(google, store))
    server.requests.clear()
    edited = review(2, 11, "Na contact met de klantenservice toch opgelost!")
    pages = nine_reviews()
    serve_pages(server, [edited, *pages[0][:2]], [pages[0][2], *pages[1][:2]],
                [pages[1][2], review(3, 3), review(1, 1)])  # fmt: skip
    batches = drive(google, store, cursor=cursor)
    assert review_paths(server) == ["p1", "p2"]
    assert store.rows["r2"][1] == "Na contact met de klantenservice toch opgelost!"
    assert saved_cursor(batches) == "2025-06-11T10:00:00+00:00"


def test_a_broken_off_run_does_not_hide_the_older_new_reviews(
    google: GoogleCollector, server: ScriptedServer
) -> None:
    store = FakeStore()
    serve_pages(server, [review(4, 4), review(3, 3)], [review(2, 2), review(1, 1)])
    cursor = saved_cursor(drive(google, store))
    assert cursor == "2025-06-04T10:00:00+00:00"
    # Six new reviews over two pages; the run breaks off after storing page 1 (no cursor saved).
    r = {number: review(number, number) for number in range(1, 11)}
    serve_pages(server, [r[10], r[9], r[8]], [r[7], r[6], r[5]], [r[4], r[3], r[2]], [r[1]])
    broken = drive(google, store, cursor=cursor, stop_after=1)
    assert saved_cursor(broken, cursor) == cursor
    assert "r7" not in store.rows
    # Page 1 is known now but newer than the cursor, so the next run pages on and finds the
    # rest; it stops at page 3, the first page with nothing new that reaches the cursor.
    server.requests.clear()
    batches = drive(google, store, cursor=cursor)
    assert {"r5", "r6", "r7"} <= set(store.rows)
    assert review_paths(server) == ["p1", "p2", "p3"]
    assert saved_cursor(batches) == "2025-06-10T10:00:00+00:00"


def test_a_page_with_an_undated_review_is_not_taken_as_caught_up(
    google: GoogleCollector, server: ScriptedServer
) -> None:
    store = FakeStore()
    undated = {**review(5, 5), "createTime": None, "updateTime": None}
    pages = [[review(6, 6), undated], [review(4, 4), review(3, 3)], [review(2, 2)]]
    serve_pages(server, *pages)
    cursor = saved_cursor(drive(google, store))
    server.requests.clear()
    drive(google, store, cursor=cursor)
    assert review_paths(server) == ["p1", "p2"]  # page 1 alone cannot tell where it ends


def test_a_full_resync_reads_every_page_even_when_nothing_is_new(
    google: GoogleCollector, server: ScriptedServer
) -> None:
    store = FakeStore()
    serve_pages(server, *nine_reviews())
    cursor = saved_cursor(drive(google, store))
    server.requests.clear()
    batches = drive(google, store, cursor=cursor, full=True)
    assert review_paths(server) == ["p1", "p2", "p3"]
    assert [len(batch.records) for batch in batches] == [3, 3, 3]
    assert [batch.cursor for batch in batches] == [None, None, cursor]


def test_an_unreadable_cursor_means_reading_every_page(
    google: GoogleCollector, server: ScriptedServer
) -> None:
    store = FakeStore()
    serve_pages(server, *nine_reviews())
    drive(google, store)
    server.requests.clear()
    drive(google, store, cursor="gisteren")
    assert review_paths(server) == ["p1", "p2", "p3"]


def test_a_page_that_drifted_is_not_handed_over(
    google: GoogleCollector, server: ScriptedServer
) -> None:
    server.route(REVIEWS + query(), Reply(200, saved("reviews-pagina-1.json"), JSON))
    token = "CAEQAhoIMjAyNS0wNS0yOA=="
    server.route(REVIEWS + query(token), Reply(200, saved("drift-andere-velden.json"), JSON))
    batches: list[Batch] = []
    gen = google.collect(cursor=None)
    batches.append(gen.send(None))
    with pytest.raises(DriftError) as caught:
        gen.send(Stored(new=6))
    assert [len(batch.records) for batch in batches] == [6]
    assert batches[0].cursor is None  # the sweep did not finish: nothing vouched for
    assert "/reviews" in caught.value.explain()


def test_a_repeating_page_token_is_drift_not_an_endless_loop(
    google: GoogleCollector, server: ScriptedServer
) -> None:
    body = {"reviews": [review(1, 1)], "nextPageToken": "zelfde"}
    server.route(REVIEWS + query(), Reply(200, json.dumps(body), JSON))
    server.route(REVIEWS + query("zelfde"), Reply(200, json.dumps(body), JSON))
    with pytest.raises(DriftError, match="paginering"):
        drive(google, FakeStore())
    assert len(server.paths()) == 3


def test_a_login_page_instead_of_json_is_a_parse_error(
    google: GoogleCollector, server: ScriptedServer
) -> None:
    server.route(REVIEWS + query(), Reply(200, "<html><body>Inloggen</body></html>"))
    with pytest.raises(ParseError, match="verwachtte JSON"):
        drive(google, FakeStore())


# Refused access ------------------------------------------------------------------------


def assert_no_secrets(error: SourceError) -> None:
    message = str(error) + error.explain()
    assert all(secret not in message for secret in SECRETS)


@pytest.mark.parametrize("status", [400, 401])
def test_a_refused_refresh_token_says_to_make_the_file_again(
    tmp_path: Path, server: ScriptedServer, make_client: MakeClient, status: int
) -> None:
    token_route(server, Reply(status, saved("token-invalid-grant.json"), JSON))
    credentials = write_credentials(tmp_path)
    collector = make_collector(server, make_client, credentials)
    with pytest.raises(AuthError) as caught:
        drive(collector, FakeStore())
    explanation = caught.value.explain()
    assert "opnieuw aan" in explanation and str(credentials) in explanation
    assert_no_secrets(caught.value)
    assert server.paths() == ["/token"]  # no review request without a token


def test_a_refused_access_token_is_an_auth_error(
    google: GoogleCollector, server: ScriptedServer
) -> None:
    server.route(REVIEWS + query(), Reply(401, '{"error": {"code": 401}}', JSON))
    with pytest.raises(AuthError) as caught:
        drive(google, FakeStore())
    assert "HTTP 401" in caught.value.explain()
    assert_no_secrets(caught.value)


def test_api_access_not_yet_approved_says_so(
    google: GoogleCollector, server: ScriptedServer
) -> None:
    server.route(REVIEWS + query(), Reply(403, saved("fout-403-quota.json"), JSON))
    with pytest.raises(AuthError) as caught:
        drive(google, FakeStore())
    explanation = caught.value.explain()
    assert "nog niet goedgekeurd (quotum 0)" in explanation
    assert "vraag Google eerst toegang" in explanation
    assert "controleer de sleutel" not in explanation  # the key is fine; Google must approve
    assert_no_secrets(caught.value)


def test_a_403_without_a_quota_hint_is_about_rights_on_the_location(
    google: GoogleCollector, server: ScriptedServer
) -> None:
    body = '{"error": {"code": 403, "status": "PERMISSION_DENIED"}}'
    server.route(REVIEWS + query(), Reply(403, body, JSON))
    with pytest.raises(AuthError) as caught:
        drive(google, FakeStore())
    explanation = caught.value.explain()
    assert "geen rechten op deze locatie" in explanation
    assert "quotum" not in explanation


def test_a_missing_location_stays_a_status_error(
    google: GoogleCollector, server: ScriptedServer
) -> None:
    server.route(REVIEWS + query(), Reply(404, '{"error": {"code": 404}}', JSON))
    with pytest.raises(HttpStatusError) as caught:
        drive(google, FakeStore())
    assert caught.value.status == 404


@pytest.mark.parametrize(
    "body",
    ['{"token_type": "Bearer"}', "<html>Storing</html>", f'["{ACCESS_TOKEN}"]'],
)
def test_a_token_answer_without_a_token_is_a_parse_error(
    tmp_path: Path, server: ScriptedServer, make_client: MakeClient, body: str
) -> None:
    token_route(server, Reply(200, body, JSON))
    collector = make_collector(server, make_client, write_credentials(tmp_path))
    with pytest.raises(ParseError) as caught:
        drive(collector, FakeStore())
    assert_no_secrets(caught.value)


def test_a_missing_credentials_file_stops_before_any_request(
    tmp_path: Path, server: ScriptedServer, make_client: MakeClient
) -> None:
    collector = make_collector(server, make_client, tmp_path / "weg.json")
    with pytest.raises(SourceUnavailable):
        drive(collector, FakeStore())
    assert server.paths() == []


# Properties ----------------------------------------------------------------------------

JSON_VALUES = json_values(["4", "6,5", "2025-06-01T12:00:00+02:00", "31-02-2025 10:00", "NaN"])


@FUZZ
@given(
    text=st.text(max_size=2000)
    | damaged([path.read_text(encoding="utf-8") for path in GOOGLE_PAGES])
)
@example(text='{"reviews": [{"reviewId": "a", "comment": "\\ud83d"}]}')
@example(text='{"reviews": [{"reviewId": "a", "starRating": "ONE", "createTime": "9999-99-99"}]}')
@example(text="[" * 50_000)
def test_parse_reviews_returns_a_page_or_a_source_error(text: str) -> None:
    try:
        page = parse_reviews(text, URL)
    except SourceError:
        return
    for record in page.records:
        storable(record)
        assert record.rating is None or 1 <= record.rating <= 5


@FUZZ
@given(
    item=st.dictionaries(
        st.sampled_from(
            [
                "name",
                "reviewId",
                "reviewer",
                "starRating",
                "comment",
                "createTime",
                "updateTime",
                "reviewReply",
            ]
        ),
        JSON_VALUES
        | st.sampled_from(["ONE", "FIVE", "STAR_RATING_UNSPECIFIED", "2025-06-01T10:00:00Z"])
        | st.fixed_dictionaries(
            {
                "displayName": JSON_VALUES,
                "isAnonymous": JSON_VALUES,
                "comment": JSON_VALUES,
                "updateTime": JSON_VALUES,
            }
        ),
    ),
    extra=st.dictionaries(
        st.sampled_from(["totalReviewCount", "averageRating", "nextPageToken"]), JSON_VALUES
    ),
)
def test_parse_reviews_survives_any_review_object(
    item: dict[str, Any], extra: dict[str, Any]
) -> None:
    try:
        page = parse_reviews(json.dumps({"reviews": [item], **extra}), URL)
    except SourceError:
        return
    for record in page.records:
        storable(record)
        assert record.published_at is None or record.published_at.tzinfo is not None
