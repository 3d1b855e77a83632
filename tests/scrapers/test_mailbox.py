"""Customer mails from an IMAP mailbox, against a real dovecot on 127.0.0.1 (imap_server.py)."""

from __future__ import annotations

import imaplib
import re
import shutil
import socket
import ssl
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from pydantic import SecretStr, ValidationError
from sqlalchemy import select

import scrapers.mailbox as mailbox_module
from monitor.config import Settings, load_settings
from monitor.db import open_store, session_scope
from monitor.errors import ConfigError
from monitor.models import Review, Source
from monitor.pipeline import run_pipeline
from scrapers.base import Batch, Stored
from scrapers.errors import AuthError, DriftError, FetchError, SourceUnavailable
from scrapers.http import HttpClient, HttpSettings
from scrapers.imap import fetched_bodies, imap_folder, uid_set
from scrapers.mailbox import MailboxCollector, MailboxSettings
from scrapers.registry import COLLECTORS
from tests.scrapers.imap_server import (
    INSTALL_HINT,
    OTHER_PASSWORD,
    OTHER_USER,
    ImapServer,
    deliver,
    dovecot_binary,
    dovecot_server,
    flags,
    free_port,
    run_admin,
    uid_validity,
)

MAILS = Path(__file__).resolve().parent.parent / "pages" / "mail"
SAVED = sorted(MAILS.glob("*.eml"))  # 8 mails; the 7th (UID 7) is an auto-reply
AUTO_REPLY_UID = 7
Sent = list[tuple[str, ...]]


def saved_mails() -> list[bytes]:
    return [path.read_bytes() for path in SAVED]


def new_mail(number: int) -> bytes:
    return (
        f"From: Klant {number} <klant{number}@example.nl>\nTo: service@theelichtje.example\n"
        f"Subject: Vraag {number} over mijn bestelling\nMessage-ID: <nieuw.{number}@example.nl>\n"
        "Date: Tue, 25 Nov 2025 10:00:00 +0100\nContent-Type: text/plain; charset=utf-8\n\n"
        f"Waar blijft bestelling 4{number:04d}? Groet, klant {number}\n"
    ).encode()


@contextmanager
def serving(*, tls: bool = False, extra: str = "") -> Iterator[ImapServer]:
    """A throwaway dovecot, or a skip that says what to install."""
    if dovecot_binary() is None:
        pytest.skip(INSTALL_HINT)
    if tls and shutil.which("openssl") is None:
        pytest.skip("openssl is not installed: apt-get install openssl")
    with dovecot_server(tls=tls, extra=extra) as server:
        yield server


@pytest.fixture
def imap() -> Iterator[ImapServer]:
    """A fresh dovecot for each test (about 0.05 s): plain IMAP on a free port, an empty INBOX."""
    with serving() as server:
        yield server


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> Sent:
    """Every IMAP command sent from now on, as (name, *arguments) strings."""
    log: Sent = []
    original = imaplib.IMAP4._command

    def spy(self: imaplib.IMAP4, name: str, *args: object) -> object:
        shown = (arg.decode() if isinstance(arg, bytes) else str(arg) for arg in args)
        log.append((name, *shown))
        return original(self, name, *args)

    monkeypatch.setattr(imaplib.IMAP4, "_command", spy)
    return log


def fetches(sent: Sent) -> list[str]:
    """The UID sets of the UID FETCH commands in ``sent``."""
    return [command[2] for command in sent if command[:2] == ("UID", "FETCH")]


def settings(server: ImapServer, **overrides: object) -> MailboxSettings:
    options: dict[str, object] = {
        "host": server.host,
        "port": server.port,
        "security": "none",
        "username": server.user,
        "password": server.password,
        "timeout_seconds": 5,
        **overrides,
    }
    return MailboxSettings(**options)  # type: ignore[arg-type]


