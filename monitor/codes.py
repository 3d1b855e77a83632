"""Discount codes in the database: each review's own code (generated, or taken from the pool the
shop imported), never given to a second review."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from drafts import Code
from drafts.codes import new_code
from monitor.models import DiscountCode
from monitor.queries import insert_or_ignore

logger = logging.getLogger(__name__)
GENERATE_ATTEMPTS = 5


@dataclass(frozen=True, slots=True)
class CodeRequest:
    """What a draft needs: a code of ``percent`` for ``purpose``, in ``template`` when generated."""

    purpose: str
    percent: int
    template: str
    expiry_days: int
    from_pool: bool


def _as_code(row: DiscountCode) -> Code:
    purpose = "loyalty" if row.purpose == "loyalty" else "sorry"
    return Code(text=row.code, percent=row.percent, expires=row.expires_on, purpose=purpose)


def code_for_review(
    *, session: Session, review_id: int, request: CodeRequest, today: date, now: datetime
) -> Code | None:
    """The review's code for this purpose: the one it already has (a re-draft keeps it), a pool
    code, or a new generated one. None when the pool is empty."""
    existing = session.exec(
        select(DiscountCode).where(
            DiscountCode.review_id == review_id, DiscountCode.purpose == request.purpose
        )
    ).first()
    if existing is not None:
        return _as_code(existing[0])
    if request.from_pool:
        return _from_pool(session=session, review_id=review_id, purpose=request.purpose, now=now)
    expires = today + timedelta(days=request.expiry_days)
    for _ in range(GENERATE_ATTEMPTS):
        row = DiscountCode(
            code=new_code(request.template),
            purpose=request.purpose,
            percent=request.percent,
            source="generated",
            review_id=review_id,
            expires_on=expires,
            created_at=now,
            assigned_at=now,
        )
        try:
            with session.begin_nested():
                session.add(row)
            return _as_code(row)
        except IntegrityError:  # the same random code twice: draw again
            logger.info("generated discount code clashed; drawing another")
    raise RuntimeError("could not generate a unique discount code")


def _from_pool(*, session: Session, review_id: int, purpose: str, now: datetime) -> Code | None:
    query = (
        select(DiscountCode)
        .where(
            col(DiscountCode.review_id).is_(None),
            DiscountCode.source == "pool",
            DiscountCode.purpose == purpose,
        )
        .order_by(DiscountCode.id)
        .limit(1)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    found = session.exec(query).first()
    if found is None:
        return None
    row = found[0]
    row.review_id = review_id
    row.assigned_at = now
    session.add(row)
    session.flush()
    return _as_code(row)


def import_pool(
    *,
    session: Session,
    codes: Iterable[str],
    purpose: str,
    percent: int,
    expires_on: date | None,
    now: datetime,
) -> tuple[int, int]:
    """Add the shop's codes to the pool; a code already known (in the pool or given out) is
    skipped. Returns (added, skipped)."""
    unique = list(dict.fromkeys(code.strip() for code in codes if code.strip()))
    if not unique:
        return 0, 0
    rows = [
        {
            "code": code,
            "purpose": purpose,
            "percent": percent,
            "source": "pool",
            "expires_on": expires_on,
            "created_at": now,
        }
        for code in unique
    ]
    statement = insert_or_ignore(session, DiscountCode, ["code"])
    added = len(session.exec(statement.returning(DiscountCode.__table__.c.id), params=rows).all())
    return added, len(unique) - added


def pool_counts(*, session: Session) -> dict[tuple[str, bool], int]:
    """How many pool codes there are per purpose, given out (True) or still free (False)."""
    query = (
        select(
            DiscountCode.purpose,
            col(DiscountCode.review_id).is_not(None),
            func.count(),
        )
        .where(DiscountCode.source == "pool")
        .group_by(DiscountCode.purpose, col(DiscountCode.review_id).is_not(None))
    )
    return {(purpose, bool(used)): count for purpose, used, count in session.exec(query).all()}
