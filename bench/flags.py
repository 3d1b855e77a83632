"""The pattern flags on simulated shops: recall on injected campaigns, false alarms on clean
traffic, detection delay, and the time to compute all flags for 100,000 reviews.

    .venv/bin/python bench/flags.py [--years 6] [--seeds 8]

Protocol. Four shop profiles, each simulated for a year of reviews (Poisson arrivals per day):
a J-shaped normal shop (8 a day; 60% five stars, 12% one star), a steadily mediocre one (5 a day,
mostly 3-4 stars), a seasonal one (4 a day, four times as many in November and December, twice
in May) and a small one (one review every two or three days). Reviews come from Trustpilot
(half; with the account's review count: a third of accounts have one review), Kiyoh and Google;
their texts are real Dutch review texts from ../shared/data/sentiment (positive texts for 4-5
stars, negative for 1-2, a sentence of each for 3), each used once per shop-year, then two
sentences of two different texts (from a third of the texts kept apart for that, so that no
customer repeats another's sentence); they carry the aspects the real scorer finds. The flags run
once a day (at 23:00) over the records up to then, as the daemon would, and a finding that
repeats an earlier one is not counted again.

Campaigns, one per simulated year, at a random day between day 200 and 330: a dozen five-star
reviews from one-review accounts within 48 hours (fake praise); eight one-star reviews in one day
on any platform from one-review accounts, which only Trustpilot reports (revenge; a burst or an
accounts signal finds either); a month of
creeping polarization (extra one-star and five-star reviews, each side growing from a fifth of
the shop's usual daily number to all of it over 30 days: a fixed number, like the other
campaigns, of 0.6 times a usual month's reviews on each side); five copies of one text from
different names within a week; and a carrier outage (over three days, twenty extra 1-2 star
reviews that name late or missing parcels), which must be flagged as an operational problem, not
as suspect reviews.

Recall: the share of campaigns for which the expected flag fired (a finding of that kind about
a third of its reviews, or a fifth of whose reviews are the campaign's, with cause "operational" for
the outage and any other cause for the revenge and fake praise) within 7 days of the campaign's
last review (30 days for polarization).
False alarms: findings on the clean years (no campaign) per shop-year. Delay: hours from the
campaign's first review to the run that flagged it.
"""

from __future__ import annotations

# ruff: noqa: E402  (the imports follow the path fix below)
import sys
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parents[1])

import argparse
import bisect
import random
import re
import statistics
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from sentiment.aspects import find_aspects
from sentiment.corpus import read_source
from sentiment.flags import Finding, ReviewRecord
from sentiment.patterns import PatternSettings, find_patterns, same_pattern

REPO = Path(__file__).resolve().parents[1]
SENTENCE = re.compile(r"[^.!?]+[.!?]*")
START = datetime(2026, 1, 1, tzinfo=UTC)
SOURCES = (("trustpilot", 0.5), ("kiyoh", 0.3), ("google", 0.2))
STARS = {  # share of 1..5 stars
    "j-shaped": (0.12, 0.06, 0.07, 0.15, 0.60),
    "mediocre": (0.08, 0.12, 0.25, 0.35, 0.20),
    "seasonal": (0.12, 0.06, 0.07, 0.15, 0.60),
    "small": (0.12, 0.06, 0.07, 0.15, 0.60),
}
RATE = {"j-shaped": 8.0, "mediocre": 5.0, "seasonal": 4.0, "small": 0.4}
OUTAGE = (
    "Pakket nog steeds niet bezorgd, volgens PostNL ligt het al dagen in het depot.",
    "Bestelling komt maar niet aan, track en trace staat al drie dagen stil.",
    "Levering veel te laat, de bezorger is nooit langs geweest.",
    "Mijn pakket is kwijt bij de vervoerder en ik hoor niets.",
    "Al vijf dagen wachten op mijn zending, niet geleverd.",
)
REVENGE = (
    "Oplichters, blijf weg bij deze winkel!", "Nooit meer, waardeloos bedrijf.",
    "Slechtste winkel ooit, schandalig.", "Zwaar oplichters, afblijven.",
    "Wat een amateurs, echt waardeloos.", "Nul sterren als het kon. Schande.",
)  # fmt: skip
PRAISE = (
    "Geweldig!", "Top winkel!", "Beste shop ooit", "Super service!!", "Aanrader!", "Perfect",
    "Heel blij mee", "Fantastisch", "Topper", "Echt top", "Super tevreden", "Beste keus",
)  # fmt: skip
COPY = (
    "Ik heb hier mijn nieuwe pannenset besteld en alles kwam binnen een dag netjes verpakt aan, "
    "de kwaliteit is geweldig en de service ook"
)


