"""The embedded model: a softmax layer over word and word-pair counts and the lexicon score."""

from __future__ import annotations

import math
import pickle
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch

from sentiment.errors import ModelLoadError
from sentiment.features import ngrams
from sentiment.lexicon import text_polarity
from sentiment.types import Label

CLASSES: tuple[Label, ...] = ("negative", "neutral", "positive")
FORMAT = "reviewwacht-ngram-1"


def lexicon_inputs(polarity: float, hits: int) -> list[float]:
    """The two dense inputs: the lexicon polarity of the text and how many opinion words it has."""
    return [polarity, min(hits, 10) / 10]


def bag(features: list[str], vocabulary: dict[str, int]) -> tuple[list[int], list[float]]:
    """The known features of one text with log-scaled counts, normalised to length one."""
    counts = Counter(feature for feature in features if feature in vocabulary)
    weights = {feature: 1 + math.log(count) for feature, count in counts.items()}
    norm = math.sqrt(sum(value * value for value in weights.values())) or 1.0
    return [vocabulary[feature] for feature in weights], [v / norm for v in weights.values()]


@dataclass(frozen=True, slots=True)
class Reading:
    """One text as the model read it: P(negative, neutral, positive), how many opinion words the
    lexicon found, and whether any of its words has a weight."""

    probabilities: list[float]
    opinion_words: int
    known: bool


@dataclass
class NgramModel:
    """The vocabulary and the weights; ``probabilities`` gives P(negative, neutral, positive)."""

    vocabulary: dict[str, int]
    weights: torch.Tensor  # (vocabulary, 3)
    dense: torch.Tensor  # (2, 3): the lexicon inputs
    bias: torch.Tensor  # (3,)
    lexicon: dict[str, float]
    meta: dict[str, Any] = field(default_factory=dict)
    _arrays: tuple[np.ndarray, np.ndarray, np.ndarray] | None = field(default=None, repr=False)

    def read(self, texts: Sequence[str]) -> list[Reading]:
        """Each text's class probabilities and the evidence behind them, features built once."""
        if not texts:
            return []
        owners: list[int] = []  # which text each found feature belongs to
        indices: list[int] = []
        values: list[float] = []
        dense: list[list[float]] = []
        evidence: list[tuple[int, bool]] = []
        for number, text in enumerate(texts):
            features = ngrams(text)
            found, scaled = bag(features, self.vocabulary)
            owners += [number] * len(found)
            indices += found
            values += scaled
            polarity, hits = text_polarity(text, self.lexicon)
            dense.append(lexicon_inputs(polarity, hits))
            known = any(f in self.vocabulary for f in features if f[0].isalpha() or f[0] == "~")
            evidence.append((hits, known))
        # Scoring is numpy: a few small array operations per batch, none of torch's per-call
        # thread start-up (which cost 14 ms a call when a draft scores its clauses one by one).
        table = self._table()
        rows = np.asarray(values, dtype=np.float32)[:, None] * table[0][indices]
        logits = np.zeros((len(texts), len(CLASSES)), dtype=np.float32)
        np.add.at(logits, np.asarray(owners, dtype=np.int64), rows)
        logits += np.asarray(dense, dtype=np.float32) @ table[1] + table[2]
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        probabilities = (exp / exp.sum(axis=1, keepdims=True)).tolist()
        return [
            Reading(row, hits, known)
            for row, (hits, known) in zip(probabilities, evidence, strict=True)
        ]

    def _table(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The weights as numpy arrays (sharing torch's memory), made once."""
        if self._arrays is None:
            self._arrays = (self.weights.numpy(), self.dense.numpy(), self.bias.numpy())
        return self._arrays

    def probabilities(self, texts: Sequence[str]) -> torch.Tensor:
        if not texts:
            return torch.zeros((0, len(CLASSES)))
        return torch.tensor([reading.probabilities for reading in self.read(texts)])

    def save(self, path: Path) -> None:
        """One file: the vocabulary in index order and the weights in half precision."""
        path.parent.mkdir(parents=True, exist_ok=True)
        words = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        state = {
            "format": FORMAT,
            "features": "\n".join(words),
            "weights": self.weights.to(torch.float16),
            "dense": self.dense,
            "bias": self.bias,
            "meta": self.meta,
        }
        temporary = path.with_suffix(".tmp")
        torch.save(state, temporary)
        temporary.replace(path)  # a crash mid-save never leaves half a model in place

    @classmethod
    def load(cls, path: Path, *, lexicon: dict[str, float]) -> NgramModel:
        try:
            state = torch.load(path, map_location="cpu", weights_only=True)
        except FileNotFoundError:
            raise ModelLoadError(f"{path} bestaat niet") from None
        except (RuntimeError, EOFError, pickle.UnpicklingError) as error:  # truncated, foreign
            raise ModelLoadError(f"{path} is geen reviewwacht-sentimentmodel ({error})") from error
        if not isinstance(state, dict) or state.get("format") != FORMAT:
            raise ModelLoadError(f"{path} is geen reviewwacht-sentimentmodel (formaat {FORMAT})")
        words = state["features"].split("\n") if state["features"] else []
        return cls(
            vocabulary={word: index for index, word in enumerate(words)},
            weights=state["weights"].to(torch.float32),
            dense=state["dense"],
            bias=state["bias"],
            lexicon=lexicon,
            meta=dict(state.get("meta") or {}),
        )
