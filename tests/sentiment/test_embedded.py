"""The shipped model as a shop meets it: negation, Belgian Dutch, questions, no evidence, loading."""

from __future__ import annotations

from pathlib import Path

import pytest

import sentiment.ngram
from sentiment import EmbeddedScorer, load_scorer, with_rating
from sentiment.errors import ModelLoadError
from sentiment.ngram import NgramModel

REPO = Path(__file__).resolve().parents[2]
MODEL = REPO / "data" / "model" / "ngram-nl.pt"
LEXICON = REPO / "data" / "model" / "lexicon-nl.tsv"


@pytest.fixture(scope="module")
def scorer() -> EmbeddedScorer:
    return EmbeddedScorer(MODEL, LEXICON)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Super snelle levering, echt een aanrader!", "positive"),
        ("Niet goed, na een week kapot.", "negative"),
        ("Geen aanrader.", "negative"),
        ("Geen klachten, alles prima.", "positive"),
        ("Nog steeds niet geleverd en geen reactie op mijn mails.", "negative"),
        ("Zalig product, ge moet da zeker kopen!", "positive"),
        ("Ambetant: ze reageren nie op mails en de levering is te laat.", "negative"),
        ("Het boek was saai en veel te lang.", "negative"),
        ("Prachtige borden, heel vriendelijk geholpen.", "positive"),
    ],
)
def test_labels_of_clear_reviews(scorer: EmbeddedScorer, text: str, label: str) -> None:
    result = scorer([text])[0]
    assert result.label == label
    assert result.confidence > 0.5
    assert (result.score > 0) == (label == "positive")


def test_negation_turns_praise_around(scorer: EmbeddedScorer) -> None:
    good, not_good = scorer(["Goed product.", "Niet goed product."])
    assert good.score > 0.5 > not_good.score
    assert not_good.label == "negative"


def test_kinds_and_aspects(scorer: EmbeddedScorer) -> None:
    complaint, praise, question = scorer(
        [
            "Pakket kwam beschadigd aan en de klantenservice neemt niet op.",
            "Snel geleverd en mooi verpakt, dank jullie wel!",
            "Wanneer wordt mijn bestelling geleverd?",
        ]
    )
    assert complaint.kind == "complaint"
    assert set(complaint.aspects) >= {
        "beschadigd of verkeerd geleverd",
        "klantenservice en bereikbaarheid",
    }
    assert praise.kind == "compliment"
    assert "verpakking" in praise.aspects
    assert question.kind == "question"


def test_no_evidence_is_neutral_and_leaves_the_rating_alone(scorer: EmbeddedScorer) -> None:
    empty, number, plain = scorer(["", "12345", "Ik heb de pan ontvangen."])
    assert (empty.label, empty.score, empty.confidence) == ("neutral", 0.0, 0.0)
    assert number.confidence == 0.0
    assert plain.confidence <= 0.1  # no opinion word: word habits alone are weak evidence
    five = with_rating(plain, 1.0, "Ik heb de pan ontvangen.")
    assert five.score == 1.0 and five.disagreement is False


def test_a_clear_contradiction_with_the_rating_is_kept(scorer: EmbeddedScorer) -> None:
    text = "Vreselijk slecht, kapot geleverd en nooit meer iets gehoord."
    result = with_rating(scorer([text])[0], 1.0, text)
    assert result.disagreement is True


def test_batches_keep_order_and_length(scorer: EmbeddedScorer) -> None:
    texts = ["Top!", "Slecht.", "Prima."] * 200  # more than one internal batch
    results = scorer(texts)
    assert len(results) == 600
    assert [r.label for r in results[:3]] == [r.label for r in results[-3:]]
    assert results[1].label == "negative"


def test_loaded_lazily_and_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Path] = []
    real = NgramModel.load.__func__  # type: ignore[attr-defined]

    def spy(cls, path, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(path)
        return real(cls, path, **kwargs)

    monkeypatch.setattr(sentiment.ngram.NgramModel, "load", classmethod(spy))
    fresh = load_scorer("builtin", data_dir=REPO / "data")
    assert calls == []
    fresh(["goed"])
    fresh(["slecht", "matig"])
    assert calls == [MODEL]


def test_the_adapted_model_is_used_when_present(tmp_path: Path) -> None:
    model = NgramModel.load(MODEL, lexicon={})
    model.meta["name"] = "ngram-nl-1+shop"
    model.save(tmp_path / "shop.pt")
    scorer = load_scorer("builtin", data_dir=REPO / "data", adapted=tmp_path / "shop.pt")
    assert scorer(["Prima winkel"])[0].model == "ngram-nl-1+shop"
    missing = load_scorer("builtin", data_dir=REPO / "data", adapted=tmp_path / "none.pt")
    assert missing(["Prima winkel"])[0].model == "ngram-nl-1"


def test_a_damaged_model_file_is_named(tmp_path: Path) -> None:
    broken = tmp_path / "broken.pt"
    broken.write_bytes(MODEL.read_bytes()[:1000])
    with pytest.raises(ModelLoadError, match=r"broken\.pt"):
        EmbeddedScorer(broken, LEXICON)(["goed"])
