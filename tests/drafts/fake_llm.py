"""A fake OpenAI-compatible chat-completions server on 127.0.0.1 with scripted answers."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def completion(content: Any, *, finish_reason: str | None = "stop", **message: Any) -> str:
    """A chat-completions response body with one choice."""
    return json.dumps(
        {
            "id": "chatcmpl-test",
            "object": "chat.completion",
            "model": "test-model",
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": content, **message},
                    "finish_reason": finish_reason,
                }
            ],
            "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
        },
        ensure_ascii=False,
    )


@dataclass(frozen=True)
class Answer:
    """One scripted answer: status, body, headers; ``delay`` seconds before answering, and
    ``length=False`` to leave out Content-Length (the body then ends when the connection closes)."""

    status: int = 200
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    length: bool = True


@dataclass(frozen=True)
class Received:
    """A request as the server received it."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def message(self, role: str) -> str:
        """The content of the first message with ``role``."""
        return next(m["content"] for m in self.json()["messages"] if m["role"] == role)


class FakeLlmServer:
    """Answers every request with the next scripted answer (the last one repeats); by default a
    plain completion. Records every request."""

    def __init__(self) -> None:
        self.answers: list[Answer] = [Answer(200, completion("Dank u wel!"))]
        self.requests: list[Received] = []
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/v1"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()

    def script(self, *answers: Answer) -> None:
        with self._lock:
            self.answers = list(answers)

    def reply(self, content: Any, **kwargs: Any) -> None:
        """Script one 200 completion with ``content``."""
        self.script(Answer(200, completion(content, **kwargs)))

    def _next(self) -> Answer:
        with self._lock:
            return self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.do_POST()

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                with server._lock:
                    server.requests.append(
                        Received(self.command, self.path, dict(self.headers.items()), body)
                    )
                answer = server._next()
                if answer.delay:
                    time.sleep(answer.delay)
                data = answer.body.encode() if isinstance(answer.body, str) else answer.body
                try:
                    self.send_response(answer.status)
                    headers = {"Content-Type": "application/json", **answer.headers}
                    for name, value in headers.items():
                        self.send_header(name, value)
                    if answer.length:
                        self.send_header("Content-Length", str(len(data)))
                    self.send_header("Connection", "close")
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass  # the client gave up (time-out, size limit): that is the point

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
