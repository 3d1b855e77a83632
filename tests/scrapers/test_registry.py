"""The registry: each collector under the name the configuration uses, with strict settings."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from scrapers.base import Collector
from scrapers.file import FileCollector
from scrapers.maildir import MaildirCollector
from scrapers.registry import COLLECTORS
from scrapers.schemaorg import SchemaOrgCollector


def test_the_registry_names_every_collector_by_its_config_name() -> None:
    assert {
        "file": FileCollector,
        "schemaorg": SchemaOrgCollector,
        "maildir": MaildirCollector,
    } == COLLECTORS


@pytest.mark.parametrize("collector", list(COLLECTORS.values()), ids=list(COLLECTORS))
def test_a_typo_in_a_source_setting_is_rejected(collector: type[Collector]) -> None:
    with pytest.raises(ValidationError, match="extra"):
        collector.Settings(pad="/tmp/export.csv")  # type: ignore[call-arg]


def test_local_sources_contact_no_host() -> None:
    assert MaildirCollector.hosts(MaildirCollector.Settings(path="/var/mail/service")) == set()
