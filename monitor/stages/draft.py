"""Draft: write a reply suggestion for every complaint, compliment and question that needs one."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Engine

from drafts import Policy, ReviewFacts, compose
from monitor.config import Settings
from monitor.db import session_scope
from monitor.progress import progress
from monitor.replies import add_draft, reviews_needing_draft
from monitor.runlog import StepLog


def policy_from(settings: Settings) -> Policy:
    return Policy(
        shop_name=settings.shop.name,
        signature=settings.drafts.signature,
        register=settings.drafts.address,
        contact_email=settings.shop.contact_email,
        followup_working_days=settings.drafts.followup_working_days,
        refund_working_days=settings.drafts.refund_working_days,
    )


def run_draft(*, engine: Engine, settings: Settings, now: datetime, step: StepLog) -> None:
    """Draft in committed chunks; reviews older than ``drafts.max_age_days`` are left alone."""
    policy = policy_from(settings)
    today = now.astimezone(settings.shop.zone).date()
    since = now - timedelta(days=settings.drafts.max_age_days)
    batch = settings.pipeline.batch_size
    with session_scope(engine) as session, progress("Concepten") as bar:
        after_id = 0
        while rows := reviews_needing_draft(
            session=session, since=since, limit=batch, after_id=after_id
        ):
            for review, score in rows:
                facts = ReviewFacts(
                    key=f"{review.source_id}:{review.external_id}",
                    kind=score.kind,
                    channel=review.channel,
                    text=review.text,
                    author=review.author,
                    title=review.title,
                    rating_norm=review.rating_norm,
                    aspects=score.aspects or {},
                    disagreement=score.disagreement,
                )
                draft = compose(facts, policy, today=today)
                if draft is None:
                    continue
                add_draft(
                    session=session,
                    review_id=review.id,
                    content_hash=review.content_hash,
                    kind=draft.kind,
                    text=draft.text,
                    followup=draft.followup_date,
                )
                step.new += 1
            session.commit()
            after_id = rows[-1][0].id
            step.processed += len(rows)
            bar.update(len(rows))
