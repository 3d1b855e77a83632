"""The drafts commands, the terminal twin of the web app: list, show, edit, approve (and post),
reject, answered elsewhere, reopen, posted by hand; and 'check' for replies written anywhere."""

from __future__ import annotations

import argparse
import getpass
import textwrap
from pathlib import Path
from typing import Any

from monitor.cli import drafting
from monitor.cli.browse import KIND_WORDS, excerpt, print_review
from monitor.cli.jobs import settings_for
from monitor.cli.output import clean
from monitor.db import open_store, session_scope
from monitor.decisions import (
    answered_elsewhere,
    approve_draft,
    edit_draft,
    reject_draft,
    reopen_draft,
    wording_of,
)
from monitor.dutch import when
from monitor.errors import ReviewwachtError
from monitor.posting import confirm_posted, post_of, post_replies
from monitor.queries import get_review
from monitor.replies import STATUS_WORDS, get_draft, list_drafts
from monitor.web.words import POST_WORDS

DRAFT_STATUSES = ("pending", "approved", "rejected", "posted", "answered", "superseded", "all")


def _by(parser: argparse.ArgumentParser, verb: str) -> None:
    parser.add_argument("--by", metavar="NAAM", help=f"wie {verb} (standaard uw gebruikersnaam)")


def _wording(parser: argparse.ArgumentParser, required: bool) -> None:
    group = parser.add_mutually_exclusive_group(required=required)
    group.add_argument("--text", metavar="TEKST", help="uw eigen versie van het antwoord")
    group.add_argument("--file", metavar="PAD", help="lees uw eigen versie uit een bestand")


def add_commands(commands: Any) -> None:
    drafts = commands.add_parser(
        "drafts", help="conceptantwoorden bekijken, aanpassen, goedkeuren of afwijzen"
    )
    sub = drafts.add_subparsers(
        dest="action", title="acties", metavar="ACTIE", required=True, parser_class=type(drafts)
    )
    listing = sub.add_parser("list", help="concepten, de oudste klacht bovenaan")
    listing.add_argument(
        "--status", choices=DRAFT_STATUSES, default="pending",
        help="welke concepten (standaard pending: wachten op goedkeuring)",
    )  # fmt: skip
    listing.add_argument(
        "--limit", type=int, default=50, metavar="N", help="hoeveel (standaard 50)"
    )
    listing.set_defaults(handler=cmd_list)
    show = sub.add_parser("show", help="een concept naast de review waar het op antwoordt")
    show.add_argument("id", type=int, metavar="ID")
    show.set_defaults(handler=cmd_show)
    edit = sub.add_parser(
        "edit", help="pas een concept aan (nog niet goedgekeurd)",
        description="Slaat uw eigen versie van een openstaand concept op, na de toetsing van de "
        "toon. Goedkeuren is een aparte stap.",
    )  # fmt: skip
    edit.add_argument("id", type=int, metavar="ID")
    _wording(edit, required=True)
    _by(edit, "aanpast")
    edit.set_defaults(handler=cmd_edit)
    approve = sub.add_parser(
        "approve", help="keur een concept goed (eventueel in eigen woorden) en plaats het",
        description="Keurt een concept goed. Alleen precies deze tekst mag later naar de klant; "
        "met --text of --file keurt u uw eigen versie goed. Daarna wordt het antwoord meteen "
        "geplaatst (via de API van het platform of per mail), of het staat klaar om te plakken.",
    )  # fmt: skip
    approve.add_argument("id", type=int, metavar="ID")
    _wording(approve, required=False)
    _by(approve, "goedkeurt")
    approve.add_argument(
        "--later", action="store_true",
        help="nog niet plaatsen; dat doet de volgende run of de daemon",
    )  # fmt: skip
    approve.set_defaults(handler=cmd_approve)
    reject = sub.add_parser("reject", help="wijs een concept af, met een reden")
    reject.add_argument("id", type=int, metavar="ID")
    reject.add_argument("--reason", required=True, metavar="REDEN", help="waarom (verplicht)")
    _by(reject, "afwijst")
    reject.set_defaults(handler=cmd_reject)
    elsewhere = sub.add_parser("answered", help="markeer als elders beantwoord (er gaat niets uit)")
    elsewhere.add_argument("id", type=int, metavar="ID")
    elsewhere.add_argument("--note", default="", metavar="HOE", help='bijvoorbeeld "telefonisch"')
    _by(elsewhere, "het markeert")
    elsewhere.set_defaults(handler=cmd_answered)
    reopen = sub.add_parser("reopen", help="trek een goedkeuring in die nog niet geplaatst is")
    reopen.add_argument("id", type=int, metavar="ID")
    _by(reopen, "intrekt")
    reopen.set_defaults(handler=cmd_reopen)
    posted = sub.add_parser("posted", help="bevestig dat u een klaargezet antwoord hebt geplakt")
    posted.add_argument("id", type=int, metavar="ID")
    _by(posted, "het plaatste")
    posted.set_defaults(handler=cmd_posted)
    drafting.add_check(sub)


def _who(args: argparse.Namespace) -> str:
    return args.by or getpass.getuser()


def _text(args: argparse.Namespace) -> str | None:
    text = args.text
    if args.file:
        try:
            text = Path(args.file).read_text(encoding="utf-8")
        except OSError as exc:
            raise ReviewwachtError(
                f"{args.file} kan niet worden gelezen ({exc.strerror})."
            ) from None
    if text is not None and not text.strip():
        raise ReviewwachtError("De eigen tekst is leeg.")
    return text


