"""Combining a review's text sentiment with its star rating."""

from __future__ import annotations

from pathlib import Path

import pytest

from sentiment import LexiconScorer, Sentiment, load_scorer, with_rating
from sentiment.rating import rating_score

REPO = Path(__file__).resolve().parents[2]

CLEARLY_NEGATIVE = "Slechte service en het pakket kwam kapot aan. Nooit meer!"
CLEARLY_POSITIVE = "Super snelle levering, vriendelijke klantenservice, echt een aanrader!"
MILDLY_NEGATIVE = "Prima pan, alleen helaas een week te laat."
NO_OPINION = "Ik heb de pan ontvangen."


@pytest.fixture(scope="module")
def scorer() -> LexiconScorer:
    return load_scorer("builtin", data_dir=REPO / "data")


def scored(scorer: LexiconScorer, text: str, rating_norm: float | None) -> Sentiment:
    return with_rating(scorer([text])[0], rating_norm, text)


def test_rating_scale_maps_three_of_five_stars_to_zero() -> None:
    assert rating_score(0.5) == 0
    assert rating_score(1.0) > rating_score(0.75) > 0 > rating_score(0.25) > rating_score(0.0)


def test_no_rating_leaves_the_sentiment_unchanged(scorer: LexiconScorer) -> None:
    plain = scorer([MILDLY_NEGATIVE])[0]
    assert with_rating(plain, None, MILDLY_NEGATIVE) == plain


def test_rating_dominates_the_combined_score(scorer: LexiconScorer) -> None:
    # a mildly negative text with five stars is a positive review; with one star a negative one
    text_only = scorer([MILDLY_NEGATIVE])[0]
    assert text_only.label == "negative"
    five = with_rating(text_only, 1.0, MILDLY_NEGATIVE)
    one = with_rating(text_only, 0.0, MILDLY_NEGATIVE)
    assert five.label == "positive"
    assert one.label == "negative"
    assert one.score < text_only.score < five.score
    assert five.kind == "compliment"
    assert one.kind == "complaint"


def test_text_still_moves_the_combined_score(scorer: LexiconScorer) -> None:
    happy = scored(scorer, CLEARLY_POSITIVE, 0.75)
    angry = scored(scorer, CLEARLY_NEGATIVE, 0.75)
    assert angry.score < happy.score


def test_the_text_score_and_rating_score_are_both_kept(scorer: LexiconScorer) -> None:
    text_only = scorer([CLEARLY_NEGATIVE])[0]
    combined = with_rating(text_only, 0.0, CLEARLY_NEGATIVE)
    assert combined.text_score == text_only.score
    assert combined.rating_score == -1
    assert combined.aspects == text_only.aspects
    assert combined.confidence >= text_only.confidence


def test_five_stars_with_a_clearly_negative_text_is_a_disagreement(
    scorer: LexiconScorer,
) -> None:
    result = scored(scorer, CLEARLY_NEGATIVE, 1.0)
    assert result.disagreement is True
    assert result.text_score is not None
    assert result.text_score < 0 < result.score


def test_one_star_with_a_clearly_positive_text_is_a_disagreement(scorer: LexiconScorer) -> None:
    assert scored(scorer, CLEARLY_POSITIVE, 0.0).disagreement is True


@pytest.mark.parametrize(
    ("text", "rating_norm"),
    [
        (MILDLY_NEGATIVE, 1.0),  # five stars and a small grumble: no contradiction
        (CLEARLY_NEGATIVE, 0.0),  # both negative
        (CLEARLY_POSITIVE, 1.0),  # both positive
        (CLEARLY_NEGATIVE, 0.5),  # three stars say neither
        (NO_OPINION, 1.0),  # a text without opinion contradicts nothing
    ],
)
def test_no_disagreement_without_a_clear_contradiction(
    scorer: LexiconScorer, text: str, rating_norm: float
) -> None:
    assert scored(scorer, text, rating_norm).disagreement is False


def test_a_larger_gap_setting_asks_for_a_stronger_contradiction(scorer: LexiconScorer) -> None:
    text_only = scorer([CLEARLY_NEGATIVE])[0]
    assert with_rating(text_only, 1.0, CLEARLY_NEGATIVE, gap=1.2).disagreement is True
    assert with_rating(text_only, 1.0, CLEARLY_NEGATIVE, gap=2.5).disagreement is False


def test_a_text_without_opinion_takes_the_rating_as_it_is(scorer: LexiconScorer) -> None:
    five = scored(scorer, NO_OPINION, 1.0)
    one = scored(scorer, NO_OPINION, 0.0)
    assert five.score == 1
    assert one.score == -1
    assert five.label == "positive"
    assert one.label == "negative"
