"""The reminders commands: the dates promised in approved replies, and marking one done."""

from __future__ import annotations

import argparse
import getpass
from typing import Any

from monitor.cli.jobs import settings_for
from monitor.cli.output import clean
from monitor.db import open_store, session_scope
from monitor.dutch import long_date
from monitor.models import utcnow
from monitor.replies import finish_reminder, list_reminders


def add_commands(commands: Any) -> None:
    reminders = commands.add_parser("reminders", help="beloftes uit goedgekeurde antwoorden")
    sub = reminders.add_subparsers(dest="action", title="acties", metavar="ACTIE", required=True,
                                   parser_class=type(reminders))  # fmt: skip
    listing = sub.add_parser("list", help="openstaande beloftes, de vroegste bovenaan")
    listing.add_argument("--all", action="store_true", help="ook de afgeronde")
    listing.set_defaults(handler=cmd_reminders_list)
    done = sub.add_parser("done", help="markeer een belofte als nagekomen")
    done.add_argument("id", type=int, metavar="ID")
    done.add_argument("--by", metavar="NAAM", help="wie (standaard uw gebruikersnaam)")
    done.set_defaults(handler=cmd_reminders_done)


def cmd_reminders_list(args: argparse.Namespace) -> int:
    settings = settings_for(args)
    today = utcnow().astimezone(settings.shop.zone).date()
    with session_scope(open_store(settings.database_url)) as session:
        rows = list_reminders(session=session, include_done=args.all)
    if not rows:
        print("Geen openstaande beloftes." if not args.all else "Geen beloftes.")
        return 0
    for reminder, review in rows:
        if reminder.status == "done":
            state = "afgerond"
        elif reminder.due_date < today:
            state = "VERLOPEN"
        elif reminder.due_date == today:
            state = "vandaag"
        else:
            state = "open"
        print(f"[{reminder.id}] {long_date(reminder.due_date)} · {state} · review {review.id}")
        print(f"      {clean(reminder.what)}")
    return 0


def cmd_reminders_done(args: argparse.Namespace) -> int:
    settings = settings_for(args)
    with session_scope(open_store(settings.database_url)) as session:
        reminder = finish_reminder(
            session=session, reminder_id=args.id, by=args.by or getpass.getuser(), now=utcnow()
        )
        session.commit()
    print(f"Belofte {reminder.id} afgerond door {clean(reminder.done_by)}.")
    return 0
