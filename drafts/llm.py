"""Optional Dutch reply drafts from an OpenAI-compatible chat-completions server (a local LLM)."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests
from urllib3.exceptions import ReadTimeoutError

from drafts.facts import Policy, ReviewFacts
from drafts.llm_prompt import (
    MAX_REVIEW_CHARS,
    THINK,
    USER_INTRO,
    USER_OUTRO,
    clean_reply,
    review_payload,
    system_message,
    user_message,
)

__all__ = [
    "MAX_REVIEW_CHARS",
    "USER_INTRO",
    "USER_OUTRO",
    "LlmError",
    "LlmSettings",
    "LlmWriter",
    "clean_reply",
    "review_payload",
    "server_name",
    "system_message",
    "user_message",
]

logger = logging.getLogger(__name__)

USER_AGENT = "reviewwacht/0.1 (reply drafts)"
MAX_REPLY_CHARS = 2_500  # a longer "reply" is a rambling model, not a draft
MAX_RESPONSE_BYTES = 1_000_000


class LlmError(Exception):
    """Raised by LlmWriter.write when the endpoint gives no usable draft; the caller falls back to
    the templates. ``str()`` is one Dutch sentence an owner understands; ``status`` is the HTTP
    status where the server answered with an error."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status

    def explain(self) -> str:
        return self.message


@dataclass(frozen=True, slots=True)
class LlmSettings:
    """Where the chat-completions server is and how to ask it. ``url`` is the base URL
    (``http://127.0.0.1:8080/v1``); requests go to ``{url}/chat/completions``."""

    url: str
    model: str
    api_key: str = field(default="", repr=False)  # a secret: not in repr, logs or messages
    timeout: float = 20.0
    temperature: float = 0.2
    max_tokens: int = 400


def server_name(url: str) -> str:
    """Scheme, host, port and path of a URL, without credentials or query (they may hold
    secrets)."""
    parts = urlsplit(url.strip())
    host = parts.hostname or ""
    try:
        port = parts.port
    except ValueError:
        port = None
    if port:
        host = f"{host}:{port}"
    if not host:
        return "(ongeldig adres)"
    scheme = f"{parts.scheme}://" if parts.scheme else ""
    return f"{scheme}{host}{parts.path.rstrip('/')}"


def _seconds(value: float) -> str:
    return f"{value:g}".replace(".", ",")


