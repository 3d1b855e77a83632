"""The commands around reply wording: 'drafts check' vets replies written anywhere against the
tone check, in bulk; 'codes import/list' manage the pool of discount codes from the webshop."""

from __future__ import annotations

import argparse
import csv
import sys
from datetime import date
from pathlib import Path
from typing import Any

from drafts import check_tone
from monitor.cli.jobs import settings_for
from monitor.codes import import_pool, pool_counts
from monitor.db import open_store, session_scope
from monitor.dutch import number
from monitor.errors import ReviewwachtError
from monitor.models import utcnow

PURPOSE_WORDS = {"sorry": "excuses (klachten)", "loyalty": "trouwe klanten"}


def add_check(sub: Any) -> None:
    check = sub.add_parser(
        "check",
        help="controleer antwoorden uit een CSV-bestand op toon en inhoud",
        description="Leest een CSV-bestand met een kolom 'text' (antwoorden, waar dan ook "
        "geschreven) en schrijft CSV naar stdout met de kolommen text,ok,reasons. Dezelfde "
        "controle houdt elk concept en elke eigen tekst tegen voordat die goedgekeurd kan "
        "worden: verwijten, ego of irritatie, sarcasme, schreeuwen, vage beloftes zonder "
        "moment, vragen om een review aan te passen, en persoonsgegevens in een openbaar "
        "antwoord. Afsluitcode 1 als minstens één antwoord is tegengehouden.",
    )
    check.add_argument("--csv", required=True, metavar="BESTAND", dest="csv_file",
                       help="CSV-bestand (UTF-8) met een kolom text")  # fmt: skip
    check.add_argument("--private", action="store_true",
                       help="het zijn persoonlijke mails, geen openbare reacties: "
                       "persoonsgegevens mogen erin")  # fmt: skip
    check.add_argument("--allow", action="append", default=[], metavar="TEKST",
                       help="eigen gegevens van de winkel die in een antwoord mogen (herhaalbaar); "
                       "het contactadres uit de configuratie mag altijd")  # fmt: skip
    check.set_defaults(handler=cmd_drafts_check)


def _read_rows(path: str) -> list[dict[str, str]]:
    try:
        with Path(path).open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            if not reader.fieldnames or "text" not in reader.fieldnames:
                found = ", ".join(reader.fieldnames or []) or "geen"
                raise ReviewwachtError(
                    f"{path} heeft geen kolom 'text' (gevonden kolommen: {found})."
                )
            return list(reader)
    except OSError as exc:
        raise ReviewwachtError(f"{path} kan niet worden gelezen ({exc.strerror}).") from None
    except (UnicodeDecodeError, csv.Error) as exc:
        raise ReviewwachtError(f"{path} is geen leesbaar UTF-8 CSV-bestand ({exc}).") from None


def cmd_drafts_check(args: argparse.Namespace) -> int:
    settings = settings_for(args)
    allowed = [*settings.reply_policy().own_words, *(value for value in args.allow if value)]
    rows = _read_rows(args.csv_file)
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["text", "ok", "reasons"])
    blocked = 0
    for row in rows:
        text = row.get("text") or ""
        if not text.strip():
            reasons = ["Het antwoord is leeg."]
        else:
            result = check_tone(text, public=not args.private, allowed=allowed)
            reasons = [problem.reason for problem in result.problems]
        blocked += bool(reasons)
        writer.writerow([text, "false" if reasons else "true", " | ".join(reasons)])
    print(
        f"{number(len(rows))} antwoorden gecontroleerd, {number(blocked)} tegengehouden.",
        file=sys.stderr,
    )
    return 1 if blocked else 0


def add_commands(commands: Any) -> None:
    codes = commands.add_parser("codes", help="kortingscodes uit uw webwinkel (de codepool)")
    sub = codes.add_subparsers(dest="action", title="acties", metavar="ACTIE", required=True,
                               parser_class=type(codes))  # fmt: skip
    load = sub.add_parser(
        "import",
        help="voeg kortingscodes uit uw webwinkel toe aan de pool",
        description="Leest codes uit een bestand: één per regel, of een CSV met een kolom "
        "'code'. Elke code gaat naar hoogstens één review; een code die al bekend is, wordt "
        'overgeslagen. Zet in de configuratie [drafts.codes] source = "pool" om ze te '
        "gebruiken.",
    )
    load.add_argument("file", metavar="BESTAND")
    load.add_argument("--percent", type=int, required=True, metavar="N",
                      help="de korting die de codes geven, in procenten")  # fmt: skip
    load.add_argument("--purpose", choices=("sorry", "loyalty"), default="sorry",
                      help="sorry: bij klachten (standaard); loyalty: trouwe klanten")  # fmt: skip
    load.add_argument("--expires", metavar="JJJJ-MM-DD", type=date.fromisoformat,
                      help="tot en met wanneer de codes geldig zijn")  # fmt: skip
    load.set_defaults(handler=cmd_codes_import)
    listing = sub.add_parser("list", help="hoeveel codes de pool nog heeft")
    listing.set_defaults(handler=cmd_codes_list)


def _codes_from(path: str) -> list[str]:
    try:
        lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    except OSError as exc:
        raise ReviewwachtError(f"{path} kan niet worden gelezen ({exc.strerror}).") from None
    except UnicodeDecodeError:
        raise ReviewwachtError(f"{path} is geen UTF-8-tekstbestand.") from None
    rows = list(csv.reader(lines))
    if rows and rows[0] and rows[0][0].strip().lower() == "code":
        rows = rows[1:]  # a CSV export with a header
    codes = [row[0].strip() for row in rows if row and row[0].strip()]
    bad = [code for code in codes if len(code) > 64 or any(ch.isspace() for ch in code)]
    if bad:
        raise ReviewwachtError(
            f"{path}: {number(len(bad))} regel(s) zijn geen kortingscode (langer dan 64 tekens "
            f"of met spaties), bijvoorbeeld {bad[0][:40]!r}. Er is niets geïmporteerd."
        )
    return codes


def cmd_codes_import(args: argparse.Namespace) -> int:
    if not 0 < args.percent <= 100:
        raise ReviewwachtError("--percent moet tussen 1 en 100 liggen.")
    settings = settings_for(args)
    codes = _codes_from(args.file)
    with session_scope(open_store(settings.database_url)) as session:
        added, skipped = import_pool(
            session=session, codes=codes, purpose=args.purpose, percent=args.percent,
            expires_on=args.expires, now=utcnow(),
        )  # fmt: skip
        session.commit()
    print(f"{number(added)} codes toegevoegd aan de pool, {number(skipped)} al bekend.")
    if settings.drafts.codes.source != "pool":
        print('Let op: de concepten gebruiken de pool pas met [drafts.codes] source = "pool".')
    return 0


def cmd_codes_list(args: argparse.Namespace) -> int:
    settings = settings_for(args)
    with session_scope(open_store(settings.database_url)) as session:
        counts = pool_counts(session=session)
    if not counts:
        print("De codepool is leeg. Voeg codes toe met 'reviewwacht codes import BESTAND'.")
        return 0
    for purpose, words in PURPOSE_WORDS.items():
        free, used = counts.get((purpose, False), 0), counts.get((purpose, True), 0)
        if free or used:
            print(f"{words}: {number(free)} vrij, {number(used)} uitgegeven")
    return 0
