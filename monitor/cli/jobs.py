"""The commands that do work: init, run, demo and status."""

from __future__ import annotations

import argparse
import shlex
import sys
from importlib import resources
from pathlib import Path
from typing import Any

from monitor import dutch
from monitor.cli.daemon import heartbeat_line
from monitor.cli.output import clean
from monitor.config import CONFIG_FILE_NAME, Settings, load_settings
from monitor.daemon import load_heartbeat
from monitor.db import open_store, safe_url, session_scope
from monitor.dutch import when
from monitor.errors import ReviewwachtError
from monitor.lock import run_lock
from monitor.logs import setup_logging
from monitor.models import utcnow
from monitor.outbox import failing_messages
from monitor.pipeline import PipelineResult, run_pipeline
from monitor.queries import recent_runs, table_counts


def settings_for(args: argparse.Namespace) -> Settings:
    """The configuration, loaded once per command; from here on, logs mask its secrets."""
    settings = load_settings(args.config)
    setup_logging(level=args.log_level, secrets=settings.secrets())
    return settings


def add_commands(commands: Any) -> None:
    init = commands.add_parser(
        "init",
        help="schrijf een configuratiebestand met uitleg",
        description="Schrijft een configuratiebestand met uitleg bij elke sectie.",
    )
    init.add_argument(
        "path",
        nargs="?",
        default=CONFIG_FILE_NAME,
        metavar="PAD",
        help=f"waar het bestand komt (standaard {CONFIG_FILE_NAME})",
    )
    init.add_argument("--force", action="store_true", help="overschrijf een bestaand bestand")
    init.set_defaults(handler=cmd_init)

    run = commands.add_parser(
        "run",
        help="voer de hele keten één keer uit",
        description="Verzamelt nieuwe reviews en mails, scoort ze, zoekt "
        "patronen, schrijft conceptantwoorden en maakt het rapport.",
    )
    run.add_argument(
        "--full",
        action="store_true",
        help="lees alle bronnen helemaal opnieuw (anders alleen wat nieuw is)",
    )
    run.set_defaults(handler=cmd_run)

    demo = commands.add_parser(
        "demo",
        help="laat alles zien op een voorbeeldwinkel",
        description="Draait de echte keten op de meegeleverde voorbeeldwinkel "
        "De Pollepel (pagina's via 127.0.0.1, een export en een mailmap), "
        "in een nieuwe SQLite-database, en schrijft het rapport.",
    )
    demo.add_argument(
        "--out",
        default="out",
        metavar="MAP",
        help="map voor de demodatabase en het rapport (standaard out)",
    )
    demo.set_defaults(handler=cmd_demo)

    status = commands.add_parser("status", help="laatste runs, aantallen en wat er misging")
    status.add_argument(
        "--runs", type=int, default=5, metavar="N", help="hoeveel runs (standaard 5)"
    )
    status.set_defaults(handler=cmd_status)


def cmd_init(args: argparse.Namespace) -> int:
    target = Path(args.path)
    if target.exists() and not args.force:
        raise ReviewwachtError(f"{target} bestaat al; gebruik --force om het te overschrijven.")
    template = resources.files("monitor").joinpath("config_template.toml").read_text("utf-8")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(template, encoding="utf-8")
    print(f"Configuratie geschreven naar {target}.")
    print("Vul de winkelnaam en de bronnen in, en start dan 'reviewwacht run'.")
    return 0


