"""Queries the stages and the CLI share; keyword-only; the pipeline or the caller commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, exists, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col

from monitor.config import Settings, SourceConfig
from monitor.db import in_chunks
from monitor.errors import NotFound
from monitor.models import (
    Draft,
    Flag,
    Review,
    Run,
    RunStep,
    Score,
    ScoreAspect,
    Shop,
    Source,
    utcnow,
)
from sentiment.flags import Finding

REPLY_KINDS = ("complaint", "compliment", "question")
# A brand mention in a feed is read, scored and reported, but answered elsewhere, if at all.
REPLY_CHANNELS = ("review", "mail")


def insert_or_ignore(session: Session, model: Any, index: Sequence[str]) -> Any:
    module = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return module.insert(model.__table__).on_conflict_do_nothing(index_elements=list(index))


# ---------------------------------------------------------------- shared conditions


def received_at() -> Any:
    """When a review or mail came in: its publication time, else when reviewwacht first saw it
    (a column of its own, kept by the store, so periods are index ranges)."""
    return Review.received_at


def current_score() -> Any:
    """Join condition: the score of the review's current version (its content hash)."""
    return and_(Score.review_id == Review.id, Score.content_hash == Review.content_hash)


def handled() -> Any:
    """A person has dealt with the review: a reply was approved, posted or given another way (for
    any version), or the draft for its current version was rejected."""
    return exists().where(
        Draft.review_id == Review.id,
        or_(
            col(Draft.status).in_(("approved", "posted", "answered")),
            and_(Draft.status == "rejected", Draft.content_hash == Review.content_hash),
        ),
    )


def unanswered() -> Any:
    """Still waiting for an answer: not answered at the source, not gone from it, not handled."""
    return and_(col(Review.reply_text).is_(None), col(Review.removed_at).is_(None), ~handled())


# ---------------------------------------------------------------- shop and sources


def ensure_shop(*, session: Session, settings: Settings) -> Shop:
    """The installation's shop, created on first use and kept in step with the configuration."""
    shop = session.exec(select(Shop).order_by(Shop.id).limit(1)).scalars().first()
    if shop is None:
        shop = Shop(slug="shop", name=settings.shop.name)
        session.add(shop)
    shop.name = settings.shop.name
    shop.domain = settings.shop.domain
    shop.timezone = settings.shop.timezone
    session.flush()
    return shop


def ensure_sources(
    *, session: Session, shop_id: int, sources: Sequence[SourceConfig]
) -> dict[str, int]:
    """The id of each configured source (by label), created when new."""
    existing = {
        source.label: source
        for source in session.exec(select(Source).where(Source.shop_id == shop_id)).scalars()
    }
    for config in sources:
        source = existing.get(config.label)
        if source is None:
            source = Source(shop_id=shop_id, label=config.label, type=config.type)
            session.add(source)
            existing[config.label] = source
        source.type = config.type
    session.flush()
    return {label: source.id for label, source in existing.items() if source.id is not None}


def source_successes(*, session: Session) -> dict[str, datetime | None]:
    """When each known source (by label) last completed a collection."""
    rows = session.exec(select(Source.label, Source.last_success_at)).all()
    return {label: last for label, last in rows}


def mark_removed(
    *, session: Session, source_id: int, seen: set[str], now: datetime
) -> tuple[list[int], int]:
    """After a full resync: mark the source's reviews it no longer shows as removed (never
    delete them) and clear the mark of those that are back. Returns the ids of the newly
    removed, and how many came back."""
    rows = session.exec(
        select(Review.id, Review.external_id, Review.removed_at).where(
            Review.source_id == source_id
        )
    ).all()
    gone = [row.id for row in rows if row.external_id not in seen and row.removed_at is None]
    back = [row.id for row in rows if row.external_id in seen and row.removed_at is not None]
    for ids, value in ((gone, now), (back, None)):
        for chunk in in_chunks(ids):
            session.exec(update(Review).where(col(Review.id).in_(chunk)).values(removed_at=value))
    return gone, len(back)


# ---------------------------------------------------------------- scoring


def _unscored_filter() -> Any:
    return ~exists().where(current_score())


def count_unscored(*, session: Session) -> int:
    return session.exec(select(func.count()).select_from(Review).where(_unscored_filter())).one()[0]


def unscored_reviews(*, session: Session, limit: int, after_id: int = 0) -> list[Any]:
    """Reviews whose current version has no score yet, in id order from ``after_id``."""
    query = (
        select(Review.id, Review.content_hash, Review.title, Review.text, Review.rating_norm)
        .where(_unscored_filter(), Review.id > after_id)
        .order_by(Review.id)
        .limit(limit)
    )
    return list(session.exec(query).all())


