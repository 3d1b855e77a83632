"""Alerts for the shop's own people, each sent once: a new negative review or complaint mail, and a
promised date that passed. They go only to ``mail.alert_to`` and the chat webhook, never to a
customer."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import String, and_, cast, exists, literal, or_, select
from sqlmodel import Session, col

from drafts.workdays import dutch_date
from monitor.config import Settings
from monitor.dutch import number, when
from monitor.models import Draft, Outbox, Reminder, Review, Score, Source
from monitor.outbox import enqueue
from monitor.queries import current_score, received_at, unanswered

LOW_RATING = 0.25 + 1e-9  # rating_norm: 1-2 stars of 5, 1-3 of 10
EXCERPT_CHARS = 300
NAME_CHARS = 60
# Deliberately broad: anything that looks like an address is kept out of a chat message.
ADDRESS = re.compile(r"[^\s<>()\[\]\"',;:@]+@[^\s<>()\[\]\"',;:@]+\.[^\s<>()\[\]\"',;:@]+")
MENTION = re.compile(r"@(?=\w)")
# Where a chat would start a link ("](", "![", "://", "www."), or a code span or block ("`").
CHAT_LINKS = re.compile(r"\](?=\()|!(?=\[)|:(?=//)|(?i:www)(?=\.)|`")
HIDDEN_ADDRESS = "[e-mailadres]"


@dataclass(frozen=True)
class Notice:
    """What one alert says, before it is written as a mail (text and HTML) or a chat message."""

    subject: str
    intro: str
    quote: str = ""
    deadline: str = ""
    action: str = ""
    command: str = ""
    url: str | None = None
    private: tuple[str, ...] = ()  # strings never to appear in a chat message (addresses)


# ---------------------------------------------------------------- small helpers


def quiet_until(now: datetime, period: tuple[time, time] | None, zone: ZoneInfo) -> datetime | None:
    """The end of the quiet period ``now`` falls in (UTC), or None outside it or without one. The
    period is in the shop's time zone and may wrap midnight ("22:00-07:00")."""
    if period is None or period[0] == period[1]:
        return None
    start, end = period
    local = now.astimezone(zone)
    moment = local.time().replace(tzinfo=None)
    today = local.date()
    if start < end:
        end_day = today if start <= moment < end else None
    elif moment >= start:
        end_day = today + timedelta(days=1)
    else:
        end_day = today if moment < end else None
    if end_day is None:
        return None
    return datetime.combine(end_day, end, tzinfo=zone).astimezone(UTC)


