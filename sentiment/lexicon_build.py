"""Build the shipped Dutch polarity lexicon from the two public word lists and our own additions.

    python -m sentiment.lexicon_build ../shared/data/sentiment data/model

Pattern's adjective senses (PDDL) are averaged per word form; Glender's list (MIT, -2..2) fills in
the words Pattern lacks; ``lexicon-extra.tsv`` (written for reviewwacht) adds webshop words and
multi-word phrases and overrides both.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path


def build(source_dir: Path, extra: Path) -> dict[str, float]:
    senses: dict[str, list[float]] = {}
    with (source_dir / "lexicon_pattern_nl.tsv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            senses.setdefault(row["form"].lower(), []).append(float(row["polarity"]))
    words = {form: sum(values) / len(values) for form, values in senses.items()}
    with (source_dir / "lexicon_glender.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            words.setdefault(row["word"].lower(), float(row["score"]) / 2)
    with extra.open(encoding="utf-8") as handle:
        for row in csv.reader(handle, delimiter="\t"):
            if row and not row[0].startswith("#"):
                words[row[0].lower()] = float(row[1])
    # A word without polarity is left out; a phrase is kept even at 0, because it stops its own
    # words from being read apart ("per ongeluk" is not an accident).
    return {
        word: round(value, 3)
        for word, value in sorted(words.items())
        if abs(value) >= 0.05 or " " in word
    }


def main(argv: list[str]) -> None:
    source_dir, out_dir = Path(argv[0]), Path(argv[1])
    words = build(source_dir, out_dir / "lexicon-extra.tsv")
    with (out_dir / "lexicon-nl.tsv").open("w", encoding="utf-8", newline="") as handle:
        handle.write("# word\tpolarity (-1..1); built by sentiment.lexicon_build; see MODEL.md\n")
        for word, value in words.items():
            handle.write(f"{word}\t{value}\n")
    print(f"{len(words)} entries written to {out_dir / 'lexicon-nl.tsv'}")  # noqa: T201


if __name__ == "__main__":
    main(sys.argv[1:])
