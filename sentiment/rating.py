"""Combining a text's sentiment with the star rating that came with it."""

from __future__ import annotations

from dataclasses import replace

from sentiment.lexicon import kind_of
from sentiment.types import Sentiment, label_for

RATING_WEIGHT = 0.7
MIN_TEXT_CONFIDENCE = 0.12  # one clear opinion word is enough to contradict a rating
CLEAR_TEXT = 0.4  # a text scoring beyond this either way says clearly what it means
CLEAR_RATING = 0.5  # on -1..1: at most 2 or at least 4 of 5 stars


def rating_score(rating_norm: float) -> float:
    """A 0..1 rating on the -1..1 sentiment scale (3 of 5 stars is 0)."""
    return 2 * rating_norm - 1


def with_rating(
    sentiment: Sentiment, rating_norm: float | None, text: str, *, gap: float = 1.0
) -> Sentiment:
    """The review's sentiment from both its rating and its text. The rating weighs most (the
    customer chose it); a text that clearly says the opposite is kept as ``disagreement``, which
    the flags and drafts use (often a mis-click, sometimes manipulation)."""
    if rating_norm is None:
        return sentiment
    from_rating = rating_score(rating_norm)
    text_score = sentiment.text_score if sentiment.text_score is not None else sentiment.score
    # A text the model is barely sure of (no opinion word at all) leaves the rating as it is.
    weight = RATING_WEIGHT if sentiment.confidence >= MIN_TEXT_CONFIDENCE else 1.0
    combined = weight * from_rating + (1 - weight) * text_score
    disagreement = (
        sentiment.confidence >= MIN_TEXT_CONFIDENCE
        and not sentiment.mixed  # praise and blame both: a grumble, no contradiction
        and abs(text_score) >= CLEAR_TEXT
        and abs(from_rating) >= CLEAR_RATING
        and from_rating * text_score < 0
        and abs(from_rating - text_score) >= gap
    )
    return replace(
        sentiment,
        score=round(combined, 4),
        label=label_for(combined),
        kind=kind_of(text, combined, mixed=sentiment.mixed),
        rating_score=round(from_rating, 4),
        disagreement=disagreement,
        confidence=round(max(sentiment.confidence, 0.8), 4),
    )
