"""`sentiment train`: the shipped model from the labelled files, measured source by source."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sentiment.corpus import FILES, read_all, read_handwritten
from sentiment.evaluation import Fold, leave_one_source_out
from sentiment.lexicon import load_lexicon
from sentiment.training import fit

MODEL_NAME = "ngram-nl-1"


class TrainingDataMissing(FileNotFoundError):
    """The labelled files are not where they were looked for (the message says where)."""


@dataclass(frozen=True, slots=True)
class Trained:
    features: int
    seconds: float
    folds: list[Fold]


def fold_table(folds: list[Fold]) -> list[str]:
    head = f"{'bron (niet getraind)':22}{'n':>6}{'acc':>7}{'macro-F1':>10}"
    lines = [f"{head}{'neg-rec':>9}{'neg-prec':>10}"]
    for fold in folds:
        f = fold.figures
        lines.append(
            f"{fold.source:22}{f.n:>6}{f.accuracy:>7.3f}{f.macro_f1:>10.3f}"
            f"{f.neg_recall:>9.3f}{f.neg_precision:>10.3f}"
        )
    return lines


def train_shipped(
    data_dir: Path,
    *,
    out: Path,
    lexicon_path: Path,
    handwritten: Path,
    evaluate: bool = True,
    say: Callable[[str], None] = lambda line: None,
) -> Trained:
    """Train on every file (and the handwritten webshop examples), save to ``out``; first, unless
    ``evaluate`` is off, measure with each review source held out in turn."""
    missing = [name for name in FILES.values() if not (data_dir / name).is_file()]
    if missing:
        raise TrainingDataMissing(
            f"De trainingsbestanden staan niet in {data_dir} (mist: {', '.join(missing)}); "
            "geef de map met --data."
        )
    started = time.perf_counter()
    lexicon = load_lexicon(lexicon_path)
    examples = read_all(data_dir)
    always = read_handwritten(handwritten)
    folds: list[Fold] = []
    if evaluate:
        say("Meten: per reviewbron een model zonder die bron, getest op die bron ...")
        folds = leave_one_source_out(
            examples, lexicon=lexicon, always=always, progress=lambda s: say(f"  zonder {s}")
        )
        for line in fold_table(folds):
            say(line)
    say(f"Trainen op alle {len(examples) + len(always):,} teksten ...")
    model = fit([*examples, *always], lexicon=lexicon)
    model.meta["name"] = MODEL_NAME
    model.save(out)
    return Trained(len(model.vocabulary), time.perf_counter() - started, folds)
