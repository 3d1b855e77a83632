"""Patterns in a shop's reviews worth the owner's attention, as pure functions over plain records.

A finding is advice to the owner, never a public accusation: the texts say what was seen, the
numbers behind it, and what the owner can do.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sentiment.chance import beta_binomial_tail, binomial_tail, fisher, rate_chance

LOW = 0.25  # a rating at or below this (0..1) is an extreme low: 1-2 of 5 stars, 1-3 of 10
HIGH = 0.875  # at or above: 5 of 5 stars, 9-10 of 10
PRIOR_REVIEWS = 10  # how much a review site's usual share counts beside a shop's own history


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


@dataclass(frozen=True, slots=True)
class _Counts:
    low: int
    middle: int
    high: int

    @classmethod
    def of(cls, values: Sequence[float]) -> _Counts:
        low = sum(1 for v in values if v <= LOW)
        high = sum(1 for v in values if v >= HIGH)
        return cls(low, len(values) - low - high, high)

    @property
    def total(self) -> int:
        return self.low + self.middle + self.high

    def shares(self) -> tuple[float, float]:
        """The shares of very negative and very positive ratings (0 without any)."""
        total = self.total or 1
        return self.low / total, self.high / total


def side(rating: float | None) -> str | None:
    """Which extreme a rating is: "low", "high", or None for the middle or no rating."""
    if rating is None or LOW < rating < HIGH:
        return None
    return "low" if rating <= LOW else "high"


def pct(share: float) -> str:
    return f"{round(share * 100)}%"


def _by_share(
    now: _Counts, before: _Counts, *, min_increase: float, prior_low_share: float
) -> float:
    """The chance of this many very negative reviews at the shop's usual share, where the share is
    at least ``min_increase`` above it (1.0 otherwise). Without a history of its own, the usual
    share is a review site's (``prior_low_share``)."""
    if not before.total:
        if now.low / now.total - prior_low_share < min_increase:
            return 1.0
        return binomial_tail(now.low, now.total, prior_low_share)
    # The share as far as the earlier reviews tell it, steadied by the prior as if by
    # PRIOR_REVIEWS more reviews.
    lows = before.low + PRIOR_REVIEWS * prior_low_share
    others = before.total - before.low + PRIOR_REVIEWS * (1 - prior_low_share)
    if now.low / now.total - lows / (lows + others) < min_increase:
        return 1.0
    return beta_binomial_tail(now.low, now.total, lows, others)


def _by_rate(now: _Counts, before: _Counts, *, window_days: int, span_days: float) -> float:
    """The chance of both ends coming this much more often than over the earlier span, where the
    very negative reviews are at least twice as many as before and as a busier middle explains
    (1.0 otherwise)."""
    scale = window_days / span_days
    # how much busier the middle is than before (smoothed: a quiet shop's middle is small)
    busier = (now.middle + 1) / (before.middle * scale + 1)
    if now.low < 2 * before.low * scale * max(1.0, busier):
        return 1.0
    in_window = window_days / (window_days + span_days)
    return fisher(
        rate_chance(now.low, before.low, in_window), rate_chance(now.high, before.high, in_window)
    )


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
    baseline_span_days: float | None = None,
    prior_low_share: float = 0.2,
) -> Finding | None:
    """Many extreme lows and many extreme highs in the window, little in between, and clearly more
    very negative reviews than the shop's own earlier ones (a J-shape alone is normal on review
    sites). A shop without a history of its own is compared with ``prior_low_share``, a common
    share on review sites, and told only as information.

    Clearly more means either of two tests, each at most ``max_chance``:
    - by share: the share of very negative reviews is at least ``min_increase`` above the usual
      share, beyond chance (a beta-binomial tail, which allows for a usual share known from few
      reviews); this holds in a busy season, when every rating comes more often;
    - by rate (where the shop's history spans ``baseline_span_days``): very negative and very
      positive reviews both come more often than in that span (each rate by the conditional
      binomial test, together by Fisher's method), with at least twice as many very negative
      reviews as before, and twice as many as a busier middle explains (a busier shop is not
      polarizing). This finds a small shop whose ends both grow: extra five-star reviews dilute
      the share of the one-star ones, not their number.
    """
    values = [item.rating_norm for item in window]
    if len(values) < min_reviews:
        return None
    known_before = len(baseline) >= min_reviews
    now, before = _Counts.of(values), _Counts.of(baseline if known_before else [])
    (low, high), (base_low, base_high) = now.shares(), before.shares()
    # Polarized: the extremes hold most of the window, or clearly more of it than before (a
    # steadily mediocre shop whose middle empties out is polarizing too), with both ends present.
    more_extreme = known_before and low + high - base_low - base_high >= min_increase
    if (low + high < extreme_share and not more_extreme) or min(low, high) < min_side_share:
        return None
    by_share = _by_share(now, before, min_increase=min_increase, prior_low_share=prior_low_share)
    by_rate, expected = 1.0, None
    if known_before and baseline_span_days:
        expected = before.low * window_days / baseline_span_days
        by_rate = _by_rate(now, before, window_days=window_days, span_days=baseline_span_days)
    if min(by_share, by_rate) > max_chance:
        return None
    coefficient = bimodality(values)
    if known_before:
        history = f"In de periode daarvoor was {pct(base_low)} van de reviews zeer negatief"
        if expected is not None:
            history += (
                f"; gewoonlijk kwamen er ongeveer {expected:.0f} zeer negatieve reviews per "
                f"{window_days} dagen, nu {now.low}"
            )
        history += "."
    else:
        history = "Er zijn te weinig eerdere reviews om mee te vergelijken."
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
            "chance_share": float(f"{by_share:.2g}"),
            "chance_rate": float(f"{by_rate:.2g}") if by_rate < 1 else None,
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
