"""Collect: ask every enabled source for its records and store them, a committed batch at a time."""

from __future__ import annotations

import logging

from sqlalchemy import Engine

from monitor.config import Settings
from monitor.db import session_scope
from monitor.ingest import upsert_reviews
from monitor.models import Source, utcnow
from monitor.queries import ensure_sources
from monitor.runlog import RunLog
from scrapers.http import HttpClient
from scrapers.registry import COLLECTORS

logger = logging.getLogger(__name__)


def run_collect(
    *, engine: Engine, settings: Settings, shop_id: int, runlog: RunLog, full: bool = False
) -> None:
    """Collect from each enabled source in turn; a failing source is recorded, the others go on."""
    sources = settings.enabled_sources()
    with session_scope(engine) as session:
        ids = ensure_sources(session=session, shop_id=shop_id, sources=settings.sources)
        session.commit()
    hosts: set[str] = set()
    for source in sources:
        hosts |= COLLECTORS[source.type].hosts(source.settings)
    client = HttpClient(settings.http.client_settings(), allowed_hosts=hosts)
    try:
        for config in sources:
            with runlog.step("collect", config.label) as step, session_scope(engine) as session:
                collector = COLLECTORS[config.type](
                    config.settings, http=client, label=config.label
                )
                source = session.get(Source, ids[config.label])
                assert source is not None
                for batch in collector.collect(cursor=None if full else source.cursor, full=full):
                    result = upsert_reviews(
                        session=session, source_id=source.id, records=batch.records
                    )
                    if batch.cursor is not None:
                        source.cursor = batch.cursor
                    session.commit()
                    step.new += result.new
                    step.updated += result.updated
                    step.unchanged += result.unchanged
                    step.warnings.extend(batch.warnings)
                    logger.info(
                        "%s: %d new, %d changed, %d unchanged",
                        config.label, result.new, result.updated, result.unchanged,
                    )  # fmt: skip
                source.last_success_at = utcnow()
                session.commit()
    finally:
        client.close()
