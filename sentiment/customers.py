"""Accounts and escalation: reviewer signals the platforms give, and customers who keep coming back
or wait past the promise."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sentiment.chance import unlikely
from sentiment.flags import Finding, ReviewRecord, pct
from sentiment.flags import side as side_of


@dataclass(frozen=True, slots=True)
class CustomerSettings:
    window_days: int = 30
    baseline_days: int = 365
    accounts_hours: int = 72
    min_singles: int = 6  # extreme reviews from one-review accounts in that window, at least
    max_chance: float = 1e-4  # how unlikely that many must be at the platform's usual rate ...
    max_share_chance: float = 3e-3  # ... and at their usual share of the platform's reviews
    min_history_days: int = 14  # a platform with less history has no usual rate yet
    repeat_complaints: int = 3  # complaints by one customer within the window
    promise_hours: int = 24
    overdue_days: int = 14  # older unanswered complaints are the report's backlog, not news


def accounts(
    records: Sequence[ReviewRecord],
    *,
    now: datetime,
    settings: CustomerSettings = CustomerSettings(),
) -> list[Finding]:
    """Very positive (or very negative) reviews from accounts with a single review in the last
    ``accounts_hours``: far more than the platform's usual rate of them (Poisson), and far more of
    the platform's reviews than their usual share (binomial), so that a busy season with the usual
    mix is no signal, while the ordinary reviews around a wave do not hide it. Only where the
    platform says how many reviews an account has (Trustpilot does), and with at least
    ``min_history_days`` of them to know the usual rate."""
    start = now - timedelta(hours=settings.accounts_hours)
    base_start = start - timedelta(days=settings.baseline_days)
    found = []
    for source in sorted({r.source for r in records}):
        known = [
            r for r in records
            if r.source == source and r.author_reviews is not None and r.rating_norm is not None
            and base_start <= r.received_at <= now
        ]  # fmt: skip
        recent = [r for r in known if r.received_at >= start]
        before = [r for r in known if r.received_at < start]
        days = (start - min((r.received_at for r in known), default=start)).total_seconds() / 86400
        if days < settings.min_history_days:
            continue
        for side in ("high", "low"):
            singles = [
                r for r in recent if r.author_reviews == 1 and side_of(r.rating_norm) == side
            ]
            if len(singles) < settings.min_singles:
                continue
            # One review of headroom, as for bursts: a platform without such reviews so far
            # is not alarmed by its first few.
            earlier = sum(r.author_reviews == 1 and side_of(r.rating_norm) == side for r in before)
            usual = (earlier + 1) / (len(before) + 2)
            expected = (earlier + 1) / days * settings.accounts_hours / 24
            if not unlikely(
                len(singles), len(recent), expected=expected, share=usual,
                max_chance=settings.max_chance, max_share_chance=settings.max_share_chance,
            ):  # fmt: skip
                continue
            found.append(
                _accounts_finding(source, side, singles, recent, usual, expected, settings)
            )
    return found


def _accounts_finding(
    source: str,
    side: str,
    singles: list[ReviewRecord],
    recent: list[ReviewRecord],
    usual: float,
    expected: float,
    settings: CustomerSettings,
) -> Finding:
    share = len(singles) / len(recent)
    kind = "zeer positief" if side == "high" else "zeer negatief"
    return Finding(
        kind="accounts",
        key=f"{source}:{side}:{min(r.received_at for r in singles):%Y-%m-%d}",
        severity="warning",
        title=f"Veel reviews van accounts met één review op {source}",
        explanation=(
            f"Van de {len(recent)} reviews op {source} in de laatste {settings.accounts_hours} "
            f"uur zijn er {len(singles)} ({pct(share)}) {kind} en komen ze van accounts die verder "
            f"geen enkele review schreven; gewoonlijk is dat {pct(usual)}, ongeveer "
            f"{expected:.1f} in zo'n periode. Nieuwe accounts zijn "
            "vaak echte klanten, maar zo'n toename past ook bij nepreviews of gekochte reviews."
        ),
        action=(
            "Bekijk de reviews van deze accounts samen. Meld ze bij het platform als ze niet van "
            "klanten lijken (geen bestelling te vinden); beschuldig niemand openbaar."
        ),
        evidence={
            "source": source,
            "side": side,
            "reviews": len(recent),
            "single_share": round(share, 3),
            "usual_single_share": round(usual, 3),
            "expected": round(expected, 2),
            "review_ids": sorted(r.review_id for r in singles),
        },
    )


def escalation(
    records: Sequence[ReviewRecord],
    *,
    now: datetime,
    settings: CustomerSettings = CustomerSettings(),
) -> list[Finding]:
    """A customer with several complaints in the window, and complaints unanswered past the
    promise (each once)."""
    start = now - timedelta(days=settings.window_days)
    found: list[Finding] = []
    by_customer: dict[str, list[ReviewRecord]] = defaultdict(list)
    for r in records:
        if r.complaint and r.customer and r.received_at >= start:
            by_customer[r.customer].append(r)
    for _, complaints in sorted(by_customer.items()):
        if len(complaints) < settings.repeat_complaints:
            continue
        complaints.sort(key=lambda r: r.received_at)
        found.append(
            Finding(
                kind="escalation",
                key=f"repeat:{complaints[0].review_id}",
                severity="warning",
                title="Een klant klaagt steeds opnieuw",
                explanation=(
                    f"Dezelfde klant klaagde {len(complaints)} keer in {settings.window_days} "
                    f"dagen (via {', '.join(sorted({r.source for r in complaints}))}). Wie steeds "
                    "terugkomt, voelt zich niet geholpen."
                ),
                action=(
                    "Bel of mail deze klant persoonlijk, met één vaste contactpersoon en een "
                    "concrete datum waarop het is opgelost."
                ),
                evidence={
                    "review_ids": [r.review_id for r in complaints],
                    "complaints": len(complaints),
                },
            )
        )
    late = now - timedelta(hours=settings.promise_hours)
    oldest = now - timedelta(days=settings.overdue_days)
    waiting = sorted(
        (r for r in records if r.complaint and not r.answered and oldest <= r.received_at <= late),
        key=lambda r: r.received_at,
    )
    if waiting:
        hours = int((now - waiting[0].received_at).total_seconds() // 3600)
        found.append(
            Finding(
                kind="escalation",
                key=f"unanswered:{waiting[0].review_id}",
                severity="warning",
                title=f"Klachten langer dan {settings.promise_hours} uur zonder antwoord",
                explanation=(
                    f"{len(waiting)} klacht(en) van de laatste {settings.overdue_days} dagen "
                    f"wachten langer dan de beloofde {settings.promise_hours} uur op een antwoord; "
                    f"de oudste al {hours} uur."
                ),
                action="Beantwoord ze vandaag, de oudste eerst, met excuses voor het wachten.",
                evidence={"review_ids": [r.review_id for r in waiting], "oldest_hours": hours},
            )
        )
    return found
