"""Storing collected records: insert what is new, update what changed (keeping the old text),
skip what is unchanged. Set-based, so a large export or a full resync stays fast."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, bindparam, func, insert, select, update
from sqlmodel import Session

from monitor.db import in_chunks
from monitor.models import Review, ReviewHistory, utcnow
from scrapers.records import RawReview, derived_id

REVIEW = Review.__table__  # type: ignore[attr-defined]
HISTORY = ReviewHistory.__table__  # type: ignore[attr-defined]


@dataclass(slots=True)
class UpsertResult:
    """How many records of a batch were new, changed upstream, or already known as they are;
    the ids they are stored under, and which stored reviews changed."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    external_ids: list[str] = field(default_factory=list)
    changed_review_ids: list[int] = field(default_factory=list)

    def __iadd__(self, other: UpsertResult) -> UpsertResult:
        self.new += other.new
        self.updated += other.updated
        self.unchanged += other.unchanged
        return self


ID_LIMIT = 255  # external_id and thread_key columns
AUTHOR_LIMIT = 200
LANGUAGE_LIMIT = 16
CONTACT_LIMIT = 320


def fits(record: RawReview) -> bool:
    """Whether every value fits its column (nearly always)."""
    return (
        len(record.external_id) <= ID_LIMIT
        and len(record.author or "") <= AUTHOR_LIMIT
        and len(record.language or "") <= LANGUAGE_LIMIT
        and len(record.contact or "") <= CONTACT_LIMIT
        and len(record.thread_key or "") <= ID_LIMIT
    )


def fit_columns(record: RawReview) -> RawReview:
    """The record made to fit the columns (PostgreSQL enforces lengths, SQLite does not): an
    over-long id becomes a stable hash of itself, an over-long name is shortened."""
    return replace(
        record,
        external_id=record.external_id
        if len(record.external_id) <= ID_LIMIT
        else derived_id(record.external_id, length=40),
        author=record.author[: AUTHOR_LIMIT - 1] + "…"
        if record.author and len(record.author) > AUTHOR_LIMIT
        else record.author,
        language=record.language[:LANGUAGE_LIMIT] if record.language else record.language,
        contact=record.contact if len(record.contact or "") <= CONTACT_LIMIT else None,
        thread_key=record.thread_key
        if len(record.thread_key or "") <= ID_LIMIT
        else derived_id(record.thread_key or "", length=40),
    )


def content_hash(record: RawReview) -> str:
    """What makes two versions of a review different: title, text, rating and the shop's reply."""
    rating = "" if record.rating is None else repr(float(record.rating))
    parts = [record.title or "", record.text, rating, record.reply_text or ""]
    if record.recommends is not None:  # only where a platform asks it, so older hashes stay
        parts.append("beveelt aan" if record.recommends else "beveelt niet aan")
    return hashlib.sha1("\x1f".join(parts).encode()).hexdigest()  # noqa: S324 - not for security


def _row(record: RawReview, digest: str) -> dict[str, Any]:
    return {
        "external_id": record.external_id,
        "channel": record.channel,
        "author": record.author,
        "contact": record.contact,
        "thread_key": record.thread_key,
        "rating": record.rating,
        "rating_min": record.rating_min if record.rating is not None else None,
        "rating_max": record.rating_max if record.rating is not None else None,
        "rating_norm": record.rating_norm,
        "title": record.title,
        "text": record.text,
        "language": record.language,
        "published_at": record.published_at,
        "updated_at": record.updated_at,
        "url": record.url,
        "reply_text": record.reply_text,
        "reply_at": record.reply_at,
        "recommends": record.recommends,
        "author_reviews": record.author_reviews,
        "content_hash": digest,
    }


