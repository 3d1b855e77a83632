"""The automatic acknowledgement on SQLite and PostgreSQL: off by default; once per thread, in the
customer's thread, never to the shop itself or to no-reply addresses; the promised moment in the
shop's time zone; the shop's register."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import pytest
from sqlalchemy import Engine, select

from monitor.acknowledge import queue_acknowledgements, refusal, reply_subject
from monitor.config import Settings
from monitor.db import session_scope
from monitor.models import Outbox, Review
from monitor.outbox import deliver
from scrapers.mail import parse_message
from scrapers.records import RawReview
from tests.monitor.smtp_server import free_port, mail_settings, smtp_server, store

NOW = datetime(2026, 11, 24, 13, 5, tzinfo=UTC)  # Tuesday 24 November, 14:05 in Amsterdam
CUSTOMER = "T.Brouwer@example.nl"


def customer_mail(
    number: str,
    received: datetime = NOW,
    *,
    sender: str = f"Thomas Brouwer <{CUSTOMER}>",
    subject: str = "Terugbetaling retour braadpan",
    reply_to: str | None = None,
) -> RawReview:
    """A customer's mail as the mailbox collectors read it."""
    threading = f"In-Reply-To: {reply_to}\nReferences: {reply_to}\n" if reply_to else ""
    raw = (
        f"From: {sender}\nTo: service@testwinkel.example\nSubject: {subject}\n"
        f"Date: {format_datetime(received)}\nMessage-ID: <{number}@mail.example.nl>\n{threading}"
        "Content-Type: text/plain; charset=utf-8\n\n"
        "Twee weken geleden teruggestuurd en nog steeds geen geld terug.\n"
    )
    record = parse_message(raw.encode())
    assert record is not None
    return record


@pytest.fixture
def settings_for(
    make_settings: Callable[..., Settings], database_url: str
) -> Callable[..., Settings]:
    def build(server: Any = 2525, enabled: bool = True, **sections: Any) -> Settings:
        sections.setdefault("mail", mail_settings(server))
        acknowledge = {"enabled": enabled} | sections.pop("acknowledge", {})
        return make_settings(database_url, acknowledge=acknowledge, **sections)

    return build


def queue(engine: Engine, settings: Settings, now: datetime = NOW) -> int:
    with session_scope(engine) as session:
        queued = queue_acknowledgements(session=session, settings=settings, now=now)
        session.commit()
    return queued


def outbox(engine: Engine) -> list[Outbox]:
    with session_scope(engine) as session:
        return list(session.exec(select(Outbox).order_by(Outbox.id)).scalars())


def test_nothing_is_acknowledged_unless_switched_on_and_mail_is_configured(
    engine: Engine, make_settings: Callable[..., Settings], database_url: str,
    settings_for: Callable[..., Settings],
) -> None:  # fmt: skip
    defaults = make_settings(database_url, mail=mail_settings(2525))
    assert defaults.acknowledge.enabled is False
    store(engine, defaults, [customer_mail("m1")])
    assert queue(engine, defaults) == 0
    assert queue(engine, settings_for(mail={})) == 0  # switched on, but no SMTP server
    assert outbox(engine) == []


def test_each_thread_gets_one_acknowledgement_in_the_customers_thread(
    engine: Engine, settings_for: Callable[..., Settings]
) -> None:
    with smtp_server() as server:
        settings = settings_for(server)
        stored = store(engine, settings, [customer_mail("m1")])
        assert queue(engine, settings) == 1
        assert queue(engine, settings) == 0
        assert deliver(engine=engine, settings=settings, now=NOW).sent == 1
        # The customer writes again in the same thread, an hour later: no second one.
        later = NOW + timedelta(hours=1)
        store(engine, settings, [customer_mail("m2", later, subject="Re: Terugbetaling retour braadpan", reply_to="<m1@mail.example.nl>")])  # fmt: skip
        assert queue(engine, settings, now=later) == 0
        assert deliver(engine=engine, settings=settings, now=later).sent == 0
    (received,) = server.received
    assert received.recipients == [CUSTOMER.lower()]
    message = received.message
    assert message["Subject"] == "Re: Terugbetaling retour braadpan"
    assert message["In-Reply-To"] == "<m1@mail.example.nl>"
    assert message["References"] == "<m1@mail.example.nl>"
    assert message["Auto-Submitted"] == "auto-replied"
    assert message["Reply-To"] is None  # contact and sender are the same address here
    assert message.get_content().replace("\r\n", "\n") == (
        "Beste Thomas,\n\n"
        "Dank u voor uw bericht. We hebben het goed ontvangen en reageren binnen 24 uur: "
        "uiterlijk morgen 14:05.\n\n"
        "Dit is een automatische bevestiging. Wilt u nog iets aanvullen? Beantwoord dan gewoon "
        "deze mail.\n\n"
        "Met vriendelijke groet,\nHet klantenserviceteam\nTestwinkel\n"
    )
    (row,) = outbox(engine)
    assert (row.key, row.kind, row.review_id) == (
        "ack:<m1@mail.example.nl>",
        "ack",
        stored["<m1@mail.example.nl>"].id,
    )


