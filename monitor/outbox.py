"""The outbox: every mail and webhook message is queued in the caller's transaction, sent after,
and retried until it goes; a failed send is kept and shown, never dropped.

Delivery is at least once, not exactly once. Each message is first claimed (a committed
compare-and-set on its row, so two processes never send it side by side), then handed to the SMTP
server or webhook, and marked sent in the commit right after the server accepted it. A process
that dies in between (after the server's "250 OK", before that commit) leaves the message
claimed; it goes out again when the claim lapses (``CLAIM``). Its Message-ID is the same on every
attempt, so such a double is recognisable.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any, Protocol

from sqlalchemy import Engine, func, insert, select, update
from sqlmodel import Session, col

from monitor.config import Settings
from monitor.db import session_scope
from monitor.logs import make_redactor
from monitor.mailer import OWN_HEADERS, DeliveryError, SmtpTransport, build_message
from monitor.models import Outbox, OutboxAttachment, Review, utcnow
from monitor.queries import insert_or_ignore, unanswered

logger = logging.getLogger(__name__)

CHANNELS = ("email", "webhook")
FAILING_AFTER = 5  # attempts; from then on the message is listed as failing (still retried)
MAX_BACKOFF_MINUTES = 60
CLAIM = timedelta(minutes=10)  # longer than any one send may take (SMTP and webhook time-outs)
OUTBOX = Outbox.__table__  # type: ignore[attr-defined]
ATTACHMENT = OutboxAttachment.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Attachment:
    """An image or file to go with a message; an HTML body shows it inline as ``cid:<cid>``."""

    cid: str
    filename: str
    content_type: str
    data: bytes


class Transport(Protocol):
    """Where messages go: ``monitor.mailer.SmtpTransport`` for real. Both methods raise
    ``monitor.mailer.DeliveryError`` with a Dutch reason when the message did not go."""

    def send_mail(self, message: EmailMessage) -> None: ...

    def post_webhook(self, url: str, payload: dict[str, Any]) -> None: ...


@dataclass
class Delivery:
    """One round of ``deliver``: sent, failed (kept for a retry), and waiting for configuration
    (no SMTP host or no webhook URL yet); ``failing``: messages that have failed
    ``FAILING_AFTER`` times or more and are still not sent, after this round."""

    sent: int = 0
    failed: int = 0
    waiting: int = 0
    failing: int = 0


# ---------------------------------------------------------------- queueing


def enqueue(
    *,
    session: Session,
    key: str,
    kind: str,
    recipients: list[str],
    subject: str,
    text: str,
    html: str | None = None,
    headers: dict[str, str] | None = None,
    review_id: int | None = None,
    not_before: datetime | None = None,
    expires_at: datetime | None = None,
    channel: str = "email",
    attachments: Sequence[Attachment] = (),
) -> bool:
    """Queue a message unless one with ``key`` exists (queued or sent, by this run or another
    process): the key is what makes "at most once per item" hold. True when queued. Does not
    commit: the message is queued together with whatever the caller commits."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown outbox channel {channel!r}")
    if channel == "email" and not recipients:
        raise ValueError("an e-mail needs at least one recipient")
    if not key or len(key) > 300 or len(kind) > 20:
        raise ValueError(f"outbox key or kind too long or empty: {key!r}, {kind!r}")
    clashing = [name for name in headers or {} if name.lower() in OWN_HEADERS]
    if clashing:
        raise ValueError(f"headers set by the mailer itself: {clashing}")
    now = utcnow()
    row = {
        "key": key,
        "kind": kind,
        "channel": channel,
        "recipients": list(recipients),
        "subject": subject,
        "text_body": text,
        "html_body": html,
        "headers": dict(headers or {}),
        "review_id": review_id,
        "status": "pending",
        "attempts": 0,
        "not_before": not_before or now,
        "expires_at": expires_at,
        "created_at": now,
    }
    statement = insert_or_ignore(session, Outbox, ["key"]).values(row).returning(OUTBOX.c.id)
    inserted = session.exec(statement).first()
    if inserted is None:
        return False
    if attachments:
        session.exec(
            insert(ATTACHMENT),
            params=[
                {
                    "outbox_id": inserted[0],
                    "cid": item.cid,
                    "filename": item.filename,
                    "content_type": item.content_type,
                    "data": item.data,
                }
                for item in attachments
            ],
        )
    return True


# ---------------------------------------------------------------- sending


def _expired(session: Session, message: Outbox, settings: Settings, now: datetime) -> bool:
    """Whether a queued message should no longer go out: past its expiry; an acknowledgement
    once acknowledgements are switched off or a person has answered the mail; a daily report
    that a newer one replaces."""
    if message.expires_at is not None and message.expires_at <= now:
        return True
    if message.kind == "ack":
        if not settings.acknowledge.enabled or message.review_id is None:
            return True
        still_open = select(Review.id).where(Review.id == message.review_id, unanswered())
        return session.exec(still_open).first() is None
    if message.kind == "report":
        newer = select(Outbox.id).where(Outbox.kind == "report", Outbox.id > message.id)
        return session.exec(newer.limit(1)).first() is not None
    return False


