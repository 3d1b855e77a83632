"""Replying on Kiyoh and Klantenvertellen: the PUT that replaces, Kiyoh's error objects, and
reading a reply back from the review list."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from scrapers.errors import AuthError, HttpStatusError, RateLimited, SourceError
from scrapers.kiyoh import KiyohSettings, KlantenvertellenSettings
from scrapers.kiyoh_reply import KiyohReplyPoster, KlantenvertellenReplyPoster
from scrapers.replying import ReplyRefused, ReviewGone
from tests import fake_platform as fp
from tests.fake_platform import FakePlatform
from tests.scrapers.conftest import MakeClient

REVIEW = "0c7a5b1e-3d2f-4e6a-9b8c-1a2b3c4d5e6f"
TEXT = "Beste Henk, dank voor uw 9! Fijn dat de levering zo snel ging."


@pytest.fixture
def fake() -> Iterator[FakePlatform]:
    with FakePlatform() as platform:
        yield platform


def make_poster(
    fake: FakePlatform,
    make_client: MakeClient,
    *,
    klantenvertellen: bool = False,
    client: dict[str, Any] | None = None,
    **over: Any,
) -> KiyohReplyPoster:
    kind = KlantenvertellenReplyPoster if klantenvertellen else KiyohReplyPoster
    settings = kind.Settings(**{**fake.settings(kind.name), **over})
    http = make_client(allowed_hosts=tuple(kind.hosts(settings)), **(client or {}))
    return kind(settings, http=http, label="Kiyoh De Pollepel")


def kiyoh_error(code: str, message: str) -> dict[str, Any]:
    return {"errorCode": code, "detailedError": [{"message": message}]}


def assert_no_secrets(error: SourceError) -> None:
    shown = f"{error} {error.explain()} {error!r}"
    assert fp.KIYOH_TOKEN not in shown


# ---------------------------------------------------------------- success


def test_a_reply_is_put_with_the_publication_token(
    fake: FakePlatform, make_client: MakeClient
) -> None:
    make_poster(fake, make_client).post_reply(REVIEW, TEXT)
    (seen,) = fake.requests
    assert (seen.method, seen.path) == ("PUT", "/v1/publication/review/response")
    assert seen.headers["X-Publication-Api-Token"] == fp.KIYOH_TOKEN
    assert seen.headers["Content-Type"] == "application/json"
    assert seen.json() == {
        "locationId": fp.KIYOH_LOCATION,
        "tenantId": "98",
        "reviewId": REVIEW,
        "response": TEXT,
        "reviewResponseType": "PUBLIC",
        "responseEmail": "false",
    }
    assert fake.replies == [("kiyoh", REVIEW, TEXT)]


def test_klantenvertellen_uses_its_own_tenant(fake: FakePlatform, make_client: MakeClient) -> None:
    poster = make_poster(fake, make_client, klantenvertellen=True)
    assert isinstance(poster.settings, KlantenvertellenSettings)
    poster.post_reply(REVIEW, TEXT)
    assert fake.requests[0].json()["tenantId"] == "99"


def test_posting_again_replaces_the_reply(fake: FakePlatform, make_client: MakeClient) -> None:
    poster = make_poster(fake, make_client)
    poster.post_reply(REVIEW, "Eerste versie")
    poster.post_reply(REVIEW, TEXT)
    assert fake.reply_of("kiyoh", REVIEW) == TEXT


def test_a_dropped_connection_after_accepting_is_retried_safely(
    fake: FakePlatform, make_client: MakeClient
) -> None:
    fake.accept_then_fail()
    make_poster(fake, make_client).post_reply(REVIEW, TEXT)
    assert len(fake.requests) == 2  # PUT is idempotent: the client tried again
    assert fake.reply_of("kiyoh", REVIEW) == TEXT


def test_a_passing_server_error_is_retried(fake: FakePlatform, make_client: MakeClient) -> None:
    fake.fail_next(502, count=2)
    make_poster(fake, make_client).post_reply(REVIEW, TEXT)
    assert len(fake.requests) == 3
    assert fake.replies == [("kiyoh", REVIEW, TEXT)]


# ---------------------------------------------------------------- failures


def test_a_refused_token_is_an_auth_error_with_kiyohs_words(
    fake: FakePlatform, make_client: MakeClient
) -> None:
    with pytest.raises(AuthError) as caught:
        make_poster(fake, make_client, token="verkeerd-token").post_reply(REVIEW, TEXT)
    explained = caught.value.explain()
    assert "HTTP 401: Kiyoh meldt INVALID_TOKEN: Bad token" in explained
    assert "controleer token, location_id en tenant_id" in explained
    assert "verkeerd-token" not in explained
    assert fake.replies == []


def test_an_error_that_echoes_the_token_does_not_show_it(
    fake: FakePlatform, make_client: MakeClient
) -> None:
    fake.fail_next(403, body=kiyoh_error("FORBIDDEN", f"token {fp.KIYOH_TOKEN} not allowed"))
    with pytest.raises(AuthError) as caught:
        make_poster(fake, make_client).post_reply(REVIEW, TEXT)
    assert "not allowed" in caught.value.explain()
    assert_no_secrets(caught.value)


def test_another_location_is_an_auth_error(fake: FakePlatform, make_client: MakeClient) -> None:
    with pytest.raises(AuthError, match="ACCESS_DENIED"):
        make_poster(fake, make_client, location_id="999").post_reply(REVIEW, TEXT)


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (404, kiyoh_error("REVIEW_NOT_FOUND", "gone")),
        (404, "<html>Not found</html>"),
        (400, kiyoh_error("REVIEW_NOT_FOUND", "Review does not exist")),
        (200, kiyoh_error("REVIEW_NOT_FOUND", "Review does not exist")),
    ],
)
def test_a_review_that_is_gone_is_said_so(
    fake: FakePlatform, make_client: MakeClient, status: int, body: Any
) -> None:
    fake.fail_next(status, body=body)
    with pytest.raises(ReviewGone) as caught:
        make_poster(fake, make_client).post_reply(REVIEW, TEXT)
    assert caught.value.explain() == (
        "De review bestaat niet meer op Kiyoh; de reactie is niet geplaatst."
    )


def test_the_fake_answers_404_for_a_removed_review(
    fake: FakePlatform, make_client: MakeClient
) -> None:
    fake.remove_review(REVIEW)
    with pytest.raises(ReviewGone):
        make_poster(fake, make_client, klantenvertellen=True).post_reply(REVIEW, TEXT)


@pytest.mark.parametrize("status", [400, 422, 200])
def test_a_refused_reply_says_what_kiyoh_said(
    fake: FakePlatform, make_client: MakeClient, status: int
) -> None:
    body = kiyoh_error("RESPONSE_TOO_LONG", "Response exceeds 2000 characters")
    fake.fail_next(status, body=body)
    with pytest.raises(ReplyRefused) as caught:
        make_poster(fake, make_client).post_reply(REVIEW, TEXT)
    assert caught.value.explain() == (
        "De reactie is niet geplaatst op 127.0.0.1:"
        f"{fake.port}/v1/publication/review/response: Kiyoh meldt RESPONSE_TOO_LONG: "
        "Response exceeds 2000 characters."
    )


def test_a_refusal_without_an_error_object_names_the_status(
    fake: FakePlatform, make_client: MakeClient
) -> None:
    fake.fail_next(400, body="Bad Request")
    with pytest.raises(ReplyRefused, match="Kiyoh gaf foutcode 400"):
        make_poster(fake, make_client).post_reply(REVIEW, TEXT)


def test_a_lasting_rate_limit_becomes_rate_limited(
    fake: FakePlatform, make_client: MakeClient
) -> None:
    fake.fail_next(429, count=4)
    with pytest.raises(RateLimited):
        make_poster(fake, make_client, client={"retries": 3}).post_reply(REVIEW, TEXT)
    assert len(fake.requests) == 4
    assert fake.replies == []


def test_a_lasting_server_error_stays_an_http_status_error(
    fake: FakePlatform, make_client: MakeClient
) -> None:
    fake.fail_next(500, count=3, body=kiyoh_error("INTERNAL", "oops"))
    with pytest.raises(HttpStatusError) as caught:
        make_poster(fake, make_client, client={"retries": 2}).post_reply(REVIEW, TEXT)
    assert caught.value.status == 500


@pytest.mark.parametrize(("review_id", "text"), [(" ", TEXT), (REVIEW, ""), (REVIEW, "\n")])
def test_nothing_is_sent_without_an_id_or_a_text(
    fake: FakePlatform, make_client: MakeClient, review_id: str, text: str
) -> None:
    with pytest.raises(ReplyRefused):
        make_poster(fake, make_client).post_reply(review_id, text)
    assert fake.requests == []


# ---------------------------------------------------------------- reading a reply back


def test_existing_reply_is_read_from_the_review_list(
    fake: FakePlatform, make_client: MakeClient
) -> None:
    fake.add_kiyoh_review("r-zonder")
    fake.add_kiyoh_review("r-met", reply="Dank u wel!")
    poster = make_poster(fake, make_client)
    assert poster.existing_reply("r-met") == "Dank u wel!"
    assert poster.existing_reply("r-zonder") is None
    listed = fake.requests[0]
    assert (listed.method, listed.path.split("?")[0]) == ("GET", "/v1/publication/review/external")
    assert listed.headers["X-Publication-Api-Token"] == fp.KIYOH_TOKEN


def test_existing_reply_pages_until_the_review_turns_up(
    fake: FakePlatform, make_client: MakeClient
) -> None:
    fake.add_kiyoh_review("oud", reply="Dank!")
    for number in range(5):
        fake.add_kiyoh_review(f"nieuw-{number}")
    assert make_poster(fake, make_client, page_size=2).existing_reply("oud") == "Dank!"
    assert len(fake.requests) == 3


def test_a_review_missing_from_the_list_is_gone(
    fake: FakePlatform, make_client: MakeClient
) -> None:
    fake.add_kiyoh_review("ander")
    with pytest.raises(ReviewGone):
        make_poster(fake, make_client).existing_reply(REVIEW)


def test_settings_without_a_token_are_refused() -> None:
    with pytest.raises(ValueError, match="token"):
        KiyohSettings(location_id="1050449")  # type: ignore[call-arg]
