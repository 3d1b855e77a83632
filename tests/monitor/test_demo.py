"""The demo: the README's main command, run through the real collectors on the bundled shop."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from monitor.cli import main
from monitor.db import make_engine, session_scope
from monitor.demo import fill_dates
from monitor.models import Draft, Flag, Review, RunStep

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)  # 13:00 in Amsterdam


def test_fill_dates_in_every_format() -> None:
    text = "@@2d4h@@ | @@date:3d@@ | @@nl:45m@@ | @@mail:1d@@ | @@0m@@ | @@x@@"
    filled = fill_dates(text, now=NOW).split(" | ")
    assert filled[0] == "2026-11-22T09:00:00+01:00"
    assert filled[1] == "2026-11-21"
    assert filled[2] == "24-11-2026 12:15"
    assert parsedate_to_datetime(filled[3]) == datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    assert filled[4] == "2026-11-24T13:00:00+01:00"
    assert filled[5] == "@@x@@"  # not a placeholder: left alone


def test_every_placeholder_in_the_demo_data_is_filled() -> None:
    demo = Path(__file__).resolve().parents[2] / "data" / "demo"
    files = [*demo.glob("site/**/*.*"), *demo.glob("mail/*.eml")]
    assert len(files) >= 17
    for path in files:
        assert "@@" not in fill_dates(path.read_text(encoding="utf-8"), now=NOW), path


def test_the_demo_command_runs_the_pipeline_and_writes_the_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_dir = tmp_path / "out"
    assert main(["demo", "--out", str(out_dir)]) == 0
    printed = capsys.readouterr().out
    report = out_dir / "report.html"
    assert f"Rapport: {report}" in printed
    html = report.read_text(encoding="utf-8")
    assert "Reviewrapport De Pollepel" in html
    assert "Opvallend veel zeer negatieve én zeer positieve reviews" in html

    engine = make_engine(f"sqlite:///{out_dir / 'demo.sqlite'}")
    with session_scope(engine) as session:
        by_channel = dict(
            session.exec(select(Review.channel, func.count()).group_by(Review.channel)).all()
        )
        assert by_channel == {"review": 32 + 70, "mail": 11}  # the auto-reply is not a customer
        failed = session.exec(select(RunStep).where(RunStep.status == "failed")).all()
        assert failed == []
        kinds = {kind for (kind,) in session.exec(select(Flag.kind)).all()}
        assert {"polarization", "mismatch"} <= kinds
        pending = session.exec(
            select(func.count()).select_from(Draft).where(Draft.status == "pending")
        ).one()[0]
        assert pending > 20

    # The demo leaves a config to look around with.
    assert main(["--config", str(out_dir / "demo.toml"), "drafts", "list"]) == 0
    assert "openstaand" in capsys.readouterr().out

    # Running it again starts from a fresh database: the same counts, no duplicates.
    assert main(["demo", "--out", str(out_dir)]) == 0
    with session_scope(make_engine(f"sqlite:///{out_dir / 'demo.sqlite'}")) as session:
        assert session.exec(select(func.count()).select_from(Review)).one()[0] == 113
