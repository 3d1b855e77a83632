"""TransformerScorer on tiny RoBERTa models built and saved here: offline loading, label mapping,
length-sorted batching, int8 and ONNX int8 agreement with fp32, the ONNX cache."""

from __future__ import annotations

import os
import sys

os.environ["HF_HUB_OFFLINE"] = "1"  # nothing in this file may reach the hub

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import torch
from transformers import (
    AutoModelForSequenceClassification,
    RobertaConfig,
    RobertaModel,
)

import sentiment.transformer as transformer_module
from sentiment.aspects import find_aspects
from sentiment.lexicon import kind_of
from sentiment.transformer import ModelLoadError, TransformerScorer, cache_key
from sentiment.transformer_labels import LabelMappingError, label_map
from sentiment.types import label_for
from tests.sentiment.tiny_model import TRAINING, build_model, build_polar_model

# Texts of mixed length, some with words the tokenizer never saw.
MIXED = [
    "Slecht.",
    "Prima product.",
    "Het pakket kwam kapot aan en de klantenservice reageert niet, heel slecht verpakt en te laat geleverd, nooit meer.",
    "Goede kwaliteit",
    "Snelle levering, vriendelijk geholpen, mooi boek, netjes verpakt, echt een aanrader en heel blij mee!",
    "Onbekende woorden zoals fietsbel en paraplu.",
    "",
    "Ik heb de bestelling gisteren geplaatst maar het pakket is nog niet bezorgd.",
    "Kunt u zeggen wanneer?",
    "Zeer teleurgesteld",
]
STAR_NAMES = {index: f"{index + 1} star" + ("s" if index else "") for index in range(5)}