def build(options: MailboxSettings) -> MailboxCollector:
    """As the collect stage builds it: with an HTTP client allowed only ``hosts()`` (none)."""
    http = HttpClient(HttpSettings(), allowed_hosts=MailboxCollector.hosts(options))
    return MailboxCollector(options, http=http, label="service@")


def collector(server: ImapServer, **overrides: object) -> MailboxCollector:
    return build(settings(server, **overrides))


def drive(
    source: MailboxCollector,
    *,
    cursor: str | None = None,
    full: bool = False,
    store: Callable[[Batch], Stored | None] = lambda batch: Stored(new=len(batch.records)),
) -> list[Batch]:
    """Run ``collect`` the way the pipeline does: send back what was stored after each batch."""
    gen = source.collect(cursor=cursor, full=full)
    batches = [gen.send(None)]
    while True:
        try:
            batches.append(gen.send(store(batches[-1])))
        except StopIteration:
            return batches


def records(batches: list[Batch]) -> list[str]:
    return [record.title or "" for batch in batches for record in batch.records]


def last_cursor(batches: list[Batch]) -> str | None:
    return batches[-1].cursor


# ---------------------------------------------------------------- reading and the cursor


def test_the_first_run_reads_every_mail_except_the_auto_reply(imap: ImapServer, sent: Sent) -> None:
    deliver(imap, *saved_mails())
    batches = drive(collector(imap))
    titles = records(batches)
    assert len(titles) == len(SAVED) - 1
    assert "Theepot lekt bij de tuit" in titles
    assert "Re: Retour theezeef" in titles
    assert not any(title.startswith("Automatisch antwoord") for title in titles)
    record = batches[0].records[0]
    assert record.channel == "mail"
    assert record.external_id == "<20251117094100.kok.1@mail.example.nl>"
    assert record.contact == "m.kok@example.nl"
    assert last_cursor(batches) == f"{uid_validity(imap)}:{len(SAVED)}"
    assert [batch.warnings for batch in batches] == [[]]
    assert fetches(sent) == ["1:8"]
    assert ("EXAMINE", '"INBOX"') in sent  # read-only without move_to


def test_batches_follow_the_batch_size_and_only_the_last_has_the_cursor(
    imap: ImapServer, sent: Sent
) -> None:
    deliver(imap, *saved_mails())
    batches = drive(collector(imap, batch_size=3))
    assert [len(batch.records) for batch in batches] == [3, 3, 1]  # UID 7 is the auto-reply
    assert [batch.cursor for batch in batches] == [None, None, f"{uid_validity(imap)}:8"]
    assert fetches(sent) == ["1:3", "4:6", "7:8"]


def test_a_second_run_fetches_nothing_and_a_new_mail_is_read_alone(
    imap: ImapServer, sent: Sent
) -> None:
    deliver(imap, *saved_mails())
    first = drive(collector(imap))
    cursor = last_cursor(first)
    sent.clear()

    again = drive(collector(imap), cursor=cursor)
    assert [batch.records for batch in again] == [[]]
    assert last_cursor(again) == cursor
    assert fetches(sent) == []

    (uid,) = deliver(imap, new_mail(1))
    sent.clear()
    later = drive(collector(imap), cursor=cursor)
    assert records(later) == ["Vraag 1 over mijn bestelling"]
    assert fetches(sent) == [str(uid)]
    assert last_cursor(later) == f"{uid_validity(imap)}:{uid}"


def test_full_ignores_the_cursor_and_reads_everything_again(imap: ImapServer) -> None:
    deliver(imap, *saved_mails())
    cursor = last_cursor(drive(collector(imap)))
    again = drive(collector(imap), cursor=cursor, full=True)
    assert len(records(again)) == len(SAVED) - 1
    assert last_cursor(again) == cursor


def test_a_cursor_that_is_not_ours_reads_everything(imap: ImapServer) -> None:
    deliver(imap, *saved_mails()[:3])
    assert len(records(drive(collector(imap), cursor="2025-11-01T00:00:00Z"))) == 3


