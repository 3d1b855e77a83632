"""A fake of the reply APIs of Trustpilot, Kiyoh/Klantenvertellen and Google on 127.0.0.1.

It speaks each API as far as reviewwacht uses it, checks the credentials it hands out, and can be
told to fail::

    with FakePlatform() as fake:
        settings = TrustpilotSettings(**fake.settings("trustpilot"))   # or "kiyoh", "google"
        http = HttpClient(HttpSettings(), allowed_hosts={"127.0.0.1"})
        poster = TrustpilotReplyPoster(settings, http=http, label="Trustpilot")
        poster.post_reply("rev-1", "Dank u wel!")
        assert fake.replies == [("trustpilot", "rev-1", "Dank u wel!")]

        fake.fail_next(500)          # the next reply request answers 500; nothing is recorded
        fake.fail_next(429, count=2, retry_after=1)
        fake.fail_next(401, kind="token")
        fake.accept_then_fail()      # the next reply is recorded, then the connection drops
        fake.accept_then_fail(500)   # ... recorded, then answered 500 (a crash after accepting)
        fake.remove_review("rev-2")  # rev-2 answers 404 from now on, on every platform

``settings(platform, folder=...)`` gives the source settings (as in the config) that point at the
fake; Google needs ``folder``, where it writes the credentials file. Google's ``api_url`` and
``token_url`` must be https except on 127.0.0.1 and localhost, so the fake works for Google as is.

What is recorded:
- ``replies``: every reply the fake accepted, in order, as ``(platform, review_id, text)``, with
  ``platform`` the API spoken: "trustpilot", "kiyoh" (Klantenvertellen too) or "google". A
  second Trustpilot POST for one review is recorded too (and both show, as on a platform that
  does not replace), so a test can prove nothing was posted twice.
- ``reply_of(platform, review_id)``: the reply the review shows now (the last one accepted).
- ``requests``: every request, failed ones too, as ``Request`` (method, path, headers, body,
  platform, kind; ``.json()``).

Request kinds, for scripting: "token" (the OAuth token requests), "reply" (Trustpilot's POST,
Kiyoh's and Google's PUT), "read" (Trustpilot's and Google's GET of one review, Kiyoh's review
list) or "any". Scripted faults apply to the next matching requests, in the order given.

Paths: Trustpilot ``/v1/oauth/oauth-business-users-for-applications/accesstoken``,
``POST /v1/private/reviews/{id}/reply`` (201), ``GET /v1/reviews/{id}`` (``companyReply``);
Kiyoh ``PUT /v1/publication/review/response``, ``GET /v1/publication/review/external`` (lists
the reviews replied to and those given to ``add_kiyoh_review``); Google ``POST /token``,
``GET /v4/accounts/{a}/locations/{l}/reviews/{id}`` and ``PUT .../reviews/{id}/reply``. Every
review id exists unless removed.
"""

from __future__ import annotations

import base64
import json
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Literal
from urllib.parse import parse_qs, unquote, urlsplit

Kind = Literal["token", "reply", "read", "any"]

# The credentials the fake accepts (``settings`` fills them in).
API_KEY = "fake-tp-apikey-4711"
API_SECRET = "fake-tp-secret-0815"
USERNAME = "beheer@depollepel.example"
PASSWORD = "fake-tp-wachtwoord-1234"
BUSINESS_USER_ID = "5f1e0c0ffee0123456789abc"
TRUSTPILOT_TOKEN = "fake-tp-access-token-42"
KIYOH_TOKEN = "fake-kiyoh-token-9876"
KIYOH_LOCATION = "1050449"
GOOGLE_CLIENT_ID = "123-fake.apps.googleusercontent.com"
GOOGLE_CLIENT_SECRET = "GOCSPX-fake-client-secret"
GOOGLE_REFRESH_TOKEN = "1//fake-refresh-token"
GOOGLE_TOKEN = "ya29.fake-access-token"
GOOGLE_ACCOUNT, GOOGLE_LOCATION = "111222333", "444555666"
SECRETS = (
    API_KEY,
    API_SECRET,
    PASSWORD,
    TRUSTPILOT_TOKEN,
    KIYOH_TOKEN,
    GOOGLE_CLIENT_SECRET,
    GOOGLE_REFRESH_TOKEN,
    GOOGLE_TOKEN,
)

