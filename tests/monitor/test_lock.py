"""The run lock: one run at a time per database, in one process and across processes, on SQLite
and PostgreSQL; `reviewwacht run` says so in one line when another run is busy."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from monitor.cli import main
from monitor.config import Settings
from monitor.errors import DatabaseError, RunLocked
from monitor.lock import run_lock

REPO = Path(__file__).resolve().parents[2]
LOCKED = re.compile(
    r"Er loopt al een run voor deze database \(sinds \w\w \d+ \w+ \d\d:\d\d(, proces \d+)?\); "
    r"probeer het zo opnieuw\."
)

# A second process that takes the lock, says so, and holds it until told to go (or killed).
HOLDER = textwrap.dedent(
    """
    import sys
    from monitor.config import load_settings
    from monitor.lock import run_lock

    settings = load_settings(
        discover=False, env={}, overrides={"shop": {"name": "x"}, "database": {"url": sys.argv[1]}}
    )
    with run_lock(settings):
        print("held", flush=True)
        sys.stdin.readline()
    print("released", flush=True)
    """
)


@pytest.fixture
def settings(database_url: str, make_settings: Callable[..., Settings]) -> Settings:
    return make_settings(database_url)


def test_a_second_holder_is_refused_at_once_and_may_take_it_after(settings: Settings) -> None:
    with run_lock(settings):
        with pytest.raises(RunLocked) as refused, run_lock(settings):
            pytest.fail("two holders at once")
        assert LOCKED.fullmatch(str(refused.value)), str(refused.value)
    with run_lock(settings):
        pass  # free again


def test_the_lock_is_released_when_the_block_fails(settings: Settings) -> None:
    with pytest.raises(ZeroDivisionError), run_lock(settings):
        1 / 0  # noqa: B018
    with run_lock(settings):
        pass


def test_sqlite_lock_file_sits_next_to_the_database_and_names_the_holder(
    make_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    settings = make_settings(f"sqlite:///{tmp_path / 'data' / 'shop.sqlite'}")
    lock_file = tmp_path / "data" / "shop.sqlite.lock"
    with run_lock(settings):
        assert lock_file.read_text().split()[0] == str(os.getpid())
        with pytest.raises(RunLocked, match=rf", proces {os.getpid()}\)"), run_lock(settings):
            pass
    assert lock_file.read_text() == ""  # emptied before it was unlocked


def test_another_process_holding_the_lock_blocks_until_it_ends_or_dies(
    settings: Settings,
) -> None:
    def start_holder() -> subprocess.Popen[str]:
        holder = subprocess.Popen(
            [sys.executable, "-c", HOLDER, settings.database_url],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=REPO,
        )
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        return holder

    holder = start_holder()
    try:
        with pytest.raises(RunLocked) as refused, run_lock(settings):
            pass
        assert LOCKED.fullmatch(str(refused.value)), str(refused.value)
        if settings.database_url.startswith("sqlite"):
            assert f"proces {holder.pid})" in str(refused.value)
        out, _ = holder.communicate("go\n", timeout=10)  # lets go of it normally
        assert out.strip() == "released"
        with run_lock(settings):
            pass

        holder = start_holder()
        with pytest.raises(RunLocked), run_lock(settings):
            pass
        holder.send_signal(signal.SIGKILL)  # a crash: the OS or the server frees the lock
        holder.wait(timeout=10)
        with run_lock(settings):
            pass
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()


@pytest.fixture
def config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("REVIEWWACHT_CONFIG", raising=False)
    monkeypatch.delenv("REVIEWWACHT_DATABASE_URL", raising=False)
    path = tmp_path / "reviewwacht.toml"
    path.write_text(
        '[shop]\nname = "Testwinkel"\n[database]\nurl = "sqlite:///rw.sqlite"\n'
        '[report]\nout_dir = "out"\n',
        encoding="utf-8",
    )
    return path


def test_reviewwacht_run_while_another_run_is_busy_exits_1_with_one_line(
    config_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from monitor.config import load_settings

    settings = load_settings(config_file, env={})
    with run_lock(settings):
        code = main(["--config", str(config_file), "run"])
    out, err = capsys.readouterr()
    assert code == 1
    assert "Run " not in out
    assert err.startswith("Fout: Er loopt al een run voor deze database (sinds ")
    assert len(err.strip().splitlines()) == 1
    assert LOCKED.fullmatch(err.strip().removeprefix("Fout: "))


def test_a_lock_that_cannot_be_taken_for_another_reason_is_one_dutch_line(
    make_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    (tmp_path / "bestand").write_text("")
    settings = make_settings(f"sqlite:///{tmp_path / 'bestand' / 'shop.sqlite'}")
    not_a_folder = r"^Het slotbestand .*shop\.sqlite\.lock kan niet worden geopend"
    with pytest.raises(DatabaseError, match=not_a_folder), run_lock(settings):
        pass
    settings = make_settings("postgresql+psycopg://reviewwacht:geheim@127.0.0.1:1/test")
    with pytest.raises(DatabaseError, match=r"niet bereikbaar") as failed, run_lock(settings):
        pass
    assert "geheim" not in str(failed.value)
