"""The flag stage stores each pattern once, the owner lists and dismisses flags, and a dismissed
pattern is not told again."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from monitor.cli import main

NOW = datetime.now(UTC)


@pytest.fixture
def shop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Three months of ordinary reviews in an export, then a day of one-star revenge reviews."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("REVIEWWACHT_CONFIG", raising=False)
    monkeypatch.delenv("REVIEWWACHT_DATABASE_URL", raising=False)
    assert main(["init"]) == 0
    rng = random.Random(5)
    rows = ["external_id,published_at,author,rating,text"]
    praise = [
        "Prima winkel, snel geleverd.",
        "Mooie pan, tevreden.",
        "Top service!",
        "Goed verpakt.",
    ]
    for day in range(90, 2, -1):
        for n in range(5):
            stars = rng.choices([1, 3, 4, 5], [1, 1, 2, 6])[0]
            when = (NOW - timedelta(days=day, hours=rng.randrange(24))).isoformat()
            text = "Matig." if stars < 4 else rng.choice(praise)
            rows.append(f"h{day}-{n},{when},Klant {day}-{n},{stars},{text}")
    for n in range(9):
        when = (NOW - timedelta(hours=2 + n)).isoformat()
        rows.append(f"w{n},{when},Boze {n},1,Oplichters! Nooit meer hier bestellen nummer {n}.")
    (tmp_path / "export.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    config = tmp_path / "reviewwacht.toml"
    config.write_text(
        config.read_text(encoding="utf-8")
        + '\n[sources.export]\ntype = "file"\npath = "export.csv"\n',
        encoding="utf-8",
    )
    return config


def flags(capsys: pytest.CaptureFixture[str], *extra: str) -> list[dict]:
    capsys.readouterr()
    assert main(["flags", "list", "--json", *extra]) == 0
    return json.loads(capsys.readouterr().out)


def test_a_wave_is_flagged_once_and_stays_dismissed(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["run"]) == 0
    found = flags(capsys)
    bursts = [f for f in found if f["kind"] == "burst"]
    assert len(bursts) == 1
    burst = bursts[0]
    assert burst["evidence"]["side"] == "low"
    assert burst["evidence"]["reviews"] >= 9
    assert "zeer negatieve" in burst["title"]
    assert "beschuldig niemand" in burst["action"]

    assert main(["run"]) == 0  # the same wave: nothing new
    assert [f["id"] for f in flags(capsys) if f["kind"] == "burst"] == [burst["id"]]

    assert (
        main(["flags", "dismiss", str(burst["id"]), "--reden", "Concurrent, al gemeld bij Kiyoh"])
        == 0
    )
    assert "weggezet" in capsys.readouterr().out
    assert main(["run"]) == 0
    assert [f for f in flags(capsys) if f["kind"] == "burst"] == []
    closed = [f for f in flags(capsys, "--all") if f["kind"] == "burst"]
    assert [f["dismissed_reason"] for f in closed] == ["Concurrent, al gemeld bij Kiyoh"]


def test_the_flag_list_reads_as_dutch_advice(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["run"]) == 0
    capsys.readouterr()
    assert main(["flags", "list"]) == 0
    out = capsys.readouterr().out
    assert "LET OP" in out and "Wat te doen:" in out and "Reviews:" in out


def test_dismissing_needs_a_reason_and_a_real_flag(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["run"]) == 0
    first = flags(capsys)[0]["id"]
    assert main(["flags", "dismiss", str(first), "--reden", "   "]) == 1
    assert "reden" in capsys.readouterr().err
    assert main(["flags", "dismiss", "999", "--reden", "x"]) == 1
    assert "bestaat niet" in capsys.readouterr().err
