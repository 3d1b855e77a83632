"""Latency of the web app's pages with 50,000 reviews and 5,000 pending drafts in SQLite: the
inbox, the inbox filtered on complaints, its last page, and the pages of a review's and a mail's
draft.

    .venv/bin/python bench/web.py [--reviews 50000] [--drafts 5000] [--requests 200] [--explain]

Protocol: a fresh SQLite database in a temporary folder, migrated by open_store and filled with
bulk inserts (shop; three review sources and a mailbox; reviews and mails over three years from
returning customers; a current score per review with its aspect; pending drafts for the newest:
complaints, questions and compliments mixed), an owner added through monitor.users, then ANALYZE
as a run does after collecting. The app runs as 'reviewwacht serve' in its own process on
127.0.0.1; one client (httpx, keep-alive) logs in and GETs each page --requests times after 5
warm-up requests. Latency is per request, at the client; the table shows the median and the 95th
percentile. --explain prints SQLite's plan of every query the inbox and the draft pages run, with
its time in this process.
"""

from __future__ import annotations

# ruff: noqa: E402  (the imports follow the path fix below)
import sys
from pathlib import Path

# Run as a script, this file's folder comes first on the path: the repository root goes there.
sys.path[0] = str(Path(__file__).resolve().parents[1])

import argparse
import hashlib
import re
import socket
import statistics
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import httpx
from sqlalchemy import Engine, event, insert, text

from monitor.db import open_store, refresh_statistics, session_scope
from monitor.inbox import PAGE, Filters, draft_page, filter_choices, inbox
from monitor.models import Draft, Review, Score, ScoreAspect, Shop, Source
from monitor.users import add_user

NOW = datetime.now(UTC).replace(microsecond=0)
SPAN = timedelta(days=3 * 365)
PASSWORD = "bench-wachtwoord-1234"
TARGET_MS = 100.0
CHUNK = 5000
SOURCES = (("trustpilot", "trustpilot"), ("kiyoh", "kiyoh"), ("eigen", "file"), ("mail", "imap"))
# fmt: off
FIRST_NAMES = ("Marieke", "Joop", "Eva", "Sanne", "Daan", "Fatima", "Bram", "Noor", "Piet",
               "Lotte", "Mohamed", "Anouk", "Kees", "Yara", "Ruben", "Ilse", "Sem", "Femke", "Jan",
               "Emma")
SURNAMES = ("de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder",
            "de Groot", "Bos")
# (kind, score label, score, stars, text, aspect); drafts take the kind of their review.
KINDS = (
    ("complaint", "negative", -0.8, 1, "Pakket kwam beschadigd aan, de pan zat vol deuken.",
     "beschadigd of verkeerd geleverd"),
    ("complaint", "negative", -0.6, 2, "Levering duurde veel te lang, twee weken gewacht.",
     "levering en bezorgtijd"),
    ("question", "neutral", 0.0, 3, "Kan ik de pan ook op inductie gebruiken?", "productkwaliteit"),
    ("compliment", "positive", 0.8, 5, "Super snel geleverd en prachtige borden. Top service!",
     "levering en bezorgtijd"),
    ("compliment", "positive", 0.6, 4, "Mooie pan, prima kwaliteit voor een nette prijs.", "prijs"),
)
# fmt: on
REPLY = (
    "Beste {author},\n\nDank u voor uw bericht over bestelling {n}. We kijken er vandaag naar en "
    "laten u uiterlijk morgen weten wat we voor u doen.\n\nWilt u ons uw bestelnummer mailen via "
    "service@bench.example? Dan handelen we het verder persoonlijk met u af.\n\nHartelijke groet,"
    "\nHet klantenserviceteam\nBench"
)


def _hash(value: str) -> str:
    return hashlib.sha1(value.encode(), usedforsecurity=False).hexdigest()


def _chunks(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), CHUNK):
        yield rows[start : start + CHUNK]