def test_mails_read_in_a_mail_client_are_still_read_and_we_never_mark_them_read(
    imap: ImapServer, sent: Sent
) -> None:
    # The owner opened two mails on the phone before the run: reading UNSEEN would miss them.
    opened = deliver(imap, *saved_mails()[:2], seen=True)
    unread = deliver(imap, *saved_mails()[2:5])
    assert len(records(drive(collector(imap)))) == 5
    assert not any(command[0] == "STORE" or "STORE" in command[1:2] for command in sent)
    after = flags(imap)
    assert all("\\Seen" in after[uid] for uid in opened)
    assert not any("\\Seen" in after[uid] for uid in unread)


def test_an_empty_folder_gives_one_empty_batch_with_a_cursor(imap: ImapServer) -> None:
    batches = drive(collector(imap))
    assert [batch.records for batch in batches] == [[]]
    assert last_cursor(batches) == f"{uid_validity(imap)}:0"


def test_a_renumbered_folder_is_read_again_from_the_start(imap: ImapServer) -> None:
    # Deleting and re-creating a folder (or a server migration) gives a new UIDVALIDITY and
    # starts the UIDs at 1 again: the old cursor's "after UID 3" would skip the new mails.
    run_admin(imap, ("CREATE", "Klanten"))
    deliver(imap, *saved_mails()[:3], folder="Klanten")
    before = uid_validity(imap, "Klanten")
    cursor = last_cursor(drive(collector(imap, folder="Klanten")))
    assert cursor == f"{before}:3"

    run_admin(imap, ("DELETE", "Klanten"), ("CREATE", "Klanten"))
    deliver(imap, *saved_mails()[:3], new_mail(1), folder="Klanten")
    after = uid_validity(imap, "Klanten")
    assert after != before
    batches = drive(collector(imap, folder="Klanten"), cursor=cursor)
    assert len(records(batches)) == 4  # the store recognises the three by Message-ID
    assert last_cursor(batches) == f"{after}:4"


def test_an_unreadable_message_is_a_dutch_warning_and_the_rest_is_read(imap: ImapServer) -> None:
    deliver(imap, *saved_mails()[:2])
    (broken,) = deliver(imap, b"geen mail maar tekst")
    deliver(imap, new_mail(1))
    batches = drive(collector(imap))
    assert len(records(batches)) == 3
    assert batches[-1].warnings == [
        f"bericht {broken} in INBOX kon niet worden gelezen: geen leesbare e-mail."
    ]
    assert last_cursor(batches) == f"{uid_validity(imap)}:4"  # past the broken one


