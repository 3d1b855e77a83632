"""Time to build the daily report (figures, charts, HTML and text) from SQLite databases with
10,000 and 1,000,000 reviews spread over three years.

    .venv/bin/python bench/report.py [--sizes 10000 1000000] [--repeat 3]

The databases are filled through the real store (upsert_reviews) and the score table in SQL.
Prints a table; the report time is the median of the repeats.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import text

from monitor.config import Settings, load_settings
from monitor.db import open_store, refresh_statistics, session_scope
from monitor.ingest import upsert_reviews
from monitor.models import Shop, Source
from monitor.report import write_report
from scrapers.records import RawReview

NOW = datetime(2026, 11, 24, 6, 30, tzinfo=UTC)
SPAN = timedelta(days=3 * 365)
TEXTS = (
    "Snel geleverd en goed verpakt.",
    "Pakket kwam twee dagen te laat aan.",
    "Borden gebroken bij aankomst, heel slecht.",
    "Klantenservice onbereikbaar, niemand neemt op.",
    "Mooie pan, prima kwaliteit.",
)
ASPECTS = (
    "levering en bezorgtijd",
    "beschadigd of verkeerd geleverd",
    "klantenservice en bereikbaarheid",
    "productkwaliteit",
    "prijs",
)


def fill(settings: Settings, count: int) -> float:
    """Reviews through the store, then a score (and an aspect) per review in SQL."""
    started = time.perf_counter()
    engine = open_store(settings.database_url)
    rng = random.Random(11)
    with session_scope(engine) as session:
        shop = Shop(slug="shop", name=settings.shop.name)
        session.add(shop)
        session.flush()
        sources = [
            Source(shop_id=shop.id, label=name, type="file") for name in ("kiyoh", "trustpilot")
        ]
        session.add_all(sources)
        session.commit()
        step = SPAN / count
        for start in range(0, count, 5000):
            batch = [
                RawReview(
                    external_id=f"r{n}",
                    text=TEXTS[n % len(TEXTS)],
                    author=f"Klant {n}",
                    rating=float(rng.choice((1, 2, 4, 5, 5, 5))),
                    published_at=NOW - SPAN + step * n,
                )
                for n in range(start, min(count, start + 5000))
            ]
            upsert_reviews(session=session, source_id=sources[start // 5000 % 2].id, records=batch)
            session.commit()
        session.exec(text(
            "INSERT INTO score (review_id, content_hash, label, score, confidence, disagreement, "
            "kind, aspects, model, created_at) "
            "SELECT id, content_hash, "
            "CASE WHEN rating_norm <= 0.25 THEN 'negative' ELSE 'positive' END, "
            "rating_norm * 2 - 1, 0.8, 0, "
            "CASE WHEN rating_norm <= 0.25 THEN 'complaint' ELSE 'compliment' END, "
            "'{}', 'bench', first_seen_at FROM review"
        ))  # fmt: skip
        for index, aspect in enumerate(ASPECTS):
            session.exec(
                text(
                    "INSERT INTO score_aspect (review_id, content_hash, aspect) "
                    "SELECT id, content_hash, :aspect FROM review WHERE id % 5 = :index"
                ),
                params={"aspect": aspect, "index": index},
            )
        session.commit()
    refresh_statistics(engine)  # as every run does after collecting
    engine.dispose()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print("Daily report from SQLite (figures, 3 charts, HTML and text), median of "
          f"{args.repeat}")  # fmt: skip
    print(f"{'reviews':>10} {'fill s':>8} {'report s':>9} {'target':>7}")
    for count in args.sizes:
        with tempfile.TemporaryDirectory() as folder:
            settings = load_settings(
                discover=False,
                env={},
                overrides={
                    "shop": {"name": "Bench"},
                    "database": {"url": f"sqlite:///{Path(folder) / 'bench.sqlite'}"},
                    "report": {"out_dir": str(Path(folder) / "out")},
                },
            )
            filled = fill(settings, count)
            engine = open_store(settings.database_url)
            times = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                with session_scope(engine) as session:
                    write_report(session=session, settings=settings, now=NOW)
                times.append(time.perf_counter() - started)
            engine.dispose()
            target = "5.0" if count >= 1_000_000 else "-"
            print(f"{count:>10,} {filled:>8.1f} {statistics.median(times):>9.2f} {target:>7}")


if __name__ == "__main__":
    main()