@dataclass
class Texts:
    positive: list[str]
    negative: list[str]


class TextPicker:
    """Real texts of the rating's polarity, each used once per shop-year; once a pool is used up,
    new texts are made of two sentences from two different real texts (a busy shop-year needs
    more texts than the files hold). Real customers do not repeat each other, so the sentences
    come from a third of the texts set aside for that, never from a text also used whole."""

    def __init__(self, texts: Texts, rng: random.Random) -> None:
        self.rng = rng
        self.pools: dict[str, list[str]] = {}
        self.sentences: dict[str, list[str]] = {}
        self.unused: dict[str, list[str]] = {}
        for name in ("positive", "negative"):
            pool = list(getattr(texts, name))
            rng.shuffle(pool)
            spare = len(pool) // 3
            self.pools[name] = pool[spare:]
            self.sentences[name] = [
                p.strip() for t in pool[:spare] for p in SENTENCE.findall(t) if len(p.split()) > 2
            ]
            self.unused[name] = []

    def _sentence(self, name: str) -> str:
        """A sentence of that polarity, each once before any is used again."""
        if not self.unused[name]:
            self.unused[name] = self.rng.sample(self.sentences[name], len(self.sentences[name]))
        return self.unused[name].pop()

    def pick(self, stars: int) -> str:
        if stars == 3:  # a mixed review: a sentence of praise and one of criticism
            return f"{self._sentence('positive')} Maar {self._sentence('negative')}"
        name = "negative" if stars <= 2 else "positive"
        if self.pools[name]:
            return self.pools[name].pop()
        return f"{self._sentence(name)} {self._sentence(name)}"


def load_texts(data: Path) -> Texts:
    """The review files' texts by polarity, each distinct text once: bever.nl's file repeats a
    review under every variant of a product, and a review may come both with and without its
    title before it, so texts are told apart by their longest sentence."""
    found: dict[str, dict[str, str]] = defaultdict(dict)
    for source in ("bolcom", "bever", "earphone"):
        for example in read_source(data, source):
            longest = max(SENTENCE.findall(example.text) or [example.text], key=len)
            found[example.label].setdefault(" ".join(longest.lower().split()), example.text)
    return Texts(list(found["positive"].values()), list(found["negative"].values()))


class Shop:
    """One simulated shop-year: records in time order, and the campaigns' review ids."""

    def __init__(self, profile: str, seed: int, texts: Texts) -> None:
        self.rng = random.Random(f"{profile}-{seed}")
        self.profile = profile
        self.texts = TextPicker(texts, self.rng)
        self.records: list[ReviewRecord] = []
        self.next_id = 1

    def add(self, when: datetime, stars: int, *, source: str | None = None, text: str | None = None,
            author: str | None = None, author_reviews: int | None = -1) -> int:  # fmt: skip
        rng = self.rng
        source = source or rng.choices([s for s, _ in SOURCES], [w for _, w in SOURCES])[0]
        text = text if text is not None else self.texts.pick(stars)
        if author_reviews == -1:
            author_reviews = (
                (1 if rng.random() < 0.33 else rng.randint(2, 40))
                if source == "trustpilot"
                else None
            )
        review_id = self.next_id
        self.next_id += 1
        self.records.append(
            ReviewRecord(
                review_id=review_id, source=source, received_at=when, rating_norm=(stars - 1) / 4,
                text=text, author=author or f"klant{review_id}", author_reviews=author_reviews,
                aspects=tuple(find_aspects(text)), customer=f"{source}:{author or review_id}",
                complaint=stars <= 2, answered=True,
            )
        )  # fmt: skip
        return review_id

    def traffic(self) -> None:
        rng = self.rng
        for day in range(365):
            date = START + timedelta(days=day)
            rate = RATE[self.profile]
            if self.profile == "seasonal":
                rate *= 4 if date.month in (11, 12) else 2 if date.month == 5 else 1
            for _ in range(_poisson(rate, rng)):
                stars = rng.choices(range(1, 6), STARS[self.profile])[0]
                self.add(date + timedelta(seconds=rng.randrange(86400)), stars)

    def sorted(self) -> list[ReviewRecord]:
        return sorted(self.records, key=lambda r: r.received_at)


