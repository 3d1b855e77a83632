"""Turning outbox rows into e-mails and handing them to the shop's SMTP server; chat webhooks."""

from __future__ import annotations

import hashlib
import logging
import smtplib
import socket
import ssl
from collections.abc import Sequence
from datetime import datetime
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any, Protocol
from urllib.parse import urlsplit

import requests

from monitor.config import Settings
from monitor.dutch import number
from monitor.models import Outbox, utcnow

logger = logging.getLogger(__name__)

WEBHOOK_TIMEOUT = 10.0  # seconds
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
# Headers build_message sets itself; an outbox row cannot override them.
OWN_HEADERS = frozenset({"from", "to", "cc", "bcc", "subject", "date", "message-id", "sender"})


class DeliveryError(Exception):
    """A message could not be sent. ``str()`` is one Dutch sentence for the owner that names the
    server (host and port, or a webhook's host only) and never a password or a webhook URL.

    Raised by ``build_message`` and ``SmtpTransport``; caught by ``monitor.outbox.deliver``, which
    keeps the message and tries again later. ``whole_channel`` is True when the server itself is
    the problem (unreachable, login refused): the other messages of that round need not be tried.
    """

    def __init__(self, reason: str, *, whole_channel: bool = True) -> None:
        super().__init__(reason)
        self.whole_channel = whole_channel


class AttachmentLike(Protocol):
    """An ``outbox.Attachment`` or an ``OutboxAttachment`` row."""

    cid: str
    filename: str
    content_type: str
    data: bytes


# ---------------------------------------------------------------- building


def _one_line(value: str) -> str:
    """A header value on one line (a header may not hold a line break)."""
    return " ".join(str(value).split())


def _address(addr_spec: str, display_name: str = "") -> Address:
    try:
        return Address(display_name=_one_line(display_name), addr_spec=addr_spec.strip())
    except (ValueError, IndexError, HeaderParseError):
        raise DeliveryError(
            f"Het adres {addr_spec.strip()!r} is geen geldig e-mailadres.", whole_channel=False
        ) from None


def message_id(row: Outbox, settings: Settings) -> str:
    """A Message-ID on the sender's domain, the same for every attempt of one outbox row (so a
    mail sent twice after a crash can be recognised as one)."""
    domain = settings.mail.from_address.rpartition("@")[2].strip() or "localhost"
    digest = hashlib.sha1(row.key.encode()).hexdigest()[:12]  # noqa: S324 - an id, not security
    created = row.created_at.strftime("%Y%m%d%H%M%S") if row.created_at else "0"
    return f"<reviewwacht.{created}.{row.id}.{digest}@{domain}>"


def build_message(
    outbox_row: Outbox,
    attachments: Sequence[AttachmentLike],
    settings: Settings,
    *,
    now: datetime | None = None,
) -> EmailMessage:
    """The e-mail for one outbox row: text/plain always; with HTML a multipart/alternative whose
    HTML part carries the images it references by ``cid:`` (multipart/related, so charts show
    inline in common mail clients); other attachments as attachments."""
    mail = settings.mail
    message = EmailMessage()
    message["From"] = _address(mail.from_address, mail.from_name or settings.shop.name)
    message["To"] = tuple(_address(recipient) for recipient in outbox_row.recipients)
    message["Subject"] = _one_line(outbox_row.subject)
    message["Date"] = format_datetime((now or utcnow()).astimezone(settings.shop.zone))
    message["Message-ID"] = message_id(outbox_row, settings)
    for name, value in (outbox_row.headers or {}).items():
        if name.lower() in OWN_HEADERS:
            raise ValueError(f"outbox header {name} is set by build_message")
        message[name] = _one_line(value)

    message.set_content(outbox_row.text_body)
    html = outbox_row.html_body
    inline: list[AttachmentLike] = []
    separate: list[AttachmentLike] = []
    for item in attachments:
        (inline if html and f"cid:{item.cid}" in html else separate).append(item)
    if html:
        message.add_alternative(html, subtype="html")
        html_part = message.get_payload()[-1]
        for item in inline:
            maintype, _, subtype = item.content_type.partition("/")
            html_part.add_related(
                item.data, maintype, subtype or "octet-stream",
                cid=f"<{item.cid}>", filename=item.filename, disposition="inline",
            )  # fmt: skip
    for item in separate:
        maintype, _, subtype = item.content_type.partition("/")
        message.add_attachment(
            item.data, maintype, subtype or "octet-stream", filename=item.filename
        )
    return message


# ---------------------------------------------------------------- sending


