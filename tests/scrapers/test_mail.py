"""One customer mail into a record: body formats, quoted history, threads, auto-replies."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from scrapers.errors import ParseError
from scrapers.mail import html_to_text, parse_message, strip_quoted
from scrapers.records import RawReview


def mail(pages: Path, name: str) -> bytes:
    return (pages / "mail" / name).read_bytes()


def parsed(raw: bytes) -> RawReview:
    record = parse_message(raw, where="test.eml")
    assert record is not None
    return record


def test_a_plain_text_mail_becomes_a_mail_record(pages: Path) -> None:
    record = parsed(mail(pages, "01-klacht-platte-tekst.eml"))
    assert record.channel == "mail"
    assert record.external_id == "<20251117094100.kok.1@mail.example.nl>"
    assert record.thread_key == record.external_id  # a new conversation
    assert record.author == "Marloes Kok"
    assert record.contact == "m.kok@example.nl"  # lower-cased
    assert record.title == "Theepot lekt bij de tuit"
    assert record.published_at == datetime(2025, 11, 17, 9, 41, tzinfo=timezone(timedelta(hours=1)))
    assert record.rating is None
    assert record.text.startswith("Goedemorgen,\n\nVorige week heb ik de gietijzeren theepot")
    assert record.text.endswith("Met vriendelijke groet,\nMarloes Kok")


def test_quoted_printable_body_and_encoded_headers_are_decoded(pages: Path) -> None:
    record = parsed(mail(pages, "02-quoted-printable.eml"))
    assert record.author == "Renée Baïz"
    assert record.title == "Bestelling geïnd maar niet ontvangen"
    assert "een cafetière) is geïnd" in record.text
    assert "Kunnen jullie een idee geven" in record.text  # soft line break joined
    assert "=C3" not in record.text


def test_an_html_only_mail_gives_its_visible_text_only(pages: Path) -> None:
    record = parsed(mail(pages, "03-alleen-html.eml"))
    text = record.text
    assert text.startswith("Dag Theelichtje,")
    assert "geschikt voor een inductieplaat?" in text  # inline markup does not split lines
    assert "Ik twijfel nog." in text
    assert "Ik typte per ongeluk <script> in het formulier" in text  # text, not markup
    for hidden in ("color: red", "document.location", "tracker.example", "<b>", "Vraag\n"):
        assert hidden not in text


def test_html_to_text_never_runs_or_keeps_markup() -> None:
    html = (
        "<html><head><title>x</title><style>body{}</style></head><body>"
        "<script>alert('hoi')</script><p onclick=\"steal()\">Beste <i>team</i>,</p>"
        "<div>Bestelling&nbsp;40213 &amp; 40214<br>kwam niet.</div></body></html>"
    )
    text = html_to_text(html)
    assert "alert" not in text
    assert "steal" not in text
    assert "Beste team," in text
    assert "Bestelling\xa040213 & 40214\nkwam niet." in text


def test_multipart_alternative_prefers_the_plain_text(pages: Path) -> None:
    record = parsed(mail(pages, "04-alternatief.eml"))
    assert "HTML-VERSIE" not in record.text
    assert record.text.startswith("Hoi Ilse,")
    assert "handgeschreven kaartje bij mijn bestelling" in record.text


def test_a_mail_with_an_attachment_gives_the_text_part() -> None:
    raw = b"""From: Bas <bas@example.nl>
Subject: Foto van de schade
Message-ID: <bijlage.1@example.nl>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b1"

--b1
Content-Type: text/plain; charset=utf-8

Zie de foto in de bijlage.
--b1
Content-Type: image/jpeg; name="scherven.jpg"
Content-Disposition: attachment; filename="scherven.jpg"
Content-Transfer-Encoding: base64

