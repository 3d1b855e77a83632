"""Collector benchmarks: parse throughput on the saved pages, and an incremental Trustpilot sync
of 2,000 reviews from a local server through the real collect stage, with the polite per-host
delay on (the default: at least 1 s between public pages).

    .venv/bin/python bench/collect.py [--reviews 2000] [--delay 1.0] [--skip-sync]

Prints two tables. The sync counts every request the server sees (robots.txt included) against
the fewest a collector could make.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from monitor.config import Settings, load_settings
from monitor.db import open_store, session_scope
from monitor.demo import DEMO_DIR, fill_dates
from monitor.queries import ensure_shop
from monitor.runlog import RunLog
from monitor.stages.collect import run_collect
from scrapers.schemaorg import parse as parse_schemaorg
from scrapers.trustpilot_parse import parse_page

REPO = Path(__file__).resolve().parent.parent
PAGES = REPO / "tests" / "pages"
PER_PAGE = 20
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


# ---------------------------------------------------------------- parse throughput


def throughput(
    parse: Callable[[str, str], Any], pages: list[tuple[str, str]], rounds: int = 5
) -> float:
    """Pages per second, median of ``rounds`` rounds of at least half a second each."""
    rates = []
    for _ in range(rounds):
        done = 0
        started = time.perf_counter()
        while (elapsed := time.perf_counter() - started) < 0.5:
            for text, url in pages:
                parse(text, url)
            done += len(pages)
        rates.append(done / elapsed)
    return statistics.median(rates)


def parse_table() -> None:
    trustpilot = [
        (
            path.read_text(encoding="utf-8"),
            f"https://nl.trustpilot.com/review/depollepel.nl?page={n}",
        )
        for n, path in enumerate(sorted((PAGES / "trustpilot").glob("depollepel-p*.html")), start=1)
    ]
    schemaorg = [
        (
            fill_dates(path.read_text(encoding="utf-8"), now=NOW),
            f"https://depollepel.example/{path.name}",
        )
        for path in sorted((DEMO_DIR / "site" / "producten").glob("*.html"))
    ]
    rows = [
        ("trustpilot", trustpilot, parse_trustpilot),
        ("schemaorg", schemaorg, parse_schemaorg),
    ]  # fmt: skip
    print("Parse throughput on saved pages (median of 5 rounds)")
    print(f"{'parser':<12} {'pages':>6} {'avg KB':>7} {'pages/s':>9} {'reviews/page':>13}")
    for name, pages, parse in rows:
        size = statistics.mean(len(text.encode()) for text, _ in pages) / 1024
        per_page = statistics.mean(len(_records(parse(text, url))) for text, url in pages)
        rate = throughput(parse, pages)
        print(f"{name:<12} {len(pages):>6} {size:>7.0f} {rate:>9,.0f} {per_page:>13.1f}")


def parse_trustpilot(text: str, url: str) -> Any:
    page = int(parse_qs(urlsplit(url).query)["page"][0])
    return parse_page(text, url, site_url="https://nl.trustpilot.com", page=page)


def _records(parsed: Any) -> list[Any]:
    return parsed if isinstance(parsed, list) else parsed.records


# ---------------------------------------------------------------- the Trustpilot site


class FakeTrustpilot:
    """Serves Trustpilot-shaped review pages (newest first, 20 a page) from a list in memory."""

    def __init__(self, count: int) -> None:
        self.reviews = [self.review(number) for number in range(count, 0, -1)]
        self.requests: list[str] = []

    @staticmethod
    def review(number: int) -> dict[str, Any]:
        published = NOW - timedelta(hours=3 * (5000 - number))
        return {
            "id": f"bench{number:08d}",
            "title": f"Review {number}",
            "text": "Snel geleverd, mooi verpakt en precies wat ik zocht. " * (1 + number % 4),
            "rating": 1 + number % 5,
            "language": "nl",
            "dates": {
                "publishedDate": published.isoformat().replace("+00:00", "Z"),
                "updatedDate": None,
            },
            "consumer": {
                "id": f"c{number}",
                "displayName": f"Klant {number}",
                "numberOfReviews": 1,
            },
            "reply": None,
        }

    def page(self, number: int) -> bytes:
        total = len(self.reviews)
        chunk = self.reviews[(number - 1) * PER_PAGE : number * PER_PAGE]
        data = {
            "props": {
                "pageProps": {
                    "businessUnit": {
                        "displayName": "De Pollepel",
                        "numberOfReviews": total,
                        "trustScore": 4.1,
                    },
                    "reviews": chunk,
                    "filters": {
                        "pagination": {
                            "currentPage": number,
                            "perPage": PER_PAGE,
                            "totalCount": total,
                            "totalPages": math.ceil(total / PER_PAGE),
                        },
                        "reviewStatistics": {"ratings": {"total": total}},
                    },
                }
            }
        }
        script = json.dumps(data).replace("</", "<\\/")
        tag = '<script id="__NEXT_DATA__" type="application/json">'
        return f"<html><body>{tag}{script}</script></body></html>".encode()

    @contextmanager
    def serve(self) -> Iterator[str]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site.requests.append(self.path)
                parts = urlsplit(self.path)
                if parts.path == "/robots.txt":
                    body, status = b"User-agent: *\nAllow: /\n", 200
                else:
                    number = int(parse_qs(parts.query).get("page", ["1"])[0])
                    body, status = site.page(number), 200
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}"
        finally:
            server.shutdown()
            server.server_close()


def sync(
    settings: Settings, engine: Any, shop_id: int, site: FakeTrustpilot
) -> tuple[float, int, int]:
    """One collect stage: seconds, requests the site saw, reviews stored new."""
    site.requests.clear()
    runlog = RunLog(engine, shop_id=shop_id, trigger="bench", redact=lambda text: text)
    started = time.perf_counter()
    run_collect(engine=engine, settings=settings, shop_id=shop_id, runlog=runlog)
    seconds = time.perf_counter() - started
    (step,) = runlog.steps
    if step.failed:
        raise SystemExit(f"sync failed: {step.message}")
    return seconds, len(site.requests), step.new


def sync_table(count: int, delay: float) -> None:
    site = FakeTrustpilot(count)
    with site.serve() as base, tempfile.TemporaryDirectory() as folder:
        settings = load_settings(
            discover=False,
            env={},
            overrides={
                "shop": {"name": "Bench"},
                "database": {"url": f"sqlite:///{Path(folder) / 'bench.sqlite'}"},
                "http": {"min_delay_seconds": delay},
                "sources": {
                    "trustpilot": {"domain": "depollepel.nl", "site_url": base, "max_pages": 1000}
                },
            },
        )
        engine = open_store(settings.database_url)
        with session_scope(engine) as session:
            shop_id = ensure_shop(session=session, settings=settings).id
            session.commit()
        pages = math.ceil(count / PER_PAGE)
        print(f"\nIncremental Trustpilot sync from 127.0.0.1: {count:,} reviews, ", end="")
        print(f"{PER_PAGE} a page, {delay:g} s minimum between pages")
        print(f"{'run':<34} {'seconds':>8} {'requests':>9} {'fewest':>7} {'new':>6}")
        runs = [("first sync (no cursor)", None, pages + 1)]
        runs.append(("nothing new", None, 1 + 1))
        runs.append(("25 new reviews on top", 25, math.ceil(25 / PER_PAGE) + 1))
        for name, added, fewest in runs:
            if added:
                top = len(site.reviews)
                site.reviews = [site.review(top + n) for n in range(added, 0, -1)] + site.reviews
            seconds, requests, new = sync(settings, engine, shop_id, site)
            print(f"{name:<34} {seconds:>8.1f} {requests:>9} {fewest:>7} {new:>6}")
        print("(requests include robots.txt, read once per run; 'fewest' is what a collector "
              "that knew in advance where the known reviews start would need)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviews", type=int, default=2000)
    parser.add_argument("--delay", type=float, default=1.0, help="seconds between public pages")
    parser.add_argument("--skip-sync", action="store_true", help="only the parse table")
    args = parser.parse_args()
    parse_table()
    if not args.skip_sync:
        sync_table(args.reviews, args.delay)


if __name__ == "__main__":
    main()
