"""Every error a collector raises, each with a Dutch explanation an owner understands.

Raised by the collectors and the HTTP layer in ``scrapers``; caught in one place, the collect
stage in ``monitor.stages.collect``, which records ``explain()`` in the run log and goes on with the
next source. URLs are shown as host and path only, so a token in a query string never reaches a log.
"""

from __future__ import annotations

from urllib.parse import urlsplit


def short_url(url: str) -> str:
    """Host and path of a URL, without query or credentials (those may hold secrets)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        port = parts.port
    except ValueError:  # a malformed port: the host alone still says where
        port = None
    if port:
        host = f"{host}:{port}"
    return f"{host}{parts.path}" if host else parts.path


class SourceError(Exception):
    """Base class: a source could not deliver its reviews in this run."""

    def explain(self) -> str:
        """One Dutch sentence for the run log and the report."""
        return str(self)


class FetchError(SourceError):
    """The server could not be reached: connection refused, DNS failure, time-out, redirect loop."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{short_url(url)}: {reason}")
        self.url = url
        self.reason = reason

    def explain(self) -> str:
        return f"{short_url(self.url)} was niet bereikbaar ({self.reason})."


_STATUS_WORDS = {
    400: "het verzoek werd geweigerd",
    401: "de inloggegevens of het token worden niet geaccepteerd",
    403: "de toegang werd geweigerd",
    404: "de pagina bestaat niet (meer)",
    410: "de pagina is verwijderd",
    429: "er werd te vaak gevraagd",
}


class AuthError(SourceError):
    """The platform refused the configured credentials (API key, token, OAuth client or
    refresh token); nothing can be fetched until the configuration is fixed."""

    ADVICE = "controleer de sleutel of het token in de configuratie"

    def __init__(self, where: str, detail: str, *, advice: str | None = None) -> None:
        super().__init__(f"{where}: {detail}")
        self.where = where
        self.detail = detail
        self.advice = advice or self.ADVICE

    def explain(self) -> str:
        return f"{self.where} weigert de ingestelde inloggegevens ({self.detail}); {self.advice}."


class HttpStatusError(SourceError):
    """The server answered with an error status (after the retries the HTTP layer allows).
    ``body`` holds the start of the error response (at most 2 KB), for a collector to tell one
    403 from another; it is not shown in ``explain()``."""

    def __init__(self, url: str, status: int, *, body: str = "") -> None:
        super().__init__(f"{short_url(url)}: HTTP {status}")
        self.url = url
        self.status = status
        self.body = body

    def explain(self) -> str:
        words = _STATUS_WORDS.get(self.status)
        if words is None:
            words = "de server had een storing" if self.status >= 500 else "de server gaf een fout"
        return f"{short_url(self.url)} gaf foutcode {self.status}: {words}."


class RateLimited(SourceError):
    """The server asked to wait longer than this run is willing to; the host is skipped this run."""

    def __init__(self, url: str, wait_seconds: float | None) -> None:
        super().__init__(f"{short_url(url)}: rate limited (retry after {wait_seconds})")
        self.url = url
        self.wait_seconds = wait_seconds

    def explain(self) -> str:
        if self.wait_seconds is None:
            return f"{short_url(self.url)} vraagt om minder vaak te komen; volgende run opnieuw."
        minutes = max(1, round(self.wait_seconds / 60))
        unit = "minuut" if minutes == 1 else "minuten"
        return (
            f"{short_url(self.url)} vraagt {minutes} {unit} te wachten; "
            "deze bron wordt de volgende run opnieuw geprobeerd."
        )


class RequestBudgetExceeded(SourceError):
    """The maximum number of requests per run for a host was used up before the source finished."""

    def __init__(self, host: str, limit: int) -> None:
        super().__init__(f"{host}: more than {limit} requests this run")
        self.host = host
        self.limit = limit

    def explain(self) -> str:
        return (
            f"Het maximum van {self.limit} verzoeken per run naar {self.host} is bereikt; "
            "de rest volgt de volgende run."
        )


class ResponseTooLarge(SourceError):
    """A response was larger than the configured maximum and was not read further."""

    def __init__(self, url: str, limit: int) -> None:
        super().__init__(f"{short_url(url)}: response larger than {limit} bytes")
        self.url = url
        self.limit = limit

    def explain(self) -> str:
        mb = self.limit / 1_000_000
        return f"{short_url(self.url)} stuurde meer dan {mb:g} MB; dat is niet gelezen."


class HostNotAllowed(SourceError):
    """A request was aimed at a host the configuration does not name."""

    def __init__(self, url: str) -> None:
        super().__init__(f"{short_url(url)}: host not in the configured sources")
        self.url = url

    def explain(self) -> str:
        return f"{short_url(self.url)} staat niet in de configuratie en is niet bezocht."


class ParseError(SourceError):
    """A page, file or message could not be read as the source's format (or no longer has it)."""

    def __init__(self, where: str, detail: str) -> None:
        super().__init__(f"{where}: {detail}")
        self.where = where
        self.detail = detail

    def explain(self) -> str:
        return f"{self.where} kon niet worden gelezen: {self.detail}."


class SourceUnavailable(SourceError):
    """A local source (a file, a mail folder) does not exist or cannot be opened."""

    def __init__(self, where: str, detail: str) -> None:
        super().__init__(f"{where}: {detail}")
        self.where = where
        self.detail = detail

    def explain(self) -> str:
        return f"{self.where} is niet beschikbaar: {self.detail}."


class PartialFailure(SourceError):
    """Some parts of a source (pages, files) failed while the others were read and stored."""

    def __init__(self, failures: list[SourceError], *, total: int, unit: str) -> None:
        super().__init__("; ".join(str(failure) for failure in failures))
        self.failures = failures
        self.total = total
        self.unit = unit

    def explain(self) -> str:
        details = " ".join(failure.explain() for failure in self.failures)
        return f"{len(self.failures)} van {self.total} {self.unit} mislukt. {details}"


class RobotsDisallowed(SourceError):
    """The site's robots.txt does not allow reviewwacht to fetch this public page."""

    def __init__(self, url: str) -> None:
        super().__init__(f"{short_url(url)}: disallowed by robots.txt")
        self.url = url

    def explain(self) -> str:
        return (
            f"{short_url(self.url)} mag volgens de robots.txt van de site niet automatisch worden "
            "gelezen; gebruik de API van het platform of een export."
        )


class DriftError(ParseError):
    """A page or response still parses but no longer holds what it should (reviews it announces,
    review texts): the source changed its format. Nothing of that page is stored."""

    def explain(self) -> str:
        return (
            f"{self.where} lijkt van opbouw veranderd: {self.detail}. Er is niets van opgeslagen; "
            "controleer de bron of werk reviewwacht bij."
        )