def test_own_and_no_reply_addresses_and_own_domains_are_never_acknowledged(
    engine: Engine, settings_for: Callable[..., Settings]
) -> None:
    settings = settings_for(
        shop={"domain": "https://www.testwinkel.example/"},
        mail=mail_settings(2525, from_address="winkel@verzendhuis.example",
                           alert_to=["eigenaar@gmail.example"]),
        acknowledge={"own_addresses": ["@depollepel.example", "Boekhouding@partner.example"]},
    )  # fmt: skip
    senders = [
        "service@testwinkel.example",  # shop.contact_email (and the shop's web domain)
        "Service+retour@testwinkel.example",
        "winkel@verzendhuis.example",  # mail.from_address
        "eigenaar@gmail.example",  # an alert address is a person of the shop
        "collega@depollepel.example",  # an own domain ...
        "inkoop@mail.depollepel.example",  # ... and its subdomains
        "boekhouding@partner.example",
        "noreply@bol.example", "no-reply@shop.example", "do_not_reply@bank.example",
        "DoNotReply@dhl.example", "MAILER-DAEMON@mx.example", "postmaster@mx.example",
        "bounces+12345@sendgrid.example", "bounce-9@mailer.example",
        "geen-adres", "iemand@localhost",
        "klant@example.nl",  # the only customer
    ]  # fmt: skip
    records = [customer_mail(f"m{i}", sender=sender) for i, sender in enumerate(senders)]
    records.append(customer_mail("leeg", sender="Onbekend <>"))
    store(engine, settings, records)
    assert queue(engine, settings) == 1
    assert [row.recipients for row in outbox(engine)] == [["klant@example.nl"]]
    assert refusal("", settings) == "no address"
    assert refusal("a@b.example,c@d.example", settings) == "not a valid address"


def test_the_promised_moment_is_in_the_shops_time_zone_across_midnight_in_je(
    engine: Engine, settings_for: Callable[..., Settings]
) -> None:
    # Received 23:30 UTC on Monday: 00:30 on Tuesday in Amsterdam. 24 hours later is 00:30 on
    # Wednesday there, "morgen" seen from Tuesday 00:40; in UTC it would be 23:30 "morgen".
    received = datetime(2026, 11, 23, 23, 30, tzinfo=UTC)
    settings = settings_for(drafts={"register": "je", "signature": "Sanne"},
                            mail=mail_settings(2525, from_address="noreply@testwinkel.example"))  # fmt: skip
    store(engine, settings, [customer_mail("nacht", received, subject="RE: Antw: Levering")])
    assert queue(engine, settings, now=received + timedelta(minutes=10)) == 1
    (row,) = outbox(engine)
    assert row.subject == "Re: Levering"
    assert "Dank je voor je bericht." in row.text_body
    assert "reageren binnen 24 uur: uiterlijk morgen 00:30." in row.text_body
    assert "Wil je nog iets aanvullen?" in row.text_body and " u " not in row.text_body
    assert row.text_body.endswith("Met vriendelijke groet,\nSanne\nTestwinkel\n")
    # The shop sends from a no-reply address: replies go to the contact address.
    assert row.headers["Reply-To"] == "service@testwinkel.example"


def test_a_promise_further_away_names_the_day(
    engine: Engine, settings_for: Callable[..., Settings]
) -> None:
    settings = settings_for(report={"promise_hours": 48})
    store(engine, settings, [customer_mail("m1")])
    queue(engine, settings)
    (row,) = outbox(engine)
    assert "reageren binnen 48 uur: uiterlijk donderdag 26 november 14:05." in row.text_body


