"""The window flags as pure functions: bursts (operational or suspect), copies, one-review
accounts, escalation, and telling a pattern once."""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, timedelta

import pytest

from sentiment.bursts import BurstSettings, bursts
from sentiment.chance import beta_binomial_tail, binomial_tail, fisher, poisson_tail, rate_chance
from sentiment.copies import copies
from sentiment.customers import accounts, escalation
from sentiment.flags import ReviewRecord
from sentiment.patterns import PatternSettings, find_patterns, same_pattern

NOW = datetime(2026, 10, 1, 23, tzinfo=UTC)
STARS = {1: 0.0, 2: 0.25, 3: 0.5, 4: 0.75, 5: 1.0}


def history(
    days: int = 120, per_day: int = 6, seed: int = 1, source: str = "kiyoh"
) -> list[ReviewRecord]:
    """A J-shaped shop: mostly five stars, some ones, at a steady rate, up to two days ago."""
    rng = random.Random(seed)
    records = []
    for day in range(days, 2, -1):
        for n in range(per_day):
            stars = rng.choices([1, 2, 3, 4, 5], [12, 6, 7, 15, 60])[0]
            when = NOW - timedelta(days=day, hours=rng.randrange(24))
            records.append(
                ReviewRecord(len(records) + 1, source, when, STARS[stars], f"tekst {day} {n}")
            )
    return records


def wave(first_id: int, count: int, stars: int, *, hours: float = 20, text: str = "Oplichters!",
         aspects: tuple[str, ...] = (), source: str = "kiyoh", singles: bool = False) -> list[ReviewRecord]:  # fmt: skip
    return [
        ReviewRecord(first_id + i, source, NOW - timedelta(hours=hours * i / count), STARS[stars],
                     f"{text} {i}", author=f"a{i}", author_reviews=1 if singles else None,
                     aspects=aspects)
        for i in range(count)
    ]  # fmt: skip


def test_chance_functions() -> None:
    assert poisson_tail(0, 3.0) == 1.0
    assert poisson_tail(1, 2.0) == pytest.approx(1 - math.exp(-2))
    assert poisson_tail(3, 1.0) == pytest.approx(1 - math.exp(-1) * (1 + 1 + 0.5))
    assert binomial_tail(2, 2, 0.5) == pytest.approx(0.25)
    assert binomial_tail(1, 3, 0.5) == pytest.approx(0.875)
    assert binomial_tail(0, 5, 0.1) == 1.0


def test_beta_binomial_fisher_and_rate_chances() -> None:
    # with one earlier success and one failure every count of 0..n is equally likely
    assert beta_binomial_tail(3, 9, 1, 1) == pytest.approx(7 / 10)
    assert beta_binomial_tail(0, 9, 1, 1) == 1.0
    # a share known from very many earlier reviews is the binomial's
    assert beta_binomial_tail(4, 10, 2e5, 8e5) == pytest.approx(binomial_tail(4, 10, 0.2), rel=1e-3)
    # ... and one known from few makes a high count less surprising
    assert beta_binomial_tail(6, 10, 2, 8) > binomial_tail(6, 10, 0.2)
    assert fisher(0.05) == pytest.approx(0.05)
    assert fisher(0.01, 0.01) == pytest.approx(1e-4 * (1 - math.log(1e-4)))
    # 4 in a window that is half the time, none before: (1/2)^4
    assert rate_chance(4, 0, 0.5) == pytest.approx(1 / 16)
    assert rate_chance(0, 10, 0.5) == 1.0


