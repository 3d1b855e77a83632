"""Posting replies, common ground: the registry, readiness, the errors, the HTTP client's PUT and
the fake platform server the other tests lean on."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from scrapers.errors import (
    AuthError,
    FetchError,
    HttpStatusError,
    ParseError,
    RateLimited,
    RequestBudgetExceeded,
    SourceError,
)
from scrapers.google import GoogleSettings
from scrapers.google_reply import GoogleReplyPoster
from scrapers.kiyoh import KiyohSettings, KlantenvertellenSettings
from scrapers.kiyoh_reply import KiyohReplyPoster, KlantenvertellenReplyPoster
from scrapers.registry import COLLECTORS
from scrapers.replying import (
    ReplyPoster,
    ReplyRefused,
    ReviewGone,
    may_retry,
    poster_for,
    server_message,
)
from scrapers.trustpilot import TrustpilotSettings
from scrapers.trustpilot_reply import TrustpilotReplyPoster
from tests.fake_platform import SECRETS, FakePlatform
from tests.scrapers.conftest import MakeClient, Reply, ScriptedServer

JSON = {"Content-Type": "application/json"}


@pytest.fixture
def fake() -> Iterator[FakePlatform]:
    with FakePlatform() as platform:
        yield platform


def poster(
    fake: FakePlatform, make_client: MakeClient, name: str, tmp_path: Path, **client: object
) -> ReplyPoster:
    """A poster for ``name`` aimed at the fake, built the way the monitor builds one."""
    kind = poster_for(name)
    assert kind is not None
    settings = kind.Settings(**fake.settings(name, folder=tmp_path))
    http = make_client(allowed_hosts=tuple(kind.hosts(settings)), **client)
    return kind(settings, http=http, label=f"{name} De Pollepel")


# ---------------------------------------------------------------- the registry


def test_the_registry_names_a_poster_for_each_platform_with_a_reply_api() -> None:
    assert poster_for("trustpilot") is TrustpilotReplyPoster
    assert poster_for("kiyoh") is KiyohReplyPoster
    assert poster_for("klantenvertellen") is KlantenvertellenReplyPoster
    assert poster_for("google") is GoogleReplyPoster
    for name in ("webwinkelkeur", "feedbackcompany", "schemaorg", "mailbox", "file", "onbekend"):
        assert poster_for(name) is None


@pytest.mark.parametrize("name", ["trustpilot", "kiyoh", "klantenvertellen", "google"])
def test_a_poster_takes_its_collectors_settings_under_the_same_name(name: str) -> None:
    kind = poster_for(name)
    assert kind is not None
    assert kind.name == name
    assert kind.Settings is COLLECTORS[name].Settings


def test_only_the_put_platforms_replace_a_reply() -> None:
    assert not TrustpilotReplyPoster.replaces
    assert KiyohReplyPoster.replaces
    assert KlantenvertellenReplyPoster.replaces
    assert GoogleReplyPoster.replaces


# ---------------------------------------------------------------- readiness and hosts

TP_FULL = {
    "domain": "depollepel.nl",
    "api_key": "sleutel-1",
    "api_secret": "geheim-1",
    "username": "beheer@depollepel.nl",
    "password": "wachtwoord-1",
    "business_user_id": "5f1e0c0ffee0123456789abc",
}


def test_trustpilot_is_ready_with_a_business_user_and_says_what_is_missing() -> None:
    assert TrustpilotReplyPoster.ready(TrustpilotSettings(**TP_FULL)) is None
    public = TrustpilotReplyPoster.ready(TrustpilotSettings(domain="depollepel.nl"))
    assert public == (
        "Trustpilot: voor reageren zijn api_key, api_secret, username, password en "
        "business_user_id nodig (ontbreekt: api_key, api_secret, username, password, "
        "business_user_id)"
    )
    without_user = {key: value for key, value in TP_FULL.items() if key != "business_user_id"}
    reason = TrustpilotReplyPoster.ready(TrustpilotSettings(**without_user))
    assert reason is not None and reason.endswith("(ontbreekt: business_user_id)")
    for secret in ("sleutel-1", "geheim-1", "wachtwoord-1"):
        assert secret not in reason


@pytest.mark.parametrize("value", ["", "met spatie", "a/b", "x" * 101])
def test_an_odd_business_user_id_is_refused(value: str) -> None:
    with pytest.raises(ValueError, match="zakelijke gebruiker"):
        TrustpilotSettings(**{**TP_FULL, "business_user_id": value})


def test_the_business_user_id_is_trimmed() -> None:
    settings = TrustpilotSettings(**{**TP_FULL, "business_user_id": " 5f1e0c0ffee0 "})
    assert settings.business_user_id == "5f1e0c0ffee0"


def test_kiyoh_and_google_are_ready_with_the_settings_their_collectors_need() -> None:
    kiyoh = KiyohSettings(location_id="1050449", token="t")
    assert KiyohReplyPoster.ready(kiyoh) is None
    google = GoogleSettings(credentials_file="inlog.json", account_id="1", location_id="2")
    assert GoogleReplyPoster.ready(google) is None


def test_each_poster_contacts_only_its_api_hosts() -> None:
    assert TrustpilotReplyPoster.hosts(TrustpilotSettings(**TP_FULL)) == {"api.trustpilot.com"}
    kiyoh = KiyohSettings(location_id="1050449", token="t")
    assert KiyohReplyPoster.hosts(kiyoh) == {"www.kiyoh.com"}
    klant = KlantenvertellenSettings(location_id="1050449", token="t")
    assert KlantenvertellenReplyPoster.hosts(klant) == {"www.klantenvertellen.nl"}
    google = GoogleSettings(credentials_file="inlog.json", account_id="1", location_id="2")
    assert GoogleReplyPoster.hosts(google) == {"mybusiness.googleapis.com", "oauth2.googleapis.com"}


# ---------------------------------------------------------------- errors


def test_the_reply_errors_explain_themselves_in_dutch() -> None:
    gone = ReviewGone("Trustpilot", "abc123")
    assert gone.explain() == (
        "De review bestaat niet meer op Trustpilot; de reactie is niet geplaatst."
    )
    assert "abc123" in str(gone)
    refused = ReplyRefused("Trustpilot (api.trustpilot.com)", "de reactie is leeg")
    assert refused.explain() == (
        "De reactie is niet geplaatst op Trustpilot (api.trustpilot.com): de reactie is leeg."
    )
    assert isinstance(gone, SourceError) and isinstance(refused, SourceError)


@pytest.mark.parametrize(
    ("error", "retry"),
    [
        (FetchError("https://api.example/x", "geen verbinding"), True),
        (RateLimited("https://api.example/x", 60), True),
        (RequestBudgetExceeded("api.example", 500), True),
        (HttpStatusError("https://api.example/x", 503), True),
        (HttpStatusError("https://api.example/x", 400), False),
        (AuthError("Trustpilot", "foutcode 401"), False),
        (ReviewGone("Google", "r1"), False),
        (ReplyRefused("Kiyoh", "te lang"), False),
        (ParseError("api.example/x", "geen geldige JSON"), False),
    ],
)
def test_only_passing_trouble_is_worth_a_retry(error: SourceError, retry: bool) -> None:
    assert may_retry(error) is retry


@pytest.mark.parametrize(
    ("body", "said"),
    [
        ('{"error": {"code": 400, "message": "Comment too long"}}', "Comment too long"),
        ('{"message": "Reply already exists"}', "Reply already exists"),
        ('{"error": "invalid_grant", "error_description": "Token revoked"}', "Token revoked"),
        ('{"error": "invalid_grant"}', "invalid_grant"),
        ('{"message": "te\\n  veel   ruimte"}', "te veel ruimte"),
        ("<html>Bad gateway</html>", None),
        ("", None),
        ("[1, 2]", None),
        ('{"message": 12}', None),
    ],
)
def test_a_server_message_is_read_from_common_error_bodies(body: str, said: str | None) -> None:
    assert server_message(body, ()) == said


def test_a_server_message_never_repeats_a_secret_and_stays_short() -> None:
    body = json.dumps({"message": "bad token geheim-123 " + "x" * 500})
    said = server_message(body, ["geheim-123"])
    assert said is not None
    assert "geheim-123" not in said and "***" in said
    assert len(said) == 200


# ---------------------------------------------------------------- the HTTP client's PUT


def test_put_sends_json_and_is_retried_after_a_server_error(
    fake: FakePlatform, make_client: MakeClient, tmp_path: Path
) -> None:
    fake.fail_next(503, count=2)
    poster(fake, make_client, "kiyoh", tmp_path, retries=3).post_reply("r-1", "Dank u wel!")
    puts = [seen for seen in fake.requests if seen.method == "PUT"]
    assert len(puts) == 3
    assert puts[-1].headers["Content-Type"] == "application/json"
    assert puts[-1].json()["response"] == "Dank u wel!"
    assert fake.replies == [("kiyoh", "r-1", "Dank u wel!")]


def test_post_is_never_retried_after_a_server_error(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    url = server.route("/reply", Reply(503, "{}", JSON), Reply(201, "", JSON))
    with pytest.raises(HttpStatusError) as caught:
        make_client(retries=3).post(url, json_body={"message": "hoi"})
    assert caught.value.status == 503
    assert len(server.requests) == 1


# ---------------------------------------------------------------- the fake platform server


def test_the_fake_records_replies_and_drops_a_connection_after_accepting(
    fake: FakePlatform, make_client: MakeClient, tmp_path: Path
) -> None:
    trustpilot = poster(fake, make_client, "trustpilot", tmp_path)
    trustpilot.post_reply("rev-1", "Eerste")
    fake.accept_then_fail()
    with pytest.raises(FetchError):
        trustpilot.post_reply("rev-2", "Tweede")
    assert fake.replies == [("trustpilot", "rev-1", "Eerste"), ("trustpilot", "rev-2", "Tweede")]
    assert fake.reply_of("trustpilot", "rev-2") == "Tweede"
    assert trustpilot.existing_reply("rev-2") == "Tweede"
    assert [(seen.platform, seen.kind) for seen in fake.requests] == [
        ("trustpilot", "token"),
        ("trustpilot", "reply"),
        ("trustpilot", "reply"),
        ("trustpilot", "read"),
    ]


def test_the_fake_fails_only_the_kind_of_request_it_was_told_to(
    fake: FakePlatform, make_client: MakeClient, tmp_path: Path
) -> None:
    fake.fail_next(401, kind="read", platform="google")
    kiyoh = poster(fake, make_client, "kiyoh", tmp_path)
    kiyoh.post_reply("r-1", "Dank u")  # neither a read nor Google: untouched
    google = poster(fake, make_client, "google", tmp_path)
    with pytest.raises(AuthError):
        google.existing_reply("g-1")
    assert google.existing_reply("g-1") is None  # the fault was used up


def test_every_platform_posts_through_the_fake_without_secrets_in_the_paths(
    fake: FakePlatform, make_client: MakeClient, tmp_path: Path
) -> None:
    for name in ("trustpilot", "kiyoh", "klantenvertellen", "google"):
        poster(fake, make_client, name, tmp_path).post_reply(f"{name}-1", f"Dank u ({name})")
    assert fake.replies == [
        ("trustpilot", "trustpilot-1", "Dank u (trustpilot)"),
        ("kiyoh", "kiyoh-1", "Dank u (kiyoh)"),
        ("kiyoh", "klantenvertellen-1", "Dank u (klantenvertellen)"),
        ("google", "google-1", "Dank u (google)"),
    ]
    for seen in fake.requests:
        assert not any(secret in seen.path for secret in SECRETS)
