"""Reading labelled files: ratings per scale, evaluation CSVs with unknown labels left out."""

from __future__ import annotations

from pathlib import Path

import pytest

from sentiment.corpus import rating_label, read_handwritten, read_labelled_csv

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("stars", "low", "high", "label"),
    [
        (1, 1, 5, "negative"), (2, 1, 5, "negative"), (3, 1, 5, "neutral"),
        (4, 1, 5, "positive"), (5, 1, 5, "positive"),
        (4, 1, 10, "negative"), (5, 1, 10, "neutral"), (6, 1, 10, "neutral"),
        (7, 1, 10, "positive"), (0, 0, 10, "negative"), (5, 0, 10, "neutral"),
    ],
)  # fmt: skip
def test_ratings_become_labels_per_scale(stars: float, low: float, high: float, label: str) -> None:
    assert rating_label((stars - low) / (high - low)) == label


def test_evaluation_csv_labels_and_leftovers(tmp_path: Path) -> None:
    path = tmp_path / "eval.csv"
    path.write_text(
        "text,label\nTop!,pos\nSlecht,NEG\nGaat wel,neutral\nHm,mixed\nOk,positive\nX,\n,pos\n",
        encoding="utf-8",
    )
    examples, skipped = read_labelled_csv(path)
    assert [(e.text, e.label) for e in examples] == [
        ("Top!", "positive"), ("Slecht", "negative"), ("Gaat wel", "neutral"), ("Ok", "positive"),
    ]  # fmt: skip
    assert skipped == {"mixed": 1, "": 1}


def test_evaluation_csv_needs_its_columns(tmp_path: Path) -> None:
    path = tmp_path / "eval.csv"
    path.write_text("tekst,oordeel\nTop!,pos\n", encoding="utf-8")
    with pytest.raises(ValueError, match="'text' and 'label'"):
        read_labelled_csv(path)


def test_the_handwritten_webshop_examples_read() -> None:
    examples = read_handwritten(REPO / "data" / "model" / "webshop-examples.tsv")
    assert len(examples) > 50
    assert {e.label for e in examples} == {"negative", "neutral", "positive"}
