"""What the embedded model reads: normalised Dutch words, their negation scope, and word pairs."""

from __future__ import annotations

import re
import unicodedata
from itertools import pairwise

NEGATORS = frozenset(
    {"niet", "geen", "nooit", "nergens", "niks", "niets", "allesbehalve", "noch", "zonder", "gene"}
)
SCOPE_BREAKS = frozenset({".", ",", ";", ":", "!", "?", "maar", "en", "want", "omdat", "doch"})
NEGATION_SCOPE = 3  # words after a negator that it turns around ("niet echt goed", "geen aanrader")
TOKEN = re.compile(r"[a-zà-ÿ]+(?:'[a-z]+)?|\d+|[!?.,;:]")
REPEATS = re.compile(r"(.)\1{2,}")  # "suuuuper" -> "suuper": keeps the emphasis, not its length

# Belgian-Dutch (and spoken) variants that reviews contain, read as the Dutch words the lexicon and
# the training texts know. Only words that cannot mean anything else in Dutch are mapped.
VARIANTS = {
    "nie": "niet", "ni": "niet", "neen": "nee", "gij": "jij", "ge": "je", "uwe": "jouw",
    "da": "dat", "kzou": "ik zou", "kheb": "ik heb", "tis": "het is", "amai": "wauw",
    "zalig": "heerlijk", "plezant": "leuk", "ambetant": "vervelend", "content": "tevreden",
    "dikwijls": "vaak", "goesting": "zin", "schoon": "mooi", "gsm": "telefoon",
    "allez": "kom", "nen": "een", "ne": "een", "gene": "geen",
    "ferm": "erg", "bijster": "erg", "keigoed": "heel goed", "supergoed": "heel goed",
    "kei": "heel", "mega": "heel",
}  # fmt: skip


def normalise(text: str) -> str:
    """Lower case, accents kept (they are rare and meaningful in Dutch), stretched letters cut."""
    text = unicodedata.normalize("NFC", text).lower().replace("’", "'").replace("`", "'")
    return REPEATS.sub(r"\1\1", text)


def tokens(text: str) -> list[str]:
    """The text's words and punctuation, Belgian variants mapped to their Dutch equivalents."""
    found: list[str] = []
    for token in TOKEN.findall(normalise(text)):
        found.extend(VARIANTS.get(token, token).split())
    return found


def marked(words: list[str]) -> list[str]:
    """The words with those in a negator's scope marked: 'niet goed' reads as 'niet ~goed'."""
    out: list[str] = []
    left = 0
    for word in words:
        if word in SCOPE_BREAKS:
            left = 0
            out.append(word)
        elif word in NEGATORS:
            left = NEGATION_SCOPE
            out.append(word)
        elif left:
            left -= 1
            out.append("~" + word)
        else:
            out.append(word)
    return out


def ngrams(text: str) -> list[str]:
    """Every feature of one text: its words (negated ones marked) and its word pairs. Letter
    n-grams were tried and left out: they did not help on a source the model had not seen."""
    words = marked(tokens(text))
    return words + [f"{a} {b}" for a, b in pairwise(words)]
