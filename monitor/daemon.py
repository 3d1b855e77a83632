"""The daemon: collects each source at its own interval, delivers the outbox, queues the daily
report and writes a heartbeat, until SIGTERM or Ctrl-C."""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
import time as time_module
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from types import FrameType
from typing import Any, Protocol
from zoneinfo import ZoneInfo

import schedule
from sqlalchemy import Engine
from sqlmodel import Session

from monitor.config import Settings
from monitor.db import open_store, session_scope
from monitor.dutch import when
from monitor.errors import RunLocked
from monitor.lock import run_lock
from monitor.models import Heartbeat, utcnow
from monitor.pipeline import run_pipeline

logger = logging.getLogger(__name__)

HEARTBEAT_NAME = "daemon"
STOPPED = "gestopt"  # the heartbeat note of a daemon that stopped cleanly
DAILY_RETRY = timedelta(minutes=10)  # a failed daily report is tried again, the same day


# -- the work, injectable so that tests run without the network ---------------------------------


class PollJob(Protocol):
    def __call__(self, *, settings: Settings, engine: Engine, label: str) -> object: ...


class TimedJob(Protocol):
    def __call__(self, *, settings: Settings, engine: Engine, now: datetime) -> object: ...


def poll_source(*, settings: Settings, engine: Engine, label: str) -> None:
    """One pipeline run that collects only ``label`` (the caller holds the run lock)."""
    result = run_pipeline(settings, trigger="daemon", sources=[label], engine=engine)
    logger.info("Polled source %s: run %d, %s", label, result.run_id, result.status)


def deliver_outbox(*, settings: Settings, engine: Engine, now: datetime) -> None:
    """Send what waits in the outbox (report, alerts, acknowledgements) and post the approved
    replies that are due (new approvals from the web app, retries)."""
    from monitor.outbox import deliver
    from monitor.posting import post_replies

    deliver(engine=engine, settings=settings, now=now)
    post_replies(engine=engine, settings=settings, now=now)


def queue_report(*, settings: Settings, engine: Engine, now: datetime) -> None:
    """Put today's report in the outbox; it dedupes per day, so a second call is harmless."""
    from monitor.report_mail import queue_daily_report

    queue_daily_report(settings=settings, now=now, engine=engine)


@dataclass(frozen=True)
class Jobs:
    """What the daemon does at its turns; the defaults do the real work."""

    poll: PollJob = poll_source
    deliver: TimedJob = deliver_outbox
    daily_report: TimedJob = queue_report


# -- the daily time, in the shop's time zone ----------------------------------------------------


def next_daily_run(after: datetime, at: time, zone: ZoneInfo) -> datetime:
    """The first moment strictly after ``after`` at which the clock in ``zone`` shows ``at``,
    as an aware UTC time. On the day the clocks go forward a time in the skipped hour runs
    when the skipped hour ends (02:30 -> 03:00); on the day they go back a time in the repeated
    hour runs once, the first time the clock shows it."""
    day = after.astimezone(zone).date()
    for offset in range(3):
        moment = _wall_to_utc(datetime.combine(day + timedelta(days=offset), at), zone)
        if moment > after:
            return moment
    raise AssertionError("a daily time occurs within three days")  # pragma: no cover


def first_daily_run(now: datetime, at: time, zone: ZoneInfo) -> datetime:
    """Today's daily time, even when it has passed already: a daemon started (or restarted)
    after the daily time catches up on today's report at once."""
    midnight = _wall_to_utc(datetime.combine(now.astimezone(zone).date(), time()), zone)
    return next_daily_run(midnight - timedelta(microseconds=1), at, zone)


def _wall_to_utc(wall: datetime, zone: ZoneInfo) -> datetime:
    """The UTC moment of a naive wall-clock time in ``zone``: the earlier one where the wall
    time happens twice, the end of the gap where it does not happen at all."""
    first = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
    if first.astimezone(zone).replace(tzinfo=None) == wall:
        return first
    # In the gap, fold=0 reads the wall time with the offset from before the change (a moment
    # after it) and fold=1 with the offset from after it (a moment before it): the change lies
    # between, found to the second.
    low, high = wall.replace(tzinfo=zone, fold=1).astimezone(UTC), first
    target = high.astimezone(zone).utcoffset()
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        if middle.astimezone(zone).utcoffset() == target:
            high = middle
        else:
            low = middle
    return high.replace(microsecond=0)