def cmd_list(args: argparse.Namespace) -> int:
    settings = settings_for(args)
    status = None if args.status == "all" else args.status
    with session_scope(open_store(settings.database_url)) as session:
        rows = list_drafts(session=session, status=status, limit=args.limit)
    if not rows:
        print("Geen concepten" + (f" met status {STATUS_WORDS[status]}." if status else "."))
        return 0
    zone = settings.shop.zone
    for draft, review in rows:
        print(
            f"[{draft.id}] {KIND_WORDS.get(draft.kind, draft.kind)} · "
            f"{STATUS_WORDS.get(draft.status, draft.status)} · "
            f"{clean(review.author) or 'onbekend'}, {when(review.published_at, zone, year=True)}"
        )
        print(f"      {excerpt(review)}")
    print("\nBekijk een concept met 'reviewwacht drafts show ID'.")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    settings = settings_for(args)
    with session_scope(open_store(settings.database_url)) as session:
        draft = get_draft(session=session, draft_id=args.id)
        review = get_review(session=session, review_id=draft.review_id)
        post = post_of(session=session, draft_id=draft.id)
    print_review(review, settings)
    print(f"\nConcept {draft.id} ({STATUS_WORDS.get(draft.status, draft.status)}):")
    print(textwrap.indent(clean(draft.approved_text or wording_of(draft)), "  "))
    if draft.decided_by:
        decided = when(draft.decided_at, settings.shop.zone, year=True)
        reason = f": {clean(draft.reject_reason)}" if draft.reject_reason else ""
        print(f"Besloten door {clean(draft.decided_by)}, {decided}{reason}")
    if post is not None:
        error = f" ({clean(post.last_error)})" if post.last_error else ""
        print(f"Plaatsen: {POST_WORDS.get(post.status, post.status)}{error}")
    if draft.status == "pending":
        print(
            f"\nGoedkeuren: reviewwacht drafts approve {draft.id}   "
            f'Aanpassen: reviewwacht drafts edit {draft.id} --text "..."   '
            f'Afwijzen: reviewwacht drafts reject {draft.id} --reason "..."'
        )
    return 0


def cmd_edit(args: argparse.Namespace) -> int:
    settings = settings_for(args)
    text = _text(args) or ""
    with session_scope(open_store(settings.database_url)) as session:
        edit_draft(session=session, draft_id=args.id, by=_who(args), text=text,
                   shop_contacts=settings.reply_policy().own_words)  # fmt: skip
        session.commit()
    print(f"Concept {args.id} aangepast. Keur het goed met 'reviewwacht drafts approve {args.id}'.")
    return 0


def cmd_approve(args: argparse.Namespace) -> int:
    settings = settings_for(args)
    text = _text(args)
    engine = open_store(settings.database_url)
    with session_scope(engine) as session:
        draft = approve_draft(session=session, draft_id=args.id, by=_who(args), text=text,
                              shop_contacts=settings.reply_policy().own_words)  # fmt: skip
        session.commit()
        edited = " (in uw eigen woorden)" if draft.edited_text else ""
        print(f"Concept {draft.id} goedgekeurd{edited} door {clean(draft.decided_by)}.")
    if args.later:
        print("Het wordt geplaatst bij de volgende run of door de daemon.")
        return 0
    post_replies(engine=engine, settings=settings, draft_ids=[args.id])
    with session_scope(engine) as session:
        post = post_of(session=session, draft_id=args.id)
    if post is None:
        print("Het antwoord is niet klaargezet om te plaatsen.")
        return 1
    if post.status == "ready":
        print("Dit platform heeft geen API om te reageren: plak het antwoord zelf bij de review")
        print(f"en bevestig met 'reviewwacht drafts posted {args.id}'.")
    elif post.status == "posted":
        print("Het antwoord is geplaatst.")
    else:
        print(f"Plaatsen is niet gelukt: {clean(post.last_error or '')}")
        if post.status == "queued":
            print("Het wordt later opnieuw geprobeerd (bij de volgende run of door de daemon).")
        return 1
    return 0


def _decide(args: argparse.Namespace, decide: Any, done: str, **extra: Any) -> int:
    """Run one decision on a draft in its own transaction and say what happened."""
    settings = settings_for(args)
    with session_scope(open_store(settings.database_url)) as session:
        decide(session=session, draft_id=args.id, by=_who(args), **extra)
        session.commit()
    print(done.format(id=args.id))
    return 0


def cmd_reject(args: argparse.Namespace) -> int:
    return _decide(args, reject_draft, "Concept {id} afgewezen.", reason=args.reason)


def cmd_answered(args: argparse.Namespace) -> int:
    done = "Concept {id} gemarkeerd als elders beantwoord; er wordt niets verstuurd."
    return _decide(args, answered_elsewhere, done, note=args.note)


def cmd_reopen(args: argparse.Namespace) -> int:
    done = "De goedkeuring van concept {id} is ingetrokken; het staat weer open."
    return _decide(args, reopen_draft, done)


def cmd_posted(args: argparse.Namespace) -> int:
    done = "Vastgelegd: het antwoord van concept {id} is geplaatst."
    return _decide(args, confirm_posted, done)
