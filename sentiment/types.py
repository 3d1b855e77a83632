"""What scoring returns for one text: a label, a score, how sure it is, the kind and the aspects."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Label = Literal["negative", "neutral", "positive"]
Kind = Literal["complaint", "compliment", "question", "other"]


@dataclass(frozen=True, slots=True)
class Sentiment:
    """The sentiment of one text (and, after ``with_rating``, of the rating that came with it).

    ``score`` runs from -1 (very negative) to 1 (very positive). ``aspects`` maps each aspect the
    text is about to the words that showed it, so drafts and reports can name them. ``mixed``: the
    text holds clear praise and clear criticism (a reply thanks for one and fixes the other).
    """

    label: Label
    score: float
    confidence: float
    kind: Kind
    aspects: dict[str, list[str]] = field(default_factory=dict)
    language: str | None = None
    text_score: float | None = None
    rating_score: float | None = None
    disagreement: bool = False
    mixed: bool = False
    model: str = ""


def label_for(score: float, *, neutral_band: float = 0.15) -> Label:
    if score <= -neutral_band:
        return "negative"
    if score >= neutral_band:
        return "positive"
    return "neutral"