# -- the heartbeat --------------------------------------------------------------------------------


def load_heartbeat(*, session: Session, name: str = HEARTBEAT_NAME) -> Heartbeat | None:
    return session.get(Heartbeat, name)


def save_heartbeat(
    *,
    engine: Engine,
    pid: int,
    host: str,
    started_at: datetime,
    now: datetime,
    note: str,
    name: str = HEARTBEAT_NAME,
) -> None:
    """Insert or update the heartbeat row ``name`` and commit."""
    with session_scope(engine) as session:
        row = session.get(Heartbeat, name) or Heartbeat(
            name=name, pid=pid, host=host, started_at=started_at, beat_at=now
        )
        row.pid, row.host, row.started_at, row.beat_at, row.note = (
            pid,
            host[:255],
            started_at,
            now,
            note,
        )
        session.add(row)
        session.commit()


# -- the daemon -----------------------------------------------------------------------------------


class Daemon:
    """Runs the jobs on a ``schedule.Scheduler`` until ``stop()`` (SIGTERM, SIGINT).

    Every job catches and logs its own errors, so one failing job never stops the others. The
    polling intervals are kept by ``schedule`` (relative intervals); the daily report is not:
    ``schedule`` counts in the machine's local time and knows nothing of daylight saving time,
    so the daemon computes the daily moment itself (``next_daily_run``) and checks it every
    minute. ``clock`` (aware UTC) and ``sleep`` are injectable for tests."""

    def __init__(
        self,
        settings: Settings,
        *,
        engine: Engine | None = None,
        jobs: Jobs | None = None,
        clock: Callable[[], datetime] = utcnow,
        sleep: Callable[[float], object] = time_module.sleep,
        nap_seconds: float = 1.0,
    ) -> None:
        self.settings = settings
        self.engine = engine or open_store(settings.database_url)
        self.jobs = jobs or Jobs()
        self.clock = clock
        self.sleep = sleep
        self.nap_seconds = nap_seconds  # the longest sleep between two looks at the signals
        self.zone = settings.shop.zone
        self.pid = os.getpid()
        self.host = socket.gethostname()
        self.started_at = clock()
        self.daily_due = first_daily_run(self.started_at, settings.report.daily, self.zone)
        self.stopping = False
        self.busy: tuple[str, datetime] | None = None  # the job in progress (for the heartbeat)
        self._done = threading.Event()
        self.scheduler = schedule.Scheduler()
        self.poll_jobs: dict[str, schedule.Job] = {}
        self._plan()

    def intervals(self) -> dict[str, int]:
        """Minutes between two polls, per enabled source."""
        default = self.settings.daemon.poll_minutes
        return {s.label: s.poll_minutes or default for s in self.settings.enabled_sources()}

    def _plan(self) -> None:
        # Insertion order is the order of the first round: proof of life, then news, then the
        # report made from it, then the mail.
        beat = self._turn("heartbeat", None, self.beat)
        self.scheduler.every(self.settings.daemon.heartbeat_seconds).seconds.do(beat)
        for label, minutes in self.intervals().items():
            turn = self._turn(
                f"poll {label}", f"bron {label}", lambda label=label: self.poll(label)
            )
            self.poll_jobs[label] = self.scheduler.every(minutes).minutes.do(turn)
        self.scheduler.every(1).minutes.do(self._turn("daily report", "dagrapport", self.daily))
        self.scheduler.every(1).minutes.do(self._turn("delivery", "bezorgen", self.deliver))

    def _turn(self, name: str, what: str | None, work: Callable[[], object]) -> Callable[[], None]:
        """``work`` as a scheduled job: skipped once stopping, its errors logged, not raised."""

        def turn() -> None:
            if self.stopping:
                return
            if what:
                self.busy = (what, self.clock())
            try:
                work()
            except Exception:
                logger.exception("Daemon job %s failed; the daemon carries on", name)
            finally:
                self.busy = None

        return turn

    # The jobs.

    def poll(self, label: str) -> None:
        try:
            with run_lock(self.settings):
                self.jobs.poll(settings=self.settings, engine=self.engine, label=label)
        except RunLocked:
            logger.info("Skipped polling %s: another run holds the lock of this database", label)

    def deliver(self) -> None:
        self.jobs.deliver(settings=self.settings, engine=self.engine, now=self.clock())

    def daily(self) -> None:
        now = self.clock()
        if now < self.daily_due:
            return
        try:
            logger.info("Queueing the daily report")
            self.jobs.daily_report(settings=self.settings, engine=self.engine, now=now)
        except Exception:
            retry = now + DAILY_RETRY
            if retry.astimezone(self.zone).date() == now.astimezone(self.zone).date():
                self.daily_due = retry
                logger.info("Daily report will be tried again at %s", retry.isoformat())
            else:
                self.daily_due = next_daily_run(now, self.settings.report.daily, self.zone)
            raise
        self.daily_due = next_daily_run(now, self.settings.report.daily, self.zone)

    def beat(self, note: str | None = None) -> None:
        now = self.clock()
        save_heartbeat(
            engine=self.engine,
            pid=self.pid,
            host=self.host,
            started_at=self.started_at,
            now=now,
            note=note or self.note(now),
        )

    def note(self, now: datetime) -> str:
        """What the daemon is doing, or does next, for ``reviewwacht status`` (Dutch)."""
        busy = self.busy
        if busy is not None:
            what, since = busy
            return f"bezig: {what} {self._at(since, now, 'sinds')}"
        upcoming = [(self.daily_due, "dagrapport")]
        # schedule keeps naive local times; astimezone() reads a naive time as local time.
        for label, job in self.poll_jobs.items():
            if job.next_run is not None:
                upcoming.append((job.next_run.astimezone(UTC), f"bron {label}"))
        moment, what = min(upcoming)
        return f"volgende: {what} {self._at(max(moment, now), now, 'om')}"

    def _at(self, moment: datetime, now: datetime, word: str) -> str:
        local = moment.astimezone(self.zone)
        if local.date() == now.astimezone(self.zone).date():
            return f"{word} {local:%H:%M}"
        return f"{'op' if word == 'om' else word} {when(moment, self.zone)}"

    # The loop.

    def stop(self) -> None:
        """Finish the job in progress, then leave ``run``."""
        self.stopping = True

    def run(self, max_iterations: int | None = None) -> None:
        """Run every job once, then each when it is due, until ``stop()`` (or, for tests, after
        ``max_iterations`` rounds)."""
        self._done.clear()
        previous = self._catch_signals()
        keepalive = threading.Thread(target=self._keepalive, name="heartbeat", daemon=True)
        keepalive.start()
        logger.info(
            "Daemon started (pid %d): %s; daily report at %s %s",
            self.pid,
            ", ".join(f"{label} every {m} min" for label, m in self.intervals().items())
            or "no sources",
            self.settings.report.daily_time,
            self.settings.shop.timezone,
        )
        try:
            self.scheduler.run_all()
            rounds = 1
            while not self.stopping and (max_iterations is None or rounds < max_iterations):
                self.sleep(self._nap())
                if self.stopping:
                    break
                self.scheduler.run_pending()
                rounds += 1
        finally:
            self._done.set()
            keepalive.join(timeout=5)
            for signum, handler in previous.items():
                signal.signal(signum, signal.SIG_DFL if handler is None else handler)
            try:
                self.beat(note=STOPPED)
            except Exception:
                logger.exception("Could not write the last heartbeat")
            logger.info("Daemon stopped")

    def _nap(self) -> float:
        idle = self.scheduler.idle_seconds
        return max(0.0, min(self.nap_seconds if idle is None else idle, self.nap_seconds))

    def _keepalive(self) -> None:
        """Beat while a long job (a poll can take minutes) keeps the loop from beating."""
        while not self._done.wait(self.settings.daemon.heartbeat_seconds):
            if self.busy is not None and not self.stopping:
                try:
                    self.beat()
                except Exception:
                    logger.exception("Could not write the heartbeat")

    def _catch_signals(self) -> dict[signal.Signals, Any]:
        if threading.current_thread() is not threading.main_thread():
            return {}  # signal handlers can only be set from the main thread
        return {
            signum: signal.signal(signum, self._on_signal)
            for signum in (signal.SIGTERM, signal.SIGINT)
        }

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        if self.stopping:
            raise KeyboardInterrupt  # asked twice: stop now, without finishing the job
        logger.info("Received %s: stopping after the job in progress", signal.Signals(signum).name)
        self.stop()
