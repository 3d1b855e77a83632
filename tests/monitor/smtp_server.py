"""Local servers for the mail tests, on 127.0.0.1 at a free port, keeping what they receive: a real
SMTP server (aiosmtpd; optionally with login, implicit TLS or STARTTLS) and a chat webhook; and
rows stored the way production stores them."""

from __future__ import annotations

import contextlib
import json
import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from sqlalchemy import Engine, select
from sqlmodel import col

from monitor.config import Settings, SourceConfig
from monitor.db import session_scope
from monitor.ingest import upsert_reviews
from monitor.models import Review, utcnow
from monitor.queries import ensure_shop, ensure_sources, save_scores
from scrapers.file import FileSettings
from scrapers.records import RawReview

USER = "winkel@testwinkel.example"
PASSWORD = "Pollepel-geheim-9731"


# ---------------------------------------------------------------- SMTP


@dataclass
class Received:
    """One message as the server got it: the envelope and the parsed message."""

    sender: str
    recipients: list[str]
    message: EmailMessage


@dataclass
class SmtpServer:
    host: str
    port: int
    received: list[Received] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)  # recipients answered with 550
    logins: list[str] = field(default_factory=list)


class _Handler:
    def __init__(self, server: SmtpServer) -> None:
        self.server = server

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.server.refuse:
            return "550 5.1.1 Onbekende ontvanger"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = BytesParser(policy=policy.default).parsebytes(envelope.content)
        self.server.received.append(
            Received(envelope.mail_from, list(envelope.rcpt_tos), message)  # type: ignore[arg-type]
        )
        return "250 Bericht aangenomen"


class _AnyPortController(Controller):
    """aiosmtpd's Controller, listening on the port the system picks when given port 0."""

    def _trigger_server(self) -> None:
        assert self.server is not None
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


@dataclass(frozen=True)
class Tls:
    cert: Path
    key: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert, self.key)
        return context

    def client_context(self) -> ssl.SSLContext:
        """A verifying client context that trusts this certificate (and nothing else)."""
        return ssl.create_default_context(cafile=str(self.cert))


def make_certificate(folder: Path) -> Tls | None:
    """A self-signed certificate for 127.0.0.1 and localhost; None without the openssl tool."""
    openssl = shutil.which("openssl")
    if openssl is None:
        return None
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-days", "2", "-subj", "/CN=localhost", "-keyout", str(key), "-out", str(cert),
         "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
        check=True, capture_output=True,
    )  # fmt: skip
    return Tls(cert=cert, key=key)


def free_port() -> int:
    """A port nothing listens on (connections to it are refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def smtp_server(
    *,
    port: int = 0,
    login: tuple[str, str] | None = None,
    tls: Tls | None = None,
    starttls: bool = False,
) -> Iterator[SmtpServer]:
    """A running SMTP server. ``login``: (user, password) it requires; ``tls``: implicit TLS with
    this certificate, or with ``starttls`` STARTTLS (required before anything else)."""
    server = SmtpServer(host="127.0.0.1", port=port)
    kwargs: dict[str, Any] = {}
    if login is not None:

        def authenticate(smtp, session, envelope, mechanism, auth_data):  # type: ignore[no-untyped-def]
            assert isinstance(auth_data, LoginPassword)
            user, password = auth_data.login.decode(), auth_data.password.decode()
            server.logins.append(user)
            return AuthResult(success=(user, password) == login, handled=False)

        kwargs.update(authenticator=authenticate, auth_require_tls=tls is not None)
    if tls is not None and starttls:
        kwargs.update(tls_context=tls.server_context(), require_starttls=True)
    elif tls is not None:
        kwargs.update(ssl_context=tls.server_context())
    controller = _AnyPortController(_Handler(server), hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    server.port = controller.port
    try:
        yield server
    finally:
        controller.stop()


@contextlib.contextmanager
def silent_server() -> Iterator[int]:
    """A port that accepts connections and then says nothing (an SMTP client times out)."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield listener.getsockname()[1]


def mail_settings(server: SmtpServer | int, **mail: Any) -> dict[str, Any]:
    """The ``[mail]`` section for a test server (plain SMTP on 127.0.0.1 unless overridden)."""
    port = server if isinstance(server, int) else server.port
    return {
        "host": "127.0.0.1",
        "port": port,
        "security": "none",
        "from_address": "service@testwinkel.example",
        "timeout_seconds": 5,
        **mail,
    }


# ---------------------------------------------------------------- webhook


@dataclass
class WebhookServer:
    url: str
    posts: list[dict[str, Any]] = field(default_factory=list)
    status: int = 200


@contextlib.contextmanager
def webhook_server(path: str = "/hooks/T000/B000/geheim-token-123") -> Iterator[WebhookServer]:
    """A chat webhook on 127.0.0.1 that keeps every JSON body posted to it."""
    hook = WebhookServer(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            hook.posts.append(
                {
                    "path": self.path,
                    "content_type": self.headers.get("Content-Type"),
                    "json": json.loads(self.rfile.read(length)),
                }
            )
            self.send_response(hook.status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    hook.url = f"http://127.0.0.1:{httpd.server_address[1]}{path}"
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield hook
    finally:
        httpd.shutdown()
        httpd.server_close()


# ---------------------------------------------------------------- stored rows


def store(
    engine: Engine,
    settings: Settings,
    records: Sequence[RawReview],
    *,
    scores: dict[str, tuple[str, float]] | None = None,
    label: str = "kiyoh-export",
) -> dict[str, Review]:
    """Store ``records`` as the collect stage does, and score each as the score stage does with
    the given (kind, text_score) by external id (default: ("other", 0.0)). Returns the stored
    reviews by external id."""
    scores = scores or {}
    config = SourceConfig(label=label, type="file", enabled=True, settings=FileSettings(path="x"))
    with session_scope(engine) as session:
        shop_id = ensure_shop(session=session, settings=settings).id
        assert shop_id is not None
        source_id = ensure_sources(session=session, shop_id=shop_id, sources=[config])[label]
        upsert_reviews(session=session, source_id=source_id, records=records)
        session.flush()
        external_ids = [record.external_id for record in records]
        stored = {
            review.external_id: review
            for review in session.exec(
                select(Review).where(
                    Review.source_id == source_id, col(Review.external_id).in_(external_ids)
                )
            ).scalars()
        }
        rows = []
        for review in stored.values():
            kind, text_score = scores.get(review.external_id, ("other", 0.0))
            rows.append({
                "review_id": review.id, "content_hash": review.content_hash,
                "label": "negative" if text_score < -0.15 else "neutral", "score": text_score,
                "confidence": 0.9, "text_score": text_score, "rating_score": None,
                "disagreement": False, "language": "nl", "kind": kind, "aspects": {},
                "model": "test", "created_at": utcnow(),
            })  # fmt: skip
        save_scores(session=session, rows=rows)
        session.commit()
        return stored
