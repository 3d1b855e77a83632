"""The sentiment commands: train the embedded model, evaluate a model, adapt it to the shop."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from monitor.cli.jobs import settings_for
from monitor.config_schema import DATA_DIR
from monitor.db import open_store, session_scope
from monitor.errors import ReviewwachtError
from monitor.queries import rated_texts
from monitor.scoring import scorer_for
from monitor.stages.score import scoring_text
from sentiment import BUILTIN_MODEL, LEXICON, active_model
from sentiment.adaptation import TooFewReviews, adapt
from sentiment.corpus import Example, rating_label, read_labelled_csv
from sentiment.errors import ModelLoadError
from sentiment.lexicon import load_lexicon
from sentiment.metrics import ORDER, Figures, figures
from sentiment.ngram import NgramModel
from sentiment.routing import UNSCORED
from sentiment.training_run import TrainingDataMissing, train_shipped

SHARED_DATA = DATA_DIR.parent.parent / "shared" / "data" / "sentiment"
SHIPPED_MODEL = DATA_DIR / "model" / BUILTIN_MODEL
ADAPT_ROWS = (
    ("accuracy", "accuracy"),
    ("macro-F1", "macro_f1"),
    ("negatief recall", "neg_recall"),
    ("negatief precisie", "neg_precision"),
)
WORDS = {"negative": "negatief", "neutral": "neutraal", "positive": "positief"}


def add_commands(commands: Any) -> None:
    group = commands.add_parser(
        "sentiment",
        help="het sentimentmodel: trainen, meten, aanpassen aan de winkel",
        description="Het sentimentmodel dat reviews en mails scoort.",
    )
    sub = group.add_subparsers(dest="action", title="acties", metavar="ACTIE", required=True,
                               parser_class=type(group))  # fmt: skip
    train = sub.add_parser(
        "train",
        help="train het ingebouwde model opnieuw (vaste seeds: steeds hetzelfde model)",
        description="Traint het ingebouwde model op de gelabelde Nederlandse teksten en meet het "
        "per reviewbron die het niet gezien heeft (leave one source out).",
    )
    train.add_argument("--data", metavar="MAP", type=Path, default=SHARED_DATA,
                       help=f"de gelabelde teksten (standaard {SHARED_DATA})")  # fmt: skip
    train.add_argument("--out", metavar="PAD", type=Path, default=SHIPPED_MODEL,
                       help="waar het model komt (standaard data/model/ngram-nl.pt)")  # fmt: skip
    train.add_argument("--no-evaluate", action="store_true",
                       help="sla de meting per bron over (sneller)")  # fmt: skip
    train.set_defaults(handler=cmd_train)
    evaluate = sub.add_parser(
        "evaluate",
        help="meet een model op een CSV-bestand met kolommen text,label",
        description="Meet het ingestelde model (of --model) op een CSV-bestand met de kolommen "
        "text en label (pos/neg/neutral of positive/negative/neutral). Andere labels worden "
        "geteld en overgeslagen.",
    )
    evaluate.add_argument("file", type=Path, metavar="BESTAND.csv")
    evaluate.add_argument("--json", action="store_true", help="de cijfers als één JSON-object")
    evaluate.add_argument(
        "--model",
        metavar="MODEL",
        help="builtin, lexicon of een transformers-map (standaard: config)",
    )
    evaluate.set_defaults(handler=cmd_evaluate)
    adapting = sub.add_parser(
        "adapt",
        help="pas het ingebouwde model aan op de eigen beoordeelde reviews",
        description="Leert van de eigen reviews met sterren (1-2 negatief, 3 neutraal, 4-5 "
        "positief, naar schaal), houdt een vijfde apart om oud en nieuw te vergelijken, en "
        "neemt het nieuwe model alleen in gebruik als het beter is.",
    )
    adapting.add_argument("--dry-run", action="store_true",
                          help="alleen meten, het model niet vervangen")  # fmt: skip
    adapting.set_defaults(handler=cmd_adapt)


def cmd_train(args: argparse.Namespace) -> int:
    try:
        result = train_shipped(
            args.data, out=args.out, lexicon_path=DATA_DIR / "model" / LEXICON,
            handwritten=DATA_DIR / "model" / "webshop-examples.tsv",
            evaluate=not args.no_evaluate, say=print,
        )  # fmt: skip
    except TrainingDataMissing as error:
        raise ReviewwachtError(str(error)) from None
    print(f"Model opgeslagen: {args.out} ({result.features:,} kenmerken, {result.seconds:.0f} s)")
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    settings = settings_for(args)
    if args.model:
        settings = settings.model_copy(
            update={"sentiment": settings.sentiment.model_copy(update={"model": args.model})}
        )
    try:
        examples, skipped = read_labelled_csv(args.file)
    except (OSError, ValueError, UnicodeDecodeError) as error:
        raise ReviewwachtError(f"{args.file} kan niet gelezen worden: {error}") from None
    if not examples:
        raise ReviewwachtError(f"{args.file} bevat geen rijen met een bruikbaar label.")
    scorer = scorer_for(settings)
    results = scorer([example.text for example in examples])
    result = figures([e.label for e in examples], [r.label for r in results])
    unscored = sum(r.model == UNSCORED for r in results)
    if args.json:
        print(json.dumps(result.as_json()))
        return 0
    print(f"Model: {settings.sentiment.model} · {result.n} teksten uit {args.file}")
    if skipped:
        left = ", ".join(f"{label or '(leeg)'} ×{n}" for label, n in sorted(skipped.items()))
        print(f"Overgeslagen (onbekend label): {left}")
    if unscored:
        print(f"Niet in een taal die het model leest (als neutraal geteld): {unscored}")
    print_figures(result)
    return 0


def print_figures(result: Figures) -> None:
    print(f"accuracy        {result.accuracy:.3f}")
    print(f"macro-F1        {result.macro_f1:.3f}")
    print(f"negatief recall {result.neg_recall:.3f}")
    print(f"negatief precisie {result.neg_precision:.3f}")
    print("\nverwarring (rij: echt, kolom: voorspeld)")
    print(" " * 10 + "".join(f"{WORDS[label]:>10}" for label in ORDER))
    for gold, row in result.confusion.items():
        print(f"{WORDS[gold]:<10}" + "".join(f"{row[label]:>10}" for label in ORDER))


def cmd_adapt(args: argparse.Namespace) -> int:
    settings = settings_for(args)
    adapted = settings.sentiment.adapted_path(settings.base_dir)
    current = active_model(settings.data_dir, adapted)
    try:
        base = NgramModel.load(current, lexicon=load_lexicon(settings.data_dir / "model" / LEXICON))
    except ModelLoadError as exc:
        raise ReviewwachtError(f"Het huidige model kan niet geladen worden: {exc}.") from None
    with session_scope(open_store(settings.database_url)) as session:
        rows = rated_texts(session=session)
    examples = [
        Example(text=scoring_text(title, text), label=rating_label(norm), source="shop")
        for title, text, norm in rows
    ]
    try:
        outcome = adapt(base, examples)
    except TooFewReviews as error:
        raise ReviewwachtError(f"Te weinig om op te leren: {error}.") from None
    print(f"Getraind op {outcome.trained} reviews, gemeten op {outcome.held_out} andere.")
    print(f"{'':18}{'nu':>8}{'nieuw':>8}")
    for name, key in ADAPT_ROWS:
        print(f"{name:18}{getattr(outcome.before, key):8.3f}{getattr(outcome.after, key):8.3f}")
    if not outcome.better:
        print(f"Niet beter: het huidige model ({current.name}) blijft in gebruik.")
        return 0
    if args.dry_run:
        print("Beter, maar --dry-run: niets vervangen.")
        return 0
    outcome.model.save(adapted)
    print(f"Beter: het aangepaste model staat in {adapted} en scoort vanaf nu de nieuwe teksten.")
    if settings.sentiment.model != "builtin":
        print(
            f"Let op: de configuratie gebruikt model = {settings.sentiment.model!r}, niet builtin."
        )
    return 0