def _poisson(mean: float, rng: random.Random) -> int:
    limit, k, product = pow(2.718281828459045, -mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


def _spread(shop: Shop, start: datetime, hours: float, count: int) -> list[datetime]:
    return sorted(
        start + timedelta(seconds=shop.rng.uniform(0, hours * 3600)) for _ in range(count)
    )


def fake_praise(shop: Shop, start: datetime) -> list[int]:
    return [shop.add(t, 5, source="trustpilot", text=shop.rng.choice(PRAISE), author_reviews=1)
            for t in _spread(shop, start, 48, 12)]  # fmt: skip


def revenge(shop: Shop, start: datetime) -> list[int]:
    """Eight one-star reviews in a day, on any platform, from accounts with a single review
    (only Trustpilot says so)."""
    ids = []
    for t in _spread(shop, start, 24, 8):
        source = shop.rng.choices([s for s, _ in SOURCES], [w for _, w in SOURCES])[0]
        counted = 1 if source == "trustpilot" else None
        ids.append(shop.add(t, 1, source=source, text=shop.rng.choice(REVENGE),
                            author_reviews=counted))  # fmt: skip
    return ids


def creeping(shop: Shop, start: datetime) -> list[int]:
    """For 30 days, extra one-star and five-star reviews, each side growing from a fifth of the
    shop's usual daily number to all of it: the middle empties out, whatever the shop's size.
    Like the other campaigns, its size is fixed (the expected number on each side); the times
    follow the growing intensity."""
    per_side = round(RATE[shop.profile] * 30 * 0.6)
    ids = []
    for stars in (1, 5):
        for _ in range(per_side):
            # the inverse of the distribution function of the intensity 0.2 + 0.8 x on 0..1
            x = (-0.2 + (0.04 + 0.96 * shop.rng.random()) ** 0.5) / 0.8
            ids.append(shop.add(start + timedelta(days=30 * x), stars))
    return ids


def copied(shop: Shop, start: datetime) -> list[int]:
    tails = ("", " echt", " hoor", "!", " zeker")
    return [
        shop.add(t, 5, text=COPY + tail)
        for t, tail in zip(_spread(shop, start, 7 * 24, 5), tails, strict=True)
    ]


def outage(shop: Shop, start: datetime) -> list[int]:
    return [shop.add(t, shop.rng.choice((1, 1, 2)), text=shop.rng.choice(OUTAGE))
            for t in _spread(shop, start, 72, 20)]  # fmt: skip


@dataclass(frozen=True)
class Campaign:
    name: str
    inject: Callable[[Shop, datetime], list[int]]
    kinds: tuple[str, ...]
    operational: bool | None  # for bursts: must (True) or must not (False) be operational
    grace_days: int = 7


CAMPAIGNS = (
    Campaign("fake praise (12 in 48 h)", fake_praise, ("burst", "accounts"), False),
    Campaign("revenge (8 in a day)", revenge, ("burst", "accounts"), False),
    Campaign("creeping polarization", creeping, ("polarization",), None, grace_days=30),
    Campaign("copied texts (5)", copied, ("copies",), None),
    Campaign("carrier outage (20 in 3 days)", outage, ("burst",), True),
)


def matches(finding: Finding, campaign: Campaign, ids: set[int]) -> bool:
    """The finding is about the campaign: of the expected kind, and a third of the campaign's
    reviews, or a fifth of the finding's own, are the campaign's (a wave told on its first day,
    with the rest of it arriving later, counts: the later findings are repeats)."""
    if finding.kind not in campaign.kinds:
        return False
    told = set(finding.evidence.get("review_ids") or ())
    hit = ids & told
    if len(hit) * 3 < len(ids) and len(hit) * 5 < len(told):
        return False
    if finding.kind == "burst" and campaign.operational is not None:
        return (finding.evidence.get("cause") == "operational") == campaign.operational
    return True


def run_year(
    records: list[ReviewRecord], settings: PatternSettings
) -> list[tuple[datetime, Finding]]:
    """The daily runs: each new finding with the moment it was first told."""
    times = [r.received_at for r in records]
    told: list[Finding] = []
    out: list[tuple[datetime, Finding]] = []
    history = timedelta(days=settings.history_days)
    for day in range(365 + 30):
        now = START + timedelta(days=day, hours=23)
        lo = bisect.bisect_left(times, now - history)
        hi = bisect.bisect_right(times, now)
        for finding in find_patterns(records[lo:hi], now=now, settings=settings):
            if finding.kind in ("escalation", "mismatch") or same_pattern(finding, told):
                continue
            told.append(finding)
            out.append((now, finding))
    return out


def evaluate(texts: Texts, years: int, seeds: int, settings: PatternSettings) -> None:
    false_alarms: Counter[str] = Counter()
    clean_years = 0
    results: dict[str, list[float | None]] = defaultdict(list)
    examples: dict[str, str] = {}
    missed: dict[str, Counter[str]] = defaultdict(Counter)
    for profile in STARS:
        for seed in range(years):
            shop = Shop(profile, 1000 + seed, texts)
            shop.traffic()
            for _, finding in run_year(shop.sorted(), settings):
                false_alarms[finding.kind] += 1
                examples.setdefault(finding.kind, f"{profile}: {finding.title}")
            clean_years += 1
        for campaign in CAMPAIGNS:
            for seed in range(seeds):
                shop = Shop(profile, seed, texts)
                shop.traffic()
                start = START + timedelta(
                    days=shop.rng.randint(200, 330), hours=shop.rng.randint(0, 20)
                )
                ids = set(campaign.inject(shop, start))
                last = max(r.received_at for r in shop.records if r.review_id in ids)
                delay = None
                for when, finding in run_year(shop.sorted(), settings):
                    if when <= last + timedelta(days=campaign.grace_days) and matches(
                        finding, campaign, ids
                    ):
                        delay = (when - start).total_seconds() / 3600
                        break
                results[campaign.name].append(delay)
                if delay is None:
                    missed[campaign.name][profile] += 1
    print(f"## Recall on injected campaigns ({len(STARS)} profiles x {seeds} seeds each)\n")
    print("| campaign | expected flag | recall | median delay (h) | missed |")
    print("|---|---|---|---|---|")
    for campaign in CAMPAIGNS:
        found = [d for d in results[campaign.name] if d is not None]
        recall = len(found) / len(results[campaign.name])
        median = f"{statistics.median(found):.0f}" if found else "-"
        expected = " or ".join(campaign.kinds) + (
            " (operational)"
            if campaign.operational
            else " (not operational)"
            if campaign.operational is False
            else ""
        )
        misses = ", ".join(f"{p} {n}x" for p, n in sorted(missed[campaign.name].items())) or "-"
        print(f"| {campaign.name} | {expected} | {recall:.2f} | {median} | {misses} |")
    every = [d for name in results for d in results[name]]
    overall = sum(d is not None for d in every) / len(every)
    print(f"| all campaigns | | {overall:.2f} | | |")
    print(f"\n## False alarms on clean traffic ({clean_years} shop-years)\n")
    print("| flag | per shop-year | example |")
    print("|---|---|---|")
    for kind in ("polarization", "burst", "copies", "accounts"):
        print(f"| {kind} | {false_alarms[kind] / clean_years:.2f} | {examples.get(kind, '')} |")
    print(f"| all | {sum(false_alarms.values()) / clean_years:.2f} | |")


def speed(texts: Texts, settings: PatternSettings) -> None:
    shop = Shop("j-shaped", 7, texts)
    rng = shop.rng
    span = timedelta(days=settings.history_days)
    end = START + span
    for _ in range(100_000):
        shop.add(START + timedelta(seconds=rng.randrange(int(span.total_seconds()))),
                 rng.choices(range(1, 6), STARS["j-shaped"])[0])  # fmt: skip
    records = shop.sorted()
    records = [replace(r, answered=r.review_id % 7 != 0) for r in records]
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        found = find_patterns(records, now=end, settings=settings)
        runs.append(time.perf_counter() - started)
    print(
        f"\n## Speed\n\nAll flags over 100,000 reviews ({settings.history_days} days, "
        f"{len(found)} findings): median {statistics.median(runs):.2f} s of 3 runs (target <= 5 s)."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data" / "sentiment")
    parser.add_argument("--years", type=int, default=6, help="clean shop-years per profile")
    parser.add_argument("--seeds", type=int, default=8, help="runs per profile and campaign")
    parser.add_argument("--skip-speed", action="store_true")
    args = parser.parse_args()
    texts = load_texts(args.data)
    settings = PatternSettings()
    started = time.perf_counter()
    evaluate(texts, args.years, args.seeds, settings)
    print(f"\n(simulation {time.perf_counter() - started:.0f} s)")
    if not args.skip_speed:
        speed(texts, settings)


if __name__ == "__main__":
    main()
