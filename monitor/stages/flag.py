"""Flag: look for patterns worth the owner's attention and store each one once."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlmodel import Session

from monitor.config_schema import FlagSettings
from monitor.db import session_scope
from monitor.queries import add_flag, mark_checked, rated_reviews, unchecked_scores
from monitor.runlog import StepLog
from sentiment.flags import Finding, RatedReview, mismatch, polarization


def run_flag(
    *,
    engine: Engine,
    shop_id: int,
    settings: FlagSettings,
    batch_size: int,
    step: StepLog,
    now: datetime,
    zone: ZoneInfo,
) -> None:
    """Per-review checks on new scores, then the window checks; each pattern is stored once."""
    new_flags = 0
    with session_scope(engine) as session:
        while rows := unchecked_scores(session=session, limit=batch_size):
            for row in rows:
                if row.disagreement and row.rating_norm is not None and row.text_score is not None:
                    finding = mismatch(
                        review_id=row.review_id,
                        content_hash=row.content_hash,
                        rating_norm=row.rating_norm,
                        text_score=row.text_score,
                        author=row.author,
                    )
                    new_flags += add_flag(session=session, shop_id=shop_id, finding=finding)
            mark_checked(session=session, score_ids=[row.id for row in rows], now=now)
            session.commit()
            step.processed += len(rows)

        for days in sorted({settings.shift_days, settings.window_days}):
            finding = _polarization(session, shop_id, settings, now=now, zone=zone, days=days)
            if finding is not None:
                new_flags += add_flag(session=session, shop_id=shop_id, finding=finding)
        session.commit()
    step.new = new_flags


def _polarization(
    session: Session,
    shop_id: int,
    settings: FlagSettings,
    *,
    now: datetime,
    zone: ZoneInfo,
    days: int,
) -> Finding | None:
    """Polarization in the last ``days``, against the shop's own reviews before that."""
    window_start = now - timedelta(days=days)
    baseline_start = window_start - timedelta(days=settings.baseline_days)
    window = rated_reviews(session=session, shop_id=shop_id, start=window_start, end=now)
    baseline = rated_reviews(
        session=session, shop_id=shop_id, start=baseline_start, end=window_start
    )
    return polarization(
        [RatedReview(review_id, norm) for review_id, norm in window],
        [norm for _, norm in baseline],
        window_end=now.astimezone(zone).date(),  # the shop's week, not UTC's
        window_days=days,
        min_reviews=settings.min_reviews,
        extreme_share=settings.extreme_share,
        min_side_share=settings.min_side_share,
        min_increase=settings.min_increase,
    )
