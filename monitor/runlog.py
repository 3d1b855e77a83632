"""The run log: one row per run and per stage (per source when collecting), with counts, the
duration and, when something failed, what failed in words an owner understands.

``RunLog.step`` is the one place where a failing stage or source is caught: it is recorded and the
run goes on with the next one.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import Engine

from monitor.db import session_scope
from monitor.errors import ReviewwachtError
from monitor.models import Run, RunStep, utcnow
from scrapers.errors import SourceError

logger = logging.getLogger(__name__)

MAX_WARNINGS_SHOWN = 3


@dataclass
class StepLog:
    """Counters a stage fills in while it works."""

    stage: str
    source_label: str | None = None
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    processed: int = 0
    warnings: list[str] = field(default_factory=list)
    note: str | None = None
    failed: bool = False
    message: str | None = None


class RunLog:
    """Records a run in its own short transactions, apart from the stages' work, so the log
    survives a stage that is rolled back."""

    def __init__(
        self, engine: Engine, *, shop_id: int, trigger: str, redact: Callable[[str], str]
    ) -> None:
        self.engine = engine
        self.redact = redact
        self.steps: list[StepLog] = []
        with session_scope(engine) as session:
            run = Run(shop_id=shop_id, trigger=trigger)
            session.add(run)
            session.commit()
            self.run_id: int = run.id  # type: ignore[assignment]

    @property
    def failed(self) -> bool:
        return any(step.failed for step in self.steps)

    @contextmanager
    def step(self, stage: str, source_label: str | None = None) -> Iterator[StepLog]:
        """Run a stage inside; an exception is recorded (not raised) and the run goes on."""
        log = StepLog(stage=stage, source_label=source_label)
        self.steps.append(log)
        started = utcnow()
        clock = time.perf_counter()
        try:
            yield log
        except SourceError as exc:
            log.failed = True
            log.message = self.redact(exc.explain())
            logger.warning("%s %s failed: %s", stage, source_label or "", self.redact(str(exc)))
        except ReviewwachtError as exc:  # a problem the owner can fix, said in Dutch
            log.failed = True
            log.message = self.redact(str(exc))
            logger.warning("%s %s failed: %s", stage, source_label or "", log.message)
        except Exception as exc:
            log.failed = True
            log.message = self.redact(
                f"Interne fout ({type(exc).__name__}); de details staan in het logboek. "
                "Wat eerder in deze stap was opgeslagen, blijft bewaard."
            )
            logger.exception("%s %s failed with an internal error", stage, source_label or "")
        except BaseException:
            log.failed = True
            log.message = "Onderbroken (gestopt of afgebroken); de volgende run gaat verder."
            raise
        finally:
            self._save(log, started, time.perf_counter() - clock)

    def _save(self, log: StepLog, started: object, seconds: float) -> None:
        message = log.message
        if not log.failed:
            shown = [self.redact(text) for text in log.warnings[:MAX_WARNINGS_SHOWN]]
            more = len(log.warnings) - len(shown)
            if more > 0:
                shown.append(f"en nog {more} andere meldingen")
            message = " ".join(filter(None, [log.note, *shown])) or None
        with session_scope(self.engine) as session:
            session.add(
                RunStep(
                    run_id=self.run_id,
                    stage=log.stage,
                    source_label=log.source_label,
                    status="failed" if log.failed else "ok",
                    new=log.new,
                    updated=log.updated,
                    unchanged=log.unchanged,
                    processed=log.processed,
                    warnings=len(log.warnings),
                    message=message,
                    started_at=started,
                    duration_seconds=round(seconds, 3),
                )
            )
            session.commit()

    def finish(self) -> str:
        status = "failed" if self.failed else "ok"
        with session_scope(self.engine) as session:
            run = session.get(Run, self.run_id)
            assert run is not None
            run.status = status
            run.finished_at = utcnow()
            session.commit()
        return status
