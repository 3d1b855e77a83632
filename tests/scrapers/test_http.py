"""The HTTP client against a scripted server on 127.0.0.1: retries, limits, pacing, hosts."""

from __future__ import annotations

import socket
import time

import pytest

from scrapers.errors import (
    FetchError,
    HostNotAllowed,
    HttpStatusError,
    ParseError,
    RateLimited,
    RequestBudgetExceeded,
    ResponseTooLarge,
    RobotsDisallowed,
)
from scrapers.http import HttpClient, HttpSettings
from tests.scrapers.conftest import MakeClient, Reply, ScriptedServer


def test_get_reads_the_page_and_sends_the_configured_user_agent(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    url = server.route("/producten/theepot", Reply(200, "<h1>Gietijzeren theepot</h1>"))
    fetched = make_client(user_agent="reviewwacht/0.1 (+mailto:ilse@theelichtje.example)").get(url)
    assert fetched.status == 200
    assert fetched.text == "<h1>Gietijzeren theepot</h1>"
    assert fetched.url == url
    assert [seen.user_agent for seen in server.requests] == [
        "reviewwacht/0.1 (+mailto:ilse@theelichtje.example)"
    ]


def test_the_charset_of_the_content_type_decodes_the_text(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    latin = Reply(
        200, "Café Ünal".encode("latin-1"), {"Content-Type": "text/csv; charset=ISO-8859-1"}
    )
    assert make_client().get(server.route("/latin.csv", latin)).text == "Café Ünal"


def test_an_unknown_charset_falls_back_to_utf8_instead_of_crashing(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    odd = Reply(200, "één café".encode(), {"Content-Type": "text/html; charset=utf-8lol"})
    fetched = make_client().get(server.route("/odd", odd))
    assert fetched.encoding is None
    assert fetched.text == "één café"


def test_server_errors_are_retried_until_the_page_comes(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    url = server.route("/p", Reply(500), Reply(500), Reply(200, "eindelijk"))
    assert make_client(retries=3).get(url).text == "eindelijk"
    assert server.paths() == ["/p", "/p", "/p"]


def test_a_server_error_that_stays_becomes_an_http_status_error_after_the_retries(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    url = server.route("/p", Reply(503))
    with pytest.raises(HttpStatusError) as caught:
        make_client(retries=2).get(url)
    assert caught.value.status == 503
    assert len(server.requests) == 3
    assert "storing" in caught.value.explain()


def test_a_short_retry_after_is_waited_out(server: ScriptedServer, make_client: MakeClient) -> None:
    url = server.route("/p", Reply(429, "rustig aan", {"Retry-After": "1"}), Reply(200, "ok"))
    started = time.monotonic()
    assert make_client().get(url).text == "ok"
    assert time.monotonic() - started >= 0.9
    assert len(server.requests) == 2


def test_a_long_retry_after_is_not_waited_out(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    url = server.route("/p", Reply(429, "te druk", {"Retry-After": "3600"}), Reply(200, "ok"))
    started = time.monotonic()
    with pytest.raises(RateLimited) as caught:
        make_client(max_retry_wait_seconds=180).get(url)
    assert time.monotonic() - started < 10
    assert caught.value.wait_seconds == 3600
    assert len(server.requests) == 1
    assert "60 minuten" in caught.value.explain()


def test_a_429_without_retries_left_is_rate_limited_with_its_wait(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    url = server.route("/p", Reply(429, "", {"Retry-After": "120"}))
    with pytest.raises(RateLimited) as caught:
        make_client(retries=0).get(url)
    assert caught.value.wait_seconds == 120


@pytest.mark.parametrize("value", ["1.5", "straks"])
def test_an_unreadable_retry_after_falls_back_to_the_backoff(
    server: ScriptedServer, make_client: MakeClient, value: str
) -> None:
    url = server.route("/p", Reply(503, "", {"Retry-After": value}), Reply(200, "ok"))
    assert make_client().get(url).text == "ok"


def test_a_missing_page_is_not_retried_and_explained_in_dutch(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    with pytest.raises(HttpStatusError) as caught:
        make_client().get(server.url("/producten/bestaat-niet?sessie=123"))
    assert caught.value.status == 404
    assert len(server.requests) == 1
    explanation = caught.value.explain()
    assert "foutcode 404" in explanation
    assert "de pagina bestaat niet (meer)" in explanation
    assert "sessie" not in explanation


@pytest.mark.parametrize("length", [True, False], ids=["content-length", "no-content-length"])
def test_a_response_over_the_size_limit_is_refused(
    server: ScriptedServer, make_client: MakeClient, length: bool
) -> None:
    url = server.route("/export.csv", Reply(200, b"x" * 200_000, length=length))
    with pytest.raises(ResponseTooLarge) as caught:
        make_client(max_response_bytes=50_000).get(url)
    assert caught.value.limit == 50_000


def test_a_10_mb_body_is_refused_by_the_default_limit_without_reading_it_all(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    url = server.route("/dump", Reply(200, b"<p>" * 3_500_000, length=False))  # 10.5 MB
    client = make_client(max_response_bytes=HttpSettings().max_response_bytes)
    started = time.perf_counter()
    with pytest.raises(ResponseTooLarge) as caught:
        client.get(url)
    assert caught.value.limit == 5_000_000
    assert "5 MB" in caught.value.explain()
    assert time.perf_counter() - started < 5


def test_a_response_at_the_size_limit_is_read(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    url = server.route("/export.csv", Reply(200, b"x" * 50_000, length=False))
    assert len(make_client(max_response_bytes=50_000).get(url).content) == 50_000


def test_a_server_that_does_not_answer_in_time_is_a_fetch_error(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    url = server.route("/traag", Reply(200, "te laat", delay=1.5))
    started = time.monotonic()
    with pytest.raises(FetchError) as caught:
        make_client(timeout_seconds=0.5, retries=0).get(url)
    assert time.monotonic() - started < 1.4
    assert "geen antwoord binnen 0.5 seconden" in caught.value.explain()


def test_a_refused_connection_is_a_fetch_error(make_client: MakeClient) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(FetchError) as caught:
        make_client(retries=0).get(f"http://127.0.0.1:{port}/")
    assert "geen verbinding" in caught.value.explain()


def test_a_redirect_is_followed_and_counts_as_a_request(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    server.route("/oud", Reply(301, "", {"Location": "/nieuw"}))
    server.route("/nieuw", Reply(200, "verhuisd"))
    client = make_client()
    fetched = client.get(server.url("/oud"))
    assert fetched.text == "verhuisd"
    assert fetched.url == server.url("/nieuw")
    assert client.requests_made == {"127.0.0.1": 2}


def test_a_redirect_loop_is_a_fetch_error(server: ScriptedServer, make_client: MakeClient) -> None:
    server.route("/a", Reply(302, "", {"Location": "/b"}))
    server.route("/b", Reply(302, "", {"Location": "/a"}))
    with pytest.raises(FetchError) as caught:
        make_client().get(server.url("/a"))
    assert "doorverwijzingen" in caught.value.explain()
    assert len(server.requests) <= 6


def test_a_host_outside_the_configuration_is_never_contacted(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    client = make_client(allowed_hosts=("theelichtje.example",))
    with pytest.raises(HostNotAllowed):
        client.get(server.route("/p", Reply(200, "geheim")))
    assert server.requests == []
    assert client.requests_made == {}


def test_a_redirect_to_a_host_outside_the_configuration_is_not_followed(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    # "localhost" is the same server under a name the configuration does not allow.
    elsewhere = server.url("/buiten?token=abc", host="localhost")
    url = server.route("/p", Reply(302, "", {"Location": elsewhere}))
    with pytest.raises(HostNotAllowed) as caught:
        make_client(allowed_hosts=("127.0.0.1",)).get(url)
    assert caught.value.url == elsewhere
    assert [seen.host for seen in server.requests] == [f"127.0.0.1:{server.port}"]
    assert "token" not in caught.value.explain()


def test_the_request_budget_per_host_stops_further_requests(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    url = server.route("/p", Reply(200, "ok"))
    client = make_client(max_requests_per_host=2)
    client.get(url)
    client.get(url)
    with pytest.raises(RequestBudgetExceeded) as caught:
        client.get(url)
    assert len(server.requests) == 2
    assert caught.value.limit == 2
    assert "maximum van 2 verzoeken" in caught.value.explain()


def test_a_redirect_cannot_slip_past_the_request_budget(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    server.route("/oud", Reply(301, "", {"Location": "/nieuw"}))
    server.route("/nieuw", Reply(200, "verhuisd"))
    with pytest.raises(RequestBudgetExceeded):
        make_client(max_requests_per_host=1).get(server.url("/oud"))
    assert server.paths() == ["/oud"]


class FakeTime:
    """A clock that only moves when something sleeps (or the test says so)."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def test_requests_to_one_host_keep_the_minimum_delay(server: ScriptedServer) -> None:
    url = server.route("/p", Reply(200, "ok"))
    fake = FakeTime()
    settings = HttpSettings(api_min_delay_seconds=2.0, retries=0)
    client = HttpClient(settings, allowed_hosts=["127.0.0.1"], sleep=fake.sleep, clock=fake.clock)
    try:
        client.get(url)
        assert fake.sleeps == []  # the first request goes at once
        client.get(url)
        assert len(fake.sleeps) == 1
        assert 2.0 <= fake.sleeps[0] <= 2.5  # the delay plus at most 25 % jitter
        fake.now += 0.5
        client.get(url)
        assert 1.5 <= fake.sleeps[1] <= 2.0  # only what is left of the delay
        fake.now += 60
        client.get(url)
        assert len(fake.sleeps) == 2  # long enough ago: no wait
    finally:
        client.close()
    assert len(server.requests) == 4


# ---------------------------------------------------------------- robots.txt, POST, JSON


def test_a_public_page_disallowed_by_robots_txt_is_not_fetched(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    server.route(
        "/robots.txt",
        Reply(200, "User-agent: *\nDisallow: /review/\n", {"Content-Type": "text/plain"}),
    )
    url = server.route("/review/theelichtje.example", Reply(200, "<html></html>"))
    client = make_client()
    with pytest.raises(RobotsDisallowed) as caught:
        client.get(url, public=True)
    assert "robots.txt" in caught.value.explain()
    assert server.paths() == ["/robots.txt"]
    # An API call is no public page: robots.txt does not apply to it.
    assert client.get(url).status == 200


def test_robots_txt_is_read_once_per_site_and_our_agent_group_counts(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    rules = "User-agent: reviewwacht\nDisallow: /prive\n\nUser-agent: *\nDisallow: /\n"
    server.route("/robots.txt", Reply(200, rules, {"Content-Type": "text/plain"}))
    first = server.route("/producten/1", Reply(200, "a"))
    second = server.route("/producten/2", Reply(200, "b"))
    blocked = server.route("/prive/x", Reply(200, "c"))
    client = make_client()
    client.get(first, public=True)
    client.get(second, public=True)
    with pytest.raises(RobotsDisallowed):
        client.get(blocked, public=True)
    assert server.paths() == ["/robots.txt", "/producten/1", "/producten/2"]


def test_a_missing_robots_txt_allows_and_a_failing_one_forbids(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    page = server.route("/p", Reply(200, "ok"))
    assert make_client().get(page, public=True).text == "ok"  # 404 for robots.txt: allowed
    server.route("/robots.txt", Reply(503, "onderhoud"))
    with pytest.raises(RobotsDisallowed):
        make_client(retries=0).get(page, public=True)


def test_the_crawl_delay_of_robots_txt_is_kept_between_public_pages(server: ScriptedServer) -> None:
    server.route(
        "/robots.txt", Reply(200, "User-agent: *\nCrawl-delay: 5\n", {"Content-Type": "text/plain"})
    )
    url = server.route("/p", Reply(200, "ok"))
    fake = FakeTime()
    settings = HttpSettings(min_delay_seconds=1.0, api_min_delay_seconds=0.0, retries=0)
    client = HttpClient(settings, allowed_hosts=["127.0.0.1"], sleep=fake.sleep, clock=fake.clock)
    try:
        client.get(url, public=True)
        client.get(url, public=True)
    finally:
        client.close()
    # robots.txt goes first; every page after it keeps the Crawl-delay (plus jitter), not 1 s.
    assert len(fake.sleeps) == 2
    assert all(5.0 <= seconds <= 6.25 for seconds in fake.sleeps)


def test_a_crawl_delay_longer_than_a_run_can_wait_skips_the_host(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    server.route(
        "/robots.txt",
        Reply(200, "User-agent: *\nCrawl-delay: 3600\n", {"Content-Type": "text/plain"}),
    )
    url = server.route("/p", Reply(200, "ok"))
    with pytest.raises(RateLimited) as caught:
        make_client(max_retry_wait_seconds=60).get(url, public=True)
    assert caught.value.wait_seconds == 3600
    assert server.paths() == ["/robots.txt"]


def test_post_sends_form_data_and_basic_auth(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    url = server.route(
        "/oauth/token",
        Reply(200, '{"access_token": "t0k3n"}', {"Content-Type": "application/json"}),
    )
    fetched = make_client().post(url, data={"grant_type": "password"}, auth=("key", "secret"))
    assert fetched.json() == {"access_token": "t0k3n"}
    (seen,) = server.requests
    assert seen.method == "POST"
    assert seen.body == b"grant_type=password"
    assert seen.headers["Authorization"].startswith("Basic ")


def test_json_refuses_another_content_type_and_invalid_json(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    html = server.route("/api/html", Reply(200, "<html>Just a moment...</html>"))
    broken = server.route(
        "/api/broken", Reply(200, '{"reviews": [', {"Content-Type": "application/json"})
    )
    client = make_client()
    with pytest.raises(ParseError, match="verwachtte JSON maar kreeg text/html"):
        client.get(html).json()
    with pytest.raises(ParseError, match="geen geldige JSON"):
        client.get(broken).json()