def backoff(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failure: 1, 2, 4, ... minutes, at most an hour."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), MAX_BACKOFF_MINUTES))


def _ready(channel: str, settings: Settings) -> bool:
    """Is the channel configured? Until it is, its messages wait (nothing counts as failed)."""
    if channel == "email":
        return settings.mail.configured
    if channel == "webhook":
        return bool(settings.alerts.webhook_url.get_secret_value())
    return True  # an unknown channel fails, visibly, in _send


def _claim(session: Session, message_id: int, now: datetime) -> bool:
    """Take the message for this process: it must still be pending and due. Committed, so a
    second process sees it as not due until the claim lapses."""
    result = session.exec(
        update(Outbox)
        .where(Outbox.id == message_id, Outbox.status == "pending", col(Outbox.not_before) <= now)
        .values(not_before=now + CLAIM)
    )
    session.commit()
    return bool(result.rowcount)


def _send(
    session: Session, message: Outbox, settings: Settings, transport: Transport, now: datetime
) -> None:
    if message.channel == "email":
        attachments = session.exec(
            select(OutboxAttachment)
            .where(OutboxAttachment.outbox_id == message.id)
            .order_by(OutboxAttachment.id)
        ).scalars()
        transport.send_mail(build_message(message, list(attachments), settings, now=now))
    elif message.channel == "webhook":
        url = settings.alerts.webhook_url.get_secret_value()
        transport.post_webhook(url, {"text": message.text_body})
    else:
        raise DeliveryError(f"Onbekend kanaal {message.channel!r}.", whole_channel=False)


def _fail(message: Outbox, reason: str, now: datetime) -> None:
    message.attempts += 1
    message.last_error = reason
    message.not_before = now + backoff(message.attempts)
    logger.warning(
        "Outbox message %s (%s) not sent, attempt %d: %s",
        message.id, message.kind, message.attempts, reason,
    )  # fmt: skip


def deliver(
    *,
    engine: Engine,
    settings: Settings,
    now: datetime | None = None,
    transport: Transport | None = None,
) -> Delivery:
    """Send every pending message whose time has come, oldest first, one at a time, each marked
    in its own commit. A failure is counted on the message (``attempts``, ``last_error`` in
    Dutch, without secrets) and it is tried again after ``backoff``; a message for a channel that
    is not configured waits without counting. When a server is the problem (unreachable, login
    refused), the rest of that channel's messages get the same reason this round, untried."""
    now = now or utcnow()
    started = time.monotonic()
    transport = transport or SmtpTransport(settings)
    redact = make_redactor(settings.secrets())
    delivery = Delivery()
    down: dict[str, str] = {}  # channel -> why its server cannot be used this round
    with session_scope(engine) as session:
        due = session.exec(
            select(Outbox.id, Outbox.channel)
            .where(Outbox.status == "pending", col(Outbox.not_before) <= now)
            .order_by(Outbox.id)
        ).all()
        for message_id, channel in due:
            if not _ready(channel, settings):
                delivery.waiting += 1
                continue
            # ``now`` moves on with the clock while this call sends (a claim that lapsed in the
            # past protects nothing); whole seconds, so a caller's fixed ``now`` stays exact.
            moment = now + timedelta(seconds=int(time.monotonic() - started))
            if not _claim(session, message_id, moment):
                continue  # sent or claimed by another process meanwhile
            message = session.get(Outbox, message_id, populate_existing=True)
            assert message is not None
            if _expired(session, message, settings, moment):
                message.status = "expired"
                logger.info("Outbox message %s (%s) expired unsent", message_id, message.kind)
                session.commit()
                continue
            try:
                if channel in down:
                    raise DeliveryError(down[channel])
                _send(session, message, settings, transport, moment)
            except DeliveryError as exc:
                reason = redact(str(exc))
                if exc.whole_channel:
                    down[channel] = reason
                _fail(message, reason, moment)
                delivery.failed += 1
            except Exception as exc:  # a bug must not stop the other messages, nor lose this one
                logger.exception("Outbox message %s (%s) could not be sent", message_id, channel)
                _fail(message, f"Interne fout bij het versturen ({type(exc).__name__}).", moment)
                delivery.failed += 1
            else:
                message.status = "sent"
                message.sent_at = moment
                message.last_error = None
                delivery.sent += 1
                logger.info("Sent outbox message %s (%s)", message_id, message.kind)
            session.commit()
        delivery.failing = session.exec(
            select(func.count()).select_from(Outbox).where(*_failing())
        ).one()[0]
    return delivery


# ---------------------------------------------------------------- showing


def _failing() -> tuple[Any, ...]:
    return (Outbox.status == "pending", Outbox.attempts >= FAILING_AFTER)


def failing_messages(*, session: Session) -> list[Outbox]:
    """Messages that failed ``FAILING_AFTER`` times or more and are still being retried, oldest
    first: for ``reviewwacht status`` and the report (``last_error`` says why, in Dutch)."""
    query = select(Outbox).where(*_failing()).order_by(Outbox.id)
    return list(session.exec(query).scalars())
