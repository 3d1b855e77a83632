"""Patterns in a shop's reviews worth the owner's attention, as pure functions over plain records.

A finding is advice to the owner, never a public accusation: the texts say what was seen, the
numbers behind it, and what the owner can do.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sentiment.chance import binomial_tail

LOW = 0.25  # a rating at or below this (0..1) is an extreme low: 1-2 of 5 stars, 1-3 of 10
HIGH = 0.875  # at or above: 5 of 5 stars, 9-10 of 10


@dataclass(frozen=True, slots=True)
class Finding:
    """One pattern, in Dutch for the owner, with a key that stays the same while it lasts."""

    kind: str
    key: str
    severity: str
    title: str
    explanation: str
    action: str
    evidence: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ReviewRecord:
    """What the pattern flags read of one review."""

    review_id: int
    source: str
    received_at: datetime
    rating_norm: float | None
    text: str = ""
    author: str | None = None
    author_reviews: int | None = None  # the account's reviews at the platform, where it says
    aspects: tuple[str, ...] = field(default=())
    customer: str | None = None  # who wrote it, across sources: a mail address or source:name
    complaint: bool = False
    answered: bool = False


@dataclass(frozen=True, slots=True)
class RatedReview:
    review_id: int
    rating_norm: float


def bimodality(values: Sequence[float]) -> float | None:
    """Sarle's bimodality coefficient (above about 0.555 suggests two peaks); None below 4."""
    n = len(values)
    if n < 4:
        return None
    mean = sum(values) / n
    m2 = sum((v - mean) ** 2 for v in values) / n
    if m2 == 0:
        return 0.0
    m3 = sum((v - mean) ** 3 for v in values) / n
    m4 = sum((v - mean) ** 4 for v in values) / n
    # The sample (bias-corrected) skewness and excess kurtosis, which Sarle's formula is made for.
    skew = m3 / m2**1.5 * (n * (n - 1)) ** 0.5 / (n - 2)
    kurt = ((n + 1) * (m4 / m2**2 - 3) + 6) * (n - 1) / ((n - 2) * (n - 3))
    return (skew**2 + 1) / (kurt + 3 * (n - 1) ** 2 / ((n - 2) * (n - 3)))


def pct(share: float) -> str:
    return f"{round(share * 100)}%"


def _shares(values: Sequence[float]) -> tuple[float, float]:
    n = len(values) or 1
    low = sum(1 for v in values if v <= LOW) / n
    high = sum(1 for v in values if v >= HIGH) / n
    return low, high


def polarization(
    window: Sequence[RatedReview],
    baseline: Sequence[float],
    *,
    window_end: date,
    window_days: int,
    min_reviews: int,
    extreme_share: float,
    min_side_share: float,
    min_increase: float,
    max_chance: float = 1e-3,
) -> Finding | None:
    """Many extreme lows and many extreme highs in the window, little in between, and clearly more
    extremes than the shop's own earlier reviews (a J-shape alone is normal on review sites)."""
    values = [item.rating_norm for item in window]
    if len(values) < min_reviews:
        return None
    low, high = _shares(values)
    known_before = len(baseline) >= min_reviews
    base_low, base_high = _shares(baseline) if known_before else (0.0, 0.0)
    # Polarized: the extremes hold most of the window, or clearly more of it than before (a
    # steadily mediocre shop whose middle empties out is polarizing too), with both ends present.
    more_extreme = known_before and low + high - base_low - base_high >= min_increase
    if (low + high < extreme_share and not more_extreme) or min(low, high) < min_side_share:
        return None
    if known_before:
        # Clearly more very negative reviews than before: by at least min_increase, and more
        # than chance allows at the shop's own share (a quiet month varies a lot).
        usual = (base_low * len(baseline) + 1) / (len(baseline) + 2)
        lows = round(low * len(values))
        if low - base_low < min_increase or binomial_tail(lows, len(values), usual) > max_chance:
            return None
    coefficient = bimodality(values)
    history = (
        f"In de periode daarvoor was {pct(base_low)} van de reviews zeer negatief."
        if known_before
        else "Er zijn te weinig eerdere reviews om mee te vergelijken."
    )
    year, week, _ = window_end.isocalendar()
    return Finding(
        kind="polarization",
        key=f"{window_days}d:{year}-W{week:02d}",
        severity="warning" if known_before else "info",
        title="Opvallend veel zeer negatieve én zeer positieve reviews",
        explanation=(
            f"Van de {len(values)} reviews in de laatste {window_days} dagen is {pct(low)} zeer "
            f"negatief en {pct(high)} zeer positief; er zit weinig tussen. {history} Zo'n patroon "
            "kan wijzen op wraakreviews aan de ene kant en reviews van bekenden aan de andere, "
            "maar ook op een echt probleem dat klanten verdeelt."
        ),
        action=(
            "Lees de negatieve reviews op een gemeenschappelijke oorzaak (bezorger, voorraad, "
            "bereikbaarheid) en beantwoord ze rustig. Lijken reviews nep of niet van klanten, "
            "meld ze dan bij het platform; beschuldig niemand in een openbare reactie."
        ),
        evidence={
            "reviews": len(values),
            "low_share": round(low, 3),
            "high_share": round(high, 3),
            "baseline_reviews": len(baseline),
            "baseline_low_share": round(base_low, 3) if known_before else None,
            "baseline_high_share": round(base_high, 3) if known_before else None,
            "bimodality": None if coefficient is None else round(coefficient, 3),
            "review_ids": [item.review_id for item in window if not LOW < item.rating_norm < HIGH],
        },
    )


def mismatch(
    *, review_id: int, content_hash: str, rating_norm: float, text_score: float, author: str | None
) -> Finding:
    """A rating that contradicts its own text: often a mis-click, sometimes manipulation."""
    stars_high = rating_norm >= 0.5
    who = f"van {author} " if author else ""
    if stars_high:
        title = "Hoge waardering bij een negatieve tekst"
        explanation = (
            f"De review {who}heeft een hoge waardering, maar de tekst is duidelijk negatief. "
            "Vaak is dat een misklik; soms is de tekst de echte mening."
        )
    else:
        title = "Lage waardering bij een positieve tekst"
        explanation = (
            f"De review {who}heeft een lage waardering, maar de tekst is duidelijk positief. "
            "Vaak is dat een misklik van de klant."
        )
    return Finding(
        kind="mismatch",
        key=f"{review_id}:{content_hash[:12]}",
        severity="info",
        title=title,
        explanation=explanation,
        action=(
            "Reageer op wat de klant schrijft, niet op het cijfer. Vraag nooit om een review aan "
            "te passen."
        ),
        evidence={
            "review_ids": [review_id],
            "rating_norm": round(rating_norm, 3),
            "text_score": round(text_score, 3),
        },
    )
