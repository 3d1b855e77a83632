"""Post: approved replies go out (platform API, mail) or wait, ready to paste; failures are kept
and retried, and the run log says which ones need a person."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine

from monitor.config import Settings
from monitor.db import session_scope
from monitor.models import utcnow
from monitor.posting import FAILING_AFTER, failing_posts, post_replies
from monitor.runlog import StepLog


def run_post(*, engine: Engine, settings: Settings, now: datetime, step: StepLog) -> None:
    done = post_replies(engine=engine, settings=settings, now=max(now, utcnow()))
    step.processed = done.posted
    notes = []
    if done.posted:
        notes.append(f"{done.posted} antwoord(en) geplaatst")
    if done.ready:
        notes.append(f"{done.ready} klaar om met de hand te plakken")
    if done.failed:
        notes.append(f"{done.failed} niet gelukt, wordt later opnieuw geprobeerd of wacht op u")
    if done.refused:
        notes.append(f"{done.refused} tegengehouden: niet (meer) goedgekeurd in deze woorden")
    step.note = "; ".join(notes) or None
    with session_scope(engine) as session:
        for post in failing_posts(session=session):
            if post.status == "failed" or post.attempts >= FAILING_AFTER:
                step.warnings.append(
                    f"Antwoord op review {post.review_id} (concept {post.draft_id}) is niet "
                    f"geplaatst: {post.last_error}"
                )