def test_a_fetch_answer_without_message_bodies_is_drift_and_yields_nothing(
    imap: ImapServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A server answering in a form we do not understand must not move the cursor past mails.
    deliver(imap, *saved_mails()[:2])
    original = imaplib.IMAP4.uid

    def flags_only(self: imaplib.IMAP4, command: str, *args: str) -> tuple[str, list[object]]:
        if command == "FETCH":
            return "OK", [b"1 (UID 1 FLAGS ())", b"2 (UID 2 FLAGS ())"]
        return original(self, command, *args)

    monkeypatch.setattr(imaplib.IMAP4, "uid", flags_only)
    gen = collector(imap).collect(cursor=None)
    with pytest.raises(DriftError) as caught:
        gen.send(None)
    assert caught.value.explain().startswith(
        "Map 'INBOX' op 127.0.0.1 lijkt van opbouw veranderd: de server gaf geen berichtinhoud "
        "terug voor UID 1:2."
    )


# ---------------------------------------------------------------- moving what was stored


def test_move_to_creates_the_folder_and_moves_each_stored_mail(
    imap: ImapServer, sent: Sent
) -> None:
    target = "Afgehandeld ✓"  # a space and non-ASCII: quoted, modified UTF-7 "&JxM-"
    deliver(imap, *saved_mails())
    source = collector(imap, move_to=target, batch_size=3)
    batches = drive(source)
    assert len(records(batches)) == len(SAVED) - 1
    assert ("SELECT", '"INBOX"') in sent  # read-write, to move
    assert [command[3] for command in sent if command[:2] == ("UID", "MOVE")] == [
        '"Afgehandeld &JxM-"'
    ] * 3
    assert list(flags(imap)) == [AUTO_REPLY_UID]  # left for a person
    moved = flags(imap, "Afgehandeld &JxM-")
    assert len(moved) == len(SAVED) - 1
    assert not any("\\Seen" in names for names in moved.values())
    conn = imap.connect()
    try:
        _, subscribed = conn.lsub()
    finally:
        conn.logout()
    assert any(b"Afgehandeld &JxM-" in line for line in subscribed if isinstance(line, bytes))

    # The cursor still holds: the next run reads only the newcomer and moves it too.
    (uid,) = deliver(imap, new_mail(1))
    later = drive(collector(imap, move_to=target), cursor=last_cursor(batches))
    assert records(later) == ["Vraag 1 over mijn bestelling"]
    assert uid > len(SAVED)
    assert list(flags(imap)) == [AUTO_REPLY_UID]
    assert len(flags(imap, "Afgehandeld &JxM-")) == len(SAVED)


def test_nothing_is_moved_when_the_caller_stores_nothing(imap: ImapServer) -> None:
    # `reviewwacht sources test` sends None: the mails must stay where they are.
    uids = deliver(imap, *saved_mails())
    run_admin(imap, ("CREATE", "Verwerkt"))
    drive(collector(imap, move_to="Verwerkt", batch_size=3), store=lambda batch: None)
    assert list(flags(imap)) == uids
    assert flags(imap, "Verwerkt") == {}


def test_a_run_stopped_after_the_first_batch_moves_only_what_was_stored(imap: ImapServer) -> None:
    deliver(imap, *saved_mails())
    gen = collector(imap, move_to="Verwerkt", batch_size=3).collect(cursor=None)
    first = gen.send(None)
    assert gen.send(Stored(new=3)).cursor is None
    gen.close()  # a crash or ctrl-C before the second batch was stored
    assert len(first.records) == 3
    assert list(flags(imap)) == [4, 5, 6, 7, 8]
    assert len(flags(imap, "Verwerkt")) == 3


@pytest.mark.parametrize(
    ("capability", "expunge"),
    [("IMAP4rev1 LITERAL+ UIDPLUS", ("UID", "EXPUNGE")), ("IMAP4rev1 LITERAL+", ("EXPUNGE",))],
    ids=["uidplus", "plain-expunge"],
)
def test_without_move_a_copy_deleted_and_expunge_moves_the_mails(
    sent: Sent, capability: str, expunge: tuple[str, ...]
) -> None:
    with serving(extra=f"imap_capability = {capability}\n") as server:
        deliver(server, *saved_mails())
        drive(collector(server, move_to="Verwerkt"))
        names = [command[:2] if command[0] == "UID" else command[:1] for command in sent]
        assert ("UID", "MOVE") not in names
        assert ("UID", "COPY") in names
        assert ("UID", "STORE") in names
        assert expunge in names
        assert list(flags(server)) == [AUTO_REPLY_UID]
        assert len(flags(server, "Verwerkt")) == len(SAVED) - 1


# ---------------------------------------------------------------- refusals and failures


def test_a_wrong_password_is_an_auth_error_that_never_shows_the_password(
    imap: ImapServer,
) -> None:
    wrong = "verkeerd-wachtwoord-123"
    with pytest.raises(AuthError) as caught:
        drive(collector(imap, password=wrong))
    error = caught.value
    shown = " ".join([str(error), error.explain(), repr(error), *traceback.format_exception(error)])
    assert wrong not in shown
    assert imap.password not in shown
    assert error.explain() == (
        "IMAP-server 127.0.0.1 weigert de ingestelde inloggegevens (gebruiker service met het "
        "ingestelde wachtwoord); controleer de gebruikersnaam en het wachtwoord in de configuratie."
    )


def test_a_non_ascii_password_logs_in_and_a_wrong_one_is_refused(imap: ImapServer) -> None:
    # IMAP LOGIN carries only ASCII; the collector then uses AUTHENTICATE PLAIN (UTF-8).
    good = drive(collector(imap, username=OTHER_USER, password=OTHER_PASSWORD))
    assert [batch.records for batch in good] == [[]]
    with pytest.raises(AuthError) as caught:
        drive(collector(imap, username=OTHER_USER, password="thée-€-fout"))
    assert "thée-€-fout" not in caught.value.explain()


def test_a_missing_folder_is_source_unavailable(imap: ImapServer) -> None:
    with pytest.raises(SourceUnavailable) as caught:
        drive(collector(imap, folder="Klachten 2025"))
    explained = caught.value.explain()
    assert explained.startswith("Map 'Klachten 2025' op 127.0.0.1 is niet beschikbaar")
    assert "de server kan deze map niet openen" in explained


def test_nothing_listening_is_a_fetch_error() -> None:
    port = free_port()
    source = build(
        MailboxSettings(
            host="127.0.0.1", port=port, security="none", username="u", password="geheim"
        )
    )
    with pytest.raises(FetchError) as caught:
        drive(source)
    assert caught.value.explain() == (
        f"127.0.0.1:{port} was niet bereikbaar (de verbinding werd geweigerd; klopt de poort?)."
    )


def test_a_server_that_never_greets_is_a_time_out() -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)  # accepts the connection in the backlog, never says a word
        port = silent.getsockname()[1]
        for security in ("none", "tls"):
            source = build(
                MailboxSettings(
                    host="127.0.0.1",
                    port=port,
                    security=security,
                    username="u",
                    password="geheim",
                    timeout_seconds=0.3,
                )
            )
            with pytest.raises(FetchError) as caught:
                drive(source)
            assert "geen antwoord binnen 0.3 seconden" in caught.value.explain()


