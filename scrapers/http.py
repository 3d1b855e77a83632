"""The one HTTP client of all collectors: time-outs, polite pacing, capped retries, size limits."""

from __future__ import annotations

import codecs
import json
import logging
import random
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import InvalidHeader, ReadTimeoutError
from urllib3.util.retry import Retry

from scrapers.errors import (
    FetchError,
    HostNotAllowed,
    HttpStatusError,
    ParseError,
    RateLimited,
    RequestBudgetExceeded,
    ResponseTooLarge,
    RobotsDisallowed,
    short_url,
)

logger = logging.getLogger(__name__)

RETRY_STATUSES = (429, 500, 502, 503, 504)


@dataclass(frozen=True, slots=True)
class HttpSettings:
    """How politely and how patiently to fetch."""

    user_agent: str = "reviewwacht/0.1"
    robots_agent: str = "reviewwacht"
    timeout_seconds: float = 20.0
    max_response_bytes: int = 5_000_000
    min_delay_seconds: float = 1.0  # between public pages on one host (robots may ask more)
    api_min_delay_seconds: float = 0.2  # between API calls on one host
    max_requests_per_host: int = 500
    max_retry_wait_seconds: float = 180.0  # also the longest Crawl-delay honoured
    retries: int = 3
    backoff_seconds: float = 1.0


class _RetryAfterTooLong(Exception):
    def __init__(self, seconds: float) -> None:
        super().__init__(seconds)
        self.seconds = seconds


class CappedRetry(Retry):
    """urllib3's Retry, but a ``Retry-After`` beyond ``max_retry_after`` seconds is not waited out
    (urllib3 would wait up to six hours); the request fails so the host can be skipped this run."""

    max_retry_after: float = 180.0

    def new(self, **kw: Any) -> CappedRetry:
        retry = super().new(**kw)
        retry.max_retry_after = self.max_retry_after
        return retry

    def get_retry_after(self, response: Any) -> float | None:
        try:
            seconds = super().get_retry_after(response)
        except InvalidHeader:  # "1.5" or "soon": fall back to the backoff
            return None
        if seconds is not None and seconds > self.max_retry_after:
            raise _RetryAfterTooLong(seconds)
        return seconds


@dataclass(frozen=True, slots=True)
class Fetched:
    """A response that was read completely and had a success status."""

    url: str
    status: int
    headers: Mapping[str, str]
    content: bytes
    encoding: str | None

    @property
    def text(self) -> str:
        return self.content.decode(self.encoding or "utf-8", errors="replace")

    def json(self) -> Any:
        """The body as JSON, or a ParseError when it is not (a login page, bot protection)."""
        content_type = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if content_type and "json" not in content_type:
            detail = f"verwachtte JSON maar kreeg {content_type}"
            raise ParseError(short_url(self.url), detail)
        try:
            return json.loads(self.content.decode(self.encoding or "utf-8", errors="replace"))
        except (ValueError, RecursionError):  # JSONDecodeError, or a 5,000-digit number
            raise ParseError(short_url(self.url), "geen geldige JSON") from None


