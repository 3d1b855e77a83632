"""How fast TransformerScorer scores Dutch texts with a RoBERTa-base-sized model on two CPU threads,
against a naive per-text transformers pipeline, and how closely its int8 variants agree with fp32.

    .venv/bin/python bench/transformers_speed.py [--data DIR] [--count 512] [--batch-size 16]

Protocol: a byte-level BPE tokenizer (32,000 tokens) trained on the bol.com book reviews and the
political tweets; a RobertaForSequenceClassification of RoBERTa-base size (768 wide, 12 layers,
12 heads, 3 labels), randomly initialised with a fixed seed and saved to a temporary directory;
512 texts drawn from the same files with a fixed seed, truncated at 256 tokens;
torch.set_num_threads(2) and two ONNX Runtime threads; the scorers in length-sorted batches of
16. Each row gets a warm-up call on 8 texts first; loading, quantizing and the ONNX export are
setup, reported apart, not in the throughput. Agreement and the largest probability difference
are against the fp32 scorer ("none"). A random model's classes lie close together, so its
argmax flips more easily than a trained one's. The "others" column says how busy the rest of
the machine was: two threads on two cores slow down badly when a third process wants one.
"""

from __future__ import annotations

# ruff: noqa: E402  (the imports follow the path fix below)
import os
import sys
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parents[1])
os.environ["HF_HUB_OFFLINE"] = "1"  # the model is built here; nothing is downloaded

import argparse
import csv
import random
import resource
import tempfile
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import torch
from tokenizers import ByteLevelBPETokenizer, processors
from transformers import (
    PreTrainedTokenizerFast,
    RobertaConfig,
    RobertaForSequenceClassification,
    pipeline,
)
from transformers.utils import logging as hf_logging

from sentiment.transformer import TransformerScorer

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "sentiment"
SOURCES = {"bolcom_book_reviews.csv": "text", "political_tweets.csv": "text"}
COUNT = 512
SEED = 2026
THREADS = 2
BATCH_SIZE = 16  # on two threads 16 ran about 12% faster than the scorer's default of 32
MAX_LENGTH = 256
VOCAB = 32_000
LABELS = {0: "negative", 1: "neutral", 2: "positive"}
SPECIAL = ["<s>", "<pad>", "</s>", "<unk>", "<mask>"]


def read_texts(data: Path = DATA) -> list[str]:
    texts = []
    for name, column in SOURCES.items():
        with (data / name).open(encoding="utf-8", newline="") as handle:
            texts += [" ".join(row[column].split()) for row in csv.DictReader(handle)]
    return [text for text in texts if text]


def sample_texts(count: int = COUNT, data: Path = DATA) -> list[str]:
    return random.Random(SEED).sample(read_texts(data), count)


def build_model(directory: Path, corpus: list[str]) -> Path:
    """A RoBERTa-base-sized classifier with a tokenizer trained on ``corpus``, saved."""
    tokenizer = ByteLevelBPETokenizer()
    tokenizer.train_from_iterator(
        corpus, vocab_size=VOCAB, min_frequency=1, special_tokens=SPECIAL, show_progress=False
    )
    tokenizer.post_processor = processors.RobertaProcessing(("</s>", 2), ("<s>", 0))
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tokenizer,
        bos_token="<s>",
        eos_token="</s>",
        cls_token="<s>",
        sep_token="</s>",
        pad_token="<pad>",
        unk_token="<unk>",
        mask_token="<mask>",
        model_max_length=512,
    )
    torch.manual_seed(SEED)
    config = RobertaConfig(
        vocab_size=tokenizer.get_vocab_size(),
        hidden_size=768,
        num_hidden_layers=12,
        num_attention_heads=12,
        intermediate_size=3072,
        max_position_embeddings=514,
        pad_token_id=fast.pad_token_id,
        num_labels=len(LABELS),
        id2label=LABELS,
        label2id={label: index for index, label in LABELS.items()},
    )
    RobertaForSequenceClassification(config).save_pretrained(directory)
    fast.save_pretrained(directory)
    return directory


def cpu_watch() -> Callable[[], float | None]:
    """Start watching; the function returned tells how many CPU cores other processes (and the
    hypervisor) used meanwhile, on average, or None where /proc/stat cannot be read. Two threads
    on two cores slow down far more than half when a third process wants one of them."""

    def busy() -> float | None:
        try:
            fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]
        except OSError:
            return None
        user, nice, system, _, _, irq, softirq, steal = map(int, fields)
        ticks = user + nice + system + irq + softirq + steal
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return ticks / os.sysconf("SC_CLK_TCK") - usage.ru_utime - usage.ru_stime

    started, before = time.perf_counter(), busy()

    def others() -> float | None:
        after = busy()
        if before is None or after is None:
            return None
        return max(0.0, (after - before) / (time.perf_counter() - started))

    return others


