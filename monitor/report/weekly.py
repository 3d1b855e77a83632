"""The report's figures per week, for the charts: two GROUP BYs over the chart period."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Integer, and_, case, cast, func, literal, select
from sqlmodel import Session

from monitor.models import Review, Score, ScoreAspect, UTCDateTime
from monitor.queries import current_score

CHART_ASPECTS = 5


@dataclass
class Weekly:
    """Per week (oldest first): week starts, average stars, sentiment counts, complaint aspects."""

    starts: list[date]
    stars: list[float | None]
    positive: list[int]
    neutral: list[int]
    negative: list[int]
    aspects: dict[str, list[int]] = field(default_factory=dict)


def _week_index(session: Session, start: datetime) -> Any:
    """The week (0 = the oldest) a review came in, counted in whole weeks from ``start``."""
    moment = literal(start, UTCDateTime())
    if session.get_bind().dialect.name == "sqlite":
        days = func.julianday(Review.received_at) - func.julianday(moment)
        return cast(days / 7, Integer)
    seconds = func.extract("epoch", Review.received_at - moment)
    return cast(func.floor(seconds / (7 * 86400)), Integer)


def weekly(session: Session, now: datetime, weeks: int, zone: ZoneInfo) -> Weekly:
    """Rating, sentiment and complaint aspects per week for the charts, from two GROUP BYs."""
    start = now - timedelta(weeks=weeks)
    week = _week_index(session, start).label("week")
    totals = (
        select(
            week,
            func.avg(case((Review.channel == "review", 1 + 4 * Review.rating_norm), else_=None)),
            func.sum(case((Score.label == "positive", 1), else_=0)),
            func.sum(case((Score.label == "neutral", 1), else_=0)),
            func.sum(case((Score.label == "negative", 1), else_=0)),
        )
        .select_from(Review)
        .outerjoin(Score, current_score())
        .where(Review.received_at >= start, Review.received_at < now)
        .group_by(week)
    )
    result = Weekly(
        starts=[(start + timedelta(weeks=n)).astimezone(zone).date() for n in range(weeks)],
        stars=[None] * weeks,
        positive=[0] * weeks,
        neutral=[0] * weeks,
        negative=[0] * weeks,
    )
    for index, stars, positive, neutral, negative in session.exec(totals).all():
        if index is None or not 0 <= int(index) < weeks:
            continue
        n = int(index)
        result.stars[n] = None if stars is None else round(float(stars), 2)
        result.positive[n], result.neutral[n] = int(positive or 0), int(neutral or 0)
        result.negative[n] = int(negative or 0)
    aspect_week = _week_index(session, start).label("week")
    per_aspect = (
        select(aspect_week, ScoreAspect.aspect, func.count())
        .join(Review, Review.id == ScoreAspect.review_id)
        .join(Score, and_(current_score(), Score.content_hash == ScoreAspect.content_hash))
        .where(
            Score.kind == "complaint",
            ScoreAspect.content_hash == Review.content_hash,
            Review.received_at >= start,
            Review.received_at < now,
        )
        .group_by(aspect_week, ScoreAspect.aspect)
    )
    counts: dict[str, list[int]] = {}
    for index, aspect, count in session.exec(per_aspect).all():
        if index is not None and 0 <= int(index) < weeks:
            counts.setdefault(aspect, [0] * weeks)[int(index)] += int(count)
    top = sorted(counts, key=lambda aspect: -sum(counts[aspect]))[:CHART_ASPECTS]
    result.aspects = {aspect: counts[aspect] for aspect in top}
    rest = [sum(counts[a][n] for a in counts if a not in top) for n in range(weeks)]
    if any(rest):
        result.aspects["overig"] = rest
    return result
