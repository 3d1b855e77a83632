"""All window flags over a shop's records at one moment, and whether a finding is a repeat."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sentiment.bursts import BurstSettings, bursts
from sentiment.copies import CopySettings, copies
from sentiment.customers import CustomerSettings, accounts, escalation
from sentiment.flags import Finding, RatedReview, ReviewRecord, polarization

UTC = ZoneInfo("UTC")


@dataclass(frozen=True, slots=True)
class PolarizationSettings:
    shift_days: int = 7
    window_days: int = 30
    baseline_days: int = 365  # a year: a season is part of the usual
    min_reviews: int = 12
    extreme_share: float = 0.75
    min_side_share: float = 0.25
    min_increase: float = 0.1
    max_chance: float = 1e-3
    prior_low_share: float = 0.2


@dataclass(frozen=True, slots=True)
class PatternSettings:
    polarization: PolarizationSettings = field(default_factory=PolarizationSettings)
    burst: BurstSettings = field(default_factory=BurstSettings)
    copies: CopySettings = field(default_factory=CopySettings)
    customers: CustomerSettings = field(default_factory=CustomerSettings)
    copies_days: int = 90  # how far back a new text is compared with earlier ones

    @property
    def history_days(self) -> int:
        """How many days of records the flags need at most."""
        p, b, c = self.polarization, self.burst, self.customers
        return max(
            p.window_days + p.baseline_days,
            b.baseline_days + b.window_hours // 24 + 1,
            c.window_days,
            c.accounts_hours // 24 + 1 + c.baseline_days,
            self.copies_days,
        )


def _polarization(
    records: Sequence[ReviewRecord],
    now: datetime,
    days: int,
    s: PolarizationSettings,
    zone: ZoneInfo,
) -> Finding | None:
    start = now - timedelta(days=days)
    base_start = start - timedelta(days=s.baseline_days)
    rated = [r for r in records if r.rating_norm is not None]
    window = [
        RatedReview(r.review_id, r.rating_norm) for r in rated if start <= r.received_at <= now
    ]  # type: ignore[arg-type]
    baseline = [r.rating_norm for r in rated if base_start <= r.received_at < start]
    span = 0.0
    if days == s.window_days:  # the rate test reads the state window against the baseline's span
        # (the part of the baseline that the shop's known history covers)
        first = min((r.received_at for r in rated), default=start)
        span = (start - max(base_start, first)).total_seconds() / 86400
    return polarization(
        window,
        baseline,  # type: ignore[arg-type]
        window_end=now.astimezone(zone).date(),
        window_days=days,
        min_reviews=s.min_reviews,
        extreme_share=s.extreme_share,
        min_side_share=s.min_side_share,
        min_increase=s.min_increase,
        # a longer window is judged less strictly: it is looked at that much less often anew
        max_chance=s.max_chance * days / s.shift_days,
        baseline_span_days=span if span > 0 else None,
        prior_low_share=s.prior_low_share,
    )


def find_patterns(
    records: Sequence[ReviewRecord],
    *,
    now: datetime,
    settings: PatternSettings = PatternSettings(),
    zone: ZoneInfo = UTC,
) -> list[Finding]:
    """Every window flag at ``now``: polarization (a sudden shift and a lasting state), bursts,
    copies, one-review accounts and escalation. Records after ``now`` are ignored."""
    records = [r for r in records if r.received_at <= now]
    found: list[Finding] = []
    p = settings.polarization
    for days in sorted({p.shift_days, p.window_days}):
        finding = _polarization(records, now, days, p, zone)
        if finding is not None:
            found.append(finding)
    found += bursts(records, now=now, settings=settings.burst)
    recent = now - timedelta(days=settings.copies_days)
    found += copies([r for r in records if r.received_at >= recent], settings=settings.copies)
    found += accounts(records, now=now, settings=settings.customers)
    found += escalation(records, now=now, settings=settings.customers)
    return found


OVERLAPPING = frozenset({"burst", "copies", "polarization", "accounts", "escalation"})


def same_pattern(finding: Finding, earlier: Iterable[Finding]) -> bool:
    """Whether an earlier finding already told this: the same kind and key, or for the window
    flags the same kind (and platform and side) about half or more of the same reviews."""
    ids = set(finding.evidence.get("review_ids") or ())
    for old in earlier:
        if old.kind != finding.kind:
            continue
        if old.key == finding.key:
            return True
        if finding.kind not in OVERLAPPING or not ids:
            continue
        if any(old.evidence.get(k) != finding.evidence.get(k) for k in ("source", "side")):
            continue
        shared = ids & set(old.evidence.get("review_ids") or ())
        if len(shared) * 2 >= min(len(ids), len(old.evidence.get("review_ids") or ())):
            return True
    return False
