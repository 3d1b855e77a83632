"""The audit trail: who drafted, edited, approved, rejected and posted which reply, and when;
shown in the web app and exported as CSV that a spreadsheet cannot mistake for formulas."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, TextIO

from sqlalchemy import insert, select
from sqlmodel import Session, col

from monitor.models import utcnow
from monitor.models_web import AuditEvent

ACTION_WORDS = {
    "drafted": "concept geschreven",
    "edited": "aangepast",
    "approved": "goedgekeurd",
    "rejected": "afgewezen",
    "answered": "elders beantwoord",
    "reopened": "teruggezet naar openstaand",
    "posted": "geplaatst",
    "post_failed": "plaatsen mislukt",
    "ready": "klaar om te plakken",
    "confirmed": "geplaatst (met de hand)",
    "cancelled": "plaatsen geannuleerd",
}
EXPORT_COLUMNS = ("tijd (UTC)", "wie", "wat", "concept", "review", "details")
# A cell starting with one of these is read as a formula by spreadsheet programs (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def record(
    *,
    session: Session,
    actor: str,
    action: str,
    draft_id: int | None = None,
    review_id: int | None = None,
    detail: str = "",
    at: datetime | None = None,
) -> None:
    """Add one event to the trail, in the caller's transaction (so it is kept exactly when what
    it describes is)."""
    if action not in ACTION_WORDS:
        raise ValueError(f"unknown audit action {action!r}")
    session.exec(
        insert(AuditEvent.__table__),  # type: ignore[attr-defined]
        params=[
            {
                "at": at or utcnow(),
                "actor": actor[:100],
                "action": action,
                "draft_id": draft_id,
                "review_id": review_id,
                "detail": detail,
            }
        ],
    )


def events(
    *,
    session: Session,
    limit: int | None = None,
    draft_id: int | None = None,
    since: datetime | None = None,
) -> list[AuditEvent]:
    """Events newest first: all of them, of one draft, or since a moment."""
    query = select(AuditEvent).order_by(col(AuditEvent.at).desc(), col(AuditEvent.id).desc())
    if draft_id is not None:
        query = query.where(AuditEvent.draft_id == draft_id)
    if since is not None:
        query = query.where(AuditEvent.at >= since)
    if limit is not None:
        query = query.limit(limit)
    return list(session.exec(query).scalars())


def safe_cell(value: Any) -> str:
    """A CSV cell a spreadsheet shows as text: one that starts like a formula gets a quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def write_csv(rows: Iterable[Sequence[Any]], handle: TextIO, *, header: Sequence[str]) -> int:
    """Write rows with every cell quoted and defused; returns the number of rows."""
    writer = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow([safe_cell(name) for name in header])
    count = 0
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
        count += 1
    return count


def export_rows(trail: Iterable[AuditEvent]) -> Iterable[tuple[Any, ...]]:
    for event in trail:
        yield (
            event.at.strftime("%Y-%m-%d %H:%M:%S"),
            event.actor,
            ACTION_WORDS.get(event.action, event.action),
            event.draft_id or "",
            event.review_id or "",
            event.detail,
        )
