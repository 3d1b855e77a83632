"""The owner's report: what came in, what needs a person (most urgent first), patterns and health.

Figures come from SQL aggregates; the HTML is rendered by Jinja2 with autoescaping on, so review
text and names are always shown as text, never as markup.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, StrictUndefined
from sqlalchemy import case, func, select
from sqlmodel import Session, col

from monitor import dutch
from monitor.config import Settings
from monitor.models import Draft, Flag, Review, Run, RunStep, Score, Source
from monitor.queries import REPLY_CHANNELS, current_score, received_at, unanswered

ASPECT_PERIOD_DAYS = 30
LIST_LIMIT = 25


@dataclass
class Period:
    label: str
    reviews: int
    mails: int
    mentions: int
    average_stars: float | None
    positive: int
    neutral: int
    negative: int


@dataclass
class Waiting:
    review: Review
    source: str
    deadline: datetime | None
    hours_left: float | None
    draft_id: int | None


@dataclass
class ReportData:
    shop_name: str
    generated_at: datetime
    zone: ZoneInfo
    promise_hours: int
    answer_days: int
    periods: list[Period]
    per_source: list[dict[str, Any]]
    aspects: list[tuple[str, int]]
    urgent: list[Waiting]
    urgent_total: int
    compliments: list[Waiting]
    compliments_total: int
    pending_drafts: int
    flags: list[Flag]
    health: list[RunStep]
    last_run: Run | None


def _period(session: Session, label: str, since: datetime) -> Period:
    stars = 1 + 4 * Review.rating_norm
    query = (
        select(
            func.sum(case((Review.channel == "review", 1), else_=0)),
            func.sum(case((Review.channel == "mail", 1), else_=0)),
            func.sum(case((Review.channel == "mention", 1), else_=0)),
            func.avg(case((Review.channel == "review", stars), else_=None)),
            func.sum(case((Score.label == "positive", 1), else_=0)),
            func.sum(case((Score.label == "neutral", 1), else_=0)),
            func.sum(case((Score.label == "negative", 1), else_=0)),
        )
        .select_from(Review)
        .outerjoin(Score, current_score())
        .where(received_at() >= since)
    )
    reviews, mails, mentions, average, positive, neutral, negative = session.exec(query).one()
    return Period(
        label=label,
        reviews=int(reviews or 0),
        mails=int(mails or 0),
        mentions=int(mentions or 0),
        average_stars=None if average is None else round(float(average), 1),
        positive=int(positive or 0),
        neutral=int(neutral or 0),
        negative=int(negative or 0),
    )


def _per_source(session: Session, since: datetime) -> list[dict[str, Any]]:
    recent = received_at() >= since
    query = (
        select(
            Source.label,
            Source.type,
            Source.last_success_at,
            func.count(Review.id),
            func.sum(case((recent, 1), else_=0)),
            func.avg(1 + 4 * Review.rating_norm),
        )
        .outerjoin(Review, Review.source_id == Source.id)
        .group_by(Source.id, Source.label, Source.type, Source.last_success_at)
        .order_by(Source.label)
    )
    return [
        {
            "label": label,
            "type": kind,
            "last_success_at": last_success,
            "total": int(total or 0),
            "recent": int(recent_count or 0),
            "average_stars": None if average is None else round(float(average), 1),
        }
        for label, kind, last_success, total, recent_count, average in session.exec(query).all()
    ]


def _waiting(
    session: Session, kind: str, now: datetime, promise: timedelta, since: datetime
) -> tuple[list[Waiting], int]:
    """Reviews of ``kind`` received since ``since`` that are unanswered, oldest first: the
    closest to breaking the promise on top."""
    conditions = (
        Score.kind == kind,
        col(Review.channel).in_(REPLY_CHANNELS),
        unanswered(),
        received_at() >= since,
    )
    base = select(Review.id).join(Score, current_score()).where(*conditions)
    total = session.exec(select(func.count()).select_from(base.subquery())).one()[0]
    pending_draft = (
        select(Draft.id)
        .where(
            Draft.review_id == Review.id,
            Draft.content_hash == Review.content_hash,
            Draft.status == "pending",
        )
        .correlate(Review)
        .limit(1)
        .scalar_subquery()
    )
    query = (
        select(Review, Source.label, pending_draft)
        .join(Score, current_score())
        .join(Source, Source.id == Review.source_id)
        .where(*conditions)
        .order_by(received_at())
        .limit(LIST_LIMIT)
    )
    items = []
    for review, label, draft_id in session.exec(query).all():
        received = review.published_at or review.first_seen_at
        deadline = received + promise if received else None
        hours = (deadline - now).total_seconds() / 3600 if deadline else None
        items.append(Waiting(review, label, deadline, hours, draft_id))
    return items, int(total)


def _aspects(session: Session, since: datetime) -> list[tuple[str, int]]:
    """Complaint aspects of the last 30 days (bounded: one small JSON value per complaint)."""
    query = (
        select(Score.aspects)
        .join(Review, current_score())
        .where(Score.kind == "complaint", received_at() >= since)
    )
    counter: Counter[str] = Counter()
    for (aspects,) in session.exec(query).all():
        counter.update((aspects or {}).keys())
    return counter.most_common()


def build_report(
    *, session: Session, settings: Settings, now: datetime, run_id: int | None = None
) -> ReportData:
    """The report's figures; its health section shows run ``run_id`` (the run writing the
    report), or else the last finished run."""
    promise = timedelta(hours=settings.report.promise_hours)
    since = now - timedelta(days=settings.drafts.max_age_days)
    urgent, urgent_total = _waiting(session, "complaint", now, promise, since)
    compliments, compliments_total = _waiting(session, "compliment", now, promise, since)
    if run_id is not None:
        last_run = session.get(Run, run_id)
    else:
        last_run = (
            session.exec(
                select(Run).where(col(Run.finished_at).is_not(None)).order_by(col(Run.id).desc())
            )
            .scalars()
            .first()
        )
    health: list[RunStep] = []
    if last_run is not None:
        health = list(
            session.exec(
                select(RunStep).where(RunStep.run_id == last_run.id).order_by(RunStep.id)
            ).scalars()
        )
    pending = session.exec(
        select(func.count()).select_from(Draft).where(Draft.status == "pending")
    ).one()[0]
    flags = list(
        session.exec(
            select(Flag)
            .where(Flag.status == "open")
            .order_by(col(Flag.created_at).desc())
            .limit(LIST_LIMIT)
        ).scalars()
    )
    return ReportData(
        shop_name=settings.shop.name,
        generated_at=now,
        zone=settings.shop.zone,
        promise_hours=settings.report.promise_hours,
        answer_days=settings.drafts.max_age_days,
        periods=[
            _period(session, "Afgelopen 24 uur", now - timedelta(days=1)),
            _period(session, "Afgelopen 7 dagen", now - timedelta(days=7)),
            _period(session, "Afgelopen 30 dagen", now - timedelta(days=30)),
        ],
        per_source=_per_source(session, now - timedelta(days=7)),
        aspects=_aspects(session, now - timedelta(days=ASPECT_PERIOD_DAYS)),
        urgent=urgent,
        urgent_total=urgent_total,
        compliments=compliments,
        compliments_total=compliments_total,
        pending_drafts=int(pending),
        flags=flags,
        health=health,
        last_run=last_run,
    )


# ---------------------------------------------------------------- rendering


def safe_href(url: str | None) -> str | None:
    """A link is shown only when it is http or https (never javascript:, data: and the like)."""
    if not url:
        return None
    return url if urlsplit(url.strip()).scheme.lower() in ("http", "https") else None


def _environment(zone: ZoneInfo) -> Environment:
    env = Environment(
        loader=PackageLoader("monitor", "templates"),
        autoescape=True,  # explicit: a plain Environment would not escape review text
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )

    def hours(value: float | None) -> str:
        if value is None:
            return "onbekend"
        if value < 0:
            late = -value
            return f"{late:.0f} uur te laat" if late < 48 else f"{late / 24:.0f} dagen te laat"
        return f"nog {value:.0f} uur" if value >= 1 else f"nog {value * 60:.0f} minuten"

    def excerpt(text: str, length: int) -> str:
        """At most ``length`` characters, blank lines folded (mails quote whole letters)."""
        folded = re.sub(r"\n\s*\n+", "\n", text.strip())
        return folded if len(folded) <= length else folded[: length - 1].rstrip() + "…"

    env.filters.update(
        when=lambda value: dutch.when(value, zone),
        number=lambda value: dutch.number(value, decimals=1),
        hours=hours,
        stage=dutch.stage,
        safe_href=safe_href,
        excerpt=excerpt,
    )
    return env


def render_report(data: ReportData) -> str:
    return _environment(data.zone).get_template("report.html.j2").render(r=data)


def write_report(
    *, session: Session, settings: Settings, now: datetime, run_id: int | None = None
) -> Path:
    """Build, render and write ``report.html`` into the output folder (atomically)."""
    html = render_report(build_report(session=session, settings=settings, now=now, run_id=run_id))
    out_dir = settings.out_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / "report.html"
    write_atomically(target, html)
    return target


def write_atomically(target: Path, text: str) -> None:
    """Write via a temporary file in the same folder, so a reader never sees half a file; the
    file gets the usual permissions (readable by a web server), not mkstemp's owner-only ones."""
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}-")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        Path(temporary).replace(target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
