"""Reading one customer e-mail (RFC 5322 bytes) into a record: sender, subject, plain text body."""

from __future__ import annotations

import re
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parseaddr

from bs4 import BeautifulSoup
from bs4.exceptions import ParserRejectedMarkup

from scrapers.dates import parse_mail_date
from scrapers.errors import ParseError
from scrapers.records import RawReview, clean_text, derived_id

AUTO_SUBJECT = re.compile(
    r"^(automatisch antwoord|automatic reply|auto[- ]?reply|afwezig|out of office|abwesenheit)",
    re.IGNORECASE,
)
QUOTE_START = re.compile(
    r"^(op .{5,120} schreef .{1,120}:|on .{5,120} wrote:"
    r"|-+ ?(original message|oorspronkelijk bericht) ?-+|van: .+|from: .+)$",
    re.IGNORECASE,
)
# Message-IDs in References/In-Reply-To; not getaddresses, which since Python 3.13 (strict mode)
# answers [("", "")] for the usual space-separated list.
MESSAGE_ID = re.compile(r"<[^<>\s]+>")
BLOCK_TAGS = ("p", "div", "li", "tr", "table", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6")


def _header(message: EmailMessage, name: str) -> str:
    """A header's decoded value, or "" when missing or when the email package cannot parse it."""
    try:
        value = message.get(name, "")
    except Exception:  # its header parsers raise IndexError and more on values like "<"
        return ""
    return clean_text(str(value)).strip()


def is_automated(message: EmailMessage) -> bool:
    """True for auto-replies, bounces and bulk mail: never answered (no mail loops)."""
    auto = _header(message, "Auto-Submitted").lower()
    if auto and auto != "no":
        return True
    if _header(message, "X-Autoreply") or _header(message, "X-Autorespond"):
        return True
    if _header(message, "Precedence").lower() in {"auto_reply", "bulk", "junk", "list"}:
        return True
    return bool(AUTO_SUBJECT.match(_header(message, "Subject")))


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
    for block in soup.find_all(BLOCK_TAGS):  # line breaks around blocks, none inside a sentence
        block.insert_before("\n")
        block.insert_after("\n")
    text = soup.get_text()
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
    return strip_quoted(clean_text(content))


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
    name, address = parseaddr(_header(message, "From"))
    message_id = _header(message, "Message-ID")
    if not message_id:
        key = f"{address}|{_header(message, 'Date')}|{_header(message, 'Subject')}"
        message_id = derived_id(key)
    references = MESSAGE_ID.findall(_header(message, "References"))
    in_reply_to = MESSAGE_ID.findall(_header(message, "In-Reply-To"))
    thread = (references or in_reply_to or [message_id])[0]
    return RawReview(
        external_id=message_id,
        text=_body(message),
        author=name or (address.split("@")[0] if address else None),
        title=_header(message, "Subject") or None,
        published_at=parse_mail_date(_header(message, "Date")),
        channel="mail",
        contact=address.lower() or None,
        thread_key=thread,
    )
