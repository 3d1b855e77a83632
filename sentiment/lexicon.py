"""The built-in Dutch scorer: a polarity lexicon with phrases, negation and intensifiers."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from pathlib import Path

from sentiment.aspects import find_aspects
from sentiment.opinions import clauses
from sentiment.types import Kind, Sentiment, label_for

NEGATORS = frozenset(
    {"niet", "geen", "nooit", "nergens", "niks", "niets", "allesbehalve", "noch", "zonder"}
)
INTENSIFIERS = {
    "heel": 1.4, "erg": 1.4, "zeer": 1.5, "super": 1.5, "echt": 1.3, "ontzettend": 1.6,
    "enorm": 1.6, "vreselijk": 1.6, "hartstikke": 1.5, "bijzonder": 1.4, "uiterst": 1.6,
    "zo": 1.2, "ongelooflijk": 1.6, "totaal": 1.4, "volledig": 1.3, "nen": 1.0,
}  # fmt: skip
DIMINISHERS = {"beetje": 0.6, "vrij": 0.7, "redelijk": 0.7, "wat": 0.8, "enigszins": 0.6}
MODIFIERS = INTENSIFIERS.keys() | DIMINISHERS.keys()
CLAUSE_BREAKS = frozenset({".", ",", ";", ":", "!", "?", "maar"})  # negation stops here
VOWELS = frozenset("aeiouy")
# Words that look like inflected adjectives but mostly are not ('degene', 'met name', 'wilde').
NOT_INFLECTED = frozenset({"degene", "name", "wilde", "wijze", "enige", "laatste"})
QUESTION_START = re.compile(
    r"(^|[.!?\n]\s*)(kan|kunt|kun|kunnen|is|zijn|heeft|hebben|hoe|wanneer|waar|wat|welke|waarom|"
    r"mag|graag zou ik weten|ik vraag me af|wie|welk|hoeveel|hoelang|"
    # a yes/no question starts with its verb: "Werkt de braadpan op inductie?"
    r"werkt|werken|past|passen|zit|zitten|heb|hebt|krijg|krijgt|krijgen|komt|komen|wordt|"
    r"worden|levert|leveren|verzendt|verzenden|doet|doen|moet|moeten|zou|zouden|wil|wilt|"
    r"willen|weet|weten|klopt|gaat|gaan|bestaat|blijft|staat|valt|ben|bent|mogen)\b",
    re.IGNORECASE,
)
TOKEN = re.compile(r"[a-zà-ÿ]+(?:'[a-z]+)?|[!?.,;:]")
MAX_PHRASE = 4
MODEL_NAME = "lexicon-nl-1"
MIXED_CLAUSE = 0.35  # a clause scoring beyond this either way is clear praise or criticism


def load_lexicon(path: Path) -> dict[str, float]:
    lexicon: dict[str, float] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#") or "\t" not in line:
                continue
            word, value = line.rstrip("\n").split("\t", 1)
            lexicon[word] = float(value)
    return lexicon


def base_form(word: str) -> str | None:
    """The uninflected adjective an inflected one comes from ('slechte' -> 'slecht', 'snelle' ->
    'snel', 'grote' -> 'groot', 'lieve' -> 'lief'), by Dutch spelling rules; None if not '-e'."""
    if len(word) < 4 or not word.endswith("e") or word[-2] in VOWELS or word in NOT_INFLECTED:
        return None
    stem = word[:-1]
    long_vowel = stem[-2] in "aou" or (stem[-2] == "e" and sum(c in VOWELS for c in stem) == 1)
    if stem[-1] == stem[-2]:
        stem = stem[:-1]  # snelle -> snel
    elif long_vowel and stem[-3] not in VOWELS:
        stem = stem[:-1] + stem[-2:]  # grote -> groot
    return stem[:-1] + {"v": "f", "z": "s"}.get(stem[-1], stem[-1])


def _lookup(token: str, lexicon: dict[str, float]) -> str | None:
    """The lexicon entry for one token: the token itself or the word it is an inflection of."""
    if token in lexicon:
        return token
    base = base_form(token)
    return base if base in lexicon else None


def text_polarity(text: str, lexicon: dict[str, float]) -> tuple[float, int]:
    """The text's polarity (-1..1) and how many lexicon entries it hit."""
    tokens = TOKEN.findall(text.lower())
    total = 0.0
    hits = 0
    i = 0
    while i < len(tokens):
        for size in range(MAX_PHRASE, 0, -1):
            phrase = " ".join(tokens[i : i + size])
            if size == 1:
                phrase = _lookup(phrase, lexicon) or phrase
            if size <= len(tokens) - i and phrase in lexicon and phrase not in NEGATORS:
                break
        else:
            i += 1
            continue
        following = tokens[i + 1] if i + 1 < len(tokens) else ""
        if size == 1 and tokens[i] in MODIFIERS and _lookup(following, lexicon):
            i += 1  # "super snel", "vrij slecht": it scales the next word, no opinion of its own
            continue
        value = lexicon[phrase]
        before = tokens[max(0, i - 3) : i]
        while any(token in CLAUSE_BREAKS for token in before):
            before = before[1:]
        if any(token in NEGATORS for token in before) and phrase.split()[0] not in NEGATORS:
            value *= -0.7
        if before:
            value *= INTENSIFIERS.get(before[-1], 1.0) * DIMINISHERS.get(before[-1], 1.0)
        if value:
            total += value
            hits += 1
        i += size
    if hits == 0:
        return 0.0, 0
    exclaim = 1.0 + min(tokens.count("!"), 3) * 0.05
    return math.tanh(1.6 * exclaim * total / math.sqrt(hits)), hits


def kind_of(text: str, score: float, *, mixed: bool = False) -> Kind:
    """Complaint, compliment, question or other, from the score and the form of the text. A mixed
    text that nets out neutral is still a complaint: its criticism deserves an answer."""
    asks = "?" in text and QUESTION_START.search(text.strip()) is not None
    if asks and score > -0.5:
        return "question"
    if score <= -0.15:
        return "complaint"
    if score >= 0.2:
        return "compliment"
    return "complaint" if mixed else "other"


def is_mixed(text: str, lexicon: dict[str, float]) -> bool:
    """Whether the text has a clearly positive and a clearly negative clause."""
    scores = [text_polarity(part, lexicon)[0] for part in clauses(text)]
    return max(scores, default=0) >= MIXED_CLAUSE and min(scores, default=0) <= -MIXED_CLAUSE


class LexiconScorer:
    """``scorer(texts) -> list[Sentiment]``; the lexicon is read on the first call, once."""

    model_name = MODEL_NAME

    def __init__(self, lexicon_path: Path) -> None:
        self.lexicon_path = lexicon_path
        self._lexicon: dict[str, float] | None = None

    def _loaded(self) -> dict[str, float]:
        if self._lexicon is None:
            self._lexicon = load_lexicon(self.lexicon_path)
        return self._lexicon

    def __call__(self, texts: Sequence[str]) -> list[Sentiment]:
        lexicon = self._loaded()
        results = []
        for text in texts:
            score, hits = text_polarity(text, lexicon)
            mixed = hits >= 2 and is_mixed(text, lexicon)
            results.append(
                Sentiment(
                    label=label_for(score),
                    score=round(score, 4),
                    confidence=round(min(1.0, hits / 5) * (0.5 + abs(score) / 2), 4),
                    kind=kind_of(text, score, mixed=mixed),
                    aspects=find_aspects(text),
                    mixed=mixed,
                    text_score=round(score, 4),
                    model=self.model_name,
                )
            )
        return results
