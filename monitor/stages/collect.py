"""Collect: ask every enabled source for its records and store them, a committed batch at a time."""

from __future__ import annotations

import logging

from sqlalchemy import Engine

from monitor.config import Settings
from monitor.db import session_scope
from monitor.ingest import upsert_reviews
from monitor.models import Source, utcnow
from monitor.progress import progress
from monitor.queries import ensure_sources
from monitor.runlog import RunLog, StepLog
from scrapers.base import Collector
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
            with runlog.step("collect", config.label) as step:
                collector = COLLECTORS[config.type](
                    config.settings, http=client, label=config.label
                )
                _collect_source(engine, collector, ids[config.label], step=step, full=full)
    finally:
        client.close()


def _collect_source(
    engine: Engine, collector: Collector, source_id: int, *, step: StepLog, full: bool
) -> None:
    """Store each batch with the source's new cursor in one commit, then mark the source done."""
    with session_scope(engine) as session, progress(0, f"Verzamelen {collector.label}") as bar:
        source = session.get(Source, source_id)
        assert source is not None
        for batch in collector.collect(cursor=None if full else source.cursor, full=full):
            result = upsert_reviews(session=session, source_id=source_id, records=batch.records)
            if batch.cursor is not None:
                source.cursor = batch.cursor
            session.commit()
            step.new += result.new
            step.updated += result.updated
            step.unchanged += result.unchanged
            step.warnings.extend(batch.warnings)
            bar.update(len(batch.records))
            logger.info(
                "%s: %d new, %d changed, %d unchanged",
                collector.label, result.new, result.updated, result.unchanged,
            )  # fmt: skip
        source.last_success_at = utcnow()
        session.commit()
