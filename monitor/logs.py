"""Logging set-up: standard logging to stderr, with every configured secret masked."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable


def make_redactor(secrets: Iterable[str]) -> Callable[[str], str]:
    """A function that replaces each secret (longest first) by ***."""
    values = sorted({secret for secret in secrets if secret}, key=len, reverse=True)
    if not values:
        return lambda text: text
    pattern = re.compile("|".join(re.escape(value) for value in values))
    return lambda text: pattern.sub("***", text)


class RedactingFilter(logging.Filter):
    """Formats each record's message once and masks secrets in it (and in the traceback)."""

    def __init__(self, redact: Callable[[str], str]) -> None:
        super().__init__()
        self.redact = redact

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = self.redact(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        return True


HANDLER_NAME = "reviewwacht"


def setup_logging(*, level: int, secrets: Iterable[str] = ()) -> None:
    """Log to stderr at ``level``, masking ``secrets``; calling it again replaces only our own
    handler (once the configuration, and so the secrets, are known)."""
    handler = logging.StreamHandler()
    handler.name = HANDLER_NAME
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter(make_redactor(secrets)))
    root = logging.getLogger()
    for existing in list(root.handlers):
        if existing.name == HANDLER_NAME:
            root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(level)
