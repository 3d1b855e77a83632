"""The commands that read reviews and mails: list, search, show. Review text is untrusted and
printed through ``clean``."""

from __future__ import annotations

import argparse
import textwrap
from typing import Any

from monitor.cli.jobs import settings_for
from monitor.cli.output import clean
from monitor.db import open_store, session_scope
from monitor.dutch import number, when
from monitor.models import Review, Score
from monitor.queries import get_review, list_reviews

KIND_WORDS = {
    "complaint": "klacht",
    "compliment": "compliment",
    "question": "vraag",
    "other": "overig",
}
LABEL_WORDS = {"negative": "negatief", "neutral": "neutraal", "positive": "positief"}


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


def excerpt(review: Review, width: int = 90) -> str:
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
        print(f"      {excerpt(review)}")
    return 0


def print_review(review: Review, settings: Any) -> None:
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
    print_review(review, settings)
    return 0
