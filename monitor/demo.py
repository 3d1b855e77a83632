"""The demo: the real pipeline on bundled data of a fictional shop, served from 127.0.0.1.

The demo pages, export and mails carry relative dates (``@@2d4h@@``: two days and four hours ago)
that are filled in when they are served, so the demo always looks like a shop's last months.
"""

from __future__ import annotations

import json
import re
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from email.utils import format_datetime
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from monitor.config import Settings, load_settings
from monitor.config_schema import DATA_DIR
from monitor.models import utcnow

DEMO_DIR = DATA_DIR / "demo"
PLACEHOLDER = re.compile(r"@@(?:(date|nl|mail):)?((?:\d+d)?(?:\d+h)?(?:\d+m)?)@@")
OFFSET = re.compile(r"(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?")
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
PRODUCTS = (
    "gietijzeren-braadpan-24",
    "koksmes-damast-20",
    "serviesset-stoneware-12",
    "espressomachine-barista-pro",
)


def fill_dates(text: str, *, now: datetime, zone: ZoneInfo = AMSTERDAM) -> str:
    """Replace each ``@@[format:]OFFSET@@`` by the time OFFSET before ``now`` (see data/demo)."""

    def replace(match: re.Match[str]) -> str:
        style, offset = match.group(1), match.group(2)
        days, hours, minutes = (int(part or 0) for part in OFFSET.fullmatch(offset).groups())  # type: ignore[union-attr]
        moment = (now - timedelta(days=days, hours=hours, minutes=minutes)).astimezone(zone)
        moment = moment.replace(second=0, microsecond=0)
        if style == "date":
            return moment.date().isoformat()
        if style == "nl":
            return moment.strftime("%d-%m-%Y %H:%M")
        if style == "mail":
            return format_datetime(moment)
        return moment.isoformat()

    return PLACEHOLDER.sub(replace, text)


class _DemoHandler(SimpleHTTPRequestHandler):
    """Serves data/demo/site with the dates filled in; quiet (no access log on the terminal)."""

    now: datetime

    def __init__(self, *args: Any, now: datetime, **kwargs: Any) -> None:
        self.now = now
        super().__init__(*args, directory=str(DEMO_DIR / "site"), **kwargs)

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if not path.is_file():
            self.send_error(404)
            return
        body = fill_dates(path.read_text(encoding="utf-8"), now=self.now).encode("utf-8")
        self.send_response(200)
        content_type = self.guess_type(str(path))
        self.send_header("Content-Type", f"{content_type}; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        return


@contextmanager
def demo_server(now: datetime) -> Iterator[str]:
    """The demo site on a free port of 127.0.0.1, for as long as the block runs; yields its URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_DemoHandler, now=now))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def prepare_maildir(target: Path, *, now: datetime) -> Path:
    """A fresh Maildir with the demo mails, dates filled in, as a mail server would deliver them."""
    if target.exists():
        shutil.rmtree(target)
    for folder in ("cur", "new", "tmp"):
        (target / folder).mkdir(parents=True)
    for number, mail in enumerate(sorted((DEMO_DIR / "mail").glob("*.eml")), start=1):
        text = fill_dates(mail.read_text(encoding="utf-8"), now=now)
        (target / "new" / f"{1700000000 + number}.demo{number}.reviewwacht").write_text(
            text, encoding="utf-8"
        )
    return target


def demo_settings(*, base_url: str, out_dir: Path, maildir: Path) -> Settings:
    """The configuration of the fictional shop De Pollepel, on a fresh SQLite file."""
    database = out_dir / "demo.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    return load_settings(
        discover=False,
        env={},
        overrides={
            "shop": {
                "name": "De Pollepel",
                "domain": "depollepel.example",
                "contact_email": "klantenservice@depollepel.example",
            },
            "database": {"url": f"sqlite:///{database}"},
            "report": {"out_dir": str(out_dir)},
            "drafts": {"signature": "Sanne"},
            "http": {"min_delay_seconds": 0.05, "contact": "demo@reviewwacht.example"},
            "sources": {
                "productpaginas": {
                    "type": "schemaorg",
                    "urls": [f"{base_url}/producten/{slug}.html" for slug in PRODUCTS],
                },
                "kiyoh-export": {
                    "type": "file",
                    "url": f"{base_url}/export/reviews-export.csv",
                    "rating_min": 1,
                    "rating_max": 10,
                    "date_format": "%d-%m-%Y %H:%M",
                    "columns": {
                        "external_id": "review_id",
                        "published_at": "datum",
                        "author": "naam",
                        "rating": "score",
                        "title": "titel",
                        "text": "review",
                        "reply_text": "reactie_winkel",
                    },
                },
                "klantenservice": {"type": "maildir", "path": str(maildir)},
            },
        },
    )


@contextmanager
def demo_environment(out_dir: Path, *, now: datetime | None = None) -> Iterator[Settings]:
    """Everything the demo needs while the block runs: the server, the Maildir, the settings."""
    now = now or utcnow()
    out_dir.mkdir(parents=True, exist_ok=True)
    maildir = prepare_maildir(out_dir / "demo-maildir", now=now)
    with demo_server(now) as base_url:
        settings = demo_settings(base_url=base_url, out_dir=out_dir, maildir=maildir)
        write_browse_config(settings, out_dir / "demo.toml")
        yield settings


def write_browse_config(settings: Settings, target: Path) -> None:
    """A config file for looking around afterwards (drafts list, status) in the demo database."""
    target.write_text(
        "# Written by `reviewwacht demo`: the demo database, to look around with the CLI.\n"
        f"[shop]\nname = {json.dumps(settings.shop.name)}\n"
        f"contact_email = {json.dumps(settings.shop.contact_email)}\n\n"
        f"[database]\nurl = {json.dumps(settings.database_url)}\n\n"
        f"[report]\nout_dir = {json.dumps(str(settings.out_dir))}\n",
        encoding="utf-8",
    )
