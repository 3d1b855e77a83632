"""Copies: near-identical review texts within a shop, found by MinHash over 3-word shingles.

Signatures are computed with numpy (30 hash functions over 3-word shingles), candidates come from
locality-sensitive hashing (10 bands of 3), and every candidate pair is checked on its real
shingle sets, so a reported pair is never a hashing accident.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from zlib import crc32

import numpy as np

from sentiment.flags import Finding, ReviewRecord

WORD = re.compile(r"[a-zà-ÿ0-9]+")
HASHES = 30
BANDS = 10  # of 3 rows: a pair with similarity 0.7 is a candidate with chance 0.985, 0.2: 0.08
MAX_BUCKET = 50  # more alike texts than this in one bucket: the first fifty make the point
ROWS = HASHES // BANDS
MASK = np.uint64(0xFFFFFFFF)
CHUNK = 4000  # texts per numpy pass: keeps the hash matrix near 50 MB
_RANDOM = np.random.default_rng(20261124)
_A = _RANDOM.integers(1, 2**32 - 1, size=HASHES, dtype=np.uint64) | np.uint64(1)
_B = _RANDOM.integers(0, 2**32 - 1, size=HASHES, dtype=np.uint64)
_MIX = _RANDOM.integers(1, 2**63 - 1, size=HASHES // BANDS, dtype=np.uint64)


@dataclass(frozen=True, slots=True)
class CopySettings:
    min_words: int = 8  # "Top winkel, aanrader!" written twice is two customers, not a copy
    similarity: float = 0.7  # Jaccard similarity of the shingle sets
    min_group: int = 2


@lru_cache(maxsize=200_000)  # the daily run compares the same recent texts again
def shingles(text: str) -> frozenset[int]:
    words = WORD.findall(text.lower())
    return frozenset(crc32(" ".join(words[i : i + 3]).encode()) for i in range(len(words) - 2))


def signatures(sets: Sequence[frozenset[int]]) -> np.ndarray:
    """The MinHash signature (HASHES values) of each non-empty shingle set."""
    out = np.empty((len(sets), HASHES), dtype=np.uint64)
    for start in range(0, len(sets), CHUNK):
        chunk = sets[start : start + CHUNK]
        sizes = np.fromiter((len(s) for s in chunk), dtype=np.int64, count=len(chunk))
        values = np.fromiter((v for s in chunk for v in s), dtype=np.uint64, count=int(sizes.sum()))
        hashed = (values[:, None] * _A + _B) & MASK
        starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
        out[start : start + len(chunk)] = np.minimum.reduceat(hashed, starts, axis=0)
    return out


def candidates(signature: np.ndarray) -> set[tuple[int, int]]:
    """Pairs of rows that agree on all the values of at least one band."""
    pairs: set[tuple[int, int]] = set()
    for band in range(BANDS):
        part = signature[:, band * ROWS : (band + 1) * ROWS]
        keys = (part * _MIX).sum(axis=1)  # one 64-bit key per row and band (wrapping)
        order = np.argsort(keys, kind="stable")
        ordered = keys[order]
        starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
        ends = np.r_[starts[1:], len(ordered)]
        for start, end in zip(starts[ends - starts > 1], ends[ends - starts > 1], strict=True):
            members = sorted(order[start : min(end, start + MAX_BUCKET)].tolist())
            pairs.update((a, b) for k, b in enumerate(members) for a in members[:k])
    return pairs


def _groups(pairs: list[tuple[int, int]], count: int) -> list[list[int]]:
    parent = list(range(count))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in pairs:
        parent[root(a)] = root(b)
    members: dict[int, list[int]] = defaultdict(list)
    for i in {i for pair in pairs for i in pair}:
        members[root(i)].append(i)
    return [sorted(group) for group in members.values()]


def copies(
    records: Sequence[ReviewRecord], *, settings: CopySettings = CopySettings()
) -> list[Finding]:
    """Groups of reviews whose texts are nearly the same; one finding per group."""
    kept = [r for r in records if len(WORD.findall(r.text.lower())) >= settings.min_words]
    sets = [shingles(r.text) for r in kept]
    kept = [r for r, s in zip(kept, sets, strict=True) if s]
    sets = [s for s in sets if s]
    if len(kept) < 2:
        return []
    pairs = candidates(signatures(sets))
    confirmed = [
        (i, j)
        for i, j in pairs
        if len(sets[i] & sets[j]) >= settings.similarity * len(sets[i] | sets[j])
    ]
    return [
        _finding([kept[i] for i in group])
        for group in _groups(confirmed, len(kept))
        if len(group) >= settings.min_group
    ]


def _finding(group: list[ReviewRecord]) -> Finding:
    group = sorted(group, key=lambda r: (r.received_at, r.review_id))
    authors = {r.author for r in group if r.author}
    sources = sorted({r.source for r in group})
    same_author = len(authors) <= 1
    where = ", ".join(sources)
    if same_author:
        explanation = (
            f"{len(group)} reviews op {where} hebben bijna dezelfde tekst en lijken van dezelfde "
            "schrijver: vaak een klant die dezelfde review op meer plekken of twee keer plaatste."
        )
        action = "Geen actie nodig als het om één klant gaat; beantwoord de review één keer."
        severity = "info"
    else:
        explanation = (
            f"{len(group)} reviews op {where} van {len(authors)} verschillende namen hebben bijna "
            "dezelfde tekst. Echte klanten schrijven zelden zo gelijk: het kunnen gekopieerde of "
            "gekochte reviews zijn, of een sjabloon dat iemand rondstuurde."
        )
        action = (
            "Meld de reviews bij het platform als u denkt dat ze niet van echte klanten komen; "
            "beschuldig niemand in een openbare reactie."
        )
        severity = "warning"
    first = group[0]
    return Finding(
        kind="copies",
        key=f"{first.review_id}",
        severity=severity,
        title="Bijna dezelfde reviewtekst meerdere keren",
        explanation=explanation,
        action=action,
        evidence={
            "reviews": len(group),
            "authors": len(authors),
            "sources": sources,
            "review_ids": [r.review_id for r in group],
            "example": first.text[:200],
        },
    )
