"""Texts in a language the model does not read are recognised and marked, not scored as Dutch."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from sentiment.aspects import find_aspects
from sentiment.language import DUTCH, languages
from sentiment.types import Sentiment

UNSCORED = "unscored"  # the model name of a text no model read: its label says nothing


def unscored(text: str, language: str) -> Sentiment:
    """A text in another language: neutral with no confidence, its language and 'unscored' kept,
    so the report can say "Engels, niet gescoord" and a rating still counts in full."""
    return Sentiment(
        label="neutral",
        score=0.0,
        confidence=0.0,
        kind="question" if text.rstrip().endswith("?") else "other",
        aspects=find_aspects(text),
        language=language,
        text_score=None,
        model=UNSCORED,
    )


class ByLanguage:
    """Dutch texts (and those too short to tell) go to the model; the others are marked."""

    def __init__(self, scorer: Callable[[Sequence[str]], list[Sentiment]], *, reads=(DUTCH,)):
        self.scorer = scorer
        self.reads = frozenset(reads)

    @property
    def model_name(self) -> str:
        return str(getattr(self.scorer, "model_name", ""))

    def __call__(self, texts: Sequence[str]) -> list[Sentiment]:
        found = languages(texts)
        readable = [i for i, language in enumerate(found) if language in self.reads]
        scored = iter(self.scorer([texts[i] for i in readable]))
        keep = set(readable)
        return [
            _with_language(next(scored), found[i]) if i in keep else unscored(texts[i], found[i])
            for i in range(len(texts))
        ]

    def in_language(self, texts: Sequence[str], language: str) -> list[Sentiment]:
        """Texts already known to be in ``language`` (the clauses of a text whose language was
        told): not detected again, which is most of the time a short clause takes."""
        if language not in self.reads:
            return [unscored(text, language) for text in texts]
        return [_with_language(result, language) for result in self.scorer(texts)]


def _with_language(sentiment: Sentiment, language: str) -> Sentiment:
    return replace(sentiment, language=language)