def test_old_mails_and_mails_whose_moment_passed_get_none(
    engine: Engine, settings_for: Callable[..., Settings]
) -> None:
    settings = settings_for(acknowledge={"max_age_hours": 48})
    store(engine, settings, [
        customer_mail("oud", NOW - timedelta(hours=50)),  # older than max_age_hours
        customer_mail("verlopen", NOW - timedelta(hours=30), sender="a@example.nl"),  # 24 h passed
        customer_mail("net", NOW - timedelta(hours=23), sender="b@example.nl"),
    ])  # fmt: skip
    assert queue(engine, settings) == 1
    assert [row.recipients for row in outbox(engine)] == [["b@example.nl"]]


def test_one_address_gets_at_most_one_acknowledgement_a_day(
    engine: Engine, settings_for: Callable[..., Settings]
) -> None:
    settings = settings_for()
    store(engine, settings, [customer_mail("m1", NOW - timedelta(hours=2)),
                             customer_mail("m2", NOW - timedelta(hours=1), subject="Nog iets")])  # fmt: skip
    assert queue(engine, settings) == 1  # two new threads, one address: no mail loop possible
    store(
        engine, settings, [customer_mail("m3", NOW + timedelta(hours=25), subject="Nieuwe vraag")]
    )
    assert queue(engine, settings, now=NOW + timedelta(hours=25)) == 1


def test_reply_subjects_get_one_re() -> None:
    assert reply_subject("Re: RE: Antw: Retour", "u") == "Re: Retour"
    assert reply_subject("Aw: Frage", "u") == "Re: Frage"
    assert reply_subject("Recept gezocht", "u") == "Re: Recept gezocht"
    assert reply_subject("", "u") == "Re: uw bericht"
    assert reply_subject(None, "je") == "Re: je bericht"


def test_an_acknowledgement_held_up_expires_instead_of_arriving_late(
    engine: Engine, settings_for: Callable[..., Settings]
) -> None:
    settings = settings_for(free_port())  # the mail server is down
    stored = store(engine, settings, [
        customer_mail("laat"),
        customer_mail("beantwoord", sender="a@example.nl", subject="Vraag"),
        customer_mail("uit", sender="b@example.nl", subject="Andere vraag"),
    ])  # fmt: skip
    assert queue(engine, settings) == 3
    assert deliver(engine=engine, settings=settings, now=NOW).failed == 3
    with session_scope(engine) as session:  # a person answered one mail meanwhile
        review = session.get(Review, stored["<beantwoord@mail.example.nl>"].id)
        assert review is not None
        review.reply_text = "Beste klant, ..."
        session.commit()
    with smtp_server() as server:
        working = settings_for(server)
        # The server is back five minutes later: the open, unanswered mails still go.
        soon = NOW + timedelta(minutes=5)
        assert deliver(engine=engine, settings=working, now=soon).sent == 2
        assert {tuple(row.recipients) for row in outbox(engine) if row.status == "sent"} == {
            (CUSTOMER.lower(),),
            ("b@example.nl",),
        }
    assert [row.status for row in outbox(engine)] == ["sent", "expired", "sent"]


def test_acknowledgements_expire_after_hours_or_once_switched_off(
    engine: Engine, settings_for: Callable[..., Settings]
) -> None:
    settings = settings_for(free_port())
    store(engine, settings, [customer_mail("m1"),
                             customer_mail("m2", sender="a@example.nl", subject="Vraag")])  # fmt: skip
    assert queue(engine, settings) == 2
    assert deliver(engine=engine, settings=settings, now=NOW).failed == 2
    with smtp_server() as server:
        # Switched off meanwhile: nothing goes out when the retry is due.
        soon = NOW + timedelta(minutes=5)
        off = deliver(engine=engine, settings=settings_for(server, enabled=False), now=soon)
        assert (off.sent, server.received) == (0, [])
    assert [row.status for row in outbox(engine)] == ["expired", "expired"]

    store(engine, settings, [customer_mail("m3", sender="b@example.nl", subject="Nog een")])
    assert queue(engine, settings) == 1
    with smtp_server() as server:  # four hours and more later a "morgen 14:05" is stale
        late = deliver(engine=engine, settings=settings_for(server), now=NOW + timedelta(hours=5))
        assert (late.sent, server.received) == (0, [])
    assert outbox(engine)[-1].status == "expired"
