"""How a classification model's own labels map onto sentiment: polar classes or star ratings."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from sentiment.types import Label, label_for

logger = logging.getLogger(__name__)

NEUTRAL_BAND = 0.15  # the band label_for calls neutral, by default
# Polar names, normalised (lower case, '_' and '-' as spaces), with their place on the -1..1 scale.
POLAR = {
    "negative": -1.0, "neg": -1.0, "negatief": -1.0, "negativ": -1.0,
    "neutral": 0.0, "neu": 0.0, "neutraal": 0.0, "neutre": 0.0, "mixed": 0.0,
    "positive": 1.0, "pos": 1.0, "positief": 1.0, "positiv": 1.0,
}  # fmt: skip
# Five-point scales ('Very negative' .. 'Very positive'): the plain names move halfway.
VERY = re.compile(r"^(?:very|zeer|erg|heel) (.+)$")
STARS = re.compile(r"^(\d{1,2})(?: ?(?:stars?|sterren|ster))?$")
DEFAULT_NAME = re.compile(r"^label (\d+)$")  # what transformers calls unnamed classes


class LabelMappingError(ValueError):
    """Raised by ``label_map`` when a model's labels cannot be read as sentiment; the scorer
    turns it into a ``ModelLoadError`` that names the model."""


@dataclass(frozen=True, slots=True)
class LabelMap:
    """Each class of a model (by index) with its place on the -1..1 sentiment scale.

    ``graded``: a star or five-point model; its confidence is the probability of the classes
    that agree with the label, not of the single most likely class.
    """

    names: tuple[str, ...]
    values: tuple[float, ...]
    graded: bool
    source: str  # how the mapping was found: "names", "stars", "default order" or "labels"

    def scores(self, probs: np.ndarray) -> np.ndarray:
        """The expected value on the -1..1 scale of each row of class probabilities: for a polar
        model P(positive) - P(negative), for a star model the expected stars, rescaled."""
        return np.clip(probs @ np.asarray(self.values, dtype=probs.dtype), -1.0, 1.0)

    def confidences(self, probs: np.ndarray, scores: np.ndarray) -> np.ndarray:
        if not self.graded:
            return probs.max(axis=1)
        values = np.asarray(self.values)
        bands: dict[Label, np.ndarray] = {
            "negative": values <= -NEUTRAL_BAND,
            "positive": values >= NEUTRAL_BAND,
            "neutral": np.abs(values) < NEUTRAL_BAND,
        }
        return np.array(
            [
                row[bands[label_for(float(score))]].sum()
                for row, score in zip(probs, scores, strict=True)
            ]
        )


def normalise(name: str) -> str:
    return " ".join(str(name).lower().replace("_", " ").replace("-", " ").split())


def _polar(names: list[str]) -> list[float] | None:
    """The values of names that are all polar words, or None."""
    very = [VERY.match(name) for name in names]
    graded = any(match and match.group(1) in POLAR for match in very)
    values = []
    for name, match in zip(names, very, strict=True):
        if name in POLAR:
            values.append(POLAR[name] / 2 if graded else POLAR[name])
        elif match and match.group(1) in POLAR:
            values.append(POLAR[match.group(1)])
        else:
            return None
    return values


def _stars(names: list[str]) -> list[float] | None:
    """The values of names that are all star counts ('1 star', '5 stars', '3'), or None."""
    matches = [STARS.match(name) for name in names]
    if not all(matches):
        return None
    stars = [int(match.group(1)) for match in matches if match]
    low, high = min(stars), max(stars)
    if high == low:
        return None
    return [2 * (star - low) / (high - low) - 1 for star in stars]


def _from_names(names: list[str], *, from_user: bool) -> tuple[list[float], bool, str] | None:
    polar = _polar(names)
    if polar is not None and any(polar):
        return polar, any(abs(value) not in (0.0, 1.0) for value in polar), "names"
    stars = _stars(names)
    # Bare numbers in a model's config are stars only on a scale of three or more.
    if stars is not None and (from_user or len(set(names)) >= 3):
        return stars, True, "stars"
    return None


def label_map(id2label: Mapping[int, str], labels: Mapping[str, str] | None = None) -> LabelMap:
    """The mapping for a model's ``config.id2label``; ``labels`` (model label name -> 'negative',
    'neutral', 'positive' or a star count like '1'..'5') overrides what the names suggest."""
    count = len(id2label)
    if sorted(id2label) != list(range(count)) or count < 2:
        raise LabelMappingError(f"the model's id2label {dict(id2label)} is not a list of classes")
    names = tuple(str(id2label[index]) for index in range(count))
    if labels is not None:
        return _overridden(names, labels)
    normal = [normalise(name) for name in names]
    found = _from_names(normal, from_user=False)
    if found is not None:
        values, graded, source = found
        return LabelMap(names, tuple(values), graded, source)
    defaults = [DEFAULT_NAME.match(name) for name in normal]
    if all(defaults) and count in (2, 3):
        logger.warning(
            "model labels %s say nothing about sentiment; assuming the usual order %s",
            ", ".join(names),
            "negative, positive" if count == 2 else "negative, neutral, positive",
        )
        values = (-1.0, 1.0) if count == 2 else (-1.0, 0.0, 1.0)
        return LabelMap(names, values, False, "default order")
    raise LabelMappingError(
        f"cannot tell which of the model's labels ({', '.join(names)}) mean negative, neutral "
        "or positive; pass labels={...} mapping each of them to 'negative', 'neutral' or "
        "'positive' (or to a star count such as '1'..'5')"
    )


def _overridden(names: tuple[str, ...], labels: Mapping[str, str]) -> LabelMap:
    """The mapping the user gave: keys are the model's label names (any case) or class indexes."""
    given = {normalise(key): value for key, value in labels.items()}
    targets = []
    missing = []
    for index, name in enumerate(names):
        target = given.get(normalise(name), given.get(str(index)))
        if target is None:
            missing.append(name)
        else:
            targets.append(normalise(target))
    if missing:
        raise LabelMappingError(
            f"labels does not say what the model's label(s) {', '.join(missing)} mean; "
            f"give a value for each of {', '.join(names)}"
        )
    found = _from_names(targets, from_user=True)
    if found is None:
        raise LabelMappingError(
            f"labels maps to {sorted(set(targets))}: use 'negative', 'neutral' and 'positive', "
            "or star counts such as '1'..'5', not a mix"
        )
    values, graded, _ = found
    return LabelMap(names, tuple(values), graded, "labels")
