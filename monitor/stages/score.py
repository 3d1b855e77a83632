"""Score: give every review version without a score its sentiment, kind and aspects."""

from __future__ import annotations

from sqlalchemy import Engine

from monitor.db import session_scope
from monitor.models import utcnow
from monitor.progress import progress
from monitor.queries import count_unscored, save_scores, unscored_reviews
from monitor.runlog import StepLog
from sentiment import with_rating
from sentiment.types import Sentiment


def scoring_text(title: str | None, text: str) -> str:
    """What the model reads: the title (when the text does not start with it) and the text."""
    if title and not text.startswith(title):
        return f"{title}. {text}" if text else title
    return text


def run_score(
    *, engine: Engine, scorer, batch_size: int, mismatch_gap: float, step: StepLog
) -> None:
    """Score in committed chunks of ``batch_size``; a crash keeps the chunks already scored."""
    with session_scope(engine) as session:
        bar = progress(count_unscored(session=session), "Scoren")
        after_id = 0
        while rows := unscored_reviews(session=session, limit=batch_size, after_id=after_id):
            texts = [scoring_text(row.title, row.text) for row in rows]
            sentiments: list[Sentiment] = scorer(texts)
            now = utcnow()
            scores = []
            for row, text, sentiment in zip(rows, texts, sentiments, strict=True):
                combined = with_rating(sentiment, row.rating_norm, text, gap=mismatch_gap)
                scores.append(
                    {
                        "review_id": row.id,
                        "content_hash": row.content_hash,
                        "label": combined.label,
                        "score": combined.score,
                        "confidence": combined.confidence,
                        "text_score": combined.text_score,
                        "rating_score": combined.rating_score,
                        "disagreement": combined.disagreement,
                        "language": combined.language,
                        "kind": combined.kind,
                        "aspects": combined.aspects,
                        "model": combined.model,
                        "created_at": now,
                    }
                )
            save_scores(session=session, rows=scores)
            session.commit()
            after_id = rows[-1].id
            step.processed += len(rows)
            bar.update(len(rows))
        bar.close()
