"""Configured platform sources end to end through the CLI, against a local server: a refused
token fails that source in plain words and never reaches the run log or the logs; `sources test`
shows what one source holds without storing it."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from monitor.cli import main
from monitor.db import make_engine, session_scope
from monitor.models import Review, RunStep
from tests.scrapers.conftest import Reply, ScriptedServer

TOKEN = "kiyoh-tok-3f9c1a77"
API = "/v1/publication/review/external"


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    scripted = ScriptedServer()
    yield scripted
    scripted.close()


@pytest.fixture
def config(tmp_path: Path, server: ScriptedServer, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("REVIEWWACHT_SOURCES__KIYOH__TOKEN", TOKEN)
    path = tmp_path / "reviewwacht.toml"
    path.write_text(
        '[shop]\nname = "Testwinkel"\n[http]\nretries = 0\napi_min_delay_seconds = 0\n'
        "[sources.kiyoh]\n"
        f'location_id = "1063085"\nbase_url = "{server.url("")}"\n'
        "[sources.export]\n"
        'type = "file"\npath = "export.csv"\n',
        encoding="utf-8",
    )
    (tmp_path / "export.csv").write_text(
        "external_id,rating,text\nr1,5,Prima winkel, snel geleverd.\n", encoding="utf-8"
    )
    return path


def kiyoh_review(number: int) -> dict[str, object]:
    return {
        "reviewId": f"rev-{number}",
        "reviewAuthor": f"Klant {number}",
        "rating": 9,
        "dateSince": "2026-11-20T10:00:00.000+01:00",
        "updatedSince": f"2026-11-2{number}T10:00:00.000+01:00",
        "reviewContent": [
            {"questionGroup": "DEFAULT_OPINION", "questionType": "TEXT", "rating": "Fijne winkel."}
        ],
    }


def test_a_refused_token_fails_that_source_in_plain_words_without_the_token(
    config: Path,
    server: ScriptedServer,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    body = {"errorCode": "INVALID_TOKEN", "detailedError": [{"message": f"token {TOKEN} invalid"}]}
    server.route(API, Reply(401, json.dumps(body), {"Content-Type": "application/json"}))
    with caplog.at_level(logging.DEBUG):
        code = main(["--debug", "run"])
    out, err = capsys.readouterr()
    assert code == 1
    assert "✗ verzamelen kiyoh:" in out
    assert "inloggegevens" in out
    assert "✓ verzamelen export: 1 nieuw" in out  # the other source went on
    assert server.requests[0].headers.get("X-Publication-Api-Token") == TOKEN
    engine = make_engine(f"sqlite:///{config.parent / 'reviewwacht.sqlite'}")
    with session_scope(engine) as session:
        messages = [m for (m,) in session.exec(select(RunStep.message)).all() if m]
        stored = session.exec(select(Review.text)).all()
    assert messages
    everything = "\n".join([out, err, caplog.text, *messages, *(t for (t,) in stored)])
    assert TOKEN not in everything


def test_sources_test_shows_the_first_page_and_stores_nothing(
    config: Path, server: ScriptedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    answer = {
        "numberReviews": 2,
        "averageRating": 9.0,
        "reviews": [kiyoh_review(2), kiyoh_review(1)],
    }
    server.route(API, Reply(200, json.dumps(answer), {"Content-Type": "application/json"}))
    assert main(["sources", "test", "kiyoh"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("✓ kiyoh: 2 gevonden op de eerste pagina; nieuwste ")
    assert "Klant 2: Fijne winkel." in out
    assert not (config.parent / "reviewwacht.sqlite").exists()  # nothing stored, not even a file


def test_sources_test_reports_a_failure_and_an_unknown_name(
    config: Path, server: ScriptedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    server.route(API, Reply(503, "onderhoud"))
    assert main(["sources", "test", "kiyoh"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("✗ kiyoh: ")
    assert "storing" in out
    assert main(["sources", "test", "trustpilot"]) == 1
    assert "geen bron 'trustpilot' ingesteld (ingesteld: kiyoh, export)" in capsys.readouterr().err


def test_sources_list_shows_type_state_and_last_success(
    config: Path, server: ScriptedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    server.route(
        API,
        Reply(
            200,
            json.dumps({"numberReviews": 0, "reviews": []}),
            {"Content-Type": "application/json"},
        ),
    )
    main(["run"])
    capsys.readouterr()
    assert main(["sources", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("kiyoh (kiyoh, aan): laatst gelukt ")
    assert lines[1].startswith("export (file, aan): laatst gelukt ")
    assert "nog nooit" not in lines[0]
