"""The commands that read and decide: reviews (list, search, show) and drafts (list, show,
approve, reject, check). Review text is untrusted and printed through ``clean``."""

from __future__ import annotations

import argparse
import getpass
import textwrap
from pathlib import Path
from typing import Any

from monitor.cli import drafting
from monitor.cli.jobs import settings_for
from monitor.cli.output import clean
from monitor.db import open_store, session_scope
from monitor.dutch import number, when
from monitor.errors import ReviewwachtError
from monitor.models import Review, Score
from monitor.queries import get_review, list_reviews
from monitor.replies import STATUS_WORDS, approve_draft, get_draft, list_drafts, reject_draft

KIND_WORDS = {
    "complaint": "klacht",
    "compliment": "compliment",
    "question": "vraag",
    "other": "overig",
}
LABEL_WORDS = {"negative": "negatief", "neutral": "neutraal", "positive": "positief"}
DRAFT_STATUSES = ("pending", "approved", "rejected", "posted", "superseded", "all")


def add_commands(commands: Any) -> None:
    reviews = commands.add_parser("reviews", help="reviews en mails bekijken en doorzoeken")
    sub = reviews.add_subparsers(
        dest="action", title="acties", metavar="ACTIE", required=True, parser_class=type(reviews)
    )
    listing = sub.add_parser("list", help="de nieuwste reviews en mails")
    _review_filters(listing)
    listing.set_defaults(handler=cmd_reviews_list, term=None)
    search = sub.add_parser("search", help="zoek in tekst, titel en naam")
    search.add_argument("term", metavar="ZOEKTERM")
    _review_filters(search)
    search.set_defaults(handler=cmd_reviews_list)
    show = sub.add_parser("show", help="één review of mail helemaal")
    show.add_argument("id", type=int, metavar="ID")
    show.set_defaults(handler=cmd_reviews_show)

    drafts = commands.add_parser(
        "drafts", help="conceptantwoorden bekijken, goedkeuren of afwijzen"
    )
    sub = drafts.add_subparsers(
        dest="action", title="acties", metavar="ACTIE", required=True, parser_class=type(drafts)
    )
    listing = sub.add_parser("list", help="concepten, de oudste klacht bovenaan")
    listing.add_argument(
        "--status",
        choices=DRAFT_STATUSES,
        default="pending",
        help="welke concepten (standaard pending: wachten op goedkeuring)",
    )
    listing.add_argument(
        "--limit", type=int, default=50, metavar="N", help="hoeveel (standaard 50)"
    )
    listing.set_defaults(handler=cmd_drafts_list)
    show = sub.add_parser("show", help="een concept naast de review waar het op antwoordt")
    show.add_argument("id", type=int, metavar="ID")
    show.set_defaults(handler=cmd_drafts_show)
    approve = sub.add_parser(
        "approve",
        help="keur een concept goed, eventueel in eigen woorden",
        description="Keurt een concept goed. Alleen precies deze tekst mag "
        "later naar de klant; met --text of --file keurt u uw eigen versie goed.",
    )
    approve.add_argument("id", type=int, metavar="ID")
    wording = approve.add_mutually_exclusive_group()
    wording.add_argument("--text", metavar="TEKST", help="uw eigen versie van het antwoord")
    wording.add_argument("--file", metavar="PAD", help="lees uw eigen versie uit een bestand")
    approve.add_argument("--by", metavar="NAAM", help="wie goedkeurt (standaard uw gebruikersnaam)")
    approve.set_defaults(handler=cmd_drafts_approve)
    reject = sub.add_parser("reject", help="wijs een concept af, met een reden")
    reject.add_argument("id", type=int, metavar="ID")
    reject.add_argument("--reason", required=True, metavar="REDEN", help="waarom (verplicht)")
    reject.add_argument("--by", metavar="NAAM", help="wie afwijst (standaard uw gebruikersnaam)")
    reject.set_defaults(handler=cmd_drafts_reject)
    drafting.add_check(sub)


def _review_filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--mail", action="store_const", const="mail", dest="channel", help="alleen klantmails"
    )
    parser.add_argument(
        "--public",
        action="store_const",
        const="review",
        dest="channel",
        help="alleen openbare reviews",
    )
    parser.add_argument("--limit", type=int, default=30, metavar="N", help="hoeveel (standaard 30)")


def _excerpt(review: Review, width: int = 90) -> str:
    text = clean(" ".join(f"{review.title or ''} {review.text}".split()))
    return textwrap.shorten(text, width=width, placeholder=" …") if text else "(geen tekst)"


def _rating(review: Review) -> str:
    if review.rating is None:
        return "geen cijfer"
    return f"{number(review.rating)}/{number(review.rating_max)}"


