"""Promises: every date an approved reply promises becomes a reminder, shown in the report on its
day and alerted when it passes unfinished."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from drafts.promises import promised_dates
from monitor.db import session_scope
from monitor.replies import add_reminders, approved_drafts_unread, mark_promises_read
from monitor.runlog import StepLog


def what_is_promised(sentence: str, refund: bool, author: str | None) -> str:
    """A short Dutch description of a promise, for the report and the alert."""
    who = f" aan {author}" if author else ""
    kind = "terugbetaling" if refund else "terugkoppeling"
    return f"{kind}{who}: “{sentence[:160]}”"


def run_promises(
    *, engine: Engine, zone: ZoneInfo, now: datetime, batch_size: int, step: StepLog
) -> None:
    """Read the final wording of newly approved replies for promised dates (a person's edit
    counts as much as the drafted date); fall back to the drafted date when none is found."""
    with session_scope(engine) as session:
        while rows := approved_drafts_unread(session=session, limit=batch_size):
            reminders = []
            for draft, author in rows:
                decided = (draft.decided_at or now).astimezone(zone).date()
                found = promised_dates(draft.approved_text or "", written_on=decided)
                if not found and draft.followup_date is not None:
                    reminders.append((draft, draft.followup_date, "terugkoppeling", author))
                for promise in found:
                    what = what_is_promised(promise.sentence, promise.is_refund, author)
                    reminders.append((draft, promise.due, what, author))
            step.new += add_reminders(session=session, reminders=reminders, now=now)
            mark_promises_read(session=session, draft_ids=[draft.id for draft, _ in rows], now=now)
            step.processed += len(rows)
            session.commit()