def print_result(result: PipelineResult, settings: Settings) -> None:
    for step in result.steps:
        stage = dutch.stage(step.stage)
        name = f"{stage} {step.source_label}" if step.source_label else stage
        if step.failed:
            print(f"  ✗ {name}: {clean(step.message)}")
            continue
        parts = []
        if step.stage == "collect":
            parts.append(
                f"{step.new} nieuw, {step.updated} gewijzigd, {step.unchanged} ongewijzigd"
            )
            if step.warnings:
                parts.append(f"{len(step.warnings)} overgeslagen")
        elif step.stage in ("score", "flag", "draft", "promises"):
            parts.append(f"{step.processed} verwerkt")
            if step.stage != "score":
                parts.append(f"{step.new} nieuw")
        elif step.stage in ("notify", "post") and step.note:
            parts.append(clean(step.note))
        print(f"  ✓ {name}: {', '.join(parts) or 'klaar'}")
    if result.report:
        print(f"Rapport: {result.report}")
    if result.status != "ok":
        print("Niet alles is gelukt; zie hierboven. De volgende run probeert het opnieuw.")


def cmd_run(args: argparse.Namespace) -> int:
    settings = settings_for(args)
    if not settings.enabled_sources():
        print("Let op: er zijn geen bronnen ingesteld ('reviewwacht init' schrijft een voorbeeld).")
    with run_lock(settings):  # RunLocked: another run is busy; the CLI shows its one line
        result = run_pipeline(settings, full=args.full)
    print(f"Run {result.run_id} ({safe_url(settings.database_url)}):")
    print_result(result, settings)
    return 0 if result.status == "ok" else 1


def cmd_demo(args: argparse.Namespace) -> int:
    from monitor.demo import demo_environment

    out_dir = Path(args.out).resolve()
    print("Demo: voorbeeldwinkel De Pollepel, via een lokale server op 127.0.0.1.")
    with demo_environment(out_dir) as settings:
        setup_logging(level=args.log_level, secrets=settings.secrets())
        result = run_pipeline(settings, trigger="demo")
    print_result(result, settings)
    program = sys.argv[0] if Path(sys.argv[0]).name == "reviewwacht" else "reviewwacht"
    print("Open het rapport in een browser, of bekijk de concepten met:")
    print(
        f"  {shlex.quote(program)} --config {shlex.quote(str(out_dir / 'demo.toml'))} drafts list"
    )
    return 0 if result.status == "ok" else 1


def cmd_status(args: argparse.Namespace) -> int:
    settings = settings_for(args)
    engine = open_store(settings.database_url)
    zone = settings.shop.zone
    with session_scope(engine) as session:
        counts = table_counts(session=session)
        runs = recent_runs(session=session, limit=args.runs)
        beat = load_heartbeat(session=session)
        failing = failing_messages(session=session)
    print(f"Database: {safe_url(settings.database_url)}")
    print(
        heartbeat_line(
            beat, now=utcnow(), zone=zone, interval_seconds=settings.daemon.heartbeat_seconds
        )
    )
    print(
        f"{counts['reviews']} reviews, {counts['mails']} mails; "
        f"{counts['pending']} concepten wachten op goedkeuring, {counts['approved']} goedgekeurd; "
        f"{counts['flags']} open signalen."
    )
    for message in failing:
        print(
            f"Mail niet verstuurd na {message.attempts} pogingen: {clean(message.subject)} – "
            f"{clean(message.last_error)}"
        )
    if not runs:
        print("Nog geen runs. Start er een met 'reviewwacht run'.")
        return 0
    for run, steps in runs:
        state = {"ok": "gelukt", "failed": "deels mislukt"}.get(run.status, "onderbroken")
        if run.status == "running" and run is runs[0][0]:
            state = "bezig of onderbroken"
        print(f"\nRun {run.id} ({run.trigger}), {when(run.started_at, zone, year=True)}: {state}")
        for step in steps:
            stage = dutch.stage(step.stage)
            name = f"{stage} {step.source_label}" if step.source_label else stage
            mark = "✗" if step.status == "failed" else "✓"
            counts_text = {"collect": f"{step.new} nieuw, ", "report": ""}.get(
                step.stage, f"{step.processed} verwerkt, "
            )
            detail = f" – {clean(step.message)}" if step.message else ""
            print(f"  {mark} {name}: {counts_text}{step.duration_seconds or 0:.1f} s{detail}")
    return 0
