"""Score: give every review version without a score its sentiment, kind and aspects."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Engine

from monitor.db import session_scope
from monitor.models import utcnow
from monitor.progress import progress
from monitor.queries import count_unscored, save_scores, unscored_reviews
from monitor.runlog import StepLog
from sentiment import with_rating
from sentiment.types import Sentiment

Scorer = Callable[[Sequence[str]], list[Sentiment]]


def scoring_text(title: str | None, text: str) -> str:
    """What the model reads: the title (when the text does not start with it) and the text."""
    if title and not text.startswith(title):
        return f"{title}. {text}" if text else title
    return text


def _score_row(row: Any, sentiment: Sentiment, now: datetime) -> dict[str, Any]:
    return {
        "review_id": row.id,
        "content_hash": row.content_hash,
        "label": sentiment.label,
        "score": sentiment.score,
        "confidence": sentiment.confidence,
        "text_score": sentiment.text_score,
        "rating_score": sentiment.rating_score,
        "disagreement": sentiment.disagreement,
        "language": sentiment.language,
        "kind": sentiment.kind,
        "aspects": sentiment.aspects,
        "model": sentiment.model,
        "created_at": now,
    }


def run_score(
    *, engine: Engine, scorer: Scorer, batch_size: int, mismatch_gap: float, step: StepLog
) -> None:
    """Score in committed chunks of ``batch_size``; a crash keeps the chunks already scored."""
    with (
        session_scope(engine) as session,
        progress("Scoren", lambda: count_unscored(session=session)) as bar,
    ):
        after_id = 0
        while rows := unscored_reviews(session=session, limit=batch_size, after_id=after_id):
            texts = [scoring_text(row.title, row.text) for row in rows]
            now = utcnow()
            scores = [
                _score_row(
                    row, with_rating(sentiment, row.rating_norm, text, gap=mismatch_gap), now
                )
                for row, text, sentiment in zip(rows, texts, scorer(texts), strict=True)
            ]
            save_scores(session=session, rows=scores)
            session.commit()
            after_id = rows[-1].id
            step.processed += len(rows)
            bar.update(len(rows))
