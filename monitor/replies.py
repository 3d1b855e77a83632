"""The life of a reply in the database: drafts waiting for a person, and the dates the approved
wording promises (reminders). What a person decides about a draft is in ``monitor.decisions``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import case, exists, func, insert, or_, select, update
from sqlmodel import Session, col

from drafts.compose import is_named
from monitor import audit
from monitor.db import in_chunks
from monitor.errors import InvalidTransition, NotFound
from monitor.models import Draft, Reminder, Review, Score, utcnow
from monitor.queries import (
    REPLY_CHANNELS,
    REPLY_KINDS,
    current_score,
    insert_or_ignore,
    received_at,
    unanswered,
)

# ---------------------------------------------------------------- drafts


def reviews_needing_draft(
    *, session: Session, since: datetime, limit: int, after_id: int = 0
) -> list[Any]:
    """Complaints, compliments and questions received since ``since`` that are unanswered and
    whose current version has no draft yet."""
    drafted = exists().where(
        Draft.review_id == Review.id, Draft.content_hash == Review.content_hash
    )
    query = (
        select(Review, Score)
        .join(Score, current_score())
        .where(
            col(Score.kind).in_(REPLY_KINDS),
            col(Review.channel).in_(REPLY_CHANNELS),
            unanswered(),
            ~drafted,
            received_at() >= since,
            Review.id > after_id,
        )
        .order_by(Review.id)
        .limit(limit)
    )
    return list(session.exec(query).all())


def earlier_contacts(*, session: Session, reviews: Sequence[Review]) -> dict[int, int]:
    """How many other reviews and mails each customer sent this shop: by the same name at the
    same source, or (mails) from the same address. A name like "Klant" is nobody in particular."""
    counts: dict[int, int] = {}
    by_name = {(r.source_id, r.author) for r in reviews if r.author and is_named(r.author)}
    by_contact = {r.contact.lower() for r in reviews if r.contact}
    names: dict[tuple[int, str], int] = {}
    contacts: dict[str, int] = {}
    for chunk in in_chunks(sorted({author for _, author in by_name})):
        query = (
            select(Review.source_id, Review.author, func.count())
            .where(col(Review.author).in_(chunk))
            .group_by(Review.source_id, Review.author)
        )
        for source_id, author, count in session.exec(query).all():
            names[(source_id, author)] = count
    for chunk in in_chunks(sorted(by_contact)):
        query = (
            select(func.lower(Review.contact), func.count())
            .where(func.lower(Review.contact).in_(chunk))
            .group_by(func.lower(Review.contact))
        )
        contacts.update({contact: count for contact, count in session.exec(query).all()})
    for review in reviews:
        total = max(
            names.get((review.source_id, review.author or ""), 1),
            contacts.get((review.contact or "").lower(), 1),
        )
        counts[review.id] = total - 1  # type: ignore[index]
    return counts


def supersede_stale_drafts(*, session: Session, review_ids: Sequence[int]) -> None:
    """Pending drafts that no longer answer their review (its text changed, the shop replied at
    the source, or it is gone) lapse, so they can neither be listed as waiting nor approved."""
    stale = or_(
        Draft.content_hash != Review.content_hash,
        col(Review.reply_text).is_not(None),
        col(Review.removed_at).is_not(None),
    )
    for chunk in in_chunks(review_ids):
        lapsed = (
            select(Draft.id)
            .join(Review, Review.id == Draft.review_id)
            .where(col(Draft.review_id).in_(chunk), Draft.status == "pending", stale)
        )
        session.exec(update(Draft).where(col(Draft.id).in_(lapsed)).values(status="superseded"))


def add_draft(
    *,
    session: Session,
    review_id: int,
    content_hash: str,
    kind: str,
    text: str,
    followup: Any,
    writer: str = "templates",
) -> None:
    """Store a new draft; an older pending draft for an earlier version of the review is
    superseded (it answers a text the customer has since changed)."""
    session.exec(
        update(Draft)
        .where(Draft.review_id == review_id, Draft.status == "pending")
        .values(status="superseded")
    )
    draft_id = session.exec(
        insert(Draft.__table__)  # type: ignore[attr-defined]
        .values(
            review_id=review_id,
            content_hash=content_hash,
            kind=kind,
            status="pending",
            text=text,
            followup_date=followup,
            writer=writer,
            created_at=utcnow(),
        )
        .returning(Draft.__table__.c.id)  # type: ignore[attr-defined]
    ).one()[0]
    who = "reviewwacht (taalmodel)" if writer == "llm" else "reviewwacht (sjablonen)"
    audit.record(
        session=session, actor=who, action="drafted", draft_id=draft_id, review_id=review_id
    )


def get_draft(*, session: Session, draft_id: int) -> Draft:
    draft = session.get(Draft, draft_id)
    if draft is None:
        raise NotFound(f"Concept {draft_id} bestaat niet.")
    return draft


STATUS_WORDS = {
    "pending": "openstaand",
    "approved": "goedgekeurd",
    "rejected": "afgewezen",
    "posted": "geplaatst",
    "answered": "elders beantwoord",
    "superseded": "vervallen (de review veranderde, kreeg al antwoord of is weg)",
}


def list_drafts(*, session: Session, status: str | None, limit: int) -> list[tuple[Draft, Review]]:
    query = select(Draft, Review).join(Review, Review.id == Draft.review_id)
    if status:
        query = query.where(Draft.status == status)
    urgency = case(
        (Draft.kind == "complaint", 0), (Draft.kind == "question", 1), else_=2
    )  # complaints first, each group oldest first: the 24-hour promise runs out there first
    query = query.order_by(urgency, received_at(), Draft.id).limit(limit)
    return [(draft, review) for draft, review in session.exec(query).all()]


# ---------------------------------------------------------------- promises


def approved_drafts_unread(*, session: Session, limit: int) -> list[tuple[Draft, str | None]]:
    """Approved or posted replies whose wording has not been read for promised dates yet."""
    query = (
        select(Draft, Review.author)
        .join(Review, Review.id == Draft.review_id)
        .where(col(Draft.status).in_(("approved", "posted")), col(Draft.promises_read_at).is_(None))
        .order_by(Draft.id)
        .limit(limit)
    )
    return [(draft, author) for draft, author in session.exec(query).all()]


def add_reminders(
    *, session: Session, reminders: Sequence[tuple[Draft, date, str, str | None]], now: datetime
) -> int:
    """Store a reminder per promised date, once per reply and date."""
    rows = [
        {
            "draft_id": draft.id,
            "review_id": draft.review_id,
            "due_date": due,
            "what": what,
            "status": "open",
            "created_at": now,
        }
        for draft, due, what, _ in reminders
    ]
    if not rows:
        return 0
    statement = insert_or_ignore(session, Reminder, ["draft_id", "due_date"])
    # RETURNING counts what was really added (executemany's rowcount is -1 on PostgreSQL).
    return len(session.exec(statement.returning(Reminder.__table__.c.id), params=rows).all())


def mark_promises_read(*, session: Session, draft_ids: Sequence[int], now: datetime) -> None:
    for chunk in in_chunks(draft_ids):
        session.exec(update(Draft).where(col(Draft.id).in_(chunk)).values(promises_read_at=now))


def list_reminders(*, session: Session, include_done: bool) -> list[tuple[Reminder, Review]]:
    query = select(Reminder, Review).join(Review, Review.id == Reminder.review_id)
    if not include_done:
        query = query.where(Reminder.status == "open")
    query = query.order_by(Reminder.due_date, Reminder.id)
    return [(reminder, review) for reminder, review in session.exec(query).all()]


def finish_reminder(*, session: Session, reminder_id: int, by: str, now: datetime) -> Reminder:
    reminder = session.get(Reminder, reminder_id)
    if reminder is None:
        raise NotFound(f"Herinnering {reminder_id} bestaat niet.")
    if reminder.status == "done":
        raise InvalidTransition(f"Herinnering {reminder_id} is al afgerond.")
    reminder.status = "done"
    reminder.done_by = by
    reminder.done_at = now
    return reminder
