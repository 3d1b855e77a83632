"""The daily report by mail, received by a real SMTP server on 127.0.0.1: once per day, to the
report recipients, with text and HTML parts and the charts inline."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from monitor.cli import main
from monitor.config import Settings, load_settings
from monitor.db import open_store, session_scope
from monitor.models import Outbox
from monitor.outbox import deliver, enqueue
from monitor.pipeline import run_pipeline
from monitor.report_mail import queue_daily_report
from tests.monitor.smtp_server import mail_settings, smtp_server

NOW = datetime.now(UTC).replace(microsecond=0)
HOSTILE = "<script>alert('x')</script> Pakket kapot en heel slecht!"


def shop_settings(
    tmp_path: Path, make_settings: Callable[..., Settings], database_url: str, port: int
) -> Settings:
    when = (NOW - timedelta(hours=3)).isoformat()
    (tmp_path / "export.csv").write_text(
        "external_id,published_at,author,rating,text\n"
        f"r1,{when},Marieke V.,1,{HOSTILE}\n"
        f"r2,{when},Joop,5,Super snel geleverd en mooi verpakt!\n",
        encoding="utf-8",
    )
    return make_settings(
        database_url,
        sources={"export": {"type": "file", "path": str(tmp_path / "export.csv")}},
        report={"charts": True},
        mail=mail_settings(port, report_to=["eigenaar@testwinkel.example"]),
    )


def test_the_daily_report_arrives_once_with_text_html_and_inline_charts(
    tmp_path: Path, make_settings: Callable[..., Settings], database_url: str
) -> None:
    with smtp_server() as server:
        settings = shop_settings(tmp_path, make_settings, database_url, server.port)
        engine = open_store(settings.database_url)
        run_pipeline(settings, now=NOW, engine=engine)
        assert queue_daily_report(settings=settings, now=NOW, engine=engine) is True
        assert queue_daily_report(settings=settings, now=NOW, engine=engine) is False  # same day
        assert deliver(engine=engine, settings=settings, now=NOW).sent == 1
        assert deliver(engine=engine, settings=settings, now=NOW).sent == 0
    (received,) = server.received
    assert received.recipients == ["eigenaar@testwinkel.example"]
    message = received.message
    assert message["Subject"].startswith("Reviewrapport Testwinkel, ")
    assert "1 klacht wacht" in message["Subject"]
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "WACHT OP ANTWOORD: KLACHTEN (1)" in text
    assert HOSTILE in text  # plain text: shown as it is
    assert "<script>alert" not in html  # HTML: escaped
    assert "&lt;script&gt;" in html
    images = [part for part in message.walk() if part.get_content_type() == "image/png"]
    assert len(images) == 3
    for image in images:
        cid = image["Content-ID"].strip("<>")
        assert f'src="cid:{cid}"' in html
        assert image.get_content()[:8] == b"\x89PNG\r\n\x1a\n"
    # The file in out/ is written too, with its charts inlined.
    assert "data:image/png;base64," in (settings.out_dir / "report.html").read_text("utf-8")


def test_without_recipients_the_report_is_written_not_mailed(
    tmp_path: Path, make_settings: Callable[..., Settings], database_url: str
) -> None:
    settings = make_settings(database_url)
    assert queue_daily_report(settings=settings, now=NOW) is False
    assert (settings.out_dir / "report.html").is_file()
    assert (settings.out_dir / "report.txt").is_file()


def test_report_send_from_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    with smtp_server() as server:
        (tmp_path / "reviewwacht.toml").write_text(
            '[shop]\nname = "Testwinkel"\n[report]\ncharts = false\n'
            f'[mail]\nhost = "127.0.0.1"\nport = {server.port}\nsecurity = "none"\n'
            'from_address = "service@testwinkel.example"\n'
            'report_to = ["eigenaar@testwinkel.example"]\n',
            encoding="utf-8",
        )
        assert main(["report", "--send"]) == 0
        assert "1 mail(s) verstuurd" in capsys.readouterr().out
        assert main(["report", "--send"]) == 0
        assert "al verstuurd" in capsys.readouterr().out
    assert len(server.received) == 1
    assert main(["report"]) == 0
    assert capsys.readouterr().out.startswith("Rapport: ")


def test_mail_that_keeps_failing_shows_in_status_and_the_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "reviewwacht.toml").write_text('[shop]\nname = "Testwinkel"\n', encoding="utf-8")
    assert main(["status"]) == 0
    capsys.readouterr()
    settings = load_settings(env={})
    engine = open_store(settings.database_url)
    with session_scope(engine) as session:
        enqueue(session=session, key="alert:1", kind="alert", recipients=["a@x.example"],
                subject="Negatieve review van Marieke V.", text="...")  # fmt: skip
        session.commit()
        message = session.exec(select(Outbox)).scalars().one()
        message.attempts = 6
        message.last_error = "De SMTP-server smtp.x.example:587 is niet bereikbaar."
        session.commit()
    assert main(["status"]) == 0
    out = capsys.readouterr().out
    assert (
        "Mail niet verstuurd na 6 pogingen: Negatieve review van Marieke V. – De SMTP-server" in out
    )
    assert main(["report"]) == 0
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "nog niet verstuurd na 6 pogingen" in html
