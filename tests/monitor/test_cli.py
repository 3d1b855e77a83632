"""The command line as an owner uses it: init, run, status, reviews, drafts; errors in one line."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from monitor.cli import main

NOW = datetime.now(UTC)


@pytest.fixture
def configured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A shop configured the way the README says: `reviewwacht init`, then edit the file."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("REVIEWWACHT_CONFIG", raising=False)
    monkeypatch.delenv("REVIEWWACHT_DATABASE_URL", raising=False)
    assert main(["init"]) == 0
    config = tmp_path / "reviewwacht.toml"
    when = (NOW - timedelta(hours=3)).isoformat()
    (tmp_path / "export.csv").write_text(
        "external_id,published_at,author,rating,text\n"
        f"r1,{when},Marieke V.,1,Pakket nog steeds niet geleverd en geen reactie. Heel slecht.\n"
        f"r2,{when},Joost,5,Super snel geleverd en prachtig verpakt!\n"
        f"r3,{when},\x1b[31mHacker\x1b[0m,1,Slecht\x1b]0;owned\x07 en kapot.\n",
        encoding="utf-8",
    )
    config.write_text(
        config.read_text(encoding="utf-8").replace('name = "Mijn webwinkel"', 'name = "Testwinkel"')
        + '\n[sources.export]\ntype = "file"\npath = "export.csv"\n',
        encoding="utf-8",
    )
    return config


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_help_is_dutch_and_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("Gebruik: reviewwacht")
    for command in ("init", "run", "demo", "status", "reviews", "drafts"):
        assert re.search(rf"^\s+{command}\s", out, re.MULTILINE), command
    assert "toon deze hulp" in out


def test_a_usage_error_is_dutch_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["drafts", "approve"])
    assert exited.value.code == 2
    assert "verplicht ontbreekt: ID" in capsys.readouterr().err


def test_init_refuses_to_overwrite(configured: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["init"], capsys)
    assert code == 1
    assert (
        err.strip()
        == f"Fout: {configured.name} bestaat al; gebruik --force om het te overschrijven."
    )


def test_a_bad_config_value_is_one_line_and_exit_1(
    configured: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    configured.write_text(configured.read_text() + "\n[pipeline]\nbatch_size = 0\n")
    code, out, err = run(["run"], capsys)
    assert code == 1
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert "pipeline.batch_size: verwacht een getal minstens 1, kreeg 0" in err
    assert "Traceback" not in err


def test_debug_shows_the_traceback(configured: Path) -> None:
    configured.write_text(configured.read_text() + "\n[pipeline]\nbatch_size = 0\n")
    from monitor.errors import ConfigError

    with pytest.raises(ConfigError):
        main(["--debug", "run"])


def test_run_status_reviews_and_the_draft_decisions(
    configured: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["run"], capsys)
    assert code == 0, out
    assert "✓ verzamelen export: 3 nieuw" in out
    assert "Rapport: " in out and (configured.parent / "out" / "report.html").is_file()

    code, out, _ = run(["status"], capsys)
    assert code == 0
    assert "3 reviews, 0 mails" in out and "gelukt" in out

    code, out, _ = run(["reviews", "search", "prachtig"], capsys)
    assert "Joost" in out and "Marieke" not in out
    code, out, _ = run(["reviews", "list"], capsys)
    assert "\x1b" not in out and "\x07" not in out  # review text cannot drive the terminal
    assert "Hacker" in out

    code, out, _ = run(["drafts", "list"], capsys)
    ids = [int(number) for number in re.findall(r"^\[(\d+)\]", out, re.MULTILINE)]
    assert len(ids) == 3
    first = ids[0]
    code, out, _ = run(["drafts", "show", str(first)], capsys)
    assert "Beste " in out and f"drafts approve {first}" in out

    code, out, _ = run(
        ["drafts", "approve", str(first), "--by", "Sanne", "--text", "Beste klant, ..."], capsys
    )
    assert code == 0 and "goedgekeurd (in uw eigen woorden) door Sanne" in out
    code, _, err = run(["drafts", "approve", str(first)], capsys)
    assert code == 1 and "is al goedgekeurd" in err

    code, out, _ = run(["drafts", "reject", str(ids[1]), "--reason", "Zelf gebeld"], capsys)
    assert code == 0 and "afgewezen" in out
    code, out, _ = run(["drafts", "list", "--status", "all"], capsys)
    assert "goedgekeurd" in out and "afgewezen" in out and "openstaand" in out

    code, _, err = run(["drafts", "show", "999"], capsys)
    assert code == 1 and err.strip() == "Fout: Concept 999 bestaat niet."


def test_run_exits_1_when_a_source_fails(
    configured: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (configured.parent / "export.csv").unlink()
    code, out, _ = run(["run"], capsys)
    assert code == 1
    assert "✗ verzamelen export:" in out and "niet beschikbaar" in out
    assert "Niet alles is gelukt" in out


def test_an_unreachable_database_is_one_line(
    configured: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REVIEWWACHT_DATABASE_URL", "postgresql+psycopg://rw:pw-9876@127.0.0.1:9/rw")
    code, _, err = run(["status"], capsys)
    assert code == 1
    assert len(err.strip().splitlines()) == 1
    assert "niet bereikbaar" in err
    assert "pw-9876" not in err


def test_output_piped_into_head_stops_quietly(configured: Path) -> None:
    import subprocess
    import sys

    program = Path(sys.executable).parent / "reviewwacht"
    rows = "".join(
        f"r{n},2026-01-01T10:00:00+00:00,Klant {n},4,Prima winkel nummer {n}.\n"
        for n in range(3000)
    )
    (configured.parent / "export.csv").write_text(
        "external_id,published_at,author,rating,text\n" + rows, encoding="utf-8"
    )
    assert main(["run"]) == 0
    process = subprocess.Popen(  # far more output than a pipe holds: the write must fail
        [str(program), "reviews", "list", "--limit", "3000"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=configured.parent,
    )  # fmt: skip
    assert process.stdout is not None
    process.stdout.readline()
    process.stdout.close()  # like `| head -1`
    _, err = process.communicate(timeout=30)
    assert b"Onverwachte fout" not in err
    assert b"Traceback" not in err
    assert process.returncode == 141
