"""Replying on Trustpilot: the business user's token, the POST, reading the reply back before a
retry, and every failure as a typed error without the secrets."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs

import pytest

from scrapers.errors import (
    AuthError,
    DriftError,
    FetchError,
    HttpStatusError,
    ParseError,
    RateLimited,
    SourceError,
)
from scrapers.replying import ReplyRefused, ReviewGone
from scrapers.trustpilot import TrustpilotSettings
from scrapers.trustpilot_reply import TrustpilotReplyPoster
from tests import fake_platform as fp
from tests.fake_platform import FakePlatform
from tests.scrapers.conftest import MakeClient, Reply, ScriptedServer

REVIEW = "6849a1f2c0ffee0001a2b3c4"
TEXT = "Beste Marloes, wat vervelend dat de pan beschadigd aankwam. We sturen een nieuwe. 🍳"
JSON = {"Content-Type": "application/json"}
TP_SETTINGS = {
    "domain": "depollepel.nl",
    "api_key": fp.API_KEY,
    "api_secret": fp.API_SECRET,
    "username": fp.USERNAME,
    "password": fp.PASSWORD,
    "business_user_id": fp.BUSINESS_USER_ID,
}


@pytest.fixture
def fake() -> Iterator[FakePlatform]:
    with FakePlatform() as platform:
        yield platform


def make_poster(
    fake: FakePlatform | ScriptedServer,
    make_client: MakeClient,
    *,
    client: dict[str, Any] | None = None,
    **over: Any,
) -> TrustpilotReplyPoster:
    """A poster aimed at the fake platform, or at a scripted server for odd answers."""
    if isinstance(fake, FakePlatform):
        aimed = fake.settings("trustpilot")
    else:
        aimed = {**TP_SETTINGS, "site_url": fake.url(""), "api_url": fake.url("/v1")}
    settings = TrustpilotSettings(**{**aimed, **over})
    http = make_client(allowed_hosts=tuple(TrustpilotReplyPoster.hosts(settings)), **(client or {}))
    return TrustpilotReplyPoster(settings, http=http, label="Trustpilot De Pollepel")


def assert_no_secrets(error: SourceError) -> None:
    shown = f"{error} {error.explain()} {error!r}"
    for secret in (*fp.SECRETS, fp.USERNAME):
        assert secret not in shown


# ---------------------------------------------------------------- success


def test_a_reply_is_posted_as_the_business_user_with_a_bearer_token(
    fake: FakePlatform, make_client: MakeClient
) -> None:
    make_poster(fake, make_client).post_reply(REVIEW, TEXT)
    token, posted = fake.requests
    assert (token.method, token.path) == ("POST", fp.TP_TOKEN_PATH)
    basic = base64.b64encode(f"{fp.API_KEY}:{fp.API_SECRET}".encode()).decode()
    assert token.headers["Authorization"] == f"Basic {basic}"
    assert parse_qs(token.body.decode()) == {
        "grant_type": ["password"],
        "username": [fp.USERNAME],
        "password": [fp.PASSWORD],
    }
    assert (posted.method, posted.path) == ("POST", f"/v1/private/reviews/{REVIEW}/reply")
    assert posted.headers["Authorization"] == f"Bearer {fp.TRUSTPILOT_TOKEN}"
    assert posted.headers["Content-Type"] == "application/json"
    assert "apikey" not in posted.headers
    assert posted.json() == {"message": TEXT, "authorBusinessUserId": fp.BUSINESS_USER_ID}
    assert fake.replies == [("trustpilot", REVIEW, TEXT)]


def test_one_token_serves_every_reply_of_a_run(fake: FakePlatform, make_client: MakeClient) -> None:
    poster = make_poster(fake, make_client)
    poster.post_reply("a1", "Dank u!")
    poster.post_reply("b2", "Dank je!")
    assert [seen.kind for seen in fake.requests] == ["token", "reply", "reply"]


def test_existing_reply_reads_the_review_with_the_api_key(
    fake: FakePlatform, make_client: MakeClient
) -> None:
    poster = make_poster(fake, make_client)
    assert poster.existing_reply(REVIEW) is None
    poster.post_reply(REVIEW, TEXT)
    assert poster.existing_reply(REVIEW) == TEXT
    reads = [seen for seen in fake.requests if seen.kind == "read"]
    assert [seen.path for seen in reads] == [f"/v1/reviews/{REVIEW}"] * 2
    assert all(seen.headers["apikey"] == fp.API_KEY for seen in reads)
    assert all("Authorization" not in seen.headers for seen in reads)


@pytest.mark.parametrize(
    ("review", "reply"),
    [
        ({"id": REVIEW, "companyReply": {"text": "Dank u!"}}, "Dank u!"),
        ({"id": REVIEW, "reply": {"message": "Dank u!", "publishedDate": "2025-06-01"}}, "Dank u!"),
        ({"id": REVIEW, "companyReply": None, "reply": {"message": " Dank u! "}}, "Dank u!"),
        ({"id": REVIEW, "companyReply": None}, None),
        ({"id": REVIEW, "text": "Top"}, None),
    ],
)
def test_the_reply_is_found_under_either_name(
    server: ScriptedServer, make_client: MakeClient, review: dict[str, Any], reply: str | None
) -> None:
    server.route(f"/v1/reviews/{REVIEW}", Reply(200, json.dumps(review), JSON))
    poster = make_poster(server, make_client)
    assert poster.existing_reply(REVIEW) == reply


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ('{"companyReply": {"createdAt": "2025-06-01"}}', DriftError),
        ('{"id": "x", "companyReply": "Dank u"}', DriftError),
        ('{"id": "x", "reply": {"text": ""}}', DriftError),
        ('{"links": []}', DriftError),
        ("[]", DriftError),
        ('{"id": ', ParseError),
    ],
)
def test_an_unreadable_review_is_an_error_never_a_missing_reply(
    server: ScriptedServer, make_client: MakeClient, body: str, error: type[SourceError]
) -> None:
    server.route(f"/v1/reviews/{REVIEW}", Reply(200, body, JSON))
    with pytest.raises(error):
        make_poster(server, make_client).existing_reply(REVIEW)


def test_an_html_page_instead_of_the_review_is_a_parse_error(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    server.route(f"/v1/reviews/{REVIEW}", Reply(200, "<html>Inloggen</html>"))
    with pytest.raises(ParseError, match="verwachtte JSON"):
        make_poster(server, make_client).existing_reply(REVIEW)


# ---------------------------------------------------------------- a crash after accepting


def test_a_reply_accepted_before_the_connection_dropped_is_found_and_not_posted_again(
    fake: FakePlatform, make_client: MakeClient
) -> None:
    poster = make_poster(fake, make_client)
    fake.accept_then_fail()
    with pytest.raises(FetchError) as caught:
        poster.post_reply(REVIEW, TEXT)
    assert "niet bereikbaar" in caught.value.explain()
    assert len([seen for seen in fake.requests if seen.kind == "reply"]) == 1  # POST: no retry
    # What the monitor does before a retry on a platform that does not replace:
    assert poster.existing_reply(REVIEW) == TEXT
    assert fake.replies == [("trustpilot", REVIEW, TEXT)]


def test_a_time_out_after_accepting_is_a_fetch_error(
    fake: FakePlatform, make_client: MakeClient
) -> None:
    poster = make_poster(fake, make_client, client={"timeout_seconds": 0.3})
    fake.accept_then_fail(delay=1.5)
    with pytest.raises(FetchError, match=r"geen antwoord binnen 0\.3 seconden"):
        poster.post_reply(REVIEW, TEXT)
    assert fake.replies == [("trustpilot", REVIEW, TEXT)]


def test_a_server_error_is_not_retried_and_keeps_its_status(
    fake: FakePlatform, make_client: MakeClient
) -> None:
    fake.accept_then_fail(500)
    with pytest.raises(HttpStatusError) as caught:
        make_poster(fake, make_client).post_reply(REVIEW, TEXT)
    assert caught.value.status == 500
    assert "storing" in caught.value.explain()
    assert len(fake.replies) == 1
    assert [seen.kind for seen in fake.requests] == ["token", "reply"]


# ---------------------------------------------------------------- failures


def test_a_refused_token_is_an_auth_error_and_nothing_is_posted(
    fake: FakePlatform, make_client: MakeClient
) -> None:
    with pytest.raises(AuthError) as caught:
        make_poster(fake, make_client, password="verkeerd-wachtwoord").post_reply(REVIEW, TEXT)
    assert "het token voor de bedrijfsgebruiker werd geweigerd" in caught.value.explain()
    assert "verkeerd-wachtwoord" not in caught.value.explain()
    assert fake.replies == []
    assert_no_secrets(caught.value)


@pytest.mark.parametrize("status", [401, 403])
def test_a_refused_reply_is_an_auth_error_with_advice(
    fake: FakePlatform, make_client: MakeClient, status: int
) -> None:
    poster = make_poster(fake, make_client)
    fake.fail_next(status, body={"message": f"denied for token {fp.TRUSTPILOT_TOKEN}"})
    with pytest.raises(AuthError) as caught:
        poster.post_reply(REVIEW, TEXT)
    explained = caught.value.explain()
    assert explained.startswith("Trustpilot (127.0.0.1) weigert de ingestelde inloggegevens")
    assert f"foutcode {status}" in explained and "business_user_id" in explained
    assert_no_secrets(caught.value)


def test_after_a_401_the_next_reply_asks_for_a_fresh_token(
    fake: FakePlatform, make_client: MakeClient
) -> None:
    poster = make_poster(fake, make_client)
    fake.fail_next(401)
    with pytest.raises(AuthError):
        poster.post_reply("a1", "Dank u!")
    poster.post_reply("a1", "Dank u!")
    assert [seen.kind for seen in fake.requests] == ["token", "reply", "token", "reply"]
    assert fake.replies == [("trustpilot", "a1", "Dank u!")]


def test_a_review_that_is_gone_is_said_so_for_posting_and_reading(
    fake: FakePlatform, make_client: MakeClient
) -> None:
    fake.remove_review(REVIEW)
    poster = make_poster(fake, make_client)
    with pytest.raises(ReviewGone) as caught:
        poster.post_reply(REVIEW, TEXT)
    assert caught.value.explain() == (
        "De review bestaat niet meer op Trustpilot; de reactie is niet geplaatst."
    )
    with pytest.raises(ReviewGone):
        poster.existing_reply(REVIEW)


def test_a_rate_limit_is_not_retried_and_says_how_long_to_wait(
    fake: FakePlatform, make_client: MakeClient
) -> None:
    fake.fail_next(429, retry_after=120)
    with pytest.raises(RateLimited) as caught:
        make_poster(fake, make_client).post_reply(REVIEW, TEXT)
    assert caught.value.wait_seconds == 120
    assert "2 minuten" in caught.value.explain()
    assert fake.replies == []


def test_a_refused_reply_text_says_what_trustpilot_said_without_secrets(
    fake: FakePlatform, make_client: MakeClient
) -> None:
    said = f"Reply already exists (user {fp.USERNAME}, key {fp.API_KEY})"
    fake.fail_next(409, body={"message": said})
    with pytest.raises(ReplyRefused) as caught:
        make_poster(fake, make_client).post_reply(REVIEW, TEXT)
    explained = caught.value.explain()
    assert explained.startswith("De reactie is niet geplaatst op Trustpilot (127.0.0.1): ")
    assert "foutcode 409" in explained and "Reply already exists" in explained
    assert_no_secrets(caught.value)


def test_a_refusal_with_an_html_body_still_reads_well(
    fake: FakePlatform, make_client: MakeClient
) -> None:
    fake.fail_next(400, body="<html><h1>Bad Request</h1></html>")
    with pytest.raises(ReplyRefused) as caught:
        make_poster(fake, make_client).post_reply(REVIEW, TEXT)
    assert caught.value.detail == "Trustpilot gaf foutcode 400"


def test_a_refused_api_key_while_reading_is_an_auth_error(
    fake: FakePlatform, make_client: MakeClient
) -> None:
    with pytest.raises(AuthError) as caught:
        make_poster(fake, make_client, api_key="ander-sleutel").existing_reply(REVIEW)
    assert "controleer de API-sleutel" in caught.value.explain()
    assert "ander-sleutel" not in caught.value.explain()


# ---------------------------------------------------------------- refused before sending


@pytest.mark.parametrize("missing", ["business_user_id", "api_secret"])
def test_incomplete_settings_refuse_to_post_without_a_request(
    fake: FakePlatform, make_client: MakeClient, missing: str
) -> None:
    over: dict[str, Any] = {"business_user_id": None}
    if missing == "api_secret":
        over = {"api_secret": None, "username": None, "password": None}
    poster = make_poster(fake, make_client, **over)
    assert TrustpilotReplyPoster.ready(poster.settings) is not None
    with pytest.raises(ReplyRefused, match="voor reageren zijn api_key"):
        poster.post_reply(REVIEW, TEXT)
    assert fake.requests == []


@pytest.mark.parametrize("review_id", ["", "../business-units/x", "a b", "x" * 101, "r?x=1"])
def test_an_id_that_is_no_trustpilot_id_is_never_put_in_a_path(
    fake: FakePlatform, make_client: MakeClient, review_id: str
) -> None:
    poster = make_poster(fake, make_client)
    with pytest.raises(ReplyRefused, match="geen Trustpilot-id"):
        poster.post_reply(review_id, TEXT)
    with pytest.raises(ReplyRefused):
        poster.existing_reply(review_id)
    assert fake.requests == []


@pytest.mark.parametrize("text", ["", "  \n "])
def test_an_empty_reply_is_never_sent(
    fake: FakePlatform, make_client: MakeClient, text: str
) -> None:
    with pytest.raises(ReplyRefused, match="de reactie is leeg"):
        make_poster(fake, make_client).post_reply(REVIEW, text)
    assert fake.requests == []
