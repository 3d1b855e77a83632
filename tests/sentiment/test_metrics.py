"""Accuracy, macro-F1 over the labels the gold data has, negative recall and precision."""

from __future__ import annotations

import pytest

from sentiment.metrics import figures


def test_figures_by_hand() -> None:
    gold = ["negative", "negative", "negative", "positive", "positive", "neutral"]
    pred = ["negative", "negative", "positive", "positive", "negative", "neutral"]
    result = figures(gold, pred)  # type: ignore[arg-type]
    assert result.n == 6
    assert result.accuracy == pytest.approx(4 / 6)
    assert result.neg_recall == pytest.approx(2 / 3)
    assert result.neg_precision == pytest.approx(2 / 3)
    # F1: negative 2/3, positive 1/2, neutral 1
    assert result.macro_f1 == pytest.approx((2 / 3 + 1 / 2 + 1) / 3)
    assert result.confusion["negative"] == {"negative": 2, "neutral": 0, "positive": 1}
    assert result.as_json() == {
        "accuracy": 0.6667, "macro_f1": 0.7222, "neg_recall": 0.6667,
        "neg_precision": 0.6667, "n": 6,
    }  # fmt: skip


def test_a_file_without_neutral_texts_is_judged_on_two_labels() -> None:
    result = figures(["negative", "positive"], ["neutral", "positive"])
    assert set(result.confusion) == {"negative", "positive"}
    assert result.macro_f1 == pytest.approx((0 + 1) / 2)  # positive: one right, none wrong
    assert result.neg_recall == 0
    assert result.neg_precision == 0  # nothing predicted negative: no division by zero


def test_lengths_must_match() -> None:
    with pytest.raises(ValueError, match="length"):
        figures(["negative"], [])
