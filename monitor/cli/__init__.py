"""The command line: errors as one readable Dutch line, a traceback only with --debug."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence

from monitor import __version__
from monitor.cli import (
    browse,
    daemon,
    decide,
    drafting,
    flags,
    jobs,
    reminders,
    report,
    sentiment,
    serve,
    sources,
    users,
)
from monitor.cli.output import DutchParser
from monitor.errors import ReviewwachtError
from monitor.logs import setup_logging

DESCRIPTION = """\
reviewwacht bewaakt de reviews en klantmails van een webwinkel, herkent klachten,
complimenten en opvallende patronen, en stelt rustige antwoorden voor. Niets gaat
naar een klant zonder dat een mens het heeft goedgekeurd.

Begin met 'reviewwacht demo' om alles te zien werken op een voorbeeldwinkel, of
'reviewwacht init' om een eigen configuratie te schrijven."""


def build_parser() -> DutchParser:
    parser = DutchParser(prog="reviewwacht", description=DESCRIPTION)
    parser.add_argument(
        "--version",
        action="version",
        version=f"reviewwacht {__version__}",
        help="toon het versienummer en stop",
    )
    parser.add_argument(
        "--config",
        metavar="PAD",
        help="het configuratiebestand (standaard ./reviewwacht.toml of $REVIEWWACHT_CONFIG)",
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="toon wat er gebeurt (logboek)"
    )
    parser.add_argument("--debug", action="store_true", help="toon alle details, ook bij fouten")
    commands = parser.add_subparsers(
        dest="command", title="opdrachten", metavar="OPDRACHT", parser_class=DutchParser
    )
    commands.required = True
    jobs.add_commands(commands)
    browse.add_commands(commands)
    decide.add_commands(commands)
    sources.add_commands(commands)
    daemon.add_commands(commands)
    reminders.add_commands(commands)
    drafting.add_commands(commands)
    report.add_commands(commands)
    flags.add_commands(commands)
    sentiment.add_commands(commands)
    users.add_commands(commands)
    serve.add_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    args.log_level = (
        logging.DEBUG if args.debug else logging.INFO if args.verbose else logging.WARNING
    )
    setup_logging(level=args.log_level)
    try:
        return int(args.handler(args) or 0)
    except ReviewwachtError as exc:
        if args.debug:
            raise
        print(f"Fout: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Afgebroken.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # Output piped into `head` or a pager that quit: stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except Exception as exc:
        if args.debug:
            raise
        # Only the type: the message of an unexpected error may quote a secret.
        print(
            f"Onverwachte fout ({type(exc).__name__}). Gebruik --debug voor details.",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
