"""Which language a text is in (Dutch, English, French, German), by lingua, built once, lazily."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

# The languages a Dutch or Belgian webshop's reviews come in. A detector for a few languages builds
# at once and needs about 130 MB; all of lingua's languages would cost seconds and more than 1 GB.
# Low-accuracy mode would save half of that but took 13 of 4,249 short Dutch review snippets
# ("Zit als gegoten", "Design en comfort") for another language; high accuracy took none.
LANGUAGES = (Language.DUTCH, Language.ENGLISH, Language.FRENCH, Language.GERMAN)
MIN_LETTERS = 12  # "Top!", "Prima": too short to tell; read as the shop's language, Dutch
MIN_DISTANCE = 0.1  # lingua says None when two languages are this close: read as Dutch too
SAMPLE = 200  # the first characters say the language as well as the whole text, and sooner
MIN_CONFIDENCE = 0.75  # how sure lingua must be before a text counts as not Dutch
DUTCH = "nl"


@cache
def detector() -> LanguageDetector:
    return (
        LanguageDetectorBuilder.from_languages(*LANGUAGES)
        .with_minimum_relative_distance(MIN_DISTANCE)
        .build()
    )


def language_of(text: str) -> str:
    """The ISO 639-1 code of the text's language; Dutch when the text is too short to tell."""
    if sum(character.isalpha() for character in text) < MIN_LETTERS:
        return DUTCH
    text = text[:SAMPLE]
    found = detector().detect_language_of(text)
    if found is None or found == Language.DUTCH:
        return DUTCH
    # Another language only when lingua is sure: a Dutch text with one borrowed word ("Chapeau
    # voor de service!") stays Dutch.
    top = detector().compute_language_confidence_values(text)[0]
    return top.language.iso_code_639_1.name.lower() if top.value >= MIN_CONFIDENCE else DUTCH


def languages(texts: Sequence[str]) -> list[str]:
    return [language_of(text) for text in texts]