def time_left(deadline: datetime, at: datetime) -> str:
    """'nog 23 uur', 'nog 40 minuten', or 'te laat'."""
    seconds = (deadline - at).total_seconds()
    if seconds <= 0:
        return "te laat"
    hours, minutes = int(seconds // 3600), int(seconds % 3600 // 60)
    return f"nog {hours} uur" if hours else f"nog {max(minutes, 1)} minuten"


def _one_line(text: str | None, limit: int = NAME_CHARS) -> str:
    value = " ".join((text or "").split())
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


def excerpt(review: Review) -> str:
    """The customer's words, shortened: the title (of a review; a mail's subject is in the alert's
    subject already) and the text."""
    title = review.title if review.channel == "review" else None
    text = review.text or ""
    if title and not text.startswith(title):
        text = f"{title}. {text}" if text else title
    return _one_line(text, EXCERPT_CHARS)


def _web_link(settings: Settings, path: str) -> str | None:
    base = settings.report.web_url.strip().rstrip("/")
    return f"{base}/{path}" if base.startswith(("https://", "http://")) else None


def _without_addresses(text: str, private: tuple[str, ...]) -> str:
    """``text`` with every e-mail address (the customer's above all) replaced."""
    for value in private:
        if value:
            text = re.sub(re.escape(value), HIDDEN_ADDRESS, text, flags=re.IGNORECASE)
    return ADDRESS.sub(HIDDEN_ADDRESS, text)


def chat_safe(text: str, private: tuple[str, ...]) -> str:
    """Text for a chat webhook: no e-mail address, no @-mention that pings a whole channel,
    Slack's control characters escaped (so "<!channel>" in a review stays text), and nothing
    a chat turns into a link, an image or a code block (a reviewer's URL stays plain text).

    A zero-width space splits each such construct: the text reads the same, backslashes would
    show in Slack. Emphasis (``*``, ``_``, ``~``) stays as typed: harmless."""
    text = MENTION.sub("@\u200b", _without_addresses(text, private))
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return CHAT_LINKS.sub(lambda found: found.group() + "\u200b", text)


# ---------------------------------------------------------------- writing


def render_text(notice: Notice, settings: Settings) -> str:
    parts = [notice.intro]
    if notice.quote:
        parts.append(f"“{notice.quote}”")
    closing = [line for line in (notice.deadline, _action_line(notice)) if line]
    if closing:
        parts.append("\n".join(closing))
    parts.append(f"-- \nreviewwacht voor {settings.shop.name}")
    return "\n\n".join(parts) + "\n"


def _action_line(notice: Notice) -> str:
    if not notice.action:
        return ""
    return f"{notice.action} {notice.url or notice.command}"


def render_html(notice: Notice, settings: Settings) -> str:
    e = html.escape
    parts = [f"<p><strong>{e(notice.intro)}</strong></p>"]
    if notice.quote:
        parts.append(
            '<blockquote style="margin:0 0 1em;padding-left:1em;border-left:3px solid #c0392b">'
            f"{e(notice.quote)}</blockquote>"
        )
    if notice.deadline:
        parts.append(f"<p>{e(notice.deadline)}</p>")
    if notice.action and notice.url:
        parts.append(f'<p>{e(notice.action)} <a href="{e(notice.url)}">{e(notice.url)}</a></p>')
    elif notice.action:
        parts.append(f"<p>{e(notice.action)} <code>{e(notice.command)}</code></p>")
    parts.append(f'<p style="color:#777">reviewwacht voor {e(settings.shop.name)}</p>')
    body = "\n".join(parts)
    return (
        '<!doctype html>\n<html lang="nl"><head><meta charset="utf-8"></head>\n'
        f'<body style="font-family:sans-serif">\n{body}\n</body></html>\n'
    )


def render_chat(notice: Notice) -> str:
    """A plain chat message; every part is cleaned of addresses and mentions."""

    def safe(text: str) -> str:
        return chat_safe(text, notice.private)

    lines = [f"*{safe(notice.subject)}*"]
    if notice.quote:
        lines.append(f"> {safe(notice.quote)}")
    if notice.deadline:
        lines.append(safe(notice.deadline))
    if notice.action:
        lines.append(safe(_action_line(notice)))
    return "\n".join(lines)


def _has_destination(settings: Settings) -> bool:
    """Alerts are on and have somewhere to go (the alert addresses, or the webhook)."""
    alerts = settings.alerts
    by_mail = alerts.email and bool(settings.mail.alert_to)
    return alerts.enabled and (by_mail or bool(alerts.webhook_url.get_secret_value()))


def _queue(
    *,
    session: Session,
    settings: Settings,
    notice: Notice,
    key: str,
    kind: str,
    review_id: int | None,
    not_before: datetime,
) -> int:
    """Queue ``notice`` by mail (to ``mail.alert_to`` only) and to the webhook; returns how many
    messages were new."""
    queued = 0
    recipients = list(settings.mail.alert_to)
    if settings.alerts.email and recipients:
        queued += enqueue(
            session=session, key=key, kind=kind, recipients=recipients,
            subject=notice.subject, text=render_text(notice, settings),
            html=render_html(notice, settings), review_id=review_id, not_before=not_before,
        )  # fmt: skip
    if settings.alerts.webhook_url.get_secret_value():
        prefix, _, item = key.partition(":")
        queued += enqueue(
            session=session, key=f"{prefix}-webhook:{item}", kind=kind, recipients=[],
            subject=_without_addresses(notice.subject, notice.private), text=render_chat(notice),
            review_id=review_id, not_before=not_before, channel="webhook",
        )  # fmt: skip
    return queued


# ---------------------------------------------------------------- negative reviews, complaints


def _rating(review: Review) -> str:
    if review.rating is None or review.rating_max is None:
        return ""
    return f"{number(review.rating)} van {number(review.rating_max)}"


def _subject(review: Review, label: str) -> str:
    author = _one_line(review.author)
    if review.channel == "mail":
        title = _one_line(review.title, 120)
        who = f"Klachtmail van {author}" if author else "Klachtmail"
        return f"{who}: {title}" if title else who
    rating = _rating(review)
    if rating and (review.rating_norm is None or review.rating_norm > LOW_RATING):
        rating += ", negatieve tekst"
    subject = f"Negatieve review ({rating})" if rating else "Negatieve review"
    if author:
        subject += f" van {author}"
    return f"{subject} op {label}"


def _pending_draft(session: Session, review: Review) -> int | None:
    return session.exec(
        select(Draft.id)
        .where(
            Draft.review_id == review.id,
            Draft.content_hash == review.content_hash,
            Draft.status == "pending",
        )
        .order_by(col(Draft.id).desc())
        .limit(1)
    ).scalar()


def alert_notice(
    *, session: Session, settings: Settings, review: Review, label: str, send_at: datetime
) -> Notice:
    """The alert for one review or complaint mail, as it reads at ``send_at``."""
    zone = settings.shop.zone
    hours = settings.report.promise_hours
    deadline = review.received_at + timedelta(hours=hours)
    left = time_left(deadline, send_at)
    verb = "liep af" if left == "te laat" else "loopt af"
    draft_id = _pending_draft(session, review)
    if draft_id is not None:
        action = "Bekijk en keur het concept-antwoord goed:"
        command = f"reviewwacht drafts show {draft_id}"
        url = _web_link(settings, f"drafts/{draft_id}")
    else:
        action = f"Bekijk de {'mail' if review.channel == 'mail' else 'review'}:"
        command, url = f"reviewwacht reviews show {review.id}", None
    subject = _subject(review, label)
    return Notice(
        subject=subject,
        intro=f"{subject}, binnengekomen {when(review.received_at, zone)}.",
        quote=excerpt(review),
        deadline=f"De belofte van {hours} uur {verb} op {when(deadline, zone)}: {left}.",
        action=action,
        command=command,
        url=url,
        private=(review.contact or "",),
    )


def _alert_candidates(session: Session, settings: Settings, now: datetime) -> list[Any]:
    since = now - timedelta(hours=settings.alerts.max_age_hours)
    negative_review = and_(
        Review.channel == "review",
        or_(
            col(Review.rating_norm) <= LOW_RATING,
            col(Score.text_score) <= settings.alerts.negative_score,
        ),
    )
    complaint_mail = and_(Review.channel == "mail", Score.kind == "complaint")
    alerted = exists().where(Outbox.review_id == Review.id, Outbox.kind == "alert")
    query = (
        select(Review, Source.label)
        .join(Source, Source.id == Review.source_id)
        .outerjoin(Score, current_score())
        .where(
            received_at() >= since,
            or_(negative_review, complaint_mail),
            unanswered(),
            ~alerted,
        )
        .order_by(received_at(), Review.id)
    )
    return list(session.exec(query).all())


def queue_alerts(*, session: Session, settings: Settings, now: datetime) -> int:
    """Queue an alert for each new item worth one: a public review received within
    ``alerts.max_age_hours`` with 1-2 stars (1-3 of 10) or a clearly negative text, or a complaint
    mail; only while unanswered; each item once (``alert:<id>``, ``alert-webhook:<id>``). In quiet
    hours they wait for the end of the period. Returns the number of messages queued; does not
    commit. Run it after the draft stage, so the alert can point at the draft."""
    if not _has_destination(settings):
        return 0
    not_before = quiet_until(now, settings.alerts.quiet_period(), settings.shop.zone) or now
    queued = 0
    for review, label in _alert_candidates(session, settings, now):
        notice = alert_notice(
            session=session, settings=settings, review=review, label=label, send_at=not_before
        )
        queued += _queue(
            session=session, settings=settings, notice=notice, key=f"alert:{review.id}",
            kind="alert", review_id=review.id, not_before=not_before,
        )  # fmt: skip
    return queued


# ---------------------------------------------------------------- promises that passed


def reminder_notice(
    *, settings: Settings, reminder: Reminder, review: Review, today: date
) -> Notice:
    author = _one_line(review.author) or "de klant"
    subject = (
        f"Belofte verlopen: {_one_line(reminder.what, 120)} aan {author}, "
        f"beloofd voor {dutch_date(reminder.due_date)}"
    )
    days = (today - reminder.due_date).days
    return Notice(
        subject=subject,
        intro=f"{subject} ({days} {'dag' if days == 1 else 'dagen'} geleden).",
        action="Bekijk het goedgekeurde antwoord met de belofte:",
        command=f"reviewwacht drafts show {reminder.draft_id}",
        url=_web_link(settings, f"drafts/{reminder.draft_id}"),
        private=(review.contact or "",),
    )


def queue_overdue_reminders(*, session: Session, settings: Settings, now: datetime) -> int:
    """Queue one alert for each open reminder whose date (in the shop's time zone) has passed
    (``reminder-overdue:<id>``). Returns the number of messages queued; does not commit."""
    if not _has_destination(settings):
        return 0
    today = now.astimezone(settings.shop.zone).date()
    key = literal("reminder-overdue:", String) + cast(Reminder.id, String)
    alerted = exists().where(Outbox.key == key)
    rows = session.exec(
        select(Reminder, Review)
        .join(Review, Review.id == Reminder.review_id)
        .where(Reminder.status == "open", Reminder.due_date < today, ~alerted)
        .order_by(Reminder.due_date, Reminder.id)
    ).all()
    not_before = quiet_until(now, settings.alerts.quiet_period(), settings.shop.zone) or now
    queued = 0
    for reminder, review in rows:
        notice = reminder_notice(settings=settings, reminder=reminder, review=review, today=today)
        queued += _queue(
            session=session, settings=settings, notice=notice,
            key=f"reminder-overdue:{reminder.id}", kind="reminder", review_id=review.id,
            not_before=not_before,
        )  # fmt: skip
    return queued
