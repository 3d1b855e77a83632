"""Customer mails from a local Maildir (where a mail server on the shop's server delivers)."""

from __future__ import annotations

import mailbox
from collections.abc import Iterator
from pathlib import Path

from pydantic import Field

from scrapers.base import Batch, Collector, SourceSettings
from scrapers.errors import ParseError, SourceUnavailable
from scrapers.mail import parse_message
from scrapers.records import RawReview


class MaildirSettings(SourceSettings):
    """The Maildir to read (with ``new/``, ``cur/`` and ``tmp/``); only read, never changed."""

    path: str
    batch_size: int = Field(default=200, ge=1)


class MaildirCollector(Collector):
    """Reads every message in the Maildir; the store recognises messages it already has by their
    Message-ID, so reading them again adds nothing."""

    name = "maildir"
    Settings = MaildirSettings
    settings: MaildirSettings

    def collect(self, *, cursor: str | None, full: bool = False) -> Iterator[Batch]:
        path = Path(self.settings.path)
        if not (path / "cur").is_dir() or not (path / "new").is_dir():
            raise SourceUnavailable(str(path), "dit is geen Maildir-map (cur/ en new/ ontbreken)")
        box = mailbox.Maildir(path, factory=None, create=False)
        records: list[RawReview] = []
        warnings: list[str] = []
        for key in sorted(box.keys()):
            try:
                record = parse_message(box.get_bytes(key), where=f"bericht {key}")
            except ParseError as exc:
                warnings.append(exc.explain())
                continue
            except OSError:
                continue  # moved or deleted by the mail server while reading
            if record is not None:
                records.append(record)
            if len(records) >= self.settings.batch_size:
                yield Batch(records=records, warnings=warnings)
                records, warnings = [], []
        yield Batch(records=records, warnings=warnings)
