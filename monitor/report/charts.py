"""The report's charts as PNG images (matplotlib, no screen needed): rating trend, sentiment mix
and complaint topics per week."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

import matplotlib

matplotlib.use("Agg")  # render to files only; must come before pyplot

import matplotlib.pyplot as plt

from monitor.dutch import MONTHS
from monitor.report.data import Weekly

SIZE = (6.4, 2.6)
DPI = 110
GREEN, GREY, RED, BLUE = "#12b76a", "#98a2b3", "#f04438", "#2e90fa"
ASPECT_COLOURS = ("#f79009", "#7a5af8", "#2e90fa", "#ee46bc", "#15b79e", "#98a2b3")


def _labels(starts: Sequence[date]) -> list[str]:
    return [f"{day.day} {MONTHS[day.month - 1]}" for day in starts]


def _figure(title: str) -> tuple[plt.Figure, plt.Axes]:
    figure, axes = plt.subplots(figsize=SIZE, dpi=DPI)
    axes.set_title(title, fontsize=10, loc="left")
    axes.spines[["top", "right"]].set_visible(False)
    axes.tick_params(labelsize=8)
    return figure, axes


def _png(figure: plt.Figure) -> bytes:
    buffer = io.BytesIO()
    figure.tight_layout()
    figure.savefig(buffer, format="png")
    plt.close(figure)
    return buffer.getvalue()


def _ticks(axes: plt.Axes, labels: list[str]) -> None:
    step = max(1, len(labels) // 6)
    positions = list(range(0, len(labels), step))
    axes.set_xticks(positions, [labels[n] for n in positions])


def rating_trend(weekly: Weekly) -> bytes:
    """Average stars per week (weeks without reviews leave a gap)."""
    figure, axes = _figure("Gemiddelde waardering per week (van 5 sterren)")
    xs = list(range(len(weekly.starts)))
    values = [float("nan") if value is None else value for value in weekly.stars]
    axes.plot(xs, values, marker="o", color=BLUE, linewidth=2)
    axes.set_ylim(1, 5)
    _ticks(axes, _labels(weekly.starts))
    return _png(figure)


def sentiment_mix(weekly: Weekly) -> bytes:
    """Positive, neutral and negative reviews and mails per week, stacked."""
    figure, axes = _figure("Sentiment per week")
    xs = list(range(len(weekly.starts)))
    below = [0] * len(xs)
    for values, colour, label in (
        (weekly.negative, RED, "negatief"),
        (weekly.neutral, GREY, "neutraal"),
        (weekly.positive, GREEN, "positief"),
    ):
        axes.bar(xs, values, bottom=below, color=colour, label=label, width=0.7)
        below = [a + b for a, b in zip(below, values, strict=True)]
    axes.legend(fontsize=8, frameon=False, ncols=3, loc="upper left")
    _ticks(axes, _labels(weekly.starts))
    return _png(figure)


def complaint_topics(weekly: Weekly) -> bytes:
    """Complaints per topic per week, stacked (the most frequent topics, the rest as 'overig')."""
    figure, axes = _figure("Klachten per onderwerp per week")
    xs = list(range(len(weekly.starts)))
    below = [0] * len(xs)
    for (aspect, values), colour in zip(weekly.aspects.items(), ASPECT_COLOURS, strict=False):
        axes.bar(xs, values, bottom=below, color=colour, label=aspect, width=0.7)
        below = [a + b for a, b in zip(below, values, strict=True)]
    if weekly.aspects:
        axes.legend(fontsize=7, frameon=False, loc="upper left")
    else:
        axes.text(0.5, 0.5, "Geen klachten in deze weken", ha="center", transform=axes.transAxes)
    _ticks(axes, _labels(weekly.starts))
    return _png(figure)


CHARTS = {
    "beoordeling": rating_trend,
    "sentiment": sentiment_mix,
    "klachten": complaint_topics,
}


def render_charts(weekly: Weekly) -> dict[str, bytes]:
    """Every chart by name, as PNG bytes."""
    return {name: draw(weekly) for name, draw in CHARTS.items()}
