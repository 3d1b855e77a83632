"""Flag: look for patterns worth the owner's attention and store each one once."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from monitor.config_flags import FlagSettings
from monitor.db import session_scope
from monitor.queries import add_flag, mark_checked, unchecked_scores
from monitor.queries_flags import earlier_findings, flag_records
from monitor.runlog import StepLog
from sentiment.flags import mismatch
from sentiment.patterns import find_patterns, same_pattern


def run_flag(
    *,
    engine: Engine,
    shop_id: int,
    settings: FlagSettings,
    batch_size: int,
    step: StepLog,
    now: datetime,
    zone: ZoneInfo,
    promise_hours: int = 24,
) -> None:
    """Per-review checks on new scores, then the window checks (polarization, bursts, copies,
    accounts, escalation); a pattern already told (open or dismissed) is not stored again."""
    new_flags = 0
    with session_scope(engine) as session:
        while rows := unchecked_scores(session=session, limit=batch_size):
            for row in rows:
                if row.disagreement and row.rating_norm is not None and row.text_score is not None:
                    finding = mismatch(
                        review_id=row.review_id,
                        content_hash=row.content_hash,
                        rating_norm=row.rating_norm,
                        text_score=row.text_score,
                        author=row.author,
                    )
                    new_flags += add_flag(session=session, shop_id=shop_id, finding=finding)
            mark_checked(session=session, score_ids=[row.id for row in rows], now=now)
            session.commit()
            step.processed += len(rows)

        patterns = settings.patterns(promise_hours=promise_hours)
        since = now - timedelta(days=patterns.history_days)
        records = flag_records(session=session, shop_id=shop_id, since=since)
        told = earlier_findings(session=session, shop_id=shop_id, since=since)
        for finding in find_patterns(records, now=now, settings=patterns, zone=zone):
            if same_pattern(finding, told):
                continue
            told.append(finding)
            new_flags += add_flag(session=session, shop_id=shop_id, finding=finding)
        session.commit()
    step.new = new_flags
