"""What the web app's pages read: the inbox of drafts by urgency with its filters, and one draft
beside its review, score, flags, the customer's earlier contacts, its post and its history."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, exists, func, or_, select
from sqlmodel import Session, col

from drafts.compose import is_named
from monitor.audit import events
from monitor.models import DiscountCode, Draft, Flag, Review, Score, ScoreAspect, Source
from monitor.models_web import AuditEvent, ReplyPost
from monitor.queries import get_review
from monitor.replies import get_draft

# Which drafts each role works on: marketing answers compliments and questions, never
# complaints (refunds and compensation are the owner's call) and never sees flags.
ROLE_KINDS = {
    "owner": ("complaint", "question", "compliment"),
    "marketing": ("compliment", "question"),
}
# The inbox's tabs: which drafts each shows.
VIEWS = {
    "todo": ("pending",),
    "outgoing": ("approved",),
    "done": ("posted", "rejected", "answered"),
}
PAGE = 50


@dataclass(frozen=True)
class Filters:
    """The inbox's filters; empty values mean all."""

    view: str = "todo"
    source: str = ""
    kind: str = ""
    aspect: str = ""
    stars: int | None = None


@dataclass
class InboxRow:
    draft: Draft
    review: Review
    source: str
    score: Score | None
    post: ReplyPost | None
    deadline: datetime


@dataclass
class DraftPage:
    """Everything the page of one draft shows."""

    draft: Draft
    review: Review
    source: str
    score: Score | None
    post: ReplyPost | None
    flags: list[Flag] = field(default_factory=list)
    earlier: list[Review] = field(default_factory=list)
    trail: list[AuditEvent] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)


def stars_range(stars: int) -> tuple[float, float]:
    """The rating_norm (0..1) range that shows as ``stars`` out of five."""
    return (stars - 1.5) / 4, (stars - 0.5) / 4


def _where(filters: Filters, kinds: tuple[str, ...]) -> list[Any]:
    conditions: list[Any] = [
        col(Draft.kind).in_(kinds),
        col(Draft.status).in_(VIEWS.get(filters.view, VIEWS["todo"])),
    ]
    if filters.kind:
        conditions.append(Draft.kind == filters.kind)
    if filters.source:
        conditions.append(Source.label == filters.source)
    if filters.aspect:
        conditions.append(
            exists().where(
                ScoreAspect.review_id == Review.id,
                ScoreAspect.content_hash == Draft.content_hash,
                ScoreAspect.aspect == filters.aspect,
            )
        )
    if filters.stars is not None:
        low, high = stars_range(filters.stars)
        conditions.append(and_(Review.rating_norm >= low, Review.rating_norm < high))
    return conditions


def inbox(
    *,
    session: Session,
    role: str,
    filters: Filters,
    promise_hours: int,
    limit: int = PAGE,
    offset: int = 0,
) -> tuple[list[InboxRow], int]:
    """A page of drafts, the most urgent first: complaints, then questions, then compliments,
    each oldest first (the 24-hour promise runs out there first); and how many there are."""
    kinds = ROLE_KINDS[role]
    where = _where(filters, kinds)

    def narrow(columns: Any) -> Any:
        """Drafts joined only to what the filters need (the source for its label)."""
        query = select(columns).select_from(Draft).join(Review, Review.id == Draft.review_id)
        if filters.source:
            query = query.join(Source, Source.id == Review.source_id)
        return query.where(*where)

    total = session.exec(narrow(func.count())).one()[0]
    urgency = case((Draft.kind == "complaint", 0), (Draft.kind == "question", 1), else_=2)
    newest_first = filters.view == "done"
    order = (
        (col(Draft.decided_at).desc(), col(Draft.id).desc())
        if newest_first
        else (urgency, Review.received_at, Draft.id)
    )
    # The page's ids first, from the narrow join: sorting the wide rows (texts, scores) of every
    # waiting draft only to keep fifty made the last pages slow.
    page = narrow(Draft.id).order_by(*order).limit(limit).offset(offset)
    query = (
        select(Draft, Review, Source.label, Score, ReplyPost)
        .join(Review, Review.id == Draft.review_id)
        .join(Source, Source.id == Review.source_id)
        .outerjoin(
            Score, and_(Score.review_id == Review.id, Score.content_hash == Draft.content_hash)
        )
        .outerjoin(ReplyPost, ReplyPost.draft_id == Draft.id)
        .where(col(Draft.id).in_(page.scalar_subquery()))
        .order_by(*order)
    )
    promise = timedelta(hours=promise_hours)
    rows = [
        InboxRow(draft, review, label, score, post, review.received_at + promise)
        for draft, review, label, score, post in session.exec(query).all()
    ]
    return rows, total


def filter_choices(*, session: Session) -> dict[str, list[str]]:
    """The sources and aspects there are to filter on."""
    sources = session.exec(select(Source.label).order_by(Source.label)).scalars().all()
    aspects = session.exec(
        select(ScoreAspect.aspect).distinct().order_by(ScoreAspect.aspect)
    ).scalars()
    return {"sources": list(sources), "aspects": list(aspects)}


def _flags_about(session: Session, review_id: int) -> list[Flag]:
    """Open flags whose evidence names this review."""
    found = []
    for flag in session.exec(select(Flag).where(Flag.status == "open")).scalars():
        ids = (flag.evidence or {}).get("review_ids") or []
        if review_id in ids or flag.key.startswith(f"{review_id}:"):
            found.append(flag)
    return found


def _earlier(session: Session, review: Review, limit: int = 10) -> list[Review]:
    """The customer's other reviews and mails to this shop, newest first."""
    same: list[Any] = []
    if review.author and is_named(review.author):
        same.append(and_(Review.source_id == review.source_id, Review.author == review.author))
    if review.contact:
        same.append(Review.contact == review.contact.lower())  # stored in lower case
    if not same:
        return []
    query = (
        select(Review)
        .where(or_(*same), Review.id != review.id)
        .order_by(col(Review.received_at).desc())
        .limit(limit)
    )
    return list(session.exec(query).scalars())


def draft_page(*, session: Session, draft_id: int, role: str) -> DraftPage:
    draft = get_draft(session=session, draft_id=draft_id)
    review = get_review(session=session, review_id=draft.review_id)
    source = session.get(Source, review.source_id)
    score = (
        session.exec(
            select(Score).where(
                Score.review_id == review.id, Score.content_hash == draft.content_hash
            )
        )
        .scalars()
        .first()
    )
    post = session.exec(select(ReplyPost).where(ReplyPost.draft_id == draft.id)).scalars().first()
    codes = session.exec(select(DiscountCode.code).where(DiscountCode.review_id == review.id))
    return DraftPage(
        draft=draft,
        review=review,
        source=source.label if source else "",
        score=score,
        post=post,
        flags=_flags_about(session, review.id) if role == "owner" else [],  # type: ignore[arg-type]
        earlier=_earlier(session, review),
        trail=events(session=session, draft_id=draft.id),
        codes=list(codes.scalars()),
    )
