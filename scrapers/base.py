"""The base class every collector derives from, and the batch it yields."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from scrapers.http import HttpClient
from scrapers.records import RawReview


class SourceSettings(BaseModel):
    """Settings of one configured source; each collector declares its own subclass."""

    model_config = ConfigDict(extra="forbid", frozen=True)


@dataclass(slots=True)
class Batch:
    """What a collector hands over at once: a page of records, the cursor to save once they are
    stored, and warnings in Dutch about records that were skipped."""

    records: list[RawReview]
    cursor: str | None = None
    warnings: list[str] = field(default_factory=list)


class Collector(ABC):
    """A source of reviews or messages: declares a ``name`` (used in the config) and ``Settings``.

    ``collect`` yields batches; the caller stores each batch (and its cursor) before asking for the
    next, so a crash halfway keeps what was stored. Collectors never touch the database.
    """

    name: ClassVar[str]
    Settings: ClassVar[type[SourceSettings]] = SourceSettings

    def __init__(self, settings: SourceSettings, *, http: HttpClient, label: str) -> None:
        self.settings = settings
        self.http = http
        self.label = label

    @classmethod
    def hosts(cls, settings: SourceSettings) -> set[str]:
        """The hosts this source may contact with these settings (nothing else is allowed)."""
        return set()

    @abstractmethod
    def collect(self, *, cursor: str | None, full: bool = False) -> Iterator[Batch]:
        """Yield batches of records, newest knowledge first; ``full`` ignores the cursor."""