def save_scores(*, session: Session, rows: list[dict[str, Any]]) -> None:
    """Store scores, and each score's aspects as rows of their own (for counting in SQL)."""
    if not rows:
        return
    session.exec(insert_or_ignore(session, Score, ["review_id", "content_hash"]), params=rows)
    aspects = [
        {"review_id": row["review_id"], "content_hash": row["content_hash"], "aspect": name}
        for row in rows
        for name in row.get("aspects") or {}
    ]
    if aspects:
        keys = ["review_id", "content_hash", "aspect"]
        session.exec(insert_or_ignore(session, ScoreAspect, keys), params=aspects)


# ---------------------------------------------------------------- flags


def unchecked_scores(*, session: Session, limit: int) -> list[Any]:
    """Scores the per-review flag checks have not looked at yet."""
    query = (
        select(
            Score.id, Score.review_id, Score.content_hash, Score.disagreement, Score.text_score,
            Review.rating_norm, Review.author,
        )
        .join(Review, Review.id == Score.review_id)
        .where(col(Score.flags_checked_at).is_(None))
        .order_by(Score.id)
        .limit(limit)
    )  # fmt: skip
    return list(session.exec(query).all())


def mark_checked(*, session: Session, score_ids: Sequence[int], now: datetime) -> None:
    for chunk in in_chunks(score_ids):
        session.exec(update(Score).where(col(Score.id).in_(chunk)).values(flags_checked_at=now))


def add_flag(*, session: Session, shop_id: int, finding: Finding) -> bool:
    """Store a finding unless the same pattern (kind and key) was flagged before."""
    row = {
        "shop_id": shop_id,
        "kind": finding.kind,
        "key": finding.key,
        "severity": finding.severity,
        "title": finding.title,
        "explanation": finding.explanation,
        "action": finding.action,
        "evidence": finding.evidence,
        "status": "open",
        "created_at": utcnow(),
    }
    result = session.exec(insert_or_ignore(session, Flag, ["shop_id", "kind", "key"]), params=[row])
    return bool(result.rowcount)


# ---------------------------------------------------------------- reviews and status


def list_reviews(
    *, session: Session, search: str | None, channel: str | None, limit: int
) -> list[tuple[Review, Source, Score | None]]:
    query = (
        select(Review, Source, Score)
        .join(Source, Source.id == Review.source_id)
        .outerjoin(Score, current_score())
    )
    if search:
        pattern = f"%{search.lower()}%"
        query = query.where(
            or_(
                func.lower(Review.text).like(pattern),
                func.lower(func.coalesce(Review.title, "")).like(pattern),
                func.lower(func.coalesce(Review.author, "")).like(pattern),
            )
        )
    if channel:
        query = query.where(Review.channel == channel)
    query = query.order_by(col(Review.received_at).desc(), col(Review.id).desc())
    return [tuple(row) for row in session.exec(query.limit(limit)).all()]  # type: ignore[misc]


def get_review(*, session: Session, review_id: int) -> Review:
    review = session.get(Review, review_id)
    if review is None:
        raise NotFound(f"Review {review_id} bestaat niet.")
    return review


def recent_runs(*, session: Session, limit: int) -> list[tuple[Run, list[RunStep]]]:
    runs = list(session.exec(select(Run).order_by(col(Run.id).desc()).limit(limit)).scalars())
    if not runs:
        return []
    steps = session.exec(
        select(RunStep)
        .where(col(RunStep.run_id).in_([run.id for run in runs]))
        .order_by(RunStep.id)
    ).scalars()
    by_run: dict[int, list[RunStep]] = {}
    for step in steps:
        by_run.setdefault(step.run_id, []).append(step)
    return [(run, by_run.get(run.id or 0, [])) for run in runs]


def table_counts(*, session: Session) -> dict[str, int]:
    """Totals for `reviewwacht status`."""

    def count(query: Any) -> int:
        return int(session.exec(query).one()[0])

    return {
        "reviews": count(
            select(func.count()).select_from(Review).where(Review.channel == "review")
        ),
        "mails": count(select(func.count()).select_from(Review).where(Review.channel == "mail")),
        "pending": count(select(func.count()).select_from(Draft).where(Draft.status == "pending")),
        "approved": count(
            select(func.count()).select_from(Draft).where(Draft.status == "approved")
        ),
        "flags": count(select(func.count()).select_from(Flag).where(Flag.status == "open")),
    }


def rated_texts(*, session: Session) -> list[tuple[str | None, str, float]]:
    """(title, text, normalised rating) of every public review with a rating and a text, for
    adapting the sentiment model to the shop; removed reviews are left out."""
    query = (
        select(Review.title, Review.text, Review.rating_norm)
        .where(
            Review.channel == "review",
            col(Review.rating_norm).is_not(None),
            Review.text != "",
            col(Review.removed_at).is_(None),
        )
        .order_by(col(Review.id))
    )
    return [(title, text, norm) for title, text, norm in session.exec(query).all()]
