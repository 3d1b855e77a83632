"""The owner's report: what came in, what needs a person (most urgent first), promises, patterns,
charts and health; as an HTML file under the output folder, and as the daily mail."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlmodel import Session

from monitor.config import Settings
from monitor.report.charts import render_charts
from monitor.report.data import ReportData, build_report
from monitor.report.render import data_uri, render_html, render_text, safe_href, write_atomically

__all__ = [
    "ReportData",
    "build_report",
    "render_html",
    "render_text",
    "safe_href",
    "write_report",
]


def write_report(
    *, session: Session, settings: Settings, now: datetime, run_id: int | None = None
) -> Path:
    """Build the report and write ``report.html`` (charts inlined, one self-contained file) and
    ``report.txt`` into the output folder; returns the HTML file."""
    data = build_report(session=session, settings=settings, now=now, run_id=run_id)
    charts = {}
    if settings.report.charts:
        charts = {name: data_uri(png) for name, png in render_charts(data.weekly).items()}
    out_dir = settings.out_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / "report.html"
    write_atomically(target, render_html(data, charts))
    write_atomically(out_dir / "report.txt", render_text(data))
    return target