class SmtpTransport:
    """The shop's SMTP server (``[mail]``): implicit TLS, STARTTLS or, on this machine only, plain;
    certificates verified; a login when a username is set. One connection per message.

    ``ssl_context`` replaces ``ssl.create_default_context()`` (for a test server's certificate)."""

    def __init__(self, settings: Settings, *, ssl_context: ssl.SSLContext | None = None) -> None:
        self._mail = settings.mail
        self._context = ssl_context

    @property
    def _where(self) -> str:
        return f"{self._mail.host}:{self._mail.smtp_port}"

    def send_mail(self, message: EmailMessage) -> None:
        mail = self._mail
        context = self._context or ssl.create_default_context()
        stage = "connect"
        try:
            if mail.security == "tls":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    mail.host, mail.smtp_port, timeout=mail.timeout_seconds, context=context
                )
            else:
                smtp = smtplib.SMTP(mail.host, mail.smtp_port, timeout=mail.timeout_seconds)
        except Exception as exc:
            raise self._error(exc, stage) from None
        try:
            if mail.security == "starttls":
                stage = "starttls"
                smtp.starttls(context=context)
            if mail.username:
                stage = "login"
                smtp.login(mail.username, mail.password.get_secret_value())
            stage = "send"
            refused = smtp.send_message(message)
        except Exception as exc:
            smtp.close()
            raise self._error(exc, stage) from None
        # The server has accepted the message: whatever goes wrong from here, it was sent.
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()
        if refused:
            logger.warning(
                "SMTP server %s accepted the message but refused %s", self._where, sorted(refused)
            )

    def _error(self, error: Exception, stage: str) -> DeliveryError:
        """One Dutch sentence for what went wrong; never the password, never the server's text."""
        where = self._where
        mail = self._mail
        exc: BaseException = error
        if isinstance(exc, smtplib.SMTPAuthenticationError):
            return DeliveryError(
                f"De SMTP-server {where} weigerde de inlog van {mail.username}; "
                "klopt het wachtwoord?"
            )
        if isinstance(exc, smtplib.SMTPNotSupportedError):
            if stage == "send":  # an address that needs SMTPUTF8: this message only
                return DeliveryError(
                    f"De SMTP-server {where} kan dit bericht niet aannemen (geen SMTPUTF8).",
                    whole_channel=False,
                )
            what = "STARTTLS" if stage == "starttls" else "inloggen"
            return DeliveryError(f"De SMTP-server {where} ondersteunt {what} niet.")
        if isinstance(exc, smtplib.SMTPRecipientsRefused):
            refused = ", ".join(sorted(exc.recipients))
            return DeliveryError(
                f"De SMTP-server {where} weigerde de ontvanger {refused}.", whole_channel=False
            )
        if isinstance(exc, smtplib.SMTPSenderRefused):
            return DeliveryError(
                f"De SMTP-server {where} weigerde het afzenderadres {mail.from_address}."
            )
        if isinstance(exc, smtplib.SMTPDataError):
            return DeliveryError(
                f"De SMTP-server {where} weigerde het bericht (code {exc.smtp_code}).",
                whole_channel=False,
            )
        if isinstance(exc, smtplib.SMTPServerDisconnected) and isinstance(
            exc.__context__, TimeoutError
        ):
            exc = exc.__context__  # smtplib reports a read time-out as a disconnection
        if isinstance(exc, smtplib.SMTPServerDisconnected):
            return DeliveryError(f"De SMTP-server {where} verbrak de verbinding.")
        if isinstance(exc, smtplib.SMTPResponseException):
            return DeliveryError(f"De SMTP-server {where} gaf een fout (code {exc.smtp_code}).")
        if isinstance(exc, ssl.SSLCertVerificationError):
            return DeliveryError(
                f"Het certificaat van de SMTP-server {where} kon niet worden gecontroleerd; "
                "er is niets verstuurd."
            )
        if isinstance(exc, ssl.SSLError):
            return DeliveryError(
                f"De beveiligde verbinding met de SMTP-server {where} mislukte; "
                f"past beveiliging '{mail.security}' bij poort {mail.smtp_port}?"
            )
        if isinstance(exc, TimeoutError):
            return DeliveryError(
                f"De SMTP-server {where} gaf geen antwoord binnen "
                f"{number(mail.timeout_seconds)} seconden (time-out)."
            )
        if isinstance(exc, ConnectionRefusedError):
            return DeliveryError(
                f"De SMTP-server {where} is niet bereikbaar (verbinding geweigerd)."
            )
        if isinstance(exc, socket.gaierror):
            return DeliveryError(f"De SMTP-server {mail.host} is niet te vinden (onbekende naam).")
        if isinstance(exc, UnicodeEncodeError) and stage == "login":
            return DeliveryError(
                "De gebruikersnaam of het wachtwoord voor de SMTP-server bevat tekens die niet "
                "verstuurd kunnen worden."
            )
        if isinstance(exc, OSError):
            return DeliveryError(
                f"De SMTP-server {where} is niet bereikbaar ({type(exc).__name__})."
            )
        return DeliveryError(
            f"Versturen via de SMTP-server {where} mislukte ({type(exc).__name__}).",
            whole_channel=False,
        )

    def post_webhook(self, url: str, payload: dict[str, Any]) -> None:
        """POST ``payload`` as JSON (``{"text": ...}`` for Slack, Mattermost and Teams incoming
        webhooks). The URL is a secret: errors name only its host."""
        parts = urlsplit(url)
        host = parts.hostname or "?"
        if parts.scheme != "https" and not (parts.scheme == "http" and host in LOCAL_HOSTS):
            raise DeliveryError(
                f"Het webhook-adres op {host} moet met https:// beginnen "
                "(http:// alleen voor een adres op deze machine)."
            )
        try:
            response = requests.post(
                url, json=payload, timeout=WEBHOOK_TIMEOUT, allow_redirects=False
            )
        except requests.Timeout:
            raise DeliveryError(
                f"De webhook op {host} gaf geen antwoord binnen "
                f"{number(WEBHOOK_TIMEOUT)} seconden (time-out)."
            ) from None
        except requests.ConnectionError:
            raise DeliveryError(f"De webhook op {host} is niet bereikbaar.") from None
        except requests.RequestException as exc:
            raise DeliveryError(
                f"Het bericht aan de webhook op {host} kon niet worden verstuurd "
                f"({type(exc).__name__})."
            ) from None
        if response.status_code >= 300:
            raise DeliveryError(
                f"De webhook op {host} weigerde het bericht (HTTP {response.status_code})."
            )
