"""Patterns worth the owner's attention: polarized ratings and ratings that contradict their text."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest

from sentiment.flags import Finding, RatedReview, bimodality, mismatch, polarization

# ratings on 0..1: 1 and 2 of 5 stars are extreme lows, 5 of 5 is an extreme high
ONE, TWO, THREE, FOUR, FIVE = 0.0, 0.25, 0.5, 0.75, 1.0

SETTINGS = {  # as in monitor/defaults.toml
    "window_days": 30,
    "min_reviews": 12,
    "extreme_share": 0.75,
    "min_side_share": 0.25,
    "min_increase": 0.1,
}
THURSDAY = date(2025, 11, 27)

# a calm shop: mostly four and five stars, the odd complaint (the usual J-shape)
CALM_BASELINE = [FIVE] * 20 + [FOUR] * 12 + [THREE] * 4 + [TWO] * 2 + [ONE] * 2


def window_of(ratings: list[float], first_id: int = 100) -> list[RatedReview]:
    return [RatedReview(first_id + i, rating) for i, rating in enumerate(ratings)]


# a polarized month: revenge reviews on one side, five stars on the other, little in between
POLARIZED = window_of([ONE] * 8 + [TWO] * 2 + [FIVE] * 8 + [FOUR, THREE])
# so far from a review site's usual share of very negative reviews that it shows without history
FAR_FROM_USUAL = window_of([ONE] * 14 + [FIVE] * 5 + [THREE])
# a normal month: the usual J-shape
NORMAL = window_of([FIVE] * 9 + [FOUR] * 4 + [THREE] + [ONE] * 2)


def check(
    window: list[RatedReview], baseline: list[float], end: date = THURSDAY, **overrides: float
) -> Finding | None:
    settings: dict[str, Any] = {**SETTINGS, **overrides}
    return polarization(window, baseline, window_end=end, **settings)


def key_on(end: date, **overrides: int) -> str:
    finding = check(POLARIZED, CALM_BASELINE, end=end, **overrides)
    assert finding is not None
    return finding.key


def test_bimodality_needs_four_values() -> None:
    assert bimodality([]) is None
    assert bimodality([ONE, FIVE, FIVE]) is None
    assert bimodality([ONE, FIVE, FIVE, ONE]) is not None


def test_bimodality_of_identical_values_is_zero() -> None:
    assert bimodality([FIVE] * 10) == 0


def test_bimodality_is_higher_for_two_peaks_than_for_one() -> None:
    two_peaks = [ONE] * 6 + [FIVE] * 6
    one_peak = [TWO, THREE, THREE, FOUR, THREE, TWO, THREE, FOUR, THREE, THREE, FOUR, TWO]
    assert (bimodality(two_peaks) or 0) > (bimodality(one_peak) or 1)


def test_bimodality_crosses_sarles_threshold_only_for_two_peaks() -> None:
    # Sarle's coefficient: above about 0.555 (5/9, a uniform distribution) suggests two peaks
    two_peaks = bimodality([ONE] * 6 + [FIVE] * 6)
    one_peak = bimodality([TWO, THREE, THREE, FOUR, THREE, TWO, THREE, FOUR, THREE, THREE])
    assert two_peaks is not None
    assert one_peak is not None
    assert two_peaks > 5 / 9 > one_peak


def test_polarized_window_against_a_calm_baseline_is_a_warning() -> None:
    finding = check(POLARIZED, CALM_BASELINE)
    assert finding is not None
    assert finding.kind == "polarization"
    assert finding.severity == "warning"


def test_a_normal_j_shaped_window_is_not_flagged() -> None:
    assert check(NORMAL, CALM_BASELINE) is None
    assert check(NORMAL, []) is None


def test_too_few_reviews_is_not_flagged() -> None:
    few = POLARIZED[:11]
    assert check(few, CALM_BASELINE) is None
    assert check(POLARIZED, CALM_BASELINE, min_reviews=len(POLARIZED) + 1) is None


def test_many_extremes_on_one_side_only_is_not_polarization() -> None:
    all_low = window_of([ONE] * 14 + [FIVE] * 2)
    all_high = window_of([FIVE] * 15 + [ONE] * 1)
    assert check(all_low, CALM_BASELINE) is None
    assert check(all_high, CALM_BASELINE) is None


def test_a_shop_that_was_already_this_polarized_is_not_flagged_again() -> None:
    already = [ONE] * 20 + [FIVE] * 20 + [THREE] * 4
    assert check(POLARIZED, already) is None


def test_without_a_baseline_the_finding_is_only_informative() -> None:
    finding = check(FAR_FROM_USUAL, CALM_BASELINE[:5])
    assert finding is not None
    assert finding.severity == "info"
    assert finding.evidence["baseline_low_share"] is None
    assert finding.evidence["baseline_high_share"] is None
    assert "te weinig eerdere reviews" in finding.explanation


def test_without_history_a_j_shape_is_normal_not_polarized() -> None:
    # a new shop's first weeks: a quarter very negative, the rest mostly five stars
    j_shape = window_of([ONE] * 5 + [TWO] + [FIVE] * 15 + [FOUR] * 2 + [THREE])
    assert check(j_shape, []) is None
    # the same share against a calm history of its own is told
    assert check(window_of([ONE] * 10 + [FIVE] * 10 + [FOUR]), CALM_BASELINE * 2) is not None


# a quiet shop's year: about 12 reviews a month, 18% very negative
QUIET_YEAR = [ONE] * 20 + [TWO] * 6 + [THREE] * 10 + [FOUR] * 22 + [FIVE] * 88
# its month with 7 extra one-star and 8 extra five-star reviews: the middle as usual
QUIET_POLARIZED = window_of([ONE] * 8 + [TWO] + [THREE] + [FOUR] * 2 + [FIVE] * 17)


def test_a_quiet_shop_whose_both_ends_grow_is_told_by_their_rate() -> None:
    # the share of one-star reviews alone is not unusual enough: the extra five-star reviews
    # dilute it; their number against the shop's year is
    assert check(QUIET_POLARIZED, QUIET_YEAR) is None
    finding = check(QUIET_POLARIZED, QUIET_YEAR, baseline_span_days=365)
    assert finding is not None
    assert finding.evidence["chance_rate"] <= 1e-3 < finding.evidence["chance_share"]
    assert "gewoonlijk kwamen er ongeveer 2 zeer negatieve reviews per 30 dagen, nu 9" in (
        finding.explanation
    )


def test_a_busier_month_with_the_usual_mix_is_not_polarization() -> None:
    # three times the usual month, every rating alike: more of everything, also of one-star
    busy = window_of([ONE] * 5 + [TWO] * 2 + [THREE] * 3 + [FOUR] * 5 + [FIVE] * 22)
    assert check(busy, QUIET_YEAR, baseline_span_days=365) is None
    # the extremes of the polarized month beside a middle as busy: the middle explains them
    busier = window_of([ONE] * 8 + [TWO] + [THREE] * 4 + [FOUR] * 6 + [FIVE] * 17)
    assert check(busier, QUIET_YEAR, baseline_span_days=365) is None


def test_evidence_holds_the_numbers_and_the_extreme_reviews() -> None:
    finding = check(POLARIZED, CALM_BASELINE)
    assert finding is not None
    evidence = finding.evidence
    assert evidence["reviews"] == len(POLARIZED)
    assert evidence["low_share"] > evidence["baseline_low_share"]
    assert evidence["high_share"] > 0.25
    assert evidence["baseline_reviews"] == len(CALM_BASELINE)
    assert evidence["bimodality"] > 0
    extreme_ids = {item.review_id for item in POLARIZED if item.rating_norm in (ONE, TWO, FIVE)}
    middle_ids = {item.review_id for item in POLARIZED if item.rating_norm in (THREE, FOUR)}
    assert set(evidence["review_ids"]) == extreme_ids
    assert not middle_ids & set(evidence["review_ids"])


def test_the_texts_give_the_numbers_in_dutch() -> None:
    finding = check(POLARIZED, CALM_BASELINE)
    assert finding is not None
    low = round(finding.evidence["low_share"] * 100)
    base_low = round(finding.evidence["baseline_low_share"] * 100)
    assert f"Van de {len(POLARIZED)} reviews in de laatste 30 dagen" in finding.explanation
    assert f"{low}% zeer negatief" in finding.explanation
    assert f"{base_low}% van de reviews zeer negatief" in finding.explanation


def test_the_key_is_stable_within_an_iso_week_and_changes_across_weeks() -> None:
    monday = date(2025, 11, 24)
    keys = {key_on(monday + timedelta(days=offset)) for offset in range(7)}
    assert len(keys) == 1
    assert key_on(monday + timedelta(days=7)) not in keys
    assert key_on(monday - timedelta(days=1)) not in keys
    assert key_on(monday, window_days=7) not in keys


def test_the_key_uses_the_iso_year_at_new_year() -> None:
    # 29 December 2025 lies in ISO week 1 of 2026, like 2 January 2026
    assert key_on(date(2025, 12, 29)) == key_on(date(2026, 1, 2))
    assert key_on(date(2025, 12, 28)) != key_on(date(2025, 12, 29))


# Words that accuse someone, which a finding must never put in the owner's mouth.
ACCUSING = re.compile(r"\b(fraude|fraudeur\w*|oplicht\w*|leugen\w*|liegt|bedrieg\w*|schuldig)\b")


def all_text(finding: Finding) -> str:
    return f"{finding.title}\n{finding.explanation}\n{finding.action}".lower()


@pytest.mark.parametrize(("window", "baseline"), [(POLARIZED, CALM_BASELINE), (FAR_FROM_USUAL, [])])
def test_polarization_advises_calmly_and_never_accuses_in_public(
    window: list[RatedReview], baseline: list[float]
) -> None:
    finding = check(window, baseline)
    assert finding is not None
    text = all_text(finding)
    assert not ACCUSING.search(text)
    assert "beschuldig niemand" in text
    assert "meld" in text  # suspected fake reviews go to the platform, not into a reply
    assert "review" in finding.title.lower()


def test_mismatch_high_rating_with_a_negative_text() -> None:
    finding = mismatch(
        review_id=7, content_hash="abcdef0123456789", rating_norm=1.0, text_score=-0.8, author="Eva"
    )
    assert finding.kind == "mismatch"
    assert finding.severity == "info"
    assert "Hoge waardering" in finding.title
    assert "negatief" in finding.explanation
    assert "van Eva" in finding.explanation
    assert finding.evidence["review_ids"] == [7]
    assert finding.evidence["rating_norm"] == 1.0
    assert finding.evidence["text_score"] == -0.8


def test_mismatch_low_rating_with_a_positive_text() -> None:
    finding = mismatch(
        review_id=8, content_hash="0123456789abcdef", rating_norm=0.0, text_score=0.9, author=None
    )
    assert "Lage waardering" in finding.title
    assert "positief" in finding.explanation
    assert finding.explanation.startswith("De review heeft")
    assert "misklik" in finding.explanation


def test_mismatch_key_follows_the_review_and_its_content() -> None:
    def key(review_id: int, content_hash: str) -> str:
        return mismatch(
            review_id=review_id,
            content_hash=content_hash,
            rating_norm=1.0,
            text_score=-0.7,
            author=None,
        ).key

    assert key(1, "a" * 64) == key(1, "a" * 64)
    assert key(1, "a" * 64) != key(2, "a" * 64)
    assert key(1, "a" * 64) != key(1, "b" * 64)


@pytest.mark.parametrize(("rating_norm", "text_score"), [(1.0, -0.8), (0.0, 0.9)])
def test_mismatch_never_asks_to_change_a_review_or_accuses(
    rating_norm: float, text_score: float
) -> None:
    finding = mismatch(
        review_id=1,
        content_hash="f" * 64,
        rating_norm=rating_norm,
        text_score=text_score,
        author="Eva",
    )
    text = all_text(finding)
    assert not ACCUSING.search(text)
    assert "vraag nooit om een review aan te passen" in text