class HttpClient:
    """Fetches one request at a time, only to ``allowed_hosts``, at most ``max_requests_per_host``
    per run and host, spaced per host (plus jitter): public pages ``min_delay_seconds`` apart or
    what robots.txt's Crawl-delay asks, API calls ``api_min_delay_seconds``. Public pages are
    fetched only where robots.txt allows it."""

    def __init__(
        self,
        settings: HttpSettings,
        *,
        allowed_hosts: Iterable[str] = (),
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings
        self.allowed_hosts = {host.lower() for host in allowed_hosts}
        self._sleep = sleep
        self._clock = clock
        self._last_request: dict[str, float] = {}
        self._delay: dict[str, float] = {}
        self._robots: dict[str, RobotFileParser] = {}
        self.requests_made: dict[str, int] = {}
        self.session = self._build_session()

    def _build_session(self) -> requests.Session:
        retry = CappedRetry(
            total=self.settings.retries,
            connect=self.settings.retries,
            read=self.settings.retries,
            status=self.settings.retries,
            backoff_factor=self.settings.backoff_seconds,
            backoff_jitter=self.settings.backoff_seconds / 2,
            status_forcelist=RETRY_STATUSES,
            # PUT is idempotent (sending it twice leaves one result), so it is retried like GET;
            # POST is not: the server may have processed it before the failure.
            allowed_methods=frozenset({"GET", "HEAD", "PUT"}),
            respect_retry_after_header=True,
            raise_on_status=False,
        )
        retry.max_retry_after = self.settings.max_retry_wait_seconds
        session = requests.Session()
        adapter = HTTPAdapter(max_retries=retry)
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        session.headers["User-Agent"] = self.settings.user_agent
        session.max_redirects = 5
        session.hooks["response"].append(self._check_redirect)
        return session

    def _check_redirect(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        """Response hook: a redirect target is checked and paced like a request before it is
        followed, so a redirect never reaches a host outside the configuration."""
        target = self.session.get_redirect_target(response)
        if target is None:
            return
        try:
            host = self._check_host(urljoin(response.url, target))
            self._pace(host, self._delay.get(host, self.settings.api_min_delay_seconds))
        except ValueError:
            return  # a malformed address: requests refuses it itself (InvalidURL)
        except (HostNotAllowed, RequestBudgetExceeded):
            response.close()
            raise

    def close(self) -> None:
        self.session.close()

    def _check_host(self, url: str) -> str:
        host = (urlsplit(url).hostname or "").lower()
        if host not in self.allowed_hosts:
            raise HostNotAllowed(url)
        return host

    def _pace(self, host: str, delay: float) -> None:
        used = self.requests_made.get(host, 0)
        if used >= self.settings.max_requests_per_host:
            raise RequestBudgetExceeded(host, self.settings.max_requests_per_host)
        self.requests_made[host] = used + 1
        self._delay[host] = delay
        last = self._last_request.get(host)
        if last is not None and delay > 0:
            wait = last + delay * (1 + random.uniform(0, 0.25)) - self._clock()
            if wait > 0:
                self._sleep(wait)
        self._last_request[host] = self._clock()

    def _robots_for(self, url: str) -> RobotFileParser:
        """The robots.txt rules of the URL's site, fetched once per run (RFC 9309: a missing
        file allows everything; a server error or no answer allows nothing)."""
        parts = urlsplit(url)
        site = f"{parts.scheme}://{parts.netloc}"
        rules = self._robots.get(site)
        if rules is None:
            rules = RobotFileParser(f"{site}/robots.txt")
            try:
                fetched = self._request(
                    "GET", f"{site}/robots.txt", delay=self.settings.min_delay_seconds
                )
                rules.parse(fetched.text.splitlines())
            except HttpStatusError as exc:
                if exc.status >= 500:
                    rules.disallow_all = True
                else:
                    rules.allow_all = True
            except (FetchError, RateLimited):
                rules.disallow_all = True
            self._robots[site] = rules
        return rules

    def _public_delay(self, url: str) -> float:
        """Check robots.txt for ``url``; the delay to keep before fetching it."""
        rules = self._robots_for(url)
        agent = self.settings.robots_agent
        if not rules.can_fetch(agent, url):
            raise RobotsDisallowed(url)
        crawl_delay = rules.crawl_delay(agent)
        if crawl_delay is not None and float(crawl_delay) > self.settings.max_retry_wait_seconds:
            raise RateLimited(url, float(crawl_delay))
        return max(self.settings.min_delay_seconds, float(crawl_delay or 0))

    def get(
        self,
        url: str,
        *,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        public: bool = False,
    ) -> Fetched:
        """GET ``url`` and read the whole body, or raise a typed ``SourceError``. A ``public``
        page (not an API) is fetched only when robots.txt allows, at the pace it asks."""
        self._check_host(url)
        delay = self._public_delay(url) if public else self.settings.api_min_delay_seconds
        return self._request("GET", url, params=params, headers=headers, delay=delay)

    def post(
        self,
        url: str,
        *,
        data: Mapping[str, str] | None = None,
        json_body: Any = None,
        headers: Mapping[str, str] | None = None,
        auth: tuple[str, str] | None = None,
    ) -> Fetched:
        """POST to an API (a token request, say); not retried on a server error, as it may
        have been processed."""
        return self._request(
            "POST", url, data=data, json_body=json_body, headers=headers, auth=auth,
            delay=self.settings.api_min_delay_seconds,
        )  # fmt: skip

    def put(
        self,
        url: str,
        *,
        json_body: Any,
        headers: Mapping[str, str] | None = None,
    ) -> Fetched:
        """PUT a JSON body to an API (a reply that replaces the previous one, say); idempotent,
        so retried on a server error, a 429 or a dropped connection like a GET."""
        return self._request(
            "PUT", url, json_body=json_body, headers=headers,
            delay=self.settings.api_min_delay_seconds,
        )  # fmt: skip

    def _request(
        self,
        method: str,
        url: str,
        *,
        delay: float,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        data: Mapping[str, str] | None = None,
        json_body: Any = None,
        auth: tuple[str, str] | None = None,
    ) -> Fetched:
        host = self._check_host(url)
        self._pace(host, delay)
        logger.debug("%s %s", method, short_url(url))
        try:
            response = self.session.request(
                method,
                url,
                params=params,
                headers=headers,
                data=data,
                json=json_body,
                auth=auth,
                timeout=self.settings.timeout_seconds,
                stream=True,
            )
        except _RetryAfterTooLong as exc:
            raise RateLimited(url, exc.seconds) from None
        except requests.TooManyRedirects:
            raise FetchError(url, "te veel doorverwijzingen") from None
        except (requests.Timeout, requests.ConnectionError) as exc:
            if isinstance(exc, requests.Timeout) or _timed_out(exc):
                seconds = f"{self.settings.timeout_seconds:g}"
                raise FetchError(url, f"geen antwoord binnen {seconds} seconden") from None
            raise FetchError(url, "geen verbinding") from None
        except requests.RequestException as exc:
            raise FetchError(url, type(exc).__name__) from None
        with response:
            self._check_host(response.url)
            if response.status_code == 429:
                raise RateLimited(url, _retry_after_seconds(response.headers))
            if response.status_code >= 400:
                raise HttpStatusError(url, response.status_code, body=_error_body(response))
            content = self._read_limited(url, response)
            return Fetched(
                url=response.url,
                status=response.status_code,
                headers=dict(response.headers),
                content=content,
                encoding=_charset(response),
            )

    def _read_limited(self, url: str, response: requests.Response) -> bytes:
        limit = self.settings.max_response_bytes
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > limit:
            raise ResponseTooLarge(url, limit)
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in response.iter_content(chunk_size=65536):
                size += len(chunk)
                if size > limit:
                    raise ResponseTooLarge(url, limit)
                chunks.append(chunk)
        except requests.RequestException:
            raise FetchError(url, "de verbinding viel weg tijdens het lezen") from None
        return b"".join(chunks)


def _charset(response: requests.Response) -> str | None:
    """The charset the Content-Type names, or None when it names none or an unknown one."""
    if "charset" not in response.headers.get("Content-Type", "").lower() or not response.encoding:
        return None
    try:
        return codecs.lookup(response.encoding).name
    except LookupError:
        return None


def _timed_out(exc: requests.ConnectionError) -> bool:
    """True when requests reports a read time-out after the retries as a connection error."""
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(reason, ReadTimeoutError)


def _retry_after_seconds(headers: Mapping[str, str]) -> float | None:
    value = headers.get("Retry-After", "").strip()
    return float(value) if value.isdigit() else None


def _error_body(response: requests.Response) -> str:
    """The first 2 KB of an error response, as text (for telling errors apart, never shown)."""
    try:
        head = next(response.iter_content(chunk_size=2048), b"")
    except requests.RequestException:
        return ""
    return head[:2048].decode("utf-8", errors="replace")
