"""How well labels were predicted: accuracy, macro-F1, negative recall and precision, confusion."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sentiment.types import Label

ORDER: tuple[Label, ...] = ("negative", "neutral", "positive")


@dataclass(frozen=True, slots=True)
class Figures:
    """The figures of one evaluation. Macro-F1 averages over the labels the gold data has, so a
    file without neutral texts is judged on negative and positive (a neutral guess is an error)."""

    n: int
    accuracy: float
    macro_f1: float
    neg_recall: float
    neg_precision: float
    confusion: dict[str, dict[str, int]]  # gold label -> predicted label -> count

    def as_json(self) -> dict[str, float | int]:
        return {
            "accuracy": round(self.accuracy, 4),
            "macro_f1": round(self.macro_f1, 4),
            "neg_recall": round(self.neg_recall, 4),
            "neg_precision": round(self.neg_precision, 4),
            "n": self.n,
        }


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def figures(gold: Sequence[Label], predicted: Sequence[Label]) -> Figures:
    if len(gold) != len(predicted):
        raise ValueError("gold and predicted labels differ in length")
    pairs = list(zip(gold, predicted, strict=True))
    confusion = {g: {p: 0 for p in ORDER} for g in ORDER if g in set(gold)}
    for g, p in pairs:
        confusion[g][p] += 1
    scores = []
    for label in confusion:
        hits = confusion[label][label]
        guessed = sum(row[label] for row in confusion.values())
        actual = sum(confusion[label].values())
        scores.append(_ratio(2 * hits, guessed + actual))
    negatives = confusion.get("negative", {})
    return Figures(
        n=len(pairs),
        accuracy=_ratio(sum(g == p for g, p in pairs), len(pairs)),
        macro_f1=_ratio(sum(scores), len(scores)),
        neg_recall=_ratio(negatives.get("negative", 0), sum(negatives.values())),
        neg_precision=_ratio(
            negatives.get("negative", 0), sum(row["negative"] for row in confusion.values())
        ),
        confusion=confusion,
    )
