"""The Dutch tone check for reply texts: no blame, ego, sarcasm, shouting, vague promises, review
requests or (in public) personal data, each found with a reason a shop owner understands."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass

from drafts.tone_patterns import (
    ACRONYMS,
    PATTERNS,
    PERSONAL_DATA,
    SHOUT_CAPS,
    SHOUT_COUNT,
    Pattern,
)

RULES = (
    "blame",
    "ego",
    "sarcasm",
    "shouting",
    "vague_promise",
    "review_request",
    "personal_data",
)
# A sentence ends at ".", "!" or "?" before a space, or at a line break; not after "3 dec.".
SENTENCE_END = re.compile(r"(?<![.!?])[.!?]+(?=\s)|\n")
ABBREVIATED_MONTH = re.compile(
    r"\d\s*(?:jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec)$", re.IGNORECASE
)
CHUNK = re.compile(r"[\w-]+")  # a word with its hyphenated parts: "SORRY-7KQ2M9XT", "USB-C"
MAX_EXCLAMATIONS = 2


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing a reply may not say: the rule, a Dutch reason, and the words that triggered it."""

    rule: str
    reason: str
    excerpt: str


@dataclass(frozen=True, slots=True)
class ToneResult:
    """The problems found in a reply, in the order they appear in the text."""

    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems

    def explain(self) -> str:
        """The reasons, one per line; empty when the reply is fine."""
        return "\n".join(problem.reason for problem in self.problems)


@dataclass(frozen=True, slots=True)
class _Hit:
    start: int
    end: int
    rule: str
    reason: str


class _Sentences:
    """The spans of a text's sentences, to look up the sentence around a position."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.ends: list[int] = []
        for match in SENTENCE_END.finditer(text):
            if match.group() == "." and ABBREVIATED_MONTH.search(
                text, max(0, match.start() - 12), match.start()
            ):
                continue
            self.ends.append(match.end())
        self.ends.append(len(text))

    def start_of(self, position: int) -> int:
        index = bisect.bisect_right(self.ends, position)
        return self.ends[index - 1] if index > 0 else 0

    def around(self, start: int, end: int) -> tuple[int, int]:
        last = bisect.bisect_left(self.ends, end)
        return self.start_of(start), self.ends[min(last, len(self.ends) - 1)]


def _allowed_spans(text: str, allowed: Iterable[str]) -> list[tuple[int, int]]:
    """Where the shop's own strings (its e-mail, phone, discount code) stand in the text."""
    items = {item.strip() for item in allowed if item and item.strip()}
    return [
        match.span()
        for item in items
        for match in re.finditer(re.escape(item), text, re.IGNORECASE)
    ]


def _overlaps(start: int, end: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(start < span_end and span_start < end for span_start, span_end in spans)


class _Claims:
    """Non-overlapping spans of text, kept sorted, that one rule has already reported."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        index = bisect.bisect_left(self.starts, end)  # the spans before it start before ``end``
        return index > 0 and self.ends[index - 1] > start

    def add(self, start: int, end: int) -> None:
        index = bisect.bisect_left(self.starts, start)
        self.starts.insert(index, start)
        self.ends.insert(index, end)


def _matches(
    text: str, patterns: Iterable[Pattern], sentences: _Sentences, skip: list[tuple[int, int]]
) -> list[_Hit]:
    """Every match of the patterns that its sentence does not excuse; within a rule, the first
    pattern to claim a piece of text keeps it."""
    hits: list[_Hit] = []
    claimed: dict[str, _Claims] = {}
    excused: dict[tuple[str, int, int], bool] = {}  # (pattern, sentence span): "unless" found
    for pattern in patterns:
        for match in pattern.regex.finditer(text):
            start, end = match.span()
            excerpt = match.group().strip()
            if not excerpt or _overlaps(start, end, skip):
                continue
            claims = claimed.setdefault(pattern.rule, _Claims())
            if claims.overlaps(start, end):
                continue
            if pattern.unless:
                begin, stop = sentences.around(start, end)
                key = (pattern.unless.pattern, begin, stop)
                if key not in excused:
                    excused[key] = bool(pattern.unless.search(sentences.text, begin, stop))
                if excused[key]:
                    continue
            claims.add(start, end)
            hits.append(_Hit(start, end, pattern.rule, pattern.reason))
    return hits


def _capitals(text: str, allowed: list[tuple[int, int]]) -> list[_Hit]:
    """Words in capitals: two or more of 3+ letters, or one of 5+, counted over the reply and
    reported per run of consecutive capitals. Acronyms, codes with digits and the shop's own
    strings do not count."""
    caps: list[tuple[int, int, bool]] = []  # a word in capitals, and whether it counts (3+)
    for chunk in CHUNK.finditer(text):
        if any(char.isdigit() for char in chunk.group()) or _overlaps(*chunk.span(), allowed):
            continue
        offset = chunk.start()
        for part in chunk.group().split("-"):
            if len(part) >= 2 and part.isalpha() and part.isupper() and part not in ACRONYMS:
                caps.append((offset, offset + len(part), len(part) >= 3))
            offset += len(part) + 1
    counted = [end - start for start, end, counts in caps if counts]
    if len(counted) < 2 and not any(length >= 5 for length in counted):
        return []
    runs: list[tuple[int, int, bool]] = []
    for start, end, counts in caps:
        if runs and not text[runs[-1][1] : start].strip(" ,"):
            runs[-1] = (runs[-1][0], end, runs[-1][2] or counts)
        else:
            runs.append((start, end, counts))
    return [_Hit(start, end, "shouting", SHOUT_CAPS) for start, end, counts in runs if counts]


def _exclamations(text: str, sentences: _Sentences) -> list[_Hit]:
    """More than two exclamation marks in one reply, when no "!!" already says so."""
    marks = [index for index, char in enumerate(text) if char == "!"]
    if len(marks) <= MAX_EXCLAMATIONS or "!!" in text:
        return []
    third = marks[MAX_EXCLAMATIONS]
    return [_Hit(sentences.start_of(third), third + 1, "shouting", SHOUT_COUNT)]


def check_tone(text: str, *, public: bool = True, allowed: Iterable[str] = ()) -> ToneResult:
    """The problems in a Dutch reply. ``public``: a reply under a review (personal data is not
    allowed); a private mail may hold it. ``allowed``: the shop's own strings (its e-mail address,
    phone number, discount code, street address), which are neither personal data nor shouting."""
    sentences = _Sentences(text)
    own = _allowed_spans(text, allowed)
    hits = _matches(text, PATTERNS, sentences, skip=[])
    hits += _capitals(text, own)
    hits += _exclamations(text, sentences)
    if public:
        hits += _matches(text, PERSONAL_DATA, sentences, skip=own)
    hits.sort(key=lambda hit: (hit.start, RULES.index(hit.rule), hit.end))
    problems: list[Problem] = []
    seen: set[tuple[str, str]] = set()
    for hit in hits:
        excerpt = text[hit.start : hit.end].strip()
        if (hit.rule, excerpt.casefold()) in seen:
            continue
        seen.add((hit.rule, excerpt.casefold()))
        problems.append(Problem(hit.rule, hit.reason.replace("{excerpt}", excerpt), excerpt))
    return ToneResult(tuple(problems))
