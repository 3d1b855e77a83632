"""What the embedded model reads: Belgian variants, negation scope, word pairs."""

from __future__ import annotations

import pytest

from sentiment.features import marked, ngrams, tokens


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Da is nie goed", ["dat", "is", "niet", "goed"]),
        ("Zalig! Ge moet het kopen", ["heerlijk", "!", "je", "moet", "het", "kopen"]),
        ("Ik ben content", ["ik", "ben", "tevreden"]),
        ("Suuuuuper snel!!!", ["suuper", "snel", "!", "!"]),
        ("Kzou het niet doen", ["ik", "zou", "het", "niet", "doen"]),
    ],
)
def test_belgian_and_spoken_variants_read_as_dutch(text: str, expected: list[str]) -> None:
    assert tokens(text) == expected


def test_negation_marks_the_next_words_until_a_break() -> None:
    assert marked(tokens("niet echt goed, wel snel")) == [
        "niet",
        "~echt",
        "~goed",
        ",",
        "wel",
        "snel",
    ]
    assert marked(tokens("geen aanrader")) == ["geen", "~aanrader"]
    # the scope is three words: a long sentence is not negated to its end
    assert marked(tokens("niet a b c d")) == ["niet", "~a", "~b", "~c", "d"]
    assert marked(tokens("niet goed maar mooi")) == ["niet", "~goed", "maar", "mooi"]


def test_features_are_words_and_word_pairs() -> None:
    assert ngrams("Geen aanrader!") == ["geen", "~aanrader", "!", "geen ~aanrader", "~aanrader !"]
    assert ngrams("") == []
