"""Collect: ask every enabled source for its records and store them, a committed batch at a time."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine

from monitor import dutch
from monitor.config import Settings, SourceConfig
from monitor.db import session_scope
from monitor.ingest import upsert_reviews
from monitor.models import Source, utcnow
from monitor.progress import progress
from monitor.queries import ensure_sources, mark_removed
from monitor.replies import supersede_stale_drafts
from monitor.runlog import RunLog, StepLog
from scrapers.base import Collector, Stored
from scrapers.http import HttpClient
from scrapers.registry import COLLECTORS

logger = logging.getLogger(__name__)


def run_collect(
    *,
    engine: Engine,
    settings: Settings,
    shop_id: int,
    runlog: RunLog,
    full: bool = False,
    only: Sequence[str] | None = None,
) -> None:
    """Collect from each enabled source in turn (or just those labelled in ``only``); a failing
    source is recorded, the others go on."""
    sources = [s for s in settings.enabled_sources() if only is None or s.label in only]
    with session_scope(engine) as session:
        ids = ensure_sources(session=session, shop_id=shop_id, sources=settings.sources)
        session.commit()
    client = http_client_for(settings, sources)
    try:
        for config in sources:
            with runlog.step("collect", config.label) as step:
                collector = COLLECTORS[config.type](
                    config.settings, http=client, label=config.label
                )
                _collect_source(engine, collector, ids[config.label], step=step, full=full)
    finally:
        client.close()


def http_client_for(settings: Settings, sources: list[SourceConfig]) -> HttpClient:
    """One HTTP client for a run, allowed to contact exactly the hosts these sources name."""
    hosts: set[str] = set()
    for source in sources:
        hosts |= COLLECTORS[source.type].hosts(source.settings)
    return HttpClient(settings.http.client_settings(), allowed_hosts=hosts)


def _collect_source(
    engine: Engine, collector: Collector, source_id: int, *, step: StepLog, full: bool
) -> None:
    """Store each batch with the source's new cursor in one commit and tell the collector what
    was new (so it can stop paging); after a full resync of a source that lists everything,
    mark what it no longer shows as removed."""
    seen: set[str] = set()
    with session_scope(engine) as session, progress(f"Verzamelen {collector.label}") as bar:
        source = session.get(Source, source_id)
        assert source is not None
        batches = collector.collect(cursor=None if full else source.cursor, full=full)
        stored: Stored | None = None
        try:
            while True:
                try:
                    batch = batches.send(stored)
                except StopIteration:
                    break
                result = upsert_reviews(session=session, source_id=source_id, records=batch.records)
                supersede_stale_drafts(session=session, review_ids=result.changed_review_ids)
                if batch.cursor is not None:
                    source.cursor = batch.cursor
                session.commit()
                seen.update(result.external_ids)  # as stored: an over-long id is its hash
                stored = Stored(new=result.new, updated=result.updated, unchanged=result.unchanged)
                step.new += result.new
                step.updated += result.updated
                step.unchanged += result.unchanged
                step.warnings.extend(batch.warnings)
                step.note = describe_stats(batch.stats) or step.note
                bar.update(len(batch.records))
                logger.info(
                    "%s: %d new, %d changed, %d unchanged",
                    collector.label, result.new, result.updated, result.unchanged,
                )  # fmt: skip
        finally:
            batches.close()
        if full and collector.lists_everything:
            removed, back = mark_removed(
                session=session, source_id=source_id, seen=seen, now=utcnow()
            )
            supersede_stale_drafts(session=session, review_ids=removed)
            if removed or back:
                gone = f"{len(removed)} reviews niet meer gevonden (gemarkeerd, niet gewist)"
                gone += f"; {back} weer terug" if back else ""
                step.note = f"{step.note}. {gone}" if step.note else gone
        source.last_success_at = utcnow()
        session.commit()


def describe_stats(stats: dict[str, Any]) -> str | None:
    """What a source says about itself, as a Dutch line for the run log."""
    if not stats:
        return None
    parts = []
    if stats.get("total") is not None:
        parts.append(f"de bron meldt {stats['total']} reviews")
    if stats.get("average") is not None:
        parts.append(f"gemiddeld {dutch.number(float(stats['average']), decimals=1)}")
    histogram = stats.get("histogram") or {}
    if histogram:
        stars = " · ".join(f"{key}★ {histogram[key]}" for key in sorted(histogram, reverse=True))
        parts.append(f"verdeling {stars}")
    text = ", ".join(parts)
    return text[:1].upper() + text[1:] if text else None
