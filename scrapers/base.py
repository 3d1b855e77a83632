"""The base class every collector derives from, the batch it yields and what it hears back."""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

from scrapers.dates import parse_datetime
from scrapers.http import HttpClient
from scrapers.records import RawReview

logger = logging.getLogger(__name__)


class SourceSettings(BaseModel):
    """Settings of one configured source; each collector declares its own subclass."""

    model_config = ConfigDict(extra="forbid", frozen=True)


@dataclass(slots=True)
class Batch:
    """What a collector hands over at once: a page of records, the cursor to save together with
    them, and warnings in Dutch about records that were skipped.

    A cursor is saved in the same commit as its batch, so give one only when everything it
    vouches for is stored: when paging newest first, that is the last page of the sweep.
    """

    records: list[RawReview]
    cursor: str | None = None
    warnings: list[str] = field(default_factory=list)
    # What the source says about itself, for the run log and drift checks: "total" (reviews it
    # reports), "average" (on its own scale), "histogram" ({"1": n, ..., "5": n}).
    stats: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Stored:
    """What the store made of a batch; sent back into ``collect`` so it can stop paging."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def nothing_new(self) -> bool:
        """True when every record of the batch was already known, unchanged."""
        return self.new == 0 and self.updated == 0


Collection = Generator[Batch, Stored | None, None]


class Collector(ABC):
    """A source of reviews or messages: declares a ``name`` (used in the config) and ``Settings``.

    ``collect`` is a generator of batches. The caller stores each batch (and its cursor) before
    asking for the next, and sends back what the store made of it (``Stored``): an incremental
    collector stops paging at a page that held only known, unchanged reviews, unless ``full``.
    A caller that stores nothing (``reviewwacht sources test``) sends None. Collectors never
    touch the database.
    """

    name: ClassVar[str]
    Settings: ClassVar[type[SourceSettings]] = SourceSettings
    # A full resync sees every review the source still shows, so one it no longer shows was
    # removed there (marked, never deleted). Not so for a mailbox that moves what it read.
    lists_everything: ClassVar[bool] = False

    def __init__(self, settings: SourceSettings, *, http: HttpClient, label: str) -> None:
        self.settings = settings
        self.http = http
        self.label = label

    @classmethod
    def hosts(cls, settings: SourceSettings) -> set[str]:
        """The hosts this source may contact with these settings (nothing else is allowed)."""
        return set()

    @abstractmethod
    def collect(self, *, cursor: str | None, full: bool = False) -> Collection:
        """Yield batches of records; ``full`` ignores the cursor and pages to the end."""


def keep_paging(stored: Stored | None, *, full: bool) -> bool:
    """Whether an incremental collector should fetch the next page after this one."""
    return full or stored is None or not stored.nothing_new


@dataclass(slots=True)
class Page:
    """One fetched page of a list that a platform serves newest first."""

    records: list[RawReview]
    has_more: bool
    warnings: list[str] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)


def published(record: RawReview) -> datetime | None:
    return record.published_at


def sweep_newest_first(
    pages: Iterator[Page],
    *,
    cursor: str | None,
    full: bool,
    moment: Callable[[RawReview], datetime | None] = published,
    max_pages: int | None = None,
    source: str = "de bron",
) -> Collection:
    """Hand over a newest-first list page by page, with a cursor that never skips anything.

    The cursor is the newest ``moment`` of the last *complete* sweep, saved with that sweep's
    last batch. An ordinary run stops after a page that held only known, unchanged reviews, but
    only once that page reaches back to the cursor: without a cursor (a first run, or the run after
    one that broke off) it reads to the end, so reviews below a break are never left behind.
    ``pages`` fetches lazily: a page is requested only when the sweep asks for it. A sweep cut
    short by ``max_pages`` saves no cursor (it did not see everything)."""
    watermark = None if full else read_time_cursor(cursor)
    newest = watermark
    for number, page in enumerate(pages, start=1):
        times = [moment(record) for record in page.records]
        known = [when for when in times if when is not None]
        newest = max([*known, newest] if newest else known, default=None)
        capped = not full and max_pages is not None and number >= max_pages and page.has_more
        warnings = list(page.warnings)
        if capped:
            warnings.append(
                f"{source} heeft meer reviews; alleen de nieuwste {number} pagina's zijn gelezen "
                "(max_pages). Een volledige run ('reviewwacht run --full') leest alles."
            )
        last = not page.has_more or capped
        stored = yield Batch(
            records=page.records,
            cursor=time_cursor(newest) if last and not capped else None,
            warnings=warnings,
            stats=page.stats,
        )
        if last:
            return
        # Caught up: the page reaches back to the last complete sweep (a review without a time
        # leaves that unsure: read on).
        caught_up = (
            watermark is not None
            and bool(times)
            and len(known) == len(times)
            and min(known) <= watermark
        )
        if caught_up and not keep_paging(stored, full=full):
            yield Batch(records=[], cursor=time_cursor(newest))
            return


def read_time_cursor(cursor: str | None) -> datetime | None:
    """A time cursor as written by ``time_cursor``; None (read everything) when unreadable."""
    if not cursor:
        return None
    try:
        return parse_datetime(cursor, tz=UTC)
    except ValueError:
        logger.warning("Ignoring an unreadable cursor %r; this run reads every page", cursor[:40])
        return None


def time_cursor(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat() if moment else None
