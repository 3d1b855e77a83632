"""The registry: each collector under the name the configuration uses, with strict settings."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from scrapers.base import Collector
from scrapers.feed import FeedCollector
from scrapers.feedbackcompany import FeedbackCompanyCollector
from scrapers.file import FileCollector
from scrapers.google import GoogleCollector
from scrapers.kiyoh import KiyohCollector, KlantenvertellenCollector
from scrapers.mailbox import MailboxCollector
from scrapers.maildir import MaildirCollector
from scrapers.registry import COLLECTORS
from scrapers.schemaorg import SchemaOrgCollector
from scrapers.trustpilot import TrustpilotCollector
from scrapers.webwinkelkeur import WebwinkelKeurCollector


def test_the_registry_names_every_collector_by_its_config_name() -> None:
    assert {
        "trustpilot": TrustpilotCollector,
        "kiyoh": KiyohCollector,
        "klantenvertellen": KlantenvertellenCollector,
        "webwinkelkeur": WebwinkelKeurCollector,
        "feedbackcompany": FeedbackCompanyCollector,
        "google": GoogleCollector,
        "schemaorg": SchemaOrgCollector,
        "mailbox": MailboxCollector,
        "maildir": MaildirCollector,
        "feed": FeedCollector,
        "file": FileCollector,
    } == COLLECTORS
    for name, collector in COLLECTORS.items():
        assert collector.name == name


def test_platform_lists_are_complete_on_a_full_resync_feeds_and_mail_are_not() -> None:
    everything = {name for name, collector in COLLECTORS.items() if collector.lists_everything}
    assert everything == {
        "trustpilot", "kiyoh", "klantenvertellen", "webwinkelkeur", "feedbackcompany", "google",
    }  # fmt: skip


@pytest.mark.parametrize("collector", list(COLLECTORS.values()), ids=list(COLLECTORS))
def test_a_typo_in_a_source_setting_is_rejected(collector: type[Collector]) -> None:
    with pytest.raises(ValidationError, match="extra"):
        collector.Settings(pad="/tmp/export.csv")  # type: ignore[call-arg]


def test_local_sources_contact_no_host() -> None:
    assert MaildirCollector.hosts(MaildirCollector.Settings(path="/var/mail/service")) == set()
