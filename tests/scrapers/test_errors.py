"""The errors module: URLs shown without secrets, and a Dutch explanation for every error."""

from __future__ import annotations

import pytest

from scrapers.errors import (
    FetchError,
    HostNotAllowed,
    HttpStatusError,
    ParseError,
    PartialFailure,
    RateLimited,
    RequestBudgetExceeded,
    ResponseTooLarge,
    SourceError,
    SourceUnavailable,
    short_url,
)

SECRET_URL = "https://winkel:geheim-wachtwoord@shop.example:8443/export/reviews.csv?code=SECRET#top"


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (SECRET_URL, "shop.example:8443/export/reviews.csv"),
        ("https://Shop.Example/producten/pan?utm_source=nieuwsbrief", "shop.example/producten/pan"),
        ("http://127.0.0.1:8000/", "127.0.0.1:8000/"),
        ("https://shop.example", "shop.example"),
        ("https://shop.example:80a/pan?code=SECRET", "shop.example/pan"),
        ("/alleen/een/pad?token=x", "/alleen/een/pad"),
    ],
)
def test_short_url_keeps_host_and_path_only(url: str, shown: str) -> None:
    assert short_url(url) == shown


def every_error() -> list[SourceError]:
    failing = [FetchError(SECRET_URL, "geen verbinding"), HttpStatusError(SECRET_URL, 404)]
    return [
        FetchError(SECRET_URL, "geen verbinding"),
        HttpStatusError(SECRET_URL, 401),
        HttpStatusError(SECRET_URL, 404),
        HttpStatusError(SECRET_URL, 418),
        HttpStatusError(SECRET_URL, 503),
        RateLimited(SECRET_URL, 3600),
        RateLimited(SECRET_URL, 30),
        RateLimited(SECRET_URL, None),
        RequestBudgetExceeded("shop.example", 500),
        ResponseTooLarge(SECRET_URL, 5_000_000),
        HostNotAllowed(SECRET_URL),
        ParseError("shop.example/export/reviews.csv", "de kolom 'review' ontbreekt"),
        SourceUnavailable("/var/mail/service", "bestand of map bestaat niet"),
        PartialFailure(failing, total=4, unit="pagina's"),
    ]


# Words that only occur in Dutch sentences; each explanation must use at least one.
DUTCH = ("niet", "werd", "gaf", "vraagt", "de ", "het ", "is ", "van ", "kon", "stuurde", "mislukt")


@pytest.mark.parametrize("error", every_error(), ids=lambda error: type(error).__name__)
def test_every_error_explains_itself_in_dutch_without_secrets(error: SourceError) -> None:
    text = error.explain()
    assert text.strip()
    assert text != str(error)  # str() is the English log line; explain() is for the owner
    assert text.endswith(".")
    assert any(word in text for word in DUTCH), text
    for shown in (text, str(error)):
        assert "SECRET" not in shown
        assert "geheim-wachtwoord" not in shown
        assert "winkel:" not in shown


def test_status_errors_say_what_the_status_means() -> None:
    assert "bestaat niet" in HttpStatusError("https://shop.example/p", 404).explain()
    assert "storing" in HttpStatusError("https://shop.example/p", 503).explain()
    assert "404" in HttpStatusError("https://shop.example/p", 404).explain()


def test_rate_limited_gives_the_wait_in_minutes() -> None:
    assert "60 minuten" in RateLimited("https://shop.example/p", 3600).explain()
    assert "1 minuut " in RateLimited("https://shop.example/p", 45).explain()


def test_partial_failure_counts_and_names_each_failing_part() -> None:
    failure = PartialFailure(
        [HttpStatusError("https://shop.example/producten/pan?sessie=abc", 404)],
        total=3,
        unit="pagina's",
    )
    text = failure.explain()
    assert text.startswith("1 van 3 pagina's mislukt.")
    assert "shop.example/producten/pan" in text
    assert "sessie" not in text


def test_response_too_large_names_the_limit_in_megabytes() -> None:
    assert "5 MB" in ResponseTooLarge("https://shop.example/export.csv", 5_000_000).explain()
