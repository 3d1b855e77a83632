"""WebwinkelKeur: defensive field mapping, the summary, paging until nothing is new, drift and a
refused API code that never shows up in a message."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from pydantic import ValidationError

from scrapers.base import Batch
from scrapers.errors import AuthError, DriftError, HttpStatusError, ParseError, SourceError
from scrapers.records import RawReview
from scrapers.webwinkelkeur import (
    WebwinkelKeurCollector,
    WebwinkelKeurSettings,
    parse_ratings,
    parse_summary,
    ratings_from_json,
    summary_from_json,
)
from tests.scrapers.conftest import PAGES, FakeStore, MakeClient, Reply, ScriptedServer, drive
from tests.scrapers.fuzz import FUZZ, damaged, json_values, storable_texts

URL = "https://dashboard.webwinkelkeur.nl/api/1.0/ratings.json?id=1215156&code=geheim"
CODE = "wwk-code-8c41e0d2"
SHOP = "1215156"
RATINGS = "/api/1.0/ratings.json"
SUMMARY = "/api/1.0/ratings_summary.json"


def page(name: str) -> str:
    return (PAGES / "webwinkelkeur" / name).read_text(encoding="utf-8")


def by_id(records: list[RawReview]) -> dict[str, RawReview]:
    return {record.external_id: record for record in records}


def by_author(records: list[RawReview]) -> dict[str | None, RawReview]:
    return {record.author: record for record in records}


def json_reply(body: Any, status: int = 200) -> Reply:
    text = body if isinstance(body, str) else json.dumps(body)
    return Reply(status, text, {"Content-Type": "application/json"})


def rating(n: int, text: str = "Prima") -> dict[str, Any]:
    return {"id": n, "name": f"Klant {n}", "email": f"klant{n}@example.nl", "rating": 8,
            "comment": text, "date": f"2026-11-{n:02d} 10:00:00"}  # fmt: skip


def ratings(*items: dict[str, Any]) -> dict[str, Any]:
    return {"status": "success", "message": "", "data": [*items]}


def summary(total: int = 5, average: float = 9.1) -> dict[str, Any]:
    return {
        "status": "success",
        "data": {"ratings_summary": {"rating": average, "total_ratings": total}},
    }


def ratings_path(offset: int) -> str:
    """The exact request for a page (test settings: page size 2), secret included."""
    return RATINGS + "?" + urlencode({"id": SHOP, "code": CODE, "limit": 2, "offset": offset})


def collector(
    server: ScriptedServer, make_client: MakeClient, **overrides: Any
) -> WebwinkelKeurCollector:
    values: dict[str, Any] = {
        "shop_id": int(SHOP),
        "api_key": CODE,
        "base_url": server.url(""),
        "page_size": 2,
    }
    return WebwinkelKeurCollector(
        WebwinkelKeurSettings(**(values | overrides)),
        http=make_client(),
        label="De Pollepel (WebwinkelKeur)",
    )


# Parsing -------------------------------------------------------------------------------


def test_each_known_field_name_is_read() -> None:
    parsed = parse_ratings(page("ratings-lijst.json"), URL, shop_id=SHOP)
    marloes, henk = by_id(parsed.records)["4401"], by_id(parsed.records)["r-4400"]
    assert (marloes.author, marloes.text, marloes.rating) == (
        "Marloes",
        "Snel geleverd en netjes verpakt.",
        9.0,
    )
    assert (marloes.rating_min, marloes.rating_max) == (1.0, 10.0)
    assert marloes.published_at == datetime(2026, 11, 18, 8, 12, 44, tzinfo=UTC)  # 09:12 CET
    assert marloes.title is None and marloes.reply_text is None and marloes.url is None
    # rating_id, score with a decimal comma, text, and a Dutch date under "created"
    assert (henk.text, henk.rating) == ("Deksel sloot niet goed aan.", 6.5)
    assert henk.published_at == datetime(2026, 11, 12, 13, 5, tzinfo=UTC)


def test_the_email_address_is_never_stored() -> None:
    parsed = parse_ratings(page("ratings-lijst.json"), URL, shop_id=SHOP)
    for record in parsed.records:
        assert record.contact is None
        assert "@example.nl" not in repr(record)


def test_a_rating_without_an_id_gets_a_stable_one_from_name_and_date() -> None:
    text = page("ratings-lijst.json")
    jurgen = by_author(parse_ratings(text, URL, shop_id=SHOP).records)["Jürgen"]
    assert jurgen.external_id.startswith("h:")
    assert (jurgen.text, jurgen.language) == ("Sehr gut, schnelle Lieferung 👍🍳", "de")
    again = by_author(parse_ratings(text, URL, shop_id=SHOP).records)["Jürgen"]
    assert again.external_id == jurgen.external_id
    edited = text.replace("schnelle Lieferung 👍🍳", "schnelle Lieferung, danke")
    assert by_author(parse_ratings(edited, URL, shop_id=SHOP).records)["Jürgen"].external_id == (
        jurgen.external_id
    )  # an edited text is an update, not a new rating
    other_date = text.replace("2026-11-10T08:00:00+01:00", "2026-11-11T08:00:00+01:00")
    moved = by_author(parse_ratings(other_date, URL, shop_id=SHOP).records)["Jürgen"]
    assert moved.external_id != jurgen.external_id
    other_shop = by_author(parse_ratings(text, URL, shop_id="99").records)["Jürgen"]
    assert other_shop.external_id != jurgen.external_id


def test_entities_line_breaks_a_reply_and_a_long_text_survive() -> None:
    records = by_id(parse_ratings(page("ratings-lijst.json"), URL, shop_id=SHOP).records)
    devries = records["4398"]
    assert devries.author == "Fam. de Vries & zn"
    assert devries.text == "Snel & goed –\naanrader"
    assert devries.reply_text == "Dank u wel & tot ziens!"
    assert len(records["4397"].text) > 19_000


def test_a_rating_off_the_scale_and_an_empty_rating_give_warnings() -> None:
    parsed = parse_ratings(page("ratings-lijst.json"), URL, shop_id=SHOP)
    kees = by_id(parsed.records)["4396"]
    assert (kees.rating, kees.text) == (None, "Verdient een twaalf!")
    assert "4395" not in by_id(parsed.records)  # neither text nor score
    assert parsed.count == 7 and len(parsed.records) == 6
    assert len(parsed.warnings) == 2
    assert "cijfer 12 valt buiten de schaal 1-10" in parsed.warnings[0]
    assert "code=" not in " ".join(parsed.warnings)


def test_a_nested_list_on_a_five_point_scale() -> None:
    parsed = parse_ratings(page("ratings-genest.json"), URL, shop_id=SHOP, rating_max=5)
    assert [(r.external_id, r.rating, r.rating_max) for r in parsed.records] == [
        ("9001", 4.0, 5.0),
        ("9000", 5.0, 5.0),
    ]
    assert parsed.records[0].rating_norm == 0.75


def test_ten_point_ratings_read_with_rating_max_5_are_flagged() -> None:
    parsed = parse_ratings(page("ratings-lijst.json"), URL, shop_id=SHOP, rating_max=5)
    assert by_id(parsed.records)["4401"].rating is None
    assert any("klopt rating_max?" in warning for warning in parsed.warnings)


def test_the_summary_gives_total_and_average() -> None:
    assert parse_summary(page("ratings-samenvatting.json"), URL) == {"total": 1234, "average": 9.4}
    other = {"status": "success", "data": {"amount": "88", "average": "8,9"}}
    assert summary_from_json(other, URL) == {"total": 88, "average": 8.9}


def test_an_error_about_the_code_is_an_auth_error() -> None:
    with pytest.raises(AuthError, match="Invalid code"):
        parse_ratings(page("fout-code.json"), URL, shop_id=SHOP)


def test_other_errors_are_parse_errors() -> None:
    with pytest.raises(ParseError) as caught:
        parse_ratings(page("fout-limiet.json"), URL, shop_id=SHOP)
    assert not isinstance(caught.value, AuthError)
    assert "Limit must be between 1 and 100" in caught.value.explain()


def test_a_code_echoed_in_an_error_message_is_masked() -> None:
    body = {"status": "error", "message": f"code {CODE} is not valid"}
    with pytest.raises(AuthError) as caught:
        ratings_from_json(body, URL, shop_id=SHOP, secrets=(CODE,))
    assert CODE not in str(caught.value) and CODE not in caught.value.explain()
    assert "geheim" not in caught.value.explain()  # the URL's query is never shown


def test_ratings_under_other_field_names_are_drift() -> None:
    with pytest.raises(DriftError, match="andere veldnamen"):
        parse_ratings(page("drift-andere-velden.json"), URL, shop_id=SHOP)


@pytest.mark.parametrize(
    "data",
    [
        {"status": "success"},
        {"status": "success", "data": {"reviews": []}},
        {"status": "success", "data": "x"},
    ],
)
def test_a_response_without_its_list_is_drift(data: dict[str, Any]) -> None:
    with pytest.raises(DriftError):
        ratings_from_json(data, URL, shop_id=SHOP)


@pytest.mark.parametrize("text", ["", "<html></html>", "[]", '"success"', "[" * 5000])
def test_something_that_is_no_response_is_a_parse_error(text: str) -> None:
    with pytest.raises(ParseError):
        parse_ratings(text, URL, shop_id=SHOP)


# Settings --------------------------------------------------------------------------------


def test_settings_defaults_and_hosts() -> None:
    settings = WebwinkelKeurSettings(shop_id=1215156, api_key=CODE)
    assert (settings.shop_id, settings.rating_max, settings.base_url) == (
        "1215156",
        10,
        "https://dashboard.webwinkelkeur.nl",
    )
    assert WebwinkelKeurCollector.hosts(settings) == {"dashboard.webwinkelkeur.nl"}
    assert CODE not in repr(settings)


@pytest.mark.parametrize(
    "overrides",
    [
        {"rating_max": 7},
        {"base_url": "dashboard.webwinkelkeur.nl"},
        {"api_key": ""},
        {"shop_id": ""},
        {"code": "x"},
    ],
)
def test_invalid_settings_are_refused(overrides: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        WebwinkelKeurSettings(**({"shop_id": SHOP, "api_key": CODE} | overrides))


# Fetching --------------------------------------------------------------------------------


def test_the_summary_is_read_once_and_the_pages_in_turn(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    server.route(SUMMARY, json_reply(summary()))
    server.route(ratings_path(0), json_reply(ratings(rating(5), rating(4))))
    server.route(ratings_path(2), json_reply(ratings(rating(3), rating(2))))
    server.route(ratings_path(4), json_reply(ratings(rating(1))))
    batches = drive(collector(server, make_client), FakeStore())
    assert [[r.external_id for r in batch.records] for batch in batches] == [
        ["5", "4"],
        ["3", "2"],
        ["1"],
    ]
    assert batches[0].stats == {"total": 5, "average": 9.1}
    assert [batch.stats for batch in batches[1:]] == [{}, {}]
    # The cursor (the newest rating of a complete sweep) goes with the last batch only.
    assert [batch.cursor is None for batch in batches] == [True, True, False]
    assert server.paths()[0] == SUMMARY + "?" + urlencode({"id": SHOP, "code": CODE})
    assert len(server.requests) == 4


def test_the_next_run_stops_at_the_first_page_with_nothing_new(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    server.route(SUMMARY, json_reply(summary()))
    server.route(ratings_path(0), json_reply(ratings(rating(5), rating(4))))
    server.route(ratings_path(2), json_reply(ratings(rating(3), rating(2))))
    server.route(ratings_path(4), json_reply(ratings(rating(1))))
    store = FakeStore()
    drive(collector(server, make_client), store)

    # Two new ratings push the known ones one page down.
    server.route(ratings_path(0), json_reply(ratings(rating(7), rating(6))))
    server.route(ratings_path(2), json_reply(ratings(rating(5), rating(4))))
    server.requests.clear()
    batches = drive(collector(server, make_client), store)
    # Page 2 holds only known ratings and reaches back to the last sweep's newest: stop there,
    # handing over the new cursor on an empty batch.
    assert [[r.external_id for r in batch.records] for batch in batches] == [
        ["7", "6"],
        ["5", "4"],
        [],
    ]
    assert batches[-1].cursor == store.cursor
    assert [path.split("?")[0] for path in server.paths()] == [SUMMARY, RATINGS, RATINGS]
    assert len(store.rows) == 7


def test_a_full_resync_reads_every_page(server: ScriptedServer, make_client: MakeClient) -> None:
    server.route(SUMMARY, json_reply(summary()))
    server.route(ratings_path(0), json_reply(ratings(rating(5), rating(4))))
    server.route(ratings_path(2), json_reply(ratings(rating(3), rating(2))))
    server.route(ratings_path(4), json_reply(ratings(rating(1))))
    store = FakeStore()
    drive(collector(server, make_client), store)
    server.requests.clear()
    batches = drive(collector(server, make_client), store, full=True)
    assert [len(batch.records) for batch in batches] == [2, 2, 1]  # nothing new, all read
    assert WebwinkelKeurCollector.lists_everything


def test_a_summary_that_cannot_be_read_is_a_warning_not_a_failure(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    server.route(ratings_path(0), json_reply(ratings(rating(1))))
    (batch,) = drive(collector(server, make_client), FakeStore())  # the summary gives a 404
    assert len(batch.records) == 1 and batch.stats == {}
    (warning,) = batch.warnings
    assert "overzicht" in warning and "404" in warning and CODE not in warning


def test_reviews_announced_but_none_given_is_drift_and_nothing_is_yielded(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    server.route(SUMMARY, json_reply(page("ratings-samenvatting.json")))
    server.route(ratings_path(0), json_reply(ratings()))
    batches: list[Batch] = []
    with pytest.raises(DriftError, match="1234 beoordelingen") as caught:
        drive(collector(server, make_client), FakeStore(), into=batches)
    assert batches == []
    assert CODE not in caught.value.explain()


def test_a_page_that_drifted_is_not_handed_over(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    server.route(SUMMARY, json_reply(summary()))
    server.route(ratings_path(0), json_reply(ratings(rating(5), rating(4))))
    server.route(ratings_path(2), json_reply(page("drift-andere-velden.json")))
    batches: list[Batch] = []
    with pytest.raises(DriftError):
        drive(collector(server, make_client), FakeStore(), into=batches)
    assert [len(batch.records) for batch in batches] == [2]


def test_an_api_that_ignores_the_offset_is_reported_not_looped(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    server.route(SUMMARY, json_reply(summary()))
    server.route(RATINGS, json_reply(ratings(rating(5), rating(4))))
    with pytest.raises(DriftError, match="offset"):
        drive(collector(server, make_client), FakeStore(), full=True)
    assert len(server.requests) == 3


@pytest.mark.parametrize("status", [401, 403])
def test_a_refused_code_is_an_auth_error_that_does_not_show_it(
    status: int, server: ScriptedServer, make_client: MakeClient
) -> None:
    server.route(
        SUMMARY, json_reply({"status": "error", "message": f"code {CODE} refused"}, status)
    )
    with pytest.raises(AuthError) as caught:
        drive(collector(server, make_client), FakeStore())
    error = caught.value
    assert f"HTTP {status}" in error.explain()
    for shown in (str(error), error.explain()):
        assert CODE not in shown and "code=" not in shown
        assert shown.count("/api/1.0/ratings_summary.json") == 1


def test_the_reason_for_a_refusal_is_shown_without_the_code(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    server.route(SUMMARY, json_reply({"status": "error", "message": f"Invalid code {CODE}"}, 403))
    with pytest.raises(AuthError) as caught:
        drive(collector(server, make_client), FakeStore())
    assert "(HTTP 403: Invalid code ***)" in caught.value.explain()


def test_a_wrong_code_reported_in_the_body_is_an_auth_error(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    server.route(SUMMARY, json_reply(page("fout-code.json")))
    server.route(RATINGS, json_reply(page("fout-code.json")))
    with pytest.raises(AuthError) as caught:
        drive(collector(server, make_client), FakeStore())
    assert CODE not in str(caught.value) and CODE not in caught.value.explain()
    assert len(server.requests) == 1  # the summary already said so


# Property --------------------------------------------------------------------------------

SAVED = [path.read_text(encoding="utf-8") for path in sorted(PAGES.glob("webwinkelkeur/*.json"))]
JSON_VALUES = json_values(
    ["8,5", "12 mrt. 2026", "3 dagen geleden", "2026-11-19 10:00:00", "NaN"], nested=False
)  # one level: quick to generate
FIELDS = ["id", "rating_id", "name", "email", "rating", "score", "comment", "text", "content",
          "date", "created", "city", "reply", "response", "language"]  # fmt: skip


def storable(record: RawReview, rating_max: int) -> None:
    storable_texts(record.external_id, record.text, record.author, record.reply_text)
    assert record.rating is None or 1 <= record.rating <= rating_max
    assert record.published_at is None or record.published_at.tzinfo is not None


@FUZZ
@given(text=st.text(max_size=2000) | damaged(SAVED), rating_max=st.sampled_from([5, 10]))
@example(
    text='{"status": "success", "data": [{"rating": 1e999, "comment": "\\ud83d"}]}', rating_max=10
)
@example(text='{"status": {"x": 1}, "message": ["a"]}', rating_max=10)
@example(text='{"status": "success", "data": [{"rating": ' + "9" * 5000 + "}]}", rating_max=10)
@example(
    text='{"status": "success", "data": [{"date": "99999999999 dagen geleden", "comment": "x"}]}',
    rating_max=5,
)
def test_parse_ratings_returns_records_or_a_source_error(text: str, rating_max: int) -> None:
    try:
        parsed = parse_ratings(text, URL, shop_id=SHOP, rating_max=rating_max, secrets=(CODE,))
    except SourceError:
        return
    for record in parsed.records:
        storable(record, rating_max)


@FUZZ
@given(items=st.lists(st.dictionaries(st.sampled_from(FIELDS), JSON_VALUES), max_size=4))
def test_ratings_from_json_survives_any_values_in_the_known_fields(
    items: list[dict[str, Any]],
) -> None:
    try:
        parsed = ratings_from_json({"status": "success", "data": items}, URL, shop_id=SHOP)
    except SourceError:
        return
    for record in parsed.records:
        storable(record, 10)


@FUZZ
@given(text=st.text(max_size=500) | damaged(SAVED))
def test_parse_summary_returns_figures_or_a_source_error(text: str) -> None:
    try:
        stats = parse_summary(text, URL)
    except SourceError:
        return
    assert set(stats) <= {"total", "average"} and stats


def test_a_sweep_that_broke_off_is_read_on_past_the_stored_pages_next_time(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    """Without a cursor there is no stopping at known ratings: what a crash left unread is
    still fetched by the next run."""
    server.route(SUMMARY, json_reply(summary()))
    server.route(ratings_path(0), json_reply(ratings(rating(5), rating(4))))
    server.route(ratings_path(2), Reply(503, "onderhoud"))
    store = FakeStore()
    with pytest.raises(HttpStatusError):
        drive(collector(server, make_client), store)
    assert (store.cursor, sorted(store.rows)) == (None, ["4", "5"])

    server.route(ratings_path(2), json_reply(ratings(rating(3), rating(2))))
    server.route(ratings_path(4), json_reply(ratings(rating(1))))
    drive(collector(server, make_client), store)
    assert sorted(store.rows) == ["1", "2", "3", "4", "5"]
    assert store.cursor is not None
