"""The automatic "we reageren binnen 24 uur" to customer mails, once per thread.

This is the ONE message reviewwacht sends to a customer without a person approving it. Every
other message it queues goes to the shop's own people (alerts to ``mail.alert_to`` and the chat
webhook, the report to ``mail.report_to``), and a reply to a customer only ever leaves as the exact
text a person approved. So the acknowledgement is off until ``acknowledge.enabled`` is switched
on; it is fixed text (of the customer's mail only the subject is repeated, after "Re:"); and it
goes only to a plausible customer address: never to the shop's own addresses or domains, never to
no-reply, postmaster or bounce addresses, never twice in one thread, and at most once a day to one
address (RFC 3834's advice against mail loops). It carries ``Auto-Submitted: auto-replied`` so
that the customer's own auto-responder does not answer it.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from sqlalchemy import String, exists, func, literal, select
from sqlmodel import Session, col

from drafts.compose import greeting
from drafts.workdays import dutch_date
from monitor.config import Settings
from monitor.models import Outbox, Review
from monitor.outbox import enqueue
from monitor.queries import received_at, unanswered

logger = logging.getLogger(__name__)

ACK_FRESH = timedelta(hours=4)
PER_ADDRESS = timedelta(hours=24)  # at most one acknowledgement per address in this period
MESSAGE_ID = re.compile(r"<[^<>\s]+>")
ADDRESS = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)
# Local parts (lowercased, without . - _ and +tag) of addresses nobody reads.
NO_REPLY_PARTS = ("noreply", "donotreply", "donotrespond", "mailerdaemon", "postmaster", "bounce")
NO_REPLY_EXACT = frozenset({"nobody", "noresponse", "daemon", "root"})
REPLY_PREFIX = re.compile(r"^\s*(?:(?:re|antw|aw|sv|vs)\s*(?:\[\d+\])?\s*:\s*)+", re.IGNORECASE)


# ---------------------------------------------------------------- who may get one


def _site_domain(domain: str) -> str:
    """'depollepel.nl' from 'https://www.depollepel.nl/' (the shop's own web domain)."""
    value = domain.strip().lower()
    host = urlsplit(value if "//" in value else f"//{value}").hostname or ""
    return host.removeprefix("www.")


def own_addresses(settings: Settings) -> tuple[frozenset[str], frozenset[str]]:
    """(addresses, domains) of the shop itself: the contact, sender, login, report and alert
    addresses, ``acknowledge.own_addresses`` (an entry "@domain" is a whole domain, subdomains
    included) and the shop's web domain."""
    entries = [
        settings.shop.contact_email,
        settings.mail.from_address,
        settings.mail.username if "@" in settings.mail.username else "",
        *settings.mail.report_to,
        *settings.mail.alert_to,
        *settings.acknowledge.own_addresses,
    ]
    addresses: set[str] = set()
    domains: set[str] = set()
    for entry in entries:
        value = entry.strip().lower()
        if value.startswith("@"):
            domains.add(value[1:])
        elif value:
            addresses.add(_without_tag(value))
    if site := _site_domain(settings.shop.domain):
        domains.add(site)
    return frozenset(addresses), frozenset(domains - {""})


def _without_tag(address: str) -> str:
    """'service@shop.nl' from 'service+retour@shop.nl'."""
    local, _, domain = address.rpartition("@")
    return f"{local.split('+', 1)[0]}@{domain}"


def refusal(address: str | None, settings: Settings) -> str | None:
    """Why ``address`` gets no acknowledgement, or None when it may get one."""
    value = (address or "").strip().lower()
    if not value:
        return "no address"
    if len(value) > 254 or not ADDRESS.fullmatch(value):
        return "not a valid address"
    local, _, domain = value.rpartition("@")
    squashed = re.sub(r"[._-]", "", local.split("+", 1)[0])
    if squashed in NO_REPLY_EXACT or any(part in squashed for part in NO_REPLY_PARTS):
        return "a no-reply address"
    addresses, domains = own_addresses(settings)
    if _without_tag(value) in addresses:
        return "one of the shop's own addresses"
    if any(domain == own or domain.endswith(f".{own}") for own in domains):
        return "on one of the shop's own domains"
    return None


# ---------------------------------------------------------------- what it says


def reply_subject(subject: str | None, address: str) -> str:
    """'Re: <subject>', without a second 'Re:' (or the Dutch 'Antw:') in front."""
    rest = REPLY_PREFIX.sub("", " ".join((subject or "").split()))
    return f"Re: {rest}" if rest else f"Re: {'uw' if address == 'u' else 'je'} bericht"


def promised_moment(deadline: datetime, now: datetime, zone: ZoneInfo) -> str:
    """'vandaag 16:30', 'morgen 14:05' or 'dinsdag 25 november 14:05', in the shop's time zone."""
    local = deadline.astimezone(zone)
    today = now.astimezone(zone).date()
    if local.date() == today:
        day = "vandaag"
    elif local.date() == today + timedelta(days=1):
        day = "morgen"
    else:
        day = dutch_date(local.date())
    return f"{day} {local:%H:%M}"


def acknowledgement_text(
    review: Review, settings: Settings, *, deadline: datetime, now: datetime
) -> str:
    contact = (review.contact or "").lower()
    author = review.author
    if author and contact and author.lower() == contact.partition("@")[0]:
        author = None  # no display name, only the address: "Beste klant," reads better
    hours = settings.report.promise_hours
    moment = promised_moment(deadline, now, settings.shop.zone)
    if settings.drafts.address == "u":
        thanks = "Dank u voor uw bericht."
        more = "Wilt u nog iets aanvullen? Beantwoord dan gewoon deze mail."
    else:
        thanks = "Dank je voor je bericht."
        more = "Wil je nog iets aanvullen? Beantwoord dan gewoon deze mail."
    return (
        f"{greeting(author)}\n\n"
        f"{thanks} We hebben het goed ontvangen en reageren binnen {hours} uur: "
        f"uiterlijk {moment}.\n\n"
        f"Dit is een automatische bevestiging. {more}\n\n"
        f"Met vriendelijke groet,\n{settings.drafts.signature}\n{settings.shop.name}\n"
    )


def threading_headers(review: Review, settings: Settings) -> dict[str, str]:
    """In-Reply-To and References (RFC 5322) so the mail client shows it in the customer's
    thread; Auto-Submitted (RFC 3834) and Exchange's suppression header against auto-replies."""
    headers = {"Auto-Submitted": "auto-replied", "X-Auto-Response-Suppress": "All"}
    if MESSAGE_ID.fullmatch(review.external_id):
        headers["In-Reply-To"] = review.external_id
        thread = review.thread_key or ""
        root = [thread] if MESSAGE_ID.fullmatch(thread) and thread != review.external_id else []
        headers["References"] = " ".join([*root, review.external_id])
    contact = settings.shop.contact_email.strip()
    if contact and contact.lower() != settings.mail.from_address.strip().lower():
        headers["Reply-To"] = contact
    return headers


def _key(review: Review) -> str:
    """One acknowledgement per thread (the store keeps thread ids within 255 characters)."""
    return f"ack:{review.thread_key or review.external_id}"


# ---------------------------------------------------------------- queueing


def _recently_acknowledged(session: Session, address: str, now: datetime) -> bool:
    query = (
        select(func.count())
        .select_from(Outbox)
        .join(Review, Review.id == Outbox.review_id)
        .where(
            Outbox.kind == "ack",
            func.lower(Review.contact) == address,
            col(Outbox.not_before) > now - PER_ADDRESS,
        )
    )
    return bool(session.exec(query).one()[0])


def queue_acknowledgements(*, session: Session, settings: Settings, now: datetime) -> int:
    """Queue the acknowledgement for every customer mail received within
    ``acknowledge.max_age_hours`` that is still unanswered and whose thread has none yet
    (``ack:<thread>``), when ``acknowledge.enabled`` is on and mail is configured. A mail whose
    promised moment has already passed gets none (it would promise the past). Returns the number
    queued; does not commit."""
    if not (settings.acknowledge.enabled and settings.mail.configured):
        return 0
    since = now - timedelta(hours=settings.acknowledge.max_age_hours)
    thread = literal("ack:", String) + func.coalesce(Review.thread_key, Review.external_id)
    acknowledged = exists().where(Outbox.key == thread)
    mails = session.exec(
        select(Review)
        .where(Review.channel == "mail", received_at() >= since, unanswered(), ~acknowledged)
        .order_by(received_at(), Review.id)
    ).scalars()
    hours = timedelta(hours=settings.report.promise_hours)
    queued = 0
    for review in list(mails):
        address = (review.contact or "").strip().lower()
        why_not = refusal(address, settings)
        if why_not is None and _recently_acknowledged(session, address, now):
            why_not = "acknowledged less than a day ago"
        deadline = min(review.received_at, now) + hours
        if why_not is None and deadline <= now:
            why_not = "the promised moment has passed"
        if why_not is not None:
            logger.debug("No acknowledgement for mail %s: %s", review.id, why_not)
            continue
        queued += enqueue(
            session=session,
            key=_key(review),
            kind="ack",
            recipients=[address],
            subject=reply_subject(review.title, settings.drafts.address),
            text=acknowledgement_text(review, settings, deadline=deadline, now=now),
            headers=threading_headers(review, settings),
            review_id=review.id,
            not_before=now,
            # An acknowledgement is only worth sending at once: held up (a mail server down)
            # it expires rather than arrive hours late with a stale "morgen".
            expires_at=min(deadline, now + ACK_FRESH),
        )
    return queued
