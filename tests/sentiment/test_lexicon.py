"""The built-in Dutch lexicon scorer on the shipped lexicon: polarity, negation, phrases, kinds."""

from __future__ import annotations

from pathlib import Path

import pytest

import sentiment.lexicon
from sentiment import LexiconScorer, Sentiment, load_scorer
from sentiment.lexicon import base_form, kind_of

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def scorer() -> LexiconScorer:
    return LexiconScorer(REPO / "data" / "model" / "lexicon-nl.tsv")


def score(scorer: LexiconScorer, text: str) -> float:
    return scorer([text])[0].score


@pytest.mark.parametrize(
    "text",
    [
        "Super snelle levering, echt een aanrader!",
        "Heel tevreden, prima pan en vriendelijke klantenservice.",
        "Keurig verpakt en razendsnel in huis. Top winkel!",
        "Geen klachten, goede service.",
        "Fijne webshop, alles netjes verpakt.",
    ],
)
def test_clear_dutch_praise_is_positive(scorer: LexiconScorer, text: str) -> None:
    result = scorer([text])[0]
    assert result.label == "positive"
    assert result.kind == "compliment"
    assert result.confidence > 0


@pytest.mark.parametrize(
    "text",
    [
        "Wat een slechte ervaring, nooit meer!",
        "Pakket kwam kapot aan, zeer teleurgesteld.",
        "Nog steeds niet geleverd en geen reactie op mijn mail. Slechte service!",
        "Oplichters! Geld betaald en niets ontvangen.",
        "Vreselijk slechte kwaliteit, het handvat is na een week afgebroken.",
    ],
)
def test_clear_dutch_complaints_are_negative(scorer: LexiconScorer, text: str) -> None:
    result = scorer([text])[0]
    assert result.label == "negative"
    assert result.kind == "complaint"


def test_negation_turns_praise_into_criticism(scorer: LexiconScorer) -> None:
    assert score(scorer, "goed") > 0
    assert score(scorer, "niet goed") < 0
    assert scorer(["De pan is niet goed."])[0].label == "negative"
    assert score(scorer, "Ik ben helemaal niet tevreden") < 0


def test_negated_criticism_is_milder_praise(scorer: LexiconScorer) -> None:
    not_bad = score(scorer, "niet slecht")
    assert not_bad > 0
    assert not_bad < score(scorer, "goed")


def test_geen_aanrader_is_negative(scorer: LexiconScorer) -> None:
    assert score(scorer, "aanrader") > 0
    assert scorer(["Geen aanrader."])[0].label == "negative"


def test_zonder_moeite_is_not_negative(scorer: LexiconScorer) -> None:
    assert score(scorer, "Het retourneren ging zonder moeite.") >= 0
    assert score(scorer, "Zonder moeite besteld en snel geleverd.") > 0


def test_negation_stops_at_the_end_of_a_clause(scorer: LexiconScorer) -> None:
    # "geen" belongs to "klachten"; the praise after the comma or full stop stays praise.
    assert scorer(["Geen klachten, goede service."])[0].label == "positive"
    assert scorer(["Niet duur. Mooi product."])[0].label == "positive"
    assert score(scorer, "Niet snel, maar wel vriendelijk.") > score(scorer, "Niet snel.")


def test_a_negative_question_keeps_its_exclamation_negative(scorer: LexiconScorer) -> None:
    result = scorer(["Waarom is mijn pakket nog steeds niet geleverd? Schandalig!"])[0]
    assert result.label == "negative"
    assert result.kind == "complaint"


@pytest.mark.parametrize(
    ("stronger", "plain"),
    [
        ("heel goed", "goed"),
        ("zeer tevreden", "tevreden"),
        ("echt slecht", "slecht"),
        ("ontzettend teleurgesteld", "teleurgesteld"),
        # these are opinion words of their own too; as a modifier they must not pull the other way
        ("super slecht", "slecht"),
        ("enorm slecht", "slecht"),
        ("vreselijk goed", "goed"),
    ],
)
def test_intensifiers_make_the_score_more_extreme(
    scorer: LexiconScorer, stronger: str, plain: str
) -> None:
    base = score(scorer, plain)
    assert base != 0
    assert abs(score(scorer, stronger)) > abs(base)
    assert (score(scorer, stronger) > 0) == (base > 0)


def test_diminishers_soften_the_score(scorer: LexiconScorer) -> None:
    assert score(scorer, "teleurgesteld") < score(scorer, "een beetje teleurgesteld") < 0
    assert scorer(["De pan is vrij slecht."])[0].label == "negative"
    assert score(scorer, "slecht") < score(scorer, "vrij slecht")


def test_a_modifier_on_its_own_keeps_its_own_opinion(scorer: LexiconScorer) -> None:
    assert scorer(["Super!"])[0].label == "positive"
    assert scorer(["Vreselijk."])[0].label == "negative"


def test_webshop_phrases_are_scored_as_a_whole(scorer: LexiconScorer) -> None:
    assert score(scorer, "laat") == 0
    assert scorer(["Het pakket kwam te laat."])[0].label == "negative"
    assert scorer(["Ik heb het nog steeds niet."])[0].label == "negative"
    assert score(scorer, "veel te laat") < score(scorer, "te laat") < 0
    assert score(scorer, "Een dikke aanrader") > 0
    assert score(scorer, "Niet aan te raden") < 0


