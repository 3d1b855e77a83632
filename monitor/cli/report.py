"""The report command: write the report now, and mail it with --send."""

from __future__ import annotations

import argparse
from typing import Any

from monitor.cli.jobs import settings_for
from monitor.db import open_store, session_scope
from monitor.models import utcnow
from monitor.report import write_report


def add_commands(commands: Any) -> None:
    report = commands.add_parser(
        "report",
        help="schrijf het rapport nu (en mail het met --send)",
        description="Schrijft het rapport (HTML en tekst) in de uitvoermap. Met --send gaat het "
        "ook naar mail.report_to, één keer per dag; een tweede --send op dezelfde dag verstuurt "
        "niets opnieuw.",
    )
    report.add_argument("--send", action="store_true", help="mail het rapport (eens per dag)")
    report.set_defaults(handler=cmd_report)


def cmd_report(args: argparse.Namespace) -> int:
    settings = settings_for(args)
    engine = open_store(settings.database_url)
    now = utcnow()
    if not args.send:
        with session_scope(engine) as session:
            path = write_report(session=session, settings=settings, now=now).path
        print(f"Rapport: {path}")
        return 0
    from monitor.outbox import deliver
    from monitor.report_mail import queue_daily_report

    if not settings.mail.configured or not settings.mail.report_to:
        print("Mail is niet ingesteld (mail.host, mail.from_address, mail.report_to); "
              f"het rapport staat in {settings.out_dir / 'report.html'}.")  # fmt: skip
        queue_daily_report(settings=settings, now=now, engine=engine)
        return 1
    queued = queue_daily_report(settings=settings, now=now, engine=engine)
    delivery = deliver(engine=engine, settings=settings, now=now)
    if not queued:
        print("Het rapport van vandaag was al verstuurd of staat klaar; niets opnieuw gestuurd.")
    print(f"Rapport: {settings.out_dir / 'report.html'}; "
          f"{delivery.sent} mail(s) verstuurd, {delivery.failed} mislukt.")  # fmt: skip
    return 0 if delivery.failed == 0 else 1