@pytest.fixture(autouse=True, scope="module")
def one_thread() -> Iterator[None]:
    """Tiny models run fastest on one thread; two threads on a busy machine run 50 times slower."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(scope="session")
def models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("transformer-models")


@pytest.fixture(scope="session")
def polar_model(models_dir: Path) -> Path:
    return build_polar_model(models_dir / "tiny-sentiment")


@pytest.fixture(scope="session")
def fp32_probs(polar_model: Path) -> np.ndarray:
    texts = [text for text, _ in TRAINING] + MIXED
    return np.array(TransformerScorer(model=polar_model, quantize="none").probabilities(texts))


def test_constructing_does_not_load_and_the_first_call_loads_once(
    polar_model: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    TransformerScorer(model=tmp_path / "not-there")  # no error until it is used
    loads = []
    original = AutoModelForSequenceClassification.from_pretrained

    def counting(*args: object, **kwargs: object) -> object:
        loads.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(AutoModelForSequenceClassification, "from_pretrained", counting)
    scorer = TransformerScorer(model=polar_model, quantize="none")
    assert not scorer.loaded and loads == []
    scorer(["Prima product."])
    scorer(["Slecht.", "Goede kwaliteit"])
    assert scorer.loaded and len(loads) == 1


def test_scores_each_text_in_input_order(polar_model: Path) -> None:
    texts = [text for text, _ in TRAINING]
    scorer = TransformerScorer(model=polar_model, quantize="none", batch_size=5)
    results = scorer(texts)
    assert len(results) == len(texts)
    probs = np.array(scorer.probabilities(texts))
    assert probs.argmax(axis=1).tolist() == [target for _, target in TRAINING]
    polar = [
        (result.label, target)
        for result, (_, target) in zip(results, TRAINING, strict=True)
        if target != 1
    ]
    assert polar == [({0: "negative", 2: "positive"}[target], target) for _, target in polar]
    for text, result, row in zip(texts, results, probs, strict=True):
        assert result.score == pytest.approx(row[2] - row[0], abs=1e-4)
        assert result.text_score == result.score and -1 <= result.score <= 1
        assert result.label == label_for(result.score)
        assert result.confidence == pytest.approx(row.max(), abs=1e-4)
        assert result.kind == kind_of(text, result.score)
        assert result.aspects == find_aspects(text)
        assert result.model == "transformers:tiny-sentiment"
    backwards = scorer(texts[::-1])
    assert [result.score for result in backwards] == [result.score for result in results][::-1]
    assert scorer([]) == []


def test_sorted_dynamic_batches_give_the_same_probabilities_as_one_at_a_time(
    polar_model: Path,
) -> None:
    scorer = TransformerScorer(model=polar_model, quantize="none", batch_size=3)
    scorer.load()
    widths: list[tuple[int, int]] = []
    runner = scorer._runner
    assert runner is not None

    def recording(batch: dict[str, np.ndarray]) -> np.ndarray:
        widths.append(batch["input_ids"].shape)
        return runner(batch)

    scorer._runner = recording
    batched = np.array(scorer.probabilities(MIXED))
    single = np.array([scorer.probabilities([text])[0] for text in MIXED])
    assert np.abs(batched - single).max() < 1e-5
    assert np.allclose(batched.sum(axis=1), 1.0, atol=1e-5)
    # Batches of 3 in length order, each padded only to its own longest text.
    lengths = sorted(len(scorer._tokenizer(text)["input_ids"]) for text in MIXED)
    first = widths[: -len(MIXED)]  # the batched call, before the one-at-a-time calls
    assert [rows for rows, _ in first] == [3, 3, 3, 1]
    assert [width for _, width in first] == [lengths[2], lengths[5], lengths[8], lengths[9]]


@pytest.mark.parametrize(("quantize", "tolerance"), [("int8", 0.03), ("onnx-int8", 0.03)])
def test_quantized_models_agree_with_fp32(
    polar_model: Path, fp32_probs: np.ndarray, tmp_path: Path, quantize: str, tolerance: float
) -> None:
    texts = [text for text, _ in TRAINING] + MIXED
    scorer = TransformerScorer(model=polar_model, quantize=quantize, cache_dir=tmp_path)  # type: ignore[arg-type]
    probs = np.array(scorer.probabilities(texts))
    assert np.abs(probs - fp32_probs).max() <= tolerance
    # Where fp32's top two classes are further apart than twice the tolerance, int8 must agree.
    top2 = np.sort(fp32_probs, axis=1)[:, -2:]
    clear = top2[:, 1] - top2[:, 0] > 2 * tolerance
    assert clear.sum() >= len(texts) * 0.7  # the check is not empty
    assert (probs.argmax(axis=1) == fp32_probs.argmax(axis=1))[clear].all()
    assert scorer.model_name == f"transformers:tiny-sentiment+{quantize}"


def test_onnx_export_is_cached_and_keyed_by_the_weights(
    polar_model: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = TransformerScorer(model=polar_model, quantize="onnx-int8", cache_dir=tmp_path)
    expected = first.probabilities(MIXED)
    assert first.onnx_path is not None and first.onnx_path.is_relative_to(tmp_path)
    assert first.export_seconds is not None
    written = first.onnx_path.stat().st_mtime_ns

    def no_export(*args: object) -> None:
        raise AssertionError("exported again")

    monkeypatch.setattr(transformer_module, "export_onnx", no_export)
    second = TransformerScorer(model=polar_model, quantize="onnx-int8", cache_dir=tmp_path)
    assert second.probabilities(MIXED) == expected
    assert second.onnx_path == first.onnx_path and second.export_seconds is None
    assert first.onnx_path.stat().st_mtime_ns == written
    key = cache_key(polar_model)
    weights = polar_model / "model.safetensors"
    stat = weights.stat()
    os.utime(weights, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    try:
        assert cache_key(polar_model) != key  # new weights are exported anew
    finally:
        os.utime(weights, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def test_star_model_scores_follow_the_expected_stars(models_dir: Path) -> None:
    targets = [{0: 0, 1: 2, 2: 4}[target] for _, target in TRAINING]
    directory = build_model(
        models_dir / "tiny-stars", id2label=STAR_NAMES, targets=targets, steps=60
    )
    scorer = TransformerScorer(model=directory, quantize="none")
    texts = [text for text, _ in TRAINING] + MIXED
    results = scorer(texts)
    probs = np.array(scorer.probabilities(texts))
    stars = probs @ np.arange(1, 6)
    scores = np.array([result.score for result in results])
    assert ((scores >= -1) & (scores <= 1)).all()
    assert np.allclose(scores, (stars - 3) / 2, atol=1e-4)
    assert scores.max() > 0.5 and scores.min() < -0.5  # trained: the extremes are used
    by_stars = np.argsort(stars)
    assert (np.diff(scores[by_stars]) >= -1e-4).all()
    assert {result.label for result in results[:4]} == {"positive"}
    assert {result.label for result in results[4:8]} == {"negative"}
    for result, row in zip(results[:8], probs[:8], strict=True):
        # Confidence: the probability of the stars that agree with the label.
        agreeing = row[3:].sum() if result.label == "positive" else row[:2].sum()
        assert result.confidence == pytest.approx(agreeing, abs=1e-4)


def test_unnamed_two_label_model_reads_as_negative_positive(models_dir: Path) -> None:
    directory = build_model(
        models_dir / "tiny-default", id2label={0: "LABEL_0", 1: "LABEL_1"}, targets=None
    )
    scorer = TransformerScorer(model=directory, quantize="none")
    results = scorer(MIXED)
    probs = np.array(scorer.probabilities(MIXED))
    assert [result.score for result in results] == pytest.approx(
        probs[:, 1] - probs[:, 0], abs=1e-4
    )
    assert scorer.label_map.source == "default order"


def test_explicit_labels_override_the_names(models_dir: Path, polar_model: Path) -> None:
    directory = build_model(models_dir / "tiny-moods", id2label={0: "boos", 1: "blij"}, seed=1)
    with pytest.raises(ModelLoadError, match="boos, blij"):
        TransformerScorer(model=directory, quantize="none")(["Prima"])
    mapped = TransformerScorer(
        model=directory, quantize="none", labels={"boos": "negative", "blij": "positive"}
    )
    probs = np.array(mapped.probabilities(MIXED))
    assert [r.score for r in mapped(MIXED)] == pytest.approx(probs[:, 1] - probs[:, 0], abs=1e-4)
    plain = TransformerScorer(model=polar_model, quantize="none")
    flipped = TransformerScorer(
        model=polar_model,
        quantize="none",
        labels={"negative": "positive", "neutral": "neutral", "positive": "negative"},
    )
    assert [r.score for r in flipped(MIXED)] == [-r.score for r in plain(MIXED)]
    with pytest.raises(ModelLoadError, match="positive"):
        TransformerScorer(
            model=polar_model, quantize="none", labels={"negative": "negative"}
        ).load()


def test_missing_directory_or_base_model_is_a_clear_error(tmp_path: Path) -> None:
    missing = tmp_path / "geen-model"
    with pytest.raises(ModelLoadError, match="not found") as caught:
        TransformerScorer(model=missing)(["Prima"])
    assert str(missing) in str(caught.value)
    base = tmp_path / "base"
    config = RobertaConfig(
        hidden_size=32, num_hidden_layers=1, num_attention_heads=2, intermediate_size=64
    )
    RobertaModel(config).save_pretrained(base)
    with pytest.raises(ModelLoadError, match="not a sequence-classification"):
        TransformerScorer(model=base).load()


@pytest.mark.parametrize(
    ("names", "values", "graded"),
    [
        (["NEG", "neu", "Pos"], (-1.0, 0.0, 1.0), False),
        (["positive", "negative"], (1.0, -1.0), False),
        (["1", "2", "3", "4", "5"], (-1.0, -0.5, 0.0, 0.5, 1.0), True),
        (
            ["Very Negative", "Negative", "Neutral", "Positive", "Very Positive"],
            (-1.0, -0.5, 0.0, 0.5, 1.0),
            True,
        ),
        (["LABEL_0", "LABEL_1", "LABEL_2"], (-1.0, 0.0, 1.0), False),
    ],
)
def test_label_names_map_to_the_scale(
    names: list[str], values: tuple[float, ...], graded: bool
) -> None:
    mapping = label_map(dict(enumerate(names)))
    assert mapping.values == values and mapping.graded == graded


@pytest.mark.parametrize("names", [["LABEL_0", "LABEL_1", "LABEL_2", "LABEL_3"], ["0", "1"]])
def test_label_names_that_say_nothing_are_refused(names: list[str]) -> None:
    with pytest.raises(LabelMappingError, match="labels="):
        label_map(dict(enumerate(names)))


def test_onnx_without_onnxruntime_says_what_to_install(
    polar_model: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # import onnxruntime -> ImportError
    scorer = TransformerScorer(model=polar_model, quantize="onnx-int8", cache_dir=tmp_path)
    with pytest.raises(ModelLoadError, match=r"onnxruntime.*quantize='int8'"):
        scorer(["Prima"])
    assert not scorer.loaded and not any(tmp_path.iterdir())
