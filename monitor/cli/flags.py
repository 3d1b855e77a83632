"""The flags commands: the patterns found in the reviews, and dismissing one with a reason."""

from __future__ import annotations

import argparse
import getpass
import json
from typing import Any

from monitor.cli.jobs import settings_for
from monitor.cli.output import clean
from monitor.db import open_store, session_scope
from monitor.dutch import long_date
from monitor.models import utcnow
from monitor.queries_flags import dismiss_flag, list_flags

SEVERITY = {"warning": "LET OP", "info": "ter info"}


def add_commands(commands: Any) -> None:
    flags = commands.add_parser(
        "flags",
        help="signalen: opvallende patronen in de reviews",
        description="Signalen zijn advies aan u, nooit een beschuldiging in het openbaar.",
    )
    sub = flags.add_subparsers(dest="action", title="acties", metavar="ACTIE", required=True,
                               parser_class=type(flags))  # fmt: skip
    listing = sub.add_parser("list", help="de open signalen, het nieuwste bovenaan")
    listing.add_argument("--all", action="store_true", help="ook de weggezette")
    listing.add_argument("--json", action="store_true", help="als JSON, met het bewijs")
    listing.set_defaults(handler=cmd_flags_list)
    dismiss = sub.add_parser(
        "dismiss",
        help="zet een signaal weg, met de reden",
        description="Zet een signaal weg. Het blijft bewaard met de reden, en hetzelfde patroon "
        "wordt niet opnieuw gemeld.",
    )
    dismiss.add_argument("id", type=int, metavar="ID")
    dismiss.add_argument("--reden", "--reason", dest="reason", required=True, metavar="TEKST",
                         help="waarom het geen actie vraagt")  # fmt: skip
    dismiss.add_argument("--by", metavar="NAAM", help="wie (standaard uw gebruikersnaam)")
    dismiss.set_defaults(handler=cmd_flags_dismiss)


def cmd_flags_list(args: argparse.Namespace) -> int:
    settings = settings_for(args)
    with session_scope(open_store(settings.database_url)) as session:
        flags = list_flags(session=session, include_closed=args.all)
        if args.json:
            rows = [
                {"id": f.id, "kind": f.kind, "severity": f.severity, "status": f.status,
                 "title": f.title, "explanation": f.explanation, "action": f.action,
                 "evidence": f.evidence, "created_at": f.created_at.isoformat(),
                 "dismissed_reason": f.dismissed_reason}
                for f in flags
            ]  # fmt: skip
            print(json.dumps(rows, ensure_ascii=False, indent=2))
            return 0
        if not flags:
            print("Geen open signalen." if not args.all else "Geen signalen.")
            return 0
        for flag in flags:
            when = long_date(flag.created_at.astimezone(settings.shop.zone).date())
            state = "" if flag.status == "open" else f" · weggezet: {clean(flag.dismissed_reason)}"
            print(f"[{flag.id}] {when} · {SEVERITY.get(flag.severity, flag.severity)} · "
                  f"{clean(flag.title)}{state}")  # fmt: skip
            print(f"      {clean(flag.explanation)}")
            print(f"      Wat te doen: {clean(flag.action)}")
            ids = (flag.evidence or {}).get("review_ids") or []
            if ids:
                shown = ", ".join(str(i) for i in ids[:12]) + (" ..." if len(ids) > 12 else "")
                print(f"      Reviews: {shown}")
    return 0


def cmd_flags_dismiss(args: argparse.Namespace) -> int:
    settings = settings_for(args)
    with session_scope(open_store(settings.database_url)) as session:
        flag = dismiss_flag(session=session, flag_id=args.id, reason=args.reason,
                            by=args.by or getpass.getuser(), now=utcnow())  # fmt: skip
        session.commit()
        who, why = clean(flag.dismissed_by), clean(flag.dismissed_reason)
        print(f"Signaal {flag.id} weggezet door {who}: {why}")
    return 0