def quiet_shop(*, extra_lows: int = 0, extra_highs: int = 0, busier: int = 1) -> list[ReviewRecord]:
    """A year of a shop with a review every two or three days (a J-shape), and a last month
    with ``busier`` times its traffic and extra one-star and five-star reviews."""
    rng = random.Random(5)
    records: list[ReviewRecord] = []

    def add(days_ago: float, stars: int) -> None:
        when = NOW - timedelta(days=days_ago)
        records.append(ReviewRecord(len(records) + 1, "kiyoh", when, STARS[stars]))

    for day in range(395, 0, -1):
        for _ in range(busier if day <= 30 else 1):
            if rng.random() < 0.4:
                add(day - rng.random(), rng.choices([1, 2, 3, 4, 5], [12, 6, 7, 15, 60])[0])
    for i in range(extra_lows):
        add(30 * (1 - (i + 0.5) / extra_lows) ** 0.5, 1)  # growing towards the end
    for i in range(extra_highs):
        add(30 * (1 - (i + 0.5) / extra_highs) ** 0.5, 5)
    return sorted(records, key=lambda r: r.received_at)


def test_a_quiet_shop_polarizing_over_a_month_is_told() -> None:
    assert [f for f in find_patterns(quiet_shop(), now=NOW) if f.kind == "polarization"] == []
    found = find_patterns(quiet_shop(extra_lows=8, extra_highs=8), now=NOW)
    polarized = [f for f in found if f.kind == "polarization"]
    assert [f.key.split(":")[0] for f in polarized] == ["30d"]
    assert polarized[0].severity == "warning"
    # a month three times as busy as usual, with the usual mix, is no polarization
    busy = find_patterns(quiet_shop(busier=3), now=NOW)
    assert [f for f in busy if f.kind == "polarization"] == []


def test_a_day_of_revenge_reviews_is_a_suspect_burst() -> None:
    records = history() + wave(10_000, 8, 1, singles=True)
    found = bursts(records, now=NOW)
    assert len(found) == 1
    burst = found[0]
    assert burst.kind == "burst"
    assert burst.evidence["side"] == "low"
    assert burst.evidence["cause"] == "suspect"
    assert set(range(10_000, 10_008)) <= set(burst.evidence["review_ids"])
    assert "meld" in burst.action.lower() and "beschuldig niemand" in burst.action


def test_a_carrier_outage_is_an_operational_burst_not_fraud() -> None:
    outage = wave(10_000, 12, 1, hours=40, text="Pakket niet bezorgd door de vervoerder",
                  aspects=("levering en bezorgtijd",), singles=True)  # fmt: skip
    found = bursts(history() + outage, now=NOW)
    assert [f.evidence["cause"] for f in found] == ["operational"]
    assert "levering en bezorgtijd" in found[0].title
    assert "vervoerder" in found[0].action
    assert "nep" not in found[0].action


def test_a_busy_season_with_the_usual_mix_is_no_burst() -> None:
    quiet = history(per_day=4)
    busy = [ReviewRecord(50_000 + r.review_id, r.source, NOW - (NOW - r.received_at) / 60, r.rating_norm, r.text)
            for r in history(days=60, per_day=4, seed=3)]  # fmt: skip
    # the last two days hold four times the usual number, in the usual proportions
    busy = [r for r in busy if r.received_at >= NOW - timedelta(hours=48)]
    assert len(busy) > 20
    assert bursts(quiet + busy, now=NOW) == []


def test_a_day_of_revenge_in_a_busy_season_is_judged_by_that_day_s_share() -> None:
    rng = random.Random(2)
    busy = [
        ReviewRecord(50_000 + i, "kiyoh", NOW - timedelta(hours=rng.uniform(0, 48)),
                     STARS[rng.choices([1, 2, 3, 4, 5], [12, 6, 7, 15, 60])[0]], f"druk {i}")
        for i in range(32)
    ]  # fmt: skip
    # four times the usual number in the usual mix: no burst; with eight one-star reviews in a
    # day, 14 of the 40 reviews of the two days are very negative (at the usual 22% that happens
    # one time in twenty), but 12 of the 15 in their densest day
    assert bursts(history(per_day=4) + busy, now=NOW) == []
    found = bursts(history(per_day=4) + busy + wave(10_000, 8, 1, hours=20), now=NOW)
    assert [f.evidence["side"] for f in found] == ["low"]
    assert set(range(10_000, 10_008)) <= set(found[0].evidence["review_ids"])


