"""Building the e-mails and sending them over SMTP (plain, STARTTLS and TLS, with verified
certificates) and to chat webhooks, against real servers on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import pytest

from monitor.config import Settings
from monitor.mailer import DeliveryError, SmtpTransport, build_message
from monitor.models import Outbox
from monitor.outbox import Attachment
from tests.monitor.smtp_server import (
    PASSWORD,
    USER,
    Tls,
    free_port,
    mail_settings,
    make_certificate,
    silent_server,
    smtp_server,
    webhook_server,
)

NOW = datetime(2026, 11, 24, 13, 5, tzinfo=UTC)
PNG = b"\x89PNG\r\n\x1a\n" + b"grafiek" * 20


def row(**values: Any) -> Outbox:
    defaults: dict[str, Any] = {
        "id": 7, "key": "ack:<m1@mail.example.nl>", "kind": "ack",
        "recipients": ["t.brouwer@example.nl"], "subject": "Re: Terugbetaling retour braadpan",
        "text_body": "Beste Thomas,\n\nDank u voor uw bericht.\n", "headers": {},
        "created_at": NOW,
    }  # fmt: skip
    return Outbox(**(defaults | values))


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> Tls:
    found = make_certificate(tmp_path_factory.mktemp("tls"))
    if found is None:
        pytest.skip("openssl is not installed: apt-get install openssl")
    return found


# ---------------------------------------------------------------- building


def test_a_plain_message_has_sender_recipients_date_message_id_and_extra_headers(
    make_settings: Callable[..., Settings],
) -> None:
    settings = make_settings(mail=mail_settings(2525))
    headers = {
        "In-Reply-To": "<m1@mail.example.nl>",
        "References": "<m1@mail.example.nl>",
        "Auto-Submitted": "auto-replied",
    }
    built = build_message(row(headers=headers), [], settings, now=NOW)
    assert built["From"] == "Testwinkel <service@testwinkel.example>"  # from_name empty: the shop
    assert built["To"] == "t.brouwer@example.nl"
    assert built["Subject"] == "Re: Terugbetaling retour braadpan"
    assert parsedate_to_datetime(built["Date"]) == NOW
    assert built["Date"].endswith("+0100")  # in the shop's time zone
    assert built["Message-ID"].endswith("@testwinkel.example>")
    assert build_message(row(), [], settings)["Message-ID"] == built["Message-ID"]  # every try
    for name, value in headers.items():
        assert built[name] == value
    assert built.get_content_type() == "text/plain"
    assert built.get_content() == "Beste Thomas,\n\nDank u voor uw bericht.\n"


def test_a_sender_name_with_dots_is_quoted_and_line_breaks_never_reach_a_header(
    make_settings: Callable[..., Settings],
) -> None:
    settings = make_settings(mail=mail_settings(2525, from_name="De Pollepel B.V."))
    built = build_message(row(subject="Klacht\r\nBcc: iedereen@example.nl"), [], settings)
    assert built["From"] == '"De Pollepel B.V." <service@testwinkel.example>'
    assert built["Subject"] == "Klacht Bcc: iedereen@example.nl"
    assert built["Bcc"] is None
    assert b"\nBcc:" not in built.as_bytes()


def test_html_with_a_chart_by_cid_is_related_inline_and_other_files_are_attachments(
    make_settings: Callable[..., Settings],
) -> None:
    settings = make_settings(mail=mail_settings(2525))
    html = '<h1>Dagrapport</h1><img src="cid:chart-weken">'
    attachments = [
        Attachment("chart-weken", "weken.png", "image/png", PNG),
        Attachment("bijlage", "klachten.csv", "text/csv", b"id;tekst\n"),
    ]
    built = build_message(row(html_body=html), attachments, settings)
    structure = [part.get_content_type() for part in built.walk()]
    assert structure == [
        "multipart/mixed",
        "multipart/alternative",
        "text/plain",
        "multipart/related",
        "text/html",
        "image/png",
        "text/csv",
    ]
    image = next(part for part in built.walk() if part.get_content_type() == "image/png")
    assert image["Content-ID"] == "<chart-weken>"
    assert image.get_content_disposition() == "inline"
    assert [part.get_filename() for part in built.iter_attachments()] == ["klachten.csv"]

    only_chart = build_message(row(html_body=html), attachments[:1], settings)
    assert only_chart.get_content_type() == "multipart/alternative"


def test_an_invalid_address_is_a_delivery_error_of_that_message_only(
    make_settings: Callable[..., Settings],
) -> None:
    settings = make_settings(mail=mail_settings(2525))
    with pytest.raises(DeliveryError, match="geen geldig e-mailadres") as caught:
        build_message(row(recipients=["niet een adres <<"]), [], settings)
    assert caught.value.whole_channel is False


# ---------------------------------------------------------------- SMTP


def send(settings: Settings, context: Any = None, **values: Any) -> None:
    built = build_message(row(**values), [], settings)
    SmtpTransport(settings, ssl_context=context).send_mail(built)


def test_starttls_is_verified_and_logs_in(make_settings: Callable[..., Settings], tls: Tls) -> None:
    with smtp_server(tls=tls, starttls=True, login=(USER, PASSWORD)) as server:
        settings = make_settings(
            mail=mail_settings(server, security="starttls", username=USER, password=PASSWORD)
        )
        with pytest.raises(DeliveryError) as caught:
            send(settings)  # the system's trust store does not know this certificate
        assert str(caught.value) == (
            f"Het certificaat van de SMTP-server 127.0.0.1:{server.port} kon niet worden "
            "gecontroleerd; er is niets verstuurd."
        )
        send(settings, tls.client_context())
    (received,) = server.received
    assert received.recipients == ["t.brouwer@example.nl"]
    assert server.logins == [USER]


def test_implicit_tls_is_verified(make_settings: Callable[..., Settings], tls: Tls) -> None:
    with smtp_server(tls=tls) as server:
        settings = make_settings(mail=mail_settings(server, security="tls"))
        with pytest.raises(DeliveryError, match="certificaat"):
            send(settings)
        send(settings, tls.client_context())
    assert len(server.received) == 1


def test_tls_against_a_plain_server_explains_the_mismatch(
    make_settings: Callable[..., Settings],
) -> None:
    with smtp_server() as server:
        settings = make_settings(mail=mail_settings(server, security="tls"))
        with pytest.raises(
            DeliveryError, match=r"beveiligde verbinding .* mislukte; past beveiliging 'tls'"
        ):
            send(settings)


def test_a_refused_recipient_concerns_that_message_only(
    make_settings: Callable[..., Settings],
) -> None:
    with smtp_server() as server:
        server.refuse.add("weg@example.nl")
        settings = make_settings(mail=mail_settings(server))
        with pytest.raises(DeliveryError) as caught:
            send(settings, recipients=["weg@example.nl"])
        assert str(caught.value) == (
            f"De SMTP-server 127.0.0.1:{server.port} weigerde de ontvanger weg@example.nl."
        )
        assert caught.value.whole_channel is False
        # One of two refused: the message went to the other, so it counts as sent.
        send(settings, recipients=["weg@example.nl", "eigenaar@testwinkel.example"])
    assert [item.recipients for item in server.received] == [["eigenaar@testwinkel.example"]]


def test_a_server_that_does_not_answer_times_out(make_settings: Callable[..., Settings]) -> None:
    with silent_server() as port:
        settings = make_settings(mail=mail_settings(port, timeout_seconds=0.3))
        with pytest.raises(DeliveryError) as caught:
            send(settings)
    assert "gaf geen antwoord binnen 0,3 seconden (time-out)" in str(caught.value)
    assert caught.value.whole_channel is True


def test_a_closed_port_is_a_refused_connection(make_settings: Callable[..., Settings]) -> None:
    port = free_port()
    settings = make_settings(mail=mail_settings(port, username=USER, password=PASSWORD))
    with pytest.raises(DeliveryError) as caught:
        send(settings)
    assert str(caught.value) == (
        f"De SMTP-server 127.0.0.1:{port} is niet bereikbaar (verbinding geweigerd)."
    )


# ---------------------------------------------------------------- webhooks


@pytest.fixture
def hook() -> Iterator[Any]:
    with webhook_server() as server:
        yield server


def test_a_webhook_gets_json_text(make_settings: Callable[..., Settings], hook: Any) -> None:
    SmtpTransport(make_settings()).post_webhook(hook.url, {"text": "Negatieve review"})
    assert hook.posts == [
        {
            "path": "/hooks/T000/B000/geheim-token-123",
            "content_type": "application/json",
            "json": {"text": "Negatieve review"},
        }
    ]


def test_webhook_errors_name_the_host_only(
    make_settings: Callable[..., Settings], hook: Any
) -> None:
    transport = SmtpTransport(make_settings())
    hook.status = 404
    with pytest.raises(DeliveryError) as caught:
        transport.post_webhook(hook.url, {"text": "x"})
    assert str(caught.value) == "De webhook op 127.0.0.1 weigerde het bericht (HTTP 404)."
    with pytest.raises(DeliveryError) as caught:
        transport.post_webhook("http://hooks.slack.example/services/T0/B0/geheim-token", {})
    assert "geheim-token" not in str(caught.value)
    assert "moet met https:// beginnen" in str(caught.value)
