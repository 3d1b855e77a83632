"""Rendering the report: HTML (Jinja2, autoescaped: review text is always text) and plain text,
written atomically under the output folder."""

from __future__ import annotations

import base64
import os
import re
import tempfile
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, StrictUndefined

from monitor import dutch
from monitor.report.data import ReportData


def safe_href(url: str | None) -> str | None:
    """A link is shown only when it is http or https (never javascript:, data: and the like)."""
    if not url:
        return None
    return url if urlsplit(url.strip()).scheme.lower() in ("http", "https") else None


def hours(value: float | None) -> str:
    """Time left to the promise, or how late it is, in Dutch."""
    if value is None:
        return "onbekend"
    if value < 0:
        late = -value
        return f"{late:.0f} uur te laat" if late < 48 else f"{late / 24:.0f} dagen te laat"
    return f"nog {value:.0f} uur" if value >= 1 else f"nog {value * 60:.0f} minuten"


def excerpt(text: str, length: int) -> str:
    """At most ``length`` characters, blank lines folded (mails quote whole letters)."""
    folded = re.sub(r"\n\s*\n+", "\n", (text or "").strip())
    return folded if len(folded) <= length else folded[: length - 1].rstrip() + "…"


def _environment(zone: ZoneInfo, *, html: bool) -> Environment:
    env = Environment(
        loader=PackageLoader("monitor", "templates"),
        # Explicit: a plain Environment would not escape review text. Off only for the plain-text
        # report, which is not HTML (escaping would print &amp; to the reader).
        autoescape=html,  # noqa: S701
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        when=lambda value: dutch.when(value, zone),
        day=dutch.long_date,
        number=lambda value: dutch.number(value, decimals=1),
        hours=hours,
        stage=dutch.stage,
        safe_href=safe_href,
        excerpt=excerpt,
    )
    return env


def data_uri(png: bytes) -> str:
    """A chart inlined in the HTML file itself (one self-contained file to open or copy)."""
    return "data:image/png;base64," + base64.b64encode(png).decode()


def render_html(data: ReportData, charts: dict[str, str]) -> str:
    """The HTML report; ``charts`` maps each chart name to its image source (a data URI for
    the file, a ``cid:`` reference for the mail)."""
    template = _environment(data.zone, html=True).get_template("report.html.j2")
    return template.render(r=data, charts=charts)


def render_text(data: ReportData) -> str:
    """The plain-text report, for the mail's text part and for terminals."""
    return _environment(data.zone, html=False).get_template("report.txt.j2").render(r=data)


def write_atomically(target: Path, text: str) -> None:
    """Write via a temporary file in the same folder, so a reader never sees half a file; the
    file gets the usual permissions (readable by a web server), not mkstemp's owner-only ones."""
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}-")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        Path(temporary).replace(target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
