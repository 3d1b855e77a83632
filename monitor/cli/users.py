"""The users commands: add people who may log in to the web app, list them, change a password,
switch an account off or on. Passwords are asked for at a hidden prompt (or read from stdin)."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from monitor.cli.jobs import settings_for
from monitor.cli.output import clean
from monitor.db import open_store, session_scope
from monitor.dutch import when
from monitor.errors import ReviewwachtError
from monitor.users import ROLE_WORDS, ROLES, add_user, list_users, set_active, set_password
from monitor.web.sessions import end_all


def add_commands(commands: Any) -> None:
    users = commands.add_parser("users", help="wie mag inloggen op de webapp")
    sub = users.add_subparsers(
        dest="action", title="acties", metavar="ACTIE", required=True, parser_class=type(users)
    )
    add = sub.add_parser(
        "add", help="voeg iemand toe",
        description="Voegt iemand toe die mag inloggen. Rollen: owner (eigenaar: alles) en "
        "marketing (complimenten en vragen; geen klachten, compensatie of signalen). Het "
        "wachtwoord wordt gevraagd (minstens 10 tekens) en alleen als argon2-hash bewaard.",
    )  # fmt: skip
    add.add_argument("name", metavar="NAAM")
    add.add_argument("--role", choices=ROLES, required=True, help="owner of marketing")
    _password_stdin(add)
    add.set_defaults(handler=cmd_add)
    listing = sub.add_parser("list", help="wie er zijn, met rol en laatste login")
    listing.set_defaults(handler=cmd_list)
    password = sub.add_parser("password", help="geef iemand een nieuw wachtwoord")
    password.add_argument("name", metavar="NAAM")
    _password_stdin(password)
    password.set_defaults(handler=cmd_password)
    for action, active, words in (("disable", False, "zet een account uit (en log het uit)"),
                                  ("enable", True, "zet een account weer aan")):  # fmt: skip
        toggle = sub.add_parser(action, help=words)
        toggle.add_argument("name", metavar="NAAM")
        toggle.set_defaults(handler=cmd_toggle, active=active)


def _password_stdin(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--password-stdin", action="store_true",
                        help="lees het wachtwoord van stdin (voor scripts)")  # fmt: skip


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Wachtwoord: ")
    if getpass.getpass("Nog een keer: ") != first:
        raise ReviewwachtError("De wachtwoorden zijn niet gelijk; er is niets veranderd.")
    return first


def cmd_add(args: argparse.Namespace) -> int:
    settings = settings_for(args)
    password = _password(args)
    with session_scope(open_store(settings.database_url)) as session:
        user = add_user(session=session, username=args.name, password=password, role=args.role)
        session.commit()
        print(f"{user.username} toegevoegd als {ROLE_WORDS[user.role]}.")
    print("Start de webapp met 'reviewwacht serve'.")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    settings = settings_for(args)
    with session_scope(open_store(settings.database_url)) as session:
        users = list_users(session=session)
    if not users:
        print("Nog niemand. Voeg iemand toe met 'reviewwacht users add NAAM --role owner'.")
    for user in users:
        last = (
            when(user.last_login_at, settings.shop.zone, year=True)
            if user.last_login_at
            else "nooit"
        )
        off = "" if user.active else " · uitgezet"
        print(f"{clean(user.username)} · {ROLE_WORDS[user.role]} · laatst ingelogd: {last}{off}")
    return 0


def cmd_password(args: argparse.Namespace) -> int:
    settings = settings_for(args)
    password = _password(args)
    with session_scope(open_store(settings.database_url)) as session:
        user = set_password(session=session, username=args.name, password=password)
        end_all(session=session, user_id=user.id)  # type: ignore[arg-type]
        session.commit()
    print(f"Nieuw wachtwoord voor {args.name}; bestaande logins zijn beëindigd.")
    return 0


def cmd_toggle(args: argparse.Namespace) -> int:
    settings = settings_for(args)
    with session_scope(open_store(settings.database_url)) as session:
        user = set_active(session=session, username=args.name, active=args.active)
        if not args.active:
            end_all(session=session, user_id=user.id)  # type: ignore[arg-type]
        session.commit()
    print(f"{args.name} is {'weer aan' if args.active else 'uitgezet en uitgelogd'}.")
    return 0
