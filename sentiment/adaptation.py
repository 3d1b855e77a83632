"""Adapting the embedded model to one shop: fine-tune on its rated reviews, keep it if better."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from sentiment.corpus import Example
from sentiment.evaluation import predicted_labels
from sentiment.metrics import Figures, figures
from sentiment.ngram import NgramModel
from sentiment.training import SEED, Recipe, fit

HELD_OUT = 0.2  # a fifth of the shop's reviews judge the old and the new model
MIN_EXAMPLES = 50  # fewer rated reviews say too little to adapt on
MIN_PER_LABEL = 5  # and each of negative and positive needs a few examples
# Adapting starts from the shipped weights and is pulled back to them: fewer passes, a firmer
# pull than training from scratch.
ADAPT_RECIPE = Recipe(epochs=60, learning_rate=0.05, weight_decay=1e-4)


class TooFewReviews(ValueError):
    """The shop has too few rated reviews with text to adapt on (the message says how many)."""


@dataclass(frozen=True, slots=True)
class Adaptation:
    """The outcome: the figures of both models on the same held-out reviews, and the new model."""

    before: Figures
    after: Figures
    model: NgramModel
    trained: int
    held_out: int

    @property
    def better(self) -> bool:
        """Better on macro-F1 and not worse at catching complaints (negative recall)."""
        return (
            self.after.macro_f1 > self.before.macro_f1
            and self.after.neg_recall >= self.before.neg_recall - 0.01
        )


def split(examples: Sequence[Example], *, seed: int = SEED) -> tuple[list[Example], list[Example]]:
    """A fixed split per label (the same reviews give the same split): train, held out."""
    train: list[Example] = []
    test: list[Example] = []
    for label in ("negative", "neutral", "positive"):
        group = sorted((e for e in examples if e.label == label), key=lambda e: e.text)
        random.Random(f"{seed}-{label}").shuffle(group)
        cut = round(len(group) * HELD_OUT)
        test += group[:cut]
        train += group[cut:]
    return train, test


def adapt(base: NgramModel, examples: Sequence[Example]) -> Adaptation:
    counts = {label: sum(e.label == label for e in examples) for label in ("negative", "positive")}
    if len(examples) < MIN_EXAMPLES or min(counts.values()) < MIN_PER_LABEL:
        raise TooFewReviews(
            f"{len(examples)} beoordeelde reviews met tekst ({counts['negative']} negatief, "
            f"{counts['positive']} positief); nodig: {MIN_EXAMPLES}, met elk minstens "
            f"{MIN_PER_LABEL} negatief en positief"
        )
    train, test = split(examples)
    model = fit(train, lexicon=base.lexicon, recipe=ADAPT_RECIPE, base=base)
    model.meta["name"] = f"{base.meta.get('name', 'ngram-nl')}+shop"
    gold = [e.label for e in test]
    texts = [e.text for e in test]
    return Adaptation(
        before=figures(gold, predicted_labels(base, texts)),
        after=figures(gold, predicted_labels(model, texts)),
        model=model,
        trained=len(train),
        held_out=len(test),
    )
