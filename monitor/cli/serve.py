"""The serve command: the web app for the owner and marketing, served by uvicorn."""

from __future__ import annotations

import argparse
from typing import Any

from monitor.cli.jobs import settings_for
from monitor.db import open_store, session_scope
from monitor.users import list_users


def add_commands(commands: Any) -> None:
    serve = commands.add_parser(
        "serve", help="start de webapp (inbox, goedkeuren, plaatsen, logboek)",
        description="Start de webapp. Standaard alleen bereikbaar op deze machine "
        "(127.0.0.1:8080, zie [web] in de configuratie); zet er voor toegang van buitenaf een "
        "reverse proxy met TLS voor. Voeg eerst gebruikers toe met 'reviewwacht users add'.",
    )  # fmt: skip
    serve.add_argument("--host", help="het adres om op te luisteren (standaard uit [web])")
    serve.add_argument("--port", type=int, help="de poort (standaard uit [web])")
    serve.set_defaults(handler=cmd_serve)


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from monitor.web.app import create_app

    settings = settings_for(args)
    engine = open_store(settings.database_url)
    with session_scope(engine) as session:
        if not list_users(session=session):
            print("Let op: er is nog niemand die kan inloggen. "
                  "Voeg iemand toe met 'reviewwacht users add NAAM --role owner'.")  # fmt: skip
    host = args.host or settings.web.host
    port = args.port or settings.web.port
    print(f"reviewwacht draait op http://{host}:{port}/ (stoppen met Ctrl+C)")
    uvicorn.run(
        create_app(settings, engine), host=host, port=port, log_level="warning",
        proxy_headers=True, forwarded_allow_ips=settings.web.trusted_proxies,
    )  # fmt: skip
    return 0
