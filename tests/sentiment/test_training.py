"""Training is reproducible; adapting to a shop keeps a held-out split and only wins when better."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from sentiment.adaptation import TooFewReviews, adapt, split
from sentiment.corpus import Example
from sentiment.evaluation import leave_one_source_out, predicted_labels
from sentiment.lexicon import load_lexicon
from sentiment.ngram import NgramModel
from sentiment.training import Recipe, fit

REPO = Path(__file__).resolve().parents[2]
LEXICON = load_lexicon(REPO / "data" / "model" / "lexicon-nl.tsv")
SHIPPED = REPO / "data" / "model" / "ngram-nl.pt"
QUICK = Recipe(epochs=30)
PRODUCTS = ["pan", "mes", "jas", "lamp", "tas", "stoel", "fles", "deken", "mok", "klok"]


def examples(source: str = "a") -> list[Example]:
    good = ["Heel goed en snel", "Prima kwaliteit", "Top winkel, aanrader", "Mooi en stevig"]
    bad = ["Slecht en kapot", "Vreselijk, nooit meer", "Te laat en beschadigd", "Waardeloos"]
    return [Example(f"{t} {p}", "positive", source) for t in good for p in PRODUCTS[:3]] + [
        Example(f"{t} {p}", "negative", source) for t in bad for p in PRODUCTS[:3]
    ]


def test_the_same_data_gives_the_same_model() -> None:
    first = fit(examples(), lexicon=LEXICON, recipe=QUICK)
    second = fit(examples(), lexicon=LEXICON, recipe=QUICK)
    assert first.vocabulary == second.vocabulary
    # equal up to the order in which threads add floats (the fixed seed fixes everything else)
    assert torch.allclose(first.weights, second.weights, rtol=0, atol=1e-6)
    assert predicted_labels(first, ["Slecht en kapot mes"]) == ["negative"]
    assert first.meta["trained_on"]["a"] == 24
    assert first.meta["trained_on"]["lexicon"] > 1000  # the lexicon's words teach too


def test_save_and_load_keep_the_predictions(tmp_path: Path) -> None:
    model = fit(examples(), lexicon=LEXICON, recipe=QUICK)
    model.save(tmp_path / "m.pt")
    loaded = NgramModel.load(tmp_path / "m.pt", lexicon=LEXICON)
    texts = ["Heel goed mes", "Waardeloos en kapot", "iets anders"]
    assert torch.allclose(model.probabilities(texts), loaded.probabilities(texts), atol=2e-3)
    assert not (tmp_path / "m.tmp").exists()


def test_leave_one_source_out_never_trains_on_the_tested_source() -> None:
    data = examples("a") + examples("b")
    seen: list[str] = []
    folds = leave_one_source_out(
        data, lexicon=LEXICON, recipe=QUICK, sources=["a", "b"], progress=seen.append
    )
    assert seen == ["a", "b"]
    assert [fold.source for fold in folds] == ["a", "b"]
    assert all(fold.figures.n == 24 for fold in folds)


def shop_reviews() -> list[Example]:
    """A shop whose customers use words the shipped model cannot know: 'flubbig' is their word
    for a dud, 'glimmig' for a delight."""
    found = []
    for product in PRODUCTS:
        for frame in ("De {} was {}", "Mijn {} is {}", "{} gekregen, {}", "Die {} is echt {}"):
            found.append(Example(frame.format(product, "flubbig"), "negative", "shop"))
            found.append(Example(frame.format(product, "glimmig"), "positive", "shop"))
    return found


def test_adapting_learns_the_shops_words_and_wins() -> None:
    base = NgramModel.load(SHIPPED, lexicon=LEXICON)
    outcome = adapt(base, shop_reviews())
    assert outcome.trained + outcome.held_out == 80
    assert outcome.held_out == 16
    assert outcome.after.macro_f1 > outcome.before.macro_f1
    assert outcome.after.accuracy == 1.0
    assert outcome.better
    assert outcome.model.meta["name"] == "ngram-nl-1+shop"
    # what it knew stays: the shipped words still mean what they meant
    assert predicted_labels(outcome.model, ["Slecht, kapot geleverd", "Super, top winkel"]) == [
        "negative", "positive",
    ]  # fmt: skip


def test_adapting_on_reviews_it_already_reads_well_does_not_win() -> None:
    clear = [
        Example(f"{text} {product}", label, "shop")
        for product in PRODUCTS
        for text, label in (
            ("Heel slecht, kapot geleverd:", "negative"), ("Vreselijk, nooit meer:", "negative"),
            ("Super, snel geleverd:", "positive"), ("Top kwaliteit, aanrader:", "positive"),
            ("Waardeloos en te laat:", "negative"), ("Prima, heel tevreden:", "positive"),
        )
    ]  # fmt: skip
    outcome = adapt(NgramModel.load(SHIPPED, lexicon=LEXICON), clear)
    assert outcome.before.accuracy == 1.0
    assert not outcome.better


def test_too_few_reviews_say_how_many() -> None:
    with pytest.raises(TooFewReviews, match="12 beoordeelde reviews"):
        adapt(NgramModel.load(SHIPPED, lexicon=LEXICON), shop_reviews()[:12])
    one_sided = [e for e in shop_reviews() if e.label == "positive"] * 2
    with pytest.raises(TooFewReviews, match="0 negatief"):
        adapt(NgramModel.load(SHIPPED, lexicon=LEXICON), one_sided)


def test_the_split_is_fixed_and_per_label() -> None:
    first = split(shop_reviews())
    again = split(list(reversed(shop_reviews())))
    assert first == again
    train, test = first
    assert sum(e.label == "negative" for e in test) == sum(e.label == "positive" for e in test) == 8
    assert not set(e.text for e in train) & set(e.text for e in test)
