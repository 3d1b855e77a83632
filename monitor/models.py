"""The database tables (SQLModel). Times are stored as UTC and come back timezone-aware.

Customer mails share the ``review`` table (``channel = "mail"``): every stage after collection
(scoring, flags, drafts, approval, the 24-hour promise, the report) treats a complaint the same
whether it came as a public review or a private mail, so one table keeps one query per stage. The
mail-only fields (``contact``, ``thread_key``) are empty for public reviews.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Index,
    LargeBinary,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, stored as naive UTC (portable to SQLite), aware UTC out."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def _when(*, nullable: bool = True, index: bool = False, default: Any = None) -> Any:
    kwargs: dict[str, Any] = {"default_factory": default} if default else {"default": None}
    return Field(sa_type=UTCDateTime, nullable=nullable, index=index, **kwargs)


class Shop(SQLModel, table=True):
    """The webshop being watched (one per configuration)."""

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=100, unique=True)
    name: str = Field(max_length=200)
    domain: str = Field(default="", max_length=200)
    timezone: str = Field(default="Europe/Amsterdam", max_length=64)
    created_at: datetime = _when(nullable=False, default=utcnow)


class Source(SQLModel, table=True):
    """A configured place reviews come from; keeps the incremental cursor between runs."""

    __table_args__ = (UniqueConstraint("shop_id", "label"),)

    id: int | None = Field(default=None, primary_key=True)
    shop_id: int = Field(foreign_key="shop.id", index=True)
    label: str = Field(max_length=100)
    type: str = Field(max_length=50)
    cursor: str | None = Field(default=None, sa_type=Text)
    last_success_at: datetime | None = _when()
    created_at: datetime = _when(nullable=False, default=utcnow)


class Review(SQLModel, table=True):
    """A public review or a customer mail, as last seen at its source."""

    __table_args__ = (
        UniqueConstraint("source_id", "external_id"),
        # A customer's earlier contacts: by name at the same source, or by mail address.
        Index("ix_review_source_author", "source_id", "author"),
        Index("ix_review_contact", "contact"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # No index of its own: the unique (source_id, external_id) serves lookups by source.
    source_id: int = Field(foreign_key="source.id")
    external_id: str = Field(max_length=255)
    channel: str = Field(default="review", max_length=10)
    author: str | None = Field(default=None, max_length=200)
    contact: str | None = Field(default=None, max_length=320)
    thread_key: str | None = Field(default=None, max_length=255, index=True)
    rating: float | None = None
    rating_min: float | None = None
    rating_max: float | None = None
    rating_norm: float | None = None
    title: str | None = Field(default=None, sa_type=Text)
    text: str = Field(default="", sa_type=Text)
    language: str | None = Field(default=None, max_length=16)
    published_at: datetime | None = _when()
    updated_at: datetime | None = _when()
    url: str | None = Field(default=None, sa_type=Text)
    reply_text: str | None = Field(default=None, sa_type=Text)
    reply_at: datetime | None = _when()
    recommends: bool | None = None
    # How many reviews the author's account has at the platform (Trustpilot says): the flags
    # watch for waves of one-review accounts. Not part of the content hash.
    author_reviews: int | None = None
    content_hash: str = Field(max_length=40)
    first_seen_at: datetime = _when(nullable=False, default=utcnow)
    last_changed_at: datetime = _when(nullable=False, default=utcnow)
    # When it came in: published_at, else first_seen_at; a column of its own so that every
    # report period is an index range.
    received_at: datetime = _when(nullable=False, index=True, default=utcnow)
    # Set when a full resync no longer finds the review at its source; kept, never deleted.
    removed_at: datetime | None = _when()


class ReviewHistory(SQLModel, table=True):
    """An earlier version of a review, kept when the source shows a changed text or rating."""

    __tablename__ = "review_history"

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id", index=True)
    content_hash: str = Field(max_length=40)
    title: str | None = Field(default=None, sa_type=Text)
    text: str = Field(default="", sa_type=Text)
    rating: float | None = None
    reply_text: str | None = Field(default=None, sa_type=Text)
    replaced_at: datetime = _when(nullable=False, default=utcnow)


class Score(SQLModel, table=True):
    """The sentiment of one version (content hash) of a review."""

    __table_args__ = (UniqueConstraint("review_id", "content_hash"),)

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id", index=True)
    content_hash: str = Field(max_length=40)
    label: str = Field(max_length=10)
    score: float
    confidence: float
    text_score: float | None = None
    rating_score: float | None = None
    disagreement: bool = False
    language: str | None = Field(default=None, max_length=16)
    kind: str = Field(max_length=12, index=True)
    aspects: dict[str, list[str]] = Field(default_factory=dict, sa_column=Column(JSON))
    model: str = Field(max_length=100)
    flags_checked_at: datetime | None = _when()
    created_at: datetime = _when(nullable=False, default=utcnow)


class ScoreAspect(SQLModel, table=True):
    """One aspect of a scored review version, a row each, so reports can count them in SQL."""

    __tablename__ = "score_aspect"
    __table_args__ = (UniqueConstraint("review_id", "content_hash", "aspect"),)

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id", index=True)
    content_hash: str = Field(max_length=40)
    aspect: str = Field(max_length=60, index=True)


class Flag(SQLModel, table=True):
    """A pattern the owner should know about, with its evidence; never shown in public."""

    __table_args__ = (UniqueConstraint("shop_id", "kind", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    shop_id: int = Field(foreign_key="shop.id", index=True)
    kind: str = Field(max_length=30)
    key: str = Field(max_length=200)
    severity: str = Field(max_length=10)
    title: str = Field(sa_type=Text)
    explanation: str = Field(sa_type=Text)
    action: str = Field(sa_type=Text)
    evidence: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    status: str = Field(default="open", max_length=10, index=True)
    dismissed_reason: str | None = Field(default=None, sa_type=Text)
    dismissed_by: str | None = Field(default=None, max_length=100)
    dismissed_at: datetime | None = _when()
    created_at: datetime = _when(nullable=False, default=utcnow)


class Draft(SQLModel, table=True):
    """A suggested reply to one version of a review, and what a person decided about it.

    ``text`` is what reviewwacht wrote; ``edited_text`` is the person's edit; ``approved_text`` is
    the exact wording a person approved, the only text that may ever leave.
    """

    __table_args__ = (UniqueConstraint("review_id", "content_hash"),)

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id", index=True)
    content_hash: str = Field(max_length=40)
    kind: str = Field(max_length=12)
    status: str = Field(default="pending", max_length=12, index=True)
    text: str = Field(sa_type=Text)
    edited_text: str | None = Field(default=None, sa_type=Text)
    approved_text: str | None = Field(default=None, sa_type=Text)
    followup_date: date | None = None
    decided_by: str | None = Field(default=None, max_length=100)
    decided_at: datetime | None = _when()
    reject_reason: str | None = Field(default=None, sa_type=Text)
    posted_at: datetime | None = _when()
    # When the approved wording was read for promised dates (reminders); None: not yet.
    promises_read_at: datetime | None = _when()
    # Who wrote the suggestion: "templates" or "llm" (an OpenAI-compatible model server).
    writer: str = Field(default="templates", max_length=10)
    created_at: datetime = _when(nullable=False, default=utcnow)


class DiscountCode(SQLModel, table=True):
    """A discount code: generated for one review, or imported from the shop's webshop into the
    pool and then given to one review. A code belongs to at most one review, ever; a review keeps
    its code when it is drafted again."""

    __tablename__ = "discount_code"
    __table_args__ = (UniqueConstraint("review_id", "purpose"),)

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=64, unique=True)
    purpose: str = Field(default="sorry", max_length=10)  # sorry, loyalty
    percent: int
    source: str = Field(default="generated", max_length=10)  # generated, pool
    review_id: int | None = Field(default=None, foreign_key="review.id", index=True)
    expires_on: date | None = None
    created_at: datetime = _when(nullable=False, default=utcnow)
    assigned_at: datetime | None = _when()


class Run(SQLModel, table=True):
    """One execution of the pipeline."""

    id: int | None = Field(default=None, primary_key=True)
    shop_id: int | None = Field(default=None, foreign_key="shop.id", index=True)
    trigger: str = Field(default="run", max_length=20)
    status: str = Field(default="running", max_length=10)
    started_at: datetime = _when(nullable=False, default=utcnow)
    finished_at: datetime | None = _when()


class RunStep(SQLModel, table=True):
    """One stage of a run, for one source in the collect stage: counts, duration, what failed."""

    __tablename__ = "run_step"

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="run.id", index=True)
    stage: str = Field(max_length=20)
    source_label: str | None = Field(default=None, max_length=100)
    status: str = Field(default="running", max_length=10)
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    processed: int = 0
    warnings: int = 0
    message: str | None = Field(default=None, sa_type=Text)
    started_at: datetime = _when(nullable=False, default=utcnow)
    duration_seconds: float | None = None


class Reminder(SQLModel, table=True):
    """A date promised in an approved reply: shown in the report on its day, alerted when it
    passes unfinished, until a person marks it done."""

    __table_args__ = (UniqueConstraint("draft_id", "due_date"),)

    id: int | None = Field(default=None, primary_key=True)
    draft_id: int = Field(foreign_key="draft.id", index=True)
    review_id: int = Field(foreign_key="review.id", index=True)
    due_date: date = Field(index=True)
    what: str = Field(sa_type=Text)
    status: str = Field(default="open", max_length=10, index=True)
    done_by: str | None = Field(default=None, max_length=100)
    done_at: datetime | None = _when()
    created_at: datetime = _when(nullable=False, default=utcnow)


class Outbox(SQLModel, table=True):
    """Every mail and webhook message reviewwacht sends, queued first and sent after: a failed
    send stays here and is retried, never dropped. ``key`` makes each message unique (the alert
    for one review, the acknowledgement of one thread, the report of one day)."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=300, unique=True)  # "ack:" and a thread id of up to 255
    kind: str = Field(max_length=20, index=True)
    channel: str = Field(default="email", max_length=10)
    recipients: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    subject: str = Field(default="", sa_type=Text)
    text_body: str = Field(default="", sa_type=Text)
    html_body: str | None = Field(default=None, sa_type=Text)
    headers: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON))
    review_id: int | None = Field(default=None, foreign_key="review.id", index=True)
    status: str = Field(default="pending", max_length=10, index=True)  # pending, sent, expired
    attempts: int = 0
    last_error: str | None = Field(default=None, sa_type=Text)
    not_before: datetime = _when(nullable=False, default=utcnow)
    # After this moment the message says something no longer true (an acknowledgement's
    # "uiterlijk morgen 14:05"): it expires instead of going out late.
    expires_at: datetime | None = _when()
    created_at: datetime = _when(nullable=False, default=utcnow)
    sent_at: datetime | None = _when()


class OutboxAttachment(SQLModel, table=True):
    """An image or file that goes with an outbox message (the report's charts, inline by cid)."""

    __tablename__ = "outbox_attachment"

    id: int | None = Field(default=None, primary_key=True)
    outbox_id: int = Field(foreign_key="outbox.id", index=True)
    cid: str = Field(max_length=100)
    filename: str = Field(max_length=200)
    content_type: str = Field(default="image/png", max_length=100)
    data: bytes = Field(sa_type=LargeBinary)


class Heartbeat(SQLModel, table=True):
    """Proof of life of a long-running process (the daemon), shown by ``reviewwacht status``."""

    name: str = Field(primary_key=True, max_length=50)
    pid: int
    host: str = Field(max_length=255)
    started_at: datetime = _when(nullable=False, default=utcnow)
    beat_at: datetime = _when(nullable=False, default=utcnow)
    note: str | None = Field(default=None, sa_type=Text)
