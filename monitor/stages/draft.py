"""Draft: write a reply suggestion for every complaint, compliment and question that needs one,
by the shop's policy, with the review's own discount code where the policy gives one."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from drafts import Code, LlmWriter, Point, ReviewFacts, plan_for, write_draft
from monitor.codes import CodeRequest, code_for_review
from monitor.config import Settings
from monitor.db import session_scope
from monitor.models import utcnow
from monitor.progress import progress
from monitor.replies import add_draft, earlier_contacts, reviews_needing_draft
from monitor.runlog import StepLog
from monitor.stages.score import scoring_text
from sentiment.opinions import opinions
from sentiment.types import Sentiment

Scorer = Callable[[Sequence[str]], list[Sentiment]]
LLM_GIVE_UP = 3  # the LLM server failed this many drafts in a row: templates for the rest


def facts_for(review: Any, score: Any, *, scorer: Scorer, contacts: int) -> ReviewFacts:
    """What a draft is written from: the review, its score, and each clause scored on its own."""
    points = tuple(
        Point(text=opinion.text, score=opinion.score, aspects=opinion.aspects)
        for opinion in opinions(
            scorer, scoring_text(review.title, review.text), language=score.language
        )
    )
    return ReviewFacts(
        key=f"{review.source_id}:{review.external_id}",
        kind=score.kind,
        channel=review.channel,
        text=review.text,
        author=review.author,
        title=review.title,
        rating_norm=review.rating_norm,
        score=score.score,
        aspects=score.aspects or {},
        disagreement=score.disagreement,
        points=points,
        earlier_contacts=contacts,
    )


class _Codes:
    """Fetches the code a plan asks for, and counts the drafts the empty pool left without one."""

    def __init__(self, settings: Settings) -> None:
        self.codes = settings.drafts.codes
        self.without_code = 0

    def fetch(
        self, *, session: Session, review_id: int, purpose: str | None, percent: int, today: date
    ) -> Code | None:
        if purpose is None or percent <= 0:
            return None
        request = CodeRequest(
            purpose=purpose,
            percent=percent,
            template=self.codes.loyalty_format if purpose == "loyalty" else self.codes.format,
            expiry_days=self.codes.expiry_days,
            from_pool=self.codes.source == "pool",
        )
        code = code_for_review(
            session=session, review_id=review_id, request=request, today=today, now=utcnow()
        )
        if code is None:
            self.without_code += 1
        return code


def run_draft(
    *, engine: Engine, settings: Settings, scorer: Scorer, now: datetime, step: StepLog
) -> None:
    """Draft in committed chunks; reviews older than ``drafts.max_age_days`` are left alone."""
    policy = settings.reply_policy()
    today = now.astimezone(settings.shop.zone).date()
    since = now - timedelta(days=settings.drafts.max_age_days)
    llm_settings = settings.drafts.llm.settings()
    llm = LlmWriter(llm_settings) if llm_settings else None
    codes = _Codes(settings)
    fallbacks: list[str] = []
    blocked: list[str] = []
    unreachable = 0
    with session_scope(engine) as session, progress("Concepten") as bar:
        after_id = 0
        while rows := reviews_needing_draft(
            session=session, since=since, limit=settings.pipeline.batch_size, after_id=after_id
        ):
            contacts = earlier_contacts(session=session, reviews=[review for review, _ in rows])
            for review, score in rows:
                facts = facts_for(review, score, scorer=scorer, contacts=contacts[review.id])
                plan = plan_for(facts, policy)
                if plan is None:
                    continue
                code = codes.fetch(
                    session=session, review_id=review.id, purpose=plan.code_purpose,
                    percent=plan.code_percent, today=today,
                )  # fmt: skip
                written = write_draft(facts, policy, today=today, code=code, llm=llm, plan=plan)
                if written.fallback_reason:
                    fallbacks.append(written.fallback_reason)
                if written.tone_problems:
                    blocked.append(written.tone_problems[0])
                unreachable = unreachable + 1 if written.unreachable else 0
                if llm is not None and unreachable >= LLM_GIVE_UP:
                    llm.close()
                    llm = None  # a server that is down would cost a time-out per review
                if written.draft is None:
                    continue
                add_draft(
                    session=session, review_id=review.id, content_hash=review.content_hash,
                    kind=written.draft.kind, text=written.draft.text,
                    followup=written.draft.followup_date, writer=written.draft.writer,
                )  # fmt: skip
                step.new += 1
            session.commit()
            after_id = rows[-1][0].id
            step.processed += len(rows)
            bar.update(len(rows))
    if llm is not None:
        llm.close()
    _warn(step, codes.without_code, fallbacks, blocked)


def _warn(step: StepLog, without_code: int, fallbacks: list[str], blocked: list[str]) -> None:
    if without_code:
        step.warnings.append(
            f"De codepool is leeg: {without_code} concept(en) zonder kortingscode. Importeer "
            "codes uit uw webwinkel met 'reviewwacht codes import BESTAND'."
        )
    if fallbacks:
        step.warnings.append(
            f"{len(fallbacks)} concept(en) door de sjablonen geschreven in plaats van het "
            f"taalmodel; de eerste reden: {fallbacks[0]}"
        )
    if blocked:
        step.warnings.append(
            f"{len(blocked)} concept(en) moeten eerst worden aangepast voordat ze goedgekeurd "
            f"kunnen worden; bijvoorbeeld: {blocked[0]}"
        )
