"""The errors of the orchestrator; each is shown to the owner as one Dutch line by the CLI.

Source failures are ``scrapers.errors.SourceError`` and are caught by the collect stage, which
records them in the run log; the errors here stop a command and are caught in ``monitor.cli.main``.
"""

from __future__ import annotations


class ReviewwachtError(Exception):
    """Base class: a problem the owner can fix; ``str()`` is the Dutch one-line message."""


class ConfigError(ReviewwachtError):
    """The configuration is invalid: raised by ``monitor.config``, names the key and the expected
    value. Caught by the CLI."""


class DatabaseError(ReviewwachtError):
    """The database cannot be opened or upgraded: raised by ``monitor.db``. Caught by the CLI."""


class NotFound(ReviewwachtError):
    """A review or draft asked for by id does not exist: raised by queries used from the CLI."""


class InvalidTransition(ReviewwachtError):
    """A draft cannot go to the asked status (approving a rejected draft, say): raised by
    ``monitor.queries``. Caught by the CLI (and later the web app)."""


class RunLocked(ReviewwachtError):
    """Another run is busy with the same database: raised by ``monitor.lock``. The CLI shows it;
    the daemon skips that turn."""


class ToneBlocked(ReviewwachtError):
    """A reply's wording breaks the care rules (blame, sarcasm, a vague promise, a request to
    change the review, personal data in public...): raised by ``monitor.replies.approve_draft``
    with the tone check's reasons. Caught by the CLI (and later the web app), which shows them."""

    def __init__(self, message: str, reasons: list[str]) -> None:
        super().__init__(message + "".join(f"\n  - {reason}" for reason in reasons))
        self.reasons = reasons


class NotApproved(InvalidTransition):
    """A reply was about to leave without a person's approval of that exact wording: raised by
    ``monitor.posting.approved_wording``, the check every posting route passes. The post stops."""
