"""The scorer on the embedded model: ``scorer(texts) -> list[Sentiment]``, loaded once, lazily."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sentiment.aspects import find_aspects
from sentiment.lexicon import is_mixed, kind_of, load_lexicon
from sentiment.ngram import CLASSES, NgramModel, Reading
from sentiment.types import Sentiment

WITHOUT_OPINION = 0.1  # the most confidence a text without any opinion word gets
BATCH = 256  # texts per matrix product: large enough to be fast, small enough to stay lean


class EmbeddedScorer:
    """The n-gram model in ``model_path`` with the lexicon it was trained with."""

    def __init__(self, model_path: Path, lexicon_path: Path) -> None:
        self.model_path = model_path
        self.lexicon_path = lexicon_path
        self._model: NgramModel | None = None

    @property
    def model(self) -> NgramModel:
        if self._model is None:
            self._model = NgramModel.load(self.model_path, lexicon=load_lexicon(self.lexicon_path))
        return self._model

    @property
    def model_name(self) -> str:
        return str(self.model.meta.get("name") or self.model_path.stem)

    def __call__(self, texts: Sequence[str]) -> list[Sentiment]:
        results: list[Sentiment] = []
        for start in range(0, len(texts), BATCH):
            chunk = texts[start : start + BATCH]
            for text, reading in zip(chunk, self.model.read(chunk), strict=True):
                results.append(self._sentiment(text, reading))
        return results

    def _sentiment(self, text: str, reading: Reading) -> Sentiment:
        if not reading.known and not reading.opinion_words:  # empty, a number, gibberish
            return Sentiment(label="neutral", score=0.0, confidence=0.0, kind=kind_of(text, 0.0),
                             aspects=find_aspects(text), language="nl", text_score=0.0,
                             model=self.model_name)  # fmt: skip
        row = reading.probabilities
        negative, _, positive = row
        score = round(positive - negative, 4)
        best = max(range(len(CLASSES)), key=row.__getitem__)
        opinionated = reading.opinion_words > 0
        mixed = reading.opinion_words >= 2 and is_mixed(text, self.model.lexicon)
        # Without a single opinion word the label rests on word habits alone ("Ik heb de pan
        # ontvangen" leans negative because such words fill complaints): too weak to contradict
        # a rating, and half as strong when deciding whether the text is a complaint.
        confidence = row[best] if opinionated else min(row[best], WITHOUT_OPINION)
        return Sentiment(
            label=CLASSES[best],
            score=score,
            confidence=round(confidence, 4),
            kind=kind_of(text, score if opinionated else score / 2, mixed=mixed),
            aspects=find_aspects(text),
            language="nl",
            text_score=score,
            mixed=mixed,
            model=self.model_name,
        )
