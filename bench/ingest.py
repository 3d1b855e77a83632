"""Upsert throughput into a fresh SQLite file: new reviews, then the same reviews unchanged,
then with a tenth of them edited. Commits per batch, as the collect stage does.

    .venv/bin/python bench/ingest.py [--reviews 100000] [--batch 1000] [--repeat 3]

Prints a table; the figure per pass is the median of the repeats.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from monitor.db import open_store, session_scope
from monitor.ingest import UpsertResult, upsert_reviews
from monitor.models import Shop, Source
from scrapers.records import RawReview

PHRASES = (
    "Snel geleverd en goed verpakt.",
    "Pakket kwam twee dagen te laat aan.",
    "Vriendelijke klantenservice, vraag binnen een uur beantwoord.",
    "Borden gebroken bij aankomst.",
    "Mooie pan, gietijzer van goede kwaliteit.",
    "Retour duurde lang, geld nog niet terug.",
)


def synthetic(count: int, seed: int = 7) -> list[RawReview]:
    rng = random.Random(seed)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    return [
        RawReview(
            external_id=f"r{number}",
            text=" ".join(rng.choice(PHRASES) for _ in range(rng.randint(1, 5))),
            author=f"Klant {number}",
            title=rng.choice(("Top", "Teleurgesteld", "Prima", None)),
            rating=float(rng.randint(1, 5)),
            published_at=start + timedelta(minutes=17 * number),
            url=f"https://winkel.example/reviews/{number}",
        )
        for number in range(count)
    ]


def timed_pass(
    url: str, source_id: int, records: list[RawReview], batch: int
) -> tuple[float, UpsertResult]:
    engine = open_store(url)
    total = UpsertResult()
    started = time.perf_counter()
    with session_scope(engine) as session:
        for offset in range(0, len(records), batch):
            total += upsert_reviews(
                session=session, source_id=source_id, records=records[offset : offset + batch]
            )
            session.commit()
    seconds = time.perf_counter() - started
    engine.dispose()
    return seconds, total


def one_round(
    records: list[RawReview], edited: list[RawReview], batch: int
) -> dict[str, tuple[float, UpsertResult]]:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.sqlite'}"
        engine = open_store(url)
        with session_scope(engine) as session:
            shop = Shop(slug="bench", name="Bench")
            session.add(shop)
            session.flush()
            source = Source(shop_id=shop.id, label="export", type="file")
            session.add(source)
            session.commit()
            source_id = source.id
        engine.dispose()
        return {
            "new": timed_pass(url, source_id, records, batch),
            "unchanged": timed_pass(url, source_id, records, batch),
            "10% edited": timed_pass(url, source_id, edited, batch),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviews", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    records = synthetic(args.reviews)
    edited = [
        replace(r, text=r.text + " (aangepast)") if i % 10 == 0 else r
        for i, r in enumerate(records)
    ]
    rounds = [one_round(records, edited, args.batch) for _ in range(args.repeat)]
    targets = {"new": 50_000, "unchanged": 100_000, "10% edited": None}
    print(f"{args.reviews:,} reviews, batches of {args.batch}, fresh SQLite file, ", end="")
    print(f"median of {args.repeat} runs")
    print(f"{'pass':<12} {'seconds':>8} {'reviews/s':>11} {'target':>9}  new / updated / unchanged")
    for name, target in targets.items():
        seconds = statistics.median(r[name][0] for r in rounds)
        result = rounds[0][name][1]
        rate = args.reviews / seconds
        goal = f"{target:,}" if target else "-"
        verdict = "" if target is None else ("  ok" if rate >= target else "  BELOW TARGET")
        print(f"{name:<12} {seconds:>8.2f} {rate:>11,.0f} {goal:>9}  "
              f"{result.new} / {result.updated} / {result.unchanged}{verdict}")  # fmt: skip


if __name__ == "__main__":
    main()