Timed = tuple[np.ndarray, float, float, float | None]  # probabilities, seconds, setup, others


def naive(directory: Path, texts: list[str]) -> Timed:
    """A text-classification pipeline called once per text."""
    started = time.perf_counter()
    classify = pipeline("text-classification", model=str(directory), device="cpu")
    setup = time.perf_counter() - started
    label2id = {label: index for index, label in LABELS.items()}

    def run(text: str) -> list[float]:
        scores = classify(text, truncation=True, max_length=MAX_LENGTH, top_k=None)
        row = [0.0] * len(LABELS)
        for item in scores:
            row[label2id[item["label"]]] = item["score"]
        return row

    for text in texts[:8]:
        run(text)
    others = cpu_watch()
    started = time.perf_counter()
    probs = np.array([run(text) for text in texts])
    return probs, time.perf_counter() - started, setup, others()


def scored(scorer: TransformerScorer, texts: list[str]) -> Timed:
    """The scorer's probabilities; its setup is loading, quantizing and exporting."""
    started = time.perf_counter()
    scorer.load()
    setup = time.perf_counter() - started
    scorer.probabilities(texts[:8])
    others = cpu_watch()
    started = time.perf_counter()
    probs = np.array(scorer.probabilities(texts))
    return probs, time.perf_counter() - started, setup, others()


def measure(
    texts: list[str] | None = None, *, data: Path = DATA, batch_size: int = BATCH_SIZE
) -> list[dict[str, Any]]:
    """One row per way of scoring: texts/s, speed-up over the naive loop, argmax agreement with
    fp32 (%), the largest absolute probability difference from fp32, setup seconds, and the CPU
    cores other processes used during the timed part (None where unknown)."""
    texts = texts if texts is not None else sample_texts(COUNT, data)
    torch.set_num_threads(THREADS)
    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()
    results: dict[str, Timed] = {}
    with tempfile.TemporaryDirectory(prefix="bench-transformers-") as work:
        directory = build_model(Path(work) / "roberta-base-random", read_texts(data))
        results["naive pipeline, per text"] = naive(directory, texts)
        for quantize in ("none", "int8", "onnx-int8"):
            scorer = TransformerScorer(
                model=directory,
                quantize=quantize,
                batch_size=batch_size,
                max_length=MAX_LENGTH,
                threads=THREADS,
                cache_dir=Path(work) / "onnx",
            )
            results[f"TransformerScorer {quantize}"] = scored(scorer, texts)
    reference = results["TransformerScorer none"][0]
    naive_rate = len(texts) / results["naive pipeline, per text"][1]
    rows = []
    for name, (probs, seconds, setup, others) in results.items():
        rate = len(texts) / seconds
        rows.append(
            {
                "name": name,
                "texts_per_s": rate,
                "speedup": rate / naive_rate,
                "agreement": 100 * float(np.mean(probs.argmax(1) == reference.argmax(1))),
                "max_prob_diff": float(np.abs(probs - reference).max()),
                "seconds": seconds,
                "setup_s": setup,
                "other_cpu": others,
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--count", type=int, default=COUNT)
    parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
    args = parser.parse_args()
    texts = sample_texts(args.count, args.data)
    rows = measure(texts, data=args.data, batch_size=args.batch_size)
    print(
        f"{len(texts)} texts, {THREADS} threads, RoBERTa-base size, max {MAX_LENGTH} tokens, "
        f"batches of {args.batch_size}"
    )
    header = f"{'scorer':<30} {'texts/s':>8} {'speed-up':>9} {'argmax=fp32':>12} "
    print(header + f"{'max |dp|':>9} {'setup s':>8} {'others':>7}")
    for row in rows:
        others = "?" if row["other_cpu"] is None else f"{row['other_cpu']:.2f}"
        print(
            f"{row['name']:<30} {row['texts_per_s']:>8.1f} {row['speedup']:>8.1f}x "
            f"{row['agreement']:>11.1f}% {row['max_prob_diff']:>9.4f} {row['setup_s']:>8.1f} "
            f"{others:>7}"
        )
    print("setup: pipeline or model load; int8 adds quantizing; onnx-int8 adds export + quantize")
    print(f"others: CPU cores other processes used while timed (of {os.cpu_count()}); above ~0.1")
    print("the machine was shared and the slowdown hits the per-text loop hardest")


if __name__ == "__main__":
    main()
