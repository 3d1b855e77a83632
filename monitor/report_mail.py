"""The daily report by mail: the same report as the file, with the charts inline (cid), queued in
the outbox once per day and sent by the delivery job."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import Engine

from monitor import dutch
from monitor.config import Settings
from monitor.db import open_store, session_scope
from monitor.outbox import Attachment, enqueue
from monitor.report import render_html, write_report

logger = logging.getLogger(__name__)


def queue_daily_report(*, settings: Settings, now: datetime, engine: Engine | None = None) -> bool:
    """Write today's report to the output folder and queue it for mail.report_to, once per day
    (shop time); returns whether it was queued now (False: already today, or nobody to send to)."""
    engine = engine or open_store(settings.database_url)
    day = now.astimezone(settings.shop.zone).date()
    with session_scope(engine) as session:
        written = write_report(session=session, settings=settings, now=now)
        data, pngs = written.data, written.charts
        recipients = list(settings.mail.report_to)
        if not recipients:
            logger.info("No mail.report_to: the daily report is written, not mailed")
            return False
        cids = {name: f"grafiek-{name}@reviewwacht" for name in pngs}
        html = render_html(data, {name: f"cid:{cid}" for name, cid in cids.items()})
        waiting = f"{data.urgent_total} klacht{'en' if data.urgent_total != 1 else ''} wacht"
        waiting += "en" if data.urgent_total != 1 else ""
        queued = enqueue(
            session=session,
            key=f"report:{day.isoformat()}",
            kind="report",
            recipients=recipients,
            subject=f"Reviewrapport {settings.shop.name}, {dutch.long_date(day)}: {waiting}",
            not_before=now,
            text=written.text,
            html=html,
            attachments=[
                Attachment(
                    cid=cids[name], filename=f"{name}.png", content_type="image/png", data=png
                )
                for name, png in pngs.items()
            ],
        )
        session.commit()
    return queued
