"""The daemon command, and the daemon's line in ``reviewwacht status``."""

from __future__ import annotations

import argparse
import logging
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from monitor.cli.output import clean
from monitor.config import Settings, load_settings
from monitor.daemon import STOPPED, Daemon
from monitor.dutch import when
from monitor.logs import setup_logging
from monitor.models import Heartbeat

STALE_BEATS = 3  # a heartbeat older than this many intervals means the daemon is gone

DESCRIPTION = """\
Blijft draaien en doet alles op vaste tijden: elke bron wordt verzameld met
haar eigen tussentijd (sources.<naam>.poll_minutes, anders daemon.poll_minutes),
daarna worden de reviews gescoord, gesignaleerd en van concepten voorzien;
elke minuut gaat de post uit de wachtrij de deur uit, en het dagrapport komt
elke dag op report.daily_time (tijdzone van de winkel).

De daemon draait tot hij stopt met Ctrl-C of SIGTERM; hij maakt dan eerst de
lopende taak af. 'reviewwacht status' laat zien of hij leeft. Liever systemd
of cron? Zie docs/running.md."""


def add_commands(commands: Any) -> None:
    daemon = commands.add_parser(
        "daemon",
        help="blijf draaien: verzamel, mail en rapporteer op vaste tijden",
        description=DESCRIPTION,
    )
    daemon.set_defaults(handler=cmd_daemon)


def start_line(settings: Settings, intervals: dict[str, int]) -> str:
    """One Dutch line: which sources at which interval, and the report time."""
    sources = (
        ", ".join(f"{label} elke {minutes} min" for label, minutes in intervals.items())
        or "geen bronnen ingesteld"
    )
    return (
        f"Daemon gestart: {sources}; dagrapport om {settings.report.daily_time} "
        f"({settings.shop.timezone}). Stoppen met Ctrl-C of SIGTERM."
    )


def cmd_daemon(args: argparse.Namespace) -> int:
    settings = load_settings(args.config)
    # The daemon tells what it does in its log: at least INFO.
    setup_logging(level=min(args.log_level, logging.INFO), secrets=settings.secrets())
    daemon = Daemon(settings)
    print(start_line(settings, daemon.intervals()), flush=True)  # flush: stdout may be a pipe
    daemon.run()
    print("Daemon gestopt.", flush=True)
    return 0


def heartbeat_line(
    beat: Heartbeat | None, *, now: datetime, zone: ZoneInfo, interval_seconds: int
) -> str:
    """'Daemon: actief (...)', 'Daemon: niet actief (...)' or 'Daemon: nooit gestart'."""
    if beat is None:
        return "Daemon: nooit gestart"
    seen = when(beat.beat_at, zone, year=True)
    if beat.note == STOPPED:
        return f"Daemon: niet actief (gestopt op {seen})"
    age = max(0.0, (now - beat.beat_at).total_seconds())
    if age > STALE_BEATS * interval_seconds:
        return f"Daemon: niet actief (laatst gezien {seen})"
    line = (
        f"Daemon: actief (pid {beat.pid} op {clean(beat.host)}), "
        f"laatste teken van leven {_ago(age)} geleden"
    )
    return f"{line}; {clean(beat.note)}" if beat.note else line


def _ago(seconds: float) -> str:
    if seconds < 120:
        return f"{int(seconds)} s"
    if seconds < 120 * 60:
        return f"{int(seconds // 60)} min"
    return f"{int(seconds // 3600)} uur"
