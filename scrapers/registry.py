"""The explicit list of collectors, by the name the configuration uses."""

from __future__ import annotations

from scrapers.base import Collector
from scrapers.feed import FeedCollector
from scrapers.feedbackcompany import FeedbackCompanyCollector
from scrapers.file import FileCollector
from scrapers.google import GoogleCollector
from scrapers.kiyoh import KiyohCollector, KlantenvertellenCollector
from scrapers.mailbox import MailboxCollector
from scrapers.maildir import MaildirCollector
from scrapers.schemaorg import SchemaOrgCollector
from scrapers.trustpilot import TrustpilotCollector
from scrapers.webwinkelkeur import WebwinkelKeurCollector

COLLECTORS: dict[str, type[Collector]] = {
    collector.name: collector
    for collector in (
        TrustpilotCollector,
        KiyohCollector,
        KlantenvertellenCollector,
        WebwinkelKeurCollector,
        FeedbackCompanyCollector,
        GoogleCollector,
        SchemaOrgCollector,
        MailboxCollector,
        MaildirCollector,
        FeedCollector,
        FileCollector,
    )
}
