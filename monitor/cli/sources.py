"""The sources commands: list what is configured, and test one source for real without storing."""

from __future__ import annotations

import argparse
from typing import Any

from monitor.cli.jobs import settings_for
from monitor.cli.output import clean
from monitor.db import open_store, session_scope
from monitor.dutch import when
from monitor.errors import ReviewwachtError
from monitor.queries import source_successes
from monitor.stages.collect import http_client_for
from scrapers.errors import SourceError
from scrapers.registry import COLLECTORS

SAMPLES = 3


def add_commands(commands: Any) -> None:
    sources = commands.add_parser("sources", help="de ingestelde bronnen bekijken en testen")
    sub = sources.add_subparsers(dest="action", title="acties", metavar="ACTIE", required=True,
                                 parser_class=type(sources))  # fmt: skip
    listing = sub.add_parser("list", help="de ingestelde bronnen en wanneer ze het laatst lukten")
    listing.set_defaults(handler=cmd_sources_list)
    test = sub.add_parser(
        "test",
        help="haal de eerste pagina van één bron op en toon wat er staat (slaat niets op)",
        description="Haalt de eerste pagina of het eerste deel van een bron echt op en toont "
        "hoeveel reviews er staan en de nieuwste datum, of de fout. Er wordt niets opgeslagen.",
    )
    test.add_argument("label", metavar="NAAM", help="de naam van de bron, zoals in [sources.NAAM]")
    test.set_defaults(handler=cmd_sources_test)


def cmd_sources_list(args: argparse.Namespace) -> int:
    settings = settings_for(args)
    if not settings.sources:
        print("Er zijn geen bronnen ingesteld ('reviewwacht init' schrijft een voorbeeld).")
        return 0
    with session_scope(open_store(settings.database_url)) as session:
        last_success = source_successes(session=session)
    for config in settings.sources:
        state = "aan" if config.enabled else "uit"
        success = last_success.get(config.label)
        last = when(success, settings.shop.zone, year=True) if success else "nog nooit"
        print(f"{config.label} ({config.type}, {state}): laatst gelukt {last}")
    return 0


def cmd_sources_test(args: argparse.Namespace) -> int:
    settings = settings_for(args)
    config = settings.source(args.label)
    if config is None:
        known = ", ".join(source.label for source in settings.sources) or "geen"
        raise ReviewwachtError(f"Er is geen bron '{args.label}' ingesteld (ingesteld: {known}).")
    client = http_client_for(settings, [config])
    collector = COLLECTORS[config.type](config.settings, http=client, label=config.label)
    batches = collector.collect(cursor=None, full=False)
    try:
        batch = next(batches, None)
    except SourceError as exc:
        print(f"✗ {config.label}: {clean(exc.explain())}")
        return 1
    finally:
        batches.close()
        client.close()
    records = batch.records if batch else []
    dates = [record.published_at for record in records if record.published_at]
    newest = when(max(dates), settings.shop.zone, year=True) if dates else "onbekend"
    print(f"✓ {config.label}: {len(records)} gevonden op de eerste pagina; nieuwste {newest}.")
    for record in records[:SAMPLES]:
        words = clean(" ".join(f"{record.title or ''} {record.text}".split()))[:80]
        print(f"  - {clean(record.author) or 'onbekend'}: {words}")
    for warning in (batch.warnings if batch else [])[:SAMPLES]:
        print(f"  ! {clean(warning)}")
    return 0