def test_a_server_that_goes_down_mid_run_is_a_fetch_error(imap: ImapServer) -> None:
    deliver(imap, *saved_mails())
    gen = collector(imap, batch_size=3).collect(cursor=None)
    assert len(gen.send(None).records) == 3
    imap.crash()
    with pytest.raises(FetchError) as caught:
        gen.send(Stored(new=3))  # the second batch is never yielded, so never stored
    assert caught.value.explain() == (
        f"127.0.0.1:{imap.port} was niet bereikbaar (de verbinding werd verbroken)."
    )


def test_tls_against_a_plain_port_is_a_fetch_error(imap: ImapServer) -> None:
    with pytest.raises(FetchError) as caught:
        drive(collector(imap, security="tls"))
    assert caught.value.url == f"imaps://127.0.0.1:{imap.port}"
    assert "versleutelde verbinding (TLS) kwam niet tot stand" in caught.value.explain()


def test_starttls_on_a_server_without_it_is_a_fetch_error(imap: ImapServer) -> None:
    with pytest.raises(FetchError) as caught:
        drive(collector(imap, security="starttls"))
    assert "de server biedt geen STARTTLS aan" in caught.value.explain()


@pytest.fixture
def tls_imap() -> Iterator[ImapServer]:
    """A dovecot with a self-signed certificate: IMAPS on ``tls_port``, STARTTLS on ``port``."""
    with serving(tls=True) as server:
        yield server


