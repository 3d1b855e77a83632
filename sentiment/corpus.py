"""The labelled Dutch texts the embedded model learns from, read from ../shared/data/sentiment."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sentiment.types import Label

# Each file, what kind of text it holds, and how its labels read as ours. Review sources are the
# ones a model is judged on (leave one out); the others only teach.
REVIEW_SOURCES = ("bolcom", "bever", "earphone")
FILES = {
    "bolcom": "bolcom_book_reviews.csv",
    "bever": "bever_pros_cons.csv",
    "earphone": "earphone_reviews_stars.csv",
    "tweets": "political_tweets.csv",
    "subtitles": "xed_nl_subtitles.csv",
}
LABELS: dict[str, Label] = {
    "pos": "positive", "positive": "positive", "neg": "negative", "negative": "negative",
    "neu": "neutral", "neutral": "neutral",
}  # fmt: skip
# A cons field answered with "nothing": labelled negative by where it stood, not by what it says.
NON_ANSWERS = frozenset(
    {"geen", "nvt", "n.v.t", "nee", "neen", "-", "niks", "niets", "nog niet", "nee, nog niet",
     "geen idee", "geen minpunten", "nog geen", "niet gevonden", "niet ontdekt", "geen nadelen"}
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Example:
    """One labelled text and the source it came from."""

    text: str
    label: Label
    source: str


def rating_label(share: float) -> Label:
    """A rating as a label, from where it lies on its scale (0 lowest, 1 highest): of 5 stars 1-2
    are negative, 3 neutral, 4-5 positive; of 1-10, 1-4 negative, 5-6 neutral, 7-10 positive."""
    if share < 0.4:
        return "negative"
    return "positive" if share > 0.6 else "neutral"


def is_non_answer(text: str) -> bool:
    return text.strip().strip(".!").lower() in NON_ANSWERS


def _rows(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def read_source(directory: Path, source: str, *, non_answers: bool = False) -> list[Example]:
    """Every usable example of one source. Bever's non-answers ("geen", "nvt") are left out unless
    asked for: they carry no sentiment. XED's "mixed/other" lines are left out: tried as neutral,
    they made the model worse on bever.nl's reviews (macro-F1 0.790 -> 0.777)."""
    path = directory / FILES[source]
    found: list[Example] = []
    for row in _rows(path):
        if source == "bolcom":
            text, label = row["text"], LABELS.get(row["polarity"])
        elif source == "bever":
            text, label = row["text"], LABELS.get(row["label"])
            if is_non_answer(text) and not non_answers:
                continue
        elif source == "earphone":
            text, label = row["Product_review"], rating_label((float(row["Star_rating"]) - 1) / 4)
        elif source == "tweets":
            text, label = row["text"], LABELS.get(row["polarity"])
        else:
            text, label = row["text"], LABELS.get(row["derived_polarity"])
        text = " ".join(text.split())
        if label and text:
            found.append(Example(text=text, label=label, source=source))
    return found


def read_all(directory: Path) -> list[Example]:
    """All sources, in a fixed order."""
    return [example for source in FILES for example in read_source(directory, source)]


def read_handwritten(path: Path) -> list[Example]:
    """The webshop examples written for reviewwacht (label, tab, text; # starts a comment)."""
    found: list[Example] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#") or "\t" not in line:
                continue
            label, text = line.rstrip("\n").split("\t", 1)
            found.append(Example(text=text, label=LABELS[label], source="webshop"))
    return found


def read_labelled_csv(path: Path) -> tuple[list[Example], Counter[str]]:
    """A file to evaluate on: columns text and label (pos/neg/neutral or positive/negative/
    neutral, any case). Rows with another label are counted and left out, not guessed."""
    found: list[Example] = []
    skipped: Counter[str] = Counter()
    for row in _rows(path):
        if "text" not in row or "label" not in row:
            raise ValueError(f"{path}: the columns 'text' and 'label' are needed")
        raw = (row["label"] or "").strip()
        label = LABELS.get(raw.lower())
        if label is None:
            skipped[raw] += 1
        elif (row["text"] or "").strip():
            found.append(Example(text=row["text"], label=label, source=path.stem))
    return found, skipped
