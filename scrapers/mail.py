"""Reading one customer e-mail (RFC 5322 bytes) into a record: sender, subject, plain text body."""

from __future__ import annotations

import hashlib
import re
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr

from bs4 import BeautifulSoup
from bs4.exceptions import ParserRejectedMarkup

from scrapers.dates import parse_mail_date
from scrapers.errors import ParseError
from scrapers.records import RawReview

AUTO_SUBJECT = re.compile(
    r"^(automatisch antwoord|automatic reply|auto[- ]?reply|afwezig|out of office|abwesenheit)",
    re.IGNORECASE,
)
QUOTE_START = re.compile(
    r"^(op .{5,120} schreef .{1,120}:|on .{5,120} wrote:"
    r"|-+ ?(original message|oorspronkelijk bericht) ?-+|van: .+|from: .+)$",
    re.IGNORECASE,
)


def is_automated(message: EmailMessage) -> bool:
    """True for auto-replies, bounces and bulk mail: never answered (no mail loops)."""
    auto = str(message.get("Auto-Submitted", "no")).strip().lower()
    if auto and auto != "no":
        return True
    if message.get("X-Autoreply") or message.get("X-Autorespond"):
        return True
    if str(message.get("Precedence", "")).strip().lower() in {"auto_reply", "bulk", "junk", "list"}:
        return True
    return bool(AUTO_SUBJECT.match(str(message.get("Subject", "")).strip()))


def html_to_text(html: str) -> str:
    """Visible text of an HTML body; scripts, styles and markup are dropped, never interpreted."""
    try:
        soup = BeautifulSoup(html, "html.parser")
    except ParserRejectedMarkup:
        return re.sub(r"<[^>]*>", " ", html)
    for tag in soup(["script", "style", "head", "title"]):
        tag.decompose()
    for br in soup.find_all("br"):
        br.replace_with("\n")
    text = soup.get_text("\n")
    return re.sub(r"\n\s*\n+", "\n\n", text)


def strip_quoted(text: str) -> str:
    """The new part of a reply: cut at the quoted earlier message ("Op ... schreef ...:", "> ")."""
    kept: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if QUOTE_START.match(stripped) or stripped.startswith(">"):
            break
        kept.append(line.rstrip())
    return "\n".join(kept).strip()


def _body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, UnicodeError, AssertionError):
        payload = part.get_payload(decode=True) or b""
        content = payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else ""
    if part.get_content_type() == "text/html":
        content = html_to_text(content)
    return strip_quoted(content)


def parse_message(raw: bytes, *, where: str = "e-mail") -> RawReview | None:
    """A customer mail as a record (channel ``mail``), or None for an automated message."""
    try:
        message = BytesParser(policy=policy.default).parsebytes(raw)
    except Exception as exc:  # the email package raises assorted errors on broken input
        raise ParseError(where, f"geen leesbare e-mail ({type(exc).__name__})") from None
    if not isinstance(message, EmailMessage) or not message.keys():
        raise ParseError(where, "geen leesbare e-mail")
    if is_automated(message):
        return None
    name, address = parseaddr(str(message.get("From", "")))
    message_id = str(message.get("Message-ID", "")).strip()
    if not message_id:
        key = f"{address}|{message.get('Date', '')}|{message.get('Subject', '')}"
        message_id = "h:" + hashlib.sha1(key.encode()).hexdigest()[:20]  # noqa: S324 - an id
    references = [addr for _, addr in getaddresses([str(message.get("References", ""))]) if addr]
    in_reply_to = str(message.get("In-Reply-To", "")).strip()
    if references:
        thread = f"<{references[0]}>"
    elif in_reply_to:
        thread = in_reply_to
    else:
        thread = message_id
    return RawReview(
        external_id=message_id,
        text=_body(message),
        author=name or (address.split("@")[0] if address else None),
        title=str(message.get("Subject", "")).strip() or None,
        published_at=parse_mail_date(message.get("Date")),
        channel="mail",
        contact=address.lower() or None,
        thread_key=thread,
    )
