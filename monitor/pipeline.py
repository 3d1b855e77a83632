"""One run of the whole pipeline: collect -> store -> score -> flag -> draft -> promises ->
notify (alerts, acknowledgements, delivery) -> post (approved replies) -> report."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine

from monitor.config import Settings
from monitor.db import open_store, refresh_statistics, session_scope
from monitor.logs import make_redactor
from monitor.models import utcnow
from monitor.queries import ensure_shop
from monitor.report import write_report
from monitor.runlog import RunLog, StepLog
from monitor.scoring import scorer_for
from monitor.stages.collect import run_collect
from monitor.stages.draft import run_draft
from monitor.stages.flag import run_flag
from monitor.stages.notify import run_notify
from monitor.stages.post import run_post
from monitor.stages.promises import run_promises
from monitor.stages.score import run_score


@dataclass
class PipelineResult:
    run_id: int
    status: str
    steps: list[StepLog]
    report: Path | None


def run_pipeline(
    settings: Settings,
    *,
    trigger: str = "run",
    full: bool = False,
    now: datetime | None = None,
    engine: Engine | None = None,
    sources: Sequence[str] | None = None,
) -> PipelineResult:
    """Run every stage once, collecting from all enabled sources or only those labelled in
    ``sources`` (the daemon polls each at its own interval). A failing source or stage is
    recorded in the run log and the later stages still work on everything stored so far; the
    result says whether anything failed."""
    engine = engine or open_store(settings.database_url)
    now = now or utcnow()  # one moment for the whole run: drafts, flags and report agree
    with session_scope(engine) as session:
        shop_id = ensure_shop(session=session, settings=settings).id
        session.commit()
    assert shop_id is not None
    runlog = RunLog(
        engine, shop_id=shop_id, trigger=trigger, redact=make_redactor(settings.secrets())
    )
    batch = settings.pipeline.batch_size
    report: Path | None = None

    run_collect(
        engine=engine, settings=settings, shop_id=shop_id, runlog=runlog, full=full, only=sources
    )
    refresh_statistics(engine)  # the later stages' queries plan on them
    with runlog.step("score") as step:
        scorer = scorer_for(settings)
        run_score(
            engine=engine, scorer=scorer, batch_size=batch,
            mismatch_gap=settings.flags.mismatch_gap, step=step,
        )  # fmt: skip
    with runlog.step("flag") as step:
        run_flag(
            engine=engine, shop_id=shop_id, settings=settings.flags, batch_size=batch,
            step=step, now=now, zone=settings.shop.zone,
            promise_hours=settings.report.promise_hours,
        )  # fmt: skip
    with runlog.step("draft") as step:
        run_draft(engine=engine, settings=settings, scorer=scorer, now=now, step=step)
    with runlog.step("promises") as step:
        run_promises(engine=engine, zone=settings.shop.zone, now=now, batch_size=batch, step=step)
    with runlog.step("notify") as step:
        run_notify(engine=engine, settings=settings, now=now, step=step)
    with runlog.step("post") as step:
        run_post(engine=engine, settings=settings, now=now, step=step)
    with runlog.step("report") as step, session_scope(engine) as session:
        report = write_report(
            session=session, settings=settings, now=now, run_id=runlog.run_id
        ).path
        step.note = f"Rapport geschreven: {report}"
    status = runlog.finish()
    return PipelineResult(run_id=runlog.run_id, status=status, steps=runlog.steps, report=report)