def test_one_star_reviews_are_tested_at_their_own_rate() -> None:
    """A shop whose very negative reviews are mostly two stars: eight one-star reviews in a day
    hide among the usual two-star ones, not among the usual one-star ones."""
    rng = random.Random(1)
    mix = [3, 15, 7, 15, 60]
    usual = [
        ReviewRecord(i, "kiyoh", NOW - timedelta(days=rng.uniform(3, 120)),
                     STARS[rng.choices([1, 2, 3, 4, 5], mix)[0]], "t")
        for i in range(8 * 117)
    ]  # fmt: skip
    rng = random.Random(101)
    days = [
        ReviewRecord(60_000 + i, "kiyoh", NOW - timedelta(hours=rng.uniform(0, 48)),
                     STARS[rng.choices([1, 2, 3, 4, 5], mix)[0]], "d")
        for i in range(16)
    ]  # fmt: skip
    assert bursts(usual + days, now=NOW) == []
    found = bursts(usual + days + wave(10_000, 8, 1, hours=20), now=NOW)
    assert [(f.evidence["side"], f.evidence["lowest_only"]) for f in found] == [("low", True)]
    assert set(found[0].evidence["review_ids"]) >= set(range(10_000, 10_008))
    assert "laagste score" in found[0].explanation


def test_no_burst_without_history_or_below_the_minimum() -> None:
    assert bursts(wave(1, 10, 1), now=NOW) == []  # a new shop has no usual rate yet
    assert (
        bursts(history() + wave(10_000, 5, 1), now=NOW, settings=BurstSettings(min_reviews=6)) == []
    )


def test_a_platform_wave_is_told_once() -> None:
    records = history(source="trustpilot") + wave(10_000, 10, 1, source="trustpilot")
    found = bursts(records, now=NOW)
    assert [f.evidence["source"] for f in found] == ["trustpilot"]


LONG = "Ik heb hier mijn nieuwe pannenset besteld en alles kwam binnen een dag netjes verpakt aan"


def test_near_copies_from_different_names_are_grouped() -> None:
    records = [
        *history(days=20),
        ReviewRecord(9001, "google", NOW, 1.0, LONG, author="Anna"),
        ReviewRecord(9002, "kiyoh", NOW, 1.0, LONG + " echt!", author="Bert"),
        ReviewRecord(9003, "google", NOW, 1.0, "Ik heb hier mijn nieuwe pannenset besteld en alles kwam binnen een dag netjes verpakt", author="Cees"),
        ReviewRecord(9004, "google", NOW, 1.0, "Top winkel, aanrader!", author="Dirk"),
        ReviewRecord(9005, "google", NOW, 1.0, "Top winkel, aanrader!", author="Eva"),
    ]  # fmt: skip
    found = copies(records)
    assert len(found) == 1
    assert found[0].evidence["review_ids"] == [9001, 9002, 9003]
    assert found[0].severity == "warning" and found[0].evidence["authors"] == 3


def test_one_author_posting_twice_is_only_information() -> None:
    found = copies([ReviewRecord(1, "google", NOW, 1.0, LONG, author="Anna"),
                    ReviewRecord(2, "kiyoh", NOW, 1.0, LONG, author="Anna")])  # fmt: skip
    assert found[0].severity == "info"


