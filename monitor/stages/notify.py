"""Notify: queue what should leave (alerts for new negative items and overdue promises, the
acknowledgement of customer mails when switched on), then send what is queued and due."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine

from monitor.acknowledge import queue_acknowledgements
from monitor.alerts import queue_alerts, queue_overdue_reminders
from monitor.config import Settings
from monitor.db import session_scope
from monitor.models import utcnow
from monitor.outbox import deliver
from monitor.runlog import StepLog


def run_notify(*, engine: Engine, settings: Settings, now: datetime, step: StepLog) -> None:
    """Queue in one transaction (each message keyed, so never twice), then deliver."""
    with session_scope(engine) as session:
        alerts = queue_alerts(session=session, settings=settings, now=now)
        overdue = queue_overdue_reminders(session=session, settings=settings, now=now)
        acknowledged = queue_acknowledgements(session=session, settings=settings, now=now)
        session.commit()
    step.new = alerts + overdue + acknowledged
    # Deliver at the real time: the run's ``now`` is when it started, maybe long ago (a --full
    # collect), and an outbox claim based on it would lapse at once.
    delivery = deliver(engine=engine, settings=settings, now=max(now, utcnow()))
    step.processed = delivery.sent
    notes = []
    if alerts or overdue:
        notes.append(f"{alerts + overdue} melding(en) klaargezet")
    if acknowledged:
        notes.append(f"{acknowledged} ontvangstbevestiging(en) klaargezet")
    if delivery.sent:
        notes.append(f"{delivery.sent} verstuurd")
    if delivery.failed:
        notes.append(f"{delivery.failed} niet gelukt, wordt later opnieuw geprobeerd")
    if delivery.waiting:
        notes.append(f"{delivery.waiting} wachten op mailinstellingen")
    step.note = "; ".join(notes) or None
