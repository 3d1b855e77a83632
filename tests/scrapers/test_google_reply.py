"""Replying on Google Business Profile: the token from the refresh token, the PUT that replaces,
reading the reply back, and refused access in the collector's words."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
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
    SourceUnavailable,
)
from scrapers.google import GoogleSettings
from scrapers.google_reply import GoogleReplyPoster
from scrapers.replying import ReplyRefused, ReviewGone
from tests import fake_platform as fp
from tests.fake_platform import FakePlatform
from tests.scrapers.conftest import MakeClient

REVIEW = "AbFvOqn1aa-Marloes_K"
REVIEWS = f"/v4/accounts/{fp.GOOGLE_ACCOUNT}/locations/{fp.GOOGLE_LOCATION}/reviews"
TEXT = "Dank je wel, Marloes! 😊 Veel kookplezier met de pan."


@pytest.fixture
def fake() -> Iterator[FakePlatform]:
    with FakePlatform() as platform:
        yield platform


def make_poster(
    fake: FakePlatform,
    make_client: MakeClient,
    folder: Path,
    *,
    client: dict[str, Any] | None = None,
    **over: Any,
) -> GoogleReplyPoster:
    settings = GoogleSettings(**{**fake.settings("google", folder=folder), **over})
    http = make_client(allowed_hosts=tuple(GoogleReplyPoster.hosts(settings)), **(client or {}))
    return GoogleReplyPoster(settings, http=http, label="Google De Pollepel")


def assert_no_secrets(error: SourceError) -> None:
    shown = f"{error} {error.explain()} {error!r}"
    for secret in (fp.GOOGLE_CLIENT_SECRET, fp.GOOGLE_REFRESH_TOKEN, fp.GOOGLE_TOKEN):
        assert secret not in shown


# ---------------------------------------------------------------- success


def test_a_reply_is_put_with_a_token_from_the_refresh_token(
    fake: FakePlatform, make_client: MakeClient, tmp_path: Path
) -> None:
    make_poster(fake, make_client, tmp_path).post_reply(REVIEW, TEXT)
    token, put = fake.requests
    assert (token.method, token.path) == ("POST", "/token")
    assert parse_qs(token.body.decode()) == {
        "grant_type": ["refresh_token"],
        "client_id": [fp.GOOGLE_CLIENT_ID],
        "client_secret": [fp.GOOGLE_CLIENT_SECRET],
        "refresh_token": [fp.GOOGLE_REFRESH_TOKEN],
    }
    assert (put.method, put.path) == ("PUT", f"{REVIEWS}/{REVIEW}/reply")
    assert put.headers["Authorization"] == f"Bearer {fp.GOOGLE_TOKEN}"
    assert put.headers["Content-Type"] == "application/json"
    assert put.json() == {"comment": TEXT}
    assert fake.replies == [("google", REVIEW, TEXT)]


def test_a_whole_resource_name_is_accepted_as_the_id(
    fake: FakePlatform, make_client: MakeClient, tmp_path: Path
) -> None:
    name = f"accounts/{fp.GOOGLE_ACCOUNT}/locations/{fp.GOOGLE_LOCATION}/reviews/{REVIEW}"
    make_poster(fake, make_client, tmp_path).post_reply(name, TEXT)
    assert fake.requests[-1].path == f"{REVIEWS}/{REVIEW}/reply"


def test_one_token_serves_the_run_and_posting_again_replaces(
    fake: FakePlatform, make_client: MakeClient, tmp_path: Path
) -> None:
    poster = make_poster(fake, make_client, tmp_path)
    poster.post_reply(REVIEW, "Eerste versie")
    poster.post_reply(REVIEW, TEXT)
    assert [seen.kind for seen in fake.requests] == ["token", "reply", "reply"]
    assert fake.reply_of("google", REVIEW) == TEXT


def test_existing_reply_reads_the_review(
    fake: FakePlatform, make_client: MakeClient, tmp_path: Path
) -> None:
    poster = make_poster(fake, make_client, tmp_path)
    assert poster.existing_reply(REVIEW) is None
    poster.post_reply(REVIEW, TEXT)
    assert poster.existing_reply(REVIEW) == TEXT
    reads = [seen for seen in fake.requests if seen.kind == "read"]
    assert [(seen.method, seen.path) for seen in reads] == [("GET", f"{REVIEWS}/{REVIEW}")] * 2


def test_a_dropped_connection_after_accepting_is_retried_safely(
    fake: FakePlatform, make_client: MakeClient, tmp_path: Path
) -> None:
    fake.accept_then_fail()
    make_poster(fake, make_client, tmp_path).post_reply(REVIEW, TEXT)
    assert [seen.kind for seen in fake.requests] == ["token", "reply", "reply"]
    assert fake.reply_of("google", REVIEW) == TEXT


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({"reviewId": REVIEW, "reviewReply": {"updateTime": "2025-06-01T00:00:00Z"}}, DriftError),
        ({"reviewId": REVIEW, "reviewReply": "Dank"}, DriftError),
        ({"comment": "Top"}, DriftError),
        ([], DriftError),
        ("{", ParseError),
    ],
)
def test_an_unreadable_review_is_an_error_never_a_missing_reply(
    fake: FakePlatform, make_client: MakeClient, tmp_path: Path, body: Any, error: type[Exception]
) -> None:
    fake.fail_next(200, kind="read", body=body)
    with pytest.raises(error):
        make_poster(fake, make_client, tmp_path).existing_reply(REVIEW)


# ---------------------------------------------------------------- failures


def test_a_revoked_refresh_token_is_an_auth_error(
    fake: FakePlatform, make_client: MakeClient, tmp_path: Path
) -> None:
    fake.fail_next(400, kind="token", body={"error": "invalid_grant"})
    with pytest.raises(AuthError) as caught:
        make_poster(fake, make_client, tmp_path).post_reply(REVIEW, TEXT)
    assert "vernieuwingstoken is ingetrokken of verlopen" in caught.value.explain()
    assert fake.replies == []
    assert_no_secrets(caught.value)


def test_a_missing_credentials_file_is_unavailable(
    fake: FakePlatform, make_client: MakeClient, tmp_path: Path
) -> None:
    poster = make_poster(fake, make_client, tmp_path, credentials_file=str(tmp_path / "weg.json"))
    with pytest.raises(SourceUnavailable, match="bestaat niet"):
        poster.post_reply(REVIEW, TEXT)
    assert fake.requests == []


def test_a_refused_access_token_is_an_auth_error_and_is_not_kept(
    fake: FakePlatform, make_client: MakeClient, tmp_path: Path
) -> None:
    poster = make_poster(fake, make_client, tmp_path)
    fake.fail_next(401, body={"error": {"code": 401, "message": f"bad {fp.GOOGLE_TOKEN}"}})
    with pytest.raises(AuthError) as caught:
        poster.post_reply(REVIEW, TEXT)
    assert "HTTP 401, het toegangstoken werd niet aanvaard" in caught.value.explain()
    assert_no_secrets(caught.value)
    poster.post_reply(REVIEW, TEXT)
    assert [seen.kind for seen in fake.requests] == ["token", "reply", "token", "reply"]


@pytest.mark.parametrize(
    ("message", "advice"),
    [
        ("Quota exceeded for quota metric 'Requests'", "vraag Google eerst toegang"),
        ("The caller does not have permission", "geef het Google-account beheerrechten"),
    ],
)
def test_a_403_says_whether_access_is_not_approved_or_rights_are_missing(
    fake: FakePlatform, make_client: MakeClient, tmp_path: Path, message: str, advice: str
) -> None:
    fake.fail_next(403, body={"error": {"code": 403, "message": message}})
    with pytest.raises(AuthError) as caught:
        make_poster(fake, make_client, tmp_path).post_reply(REVIEW, TEXT)
    assert advice in caught.value.explain()


def test_another_location_is_refused_by_the_fake(
    fake: FakePlatform, make_client: MakeClient, tmp_path: Path
) -> None:
    with pytest.raises(AuthError, match="geen rechten op deze locatie"):
        make_poster(fake, make_client, tmp_path, location_id="1").post_reply(REVIEW, TEXT)


def test_a_review_that_is_gone_is_said_so(
    fake: FakePlatform, make_client: MakeClient, tmp_path: Path
) -> None:
    fake.remove_review(REVIEW)
    poster = make_poster(fake, make_client, tmp_path)
    with pytest.raises(ReviewGone) as caught:
        poster.post_reply(REVIEW, TEXT)
    assert caught.value.explain() == (
        "De review bestaat niet meer op Google; de reactie is niet geplaatst."
    )
    with pytest.raises(ReviewGone):
        poster.existing_reply(REVIEW)


def test_a_refused_reply_says_what_google_said(
    fake: FakePlatform, make_client: MakeClient, tmp_path: Path
) -> None:
    body = {"error": {"code": 400, "message": "Request contains an invalid argument."}}
    fake.fail_next(400, body=body)
    with pytest.raises(ReplyRefused) as caught:
        make_poster(fake, make_client, tmp_path).post_reply(REVIEW, TEXT)
    assert caught.value.explain() == (
        "De reactie is niet geplaatst op Google Business Profile: Google gaf foutcode 400 "
        "(Request contains an invalid argument.)."
    )


def test_a_lasting_rate_limit_becomes_rate_limited(
    fake: FakePlatform, make_client: MakeClient, tmp_path: Path
) -> None:
    fake.fail_next(429, count=3, retry_after=1)
    poster = make_poster(fake, make_client, tmp_path, client={"retries": 2})
    with pytest.raises(RateLimited):
        poster.post_reply(REVIEW, TEXT)
    assert fake.replies == []


def test_a_lasting_server_error_and_a_time_out_keep_their_types(
    fake: FakePlatform, make_client: MakeClient, tmp_path: Path
) -> None:
    fake.fail_next(503, count=2)
    poster = make_poster(fake, make_client, tmp_path, client={"retries": 1, "timeout_seconds": 0.3})
    with pytest.raises(HttpStatusError) as caught:
        poster.post_reply(REVIEW, TEXT)
    assert caught.value.status == 503
    fake.fail_next(200, count=2, delay=1.0, body={"comment": TEXT})
    with pytest.raises(FetchError, match="geen antwoord binnen"):
        poster.post_reply(REVIEW, TEXT)


# ---------------------------------------------------------------- refused before sending


def test_a_derived_id_cannot_be_replied_to(
    fake: FakePlatform, make_client: MakeClient, tmp_path: Path
) -> None:
    with pytest.raises(ReplyRefused, match="te lang om te bewaren"):
        make_poster(fake, make_client, tmp_path).post_reply("h:" + "a" * 40, TEXT)
    assert fake.requests == []


@pytest.mark.parametrize("review_id", ["", "  ", "a/b", "accounts/1/locations/2/reviews/"])
def test_an_id_that_is_no_google_id_is_refused(
    fake: FakePlatform, make_client: MakeClient, tmp_path: Path, review_id: str
) -> None:
    with pytest.raises(ReplyRefused, match="geen Google-id"):
        make_poster(fake, make_client, tmp_path).post_reply(review_id, TEXT)
    assert fake.requests == []


def test_odd_characters_in_an_id_are_escaped_in_the_path(
    fake: FakePlatform, make_client: MakeClient, tmp_path: Path
) -> None:
    make_poster(fake, make_client, tmp_path).post_reply("a b?c#d", TEXT)
    assert fake.requests[-1].path == f"{REVIEWS}/a%20b%3Fc%23d/reply"
    assert fake.replies == [("google", "a b?c#d", TEXT)]


def test_a_reply_longer_than_google_allows_is_not_sent(
    fake: FakePlatform, make_client: MakeClient, tmp_path: Path
) -> None:
    poster = make_poster(fake, make_client, tmp_path)
    with pytest.raises(ReplyRefused, match="4096 bytes"):
        poster.post_reply(REVIEW, "é" * 2049)  # 4098 bytes
    with pytest.raises(ReplyRefused, match="de reactie is leeg"):
        poster.post_reply(REVIEW, " ")
    assert fake.requests == []
    poster.post_reply(REVIEW, "é" * 2048)
    assert json.loads(fake.requests[-1].body)["comment"] == "é" * 2048