class LlmWriter:
    """Asks an OpenAI-compatible chat-completions server (llama.cpp, vLLM, Ollama, a hosted API)
    for one Dutch reply draft per review. Not retried: a failure raises ``LlmError`` and the
    caller uses the template draft instead."""

    def __init__(self, settings: LlmSettings, *, session: requests.Session | None = None) -> None:
        self.settings = settings
        self.endpoint = f"{settings.url.strip().rstrip('/')}/chat/completions"
        self.where = server_name(settings.url)
        self._own_session = session is None
        self.session = session if session is not None else requests.Session()

    def close(self) -> None:
        """Close the session this writer made itself (a given session is the caller's)."""
        if self._own_session:
            self.session.close()

    def write(self, *, facts: ReviewFacts, policy: Policy, instructions: Sequence[str]) -> str:
        """The reply text the model wrote for ``facts``, or ``LlmError``. ``instructions`` are
        the caller's Dutch lines for this reply; they must not contain review text."""
        if isinstance(instructions, str):  # one line passed bare: not a list of characters
            instructions = (instructions,)
        body = {
            "model": self.settings.model,
            "messages": [
                {
                    "role": "system",
                    "content": system_message(policy, instructions, channel=facts.channel),
                },
                {"role": "user", "content": user_message(facts)},
            ],
            "temperature": self.settings.temperature,
            "max_tokens": self.settings.max_tokens,
            "stream": False,
        }
        headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
        if self.settings.api_key:
            headers["Authorization"] = f"Bearer {self.settings.api_key}"
        logger.debug(
            "asking %s (model %s) for a %s reply (%d review characters, %d instructions)",
            self.where, self.settings.model, facts.kind, len(facts.text or ""), len(instructions),
        )  # fmt: skip
        started = time.monotonic()
        raw = self._post(body, headers, deadline=started + self.settings.timeout)
        reply = self._reply_from(raw)
        logger.debug(
            "%s wrote %d characters in %.1f s", self.where, len(reply), time.monotonic() - started
        )
        return reply

    def _fail(self, message: str, reason: str, *, status: int | None = None) -> LlmError:
        logger.warning("no reply draft from %s: %s", self.where, self._redact(reason))
        return LlmError(message, status=status)

    def _redact(self, text: str) -> str:
        key = self.settings.api_key
        return text.replace(key, "***") if key else text

    def _post(self, body: dict[str, Any], headers: dict[str, str], *, deadline: float) -> bytes:
        timeout = self.settings.timeout
        no_answer = (
            f"De taalmodelserver op {self.where} gaf geen antwoord binnen "
            f"{_seconds(timeout)} seconden."
        )
        try:
            response = self.session.post(
                self.endpoint,
                json=body,
                headers=headers,
                timeout=timeout,
                stream=True,
                allow_redirects=False,
            )
        except requests.Timeout:
            raise self._fail(no_answer, "timed out") from None
        except requests.ConnectionError as exc:
            if _timed_out(exc):
                raise self._fail(no_answer, "timed out") from None
            raise self._fail(
                f"De taalmodelserver op {self.where} is niet bereikbaar; controleer of de server "
                "draait en of het adres klopt.",
                "no connection",
            ) from None
        except (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema,
                requests.exceptions.InvalidSchema):  # fmt: skip
            raise self._fail(
                f"Het adres van de taalmodelserver ({self.where}) is ongeldig; het moet beginnen "
                "met http:// of https://.",
                "invalid URL",
            ) from None
        except requests.RequestException as exc:
            raise self._fail(
                f"De taalmodelserver op {self.where} kon niet worden gevraagd "
                f"({type(exc).__name__}).",
                type(exc).__name__,
            ) from None
        with response:
            status = response.status_code
            if not 200 <= status < 300:
                raise self._status_error(response)
            return self._read(response, deadline=deadline, no_answer=no_answer)

    def _status_error(self, response: requests.Response) -> LlmError:
        status = response.status_code
        if status == 429:
            words = "de server is druk of de limiet is bereikt; later opnieuw proberen"
        elif status in (401, 403):
            words = (
                "de API-sleutel wordt niet geaccepteerd; controleer de sleutel in de instellingen"
            )
        elif status == 404:
            words = "het adres of het model bestaat daar niet; controleer url en model"
        elif 300 <= status < 400:
            words = "de server stuurt door naar een ander adres; vul het juiste adres in"
        elif status >= 500:
            words = "de server had een storing"
        else:
            words = "het verzoek werd geweigerd"
        detail = _error_detail(response)
        reason = f"HTTP {status}" + (f": {detail}" if detail else "")
        return self._fail(
            f"De taalmodelserver op {self.where} gaf foutcode {status}: {words}.",
            reason,
            status=status,
        )

    def _read(self, response: requests.Response, *, deadline: float, no_answer: str) -> bytes:
        too_large = (
            f"De taalmodelserver op {self.where} stuurde meer dan "
            f"{MAX_RESPONSE_BYTES / 1_000_000:g} MB; dat is niet gelezen."
        )
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > MAX_RESPONSE_BYTES:
            raise self._fail(too_large, f"Content-Length {declared}")
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in response.iter_content(chunk_size=65536):
                size += len(chunk)
                if size > MAX_RESPONSE_BYTES:
                    raise self._fail(too_large, "response too large")
                chunks.append(chunk)
                if time.monotonic() > deadline:
                    raise self._fail(no_answer, "body not read in time")
        except requests.RequestException as exc:
            if isinstance(exc, requests.Timeout) or _timed_out(exc):
                raise self._fail(no_answer, "timed out while reading") from None
            raise self._fail(
                f"De verbinding met de taalmodelserver op {self.where} viel weg tijdens het "
                "antwoord.",
                "connection lost while reading",
            ) from None
        return b"".join(chunks)

    def _reply_from(self, raw: bytes) -> str:
        unusable = f"De taalmodelserver op {self.where} gaf een onbruikbaar antwoord"
        try:
            data = json.loads(raw.decode("utf-8", errors="replace"))
        except (ValueError, RecursionError):
            raise self._fail(f"{unusable}: geen geldige JSON.", "invalid JSON") from None
        choices = data.get("choices") if isinstance(data, dict) else None
        if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
            raise self._fail(f"{unusable}: er stond geen antwoordtekst in.", "no choices")
        choice = choices[0]
        message = choice.get("message")
        content = _text_of(message.get("content")) if isinstance(message, dict) else None
        finish = choice.get("finish_reason")
        if finish == "length":
            raise self._fail(
                f"{unusable}: het antwoord werd afgebroken omdat het te lang werd "
                f"(meer dan {self.settings.max_tokens} tokens).",
                "finish_reason length",
            )
        if finish == "content_filter" or (isinstance(message, dict) and message.get("refusal")):
            raise self._fail(
                f"{unusable}: het model weigerde dit antwoord te schrijven.", "refused or filtered"
            )
        if content is None:
            raise self._fail(f"{unusable}: er stond geen antwoordtekst in.", "no message content")
        reply = clean_reply(content)
        if not reply:
            raise self._fail(f"{unusable}: de antwoordtekst was leeg.", "empty content")
        if THINK.match(content) is None and content.lstrip().startswith("<think>"):
            raise self._fail(
                f"{unusable}: het model bleef nadenken en schreef geen antwoord.",
                "unclosed <think>",
            )
        if len(reply) > MAX_REPLY_CHARS:
            raise self._fail(
                f"{unusable}: de tekst was met {len(reply)} tekens langer dan de "
                f"{MAX_REPLY_CHARS} die een antwoord mag hebben.",
                f"reply of {len(reply)} characters",
            )
        return reply


def _timed_out(exc: requests.RequestException) -> bool:
    """True when requests reports a read time-out as a connection error (as it does while the
    body is read)."""
    cause = exc.args[0] if exc.args else None
    return isinstance(cause, ReadTimeoutError) or isinstance(
        getattr(cause, "reason", None), ReadTimeoutError
    )


def _text_of(content: Any) -> str | None:
    """The text of a message's content: a string, or a list of text parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = [
            part.get("text")
            for part in content
            if isinstance(part, dict) and isinstance(part.get("text"), str)
        ]
        return "".join(parts) if parts else None
    return None


def _error_detail(response: requests.Response) -> str:
    """The server's own error message, at most 200 characters (for the log, never shown)."""
    try:
        head = next(response.iter_content(chunk_size=2048), b"")
    except requests.RequestException:
        return ""
    text = head[:2048].decode("utf-8", errors="replace")
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return " ".join(text.split())[:200]
    error = data.get("error") if isinstance(data, dict) else None
    if isinstance(error, dict):
        error = error.get("message")
    return " ".join(str(error or text).split())[:200]
