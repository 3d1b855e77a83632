"""The explicit list of collectors, by the name the configuration uses."""

from __future__ import annotations

from scrapers.base import Collector
from scrapers.file import FileCollector
from scrapers.maildir import MaildirCollector
from scrapers.schemaorg import SchemaOrgCollector

COLLECTORS: dict[str, type[Collector]] = {
    collector.name: collector for collector in (FileCollector, SchemaOrgCollector, MaildirCollector)
}
