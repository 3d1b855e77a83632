"""The outbox on SQLite and PostgreSQL, sending to a real SMTP server on 127.0.0.1: each message
once, failures retried with a growing wait and shown, never dropped."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Any

import pytest
from sqlalchemy import Engine, select

from monitor.config import Settings
from monitor.db import session_scope
from monitor.mailer import DeliveryError
from monitor.models import Outbox
from monitor.outbox import Attachment, backoff, deliver, enqueue, failing_messages
from tests.monitor.smtp_server import (
    PASSWORD,
    USER,
    free_port,
    mail_settings,
    smtp_server,
    webhook_server,
)

NOW = datetime(2026, 11, 24, 13, 5, tzinfo=UTC)
OWNER = "eigenaar@testwinkel.example"
PNG = b"\x89PNG\r\n\x1a\n" + b"grafiek" * 20


@pytest.fixture
def settings_for(
    make_settings: Callable[..., Settings], database_url: str
) -> Callable[..., Settings]:
    def build(**sections: Any) -> Settings:
        return make_settings(database_url, **sections)

    return build


def queue(engine: Engine, key: str = "report:2026-11-24", **extra: Any) -> bool:
    values: dict[str, Any] = {
        "kind": "alert", "recipients": [OWNER], "subject": "Dagrapport",
        "text": "Alles rustig vandaag.", "not_before": NOW,
    } | extra  # fmt: skip
    with session_scope(engine) as session:
        queued = enqueue(session=session, key=key, **values)
        session.commit()
    return queued


def rows(engine: Engine) -> list[Outbox]:
    with session_scope(engine) as session:
        return list(session.exec(select(Outbox).order_by(Outbox.id)).scalars())


def test_a_key_is_queued_once_and_only_with_the_callers_commit(engine: Engine) -> None:
    with session_scope(engine) as session:
        assert enqueue(
            session=session, key="report:1", kind="report", recipients=[OWNER],
            subject="Dagrapport", text="...",
        )  # fmt: skip
        session.rollback()  # the caller's transaction failed: nothing was queued
    assert rows(engine) == []
    assert queue(engine, subject="Eerste") is True
    assert queue(engine, subject="Tweede") is False
    (row,) = rows(engine)
    assert (row.subject, row.status, row.attempts, row.recipients) == (
        "Eerste", "pending", 0, [OWNER]
    )  # fmt: skip
    with pytest.raises(ValueError, match="recipient"):
        queue(engine, key="report:2", recipients=[])


def test_each_message_is_sent_once_with_text_html_and_an_inline_chart(
    engine: Engine, settings_for: Callable[..., Settings]
) -> None:
    html = '<p>Klachten per week</p><img src="cid:chart-weken" alt="grafiek">'
    chart = Attachment(cid="chart-weken", filename="weken.png", content_type="image/png", data=PNG)
    export = Attachment(
        cid="export", filename="klachten.csv", content_type="text/csv", data=b"id;tekst\n1;kapot\n"
    )
    assert queue(engine, html=html, attachments=[chart, export])
    with smtp_server() as server:
        settings = settings_for(mail=mail_settings(server, from_name="Reviewwacht De Pollepel"))
        first = deliver(engine=engine, settings=settings, now=NOW)
        second = deliver(engine=engine, settings=settings, now=NOW + timedelta(hours=1))
    assert (first.sent, first.failed, first.waiting) == (1, 0, 0)
    assert (second.sent, second.failed, second.waiting) == (0, 0, 0)
    (received,) = server.received
    assert received.recipients == [OWNER]
    message = received.message
    assert message["Subject"] == "Dagrapport"
    assert message["From"] == "Reviewwacht De Pollepel <service@testwinkel.example>"
    assert message.get_body(("plain",)).get_content().strip() == "Alles rustig vandaag."
    assert 'src="cid:chart-weken"' in message.get_body(("html",)).get_content()
    image = next(part for part in message.walk() if part.get_content_type() == "image/png")
    assert image["Content-ID"] == "<chart-weken>"
    assert image.get_content() == PNG
    related = next(p for p in message.walk() if p.get_content_type() == "multipart/related")
    assert image in related.iter_parts()
    (attached,) = list(message.iter_attachments())
    assert attached.get_filename() == "klachten.csv"
    (row,) = rows(engine)
    assert (row.status, row.sent_at, row.attempts, row.last_error) == ("sent", NOW, 0, None)


def test_a_refused_connection_is_retried_later_and_later_and_never_dropped(
    engine: Engine, settings_for: Callable[..., Settings]
) -> None:
    port = free_port()  # nothing listens here yet
    settings = settings_for(mail=mail_settings(port, username=USER, password=PASSWORD))
    queue(engine)
    at = NOW
    for attempt in range(1, 6):
        result = deliver(engine=engine, settings=settings, now=at)
        assert (result.sent, result.failed) == (0, 1)
        (row,) = rows(engine)
        assert row.status == "pending" and row.attempts == attempt
        assert row.not_before == at + timedelta(minutes=2 ** (attempt - 1))
        assert (
            row.last_error
            == f"De SMTP-server 127.0.0.1:{port} is niet bereikbaar (verbinding geweigerd)."
        )
        assert PASSWORD not in row.last_error
        halfway = deliver(engine=engine, settings=settings, now=at + (row.not_before - at) / 2)
        assert (halfway.sent, halfway.failed) == (0, 0)  # not due yet: not tried
        at = row.not_before
    assert result.failing == 1
    with session_scope(engine) as session:
        assert [message.key for message in failing_messages(session=session)] == [
            "report:2026-11-24"
        ]
    with smtp_server(port=port, login=(USER, PASSWORD)) as server:
        result = deliver(engine=engine, settings=settings, now=at)
    assert (result.sent, result.failed, result.failing) == (1, 0, 0)
    assert len(server.received) == 1 and server.logins == [USER]
    (row,) = rows(engine)
    assert (row.status, row.attempts, row.last_error) == ("sent", 5, None)
    with session_scope(engine) as session:
        assert failing_messages(session=session) == []


def test_backoff_doubles_up_to_an_hour() -> None:
    assert [backoff(n).total_seconds() / 60 for n in range(1, 10)] == [
        1, 2, 4, 8, 16, 32, 60, 60, 60
    ]  # fmt: skip


def test_a_refused_login_is_explained_without_the_password(
    engine: Engine, settings_for: Callable[..., Settings], caplog: pytest.LogCaptureFixture
) -> None:
    queue(engine)
    with smtp_server(login=(USER, "een-ander-wachtwoord")) as server:
        settings = settings_for(mail=mail_settings(server, username=USER, password=PASSWORD))
        result = deliver(engine=engine, settings=settings, now=NOW)
    assert (result.sent, result.failed) == (0, 1)
    assert server.received == [] and set(server.logins) == {USER}  # smtplib tries two mechanisms
    (row,) = rows(engine)
    assert row.last_error == (
        f"De SMTP-server 127.0.0.1:{server.port} weigerde de inlog van {USER}; "
        "klopt het wachtwoord?"
    )
    assert PASSWORD not in caplog.text


def test_mail_waits_for_the_smtp_configuration_and_then_goes(
    engine: Engine, settings_for: Callable[..., Settings]
) -> None:
    queue(engine)
    unconfigured = settings_for()  # no mail.host, no mail.from_address
    for hours in (0, 5):
        result = deliver(engine=engine, settings=unconfigured, now=NOW + timedelta(hours=hours))
        assert (result.sent, result.failed, result.waiting) == (0, 0, 1)
    (row,) = rows(engine)
    assert (row.status, row.attempts, row.last_error) == ("pending", 0, None)
    with smtp_server() as server:
        result = deliver(engine=engine, settings=settings_for(mail=mail_settings(server)), now=NOW)
    assert (result.sent, result.waiting) == (1, 0)
    assert len(server.received) == 1


def test_webhook_messages_wait_for_a_url_then_post_json_and_errors_hide_the_url(
    engine: Engine, settings_for: Callable[..., Settings]
) -> None:
    queue(engine, key="alert-webhook:1", kind="alert", recipients=[], channel="webhook",
          subject="Negatieve review", text="*Negatieve review* van Marieke V.")  # fmt: skip
    assert deliver(engine=engine, settings=settings_for(), now=NOW).waiting == 1
    with webhook_server() as hook:
        settings = settings_for(alerts={"webhook_url": hook.url})
        hook.status = 500
        failed = deliver(engine=engine, settings=settings, now=NOW)
        hook.status = 200
        sent = deliver(engine=engine, settings=settings, now=NOW + timedelta(minutes=1))
    assert (failed.failed, sent.sent) == (1, 1)
    assert [post["json"] for post in hook.posts] == [
        {"text": "*Negatieve review* van Marieke V."}
    ] * 2
    assert hook.posts[0]["content_type"] == "application/json"
    (row,) = rows(engine)
    assert row.status == "sent" and row.attempts == 1
    with session_scope(engine) as session:
        session.add(row)
        row.status, row.last_error = "pending", None
        session.commit()
    settings = settings_for(alerts={"webhook_url": hook.url})  # the server is gone now
    deliver(engine=engine, settings=settings, now=NOW + timedelta(hours=1))
    (row,) = rows(engine)
    assert row.last_error == "De webhook op 127.0.0.1 is niet bereikbaar."
    assert "geheim-token" not in row.last_error


def test_messages_go_oldest_first_and_not_before_their_time(
    engine: Engine, settings_for: Callable[..., Settings]
) -> None:
    queue(engine, key="a", subject="Eerste")
    queue(engine, key="later", subject="Na de stille uren", not_before=NOW + timedelta(hours=8))
    queue(engine, key="b", subject="Tweede")
    with smtp_server() as server:
        settings = settings_for(mail=mail_settings(server))
        assert deliver(engine=engine, settings=settings, now=NOW).sent == 2
        subjects = [item.message["Subject"] for item in server.received]
        assert subjects == ["Eerste", "Tweede"]
        assert deliver(engine=engine, settings=settings, now=NOW + timedelta(hours=8)).sent == 1
    assert server.received[-1].message["Subject"] == "Na de stille uren"


class Recorder:
    """A transport that records what it is asked to send and fails as told."""

    def __init__(self, error: Exception | None = None) -> None:
        self.error = error
        self.mails: list[EmailMessage] = []

    def send_mail(self, message: EmailMessage) -> None:
        self.mails.append(message)
        if self.error is not None:
            raise self.error

    def post_webhook(self, url: str, payload: dict[str, Any]) -> None:
        raise AssertionError("no webhook expected")


def test_a_server_that_is_down_is_tried_once_per_round_and_every_message_counts_it(
    engine: Engine, settings_for: Callable[..., Settings]
) -> None:
    for key in ("a", "b", "c"):
        queue(engine, key=key)
    settings = settings_for(mail=mail_settings(2525))
    down = Recorder(DeliveryError("De SMTP-server 127.0.0.1:2525 verbrak de verbinding."))
    result = deliver(engine=engine, settings=settings, now=NOW, transport=down)
    assert (result.sent, result.failed) == (0, 3) and len(down.mails) == 1
    assert {row.attempts for row in rows(engine)} == {1}
    refused = Recorder(DeliveryError("Ontvanger geweigerd.", whole_channel=False))
    result = deliver(
        engine=engine, settings=settings, now=NOW + timedelta(minutes=1), transport=refused
    )
    assert (result.failed, len(refused.mails)) == (3, 3)  # only that message's problem: try each


def test_a_bug_while_sending_is_recorded_and_the_message_kept(
    engine: Engine, settings_for: Callable[..., Settings]
) -> None:
    queue(engine)
    settings = settings_for(mail=mail_settings(2525))
    result = deliver(
        engine=engine, settings=settings, now=NOW, transport=Recorder(ZeroDivisionError())
    )
    assert result.failed == 1
    (row,) = rows(engine)
    assert row.last_error == "Interne fout bij het versturen (ZeroDivisionError)."
    working = Recorder()
    assert (
        deliver(
            engine=engine, settings=settings, now=NOW + timedelta(minutes=1), transport=working
        ).sent
        == 1
    )
    assert [mail["Subject"] for mail in working.mails] == ["Dagrapport"]


def test_a_message_being_sent_by_another_process_is_not_sent_again(
    engine: Engine, settings_for: Callable[..., Settings]
) -> None:
    queue(engine)
    settings = settings_for(mail=mail_settings(2525))
    other = Recorder()
    seen: list[Any] = []

    class Meanwhile(Recorder):
        def send_mail(self, message: EmailMessage) -> None:
            # While this process talks to the server, a second one delivers too.
            seen.append(deliver(engine=engine, settings=settings, now=NOW, transport=other))
            super().send_mail(message)

    first = Meanwhile()
    assert deliver(engine=engine, settings=settings, now=NOW, transport=first).sent == 1
    assert seen[0].sent == 0 and other.mails == []
    assert len(first.mails) == 1


def test_an_unsent_daily_report_gives_way_to_a_newer_one(
    engine: Engine, settings_for: Callable[..., Settings]
) -> None:
    down = settings_for(mail=mail_settings(free_port(), alert_to=[OWNER]))
    assert queue(engine, "report:2026-11-23", kind="report", subject="Dagrapport maandag")
    assert queue(engine, "alert:7", subject="Nieuwe 1-ster review")
    assert deliver(engine=engine, settings=down, now=NOW).failed == 2
    assert queue(engine, "report:2026-11-24", kind="report", subject="Dagrapport dinsdag")
    with smtp_server() as server:
        later = NOW + timedelta(hours=1)
        sent = deliver(engine=engine, settings=settings_for(mail=mail_settings(server)), now=later)
        assert sent.sent == 2
        subjects = sorted(received.message["Subject"] for received in server.received)
    assert subjects == ["Dagrapport dinsdag", "Nieuwe 1-ster review"]
    assert [row.status for row in rows(engine)] == ["expired", "sent", "sent"]
