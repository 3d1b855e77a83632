"""The owner's report: what came in, what needs a person (most urgent first), promises, patterns,
charts and health; as an HTML file under the output folder, and as the daily mail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlmodel import Session

from monitor.config import Settings
from monitor.report.charts import render_charts
from monitor.report.data import ReportData, build_report
from monitor.report.render import data_uri, render_html, render_text, safe_href, write_atomically

__all__ = [
    "ReportData",
    "WrittenReport",
    "build_report",
    "render_html",
    "render_text",
    "safe_href",
    "write_report",
]


@dataclass(frozen=True, slots=True)
class WrittenReport:
    """A report as written: the HTML file, its figures, its charts (PNG) and its text twin."""

    path: Path
    data: ReportData
    charts: dict[str, bytes]
    text: str


def write_report(
    *, session: Session, settings: Settings, now: datetime, run_id: int | None = None
) -> WrittenReport:
    """Build the report and write ``report.html`` (charts inlined, one self-contained file) and
    ``report.txt`` into the output folder."""
    data = build_report(session=session, settings=settings, now=now, run_id=run_id)
    pngs = render_charts(data.weekly) if settings.report.charts else {}
    out_dir = settings.out_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / "report.html"
    write_atomically(target, render_html(data, {name: data_uri(png) for name, png in pngs.items()}))
    text = render_text(data)
    write_atomically(out_dir / "report.txt", text)
    return WrittenReport(target, data, pngs, text)
