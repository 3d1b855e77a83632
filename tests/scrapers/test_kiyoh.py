"""Kiyoh and Klantenvertellen: parsing the publication API, paging, the updatedSince cursor,
drift and refused tokens."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from pydantic import ValidationError

from scrapers.base import Batch
from scrapers.errors import (
    AuthError,
    DriftError,
    ParseError,
    RateLimited,
    SourceError,
)
from scrapers.kiyoh import (
    API_PATH,
    KiyohCollector,
    KiyohSettings,
    KlantenvertellenCollector,
    KlantenvertellenSettings,
    page_from_json,
    parse_page,
)
from scrapers.records import RawReview
from tests.scrapers.conftest import PAGES, FakeStore, MakeClient, Reply, ScriptedServer, drive
from tests.scrapers.fuzz import FUZZ, damaged, json_values, storable_texts

URL = "https://www.kiyoh.com" + API_PATH
TOKEN = "kiyoh-geheim-3f9a7c"
CET = ZoneInfo("Europe/Amsterdam")


def page(name: str) -> str:
    return (PAGES / "kiyoh" / name).read_text(encoding="utf-8")


def by_id(records: list[RawReview]) -> dict[str, RawReview]:
    return {record.external_id: record for record in records}


def json_reply(body: Any, status: int = 200) -> Reply:
    text = body if isinstance(body, str) else json.dumps(body)
    return Reply(status, text, {"Content-Type": "application/json;charset=UTF-8"})


def review(n: int, updated: str, text: str = "Prima geholpen.") -> dict[str, Any]:
    """A review as the API gives it, created at and last updated at ``updated``."""
    return {
        "reviewId": f"r-{n}",
        "reviewAuthor": f"Klant {n}",
        "rating": 8,
        "reviewContent": [
            {"questionGroup": "DEFAULT_OPINION", "questionType": "TEXT", "rating": text}
        ],
        "dateSince": updated,
        "updatedSince": updated,
    }


def answer(*reviews: dict[str, Any], total: int = 3) -> dict[str, Any]:
    return {
        "locationId": 1069853,
        "averageRating": 8.4,
        "numberReviews": total,
        "reviews": [*reviews],
    }


def query(**extra: str) -> str:
    """The query the collector sends (test settings: page size 2), in its order."""
    params = {
        "locationId": "1069853",
        "tenantId": "98",
        "limit": "2",
        "orderBy": "UPDATE_DATE",
        "sortOrder": "DESC",
        **extra,
    }
    return API_PATH + "?" + urlencode(params)


def sent(server: ScriptedServer) -> list[dict[str, str]]:
    """The query parameters of each request the server saw."""
    return [
        {key: values[0] for key, values in parse_qs(urlsplit(path).query).items()}
        for path in server.paths()
    ]


def collector(server: ScriptedServer, make_client: MakeClient, **overrides: Any) -> KiyohCollector:
    values: dict[str, Any] = {
        "location_id": 1069853,
        "token": TOKEN,
        "base_url": server.url(""),
        "page_size": 2,
    }
    return KiyohCollector(
        KiyohSettings(**(values | overrides)), http=make_client(), label="De Pollepel (Kiyoh)"
    )


# Parsing -------------------------------------------------------------------------------


def test_question_groups_become_title_text_rating_and_the_reply() -> None:
    records = by_id(parse_page(page("reviews-varianten.json"), URL).records)
    marloes = records["a3f1c2de-0001-4c1b-9e0a-5d2b7f6c8e01"]
    assert marloes.author == "Marloes K."
    assert marloes.title == "Snel geleverd, mooi verpakt"
    assert marloes.text == "De pan kwam binnen twee dagen binnen en bakt heerlijk gelijkmatig."
    assert (marloes.rating, marloes.rating_min, marloes.rating_max) == (9.0, 1.0, 10.0)
    assert marloes.rating_norm == pytest.approx(8 / 9)
    assert marloes.published_at == datetime(2026, 11, 18, 9, 12, 44, tzinfo=CET)
    assert marloes.updated_at == datetime(2026, 11, 19, 10, 0, tzinfo=CET)
    assert marloes.reply_text == "Dank je wel Marloes! Groet, Ilse van De Pollepel"
    assert marloes.language == "nl"
    assert marloes.url is None  # Kiyoh gives no address per review
    assert marloes.channel == "review"


def test_without_a_top_level_rating_the_overall_answer_counts() -> None:
    henk = by_id(parse_page(page("reviews-varianten.json"), URL).records)[
        "a3f1c2de-0002-4c1b-9e0a-5d2b7f6c8e02"
    ]
    assert henk.rating == 6.0  # DEFAULT_OVERALL "6"
    # No one-liner: the recommendation takes the title's place and stays out of the text.
    assert henk.recommends is False
    assert henk.text == "Deksel sloot niet goed aan, verder prima."


def test_a_recommendation_does_not_replace_a_title() -> None:
    jurgen = by_id(parse_page(page("reviews-varianten.json"), URL).records)[
        "a3f1c2de-0003-4c1b-9e0a-5d2b7f6c8e03"
    ]
    assert jurgen.title == "Sehr gute Pfanne 👍🍳"
    assert "Beveelt" not in jurgen.text


@pytest.mark.parametrize(
    ("reply", "text", "at"),
    [
        ("Dank je!", "Dank je!", None),
        ({"comment": "Dank je!", "dateSince": "2026-11-20T09:00:00.000+01:00"}, "Dank je!",
         datetime(2026, 11, 20, 9, tzinfo=CET)),
        ([{"response": "Eerste"}, {"response": "Laatste"}], "Laatste", None),
        ("", None, None),
        ({"onbekend": "x"}, None, None),
    ],
)  # fmt: skip
def test_the_shop_reply_is_read_from_its_possible_shapes(
    reply: Any, text: str | None, at: datetime | None
) -> None:
    for key in ("comment", "reviewComments", "response"):
        item = review(1, "2026-11-19T10:00:00.000+01:00") | {key: reply}
        (record,) = page_from_json(answer(item), URL).records
        assert (record.reply_text, record.reply_at) == (text, at)


def test_the_reply_field_names_seen_in_the_saved_page() -> None:
    records = by_id(parse_page(page("reviews-varianten.json"), URL).records)
    henk = records["a3f1c2de-0002-4c1b-9e0a-5d2b7f6c8e02"]
    assert henk.reply_text.startswith("Vervelend, Henk.")  # reviewComments
    assert henk.reply_at == datetime(2026, 11, 18, 8, 15, tzinfo=CET)
    assert records["a3f1c2de-0004-4c1b-9e0a-5d2b7f6c8e04"].reply_text == "Bedankt & tot ziens!"
    assert records["a3f1c2de-0003-4c1b-9e0a-5d2b7f6c8e03"].reply_text is None


def test_entities_line_breaks_emoji_and_a_long_text_survive() -> None:
    records = by_id(parse_page(page("reviews-varianten.json"), URL).records)
    devries = records["a3f1c2de-0004-4c1b-9e0a-5d2b7f6c8e04"]
    assert devries.author == "Fam. de Vries & zn"
    assert devries.title == "Top – echt"
    assert devries.text == "Prijs & kwaliteit prima: € 24,95 voor de set.\nAanrader!"
    jurgen = records["a3f1c2de-0003-4c1b-9e0a-5d2b7f6c8e03"]
    assert jurgen.text.endswith("alles bestens. 😊")
    long = records["a3f1c2de-0005-4c1b-9e0a-5d2b7f6c8e05"]
    assert len(long.text) > 19_000 and long.text.endswith("Einde.")


def test_a_german_review_keeps_its_language_and_unknown_fields_are_ignored() -> None:
    jurgen = by_id(parse_page(page("reviews-varianten.json"), URL).records)[
        "a3f1c2de-0003-4c1b-9e0a-5d2b7f6c8e03"
    ]
    assert (jurgen.language, jurgen.rating, jurgen.author) == ("de", 10.0, "Jürgen S.")


def test_a_review_with_only_an_id_a_rating_and_a_date_is_kept() -> None:
    bare = by_id(parse_page(page("reviews-varianten.json"), URL).records)["987654"]
    assert (bare.text, bare.author, bare.title, bare.rating) == ("", None, None, 7.0)
    assert bare.updated_at is None and bare.published_at is not None


def test_a_rating_off_the_scale_is_dropped_with_a_warning_and_the_text_kept() -> None:
    parsed = parse_page(page("reviews-varianten.json"), URL)
    kees = by_id(parsed.records)["a3f1c2de-0007-4c1b-9e0a-5d2b7f6c8e07"]
    assert (kees.rating, kees.text) == (None, "Beter dan een tien!")
    assert any("cijfer 11" in warning for warning in parsed.warnings)


def test_the_page_gives_its_figures_count_and_newest_update_time() -> None:
    parsed = parse_page(page("reviews-varianten.json"), URL)
    assert parsed.stats == {"total": 128, "average": 8.7}
    assert parsed.count == 7
    assert parsed.newest is not None
    assert parsed.newest[1] == "2026-11-19T10:00:00.000+01:00"  # as Kiyoh wrote it


def test_own_question_group_names_are_kept_as_text_with_a_warning() -> None:
    parsed = parse_page(page("eigen-vraaggroepen.json"), URL)
    sevda = by_id(parsed.records)["b7-0001"]
    assert sevda.text == "Fijne winkel\n\nGoed geholpen bij het kiezen van een wok."
    assert sevda.rating is None  # the score group is unknown, and a number is never text
    (warning,) = parsed.warnings
    assert "ERVARING, KORTE_TITEL" in warning and "question_groups" in warning


def test_a_configured_mapping_reads_an_accounts_own_groups() -> None:
    settings = KiyohSettings(
        location_id="1",
        token=TOKEN,
        question_groups={
            "korte_titel": "title",
            "ERVARING": "text",
            "AANBEVELEN": "recommend",
            "ALGEMEEN_CIJFER": "rating",
            "LEVERTIJD": "ignore",
        },
    )
    parsed = parse_page(page("eigen-vraaggroepen.json"), URL, question_groups=settings.groups())
    sevda = by_id(parsed.records)["b7-0001"]
    assert (sevda.title, sevda.text, sevda.rating) == (
        "Fijne winkel",
        "Goed geholpen bij het kiezen van een wok.",
        8.0,
    )
    assert parsed.warnings == []
    assert settings.groups()["DEFAULT_OPINION"] == "text"  # the defaults stay


# Drift and error bodies ----------------------------------------------------------------


def test_an_empty_list_where_reviews_are_announced_is_drift() -> None:
    with pytest.raises(DriftError, match="meldt 128 reviews") as caught:
        parse_page(page("drift-lege-lijst.json"), URL)
    assert "www.kiyoh.com/v1/publication/review/external" in caught.value.explain()


def test_an_empty_list_is_normal_for_updated_since_and_after_the_first_page() -> None:
    assert parse_page(page("drift-lege-lijst.json"), URL, filtered=True).records == []
    assert parse_page(page("drift-lege-lijst.json"), URL, first_page=False).records == []
    assert page_from_json({"numberReviews": 0}, URL).records == []


def test_reviews_without_review_ids_are_drift() -> None:
    with pytest.raises(DriftError, match="reviewId"):
        parse_page(page("drift-zonder-reviewid.json"), URL)


def test_one_review_without_an_id_among_others_is_skipped_with_a_warning() -> None:
    broken = review(2, "2026-11-19T10:00:00.000+01:00")
    del broken["reviewId"]
    parsed = page_from_json(answer(review(1, "2026-11-19T10:00:00.000+01:00"), broken), URL)
    assert [record.external_id for record in parsed.records] == ["r-1"]
    assert parsed.warnings == [f"{URL[8:]}: 1 review(s) zonder reviewId overgeslagen."]


@pytest.mark.parametrize(
    "data",
    [
        {"numberReviews": 4},
        {"numberReviews": 4, "reviews": {"r-1": {}}},
        {"reviews": [{"reviewId": "r-1", "reviewContent": [], "dateSince": "2026-01-01"}]},
    ],
)
def test_responses_that_lost_their_shape_are_drift(data: dict[str, Any]) -> None:
    with pytest.raises(DriftError):
        page_from_json(data, URL)


def test_an_error_body_about_the_token_is_an_auth_error() -> None:
    with pytest.raises(AuthError, match="INVALID_TOKEN"):
        parse_page(page("fout-token.json"), URL)


def test_other_error_bodies_are_parse_errors_with_the_message() -> None:
    with pytest.raises(ParseError) as caught:
        parse_page(page("fout-locatie.json"), URL)
    assert not isinstance(caught.value, AuthError)
    assert "Location 1069853 does not exist" in caught.value.explain()


def test_a_token_echoed_in_an_error_body_is_masked() -> None:
    body = {"errorCode": "INVALID_TOKEN", "detailedError": [{"message": f"bad token {TOKEN}"}]}
    with pytest.raises(AuthError) as caught:
        page_from_json(body, URL, secrets=(TOKEN,))
    assert TOKEN not in str(caught.value) and TOKEN not in caught.value.explain()


@pytest.mark.parametrize("text", ["", "<html>Onderhoud</html>", "[1, 2]", "{" * 5000])
def test_something_that_is_no_kiyoh_response_is_a_parse_error(text: str) -> None:
    with pytest.raises(ParseError):
        parse_page(text, URL)


# Settings --------------------------------------------------------------------------------


def test_settings_defaults_and_klantenvertellen() -> None:
    kiyoh = KiyohSettings(location_id=1069853, token=TOKEN)
    assert (kiyoh.location_id, kiyoh.tenant_id, kiyoh.base_url) == (
        "1069853",
        98,
        "https://www.kiyoh.com",
    )
    assert KiyohCollector.hosts(kiyoh) == {"www.kiyoh.com"}
    assert TOKEN not in repr(kiyoh)
    klanten = KlantenvertellenSettings(location_id="55", token=TOKEN)
    assert (klanten.tenant_id, klanten.base_url) == (99, "https://www.klantenvertellen.nl")
    assert KlantenvertellenCollector.hosts(klanten) == {"www.klantenvertellen.nl"}
    assert KlantenvertellenCollector.name == "klantenvertellen"


@pytest.mark.parametrize(
    "overrides",
    [
        {"base_url": "ftp://www.kiyoh.com"},
        {"base_url": "www.kiyoh.com"},
        {"base_url": "https://www.kiyoh.com/?token=x"},
        {"question_groups": {"DEFAULT_OPINION": "tekst"}},
        {"token": ""},
        {"location_id": " "},
        {"page_size": 0},
        {"tenant": 98},
    ],
)
def test_invalid_settings_are_refused(overrides: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        KiyohSettings(**({"location_id": "1", "token": TOKEN} | overrides))


# Fetching --------------------------------------------------------------------------------


def test_pages_are_fetched_with_the_token_header_and_the_cursor_waits_for_the_last_page(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    server.route(
        API_PATH,
        json_reply(
            answer(
                review(3, "2026-11-20T12:00:00.000+01:00"),
                review(2, "2026-11-19T08:00:00.000+01:00"),
            )
        ),
        json_reply(answer(review(1, "2026-11-18T08:00:00.000+01:00"))),
    )
    batches = drive(collector(server, make_client), FakeStore())
    assert [[r.external_id for r in batch.records] for batch in batches] == [
        ["r-3", "r-2"],
        ["r-1"],
    ]
    assert [batch.cursor for batch in batches] == [None, "2026-11-20T12:00:00.000+01:00"]
    assert batches[0].stats == {"total": 3, "average": 8.4}
    assert batches[1].stats == {}
    first, second = sent(server)
    assert first == {
        "locationId": "1069853",
        "tenantId": "98",
        "limit": "2",
        "orderBy": "UPDATE_DATE",
        "sortOrder": "DESC",
    }
    assert second == first | {"start": "2"}
    assert all(seen.headers["X-Publication-Api-Token"] == TOKEN for seen in server.requests)


def test_the_second_run_asks_only_for_what_changed_since_the_newest_update(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    newest = "2026-11-20T12:00:00.000+01:00"
    server.route(
        query(),
        json_reply(answer(review(3, newest), review(2, "2026-11-19T08:00:00.000+01:00"))),
    )
    server.route(query(start="2"), json_reply(answer(review(1, "2026-11-18T08:00:00.000+01:00"))))
    store = FakeStore()
    first_run = drive(collector(server, make_client), store)
    assert first_run[-1].cursor == newest
    assert len(server.requests) == 2

    # Since then review 2 got a reply (updated) and review 4 arrived; only those come back.
    changed = review(2, "2026-11-21T09:30:00.000+01:00") | {"comment": "Dank je!"}
    server.route(
        query(updatedSince=newest),
        json_reply(answer(review(4, "2026-11-21T10:00:00.000+01:00"), changed, total=4)),
    )
    server.route(query(updatedSince=newest, start="2"), json_reply(answer(total=4)))
    server.requests.clear()
    second_run = drive(collector(server, make_client), store, cursor=first_run[-1].cursor)
    assert [seen["updatedSince"] for seen in sent(server)] == [newest, newest]
    assert [[r.external_id for r in batch.records] for batch in second_run] == [["r-4", "r-2"], []]
    assert by_id(second_run[0].records)["r-2"].reply_text == "Dank je!"
    assert [batch.cursor for batch in second_run] == [None, "2026-11-21T10:00:00.000+01:00"]
    assert len(store.rows) == 4  # review 3 and 1 were not fetched again


def test_a_run_with_nothing_changed_keeps_the_cursor(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    newest = "2026-11-20T12:00:00.000+01:00"
    server.route(query(updatedSince=newest), json_reply(answer(total=3)))
    (batch,) = drive(collector(server, make_client), FakeStore(), cursor=newest)
    assert batch.records == [] and batch.cursor == newest
    assert batch.stats == {"total": 3, "average": 8.4}  # and no drift: nothing changed


def test_a_full_resync_ignores_the_cursor_and_reads_to_the_end(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    pages = [
        json_reply(
            answer(
                review(3, "2026-11-20T12:00:00.000+01:00"),
                review(2, "2026-11-19T08:00:00.000+01:00"),
            )
        ),
        json_reply(answer(review(1, "2026-11-18T08:00:00.000+01:00"))),
    ]
    server.route(API_PATH, *pages)
    store = FakeStore()
    drive(collector(server, make_client), store)
    server.route(API_PATH, *pages)
    server.requests.clear()
    batches = drive(
        collector(server, make_client), store, cursor="2026-11-20T12:00:00.000+01:00", full=True
    )
    assert [len(batch.records) for batch in batches] == [2, 1]  # all known, still read
    assert all("updatedSince" not in seen for seen in sent(server))
    assert batches[-1].cursor == "2026-11-20T12:00:00.000+01:00"
    assert KiyohCollector.lists_everything


def test_an_unreadable_cursor_means_reading_everything(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    server.route(API_PATH, json_reply(answer(review(1, "2026-11-18T08:00:00.000+01:00"))))
    (batch,) = drive(collector(server, make_client), FakeStore(), cursor="gisteren ergens")
    assert "updatedSince" not in sent(server)[0]
    assert batch.cursor == "2026-11-18T08:00:00.000+01:00"


def test_a_page_that_drifted_is_not_handed_over(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    server.route(
        API_PATH,
        json_reply(
            answer(
                review(3, "2026-11-20T12:00:00.000+01:00"),
                review(2, "2026-11-19T08:00:00.000+01:00"),
            )
        ),
        json_reply(page("drift-zonder-reviewid.json")),
    )
    batches: list[Batch] = []
    with pytest.raises(DriftError):
        drive(collector(server, make_client), FakeStore(), into=batches)
    assert [len(batch.records) for batch in batches] == [2]
    assert all(batch.cursor is None for batch in batches)  # the cursor did not move


def test_a_first_page_that_drifted_yields_nothing(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    server.route(API_PATH, json_reply(page("drift-lege-lijst.json")))
    batches: list[Batch] = []
    with pytest.raises(DriftError, match="128"):
        drive(collector(server, make_client), FakeStore(), into=batches)
    assert batches == []


def test_an_api_that_ignores_start_is_reported_not_looped(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    same = answer(
        review(3, "2026-11-20T12:00:00.000+01:00"), review(2, "2026-11-19T08:00:00.000+01:00")
    )
    server.route(API_PATH, json_reply(same))
    batches: list[Batch] = []
    with pytest.raises(DriftError, match="start"):
        drive(collector(server, make_client), FakeStore(), full=True, into=batches)
    assert len(batches) == 1 and len(server.requests) == 2


@pytest.mark.parametrize("status", [401, 403])
def test_a_refused_token_is_an_auth_error_that_does_not_show_it(
    status: int, server: ScriptedServer, make_client: MakeClient
) -> None:
    body = {"errorCode": "UNAUTHORIZED", "detailedError": [{"message": f"token {TOKEN} refused"}]}
    server.route(API_PATH, json_reply(body, status))
    with pytest.raises(AuthError) as caught:
        drive(collector(server, make_client), FakeStore())
    error = caught.value
    assert f"HTTP {status}" in error.explain()
    assert error.explain().endswith(
        "controleer token, location_id en tenant_id in de configuratie."
    )
    for shown in (str(error), error.explain()):
        assert TOKEN not in shown
        assert "1069853" not in shown  # no query at all


@pytest.mark.parametrize("status", [400, 401])
def test_kiyohs_reason_for_a_refusal_is_shown_without_the_token(
    status: int, server: ScriptedServer, make_client: MakeClient
) -> None:
    body = {"errorCode": "INVALID_TOKEN", "detailedError": [{"message": f"{TOKEN} is not valid"}]}
    server.route(API_PATH, json_reply(body, status))
    with pytest.raises(AuthError) as caught:
        drive(collector(server, make_client), FakeStore())
    assert "INVALID_TOKEN: *** is not valid" in caught.value.explain()
    assert TOKEN not in str(caught.value)


def test_an_error_body_with_status_200_is_read_as_well(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    server.route(API_PATH, json_reply(page("fout-token.json")))
    with pytest.raises(AuthError) as caught:
        drive(collector(server, make_client), FakeStore())
    assert TOKEN not in caught.value.explain()


def test_being_told_to_wait_long_is_left_to_the_http_client(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    server.route(API_PATH, Reply(429, "", {"Retry-After": "3600"}))
    with pytest.raises(RateLimited):
        drive(collector(server, make_client), FakeStore())


def test_klantenvertellen_asks_for_tenant_99(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    server.route(API_PATH, json_reply(answer(review(1, "2026-11-18T08:00:00.000+01:00"))))
    settings = KlantenvertellenSettings(location_id="55", token=TOKEN, base_url=server.url(""))
    source = KlantenvertellenCollector(settings, http=make_client(), label="Klantenvertellen")
    (batch,) = drive(source, FakeStore())
    assert len(batch.records) == 1
    assert sent(server)[0]["tenantId"] == "99"


def test_a_wrong_content_type_is_a_parse_error(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    server.route(API_PATH, Reply(200, "<html>Even geduld...</html>"))
    with pytest.raises(ParseError, match="text/html"):
        drive(collector(server, make_client), FakeStore())


# Property --------------------------------------------------------------------------------

SAVED = [path.read_text(encoding="utf-8") for path in sorted(PAGES.glob("kiyoh/*.json"))]
# The long review makes cuts land in one text; the small pages get their share of damage too.

JSON_VALUES = json_values(
    ["8,5", "true", "2026-11-19T10:00:00.000+01:00", "31-02-2026", "NaN"], nested=False
)  # one level: quick to generate
REVIEW_KEYS = [
    "reviewId", "reviewAuthor", "rating", "dateSince", "updatedSince", "reviewContent",
    "comment", "reviewComments", "response", "reviewLanguage",
]  # fmt: skip
ANSWERS = st.lists(
    st.fixed_dictionaries(
        {
            "questionGroup": st.sampled_from(["DEFAULT_OPINION", "DEFAULT_OVERALL", "X"])
            | JSON_VALUES,
            "questionType": st.sampled_from(["TEXT", "INT", "BOOLEAN"]) | JSON_VALUES,
            "rating": JSON_VALUES,
        }
    ),
    max_size=4,
)


def storable(record: RawReview) -> None:
    storable_texts(record.external_id, record.text, record.author, record.title, record.reply_text)
    assert record.rating is None or 1 <= record.rating <= 10
    for moment in (record.published_at, record.updated_at, record.reply_at):
        assert moment is None or moment.tzinfo is not None


@FUZZ
@given(text=st.text(max_size=2000) | damaged(SAVED))
@example(text='{"reviews": [{"reviewId": "x", "rating": 1e999, "dateSince": "\\ud83d"}]}')
@example(text='{"reviews": [{"reviewId": "x", "reviewContent": [{"rating": "\\u0000&#0;"}]}]}')
@example(text='{"errorCode": {"a": 1}, "detailedError": "x"}')
@example(text='{"numberReviews": ' + "9" * 5000 + "}")
def test_parse_page_returns_reviews_or_a_source_error(text: str) -> None:
    try:
        parsed = parse_page(text, URL, secrets=(TOKEN,))
    except SourceError:
        return
    for record in parsed.records:
        storable(record)


@FUZZ
@given(
    items=st.lists(
        st.dictionaries(st.sampled_from(REVIEW_KEYS), JSON_VALUES | ANSWERS), max_size=4
    ),
    total=JSON_VALUES,
)
def test_page_from_json_survives_any_values_in_the_known_fields(
    items: list[dict[str, Any]], total: Any
) -> None:
    try:
        parsed = page_from_json({"numberReviews": total, "reviews": items}, URL)
    except SourceError:
        return
    for record in parsed.records:
        storable(record)