def _insert_new(
    session: Session, source_id: int, new: list[tuple[RawReview, str]], now: datetime
) -> None:
    """Insert many reviews in one executemany on the driver. SQLAlchemy's per-value processing is
    most of the cost at this volume, so rows are built as tuples here and times converted exactly
    as the UTCDateTime column would (naive UTC, then the dialect's own DateTime conversion). A row
    another writer stored meanwhile is skipped by ON CONFLICT, which SQLite and PostgreSQL share."""
    connection = session.connection()
    dialect = connection.dialect
    process = DateTime().dialect_impl(dialect).bind_processor(dialect) or (lambda value: value)

    def when(value: datetime | None) -> Any:
        return None if value is None else process(value.astimezone(UTC).replace(tzinfo=None))

    stamp = when(now)
    rows = []
    for r, digest in new:
        published = when(r.published_at)
        rated = r.rating is not None
        rows.append((
            source_id, r.external_id, r.channel, r.author, r.contact, r.thread_key, r.rating,
            r.rating_min if rated else None, r.rating_max if rated else None, r.rating_norm,
            r.title, r.text, r.language, published, when(r.updated_at), r.url, r.reply_text,
            when(r.reply_at), r.recommends, r.author_reviews, digest, stamp, stamp,
            published or stamp,
        ))  # fmt: skip
    columns = (
        "source_id, external_id, channel, author, contact, thread_key, rating, rating_min, "
        "rating_max, rating_norm, title, text, language, published_at, updated_at, url, "
        "reply_text, reply_at, recommends, author_reviews, content_hash, first_seen_at, "
        "last_changed_at, "
        "received_at"
    )
    # Fixed column names and placeholders only; every value travels as a parameter.
    markers = ", ".join(["?" if dialect.paramstyle == "qmark" else "%s"] * len(rows[0]))
    statement = f"INSERT INTO review ({columns}) VALUES ({markers}) "  # noqa: S608
    statement += "ON CONFLICT (source_id, external_id) DO NOTHING"
    connection.exec_driver_sql(statement, rows)


def upsert_reviews(
    *, session: Session, source_id: int, records: Sequence[RawReview], now: datetime | None = None
) -> UpsertResult:
    """Store one batch of records of one source. Does not commit: the caller commits the batch
    together with the source's cursor, so a crash never leaves half a batch behind."""
    now = now or utcnow()
    latest: dict[str, RawReview] = {}
    for record in records:
        fitted = record if fits(record) else fit_columns(record)
        if fitted.contact and fitted.contact != fitted.contact.lower():
            # Addresses are stored in lower case, so a customer's mails are found by one index.
            fitted = replace(fitted, contact=fitted.contact.lower())
        latest[fitted.external_id] = fitted
    ids = list(latest)
    known: dict[str, tuple[int, str]] = {}
    for chunk in in_chunks(ids):
        query = select(REVIEW.c.external_id, REVIEW.c.id, REVIEW.c.content_hash).where(
            REVIEW.c.source_id == source_id, REVIEW.c.external_id.in_(chunk)
        )
        for external_id, review_id, digest in session.exec(query):
            known[external_id] = (review_id, digest)

    result = UpsertResult()
    new: list[tuple[RawReview, str]] = []
    changed: list[tuple[int, dict[str, Any]]] = []
    for external_id, record in latest.items():
        digest = content_hash(record)
        existing = known.get(external_id)
        if existing is None:
            new.append((record, digest))
        elif existing[1] != digest:
            changed.append((existing[0], _row(record, digest)))
        else:
            result.unchanged += 1

    if new:
        _insert_new(session, source_id, new, now)
        result.new = len(new)
    if changed:
        _store_changes(session, changed, now)
        result.updated = len(changed)
        result.changed_review_ids = [review_id for review_id, _ in changed]
    result.external_ids = ids
    return result


def _store_changes(
    session: Session, changed: list[tuple[int, dict[str, Any]]], now: datetime
) -> None:
    """Keep each changed review's previous version in the history table, then update it."""
    review_ids = [review_id for review_id, _ in changed]
    columns = (
        REVIEW.c.id, REVIEW.c.content_hash, REVIEW.c.title, REVIEW.c.text, REVIEW.c.rating,
        REVIEW.c.reply_text,
    )  # fmt: skip
    old_rows = [
        row
        for chunk in in_chunks(review_ids)
        for row in session.exec(select(*columns).where(REVIEW.c.id.in_(chunk)))
    ]
    history = [
        {
            "review_id": row.id,
            "content_hash": row.content_hash,
            "title": row.title,
            "text": row.text,
            "rating": row.rating,
            "reply_text": row.reply_text,
            "replaced_at": now,
        }
        for row in old_rows
    ]
    session.exec(insert(HISTORY), params=history)
    columns = [name for name in changed[0][1] if name != "external_id"]
    statement = (
        update(REVIEW)
        .where(REVIEW.c.id == bindparam("_id"))
        .values({name: bindparam(f"new_{name}") for name in [*columns, "last_changed_at"]})
        .values(received_at=func.coalesce(bindparam("new_published_at"), REVIEW.c.first_seen_at))
    )
    params = []
    for review_id, row in changed:
        row.pop("external_id")
        row["last_changed_at"] = now
        params.append({"_id": review_id, **{f"new_{name}": value for name, value in row.items()}})
    session.connection().execute(statement, params)
