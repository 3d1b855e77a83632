"""The base class every collector derives from, the batch it yields and what it hears back."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Generator
from dataclasses import dataclass, field
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

from scrapers.http import HttpClient
from scrapers.records import RawReview


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
