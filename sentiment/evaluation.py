"""Measuring the embedded model honestly: trained without a review source, tested on that source."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sentiment.corpus import REVIEW_SOURCES, Example
from sentiment.metrics import Figures, figures
from sentiment.ngram import CLASSES, NgramModel
from sentiment.training import SHIPPED, Recipe, fit
from sentiment.types import Label


def predicted_labels(model: NgramModel, texts: Sequence[str]) -> list[Label]:
    """The most probable label of each text, as the scorer gives it."""
    rows = model.probabilities(texts).argmax(dim=-1).tolist()
    return [CLASSES[index] for index in rows]


@dataclass(frozen=True, slots=True)
class Fold:
    """One held-out source: its figures, and the texts and labels for pooling."""

    source: str
    figures: Figures
    gold: list[Label]
    predicted: list[Label]


def leave_one_source_out(
    examples: Sequence[Example],
    *,
    lexicon: dict[str, float],
    recipe: Recipe = SHIPPED,
    sources: Sequence[str] = REVIEW_SOURCES,
    always: Sequence[Example] = (),
    progress: Callable[[str], None] | None = None,
) -> list[Fold]:
    """For each review source: train on every other source (plus ``always``), test on it."""
    folds = []
    for source in sources:
        if progress:
            progress(source)
        held_out = [e for e in examples if e.source == source]
        model = fit(
            [*always, *(e for e in examples if e.source != source)], lexicon=lexicon, recipe=recipe
        )
        gold = [e.label for e in held_out]
        predicted = predicted_labels(model, [e.text for e in held_out])
        folds.append(Fold(source, figures(gold, predicted), gold, predicted))
    return folds


def pooled(folds: Sequence[Fold]) -> Figures:
    """All held-out texts together, each judged by the model that did not see its source."""
    return figures(
        [label for fold in folds for label in fold.gold],
        [label for fold in folds for label in fold.predicted],
    )