def fill(engine: Engine, reviews: int, drafts: int) -> dict[str, int]:
    """The data set, in bulk; returns the row count of each table filled."""
    step = SPAN / reviews
    with session_scope(engine) as session:
        shop_id = session.execute(
            insert(Shop).values(slug="bench", name="Bench").returning(Shop.id)
        ).scalar_one()
        source_ids = [
            session.execute(
                insert(Source).values(shop_id=shop_id, label=label, type=kind).returning(Source.id)
            ).scalar_one()
            for label, kind in SOURCES
        ]
        rows = []
        for n in range(reviews):
            kind, _, _, stars, body, _ = KINDS[n * 7 % len(KINDS)]
            at = NOW - SPAN + step * n
            review_text = f"{body} (bestelling {100000 + n})"
            # Every fourth is a mail; customers come back (5,200 names, 5,000 mail addresses).
            mail = n % len(source_ids) == 3
            initial, surname = chr(65 + n // 20 % 26), SURNAMES[n // 520 % 10]
            author = f"{FIRST_NAMES[n % 20]} {initial}. {surname}"
            rows.append({
                "id": n + 1, "source_id": source_ids[n % len(source_ids)],
                "external_id": f"<m{n}@klant.example>" if mail else f"r{n}",
                "channel": "mail" if mail else "review", "author": author,
                "contact": f"klant{n % 5000}@klant.example" if mail else None,
                "rating": float(stars), "rating_min": 1.0, "rating_max": 5.0,
                "rating_norm": (stars - 1) / 4, "title": None, "text": review_text,
                "published_at": at, "url": f"https://example.org/reviews/r{n}",
                "content_hash": _hash(review_text), "first_seen_at": at, "last_changed_at": at,
                "received_at": at,
            })  # fmt: skip
        for chunk in _chunks(rows):
            session.execute(insert(Review), chunk)
        scores, aspects, pending = [], [], []
        for n, review in enumerate(rows):
            kind, label, score, _, _, aspect = KINDS[n * 7 % len(KINDS)]
            scores.append({
                "review_id": review["id"], "content_hash": review["content_hash"], "label": label,
                "score": score, "confidence": 0.8, "disagreement": False, "kind": kind,
                "aspects": {aspect: [review["text"].split(",")[0].lower()]}, "model": "bench",
                "flags_checked_at": review["received_at"], "created_at": review["received_at"],
            })  # fmt: skip
            key = {"review_id": review["id"], "content_hash": review["content_hash"]}
            aspects.append({**key, "aspect": aspect})
            if n >= reviews - drafts:
                pending.append({
                    "review_id": review["id"], "content_hash": review["content_hash"],
                    "kind": kind, "status": "pending", "writer": "templates",
                    "text": REPLY.format(author=review["author"], n=100000 + n),
                    "created_at": review["received_at"],
                })  # fmt: skip
        for table, table_rows in ((Score, scores), (ScoreAspect, aspects), (Draft, pending)):
            for chunk in _chunks(table_rows):
                session.execute(insert(table), chunk)
        add_user(session=session, username="sanne", password=PASSWORD, role="owner")
        session.commit()
    refresh_statistics(engine)  # as every run does after collecting
    with engine.connect() as connection:
        return {
            table: connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
            for table in ("review", "score", "score_aspect", "draft")
        }


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serving(folder: Path, url: str) -> Iterator[str]:
    """'reviewwacht serve' on 127.0.0.1 in its own process, as a shop runs it."""
    config = folder / "reviewwacht.toml"
    config.write_text(
        f'[shop]\nname = "Bench"\ncontact_email = "service@bench.example"\n\n'
        f'[database]\nurl = "{url}"\n',
        encoding="utf-8",
    )
    port = _free_port()
    command = [
        *(sys.executable, "-c", "import sys; from monitor.cli import main; sys.exit(main())"),
        *("--config", str(config), "serve", "--host", "127.0.0.1", "--port", str(port)),
    ]
    server = subprocess.Popen(command, cwd=folder, stdout=subprocess.DEVNULL)
    address = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{address}/login", timeout=1)
                break
            except httpx.TransportError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("reviewwacht serve did not start") from None
                time.sleep(0.1)
        yield address
    finally:
        server.terminate()
        server.wait(timeout=10)


def logged_in(address: str) -> httpx.Client:
    client = httpx.Client(base_url=address, timeout=30)
    page = client.get("/login")
    match = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert match, "no CSRF token on the login page"
    answer = client.post(
        "/login", data={"csrf": match.group(1), "username": "sanne", "password": PASSWORD}
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/inbox", answer.text
    return client


def timed(client: httpx.Client, path: str, count: int) -> list[float]:
    """Milliseconds per GET of ``path``, after a few unmeasured ones."""
    for _ in range(5):
        client.get(path).raise_for_status()
    times = []
    for _ in range(count):
        started = time.perf_counter()
        answer = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        answer.raise_for_status()
    return times


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def _short(statement: str) -> str:
    """A statement on one line, with a long list of selected columns cut short."""
    flat = " ".join(statement.split())
    return re.sub(r"^SELECT (.{50}).{20,}? FROM ", r"SELECT \1... FROM ", flat, count=1)


def explain(engine: Engine, draft_ids: tuple[int, int], pages: int) -> None:
    """Each query the inbox and the draft pages run, its time here (median of 5) and SQLite's
    plan."""
    seen: list[tuple[str, Any]] = []

    def record(conn: Any, cursor: Any, statement: str, params: Any, *_: Any) -> None:
        seen.append((statement, params))

    owner_inbox = partial(inbox, role="owner", promise_hours=24)
    calls = {
        "inbox": partial(owner_inbox, filters=Filters()),
        "inbox kind=complaint": partial(owner_inbox, filters=Filters(kind="complaint")),
        f"inbox page {pages}": partial(owner_inbox, filters=Filters(), offset=(pages - 1) * PAGE),
        "filter choices": filter_choices,
        **{
            f"draft page {draft_id}": partial(draft_page, draft_id=draft_id, role="owner")
            for draft_id in draft_ids
        },
    }
    for name, call in calls.items():
        seen.clear()
        event.listen(engine, "before_cursor_execute", record)
        with session_scope(engine) as session:
            call(session=session)
        event.remove(engine, "before_cursor_execute", record)
        print(f"\n== {name}")
        with engine.connect() as connection:
            for statement, params in seen:
                took = []
                for _ in range(5):
                    started = time.perf_counter()
                    connection.exec_driver_sql(statement, params).all()
                    took.append((time.perf_counter() - started) * 1000)
                print(f"-- {statistics.median(took):.1f} ms: {_short(statement)}")
                plan = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", params)
                for row in plan:
                    print(f"     {row[-1]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviews", type=int, default=50_000)
    parser.add_argument("--drafts", type=int, default=5_000)
    parser.add_argument("--requests", type=int, default=200, help="GETs per page")
    parser.add_argument("--explain", action="store_true", help="print the plan of each query")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        url = f"sqlite:///{folder / 'bench.sqlite'}"
        started = time.perf_counter()
        engine = open_store(url)
        counts = fill(engine, args.reviews, min(args.drafts, args.reviews))
        built = time.perf_counter() - started
        print(", ".join(f"{table} {count:,}" for table, count in counts.items())
              + f": built in {built:.1f} s")  # fmt: skip
        with session_scope(engine) as session:
            rows, total = inbox(session=session, role="owner", filters=Filters(), promise_hours=24)
            first = rows[0].draft.id
            mail = next((row.draft.id for row in rows if row.review.channel == "mail"), first)
        pages = -(-total // PAGE)
        paths = {
            "/inbox": "/inbox",
            "/inbox?kind=complaint": "/inbox?kind=complaint",
            f"/inbox?page={pages} (last)": f"/inbox?page={pages}",
            f"/drafts/{first} (first)": f"/drafts/{first}",
            f"/drafts/{mail} (a mail)": f"/drafts/{mail}",
        }
        results = {}
        with serving(folder, url) as address:
            client = logged_in(address)
            for label, path in paths.items():
                results[label] = timed(client, path, args.requests)
            client.close()
        print(f"\nGET latency over {args.requests} requests each, 'reviewwacht serve' on "
              f"127.0.0.1, target: median under {TARGET_MS:.0f} ms")  # fmt: skip
        header = f"{'page':<28} {'median ms':>10} {'p95 ms':>8} {'target':>7}"
        print(header)
        print("-" * len(header))
        for label, times in results.items():
            median = statistics.median(times)
            met = "met" if median < TARGET_MS else "MISSED"
            print(f"{label:<28} {median:>10.1f} {p95(times):>8.1f} {met:>7}")
        if args.explain:
            explain(engine, (first, mail), pages)
        engine.dispose()


if __name__ == "__main__":
    main()
