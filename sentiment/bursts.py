"""Bursts: more reviews of one extreme in a short window than the shop's own rate makes likely.

A burst of very negative reviews that mostly name one operational aspect (delivery, damage) is
told as an operational problem to look into, not as suspect reviews; a burst of extremes from
accounts with a single review is told as worth reporting to the platform.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sentiment.chance import unlikely
from sentiment.flags import Finding, ReviewRecord, pct
from sentiment.flags import side as side_of

LOWEST = 0.125  # the lowest ratings (0..1): 1 of 5 stars, 1-2 of 10
OPERATIONAL = (
    "levering en bezorgtijd",
    "beschadigd of verkeerd geleverd",
    "klantenservice en bereikbaarheid",
)


@dataclass(frozen=True, slots=True)
class BurstSettings:
    window_hours: int = 48
    short_hours: int = 24  # a denser stretch inside the window is tested too
    baseline_days: int = 90
    min_reviews: int = 6  # fewer extremes than this in the window are never a burst
    max_chance: float = 1e-4  # how unlikely the count must be at the usual rate ...
    max_share_chance: float = 1e-2  # ... and as a share of the window's reviews
    min_history_days: int = 14  # a shop with less history has no usual rate yet
    operational_share: float = 0.5  # this share naming one operational aspect: a real problem
    single_account_share: float = 0.5  # this share from one-review accounts: worth reporting


def bursts(
    records: Sequence[ReviewRecord], *, now: datetime, settings: BurstSettings = BurstSettings()
) -> list[Finding]:
    """Per extreme (very negative, very positive), per platform and for the shop as a whole: the
    window's count must be unlikely both at the usual rate (Poisson) and as a share of the
    window's reviews (binomial), so a busy season with the usual mix is no burst. The lowest
    ratings are tested on their own too, at their own usual rate. Needs at least
    ``min_history_days`` of earlier records."""
    window_start = now - timedelta(hours=settings.window_hours)
    earliest = min((r.received_at for r in records), default=now)
    baseline_start = max(window_start - timedelta(days=settings.baseline_days), earliest)
    history = (window_start - baseline_start).total_seconds() / 86400
    if history < settings.min_history_days:
        return []
    found: list[Finding] = []
    for scope in [None, *sorted({r.source for r in records})]:
        rated = [
            r for r in records
            if (scope is None or r.source == scope) and r.rating_norm is not None
            and baseline_start <= r.received_at <= now
        ]  # fmt: skip
        recent = [r for r in rated if r.received_at >= window_start]
        before_all = len(rated) - len(recent)
        told: set[str] = set()
        for side, lowest in (("low", False), ("low", True), ("high", False)):
            if side in told:
                continue
            before = sum(1 for r in rated if r.received_at < window_start and _in(r, side, lowest))
            # One review of headroom, so that a shop without extremes so far is not alarmed by
            # its first few.
            per_day = (before + 1) / history
            share = (before + 1) / (before_all + 2)
            mine = [r for r in recent if _in(r, side, lowest)]
            burst = _densest(recent, mine, per_day, share, settings)
            if burst is not None:
                told.add(side)
                finding = _finding(mine, side, scope, burst, share, now, settings, lowest=lowest)
                found.append(finding)
    return _without_repeats(found)


def _in(record: ReviewRecord, side: str, lowest: bool) -> bool:
    """Whether the record is of that extreme; with ``lowest``, of the lowest ratings only (a
    revenge wave is all one-star reviews, which are rarer than the very negative ones)."""
    if lowest:
        return record.rating_norm is not None and record.rating_norm <= LOWEST
    return side_of(record.rating_norm) == side


def _densest(
    recent: list[ReviewRecord],
    mine: list[ReviewRecord],
    per_day: float,
    share: float,
    settings: BurstSettings,
) -> float | None:
    """The burst in the window, if any: over the whole window, or in its densest ``short_hours``
    (a day of revenge reviews inside two ordinary days), whose chances count double, as two such
    stretches fit. The stretch's count must be unlikely at the usual rate, and its share of the
    stretch's reviews unlikely at the usual share (a busy season with the usual mix is no
    burst). Returns the number expected in the stretch that tells it."""
    if len(mine) < settings.min_reviews:
        return None
    chances = {"max_chance": settings.max_chance, "max_share_chance": settings.max_share_chance}
    expected = per_day * settings.window_hours / 24
    if unlikely(len(mine), len(recent), expected=expected, share=share, **chances):
        return expected
    short = _stretch(mine, settings.short_hours)
    if len(short) < settings.min_reviews:
        return None
    span_end = short[0].received_at + timedelta(hours=settings.short_hours)
    around = sum(1 for r in recent if short[0].received_at <= r.received_at <= span_end)
    expected = per_day * settings.short_hours / 24
    tries = settings.window_hours / settings.short_hours
    if unlikely(len(short), around, expected=expected, share=share, tries=tries, **chances):
        return expected
    return None


def _stretch(records: list[ReviewRecord], hours: int) -> list[ReviewRecord]:
    """The most records within any ``hours`` (records in time order)."""
    ordered = sorted(records, key=lambda r: r.received_at)
    span = timedelta(hours=hours)
    best: list[ReviewRecord] = []
    start = 0
    for end, record in enumerate(ordered):
        while record.received_at - ordered[start].received_at > span:
            start += 1
        if end - start + 1 > len(best):
            best = ordered[start : end + 1]
    return best


def _without_repeats(found: list[Finding]) -> list[Finding]:
    """One wave is told once: a platform's burst inside the shop's burst of the same side is left
    out, and the shop's burst is left out when it is exactly one platform's."""
    shop = {
        f.evidence["side"]: set(f.evidence["review_ids"]) for f in found if not f.evidence["source"]
    }
    kept = []
    for f in found:
        ids, side = set(f.evidence["review_ids"]), f.evidence["side"]
        whole = shop.get(side)
        if f.evidence["source"] and whole is not None and ids < whole:
            continue
        if not f.evidence["source"] and any(
            g.evidence["source"]
            and g.evidence["side"] == side
            and set(g.evidence["review_ids"]) == ids
            for g in found
        ):
            continue
        kept.append(f)
    return kept


def _finding(
    recent: list[ReviewRecord],
    side: str,
    scope: str | None,
    expected: float,
    share: float,
    now: datetime,
    settings: BurstSettings,
    *,
    lowest: bool = False,
) -> Finding:
    aspects = Counter(a for r in recent for a in set(r.aspects) if a in OPERATIONAL)
    aspect, naming = aspects.most_common(1)[0] if aspects else (None, 0)
    operational = side == "low" and naming >= settings.operational_share * len(recent)
    known = [r for r in recent if r.author_reviews is not None]
    single = sum(1 for r in known if r.author_reviews == 1)
    singles = bool(known) and single >= settings.single_account_share * len(known)
    where = f" op {scope}" if scope else ""
    what = "zeer negatieve" if side == "low" else "zeer positieve"
    counted = "reviews met de laagste score" if lowest else f"{what} reviews"
    first = min(r.received_at for r in recent)
    explanation = (
        f"In de laatste {settings.window_hours} uur kwamen er {len(recent)} {counted} "
        f"binnen{where}; gewoonlijk zijn dat er in zo'n periode ongeveer {expected:.1f}."
    )
    if operational:
        cause = "operational"
        explanation += (
            f" {naming} van de {len(recent)} gaan over {aspect}: dat wijst op een echt probleem "
            "(bijvoorbeeld bij de bezorger of in het magazijn), niet op nepreviews."
        )
        action = (
            f"Zoek de oorzaak bij {aspect} (vraag de vervoerder of er een storing is), beantwoord "
            "elke review rustig met excuses en een concrete oplossing, en meld het probleem op de "
            "website zolang het duurt."
        )
        severity = "warning"
    elif singles:
        cause = "suspect"
        explanation += (
            f" {single} van de {len(known)} komen van accounts met maar één review. Reviews die "
            "zo samen opduiken kunnen nep zijn, of gekocht, of door bekenden geschreven."
        )
        action = (
            "Meld de reviews bij het platform als u denkt dat ze niet van echte klanten komen; "
            "beschuldig niemand in een openbare reactie. Beantwoord negatieve reviews rustig."
            if side == "low"
            else "Meld de reviews bij het platform als ze niet van echte klanten komen: "
            "nepreviews in uw voordeel kunnen het platform een reden geven uw profiel te markeren."
        )
        severity = "warning"
    else:
        cause = "unknown"
        explanation += (
            " Of dat een probleem, een actie of iets anders is, zegt het aantal alleen niet."
        )
        action = (
            "Lees deze reviews samen: hebben ze een gemeenschappelijke oorzaak? Beantwoord ze "
            "rustig; meld reviews die niet van klanten lijken bij het platform, en beschuldig "
            "niemand in een openbare reactie."
        )
        severity = "warning" if side == "low" else "info"
    return Finding(
        kind="burst",
        key=f"{scope or 'alle'}:{side}:{first:%Y-%m-%d}",
        severity=severity,
        title=(f"Golf van {what} reviews{where}" + (f": {aspect}" if operational else "")),
        explanation=explanation,
        action=action,
        evidence={
            "source": scope,
            "side": side,
            "cause": cause,
            "reviews": len(recent),
            "expected": round(expected, 2),
            "usual_share": round(share, 3),
            "lowest_only": lowest,
            "aspect": aspect,
            "aspect_reviews": naming,
            "single_review_accounts": single if known else None,
            "share": pct(len(recent) and naming / len(recent)) if operational else None,
            "review_ids": sorted(r.review_id for r in recent),
            "window_end": now.isoformat(),
        },
    )
