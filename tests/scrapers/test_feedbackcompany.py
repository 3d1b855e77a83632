"""Feedback Company: the OAuth token, the questions a review consists of, paging until nothing is
new, drift, and refused or expired credentials that never show up in a message."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from pydantic import ValidationError

from scrapers.base import Batch
from scrapers.errors import AuthError, DriftError, HttpStatusError, ParseError, SourceError
from scrapers.feedbackcompany import (
    REVIEW_PATH,
    TOKEN_PATH,
    FeedbackCompanyCollector,
    FeedbackCompanySettings,
    parse_reviews,
    reviews_from_json,
    token_from_json,
)
from scrapers.records import RawReview
from tests.scrapers.conftest import PAGES, FakeStore, MakeClient, Reply, ScriptedServer, drive
from tests.scrapers.fuzz import FUZZ, damaged, json_values, storable_texts

URL = "https://www.feedbackcompany.com" + REVIEW_PATH
SECRET = "fbc-secret-41d7e9"
ACCESS = "fbc-access-7d2e5c9a41b8"  # the token in token.json
CET = ZoneInfo("Europe/Amsterdam")


def page(name: str) -> str:
    return (PAGES / "feedbackcompany" / name).read_text(encoding="utf-8")


def by_id(records: list[RawReview]) -> dict[str, RawReview]:
    return {record.external_id: record for record in records}


def json_reply(body: Any, status: int = 200) -> Reply:
    text = body if isinstance(body, str) else json.dumps(body)
    return Reply(status, text, {"Content-Type": "application/json; charset=utf-8"})


def review(n: int, text: str = "Prima") -> dict[str, Any]:
    return {
        "id": n,
        "date_created": f"2026-11-{n:02d} 10:00:00",
        "total_score": 4,
        "recommends": True,
        "client": {"name": f"Klant {n}"},
        "questions": [{"type": "main_open", "value": text}],
    }


def reviews(*items: dict[str, Any], count: int = 5) -> dict[str, Any]:
    return {"success": True, "count": count, "reviews": [*items]}


def params(server: ScriptedServer) -> list[dict[str, str]]:
    return [
        {key: values[0] for key, values in parse_qs(urlsplit(path).query).items()}
        for path in server.paths()
    ]


def collector(server: ScriptedServer, make_client: MakeClient) -> FeedbackCompanyCollector:
    settings = FeedbackCompanySettings(
        client_id="pollepel-client", client_secret=SECRET, base_url=server.url(""), page_size=2
    )
    return FeedbackCompanyCollector(settings, http=make_client(), label="De Pollepel (FBC)")


# Parsing -------------------------------------------------------------------------------


def test_the_main_open_answer_is_the_text_and_the_total_score_the_rating() -> None:
    marloes = by_id(parse_reviews(page("reviews-varianten.json"), URL).records)["880101"]
    assert marloes.text == "De pan kwam binnen twee dagen en bakt heerlijk."  # not the tip
    assert (marloes.rating, marloes.rating_min, marloes.rating_max) == (4.5, 1.0, 5.0)
    assert marloes.rating_norm == pytest.approx(3.5 / 4)
    assert marloes.author == "Marloes K."
    assert marloes.title is None  # no title question
    assert marloes.recommends is True
    assert marloes.published_at == datetime(2026, 11, 18, 9, 12, 44, tzinfo=CET)
    assert marloes.contact is None and "@example.nl" not in repr(marloes)


def test_the_final_score_question_stands_in_for_a_missing_total_score() -> None:
    henk = by_id(parse_reviews(page("reviews-varianten.json"), URL).records)["880100"]
    assert (henk.rating, henk.recommends) == (3.0, False)
    assert henk.updated_at == datetime(2026, 11, 18, 8, 0, tzinfo=CET)
    assert henk.reply_text == "Vervelend, Henk. We sturen een nieuw deksel."
    assert henk.reply_at == datetime(2026, 11, 18, 10, 0, tzinfo=CET)


def test_a_title_question_and_other_open_answers_when_there_is_no_main_answer() -> None:
    sevda = by_id(parse_reviews(page("reviews-varianten.json"), URL).records)["880096"]
    assert (sevda.title, sevda.text) == ("Prima service", "Goed geholpen aan de telefoon.")


def test_a_product_review_in_german_with_emoji_and_unknown_fields() -> None:
    jurgen = by_id(parse_reviews(page("reviews-varianten.json"), URL).records)["880099"]
    assert jurgen.text == "Sehr gute Pfanne 👍🍳 schnelle Lieferung"
    assert (jurgen.language, jurgen.rating, jurgen.reply_text) == ("de", 5.0, None)


def test_entities_line_breaks_and_a_long_text_survive() -> None:
    records = by_id(parse_reviews(page("reviews-varianten.json"), URL).records)
    assert records["880098"].author == "Fam. de Vries & zn"
    assert records["880098"].text == "Prijs & kwaliteit – prima\nAanrader!"
    assert len(records["880097"].text) > 19_000


def test_a_score_off_the_scale_and_an_empty_review_give_warnings() -> None:
    parsed = parse_reviews(page("reviews-varianten.json"), URL)
    kees = by_id(parsed.records)["880095"]
    assert (kees.rating, kees.text) == (None, "Beter dan vijf sterren!")
    assert "880094" not in by_id(parsed.records)
    assert parsed.count == 8 and len(parsed.records) == 7
    assert [w.split(": ", 1)[1] for w in parsed.warnings] == [
        "review 880095 heeft score 7, buiten de schaal 1-5; de score is weggelaten.",
        "review 880094 overgeslagen: geen tekst of score.",
    ]
    assert parsed.stats == {"total": 57}


def test_reviews_under_data_are_read_too() -> None:
    nested = {"success": True, "data": {"reviews": [review(3)]}}
    assert [r.external_id for r in reviews_from_json(nested, URL).records] == ["3"]
    listed = {"data": [review(4)]}
    assert [r.external_id for r in reviews_from_json(listed, URL).records] == ["4"]


def test_the_token_response_gives_the_access_token() -> None:
    assert token_from_json(json.loads(page("token.json")), URL) == ACCESS


@pytest.mark.parametrize(
    "data",
    [
        json.loads(page("token-geweigerd.json")),
        {"access_token": ""},
        {"error": "invalid_client", "error_description": f"secret {SECRET} is wrong"},
    ],
)
def test_a_refused_token_is_an_auth_error(data: dict[str, Any]) -> None:
    with pytest.raises(AuthError) as caught:
        token_from_json(data, URL + "?client_secret=" + SECRET, secrets=(SECRET,))
    assert SECRET not in str(caught.value) and SECRET not in caught.value.explain()


def test_an_error_about_the_token_is_an_auth_error_and_others_parse_errors() -> None:
    with pytest.raises(AuthError, match="expired access token"):
        parse_reviews(page("fout-token-verlopen.json"), URL)
    with pytest.raises(ParseError) as caught:
        reviews_from_json({"success": False, "message": "Database overloaded"}, URL)
    assert not isinstance(caught.value, AuthError)


@pytest.mark.parametrize(
    "data",
    [
        json.loads(page("drift-zonder-id.json")),
        {"success": True},
        {"success": True, "reviews": {"1": {}}},
        {"success": True, "reviews": [{"id": 1, "questions": [{"type": "final", "value": 5}]}]},
    ],
)
def test_responses_that_lost_their_shape_are_drift(data: dict[str, Any]) -> None:
    with pytest.raises(DriftError):
        reviews_from_json(data, URL)


@pytest.mark.parametrize("text", ["", "<html></html>", "[]", "{" * 5000])
def test_something_that_is_no_response_is_a_parse_error(text: str) -> None:
    with pytest.raises(ParseError):
        parse_reviews(text, URL)


# Settings --------------------------------------------------------------------------------


def test_settings_defaults_and_hosts() -> None:
    settings = FeedbackCompanySettings(client_id="pollepel-client", client_secret=SECRET)
    assert settings.base_url == "https://www.feedbackcompany.com"
    assert FeedbackCompanyCollector.hosts(settings) == {"www.feedbackcompany.com"}
    assert SECRET not in repr(settings)


@pytest.mark.parametrize(
    "overrides",
    [
        {"client_secret": ""},
        {"client_id": " "},
        {"base_url": "www.feedbackcompany.com"},
        {"page_size": 0},
    ],
)
def test_invalid_settings_are_refused(overrides: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        FeedbackCompanySettings(**({"client_id": "c", "client_secret": SECRET} | overrides))


# Fetching --------------------------------------------------------------------------------


def test_a_token_first_then_pages_with_it(server: ScriptedServer, make_client: MakeClient) -> None:
    server.route(TOKEN_PATH, json_reply(page("token.json")))
    server.route(
        REVIEW_PATH, json_reply(reviews(review(5), review(4))), json_reply(reviews(review(3)))
    )
    batches = drive(collector(server, make_client), FakeStore())
    assert [[r.external_id for r in batch.records] for batch in batches] == [["5", "4"], ["3"]]
    assert batches[0].stats == {"total": 5} and batches[1].stats == {}
    token, first, second = params(server)
    assert token == {
        "client_id": "pollepel-client",
        "client_secret": SECRET,
        "grant_type": "authorization_code",
    }
    assert (first, second) == ({"limit": "2", "start": "0"}, {"limit": "2", "start": "2"})
    assert [seen.headers.get("Authorization") for seen in server.requests] == [
        None,
        f"Bearer {ACCESS}",
        f"Bearer {ACCESS}",
    ]


def test_the_next_run_stops_at_the_first_page_with_nothing_new(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    server.route(TOKEN_PATH, json_reply(page("token.json")))
    first_run = [
        json_reply(reviews(review(5), review(4))),
        json_reply(reviews(review(3), review(2))),
        json_reply(reviews(review(1))),
    ]
    server.route(REVIEW_PATH, *first_run)
    store = FakeStore()
    drive(collector(server, make_client), store)

    server.route(
        REVIEW_PATH,
        json_reply(reviews(review(6), review(5, text="Prima, en snel nagestuurd"))),  # edited
        json_reply(reviews(review(4), review(3))),
        json_reply(reviews(review(2), review(1))),
    )
    server.requests.clear()
    batches = drive(collector(server, make_client), store)
    assert [[r.external_id for r in batch.records] for batch in batches] == [
        ["6", "5"],
        ["4", "3"],
        [],
    ]
    assert [p.get("start") for p in params(server)] == [None, "0", "2"]  # token, two pages
    assert store.rows["5"][1] == "Prima, en snel nagestuurd"


def test_a_full_resync_reads_every_page(server: ScriptedServer, make_client: MakeClient) -> None:
    server.route(TOKEN_PATH, json_reply(page("token.json")))
    pages = [json_reply(reviews(review(5), review(4))), json_reply(reviews(review(3)))]
    server.route(REVIEW_PATH, *pages)
    store = FakeStore()
    drive(collector(server, make_client), store)
    server.route(REVIEW_PATH, *pages)
    batches = drive(collector(server, make_client), store, full=True)
    assert [len(batch.records) for batch in batches] == [2, 1]
    assert FeedbackCompanyCollector.lists_everything


def test_an_expired_token_is_renewed_once(server: ScriptedServer, make_client: MakeClient) -> None:
    server.route(TOKEN_PATH, json_reply(page("token.json")))
    server.route(
        REVIEW_PATH,
        json_reply(reviews(review(5), review(4))),
        json_reply(page("fout-token-verlopen.json"), 401),
        json_reply(reviews(review(3))),
    )
    batches = drive(collector(server, make_client), FakeStore())
    assert [len(batch.records) for batch in batches] == [2, 1]
    assert [path.split("?")[0] for path in server.paths()] == [
        TOKEN_PATH, REVIEW_PATH, REVIEW_PATH, TOKEN_PATH, REVIEW_PATH,
    ]  # fmt: skip


def test_a_token_refused_again_is_an_auth_error_without_secrets(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    server.route(TOKEN_PATH, json_reply(page("token.json")))
    server.route(
        REVIEW_PATH,
        json_reply(reviews(review(5), review(4))),
        json_reply(page("fout-token-verlopen.json"), 401),
    )
    batches: list[Batch] = []
    with pytest.raises(AuthError) as caught:
        drive(collector(server, make_client), FakeStore(), into=batches)
    assert len(batches) == 1
    for shown in (str(caught.value), caught.value.explain()):
        assert SECRET not in shown and ACCESS not in shown
    assert "HTTP 401" in caught.value.explain()


@pytest.mark.parametrize("status", [400, 401, 403])
def test_a_refused_client_is_an_auth_error_that_does_not_show_the_secret(
    status: int, server: ScriptedServer, make_client: MakeClient
) -> None:
    server.route(TOKEN_PATH, json_reply({"error": True, "description": f"bad {SECRET}"}, status))
    with pytest.raises(AuthError) as caught:
        drive(collector(server, make_client), FakeStore())
    error = caught.value
    for shown in (str(error), error.explain()):
        assert (
            SECRET not in shown and "client_secret=" not in shown and "pollepel-client" not in shown
        )
    assert error.explain().startswith(f"127.0.0.1:{server.port}/api/v2/oauth2/token weigert")
    assert len(server.requests) == 1


def test_the_reason_for_a_refused_client_is_shown_without_the_secret(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    body = {"error": "invalid_client", "error_description": f"client secret {SECRET} is wrong"}
    server.route(TOKEN_PATH, json_reply(body, 400))
    with pytest.raises(AuthError) as caught:
        drive(collector(server, make_client), FakeStore())
    assert "(HTTP 400: client secret *** is wrong)" in caught.value.explain()


def test_a_token_refused_in_the_body_is_an_auth_error(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    server.route(TOKEN_PATH, json_reply(page("token-geweigerd.json")))
    with pytest.raises(AuthError, match="wrong client_secret") as caught:
        drive(collector(server, make_client), FakeStore())
    assert SECRET not in caught.value.explain()


def test_a_server_error_at_the_token_stays_a_server_error(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    server.route(TOKEN_PATH, Reply(500, "kapot"))
    with pytest.raises(HttpStatusError) as caught:
        drive(collector(server, make_client), FakeStore())
    assert SECRET not in str(caught.value) and SECRET not in caught.value.explain()


def test_reviews_announced_but_none_given_is_drift_and_nothing_is_yielded(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    server.route(TOKEN_PATH, json_reply(page("token.json")))
    server.route(REVIEW_PATH, json_reply(reviews(count=57)))
    batches: list[Batch] = []
    with pytest.raises(DriftError, match="57 reviews"):
        drive(collector(server, make_client), FakeStore(), into=batches)
    assert batches == []


def test_a_page_that_drifted_is_not_handed_over(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    server.route(TOKEN_PATH, json_reply(page("token.json")))
    server.route(
        REVIEW_PATH,
        json_reply(reviews(review(5), review(4))),
        json_reply(page("drift-zonder-id.json")),
    )
    batches: list[Batch] = []
    with pytest.raises(DriftError, match="'id'"):
        drive(collector(server, make_client), FakeStore(), into=batches)
    assert [len(batch.records) for batch in batches] == [2]


def test_an_api_that_ignores_start_is_reported_not_looped(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    server.route(TOKEN_PATH, json_reply(page("token.json")))
    server.route(REVIEW_PATH, json_reply(reviews(review(5), review(4))))
    with pytest.raises(DriftError, match="start"):
        drive(collector(server, make_client), FakeStore(), full=True)
    assert len(server.requests) == 3


# Property --------------------------------------------------------------------------------

SAVED = [path.read_text(encoding="utf-8") for path in sorted(PAGES.glob("feedbackcompany/*.json"))]
JSON_VALUES = json_values(
    ["4,5", "true", "2026-11-19 10:00:00", "main_open", "NaN"], nested=False
)  # one level: quick to generate
FIELDS = ["id", "date_created", "date_updated", "total_score", "recommends", "client",
          "questions", "product", "reply", "language"]  # fmt: skip
QUESTIONS = st.lists(
    st.fixed_dictionaries(
        {
            "type": st.sampled_from(["main_open", "final_score", "open", "title"]) | JSON_VALUES,
            "value": JSON_VALUES,
        }
    ),
    max_size=4,
)


def storable(record: RawReview) -> None:
    storable_texts(record.external_id, record.text, record.author, record.title, record.reply_text)
    assert record.rating is None or 1 <= record.rating <= 5
    for moment in (record.published_at, record.updated_at, record.reply_at):
        assert moment is None or moment.tzinfo is not None


@FUZZ
@given(text=st.text(max_size=2000) | damaged(SAVED))
@example(
    text='{"reviews": [{"id": 1, "total_score": 1e999, "questions": [{"type": "main_open", "value": "\\ud83d"}]}]}'
)
@example(text='{"error": {"a": 1}, "message": [1]}')
@example(text='{"count": ' + "9" * 5000 + "}")
def test_parse_reviews_returns_records_or_a_source_error(text: str) -> None:
    try:
        parsed = parse_reviews(text, URL, secrets=(SECRET,))
    except SourceError:
        return
    for record in parsed.records:
        storable(record)


@FUZZ
@given(
    items=st.lists(st.dictionaries(st.sampled_from(FIELDS), JSON_VALUES | QUESTIONS), max_size=4)
)
def test_reviews_from_json_survives_any_values_in_the_known_fields(
    items: list[dict[str, Any]],
) -> None:
    try:
        parsed = reviews_from_json({"success": True, "reviews": items}, URL)
    except SourceError:
        return
    for record in parsed.records:
        storable(record)


@FUZZ
@given(text=st.text(max_size=300) | damaged(SAVED))
def test_token_from_json_returns_a_token_or_a_source_error(text: str) -> None:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return
    try:
        token = token_from_json(data, URL)
    except SourceError:
        return
    assert isinstance(token, str) and token
