"""Reply drafts for every negative and positive review text in ../shared/data/sentiment/: how many
pass the tone check, contain every rubric element, differ from each other, name the aspect the
review is about, and how fast they are written.

    .venv/bin/python bench/drafts.py [--data ../shared/data/sentiment] [--examples]

Protocol: the review files only (bol.com book reviews, bever.nl pros and cons, earphone reviews;
the tweets and film subtitles are not reviews); each distinct text once; the file's label sets
the kind (negative: complaint, positive: compliment; earphone stars 1-2 and 4-5, 3 is left out).
Scores, aspects and the clauses a draft takes up come from the built-in scorer, as in the
pipeline; the shop's default policy (u, discount 10/15% for serious/severe complaints, remedies
per aspect); a unique generated code where the policy gives one. Drafting time includes the
clause scoring, the plan and the tone check of quotes, not the bench's own checks.
"""

from __future__ import annotations

# ruff: noqa: E402  (the imports follow the path fix below)
import sys
from pathlib import Path

# Run as a script, this file's folder comes first on the path, and this file would shadow the
# drafts package it measures: the repository root goes there instead.
sys.path[0] = str(Path(__file__).resolve().parents[1])

import argparse
import csv
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from drafts import Code, Point, Policy, ReplyDraft, ReviewFacts, check_tone, compose, plan_for
from drafts.codes import new_code
from drafts.rubric import ASPECT_NAMES, missing_elements
from sentiment import load_scorer, with_rating
from sentiment.opinions import opinions

REPO = Path(__file__).resolve().parents[1]
TODAY = date(2026, 11, 24)
POLICY = Policy(
    shop_name="Kookwinkel De Pan", signature=("Sanne", "Joris"), contact_email="hallo@depan.nl"
)
# The parts of a draft in our own words about the review: not the quote of the customer's words
# (they name the aspect by themselves), the code, the invitation or the sign-off.
ABOUT_THE_REVIEW = ("thanks", "apology", "sympathy", "admit", "next_step", "answer")


@dataclass(frozen=True, slots=True)
class Sample:
    source: str
    text: str
    kind: str
    rating_norm: float | None = None


def samples(data: Path) -> Iterator[Sample]:
    kinds = {"negative": "complaint", "positive": "compliment"}
    with (data / "bolcom_book_reviews.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            yield Sample("bol.com", row["text"], kinds[row["polarity"]])
    with (data / "bever_pros_cons.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            yield Sample("bever.nl", row["text"], kinds[row["label"]])
    with (data / "earphone_reviews_stars.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            stars = float(row["Star_rating"])
            if stars != 3:
                kind = "complaint" if stars < 3 else "compliment"
                yield Sample("oordopjes", row["Product_review"], kind, (stars - 1) / 4)


@dataclass
class Tally:
    drafts: int = 0
    tone_ok: int = 0
    complete: int = 0
    with_aspect: int = 0
    names_aspect: int = 0
    texts: set[str] = field(default_factory=set)
    reviews: set[str] = field(default_factory=set)
    seconds: float = 0.0


def draft_one(
    sample: Sample, scorer, key: str
) -> tuple[ReplyDraft | None, Code | None, ReviewFacts]:  # type: ignore[no-untyped-def]
    sentiment = with_rating(scorer([sample.text])[0], sample.rating_norm, sample.text)
    told = opinions(scorer, sample.text, language=sentiment.language)
    points = tuple(Point(o.text, o.score, o.aspects) for o in told)
    facts = ReviewFacts(
        key=key, kind=sample.kind, channel="review", text=sample.text,
        rating_norm=sample.rating_norm, score=sentiment.score, aspects=sentiment.aspects,
        points=points,
    )  # fmt: skip
    plan = plan_for(facts, POLICY)
    code = None
    if plan is not None and plan.code_purpose:
        code = Code(new_code("SORRY-{code}"), plan.code_percent, TODAY + timedelta(days=90))
    return compose(facts, POLICY, today=TODAY, code=code), code, facts


def names_an_aspect(draft: ReplyDraft, facts: ReviewFacts) -> bool:
    about = " ".join(text for element, text in draft.parts if element in ABOUT_THE_REVIEW)
    return any(ASPECT_NAMES[aspect].search(about) for aspect in facts.aspects)


def run(data: Path, show_examples: bool) -> None:
    scorer = load_scorer("builtin", data_dir=REPO / "data")
    seen: set[str] = set()
    tallies: dict[str, Tally] = {}
    examples: dict[str, str] = {}
    for index, sample in enumerate(samples(data)):
        if sample.text.strip() in seen or not sample.text.strip():
            continue
        seen.add(sample.text.strip())
        tally = tallies.setdefault(sample.source, Tally())
        started = time.perf_counter()
        draft, code, facts = draft_one(sample, scorer, key=f"{sample.source}:{index}")
        tally.seconds += time.perf_counter() - started
        if draft is None:
            continue
        tally.drafts += 1
        allowed = [POLICY.contact_email, *([code.text] if code else [])]
        tally.tone_ok += check_tone(draft.text, allowed=allowed).ok
        missing = missing_elements(
            draft.text, plan=draft.plan, facts=facts, policy=POLICY, today=TODAY, code=code
        )
        tally.complete += not missing
        if facts.aspects:
            tally.with_aspect += 1
            tally.names_aspect += names_an_aspect(draft, facts)
        tally.texts.add(draft.text.replace(code.text, "CODE") if code else draft.text)
        tally.reviews.add(sample.text.strip())
        case = draft.plan.case
        if case in ("complaint", "compliment", "mixed") and len(sample.text) < 400:
            examples.setdefault(case, f"REVIEW ({sample.source}): {sample.text}\n\n{draft.text}")
    _table(tallies)
    if show_examples:
        for case, example in examples.items():
            print(f"\n--- {case} ---\n{example}")


def _table(tallies: dict[str, Tally]) -> None:
    total = Tally()
    for tally in tallies.values():
        for name in ("drafts", "tone_ok", "complete", "with_aspect", "names_aspect", "seconds"):
            setattr(total, name, getattr(total, name) + getattr(tally, name))
        total.texts |= tally.texts
        total.reviews |= tally.reviews
    header = (
        f"{'source':<10} {'drafts':>7} {'tone ok':>8} {'rubric':>7} {'distinct':>9} "
        f"{'aspect named':>13} {'drafts/s':>9}"
    )
    print(header)
    print("-" * len(header))
    for name, tally in [*tallies.items(), ("all", total)]:
        share = lambda part, whole: f"{100 * part / whole:.1f}%" if whole else "-"  # noqa: E731
        print(
            f"{name:<10} {tally.drafts:>7} {share(tally.tone_ok, tally.drafts):>8} "
            f"{share(tally.complete, tally.drafts):>7} "
            f"{share(len(tally.texts), len(tally.reviews)):>9} "
            f"{share(tally.names_aspect, tally.with_aspect):>13} "
            f"{tally.drafts / tally.seconds if tally.seconds else 0:>9.0f}"
        )
    print(
        "\nTargets: tone 100%, rubric >= 95%, distinct >= 90%, aspect named >= 90% "
        f"(of {total.with_aspect} drafts whose review names an aspect)."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared/data/sentiment")
    parser.add_argument("--examples", action="store_true", help="print three example drafts")
    args = parser.parse_args()
    run(args.data, args.examples)


if __name__ == "__main__":
    main()
