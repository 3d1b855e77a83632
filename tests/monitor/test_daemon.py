"""The daemon on a controlled clock: per-source intervals, the daily report across both DST changes,
overlap prevention, failing jobs, graceful shutdown, the heartbeat and its line in `status`.

How the clock is controlled: the Daemon takes a ``clock`` (aware UTC) and a ``sleep``; here both
belong to one FakeTime, whose ``sleep`` only moves the time on. ``schedule`` itself reads
``datetime.datetime.now()`` from its own module, so the ``time`` fixture swaps that module's
``datetime`` for one whose ``now()`` answers from the same FakeTime (as naive local time, exactly
what the real one returns). The daemon's loop sleeps until the next job is due, so a simulated
day costs a few thousand cheap rounds and no real waiting."""

from __future__ import annotations

import datetime as datetime_module
import functools
import logging
import os
import re
import signal
import threading
import time as time_module
import types
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import schedule
from sqlalchemy import Engine

from monitor.cli import daemon as daemon_command
from monitor.cli import main
from monitor.cli.daemon import heartbeat_line
from monitor.config import Settings
from monitor.daemon import (
    Daemon,
    Jobs,
    first_daily_run,
    load_heartbeat,
    next_daily_run,
    save_heartbeat,
)
from monitor.db import open_store, session_scope
from monitor.lock import run_lock
from monitor.models import Heartbeat

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=AMSTERDAM)  # type: ignore[misc]


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


class FakeTime:
    """The daemon's clock and sleep; ``until`` stops the daemon once the time reaches it."""

    def __init__(self) -> None:
        self.now = utc(2026, 11, 24, 12)
        self.until: datetime | None = None
        self.daemon: Daemon | None = None

    def clock(self) -> datetime:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)
        if self.until is not None and self.now >= self.until and self.daemon is not None:
            self.daemon.stop()


@pytest.fixture
def fake_time(monkeypatch: pytest.MonkeyPatch) -> FakeTime:
    fake = FakeTime()

    class ScheduleDatetime(datetime):
        @classmethod
        def now(cls, tz: Any = None) -> datetime:  # type: ignore[override]
            return fake.now.astimezone(tz) if tz else fake.now.astimezone().replace(tzinfo=None)

    clock_module = types.ModuleType("datetime")
    clock_module.__dict__.update(vars(datetime_module))
    clock_module.datetime = ScheduleDatetime  # type: ignore[attr-defined]
    monkeypatch.setattr(schedule, "datetime", clock_module)
    return fake


class Recorder:
    """Stand-ins for the real jobs: each call is recorded with the fake time it happened at."""

    def __init__(self, fake: FakeTime) -> None:
        self.fake = fake
        self.calls: list[tuple[str, str, datetime]] = []
        self.on_poll: Callable[[str], None] | None = None
        self.on_daily: Callable[[], None] | None = None

    def poll(self, *, settings: Settings, engine: Engine, label: str) -> None:
        self.calls.append(("poll", label, self.fake.now))
        if self.on_poll:
            self.on_poll(label)

    def deliver(self, *, settings: Settings, engine: Engine, now: datetime) -> None:
        self.calls.append(("deliver", "", now))

    def daily_report(self, *, settings: Settings, engine: Engine, now: datetime) -> None:
        self.calls.append(("daily", "", now))
        if self.on_daily:
            self.on_daily()

    def jobs(self) -> Jobs:
        return Jobs(poll=self.poll, deliver=self.deliver, daily_report=self.daily_report)

    def times(self, kind: str, label: str = "") -> list[datetime]:
        return [at for what, name, at in self.calls if what == kind and name == label]


SOURCES = {
    "kiyoh": {"type": "file", "path": "kiyoh.csv", "poll_minutes": 15},
    "export": {"type": "file", "path": "export.csv"},
    "oud": {"type": "file", "path": "oud.csv", "enabled": False},
}


@pytest.fixture
def settings(make_settings: Callable[..., Settings]) -> Settings:
    return make_settings(sources=SOURCES)