def _score_words(score: Score | None) -> str:
    if score is None:
        return "nog niet gescoord"
    return f"{KIND_WORDS.get(score.kind, score.kind)}, {LABEL_WORDS.get(score.label, score.label)}"


def cmd_reviews_list(args: argparse.Namespace) -> int:
    settings = settings_for(args)
    with session_scope(open_store(settings.database_url)) as session:
        rows = list_reviews(
            session=session,
            search=args.term,
            channel=args.channel,
            limit=args.limit,
        )
    if not rows:
        print("Geen reviews gevonden.")
        return 0
    zone = settings.shop.zone
    for review, source, score in rows:
        print(
            f"[{review.id}] {when(review.published_at, zone, year=True)} · {clean(source.label)} · "
            f"{clean(review.author) or 'onbekend'} · {_rating(review)} · {_score_words(score)}"
        )
        print(f"      {_excerpt(review)}")
    return 0


def _print_review(review: Review, settings: Any) -> None:
    zone = settings.shop.zone
    kind = "mail" if review.channel == "mail" else "review"
    print(
        f"{kind.capitalize()} {review.id} van {clean(review.author) or 'onbekend'}, "
        f"{when(review.published_at, zone, year=True)} · {_rating(review)}"
    )
    if review.title:
        print(f"Titel: {clean(review.title)}")
    if review.recommends is not None:
        print(f"Beveelt de winkel aan: {'ja' if review.recommends else 'nee'}")
    print(textwrap.indent(clean(review.text) or "(geen tekst)", "  "))
    if review.reply_text:
        print("Reactie van de winkel (al geplaatst):")
        print(textwrap.indent(clean(review.reply_text), "  "))


def cmd_reviews_show(args: argparse.Namespace) -> int:
    settings = settings_for(args)
    with session_scope(open_store(settings.database_url)) as session:
        review = get_review(session=session, review_id=args.id)
    _print_review(review, settings)
    return 0


def cmd_drafts_list(args: argparse.Namespace) -> int:
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
            f"{clean(review.author) or 'onbekend'}, "
            f"{when(review.published_at, zone, year=True)}"
        )
        print(f"      {_excerpt(review)}")
    print("\nBekijk een concept met 'reviewwacht drafts show ID'.")
    return 0


def cmd_drafts_show(args: argparse.Namespace) -> int:
    settings = settings_for(args)
    with session_scope(open_store(settings.database_url)) as session:
        draft = get_draft(session=session, draft_id=args.id)
        review = get_review(session=session, review_id=draft.review_id)
    _print_review(review, settings)
    print(f"\nConcept {draft.id} ({STATUS_WORDS.get(draft.status, draft.status)}):")
    print(textwrap.indent(clean(draft.edited_text or draft.text), "  "))
    if draft.decided_by:
        decided = when(draft.decided_at, settings.shop.zone, year=True)
        reason = f": {clean(draft.reject_reason)}" if draft.reject_reason else ""
        print(f"Besloten door {clean(draft.decided_by)}, {decided}{reason}")
    if draft.status == "pending":
        print(
            f"\nGoedkeuren: reviewwacht drafts approve {draft.id}   "
            f'Afwijzen: reviewwacht drafts reject {draft.id} --reason "..."'
        )
    return 0


def cmd_drafts_approve(args: argparse.Namespace) -> int:
    settings = settings_for(args)
    text = args.text
    if args.file:
        try:
            text = Path(args.file).read_text(encoding="utf-8")
        except OSError as exc:
            raise ReviewwachtError(
                f"{args.file} kan niet worden gelezen ({exc.strerror})."
            ) from None
    if text is not None and not text.strip():
        raise ReviewwachtError(
            "De eigen tekst is leeg; zonder --text of --file keurt u het concept goed."
        )
    with session_scope(open_store(settings.database_url)) as session:
        draft = approve_draft(
            session=session,
            draft_id=args.id,
            by=args.by or getpass.getuser(),
            text=text,
            shop_contacts=settings.reply_policy().own_words,
        )
        session.commit()
    edited = " (in uw eigen woorden)" if draft.edited_text else ""
    print(f"Concept {draft.id} goedgekeurd{edited} door {clean(draft.decided_by)}.")
    print("Alleen deze tekst mag naar de klant; plaatsen gebeurt niet vanzelf.")
    return 0


def cmd_drafts_reject(args: argparse.Namespace) -> int:
    settings = settings_for(args)
    with session_scope(open_store(settings.database_url)) as session:
        draft = reject_draft(
            session=session, draft_id=args.id, by=args.by or getpass.getuser(), reason=args.reason
        )
        session.commit()
    print(f"Concept {draft.id} afgewezen door {clean(draft.decided_by)}.")
    return 0