@pytest.mark.parametrize("security", ["tls", "starttls"])
def test_an_untrusted_certificate_is_refused(tls_imap: ImapServer, security: str) -> None:
    port = tls_imap.tls_port if security == "tls" else tls_imap.port
    deliver(tls_imap, *saved_mails()[:1])
    with pytest.raises(FetchError) as caught:
        drive(collector(tls_imap, security=security, port=port))
    assert "certificaat van de server is niet geldig of niet vertrouwd" in caught.value.explain()


@pytest.mark.parametrize("security", ["tls", "starttls"])
def test_a_trusted_certificate_reads_the_mails(
    tls_imap: ImapServer, security: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As if the test CA were in the system store: the same verified, host-checked context.
    trusted = ssl.create_default_context(cafile=str(tls_imap.root / "server.crt"))
    monkeypatch.setattr(mailbox_module, "_tls_context", lambda: trusted)
    port = tls_imap.tls_port if security == "tls" else tls_imap.port
    deliver(tls_imap, *saved_mails()[:3])
    assert len(records(drive(collector(tls_imap, security=security, port=port)))) == 3


# ---------------------------------------------------------------- settings


def test_settings_defaults_are_tls_on_993_and_the_inbox() -> None:
    options = MailboxSettings(host="imap.example.nl", username="service", password="geheim")
    assert (options.security, options.effective_port, options.folder) == ("tls", 993, "INBOX")
    assert (options.batch_size, options.timeout_seconds, options.move_to) == (100, 30, None)
    assert isinstance(options.password, SecretStr)
    assert "geheim" not in repr(options)
    starttls = MailboxSettings(
        host="imap.example.nl", security="starttls", username="s", password="p"
    )
    assert starttls.effective_port == 143
    assert MailboxCollector.hosts(options) == set()
    assert MailboxCollector.lists_everything is False


def test_no_encryption_is_refused_for_a_server_that_is_not_local() -> None:
    with pytest.raises(ValidationError) as caught:
        MailboxSettings(
            host="imap.example.nl", security="none", username="s", password="geheim-123"
        )
    problem = caught.value.errors()[0]
    assert problem["loc"] == ("security",)  # not the whole input: that holds the password
    assert "alleen naar 127.0.0.1 of localhost" in problem["msg"]
    assert "geheim-123" not in str(caught.value)
    for host in ("127.0.0.1", "localhost", "::1"):
        MailboxSettings(host=host, security="none", username="s", password="p")


@pytest.mark.parametrize(
    "options",
    [
        {"host": "imaps://imap.example.nl"},
        {"host": "imap.example.nl/INBOX"},
        {"host": ""},
        {"folder": "INBOX\r\nA1 DELETE INBOX"},
        {"folder": " "},
        {"move_to": "INBOX"},
        {"move_to": "Verwerkt\n"},
        {"batch_size": 0},
        {"timeout_seconds": 0},
        {"port": 0},
        {"security": "ssl"},
        {"username": ""},
        {"password": ""},
        {"unknown": "x"},
    ],
)
def test_invalid_settings_are_refused(options: dict[str, object]) -> None:
    base: dict[str, object] = {"host": "imap.example.nl", "username": "s", "password": "p"}
    with pytest.raises(ValidationError):
        MailboxSettings(**{**base, **options})  # type: ignore[arg-type]


# ---------------------------------------------------------------- the pure helpers


def test_folder_names_are_quoted_and_modified_utf7() -> None:
    assert imap_folder("INBOX") == '"INBOX"'
    assert imap_folder("~peter/mail/台北/日本語") == '"~peter/mail/&U,BTFw-/&ZeVnLIqe-"'  # RFC 3501
    assert imap_folder("Vragen & klachten") == '"Vragen &- klachten"'
    assert imap_folder('Map "oud"\\2024') == '"Map \\"oud\\"\\\\2024"'
    assert imap_folder("Afgehandeld ✓") == '"Afgehandeld &JxM-"'


def test_uid_sets_use_ranges() -> None:
    assert uid_set([1, 2, 3, 7]) == "1:3,7"
    assert uid_set([9]) == "9"
    assert uid_set([5, 3, 4, 10, 12, 11, 3]) == "3:5,10:12"


def test_fetched_bodies_takes_the_uid_before_or_after_the_body() -> None:
    data: list[object] = [
        (b"1 (UID 40 BODY[] {5}", b"hallo"),
        b")",
        b"2 (FLAGS (\\Seen))",  # an unsolicited flag update: no body
        (b"3 (BODY[] {4}", b"doei"),
        b" UID 42)",
    ]
    assert fetched_bodies(data) == {40: b"hallo", 42: b"doei"}
    assert fetched_bodies([None]) == {}


def test_the_imap_spy_sees_the_login_but_the_collector_never_logs_it(
    imap: ImapServer, sent: Sent, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("DEBUG", logger="scrapers.mailbox")
    deliver(imap, *saved_mails()[:2])
    drive(collector(imap))
    assert any(command[0] == "LOGIN" for command in sent)
    assert imap.password not in caplog.text
    assert re.search(r"service@: 2 messages after UID 0 in INBOX", caplog.text)


# ---------------------------------------------------------------- through the pipeline


def pipeline_settings(tmp_path: Path, source: dict[str, object], env: dict[str, str]) -> Settings:
    """Settings as the CLI builds them, with this mailbox as the only source."""
    overrides = {
        "shop": {"name": "Theelichtje", "contact_email": "service@theelichtje.example"},
        "database": {"url": f"sqlite:///{tmp_path / 'rw.sqlite'}"},
        "report": {"out_dir": str(tmp_path / "out")},
        "sources": {"service": {"type": "mailbox", **source}},
    }
    return load_settings(discover=False, env=env, overrides=overrides)


def test_the_pipeline_stores_the_mails_keeps_the_cursor_and_moves_what_it_stored(
    imap: ImapServer, sent: Sent, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(COLLECTORS, "mailbox", MailboxCollector)  # the registry lists it later
    source = {
        "host": imap.host,
        "port": imap.port,
        "security": "none",
        "username": imap.user,
        "move_to": "Verwerkt",
    }
    # The password from the environment, as for every other secret.
    config = pipeline_settings(
        tmp_path, source, {"REVIEWWACHT_SOURCES__SERVICE__PASSWORD": imap.password}
    )
    assert imap.password in config.secrets()  # redacted from logs and the run log
    deliver(imap, *saved_mails())

    first = run_pipeline(config)
    (step,) = [step for step in first.steps if step.stage == "collect"]
    assert (step.new, step.warnings) == (len(SAVED) - 1, [])
    with session_scope(open_store(config.database_url)) as session:
        (row,) = session.exec(select(Source)).scalars()
        mails = session.exec(select(Review)).scalars().all()
    assert row.cursor == f"{uid_validity(imap)}:{len(SAVED)}"
    assert {mail.channel for mail in mails} == {"mail"}
    assert list(flags(imap)) == [AUTO_REPLY_UID]
    assert len(flags(imap, "Verwerkt")) == len(SAVED) - 1

    sent.clear()
    second = run_pipeline(config)
    (step,) = [step for step in second.steps if step.stage == "collect"]
    assert (step.new, step.updated, step.unchanged) == (0, 0, 0)
    assert fetches(sent) == []


def test_a_config_error_about_encryption_never_shows_the_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(COLLECTORS, "mailbox", MailboxCollector)
    source = {"host": "imap.example.nl", "security": "none", "username": "service"}
    env = {"REVIEWWACHT_SOURCES__SERVICE__PASSWORD": "zeer-geheim-99"}
    with pytest.raises(ConfigError) as caught:
        pipeline_settings(tmp_path, source, env)
    message = str(caught.value)
    assert "sources.service.security: verwacht 'tls' of 'starttls'" in message
    assert "kreeg 'none'" in message
    assert "zeer-geheim-99" not in message