@pytest.fixture
def recorder(fake_time: FakeTime) -> Recorder:
    return Recorder(fake_time)


def make_daemon(settings: Settings, fake: FakeTime, recorder: Recorder, **kwargs: Any) -> Daemon:
    daemon = Daemon(
        settings,
        jobs=recorder.jobs(),
        clock=fake.clock,
        sleep=fake.sleep,
        nap_seconds=3600,
        **kwargs,
    )
    fake.daemon = daemon
    return daemon


def run_until(daemon: Daemon, fake: FakeTime, until: datetime) -> None:
    fake.until = until
    daemon.run()


# -- intervals ----------------------------------------------------------------------------------


def test_each_enabled_source_polls_at_its_own_interval(
    settings: Settings, fake_time: FakeTime, recorder: Recorder
) -> None:
    start = fake_time.now
    daemon = make_daemon(settings, fake_time, recorder)
    assert daemon.intervals() == {"kiyoh": 15, "export": 60}
    run_until(daemon, fake_time, start + timedelta(hours=1))

    minutes = [int((at - start).total_seconds() // 60) for at in recorder.times("poll", "kiyoh")]
    assert minutes == [0, 15, 30, 45]
    assert recorder.times("poll", "export") == [start]
    assert recorder.times("poll", "oud") == []
    assert len(recorder.times("deliver")) == 60  # every minute


def test_the_default_interval_comes_from_the_daemon_section(
    make_settings: Callable[..., Settings], fake_time: FakeTime, recorder: Recorder
) -> None:
    settings = make_settings(sources=SOURCES, daemon={"poll_minutes": 20})
    assert make_daemon(settings, fake_time, recorder).intervals() == {"kiyoh": 15, "export": 20}


# -- the daily report across daylight saving time -----------------------------------------------


@pytest.mark.parametrize(
    ("day_before", "utc_times"),
    [
        # 29 March 2026: 02:00 CET becomes 03:00 CEST.
        (
            local(2026, 3, 28),
            [utc(2026, 3, 28, 6, 30), utc(2026, 3, 29, 5, 30), utc(2026, 3, 30, 5, 30)],
        ),
        # 25 October 2026: 03:00 CEST becomes 02:00 CET.
        (
            local(2026, 10, 24),
            [utc(2026, 10, 24, 5, 30), utc(2026, 10, 25, 6, 30), utc(2026, 10, 26, 6, 30)],
        ),
    ],
    ids=["spring-forward", "fall-back"],
)
def test_the_daily_report_runs_once_a_day_at_half_past_seven_across_dst(
    make_settings: Callable[..., Settings],
    fake_time: FakeTime,
    recorder: Recorder,
    day_before: datetime,
    utc_times: list[datetime],
) -> None:
    settings = make_settings(daemon={"heartbeat_seconds": 6 * 3600})
    assert settings.report.daily_time == "07:30"
    fake_time.now = day_before.astimezone(UTC)
    daemon = make_daemon(settings, fake_time, recorder)
    run_until(daemon, fake_time, day_before.astimezone(UTC) + timedelta(days=2, hours=12))

    runs = recorder.times("daily")
    assert runs == utc_times
    assert [at.astimezone(AMSTERDAM).strftime("%d %H:%M") for at in runs] == [
        f"{day_before.day + n} 07:30" for n in range(3)
    ]


def test_a_daemon_started_after_the_daily_time_catches_up_once(
    make_settings: Callable[..., Settings], fake_time: FakeTime, recorder: Recorder
) -> None:
    settings = make_settings(daemon={"heartbeat_seconds": 6 * 3600})
    fake_time.now = local(2026, 11, 24, 10).astimezone(UTC)
    daemon = make_daemon(settings, fake_time, recorder)
    run_until(daemon, fake_time, local(2026, 11, 25, 12).astimezone(UTC))
    assert recorder.times("daily") == [utc(2026, 11, 24, 9), utc(2026, 11, 25, 6, 30)]


def test_a_failed_daily_report_is_tried_again_the_same_day_only(
    make_settings: Callable[..., Settings], fake_time: FakeTime, recorder: Recorder
) -> None:
    settings = make_settings(report={"daily_time": "23:30"}, daemon={"heartbeat_seconds": 6 * 3600})
    fake_time.now = local(2026, 11, 24, 20).astimezone(UTC)

    def fail() -> None:
        raise RuntimeError("smtp down")

    recorder.on_daily = fail
    daemon = make_daemon(settings, fake_time, recorder)
    run_until(daemon, fake_time, local(2026, 11, 25, 23, 31).astimezone(UTC))
    assert [at.astimezone(AMSTERDAM).strftime("%d %H:%M") for at in recorder.times("daily")] == [
        "24 23:30", "24 23:40", "24 23:50", "25 23:30",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("after", "at", "expected"),
    [
        # An ordinary day: later today, or tomorrow once it has passed (strictly after).
        (local(2026, 11, 24, 7), time(7, 30), local(2026, 11, 24, 7, 30)),
        (local(2026, 11, 24, 7, 30), time(7, 30), local(2026, 11, 25, 7, 30)),
        # Spring forward: 02:30 does not exist on 29 March, so 03:00 CEST (01:00 UTC).
        (local(2026, 3, 28, 12), time(2, 30), utc(2026, 3, 29, 1)),
        (utc(2026, 3, 29, 1), time(2, 30), local(2026, 3, 30, 2, 30)),
        (local(2026, 3, 28, 12), time(7, 30), utc(2026, 3, 29, 5, 30)),
        # Fall back: 02:30 happens twice on 25 October; only the first one counts.
        (local(2026, 10, 24, 12), time(2, 30), utc(2026, 10, 25, 0, 30)),
        (utc(2026, 10, 25, 0, 30), time(2, 30), local(2026, 10, 26, 2, 30)),
        (utc(2026, 10, 25, 1), time(2, 30), local(2026, 10, 26, 2, 30)),
        (local(2026, 10, 24, 12), time(7, 30), utc(2026, 10, 25, 6, 30)),
    ],
)
def test_next_daily_run(after: datetime, at: time, expected: datetime) -> None:
    moment = next_daily_run(after, at, AMSTERDAM)
    assert moment == expected
    assert moment.tzinfo is UTC


@pytest.mark.parametrize("at", [time(0, 0), time(2, 0), time(2, 30), time(3, 0), time(7, 30)])
@pytest.mark.parametrize("start", [local(2026, 3, 19, 12), local(2026, 10, 17, 12)])
def test_next_daily_run_gives_one_moment_per_day_through_a_dst_change(
    start: datetime, at: time
) -> None:
    moments = [start.astimezone(UTC)]
    for _ in range(14):
        moments.append(next_daily_run(moments[-1], at, AMSTERDAM))
    days = [moment.astimezone(AMSTERDAM).date() for moment in moments[1:]]
    assert days == [start.date() + timedelta(days=n) for n in range(1, 15)]
    for moment in moments[1:]:
        shown = moment.astimezone(AMSTERDAM).time()
        skipped = moment.astimezone(AMSTERDAM).date() == date(2026, 3, 29) and at.hour == 2
        assert shown == (time(3, 0) if skipped else at)  # 02:00-02:59 do not exist that day


def test_next_daily_run_in_a_zone_with_a_half_hour_change() -> None:
    lord_howe = ZoneInfo("Australia/Lord_Howe")  # 02:00 becomes 02:30 on 4 October 2026
    moment = next_daily_run(datetime(2026, 10, 3, 12, tzinfo=lord_howe), time(2, 15), lord_howe)
    assert moment.astimezone(lord_howe).replace(tzinfo=None) == datetime(2026, 10, 4, 2, 30)


def test_first_daily_run_is_today_even_when_passed() -> None:
    assert first_daily_run(local(2026, 11, 24, 6), time(7, 30), AMSTERDAM) == utc(
        2026, 11, 24, 6, 30
    )
    assert first_daily_run(local(2026, 11, 24, 9), time(7, 30), AMSTERDAM) == utc(
        2026, 11, 24, 6, 30
    )


# -- overlap and failures -----------------------------------------------------------------------


def test_a_turn_that_finds_the_run_lock_held_is_skipped_not_queued(
    settings: Settings,
    fake_time: FakeTime,
    recorder: Recorder,
    caplog: pytest.LogCaptureFixture,
) -> None:
    start = fake_time.now
    daemon = make_daemon(settings, fake_time, recorder)
    caplog.set_level(logging.INFO, logger="monitor.daemon")
    with run_lock(settings):  # another run (a cron run, say) is busy
        run_until(daemon, fake_time, start + timedelta(minutes=20))
    assert recorder.times("poll", "kiyoh") == []
    assert recorder.times("poll", "export") == []
    assert "Skipped polling kiyoh: another run holds the lock" in caplog.text
    assert len(recorder.times("deliver")) == 20  # the other jobs went on

    daemon = make_daemon(settings, fake_time, recorder)
    run_until(daemon, fake_time, fake_time.now + timedelta(minutes=1))
    assert recorder.times("poll", "kiyoh") == [start + timedelta(minutes=20)]  # once, not a backlog


def test_a_failing_job_does_not_stop_the_loop(
    settings: Settings,
    fake_time: FakeTime,
    recorder: Recorder,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def fail(label: str) -> None:
        if label == "kiyoh":
            raise RuntimeError("kiyoh is down")

    recorder.on_poll = fail
    start = fake_time.now
    daemon = make_daemon(settings, fake_time, recorder)
    run_until(daemon, fake_time, start + timedelta(hours=1))
    assert len(recorder.times("poll", "kiyoh")) == 4  # tried again at every turn
    assert recorder.times("poll", "export") == [start]
    assert len(recorder.times("deliver")) == 60
    assert "Daemon job poll kiyoh failed; the daemon carries on" in caplog.text
    assert "RuntimeError: kiyoh is down" in caplog.text


# -- shutdown -----------------------------------------------------------------------------------


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_finishes_the_job_in_progress_then_stops_cleanly(
    settings: Settings, fake_time: FakeTime, recorder: Recorder, signum: int
) -> None:
    before = signal.getsignal(signum)
    finished: list[str] = []

    def signalled(label: str) -> None:
        os.kill(os.getpid(), signum)  # arrives while this job runs
        time_module.sleep(0.01)  # the handler has run by now; the job carries on regardless
        finished.append(label)

    recorder.on_poll = signalled
    daemon = make_daemon(settings, fake_time, recorder)
    daemon.run()  # returns: no exception, no KeyboardInterrupt

    assert finished == ["kiyoh"]  # the job in progress was finished ...
    assert [what for what, _, _ in recorder.calls] == ["poll"]  # ... and nothing started after
    assert signal.getsignal(signum) == before
    with session_scope(daemon.engine) as session:
        beat = load_heartbeat(session=session)
        assert beat is not None and beat.note == "gestopt"


def test_a_signal_from_another_thread_ends_the_sleeping_loop(settings: Settings) -> None:
    jobs = Jobs(poll=lambda **_: None, deliver=lambda **_: None, daily_report=lambda **_: None)
    daemon = Daemon(settings, jobs=jobs, nap_seconds=0.05)  # the real clock and sleep
    timer = threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGTERM))
    timer.start()
    started = time_module.monotonic()
    try:
        daemon.run()
    finally:
        timer.cancel()
    assert daemon.stopping
    assert time_module.monotonic() - started < 5


def test_a_second_signal_stops_at_once(settings: Settings, fake_time: FakeTime) -> None:
    daemon = make_daemon(settings, fake_time, Recorder(fake_time))
    daemon._on_signal(signal.SIGTERM, None)
    assert daemon.stopping
    with pytest.raises(KeyboardInterrupt):
        daemon._on_signal(signal.SIGTERM, None)


# -- the heartbeat ------------------------------------------------------------------------------


def test_the_heartbeat_row_says_who_runs_and_what_comes_next(
    database_url: str,
    make_settings: Callable[..., Settings],
    fake_time: FakeTime,
    recorder: Recorder,
) -> None:
    settings = make_settings(database_url, sources=SOURCES)
    start = fake_time.now = local(2026, 11, 24, 6, 0).astimezone(UTC)
    seen: list[Heartbeat | None] = []

    def look(label: str) -> None:
        with session_scope(daemon.engine) as session:
            seen.append(load_heartbeat(session=session))

    recorder.on_poll = look
    daemon = make_daemon(settings, fake_time, recorder)
    run_until(daemon, fake_time, start + timedelta(minutes=2))

    running = seen[0]
    assert running is not None
    assert (running.pid, running.host) == (os.getpid(), daemon.host)
    assert running.started_at == start == running.beat_at
    assert running.note == "volgende: bron kiyoh om 06:15"
    with session_scope(daemon.engine) as session:
        stopped = load_heartbeat(session=session)
    assert stopped is not None
    assert stopped.note == "gestopt"
    assert stopped.beat_at == start + timedelta(minutes=2)
    assert stopped.started_at == start


def test_the_heartbeat_note_while_busy_and_across_midnight(
    settings: Settings, fake_time: FakeTime, recorder: Recorder
) -> None:
    fake_time.now = local(2026, 11, 24, 23, 50).astimezone(UTC)
    daemon = make_daemon(settings, fake_time, recorder)
    assert daemon.note(fake_time.now) == "volgende: dagrapport om 23:50"  # today's, caught up now
    daemon.run(max_iterations=1)
    assert daemon.note(fake_time.now) == "volgende: bron kiyoh op wo 25 nov 00:05"
    daemon.busy = ("bron kiyoh", fake_time.now)
    assert daemon.note(fake_time.now) == "bezig: bron kiyoh sinds 23:50"


def test_a_long_job_keeps_the_heartbeat_going(
    make_settings: Callable[..., Settings], fake_time: FakeTime, recorder: Recorder
) -> None:
    # The loop cannot beat while a poll runs for minutes; a thread beats for it meanwhile.
    settings = make_settings(sources=SOURCES, daemon={"heartbeat_seconds": 1})
    fake_time.now = local(2026, 11, 24, 14, 0).astimezone(UTC)
    notes: list[str | None] = []

    def long_poll(label: str) -> None:
        deadline = time_module.monotonic() + 5
        while time_module.monotonic() < deadline and not notes:
            time_module.sleep(0.05)
            with session_scope(daemon.engine) as session:
                beat = load_heartbeat(session=session)
            if beat is not None and beat.note and beat.note.startswith("bezig"):
                notes.append(beat.note)
        daemon.stop()

    recorder.on_poll = long_poll
    daemon = make_daemon(settings, fake_time, recorder)
    daemon.run()
    assert notes == ["bezig: bron kiyoh sinds 14:00"]


NOW = utc(2026, 11, 24, 13, 5)


def beat_at(moment: datetime, note: str) -> Heartbeat:
    return Heartbeat(
        name="daemon", pid=1234, host="server1", started_at=NOW - timedelta(days=1),
        beat_at=moment, note=note,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("beat", "interval", "line"),
    [
        (None, 30, "Daemon: nooit gestart"),
        (
            beat_at(NOW - timedelta(seconds=12), "volgende: bron kiyoh om 14:05"),
            30,
            "Daemon: actief (pid 1234 op server1), laatste teken van leven 12 s geleden; "
            "volgende: bron kiyoh om 14:05",
        ),
        (
            # Fresh up to three heartbeat intervals: 5 minutes, with a beat every 120 s.
            beat_at(NOW - timedelta(minutes=5), "bezig: bron kiyoh sinds 13:59"),
            120,
            "Daemon: actief (pid 1234 op server1), laatste teken van leven 5 min geleden; "
            "bezig: bron kiyoh sinds 13:59",
        ),
        (
            beat_at(NOW - timedelta(seconds=91), "volgende: bron kiyoh om 14:05"),
            30,
            "Daemon: niet actief (laatst gezien di 24 nov 2026 14:03)",
        ),
        (
            beat_at(utc(2026, 11, 24, 8, 12), "volgende: dagrapport om 07:30"),
            30,
            "Daemon: niet actief (laatst gezien di 24 nov 2026 09:12)",
        ),
        (
            beat_at(NOW - timedelta(seconds=5), "gestopt"),
            30,
            "Daemon: niet actief (gestopt op di 24 nov 2026 14:04)",
        ),
    ],
    ids=["never", "fresh", "busy", "just-stale", "stale", "stopped"],
)
def test_heartbeat_line(beat: Heartbeat | None, interval: int, line: str) -> None:
    assert heartbeat_line(beat, now=NOW, zone=AMSTERDAM, interval_seconds=interval) == line


@pytest.fixture
def config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("REVIEWWACHT_CONFIG", raising=False)
    monkeypatch.delenv("REVIEWWACHT_DATABASE_URL", raising=False)
    for name in [name for name in os.environ if name.startswith("REVIEWWACHT_")]:
        monkeypatch.delenv(name)
    (tmp_path / "kiyoh.csv").write_text("external_id,published_at,rating,text\n")
    path = tmp_path / "reviewwacht.toml"
    path.write_text(
        '[shop]\nname = "Testwinkel"\n[database]\nurl = "sqlite:///rw.sqlite"\n'
        '[report]\nout_dir = "out"\n'
        '[sources.kiyoh]\ntype = "file"\npath = "kiyoh.csv"\npoll_minutes = 15\n',
        encoding="utf-8",
    )
    return path


def status_line(config_file: Path, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["--config", str(config_file), "status"]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("Daemon:")]
    assert len(lines) == 1
    return lines[0]


def test_status_shows_the_heartbeat_never_fresh_and_stale(
    config_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert status_line(config_file, capsys) == "Daemon: nooit gestart"

    engine = open_store(f"sqlite:///{config_file.parent / 'rw.sqlite'}")
    now = datetime.now(UTC)
    beat = functools.partial(
        save_heartbeat, engine=engine, pid=4321, host="server1", started_at=now - timedelta(hours=1)
    )
    beat(now=now - timedelta(seconds=3), note="volgende: bron kiyoh om 14:05")
    assert re.fullmatch(
        r"Daemon: actief \(pid 4321 op server1\), laatste teken van leven \d+ s geleden; "
        r"volgende: bron kiyoh om 14:05",
        status_line(config_file, capsys),
    )
    beat(now=now - timedelta(seconds=91), note="volgende: bron kiyoh om 14:05")  # > 3 x 30 s
    assert status_line(config_file, capsys).startswith("Daemon: niet actief (laatst gezien ")


# -- the command --------------------------------------------------------------------------------


def test_the_daemon_command_says_what_it_does_and_exits_0_on_sigterm(
    config_file: Path,
    fake_time: FakeTime,
    recorder: Recorder,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    recorder.on_poll = lambda label: os.kill(os.getpid(), signal.SIGTERM)
    monkeypatch.setattr(
        daemon_command,
        "Daemon",
        functools.partial(
            Daemon, jobs=recorder.jobs(), clock=fake_time.clock, sleep=fake_time.sleep
        ),
    )
    assert main(["--config", str(config_file), "daemon"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "Daemon gestart: kiyoh elke 15 min; dagrapport om 07:30 (Europe/Amsterdam). "
        "Stoppen met Ctrl-C of SIGTERM.",
        "Daemon gestopt.",
    ]
    assert recorder.times("poll", "kiyoh") == [fake_time.now]
    assert status_line(config_file, capsys).startswith("Daemon: niet actief (gestopt op ")


def test_the_daemon_help_is_dutch_and_points_to_the_docs(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        main(["daemon", "--help"])
    out = capsys.readouterr().out
    assert "tot hij stopt met Ctrl-C of SIGTERM" in out
    assert "docs/running.md" in out