@pytest.mark.parametrize(
    "text",
    [
        "Ik ben bijzonder content over mijn aankoop.",
        "Heel plezant winkeltje, vriendelijk geholpen.",
        "Dat was plezant.",
        "Dit is nen plezante winkel.",
        "Chapeau voor de service!",
    ],
)
def test_belgian_dutch_praise_is_positive(scorer: LexiconScorer, text: str) -> None:
    assert scorer([text])[0].label == "positive"


@pytest.mark.parametrize(
    ("inflected", "plain"),
    [("slechte", "slecht"), ("snelle", "snel"), ("vriendelijke", "vriendelijk")],
)
def test_inflected_adjectives_score_like_their_base_form(
    scorer: LexiconScorer, inflected: str, plain: str
) -> None:
    assert score(scorer, f"een {inflected} winkel") == score(scorer, f"een winkel, {plain}")


@pytest.mark.parametrize(
    ("word", "base"),
    [
        ("slechte", "slecht"),
        ("snelle", "snel"),
        ("grote", "groot"),
        ("trage", "traag"),
        ("lieve", "lief"),
        ("boze", "boos"),
        ("prachtige", "prachtig"),
        ("goede", "goed"),
        ("mooie", None),
        ("slecht", None),
        ("degene", None),
    ],
)
def test_base_form_follows_dutch_spelling(word: str, base: str | None) -> None:
    assert base_form(word) == base


def test_inflection_does_not_break_a_phrase(scorer: LexiconScorer) -> None:
    # "dikke aanrader" is an entry of its own; "dikke" must not be read as "dik" first.
    assert score(scorer, "dikke aanrader") > score(scorer, "aanrader")


def test_empty_and_opinionless_texts_are_neutral_with_zero_confidence(
    scorer: LexiconScorer,
) -> None:
    for result in scorer(["", "   ", "Ik heb de pan vandaag ontvangen."]):
        assert result.label == "neutral"
        assert result.score == 0
        assert result.confidence == 0
        assert result.kind == "other"


def test_more_evidence_gives_more_confidence(scorer: LexiconScorer) -> None:
    one, many = scorer(["Top!", "Top winkel, snel geleverd, keurig verpakt en vriendelijk."])
    assert 0 < one.confidence < many.confidence <= 1


def test_results_carry_model_text_score_and_aspects(scorer: LexiconScorer) -> None:
    (result,) = scorer(["Het pakket kwam beschadigd aan."])
    assert isinstance(result, Sentiment)
    assert result.model == scorer.model_name
    assert result.text_score == result.score
    assert result.rating_score is None
    assert result.disagreement is False
    assert "beschadigd of verkeerd geleverd" in result.aspects


def test_batch_returns_one_result_per_text_in_order(scorer: LexiconScorer) -> None:
    texts = ["Top winkel!", "", "Slechte service.", "Werkt de braadpan op inductie?", "Top!"]
    results = scorer(texts)
    assert len(results) == len(texts)
    assert [r.label for r in results[:3]] == ["positive", "neutral", "negative"]
    assert results[3].kind == "question"
    assert scorer([]) == []
    # a text scores the same alone as in a batch
    assert [scorer([text])[0] for text in texts] == results


def test_lexicon_is_loaded_lazily_and_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Path] = []
    real = sentiment.lexicon.load_lexicon

    def spy(path: Path) -> dict[str, float]:
        calls.append(path)
        return real(path)

    monkeypatch.setattr(sentiment.lexicon, "load_lexicon", spy)
    fresh = LexiconScorer(REPO / "data" / "model" / "lexicon-nl.tsv")
    assert calls == []
    fresh(["goed"])
    fresh(["slecht", "matig"])
    fresh([])
    assert calls == [REPO / "data" / "model" / "lexicon-nl.tsv"]


def test_missing_lexicon_fails_on_first_use_not_on_construction(tmp_path: Path) -> None:
    lazy = load_scorer("lexicon", data_dir=tmp_path)
    with pytest.raises(FileNotFoundError):
        lazy(["goed"])


@pytest.mark.parametrize(
    "text",
    [
        "Werkt de braadpan op inductie?",
        "Past dit deksel op de pan van 24 cm?",
        "Kan ik mijn bestelling nog wijzigen?",
        "Wanneer wordt mijn bestelling geleverd?",
        "Hebben jullie deze pan ook in het rood?",
        "Mooie pannen. Is de grote ook vaatwasserbestendig?",
    ],
)
def test_questions_are_recognised(scorer: LexiconScorer, text: str) -> None:
    assert scorer([text])[0].kind == "question"
    assert kind_of(text, 0.0) == "question"


def test_kind_of_from_score_and_form() -> None:
    assert kind_of("Slechte service.", -0.8) == "complaint"
    assert kind_of("Top winkel.", 0.8) == "compliment"
    assert kind_of("Pakket ontvangen.", 0.0) == "other"
    assert kind_of("Pakket ontvangen.", 0.1) == "other"
    # an angry rhetorical question is a complaint, not a question to answer
    assert kind_of("Waarom duurt dit zo lang? Schandalig!", -0.8) == "complaint"
    # a question mark at the end of a remark, without a question form, is not a question
    assert kind_of("Snel geleverd, wat wil je nog meer?", 0.8) == "compliment"
    # a question form without a question mark is not a question either
    assert kind_of("Kan niet beter, top.", 0.8) == "compliment"
