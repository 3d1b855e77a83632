"""Training the embedded model: reproducible (fixed seed), a few seconds on two cores."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import torch

from sentiment.corpus import Example
from sentiment.features import ngrams
from sentiment.lexicon import text_polarity
from sentiment.ngram import CLASSES, NgramModel, bag, lexicon_inputs

SEED = 20261124
# How much each kind of example counts: the silver subtitle labels (projected from English
# emotions) less than hand-labelled text; the lexicon's words, each as a one-word example, teach
# the model opinion words its training texts never used.
SOURCE_WEIGHTS = {"subtitles": 0.3, "lexicon": 0.5}
# Each word stands in a plain sentence, the frames spread evenly over praise and blame: a bare
# word would teach the model that "de", "het" and "." (found in every real text, never in a
# bare word) mean whatever real texts mostly are.
FRAMES = ("{}", "het is {}.", "de {} is het.", "ik vind het {}.", "dat was {}.", "echt {}!")
LEXICON_MIN = 0.3  # lexicon words at least this polar become one-word examples


@dataclass(frozen=True, slots=True)
class Recipe:
    """The training settings; the defaults are the ones the shipped model was trained with."""

    epochs: int = 100
    learning_rate: float = 0.05
    weight_decay: float = 1e-5
    min_count: int = 1
    balanced: bool = False  # each label weighs the same in total: neutral texts are scarce
    seed: int = SEED


SHIPPED = Recipe()


def lexicon_examples(lexicon: dict[str, float]) -> list[Example]:
    """The lexicon's clearly polar entries as one-word (or one-phrase) examples."""
    polar = [(word, value) for word, value in sorted(lexicon.items()) if abs(value) >= LEXICON_MIN]
    return [
        Example(
            text=FRAMES[i % len(FRAMES)].format(word),
            label="positive" if value > 0 else "negative",
            source="lexicon",
        )
        for i, (word, value) in enumerate(polar)
    ]


def _tensors(
    examples: Sequence[Example], vocabulary: dict[str, int], lexicon: dict[str, float]
) -> tuple[torch.Tensor, ...]:
    indices: list[int] = []
    offsets: list[int] = []
    values: list[float] = []
    for example in examples:
        found, scaled = bag(ngrams(example.text), vocabulary)
        offsets.append(len(indices))
        indices += found
        values += scaled
    return (
        torch.tensor(indices, dtype=torch.long),
        torch.tensor(offsets, dtype=torch.long),
        torch.tensor(values, dtype=torch.float32),
        torch.tensor(
            [lexicon_inputs(*text_polarity(e.text, lexicon)) for e in examples], dtype=torch.float32
        ),
        torch.tensor([CLASSES.index(e.label) for e in examples], dtype=torch.long),
        torch.tensor([SOURCE_WEIGHTS.get(e.source, 1.0) for e in examples]),
    )


def fit(
    examples: Sequence[Example],
    *,
    lexicon: dict[str, float],
    recipe: Recipe = SHIPPED,
    base: NgramModel | None = None,
) -> NgramModel:
    """A model trained on ``examples``; the same input gives the same model. Full-batch Adam on a
    weighted cross-entropy with an L2 penalty. From scratch the lexicon's words are examples too;
    from a ``base`` model (adaptation) training starts at its weights and the penalty pulls
    towards them, so a few hundred shop reviews refine the model instead of replacing it."""
    examples = list(examples) if base else [*examples, *lexicon_examples(lexicon)]
    counts = Counter(feature for e in examples for feature in set(ngrams(e.text)))
    new = sorted(f for f, n in counts.items() if n >= recipe.min_count)
    if base:
        vocabulary = dict(base.vocabulary)
        for feature in new:
            vocabulary.setdefault(feature, len(vocabulary))
    else:
        vocabulary = {feature: index for index, feature in enumerate(new)}
    indices, offsets, values, dense_in, labels, weights = _tensors(examples, vocabulary, lexicon)
    if recipe.balanced:
        totals = torch.zeros(len(CLASSES)).index_add_(0, labels, weights)
        present = totals > 0
        share = totals.sum() / (present.sum() * totals.clamp(min=1e-9))
        weights = weights * torch.where(present, share, 0)[labels]
    torch.manual_seed(recipe.seed)
    start = torch.zeros((len(vocabulary), len(CLASSES)))
    if base:
        start[: len(base.vocabulary)] = base.weights
    table = start.clone().requires_grad_(True)
    dense = (base.dense.clone() if base else torch.zeros((2, len(CLASSES)))).requires_grad_(True)
    bias = (base.bias.clone() if base else torch.zeros(len(CLASSES))).requires_grad_(True)
    optimiser = torch.optim.Adam([table, dense, bias], lr=recipe.learning_rate)
    for _ in range(recipe.epochs):
        optimiser.zero_grad()
        logits = torch.nn.functional.embedding_bag(
            indices, table, offsets, mode="sum", per_sample_weights=values
        )
        logits = logits + dense_in @ dense + bias
        losses = torch.nn.functional.cross_entropy(logits, labels, reduction="none")
        penalty = recipe.weight_decay * ((table - start) ** 2).sum()
        loss = (losses * weights).sum() / weights.sum() + penalty
        loss.backward()
        optimiser.step()
    trained_on = Counter(e.source for e in examples)
    if base:
        trained_on = Counter(base.meta.get("trained_on", {})) + trained_on
    return NgramModel(
        vocabulary=vocabulary,
        weights=table.detach(),
        dense=dense.detach(),
        bias=bias.detach(),
        lexicon=lexicon,
        meta={"trained_on": dict(sorted(trained_on.items())), "recipe": asdict(recipe)},
    )