TP_TOKEN_PATH = "/v1/oauth/oauth-business-users-for-applications/accesstoken"
TP_REPLY = re.compile(r"/v1/private/reviews/([^/]+)/reply\Z")
TP_REVIEW = re.compile(r"/v1/reviews/([^/]+)\Z")
KIYOH_RESPONSE = "/v1/publication/review/response"
KIYOH_LIST = "/v1/publication/review/external"
GOOGLE_TOKEN_PATH = "/token"
GOOGLE_REVIEW = re.compile(r"/v4/accounts/([^/]+)/locations/([^/]+)/reviews/([^/]+)(/reply)?\Z")


@dataclass(frozen=True)
class Request:
    """A request as the fake received it, with the platform and kind it was taken for."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    platform: str
    kind: str

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class _Fault:
    kind: str
    platform: str | None
    status: int | None  # None: drop the connection without an answer
    accept: bool  # handle the request first (record the reply), then fail
    delay: float
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)

    def matches(self, kind: str, platform: str) -> bool:
        return self.kind in ("any", kind) and self.platform in (None, platform)


@dataclass
class _Answer:
    status: int
    body: Any = None  # JSON, or None for an empty body
    headers: dict[str, str] = field(default_factory=dict)


class FakePlatform:
    """The fake server; see the module docstring. Use it as a context manager or ``close()``."""

    def __init__(self) -> None:
        self.replies: list[tuple[str, str, str]] = []
        self.requests: list[Request] = []
        self._current: dict[tuple[str, str], str] = {}
        self._gone: set[str] = set()
        self._kiyoh_reviews: dict[str, str] = {}
        self._faults: list[_Fault] = []
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()

    # ------------------------------------------------------------ the test's side

    def settings(self, platform: str, *, folder: Path | None = None) -> dict[str, Any]:
        """Source settings that point ``platform`` at the fake ("trustpilot", "kiyoh",
        "klantenvertellen", "google"; Google writes its credentials file into ``folder``)."""
        if platform == "trustpilot":
            return {
                "domain": "depollepel.nl",
                "site_url": self.url,
                "api_url": f"{self.url}/v1",
                "api_key": API_KEY,
                "api_secret": API_SECRET,
                "username": USERNAME,
                "password": PASSWORD,
                "business_user_id": BUSINESS_USER_ID,
            }
        if platform in ("kiyoh", "klantenvertellen"):
            return {"location_id": KIYOH_LOCATION, "token": KIYOH_TOKEN, "base_url": self.url}
        if platform == "google":
            if folder is None:
                raise ValueError("Google needs a folder for its credentials file")
            path = Path(folder) / "google-inlog.json"
            credentials = {
                "type": "authorized_user",
                "client_id": GOOGLE_CLIENT_ID,
                "client_secret": GOOGLE_CLIENT_SECRET,
                "refresh_token": GOOGLE_REFRESH_TOKEN,
            }
            path.write_text(json.dumps(credentials), encoding="utf-8")
            return {
                "credentials_file": str(path),
                "account_id": GOOGLE_ACCOUNT,
                "location_id": GOOGLE_LOCATION,
                "api_url": f"{self.url}/v4",
                "token_url": f"{self.url}{GOOGLE_TOKEN_PATH}",
            }
        raise ValueError(f"no fake for {platform!r}")

    def fail_next(
        self,
        status: int | None = 500,
        count: int = 1,
        *,
        kind: Kind = "reply",
        platform: str | None = None,
        body: Any = None,
        retry_after: float | None = None,
        delay: float = 0.0,
    ) -> None:
        """The next ``count`` requests of ``kind`` (on ``platform``, or any) answer ``status``
        without being handled (None: the connection drops unanswered), after ``delay`` seconds.
        ``body`` (JSON, or text) defaults to ``{"message": "..."}``."""
        if body is None:
            body = {"message": f"scripted failure {status}"}
        raw = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        headers = {"Retry-After": f"{retry_after:g}"} if retry_after is not None else {}
        with self._lock:
            for _ in range(count):
                self._faults.append(_Fault(kind, platform, status, False, delay, raw, headers))

    def accept_then_fail(
        self,
        status: int | None = None,
        count: int = 1,
        *,
        kind: Kind = "reply",
        platform: str | None = None,
        delay: float = 0.0,
    ) -> None:
        """The next ``count`` requests of ``kind`` are handled (a reply is recorded), then, after
        ``delay`` seconds, the connection drops unanswered (``status`` None) or ``status`` is
        answered: the platform accepted but reviewwacht never heard. A ``delay`` longer than the
        client's time-out makes a time-out."""
        with self._lock:
            for _ in range(count):
                fault = _Fault(kind, platform, status, True, delay, b'{"message": "kapot"}')
                self._faults.append(fault)

    def remove_review(self, review_id: str) -> None:
        """The review is gone: every request about it answers 404 from now on."""
        with self._lock:
            self._gone.add(review_id)

    def add_kiyoh_review(self, review_id: str, *, reply: str | None = None) -> None:
        """A review on Kiyoh's list (which shows the reviews replied to and these)."""
        with self._lock:
            self._kiyoh_reviews[review_id] = "Snelle levering, prima pan."
            if reply is not None:
                self._current["kiyoh", review_id] = reply

    def reply_of(self, platform: str, review_id: str) -> str | None:
        """The reply the review shows now, None when it has none."""
        with self._lock:
            return self._current.get((platform, review_id))

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> FakePlatform:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------ the platforms' side

    def _classify(self, method: str, path: str) -> tuple[str, str]:
        if path in (TP_TOKEN_PATH, GOOGLE_TOKEN_PATH):
            return ("trustpilot" if path == TP_TOKEN_PATH else "google"), "token"
        if TP_REPLY.match(path) or TP_REVIEW.match(path):
            return "trustpilot", "reply" if method == "POST" else "read"
        if path in (KIYOH_RESPONSE, KIYOH_LIST):
            return "kiyoh", "reply" if path == KIYOH_RESPONSE else "read"
        match = GOOGLE_REVIEW.match(path)
        if match:
            return "google", "reply" if match.group(4) else "read"
        return "unknown", "unknown"

    def _take_fault(self, kind: str, platform: str) -> _Fault | None:
        with self._lock:
            for index, fault in enumerate(self._faults):
                if fault.matches(kind, platform):
                    return self._faults.pop(index)
        return None

    def _accept(self, platform: str, review_id: str, text: str) -> None:
        with self._lock:
            self.replies.append((platform, review_id, text))
            self._current[platform, review_id] = text

    def _is_gone(self, review_id: str) -> bool:
        with self._lock:
            return review_id in self._gone

    def _handle(self, request: Request) -> _Answer:
        parts = urlsplit(request.path)
        path, query, headers = parts.path, parse_qs(parts.query), request.headers
        bearer = headers.get("Authorization", "")
        if path == TP_TOKEN_PATH:
            return self._trustpilot_token(request)
        if path == GOOGLE_TOKEN_PATH:
            return self._google_token(request)
        if match := TP_REPLY.match(path):
            if request.method != "POST":
                return _Answer(405, {"message": "Method not allowed"})
            if bearer != f"Bearer {TRUSTPILOT_TOKEN}":
                return _Answer(401, {"message": "Unauthorized"})
            return self._trustpilot_reply(unquote(match.group(1)), request)
        if match := TP_REVIEW.match(path):
            if headers.get("apikey") != API_KEY:
                return _Answer(401, {"message": "Invalid ApiKey"})
            review_id = unquote(match.group(1))
            if self._is_gone(review_id):
                return _Answer(404, {"message": "Review not found"})
            reply = self.reply_of("trustpilot", review_id)
            company = {"text": reply, "createdAt": _now()} if reply is not None else None
            review = {"id": review_id, "stars": 4, "text": "Prima winkel.", "companyReply": company}
            return _Answer(200, review)
        if path in (KIYOH_RESPONSE, KIYOH_LIST):
            if headers.get("X-Publication-Api-Token") != KIYOH_TOKEN:
                error = {"errorCode": "INVALID_TOKEN", "detailedError": [{"message": "Bad token"}]}
                return _Answer(401, error)
            if path == KIYOH_LIST:
                return self._kiyoh_list(query)
            return self._kiyoh_reply(request)
        if match := GOOGLE_REVIEW.match(path):
            if bearer != f"Bearer {GOOGLE_TOKEN}":
                return _Answer(401, _google_error(401, "Request had invalid credentials."))
            if (match.group(1), match.group(2)) != (GOOGLE_ACCOUNT, GOOGLE_LOCATION):
                return _Answer(403, _google_error(403, "The caller does not have permission"))
            review_id = unquote(match.group(3))
            if self._is_gone(review_id):
                return _Answer(404, _google_error(404, "Requested entity was not found."))
            if match.group(4):
                return self._google_reply(review_id, request)
            return _Answer(200, self._google_review(review_id))
        return _Answer(404, {"message": "Not found"})

    def _trustpilot_token(self, request: Request) -> _Answer:
        basic = base64.b64encode(f"{API_KEY}:{API_SECRET}".encode()).decode()
        form = parse_qs(request.body.decode())
        wanted = {"grant_type": ["password"], "username": [USERNAME], "password": [PASSWORD]}
        if request.headers.get("Authorization") != f"Basic {basic}" or form != wanted:
            return _Answer(401, {"fault": {"faultstring": "Invalid client credentials"}})
        return _Answer(200, {"access_token": TRUSTPILOT_TOKEN, "expires_in": "359999"})

    def _trustpilot_reply(self, review_id: str, request: Request) -> _Answer:
        if self._is_gone(review_id):
            return _Answer(404, {"message": "Review not found"})
        body = _json_or_none(request.body)
        message = body.get("message") if isinstance(body, dict) else None
        author = body.get("authorBusinessUserId") if isinstance(body, dict) else None
        if not isinstance(message, str) or not message.strip() or author != BUSINESS_USER_ID:
            return _Answer(400, {"message": "message and authorBusinessUserId are required"})
        self._accept("trustpilot", review_id, message)
        return _Answer(201)

    def _kiyoh_reply(self, request: Request) -> _Answer:
        body = _json_or_none(request.body)
        wanted = ("locationId", "tenantId", "reviewId", "response", "reviewResponseType")
        if not isinstance(body, dict) or any(not body.get(key) for key in wanted):
            error = {"errorCode": "INVALID_REQUEST", "detailedError": [{"message": "missing"}]}
            return _Answer(400, error)
        if str(body["locationId"]) != KIYOH_LOCATION:
            error = {"errorCode": "ACCESS_DENIED", "detailedError": [{"message": "location"}]}
            return _Answer(403, error)
        review_id = str(body["reviewId"])
        if self._is_gone(review_id):
            error = {"errorCode": "REVIEW_NOT_FOUND", "detailedError": [{"message": "gone"}]}
            return _Answer(404, error)
        self._accept("kiyoh", review_id, str(body["response"]))
        with self._lock:
            self._kiyoh_reviews.setdefault(review_id, "Snelle levering, prima pan.")
        return _Answer(200, {"reviewId": review_id, "response": body["response"]})

    def _kiyoh_list(self, query: dict[str, list[str]]) -> _Answer:
        start = int(query.get("start", ["0"])[0])
        limit = int(query.get("limit", ["100"])[0])
        with self._lock:
            listed = [
                (review_id, text)
                for review_id, text in reversed(self._kiyoh_reviews.items())
                if review_id not in self._gone
            ]
            current = dict(self._current)
        reviews = []
        for review_id, text in listed[start : start + limit]:
            review: dict[str, Any] = {
                "reviewId": review_id,
                "reviewAuthor": "Klant",
                "rating": 8,
                "dateSince": "2025-06-01T10:00:00.000+02:00",
                "updatedSince": "2025-06-02T10:00:00.000+02:00",
                "reviewContent": [
                    {"questionGroup": "DEFAULT_OPINION", "questionType": "TEXT", "rating": text}
                ],
            }
            reply = current.get(("kiyoh", review_id))
            if reply is not None:
                review["comment"] = reply
            reviews.append(review)
        return _Answer(
            200, {"numberReviews": len(listed), "averageRating": 8.0, "reviews": reviews}
        )

    def _google_token(self, request: Request) -> _Answer:
        form = parse_qs(request.body.decode())
        wanted = {
            "grant_type": ["refresh_token"],
            "client_id": [GOOGLE_CLIENT_ID],
            "client_secret": [GOOGLE_CLIENT_SECRET],
            "refresh_token": [GOOGLE_REFRESH_TOKEN],
        }
        if form != wanted:
            return _Answer(400, {"error": "invalid_grant", "error_description": "Bad Request"})
        return _Answer(200, {"access_token": GOOGLE_TOKEN, "expires_in": 3599})

    def _google_review(self, review_id: str) -> dict[str, Any]:
        name = f"accounts/{GOOGLE_ACCOUNT}/locations/{GOOGLE_LOCATION}/reviews/{review_id}"
        review: dict[str, Any] = {
            "name": name,
            "reviewId": review_id,
            "starRating": "FOUR",
            "comment": "Prima winkel.",
            "createTime": "2025-06-01T08:00:00Z",
            "updateTime": "2025-06-01T08:00:00Z",
        }
        reply = self.reply_of("google", review_id)
        if reply is not None:
            review["reviewReply"] = {"comment": reply, "updateTime": _now()}
        return review

    def _google_reply(self, review_id: str, request: Request) -> _Answer:
        if request.method != "PUT":
            return _Answer(405, _google_error(405, "Method not allowed"))
        body = _json_or_none(request.body)
        comment = body.get("comment") if isinstance(body, dict) else None
        if not isinstance(comment, str) or not comment.strip():
            return _Answer(400, _google_error(400, "Request contains an invalid argument."))
        self._accept("google", review_id, comment)
        return _Answer(200, {"comment": comment, "updateTime": _now()})

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                platform, kind = fake._classify(self.command, parts.path)
                request = Request(
                    self.command, self.path, dict(self.headers.items()), body, platform, kind
                )
                with fake._lock:
                    fake.requests.append(request)
                fault = fake._take_fault(kind, platform)
                if fault is None:
                    answer = fake._handle(request)
                    raw = b"" if answer.body is None else json.dumps(answer.body).encode()
                    self._send(answer, raw)
                    return
                if fault.accept:
                    fake._handle(request)  # the platform does its work; the answer is lost
                time.sleep(fault.delay)
                if fault.status is None:
                    self.close_connection = True
                    return  # the connection drops without an answer
                self._send(_Answer(fault.status, None, fault.headers), fault.body)

            do_POST = do_GET
            do_PUT = do_GET

            def _send(self, answer: _Answer, raw: bytes) -> None:
                try:
                    self.send_response(answer.status)
                    headers = {"Content-Type": "application/json; charset=utf-8"}
                    for name, value in {**headers, **answer.headers}.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(raw)))
                    self.send_header("Connection", "close")
                    self.end_headers()
                    self.wfile.write(raw)
                except OSError:
                    pass  # the client gave up (a time-out): that is the point

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler


def _google_error(code: int, message: str) -> dict[str, Any]:
    status = {400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED"}
    return {"error": {"code": code, "message": message, "status": status.get(code, "NOT_FOUND")}}


def _json_or_none(body: bytes) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        return None


def _now() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")
