"""Texts in another language are recognised and marked, not scored as Dutch in silence."""

from __future__ import annotations

from pathlib import Path

import pytest

from sentiment import load_scorer
from sentiment.language import language_of

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Great shop, fast delivery and a very friendly service!", "en"),
        ("Not good at all, the package arrived broken", "en"),
        ("Très bon produit, livraison rapide", "fr"),
        ("Sehr gut, schnelle Lieferung", "de"),
        ("Snelle levering, prima product", "nl"),
        ("Chapeau voor de service!", "nl"),  # a borrowed word does not make it French
        ("Top!", "nl"),  # too short to tell: the shop's language
        ("", "nl"),
    ],
)
def test_languages(text: str, code: str) -> None:
    assert language_of(text) == code


def test_english_is_marked_unscored_and_dutch_is_scored() -> None:
    scorer = load_scorer("builtin", data_dir=REPO / "data")
    english, dutch = scorer(
        ["Terrible service, the order never arrived.", "Vreselijke service, nooit geleverd."]
    )
    assert english.language == "en"
    assert english.model == "unscored"
    assert (english.label, english.score, english.confidence) == ("neutral", 0.0, 0.0)
    assert english.text_score is None
    assert dutch.language == "nl"
    assert dutch.label == "negative"
    assert dutch.model != "unscored"


def test_a_model_that_reads_english_gets_english(tmp_path: Path) -> None:
    seen: list[list[str]] = []

    def fake(texts):  # type: ignore[no-untyped-def]
        seen.append(list(texts))
        return load_scorer("lexicon", data_dir=REPO / "data").scorer(texts)

    from sentiment.routing import ByLanguage

    routed = ByLanguage(fake, reads=("nl", "en"))
    results = routed(
        ["Great shop, fast delivery and friendly people", "Sehr gut, schnelle Lieferung"]
    )
    assert seen == [["Great shop, fast delivery and friendly people"]]
    assert [r.language for r in results] == ["en", "de"]
    assert results[1].model == "unscored"


def test_clauses_of_a_text_whose_language_is_known_are_not_told_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from sentiment import routing
    from sentiment.opinions import opinions

    scorer = load_scorer("builtin", data_dir=REPO / "data")
    text = "Mooie pan, maar de levering duurde veel te lang."
    told: list[list[str]] = []
    real = routing.languages
    monkeypatch.setattr(routing, "languages", lambda texts: told.append(list(texts)) or real(texts))
    known = opinions(scorer, text, language="nl")
    assert told == []  # no language detection per clause
    assert [o.score > 0 for o in known] == [True, False]
    assert known == opinions(scorer, text)  # the same scores as when each clause is told
    assert told  # ... which the plain call does
    # a text known to be in a language the model does not read: its clauses are not scored
    assert all(
        o.score == 0 for o in opinions(scorer, "Great pan, but slow delivery", language="en")
    )
