"""Alerts on SQLite and PostgreSQL: which new reviews and mails alert, once, by mail to the shop's
own people and to a chat webhook (without any e-mail address), quiet hours, overdue promises."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, select

from monitor.alerts import chat_safe, queue_alerts, queue_overdue_reminders, quiet_until, time_left
from monitor.config import Settings
from monitor.db import session_scope
from monitor.models import Draft, Outbox, Reminder
from monitor.outbox import deliver
from monitor.replies import add_draft
from scrapers.records import RawReview
from tests.monitor.smtp_server import mail_settings, smtp_server, store, webhook_server

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2026, 11, 24, 13, 5, tzinfo=UTC)  # Tuesday 24 November, 14:05 in Amsterdam
STAFF = ["eigenaar@testwinkel.example", "service@testwinkel.example"]
CUSTOMER = "t.brouwer@example.nl"


def review(external_id: str, hours_ago: float, rating: float, text: str, **extra: Any) -> RawReview:
    values: dict[str, Any] = {
        "external_id": external_id, "text": text, "author": "Marieke V.", "rating": rating,
        "published_at": NOW - timedelta(hours=hours_ago),
    } | extra  # fmt: skip
    return RawReview(**values)


def mail(external_id: str, hours_ago: float, subject: str, text: str, **extra: Any) -> RawReview:
    values: dict[str, Any] = {
        "external_id": f"<{external_id}@mail.example.nl>", "text": text, "title": subject,
        "author": "Thomas Brouwer", "channel": "mail", "contact": CUSTOMER,
        "thread_key": f"<{external_id}@mail.example.nl>",
        "published_at": NOW - timedelta(hours=hours_ago),
    } | extra  # fmt: skip
    return RawReview(**values)


@pytest.fixture
def settings_for(
    make_settings: Callable[..., Settings], database_url: str
) -> Callable[..., Settings]:
    def build(server: Any = 2525, **sections: Any) -> Settings:
        sections.setdefault("mail", mail_settings(server, alert_to=STAFF))
        return make_settings(database_url, **sections)

    return build


def queue(engine: Engine, settings: Settings, now: datetime = NOW) -> int:
    with session_scope(engine) as session:
        queued = queue_alerts(session=session, settings=settings, now=now)
        session.commit()
    return queued


def outbox(engine: Engine) -> list[Outbox]:
    with session_scope(engine) as session:
        return list(session.exec(select(Outbox).order_by(Outbox.id)).scalars())


def test_low_ratings_negative_texts_and_complaint_mails_alert_and_nothing_else(
    engine: Engine, settings_for: Callable[..., Settings]
) -> None:
    settings = settings_for()
    negative, positive = ("complaint", -0.7), ("compliment", 0.6)
    stored = store(
        engine, settings,
        [
            review("een-ster", 2, 1, "Nog steeds niet binnen."),
            review("twee-sterren", 3, 2, "Matig."),
            review("vier-sterren", 2, 4, "Prima."),
            review("vijf-sterren", 2, 5, "Top!"),
            review("vijf-maar-boos", 2, 5, "Kapot aangekomen, nooit meer hier."),
            review("drie-van-tien", 2, 3, "Slecht.", rating_max=10),
            review("vier-van-tien", 2, 4, "Matig.", rating_max=10),
            review("oud", 49, 1, "Kapot.", published_at=NOW - timedelta(hours=49)),
            review("beantwoord", 2, 1, "Kapot.", reply_text="Excuses, we sturen een nieuwe."),
            mail("klacht", 1, "Terugbetaling retour braadpan", "Nog steeds geen geld terug."),
            mail("vraag", 1, "Levertijd koksmes", "Wanneer wordt het geleverd?"),
        ],
        scores={
            "een-ster": negative, "vijf-sterren": positive, "vier-sterren": positive,
            "vijf-maar-boos": negative,
            "<klacht@mail.example.nl>": ("complaint", -0.5),
            "<vraag@mail.example.nl>": ("question", 0.0),
        },
    )  # fmt: skip
    assert queue(engine, settings) == 5
    alerted = {row.review_id for row in outbox(engine)}
    expected = [
        "een-ster",
        "twee-sterren",
        "vijf-maar-boos",
        "drie-van-tien",
        "<klacht@mail.example.nl>",
    ]
    assert alerted == {stored[key].id for key in expected}
    assert {row.key for row in outbox(engine)} == {f"alert:{stored[key].id}" for key in expected}
    assert queue(engine, settings) == 0  # each item once
    assert queue(engine, settings, now=NOW + timedelta(hours=5)) == 0


def test_an_alert_mail_reaches_the_staff_once_with_excerpt_deadline_and_draft(
    engine: Engine, settings_for: Callable[..., Settings]
) -> None:
    hostile = "<b>Pakket</b> kapot & nog steeds niks gehoord."
    with smtp_server() as server:
        settings = settings_for(server)
        stored = store(engine, settings, [review("KV-1", 2, 1, hostile, title="Kapot")],
                       scores={"KV-1": ("complaint", -0.8)})  # fmt: skip
        with session_scope(engine) as session:
            add_draft(session=session, review_id=stored["KV-1"].id,
                      content_hash=stored["KV-1"].content_hash, kind="complaint",
                      text="Beste Marieke, ...", followup=None)  # fmt: skip
            session.commit()
            draft_id = session.exec(select(Draft.id)).scalar()
        assert queue(engine, settings) == 1
        assert deliver(engine=engine, settings=settings, now=NOW).sent == 1
        assert queue(engine, settings) == 0
        assert deliver(engine=engine, settings=settings, now=NOW + timedelta(hours=1)).sent == 0
    (received,) = server.received
    assert received.recipients == STAFF
    message = received.message
    assert message["Subject"] == "Negatieve review (1 van 5) van Marieke V. op kiyoh-export"
    text = message.get_body(("plain",)).get_content()
    assert f"“Kapot. {hostile}”" in text
    assert "De belofte van 24 uur loopt af op wo 25 nov 12:05: nog 22 uur." in text
    assert f"Bekijk en keur het concept-antwoord goed: reviewwacht drafts show {draft_id}" in text
    html = message.get_body(("html",)).get_content()
    assert "&lt;b&gt;Pakket&lt;/b&gt; kapot &amp; nog" in html and "<b>Pakket" not in html
    assert f"<code>reviewwacht drafts show {draft_id}</code>" in html


def test_with_a_web_address_the_alert_links_to_the_draft_and_late_items_say_so(
    engine: Engine, settings_for: Callable[..., Settings]
) -> None:
    settings = settings_for(report={"web_url": "https://reviewwacht.testwinkel.example/"})
    stored = store(engine, settings, [review("KV-2", 30, 2, "Nooit geleverd.")])
    with session_scope(engine) as session:
        add_draft(session=session, review_id=stored["KV-2"].id,
                  content_hash=stored["KV-2"].content_hash, kind="complaint", text="...",
                  followup=None)  # fmt: skip
        session.commit()
        draft_id = session.exec(select(Draft.id)).scalar()
    queue(engine, settings)
    (row,) = outbox(engine)
    link = f"https://reviewwacht.testwinkel.example/drafts/{draft_id}"
    assert f"Bekijk en keur het concept-antwoord goed: {link}" in row.text_body
    assert f'<a href="{link}">' in row.html_body
    assert "De belofte van 24 uur liep af op di 24 nov 08:05: te laat." in row.text_body


def test_a_complaint_mail_alerts_the_staff_and_never_the_customer(
    engine: Engine, settings_for: Callable[..., Settings]
) -> None:
    settings = settings_for()
    stored = store(engine, settings,
                   [mail("klacht", 1, "Terugbetaling retour braadpan", "Nog geen geld terug.")],
                   scores={"<klacht@mail.example.nl>": ("complaint", -0.5)})  # fmt: skip
    queue(engine, settings)
    (row,) = outbox(engine)
    assert row.subject == "Klachtmail van Thomas Brouwer: Terugbetaling retour braadpan"
    assert row.recipients == STAFF
    assert CUSTOMER not in row.text_body + (row.html_body or "")
    assert (
        f"Bekijk de mail: reviewwacht reviews show {stored['<klacht@mail.example.nl>'].id}"
        in row.text_body
    )


@pytest.mark.parametrize(
    ("local", "period", "end"),
    [
        ((23, 30), "22:00-07:00", (1, 7, 0)),  # before midnight: tomorrow morning
        ((3, 0), "22:00-07:00", (0, 7, 0)),  # after midnight: this morning
        ((7, 0), "22:00-07:00", None),
        ((21, 59), "22:00-07:00", None),
        ((12, 30), "12:00-13:00", (0, 13, 0)),
        ((13, 0), "12:00-13:00", None),
        ((12, 30), "", None),
    ],
)
def test_quiet_hours_end_in_the_shops_time_zone(
    local: tuple[int, int], period: str, end: tuple[int, int, int] | None
) -> None:
    now = datetime(2026, 11, 24, *local, tzinfo=AMSTERDAM)
    parsed = tuple(time.fromisoformat(part) for part in period.split("-")) if period else None
    found = quiet_until(now.astimezone(UTC), parsed, AMSTERDAM)  # type: ignore[arg-type]
    if end is None:
        assert found is None
    else:
        days, hour, minute = end
        expected = datetime(2026, 11, 24 + days, hour, minute, tzinfo=AMSTERDAM)
        assert found == expected and found.tzinfo == UTC


def test_in_quiet_hours_an_alert_waits_for_the_morning(
    engine: Engine, settings_for: Callable[..., Settings]
) -> None:
    late = datetime(2026, 11, 24, 23, 30, tzinfo=AMSTERDAM)
    morning = datetime(2026, 11, 25, 7, 0, tzinfo=AMSTERDAM)
    with smtp_server() as server:
        settings = settings_for(server, alerts={"quiet_hours": "22:00-07:00"})
        store(
            engine,
            settings,
            [review("KV-3", 0, 1, "Kapot.", published_at=late - timedelta(hours=1))],
        )
        assert queue(engine, settings, now=late) == 1
        (row,) = outbox(engine)
        assert row.not_before == morning
        assert "loopt af op wo 25 nov 22:30: nog 15 uur." in row.text_body  # as read at 07:00
        assert deliver(engine=engine, settings=settings, now=late).sent == 0
        assert deliver(engine=engine, settings=settings, now=morning).sent == 1
    assert len(server.received) == 1


def test_the_webhook_gets_the_alert_without_any_email_address(
    engine: Engine, settings_for: Callable[..., Settings]
) -> None:
    text = "Bel me of mail naar t.brouwer@example.nl! <!channel> @here"
    with webhook_server() as hook:
        settings = settings_for(alerts={"webhook_url": hook.url, "email": False})
        stored = store(engine, settings,
                       [mail("klacht", 1, "Geld terug?", text, author=CUSTOMER)],
                       scores={"<klacht@mail.example.nl>": ("complaint", -0.5)})  # fmt: skip
        assert queue(engine, settings) == 1
        (row,) = outbox(engine)
        assert (row.key, row.channel, row.recipients) == (
            f"alert-webhook:{stored['<klacht@mail.example.nl>'].id}", "webhook", []
        )  # fmt: skip
        assert deliver(engine=engine, settings=settings, now=NOW).sent == 1
    (post,) = hook.posts
    sent = post["json"]["text"]
    assert sent.startswith(
        "*Klachtmail van [e-mailadres]: Geld terug?*\n> Bel me of mail naar [e-mailadres]!"
    )
    assert "&lt;!channel&gt;" in sent and "<!channel>" not in sent
    assert "@\u200bhere" in sent
    assert "example.nl" not in json.dumps(post["json"])


def test_nothing_is_queued_when_alerts_are_off_or_have_nowhere_to_go(
    engine: Engine, settings_for: Callable[..., Settings]
) -> None:
    settings = settings_for(alerts={"enabled": False})
    store(engine, settings, [review("KV-4", 1, 1, "Kapot.")])
    assert queue(engine, settings) == 0
    assert queue(engine, settings_for(mail=mail_settings(2525))) == 0  # no alert_to, no webhook
    assert queue(engine, settings_for(alerts={"email": False})) == 0
    assert outbox(engine) == []


def test_time_left_reads_as_a_person_would_say_it() -> None:
    assert time_left(NOW + timedelta(hours=23, minutes=59), NOW) == "nog 23 uur"
    assert time_left(NOW + timedelta(minutes=40), NOW) == "nog 40 minuten"
    assert time_left(NOW, NOW) == "te laat"


def test_an_overdue_promise_alerts_once(
    engine: Engine, settings_for: Callable[..., Settings]
) -> None:
    # 00:30 on Tuesday 24 November in Amsterdam, still Monday in UTC.
    now = datetime(2026, 11, 23, 23, 30, tzinfo=UTC)
    settings = settings_for()
    stored = store(engine, settings, [review("KV-5", 40, 1, "Geld nog niet terug.")])
    review_id = stored["KV-5"].id
    with session_scope(engine) as session:
        add_draft(session=session, review_id=review_id, content_hash=stored["KV-5"].content_hash,
                  kind="complaint", text="...", followup=None)  # fmt: skip
        draft_id = session.exec(select(Draft.id)).scalar()
        for due, status in ((date(2026, 11, 23), "open"), (date(2026, 11, 24), "open"),
                            (date(2026, 11, 20), "done")):  # fmt: skip
            session.add(Reminder(draft_id=draft_id, review_id=review_id, due_date=due,
                                 what="terugbetaling van € 49,95", status=status))  # fmt: skip
        session.commit()
        overdue = session.exec(
            select(Reminder.id).where(Reminder.due_date == date(2026, 11, 23))
        ).scalar()
    with session_scope(engine) as session:
        assert queue_overdue_reminders(session=session, settings=settings, now=now) == 1
        session.commit()
        assert queue_overdue_reminders(session=session, settings=settings, now=now) == 0
    (row,) = outbox(engine)
    assert row.key == f"reminder-overdue:{overdue}" and row.recipients == STAFF
    assert row.subject == (
        "Belofte verlopen: terugbetaling van € 49,95 aan Marieke V., beloofd voor maandag 23 november"
    )
    assert f"reviewwacht drafts show {draft_id}" in row.text_body


def test_chat_text_cannot_become_a_link_an_image_or_a_code_block() -> None:
    text = (
        "Kijk op [mijn site](https://phish.example/x) ![pixel](http://track.example/p.png) "
        "of www.nep.example en ```code``` *****"
    )
    safe = chat_safe(text, ())
    assert safe.replace("\u200b", "") == text  # reads the same
    for construct in ("](", "![", "://", "www.", "``"):
        assert construct not in safe
    assert "*****" in safe
