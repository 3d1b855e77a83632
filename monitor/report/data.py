"""The report's figures, each from an SQL aggregate over an index range (never a loop over rows)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, func, select
from sqlmodel import Session, col

from monitor.config import Settings
from monitor.models import (
    Draft,
    Flag,
    Reminder,
    Review,
    Run,
    RunStep,
    Score,
    ScoreAspect,
    Source,
)
from monitor.outbox import failing_messages
from monitor.queries import REPLY_CHANNELS, current_score, unanswered
from monitor.report.weekly import Weekly, weekly

LIST_LIMIT = 25
HEALTH_RUNS = 10
PERIODS = (("Afgelopen 24 uur", 1), ("Afgelopen 7 dagen", 7), ("Afgelopen 30 dagen", 30))


@dataclass
class Period:
    label: str
    days: int
    reviews: int
    mails: int
    mentions: int
    average_stars: float | None
    positive: int
    neutral: int
    negative: int
    complaints: int
    compliments: int


@dataclass
class Waiting:
    review: Review
    source: str
    deadline: datetime | None
    hours_left: float | None
    draft_id: int | None


@dataclass
class Promised:
    reminder: Reminder
    review: Review


@dataclass
class SourceHealth:
    """How a source fared in the last runs: failures, the latest message, the last success."""

    label: str
    failures: int
    message: str | None
    last_success_at: datetime | None


@dataclass
class ReportData:
    shop_name: str
    generated_at: datetime
    zone: ZoneInfo
    promise_hours: int
    answer_days: int
    web_url: str
    periods: list[Period]
    per_source: list[dict[str, Any]]
    aspects: list[tuple[str, int, int, int]]
    urgent: list[Waiting]
    urgent_total: int
    compliments: list[Waiting]
    compliments_total: int
    pending_drafts: int
    flags: list[Flag]
    due_today: list[Promised]
    due_today_total: int
    overdue: list[Promised]
    overdue_total: int
    health: list[RunStep]
    source_health: list[SourceHealth]
    last_run: Run | None
    weekly: Weekly
    mail_problems: list[Any] = field(default_factory=list)


def _since(now: datetime, days: int) -> datetime:
    return now - timedelta(days=days)


def _periods(session: Session, now: datetime) -> list[Period]:
    """Counts for the three periods in one pass over the last 30 days (an index range)."""
    oldest = _since(now, PERIODS[-1][1])
    stars = 1 + 4 * Review.rating_norm
    columns = []
    for _, days in PERIODS:
        inside = Review.received_at >= _since(now, days)

        def count(condition: Any, inside: Any = inside) -> Any:
            return func.sum(case((and_(inside, condition), 1), else_=0))

        columns += [
            count(Review.channel == "review"),
            count(Review.channel == "mail"),
            count(Review.channel == "mention"),
            func.avg(case((and_(inside, Review.channel == "review"), stars), else_=None)),
            count(Score.label == "positive"),
            count(Score.label == "neutral"),
            count(Score.label == "negative"),
            count(Score.kind == "complaint"),
            count(Score.kind == "compliment"),
        ]
    query = (
        select(*columns)
        .select_from(Review)
        .outerjoin(Score, current_score())
        .where(Review.received_at >= oldest)
    )
    values = list(session.exec(query).one())
    periods = []
    for index, (label, days) in enumerate(PERIODS):
        part = values[index * 9 : (index + 1) * 9]
        whole = [int(value or 0) for value in part]
        average = part[3]
        periods.append(
            Period(
                label=label, days=days, reviews=whole[0], mails=whole[1], mentions=whole[2],
                average_stars=None if average is None else round(float(average), 1),
                positive=whole[4], neutral=whole[5], negative=whole[6], complaints=whole[7],
                compliments=whole[8],
            )
        )  # fmt: skip
    return periods


def _per_source(session: Session, now: datetime) -> list[dict[str, Any]]:
    """Per source: new in each period and the average rating (over the last 30 days, an index
    range), the total (counted in the (source_id, external_id) index), the last success."""
    month = _since(now, PERIODS[-1][1])
    columns = [
        func.sum(case((Review.received_at >= _since(now, days), 1), else_=0)) for _, days in PERIODS
    ]
    # Grouped by the source's id, not the review's: a GROUP BY review.source_id tempts SQLite
    # into walking the whole (source_id, external_id) index instead of the 30-day range.
    recent_query = (
        select(Source.id, func.avg(1 + 4 * Review.rating_norm), *columns)
        .join(Review, Review.source_id == Source.id)
        .where(Review.received_at >= month)
        .group_by(Source.id)
    )
    recent = {source_id: rest for source_id, *rest in session.exec(recent_query).all()}
    totals_query = select(Review.source_id, func.count()).group_by(Review.source_id)
    totals = dict(session.exec(totals_query).all())
    sources = select(Source.id, Source.label, Source.type, Source.last_success_at)
    rows = []
    for source_id, label, kind, last_success in session.exec(sources.order_by(Source.label)):
        average, *counts = recent.get(source_id, [None, *(0 for _ in PERIODS)])
        rows.append(
            {
                "label": label,
                "type": kind,
                "last_success_at": last_success,
                "total": int(totals.get(source_id) or 0),
                "average_stars": None if average is None else round(float(average), 1),
                "counts": [int(count or 0) for count in counts],
            }
        )
    return rows


def _aspects(session: Session, now: datetime) -> list[tuple[str, int, int, int]]:
    """Complaints per aspect in each period, most frequent (30 days) first."""
    columns = [
        func.sum(case((Review.received_at >= _since(now, days), 1), else_=0)) for _, days in PERIODS
    ]
    query = (
        select(ScoreAspect.aspect, *columns)
        .join(Review, Review.id == ScoreAspect.review_id)
        .join(Score, and_(current_score(), Score.content_hash == ScoreAspect.content_hash))
        .where(
            Score.kind == "complaint",
            ScoreAspect.content_hash == Review.content_hash,
            Review.received_at >= _since(now, PERIODS[-1][1]),
        )
        .group_by(ScoreAspect.aspect)
    )
    found = [
        (aspect, int(a or 0), int(b or 0), int(c or 0)) for aspect, a, b, c in session.exec(query)
    ]
    return sorted(found, key=lambda row: (-row[3], row[0]))


def _waiting(
    session: Session, kind: str, now: datetime, promise: timedelta, since: datetime
) -> tuple[list[Waiting], int]:
    """Reviews of ``kind`` received since ``since`` that are unanswered, oldest first: the
    closest to breaking the promise on top."""
    conditions = (
        Score.kind == kind,
        col(Review.channel).in_(REPLY_CHANNELS),
        unanswered(),
        Review.received_at >= since,
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
        .order_by(Review.received_at)
        .limit(LIST_LIMIT)
    )
    items = []
    for review, label, draft_id in session.exec(query).all():
        deadline = review.received_at + promise
        hours = (deadline - now).total_seconds() / 3600
        items.append(Waiting(review, label, deadline, hours, draft_id))
    return items, int(total)


def _promised(session: Session, today: date, *, overdue: bool) -> tuple[list[Promised], int]:
    """Open reminders due today, or already past their day (oldest first), and how many."""
    due = col(Reminder.due_date) < today if overdue else Reminder.due_date == today
    conditions = (Reminder.status == "open", due)
    total = session.exec(select(func.count()).select_from(Reminder).where(*conditions)).one()[0]
    query = (
        select(Reminder, Review)
        .join(Review, Review.id == Reminder.review_id)
        .where(*conditions)
        .order_by(Reminder.due_date, Reminder.id)
        .limit(LIST_LIMIT)
    )
    return [Promised(reminder, review) for reminder, review in session.exec(query).all()], total


def _source_health(session: Session) -> list[SourceHealth]:
    """Sources that failed in any of the last runs, with the latest failure in plain words."""
    recent = select(Run.id).order_by(col(Run.id).desc()).limit(HEALTH_RUNS).subquery()
    failed = (
        select(RunStep.source_label, func.count(RunStep.id), func.max(RunStep.id))
        .where(
            col(RunStep.run_id).in_(select(recent.c.id)),
            RunStep.status == "failed",
            RunStep.stage == "collect",
        )
        .group_by(RunStep.source_label)
    )
    rows = session.exec(failed).all()
    messages = {
        step.id: step.message
        for step in session.exec(
            select(RunStep).where(col(RunStep.id).in_([last for _, _, last in rows]))
        ).scalars()
    }
    successes = dict(session.exec(select(Source.label, Source.last_success_at)).all())
    return [
        SourceHealth(label or "", int(count), messages.get(last), successes.get(label))
        for label, count, last in sorted(rows, key=lambda row: row[0] or "")
    ]


def build_report(
    *, session: Session, settings: Settings, now: datetime, run_id: int | None = None
) -> ReportData:
    """The report's figures; its health section shows run ``run_id`` (the run writing the
    report), or else the last finished run."""
    promise = timedelta(hours=settings.report.promise_hours)
    since = now - timedelta(days=settings.drafts.max_age_days)
    zone = settings.shop.zone
    urgent, urgent_total = _waiting(session, "complaint", now, promise, since)
    compliments, compliments_total = _waiting(session, "compliment", now, promise, since)
    if run_id is not None:
        last_run = session.get(Run, run_id)
    else:
        finished = select(Run).where(col(Run.finished_at).is_not(None)).order_by(col(Run.id).desc())
        last_run = session.exec(finished.limit(1)).scalars().first()
    health: list[RunStep] = []
    if last_run is not None:
        steps = select(RunStep).where(RunStep.run_id == last_run.id).order_by(RunStep.id)
        health = list(session.exec(steps).scalars())
    pending = session.exec(
        select(func.count()).select_from(Draft).where(Draft.status == "pending")
    ).one()[0]
    open_flags = select(Flag).where(Flag.status == "open").order_by(col(Flag.created_at).desc())
    today = now.astimezone(zone).date()
    due_today, due_today_total = _promised(session, today, overdue=False)
    overdue, overdue_total = _promised(session, today, overdue=True)
    return ReportData(
        shop_name=settings.shop.name,
        generated_at=now,
        zone=zone,
        promise_hours=settings.report.promise_hours,
        answer_days=settings.drafts.max_age_days,
        web_url=settings.report.web_url.rstrip("/"),
        periods=_periods(session, now),
        per_source=_per_source(session, now),
        aspects=_aspects(session, now),
        urgent=urgent,
        urgent_total=urgent_total,
        compliments=compliments,
        compliments_total=compliments_total,
        pending_drafts=int(pending),
        flags=list(session.exec(open_flags.limit(LIST_LIMIT)).scalars()),
        due_today=due_today,
        due_today_total=due_today_total,
        overdue=overdue,
        overdue_total=overdue_total,
        health=health,
        source_health=_source_health(session),
        last_run=last_run,
        weekly=weekly(session, now, settings.report.chart_weeks, zone),
        mail_problems=failing_messages(session=session),
    )
