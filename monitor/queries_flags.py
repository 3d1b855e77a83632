"""The queries of the pattern flags: the shop's recent reviews as records, earlier findings, and
dismissing a flag."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session, col

from monitor.errors import NotFound, ReviewwachtError
from monitor.models import Flag, Review, Score, Source
from monitor.queries import current_score, handled
from monitor.stages.score import scoring_text
from sentiment.flags import Finding, ReviewRecord


def flag_records(*, session: Session, shop_id: int, since: datetime) -> list[ReviewRecord]:
    """Every review and mail received since ``since``, with what its current score says, in the
    order received. Removed reviews count: a wave that the platform took down was still a wave."""
    query = (
        select(
            Review.id, Source.label, Review.received_at, Review.rating_norm, Review.title,
            Review.text, Review.author, Review.author_reviews, Review.contact, Review.reply_text,
            Score.kind,
            Score.aspects, handled().label("handled"),
        )
        .join(Source, Source.id == Review.source_id)
        .outerjoin(Score, current_score())
        .where(Source.shop_id == shop_id, Review.received_at >= since)
        .order_by(col(Review.received_at), col(Review.id))
    )  # fmt: skip
    records = []
    for row in session.exec(query).all():
        (review_id, source, received, rating, title, text, author, author_reviews, contact, reply,
         kind, aspects, done) = row  # fmt: skip
        records.append(
            ReviewRecord(
                review_id=review_id,
                source=source,
                received_at=received,
                rating_norm=rating,
                text=scoring_text(title, text),
                author=author,
                author_reviews=author_reviews,
                aspects=tuple(aspects or ()),
                customer=contact or (f"{source}:{author}" if author else None),
                complaint=kind == "complaint",
                answered=bool(reply) or bool(done),
            )
        )
    return records


def earlier_findings(*, session: Session, shop_id: int, since: datetime) -> list[Finding]:
    """The flags stored since ``since`` (open or dismissed), to compare new findings with."""
    query = select(Flag).where(Flag.shop_id == shop_id, Flag.created_at >= since)
    return [
        Finding(kind=f.kind, key=f.key, severity=f.severity, title=f.title,
                explanation=f.explanation, action=f.action, evidence=f.evidence or {})
        for f in session.exec(query).scalars()
    ]  # fmt: skip


def list_flags(*, session: Session, include_closed: bool = False) -> list[Flag]:
    query = select(Flag).order_by(col(Flag.created_at).desc(), col(Flag.id).desc())
    if not include_closed:
        query = query.where(Flag.status == "open")
    return list(session.exec(query).scalars())


def dismiss_flag(*, session: Session, flag_id: int, reason: str, by: str, now: datetime) -> Flag:
    """Close a flag with the owner's reason; it is kept, and the same pattern is not told again."""
    flag = session.get(Flag, flag_id)
    if flag is None:
        raise NotFound(f"Signaal {flag_id} bestaat niet.")
    if not reason.strip():
        raise ReviewwachtError("Geef een reden op: waarom is dit signaal geen actie waard?")
    flag.status = "dismissed"
    flag.dismissed_reason = reason.strip()
    flag.dismissed_by = by
    flag.dismissed_at = now
    session.add(flag)
    return flag
