"""The opinions inside one text: each sentence or clause with its own score and aspects, so that a
reply can thank for the praise and fix the complaint of a mixed review, and quote the customer."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sentiment.aspects import find_aspects
from sentiment.types import Sentiment

# A clause ends at a sentence mark or a line break, and before a contrasting "maar" / "alleen"
# ("Mooie pan, maar de levering duurde lang"): the two halves often mean opposite things.
_SENTENCES = re.compile(r"[^.!?;\n]+[.!?;]*")
_CONTRAST = re.compile(r",?\s+\b(?:maar|alleen|helaas|echter|daarentegen)\b\s+", re.IGNORECASE)
MAX_CLAUSES = 40  # a long story: its first forty clauses say enough


@dataclass(frozen=True, slots=True)
class Opinion:
    """One clause of a text, as written, with its score (-1..1) and the aspects it names."""

    text: str
    score: float
    aspects: tuple[str, ...]


def clauses(text: str) -> list[str]:
    """The text's sentences, each split again before a contrasting word."""
    found: list[str] = []
    for sentence in _SENTENCES.findall(text):
        for part in _CONTRAST.split(sentence):
            part = part.strip(" ,-–")
            if any(character.isalpha() for character in part):
                found.append(part)
    return found[:MAX_CLAUSES]


def opinions(
    scorer: Callable[[Sequence[str]], list[Sentiment]], text: str, *, language: str | None = None
) -> list[Opinion]:
    """Every clause of ``text`` scored on its own, in the order it was written. With the text's
    ``language`` known, a scorer that can (``in_language``) does not tell it again per clause."""
    parts = clauses(text)
    if not parts:
        return []
    known = getattr(scorer, "in_language", None)
    results = known(parts, language) if known and language else scorer(parts)
    return [
        Opinion(text=part, score=result.score, aspects=tuple(find_aspects(part)))
        for part, result in zip(parts, results, strict=True)
    ]