/9j/4AAQSkZJRgABAQAAAQABAAD/
--b1--
"""
    assert parsed(raw).text == "Zie de foto in de bijlage."


def test_a_reply_loses_its_quoted_history_and_joins_the_thread_of_the_first_mail(
    pages: Path,
) -> None:
    first = parsed(mail(pages, "05-vraag-retour.eml"))
    reply = parsed(mail(pages, "06-re-vraag-retour.eml"))
    assert reply.text == (
        "Het is nu bijna drie weken. Ik wil vandaag horen wanneer ik mijn geld krijg."
    )
    assert reply.title == "Re: Retour theezeef"
    # References names the first mail and the shop's answer; the first one is the thread.
    assert reply.thread_key == first.external_id == first.thread_key
    assert reply.external_id != first.external_id


def test_in_reply_to_alone_names_the_thread() -> None:
    raw = (
        b"From: a@example.nl\nMessage-ID: <2@example.nl>\n"
        b"In-Reply-To: <1@example.nl> (bericht van maandag)\n\nNog een vraag."
    )
    assert parsed(raw).thread_key == "<1@example.nl>"


@pytest.mark.parametrize(
    ("body", "kept"),
    [
        (
            "Dank je!\n\nOp di 25 nov 2025 om 10:30 schreef Ilse <service@theelichtje.example>:\n"
            "> Hoi,\n> oud bericht",
            "Dank je!",
        ),
        ("Prima.\n-----Oorspronkelijk bericht-----\nVan: Ilse\nOud", "Prima."),
        ("Thanks!\nOn Tue, 25 Nov 2025 at 10:30, Ilse <s@t.example> wrote:\n> old", "Thanks!"),
        ("Geen historie hier.\nTweede regel.", "Geen historie hier.\nTweede regel."),
        ("Oké\n\n> geciteerd\nnog iets eronder", "Oké"),
    ],
)
def test_strip_quoted_keeps_only_the_new_part(body: str, kept: str) -> None:
    assert strip_quoted(body) == kept


def test_a_mail_without_message_id_gets_a_stable_derived_id(pages: Path) -> None:
    raw = mail(pages, "08-zonder-message-id.eml")
    record = parsed(raw)
    assert record.external_id.startswith("h:")
    assert parsed(raw).external_id == record.external_id
    assert record.thread_key == record.external_id
    assert record.author == "lieke"  # no display name: the address's local part
    other = raw.replace(b"Subject: kortingscode werkt niet", b"Subject: nog een vraag")
    assert parsed(other).external_id != record.external_id


AUTO_HEADERS = [
    b"Auto-Submitted: auto-replied",
    b"Auto-Submitted: auto-generated",
    b"X-Autoreply: yes",
    b"X-Autorespond: Afwezigheidsmelding",
    b"Precedence: bulk",
    b"Precedence: list",
    b"Precedence: auto_reply",
]


@pytest.mark.parametrize("header", AUTO_HEADERS, ids=lambda h: h.decode())
def test_automated_mails_are_left_out(pages: Path, header: bytes) -> None:
    raw = mail(pages, "01-klacht-platte-tekst.eml").replace(
        b"MIME-Version: 1.0", header + b"\nMIME-Version: 1.0"
    )
    assert parse_message(raw) is None


@pytest.mark.parametrize(
    "subject",
    [
        "Automatisch antwoord: Theepot lekt",
        "Afwezig: terug op 1 december",
        "Out of Office: Theepot lekt",
        "Automatic reply: Theepot lekt",
    ],
)
def test_auto_reply_subjects_are_left_out(pages: Path, subject: str) -> None:
    raw = mail(pages, "01-klacht-platte-tekst.eml").replace(
        b"Subject: Theepot lekt bij de tuit", b"Subject: " + subject.encode()
    )
    assert parse_message(raw) is None


def test_the_saved_auto_reply_is_left_out(pages: Path) -> None:
    assert parse_message(mail(pages, "07-automatisch-antwoord.eml")) is None


def test_auto_submitted_no_is_a_person(pages: Path) -> None:
    raw = mail(pages, "01-klacht-platte-tekst.eml").replace(
        b"MIME-Version: 1.0", b"Auto-Submitted: no\nMIME-Version: 1.0"
    )
    assert parse_message(raw) is not None


def test_raw_latin1_headers_and_an_unknown_charset_still_give_storable_text() -> None:
    raw = (
        b"From: Andr\xe9 <andre@example.nl>\nSubject: Caf\xe9 kapot\n"
        b"Content-Type: text/plain; charset=x-onbekend\n\nDe caf\xe9ti\xe8re is kapot."
    )
    record = parsed(raw)
    assert record.contact == "andre@example.nl"
    assert record.text.startswith("De caf")
    for value in (record.author, record.title, record.text, record.external_id):
        assert value is not None
        value.encode("utf-8")


@pytest.mark.parametrize("value", [b"<", b"<\x00@", b"<@>"])
def test_a_broken_message_id_gets_a_derived_id_instead_of_crashing(value: bytes) -> None:
    # The email package's Message-ID parser raises IndexError on these.
    raw = (
        b"From: Joyce <joyce@example.nl>\nMessage-ID: "
        + value
        + b"\nSubject: iDEAL\n\nDubbel betaald"
    )
    record = parsed(raw)
    assert record.text == "Dubbel betaald"
    assert record.contact == "joyce@example.nl"
    assert record.external_id.startswith("h:")
    assert parsed(raw).external_id == record.external_id


def test_an_unreadable_date_gives_no_date() -> None:
    raw = b"From: a@example.nl\nDate: gisteren rond het middaguur\nMessage-ID: <d@x>\n\nHoi"
    assert parsed(raw).published_at is None


@pytest.mark.parametrize(
    "raw", [b"", b"\n\n\n", b"\x00\xff\xfe", b"geen mail maar tekst", b": :\n\x80"]
)
def test_bytes_that_are_no_mail_are_a_parse_error(raw: bytes) -> None:
    with pytest.raises(ParseError) as caught:
        parse_message(raw, where="bericht 1")
    assert caught.value.explain() == "bericht 1 kon niet worden gelezen: geen leesbare e-mail."