def test_one_review_accounts_far_above_their_usual_rate_and_share() -> None:
    rng = random.Random(4)
    usual = [
        ReviewRecord(i, "trustpilot", NOW - timedelta(days=rng.uniform(0, 100)), 1.0, "x",
                     author_reviews=1 if rng.random() < 0.3 else 7)
        for i in range(400)
    ]  # fmt: skip
    campaign = wave(10_000, 12, 5, source="trustpilot", singles=True)
    found = accounts(usual + campaign, now=NOW)
    assert len(found) == 1 and found[0].kind == "accounts"
    assert set(campaign_ids := range(10_000, 10_012)) <= set(found[0].evidence["review_ids"])
    assert len(found[0].evidence["review_ids"]) < len(campaign_ids) + 10
    assert accounts(usual, now=NOW) == []
    assert found[0].evidence["side"] == "high"
    assert "zeer positief" in found[0].explanation
    assert 2 < found[0].evidence["expected"] < 6  # about 1.2 a day from such accounts
    # platforms that do not say how many reviews an account has are never judged on it
    assert accounts([*usual, *wave(10_000, 12, 5, source="google")], now=NOW) == []
    # eight such reviews where about four come in three days: all of the window's reviews, but
    # not many more than usual
    quiet = [r for r in usual if r.received_at < NOW - timedelta(days=4)]
    assert accounts(quiet + wave(10_000, 8, 5, source="trustpilot", singles=True), now=NOW) == []
    # a platform known for less than two weeks has no usual rate yet
    recent = [r for r in usual if r.received_at > NOW - timedelta(days=12)]
    assert accounts(recent + campaign, now=NOW) == []


def test_one_review_accounts_are_judged_per_side_among_all_reviews() -> None:
    rng = random.Random(6)

    def trustpilot(first_id: int, count: int, days: tuple[float, float]) -> list[ReviewRecord]:
        # the usual mix: a third from one-review accounts, ratings of every kind
        return [
            ReviewRecord(first_id + i, "trustpilot", NOW - timedelta(days=rng.uniform(*days)),
                         rng.choice([0.0, 0.5, 0.75, 1.0, 1.0]), "x",
                         author_reviews=1 if rng.random() < 0.33 else 9)
            for i in range(count)
        ]  # fmt: skip

    usual = trustpilot(0, 300, (4, 100))
    # a busy three days with the usual mix (ten times the usual number) is no signal
    assert accounts(usual + trustpilot(5_000, 90, (0, 2.9)), now=NOW) == []
    # revenge from new accounts is told as its own side
    found = accounts(usual + wave(10_000, 8, 1, source="trustpilot", singles=True), now=NOW)
    assert [f.evidence["side"] for f in found] == ["low"]
    assert "zeer negatief" in found[0].explanation


def test_escalation_repeat_customer_and_the_promise() -> None:
    records = [
        ReviewRecord(1, "mail", NOW - timedelta(days=20), None, "a", customer="p@x.nl", complaint=True, answered=True),
        ReviewRecord(2, "mail", NOW - timedelta(days=9), None, "b", customer="p@x.nl", complaint=True, answered=True),
        ReviewRecord(3, "kiyoh", NOW - timedelta(hours=30), 0.0, "c", customer="p@x.nl", complaint=True),
        ReviewRecord(4, "kiyoh", NOW - timedelta(hours=3), 0.0, "d", customer="q@x.nl", complaint=True),
        ReviewRecord(5, "kiyoh", NOW - timedelta(days=3), 1.0, "e", customer="r@x.nl"),
    ]  # fmt: skip
    found = escalation(records, now=NOW)
    assert [(f.key, f.evidence["review_ids"]) for f in found] == [
        ("repeat:1", [1, 2, 3]),
        ("unanswered:3", [3]),  # 30 hours; the 3-hour-old one is within the promise
    ]


def test_same_pattern_by_key_or_by_the_same_reviews() -> None:
    first = bursts(history() + wave(10_000, 8, 1), now=NOW)[0]
    later = bursts(
        history() + wave(10_000, 8, 1) + wave(20_000, 2, 1, hours=5), now=NOW + timedelta(hours=12)
    )
    assert later and same_pattern(later[0], [first])
    other = bursts(history() + wave(30_000, 30, 5), now=NOW)
    assert other and not same_pattern(other[0], [first])


def test_find_patterns_runs_them_all_and_ignores_the_future() -> None:
    records = history() + wave(10_000, 8, 1, singles=True)
    assert [f.kind for f in find_patterns(records, now=NOW)] == ["burst"]
    assert find_patterns(records, now=NOW - timedelta(days=3), settings=PatternSettings()) == []
