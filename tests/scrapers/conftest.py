"""Fixtures for the scraper tests: saved pages, and a scripted HTTP server on 127.0.0.1."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from scrapers.base import Batch, Collector, Stored
from scrapers.http import HttpClient, HttpSettings

PAGES = Path(__file__).resolve().parent.parent / "pages"

MakeClient = Callable[..., HttpClient]


@pytest.fixture
def pages() -> Path:
    """The folder with saved pages, files and mails (tests/pages)."""
    return PAGES


@dataclass(frozen=True)
class Reply:
    """One scripted answer: status, headers, body; ``delay`` seconds before answering, and
    ``length=False`` to leave out Content-Length (the body then ends when the connection closes)."""

    status: int = 200
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    length: bool = True


@dataclass(frozen=True)
class Seen:
    """A request as the server received it."""

    path: str
    host: str
    user_agent: str
    method: str = "GET"
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


class ScriptedServer:
    """Answers each path with its scripted replies in turn (the last one repeats); 404 otherwise.
    A route may include the query string exactly as the client sends it (``/r?page=2``)."""

    def __init__(self) -> None:
        self.routes: dict[str, list[Reply]] = {}
        self.requests: list[Seen] = []
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def route(self, path: str, *replies: Reply) -> str:
        """Script the answers for ``path``; returns its URL."""
        self.routes[path] = list(replies)
        return self.url(path)

    def paths(self) -> list[str]:
        return [seen.path for seen in self.requests]

    def _next(self, path: str) -> Reply:
        with self._lock:
            replies = self.routes.get(path)
            if not replies:
                return Reply(404, "<h1>Pagina niet gevonden</h1>")
            return replies.pop(0) if len(replies) > 1 else replies[0]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.do_GET()

            def do_GET(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                server.requests.append(
                    Seen(
                        self.path,
                        self.headers.get("Host", ""),
                        self.headers.get("User-Agent", ""),
                        method=self.command,
                        body=self.rfile.read(length) if length else b"",
                        headers=dict(self.headers.items()),
                    )
                )
                # A route with a query ("/reviews?page=2") wins over the bare path.
                path = self.path if self.path in server.routes else self.path.split("?", 1)[0]
                reply = server._next(path)
                if reply.delay:
                    time.sleep(reply.delay)
                body = reply.body.encode() if isinstance(reply.body, str) else reply.body
                try:
                    self.send_response(reply.status)
                    headers = {"Content-Type": "text/html; charset=utf-8", **reply.headers}
                    for name, value in headers.items():
                        self.send_header(name, value)
                    if reply.length:
                        self.send_header("Content-Length", str(len(body)))
                    self.send_header("Connection", "close")
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass  # the client gave up (time-out, size limit): that is the point

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    """A scripted HTTP server on 127.0.0.1 with a free port."""
    scripted = ScriptedServer()
    yield scripted
    scripted.close()


@pytest.fixture
def make_client() -> Iterator[MakeClient]:
    """Builds an HttpClient the way production does, with quick test settings; closes them after."""
    made: list[HttpClient] = []

    def make(*, allowed_hosts: tuple[str, ...] = ("127.0.0.1",), **overrides: object) -> HttpClient:
        settings = HttpSettings(
            **{
                "user_agent": "reviewwacht-test/1.0 (+https://depollepel.example/bot)",
                "timeout_seconds": 5.0,
                "min_delay_seconds": 0.0,
                "api_min_delay_seconds": 0.0,
                "backoff_seconds": 0.01,
                **overrides,
            }
        )
        client = HttpClient(settings, allowed_hosts=allowed_hosts)
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


# ---------------------------------------------------------------- driving a collector

_UNSET: Any = object()


class FakeStore:
    """Knows reviews by id and content, as the store does, says what a batch held, and keeps
    the cursor a committed batch carried (as the collect stage saves it)."""

    def __init__(self) -> None:
        self.rows: dict[str, tuple[Any, ...]] = {}
        self.cursor: str | None = None

    def store(self, batch: Batch) -> Stored:
        if batch.cursor is not None:
            self.cursor = batch.cursor
        new = updated = unchanged = 0
        for record in batch.records:
            content = (record.title, record.text, record.rating, record.reply_text)
            before = self.rows.get(record.external_id)
            if before is None:
                new += 1
            elif before != content:
                updated += 1
            else:
                unchanged += 1
            self.rows[record.external_id] = content
        return Stored(new=new, updated=updated, unchanged=unchanged)


def drive(
    collector: Collector,
    store: FakeStore,
    *,
    cursor: str | None = _UNSET,
    full: bool = False,
    into: list[Batch] | None = None,
    stop_after: int | None = None,
) -> list[Batch]:
    """Run ``collect`` the way the collect stage does: store each batch and send back what was
    stored. The cursor is the store's own unless given; ``into`` collects the batches even when
    the run raises; ``stop_after`` batches breaks the run off (a crash after that commit)."""
    batches = [] if into is None else into
    gen = collector.collect(cursor=store.cursor if cursor is _UNSET else cursor, full=full)
    stored: Stored | None = None
    while True:
        try:
            batch = gen.send(stored)
        except StopIteration:
            return batches
        batches.append(batch)
        stored = store.store(batch)
        if stop_after is not None and len(batches) == stop_after:
            gen.close()
            return batches
