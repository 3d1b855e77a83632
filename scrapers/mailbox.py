"""Customer mails from an IMAP mailbox, read by UID so that nothing is read twice or missed."""

from __future__ import annotations

import imaplib
import logging
import re
import socket
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Literal, NoReturn

from pydantic import Field, SecretStr, ValidationInfo, field_validator

from scrapers.base import Batch, Collector, SourceSettings
from scrapers.errors import AuthError, DriftError, FetchError, ParseError, SourceUnavailable
from scrapers.imap import fetched_bodies, imap_folder, server_text, uid_set
from scrapers.mail import parse_message
from scrapers.records import RawReview

logger = logging.getLogger(__name__)

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
DEFAULT_PORTS = {"tls": 993, "starttls": 143, "none": 143}
CURSOR = re.compile(r"^(\d+):(\d+)$")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
HOST = re.compile(r"^[A-Za-z0-9.:\-\[\]]+$")


class MailboxSettings(SourceSettings):
    """Where the mailbox is, how to log in, which folder to read and where to move what was read."""

    host: str
    port: int | None = Field(default=None, ge=1, le=65535)
    security: Literal["tls", "starttls", "none"] = "tls"
    username: str = Field(min_length=1)
    password: SecretStr = Field(min_length=1)
    folder: str = Field(default="INBOX", min_length=1)
    move_to: str | None = Field(default=None, min_length=1)
    batch_size: int = Field(default=100, ge=1, le=1000)
    timeout_seconds: float = Field(default=30, gt=0)

    # Field validators only: a model-level error would show the whole input, password included.
    @field_validator("host")
    @classmethod
    def _plain_host(cls, value: str) -> str:
        if not HOST.match(value):
            raise ValueError("een servernaam zonder schema of pad, zoals 'imap.example.nl'")
        return value

    @field_validator("security")
    @classmethod
    def _encrypted_unless_local(cls, value: str, info: ValidationInfo) -> str:
        host = str(info.data.get("host", "")).strip("[]").lower()
        if value == "none" and host not in LOCAL_HOSTS:
            raise ValueError(
                "'tls' of 'starttls' (zonder versleuteling alleen naar 127.0.0.1 of localhost, "
                "anders gaat het wachtwoord leesbaar over het netwerk)"
            )
        return value

    @field_validator("folder", "move_to")
    @classmethod
    def _folder_name(cls, value: str | None) -> str | None:
        if value is not None and (CONTROL.search(value) or not value.strip()):
            raise ValueError("een mapnaam zonder regeleinden of andere stuurtekens")
        return value

    @field_validator("move_to")
    @classmethod
    def _other_folder(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and value == info.data.get("folder"):
            raise ValueError("een andere map dan 'folder'")
        return value

    @property
    def effective_port(self) -> int:
        return self.port or DEFAULT_PORTS[self.security]


class MailboxCollector(Collector):
    """Reads new mails from one IMAP folder without marking them read.

    The cursor is ``UIDVALIDITY:last UID``: the next run asks only for higher UIDs, whether or
    not someone opened the mails in a mail client meanwhile. When the server renumbered the
    folder (another UIDVALIDITY), everything is read again; the store knows its mails by
    Message-ID, so nothing is doubled. With ``move_to``, each mail that became a record is moved
    there once its batch is stored; auto-replies and unreadable mails stay for a person to see.
    """

    name = "mailbox"
    Settings = MailboxSettings
    settings: MailboxSettings
    lists_everything = False

    # ------------------------------------------------------------ the run

    def collect(self, *, cursor: str | None, full: bool = False) -> Iterator[Batch]:
        conn = self._open()
        try:
            yield from self._batches(conn, cursor=cursor, full=full)
        except GeneratorExit:
            self._close(conn, polite=True)  # the caller stopped: say goodbye
            raise
        except BaseException:
            self._close(conn, polite=False)  # the line may be dead: do not wait for LOGOUT
            raise
        self._close(conn, polite=True)

    def _batches(self, conn: imaplib.IMAP4, *, cursor: str | None, full: bool) -> Iterator[Batch]:
        s = self.settings
        uidvalidity = self._select(conn)
        capabilities = self._capabilities(conn) if s.move_to else set()
        after = 0 if full else self._resume_after(cursor, uidvalidity)
        uids = self._uids_after(conn, after)
        new_cursor = f"{uidvalidity}:{max(uids, default=after)}" if uidvalidity else None
        logger.info("%s: %d messages after UID %d in %s", self.label, len(uids), after, s.folder)
        if not uids:
            yield Batch(records=[], cursor=new_cursor)
            return
        for start in range(0, len(uids), s.batch_size):
            chunk = uids[start : start + s.batch_size]
            records, warnings, read = self._read(conn, chunk)
            final = start + s.batch_size >= len(uids)
            stored = yield Batch(
                records=records, cursor=new_cursor if final else None, warnings=warnings
            )
            # Moved only once stored: a caller that stores nothing (sources test) sends None.
            if s.move_to and stored is not None and read:
                self._move(conn, read, capabilities)

    def _resume_after(self, cursor: str | None, uidvalidity: int | None) -> int:
        """The last UID already read; 0 (read everything) without a cursor or after renumbering."""
        match = CURSOR.match(cursor or "")
        if match is None or uidvalidity is None:
            return 0
        if int(match.group(1)) != uidvalidity:
            logger.info("%s: UIDVALIDITY changed, reading the whole folder again", self.label)
            return 0
        return int(match.group(2))

    def _read(
        self, conn: imaplib.IMAP4, chunk: list[int]
    ) -> tuple[list[RawReview], list[str], list[int]]:
        """Fetch one batch without setting \\Seen; returns records, warnings and their UIDs."""
        with self._talking("het ophalen van berichten"):
            typ, data = conn.uid("FETCH", uid_set(chunk), "(UID BODY.PEEK[])")
        if typ != "OK":
            self._refused("het ophalen van berichten", data)
        bodies = fetched_bodies(data)
        if not bodies:  # never step the cursor over mails we could not see
            raise DriftError(
                f"Map '{self.settings.folder}' op {self.settings.host}",
                f"de server gaf geen berichtinhoud terug voor UID {uid_set(chunk)}",
            )
        records: list[RawReview] = []
        warnings: list[str] = []
        read: list[int] = []
        for uid in chunk:
            raw = bodies.get(uid)
            if raw is None:
                continue  # deleted or moved by someone else since the search
            try:
                record = parse_message(raw, where=f"bericht {uid} in {self.settings.folder}")
            except ParseError as exc:
                warnings.append(exc.explain())
                continue
            if record is not None:
                records.append(record)
                read.append(uid)
        return records, warnings, read

    # ------------------------------------------------------------ the connection

    @property
    def _where(self) -> str:
        host = self.settings.host
        host = f"[{host}]" if ":" in host and not host.startswith("[") else host
        scheme = "imaps" if self.settings.security == "tls" else "imap"
        return f"{scheme}://{host}:{self.settings.effective_port}"

    def _unreachable(self, exc: BaseException) -> NoReturn:
        """Connection problems as a FetchError with a Dutch reason."""
        seconds = f"{self.settings.timeout_seconds:g}"
        if isinstance(exc, ssl.SSLCertVerificationError):
            reason = "het certificaat van de server is niet geldig of niet vertrouwd"
        elif isinstance(exc, ssl.SSLError):
            reason = "de versleutelde verbinding (TLS) kwam niet tot stand; klopt 'security'?"
        elif isinstance(exc, TimeoutError):
            reason = f"geen antwoord binnen {seconds} seconden"
        elif isinstance(exc, ConnectionRefusedError):
            reason = "de verbinding werd geweigerd; klopt de poort?"
        elif isinstance(exc, socket.gaierror):
            reason = "de servernaam is onbekend"
        elif isinstance(exc, imaplib.IMAP4.abort | OSError):
            reason = "de verbinding werd verbroken"
        else:
            reason = "de server gaf geen geldig IMAP-antwoord"
        raise FetchError(self._where, reason) from None

    @contextmanager
    def _talking(self, what: str) -> Iterator[None]:
        """imaplib's errors during a command as typed errors, never untyped."""
        try:
            yield
        except (imaplib.IMAP4.abort, OSError) as exc:
            self._unreachable(exc)
        except imaplib.IMAP4.error as exc:
            self._refused(what, [str(exc).encode()])

    def _refused(self, what: str, data: object) -> NoReturn:
        reason = f"de server weigerde {what} ({server_text(data)})"
        raise FetchError(self._where, reason)

    def _open(self) -> imaplib.IMAP4:
        """Connect (TLS, STARTTLS or plain) and log in."""
        s = self.settings
        host, port, timeout = s.host.strip("[]"), s.effective_port, s.timeout_seconds
        try:
            if s.security == "tls":
                conn: imaplib.IMAP4 = imaplib.IMAP4_SSL(
                    host, port, ssl_context=_tls_context(), timeout=timeout
                )
            else:
                conn = imaplib.IMAP4(host, port, timeout=timeout)
        except (imaplib.IMAP4.error, OSError) as exc:
            self._unreachable(exc)
        try:
            if s.security == "starttls":
                if "STARTTLS" not in conn.capabilities:
                    raise FetchError(self._where, "de server biedt geen STARTTLS aan")
                try:
                    conn.starttls(ssl_context=_tls_context())
                except (imaplib.IMAP4.error, OSError) as exc:
                    self._unreachable(exc)
            self._login(conn)
        except BaseException:
            self._close(conn, polite=False)
            raise
        return conn

    def _login(self, conn: imaplib.IMAP4) -> None:
        s = self.settings
        password = s.password.get_secret_value()
        where = f"IMAP-server {s.host}"
        try:
            if (s.username + password).isascii():
                conn.login(s.username, password)
            else:  # LOGIN only carries ASCII; AUTHENTICATE PLAIN carries UTF-8
                secret = f"\0{s.username}\0{password}".encode()
                conn.authenticate("PLAIN", lambda _challenge: secret)
        except imaplib.IMAP4.abort as exc:
            self._unreachable(exc)
        except imaplib.IMAP4.error as exc:
            text = str(exc)
            if "[UNAVAILABLE]" in text:
                raise FetchError(self._where, "de server kan nu niet inloggen (storing)") from None
            if "[PRIVACYREQUIRED]" in text or "LOGINDISABLED" in text:
                detail = "inloggen zonder versleuteling is niet toegestaan"
                advice = "zet 'security' op 'tls' of 'starttls'"
            else:
                detail = f"gebruiker {s.username} met het ingestelde wachtwoord"
                advice = "controleer de gebruikersnaam en het wachtwoord in de configuratie"
            raise AuthError(where, detail, advice=advice) from None
        except OSError as exc:
            self._unreachable(exc)

    def _select(self, conn: imaplib.IMAP4) -> int | None:
        """Open the folder (read-only unless moving) and return its UIDVALIDITY."""
        s = self.settings
        if s.move_to:
            self._ensure_folder(conn, s.move_to)
        with self._talking("het openen van de map"):
            try:
                typ, data = conn.select(imap_folder(s.folder), readonly=not s.move_to)
            except imaplib.IMAP4.readonly:
                raise SourceUnavailable(
                    f"Map '{s.folder}' op {s.host}",
                    "deze map kan alleen gelezen worden, dus 'move_to' kan niet",
                ) from None
        if typ != "OK":
            raise SourceUnavailable(
                f"Map '{s.folder}' op {s.host}",
                f"de server kan deze map niet openen ({server_text(data)})",
            )
        _, values = conn.response("UIDVALIDITY")
        if values and values[0] and values[0].isdigit():
            return int(values[0])
        with self._talking("het opvragen van de mapstatus"):
            typ, data = conn.status(imap_folder(s.folder), "(UIDVALIDITY)")
        match = re.search(rb"UIDVALIDITY (\d+)", data[0] or b"") if typ == "OK" else None
        return int(match.group(1)) if match else None

    def _uids_after(self, conn: imaplib.IMAP4, after: int) -> list[int]:
        with self._talking("het zoeken naar nieuwe berichten"):
            typ, data = conn.uid("SEARCH", "UID", f"{after + 1}:*")
        if typ != "OK":
            self._refused("het zoeken naar nieuwe berichten", data)
        found = b" ".join(part for part in data if isinstance(part, bytes)).split()
        # "n:*" always matches the highest UID, also when that is below n.
        return sorted({int(uid) for uid in found if uid.isdigit() and int(uid) > after})

    def _ensure_folder(self, conn: imaplib.IMAP4, folder: str) -> None:
        name = imap_folder(folder)
        with self._talking("het controleren van de map"):
            typ, _ = conn.status(name, "(MESSAGES)")
            if typ == "OK":
                return
            typ, data = conn.create(name)
            if typ == "OK" or b"[ALREADYEXISTS]" in (data[-1] or b""):
                conn.subscribe(name)  # so that mail clients show it
                logger.info("%s: created folder %s", self.label, folder)
                return
        raise SourceUnavailable(
            f"Map '{folder}' op {self.settings.host}",
            f"de map bestaat niet en kon niet worden gemaakt ({server_text(data)})",
        )

    def _move(self, conn: imaplib.IMAP4, uids: list[int], capabilities: set[str]) -> None:
        """Move stored mails to ``move_to``: UID MOVE, or COPY + \\Deleted + EXPUNGE."""
        target = imap_folder(self.settings.move_to or "")
        which = uid_set(uids)
        with self._talking("het verplaatsen van berichten"):
            if "MOVE" in capabilities:
                typ, data = conn.uid("MOVE", which, target)
            else:
                typ, data = conn.uid("COPY", which, target)
                if typ == "OK":
                    typ, data = conn.uid("STORE", which, "+FLAGS.SILENT", "(\\Deleted)")
                if typ == "OK" and "UIDPLUS" in capabilities:
                    typ, data = conn.uid("EXPUNGE", which)
                elif typ == "OK":
                    # Without UIDPLUS, EXPUNGE also removes mails someone else marked \Deleted.
                    typ, data = conn.expunge()
        if typ != "OK":
            self._refused("het verplaatsen van berichten", data)
        logger.info("%s: moved %d messages to %s", self.label, len(uids), self.settings.move_to)

    def _capabilities(self, conn: imaplib.IMAP4) -> set[str]:
        """What the server offers after login (imaplib keeps only the list from before)."""
        with self._talking("het opvragen van de mogelijkheden"):
            typ, data = conn.capability()
        if typ != "OK":
            return {name.upper() for name in conn.capabilities}
        words = b" ".join(part for part in data if isinstance(part, bytes))
        return {name.upper() for name in words.decode("ascii", "replace").split()}

    def _close(self, conn: imaplib.IMAP4, *, polite: bool) -> None:
        try:
            if polite:
                conn.logout()
            else:
                conn.shutdown()
        except (imaplib.IMAP4.error, OSError):
            pass


def _tls_context() -> ssl.SSLContext:
    """The system's trusted certificates, host name checked."""
    return ssl.create_default_context()
