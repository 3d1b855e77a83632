"""Pure scoring: texts in, sentiment labels, scores, kinds and aspects out; no database here."""

from __future__ import annotations

from pathlib import Path

from sentiment.lexicon import LexiconScorer
from sentiment.rating import with_rating
from sentiment.types import Sentiment

__all__ = ["LexiconScorer", "Sentiment", "load_scorer", "with_rating"]


def load_scorer(model: str, *, data_dir: Path) -> LexiconScorer:
    """The scorer the configuration names; ``builtin`` is the lexicon shipped in data/model."""
    if model != "builtin":
        raise ValueError(f"unknown sentiment model {model!r}")
    return LexiconScorer(data_dir / "model" / "lexicon-nl.tsv")
