"""Pure scoring: texts in, sentiment labels, scores, kinds and aspects out; no database here."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from sentiment.embedded import EmbeddedScorer
from sentiment.lexicon import LexiconScorer
from sentiment.rating import with_rating
from sentiment.routing import ByLanguage
from sentiment.types import Sentiment

__all__ = [
    "BUILTIN_MODEL",
    "EmbeddedScorer",
    "LexiconScorer",
    "Scorer",
    "Sentiment",
    "active_model",
    "load_scorer",
    "with_rating",
]

Scorer = Callable[[Sequence[str]], list[Sentiment]]
BUILTIN_MODEL = "ngram-nl.pt"  # in data/model, trained by `reviewwacht sentiment train`
LEXICON = "lexicon-nl.tsv"


def active_model(data_dir: Path, adapted: Path | None = None) -> Path:
    """The embedded model in use: the shop's adapted one when there is one, else the shipped one."""
    if adapted is not None and adapted.is_file():
        return adapted
    return data_dir / "model" / BUILTIN_MODEL


def load_scorer(
    model: str,
    *,
    data_dir: Path,
    adapted: Path | None = None,
    labels: dict[str, str] | None = None,
    quantize: str = "int8",
    batch_size: int = 16,
    languages: Sequence[str] = ("nl",),
    cache_dir: Path | None = None,
) -> Scorer:
    """The scorer the configuration names: ``builtin`` (the embedded model, or the shop's adapted
    one), ``lexicon`` (the word list alone), or a transformers model directory or hub id. Texts in
    a language the model does not read are marked, not scored. Nothing is loaded until used."""
    lexicon_path = data_dir / "model" / LEXICON
    if model == "builtin":
        return ByLanguage(EmbeddedScorer(active_model(data_dir, adapted), lexicon_path))
    if model == "lexicon":
        return ByLanguage(LexiconScorer(lexicon_path))
    from sentiment.transformer import TransformerScorer  # transformers loads only when chosen

    scorer = TransformerScorer(
        model=model, labels=labels, quantize=quantize, batch_size=batch_size, cache_dir=cache_dir
    )
    return ByLanguage(scorer, reads=languages)
