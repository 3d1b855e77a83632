"""Approved replies on their way out: by the platform's API (Trustpilot, Kiyoh, Google), by mail
for a customer's mail, or handed to a person to paste where a platform has no API.

The invariant: nothing is posted or sent unless a person approved that exact wording.
``monitor.approval.approved_wording`` is the one check, and every route passes it right before
its text leaves.

A reply goes out once. Each draft has at most one ``reply_post`` row (a unique key). A post is
claimed (committed) before it is sent; a process that dies after the platform accepted, before it
recorded so, leaves the claim, which lapses. On a platform whose reply endpoint adds a reply
(Trustpilot) the shop's reply at the platform is read before every attempt, and a reply already
there is never posted over: ours is marked posted, someone else's stops the post. Kiyoh and
Google replace the one reply of the shop, so a repeat changes nothing. A mail may, like every
mail, arrive twice after such a crash; it keeps its Message-ID, so a mail program shows it once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, exists, func, or_, select, update
from sqlmodel import Session, col

from monitor import audit
from monitor.acknowledge import refusal, reply_subject, threading_headers
from monitor.approval import approved_wording, same_text
from monitor.config import Settings
from monitor.db import session_scope
from monitor.errors import InvalidTransition, NotApproved
from monitor.logs import make_redactor
from monitor.mailer import DeliveryError, SmtpTransport, build_message
from monitor.models import Draft, Outbox, Review, Source, utcnow
from monitor.models_web import ReplyPost
from monitor.outbox import backoff
from scrapers.errors import SourceError
from scrapers.http import HttpClient
from scrapers.reply_registry import POSTERS
from scrapers.replying import ReplyPoster, may_retry

logger = logging.getLogger(__name__)

CLAIM = timedelta(minutes=10)  # longer than one post may take, retries of the client included
FAILING_AFTER = 3  # attempts; from then on the run log warns about the post (still retried)
BY_SYSTEM = "reviewwacht"
PosterFactory = Callable[[str, Any, str], ReplyPoster]  # (type, source settings, label)


@dataclass
class PostRound:
    """What one round did: posted, failed (kept, retried later), handed over to paste by hand,
    refused by the approval check, and waiting for the mail server to be configured."""

    posted: int = 0
    failed: int = 0
    ready: int = 0
    refused: int = 0
    waiting: int = 0


# ---------------------------------------------------------------- routes


def route_for(settings: Settings, review: Review, source_label: str) -> tuple[str, str, str]:
    """(route, platform, why): "mail" for a customer's mail, "api" where the platform has a reply
    API that these settings can use, else "manual" with the reason in Dutch."""
    config = settings.source(source_label)
    platform = config.type if config else ""
    if review.channel == "mail":
        problem = refusal(review.contact, settings)
        if problem is None:
            return "mail", platform, ""
        return "manual", platform, f"dit mailadres kan geen antwoord krijgen ({problem})"
    poster = POSTERS.get(platform) if config else None
    if poster is None:
        return "manual", platform, "dit platform heeft geen API om op reviews te reageren"
    why_not = poster.ready(config.settings)
    return ("api", platform, "") if why_not is None else ("manual", platform, why_not)


def queue_approved(
    *,
    session: Session,
    settings: Settings,
    now: datetime,
    draft_ids: Sequence[int] | None = None,
) -> tuple[int, int]:
    """Give every approved draft its post: queued for the API or mail, or ready to paste. A draft
    that fails the approval check gets a cancelled post that says why (once, not every round); a
    post cancelled before the latest approval (a reopened draft) is renewed. Returns how many
    posts were queued or made ready, and how many were refused."""
    settled = exists().where(
        ReplyPost.draft_id == Draft.id,
        or_(ReplyPost.status != "cancelled", ReplyPost.not_before >= Draft.decided_at),
    )
    query = (
        select(Draft, Review, Source.label)
        .join(Review, Review.id == Draft.review_id)
        .join(Source, Source.id == Review.source_id)
        .where(Draft.status == "approved", ~settled)
        .order_by(Draft.id)
    )
    if draft_ids is not None:
        query = query.where(col(Draft.id).in_(list(draft_ids)))
    queued = refused = 0
    for draft, review, label in session.exec(query).all():
        route, platform, why = route_for(settings, review, label)
        row = post_of(session=session, draft_id=draft.id)  # type: ignore[arg-type]
        row = row or ReplyPost(draft_id=draft.id, review_id=review.id, route=route, text="")  # type: ignore[arg-type]
        row.route, row.platform, row.attempts, row.not_before = route, platform, 0, now
        session.add(row)
        try:
            row.text = approved_wording(draft=draft, review=review)
        except NotApproved as exc:
            _stop(session, row, str(exc))
            refused += 1
            continue
        row.status, row.last_error = ("ready" if route == "manual" else "queued"), None
        if route == "manual":
            _log(session, draft.id, review.id, "ready", why)  # type: ignore[arg-type]
        queued += 1
    session.flush()
    return queued, refused


# ---------------------------------------------------------------- sending


def default_poster(
    platform: str, source_settings: Any, label: str, settings: Settings
) -> ReplyPoster:
    poster_class = POSTERS.get(platform)
    if poster_class is None:
        raise InvalidTransition(f"Geen API om te reageren voor {platform!r}.")
    http = HttpClient(
        settings.http.client_settings(), allowed_hosts=poster_class.hosts(source_settings)
    )
    return poster_class(source_settings, http=http, label=label)


def _claim(session: Session, post_id: int, now: datetime) -> bool:
    """Take a due post for this process (committed): a queued one, or one whose earlier claim
    lapsed (that process may have died after posting it: ``_send`` reads the platform first)."""
    result = session.exec(
        update(ReplyPost)
        .where(
            ReplyPost.id == post_id,
            col(ReplyPost.status).in_(("queued", "sending")),
            col(ReplyPost.not_before) <= now,
        )
        .values(status="sending", not_before=now + CLAIM)
    )
    session.commit()
    return bool(result.rowcount)


def _mail(post: ReplyPost, review: Review, settings: Settings, transport: Any) -> None:
    if not settings.mail.configured:
        raise DeliveryError("De mailserver is nog niet ingesteld ([mail] host en from_address).")
    headers = {
        name: value
        for name, value in threading_headers(review, settings).items()
        if name in ("In-Reply-To", "References", "Reply-To")
    }
    row = Outbox(
        id=post.id, key=f"reply:{post.draft_id}", kind="reply", recipients=[review.contact or ""],
        subject=reply_subject(review.title, settings.drafts.address), text_body=post.text,
        headers=headers, created_at=post.created_at,
    )  # fmt: skip
    transport.send_mail(build_message(row, [], settings))


def _send(
    post: ReplyPost,
    review: Review,
    label: str,
    settings: Settings,
    make_poster: PosterFactory,
    transport: Any,
) -> str:
    """Post or mail ``post.text``; returns how it went out. Raises SourceError, DeliveryError;
    AlreadyAnswered when the platform shows another reply of the shop. On a platform where a
    post adds a reply, the platform is read first, every time: after a crash between its "201"
    and our commit, our reply is there and is not posted again."""
    if post.route == "mail":
        _mail(post, review, settings, transport)
        return "per mail"
    config = settings.source(label)
    if config is None or config.type != post.platform:
        raise DeliveryError(f"De bron {label!r} staat niet (meer) zo in de configuratie.")
    poster = make_poster(post.platform, config.settings, label)
    try:
        if not poster.replaces:
            existing = poster.existing_reply(review.external_id)
            if existing is not None and same_text(existing, post.text):
                return f"via {post.platform} (stond er al)"
            if existing is not None:
                raise AlreadyAnswered(
                    f"Op {post.platform} staat al een ander antwoord van de winkel; "
                    "reviewwacht plaatst geen tweede."
                )
        poster.post_reply(review.external_id, post.text)
    finally:
        poster.http.close()
    return f"via {post.platform}"


class AlreadyAnswered(Exception):
    """The platform shows another reply of the shop: this post stops, it is not retried."""


def _load(session: Session, post_id: int) -> tuple[ReplyPost, Draft, Review, str]:
    row = session.exec(
        select(ReplyPost, Draft, Review, Source.label)
        .join(Draft, Draft.id == ReplyPost.draft_id)
        .join(Review, Review.id == ReplyPost.review_id)
        .join(Source, Source.id == Review.source_id)
        .where(ReplyPost.id == post_id)
        .execution_options(populate_existing=True)
    ).one()
    return row[0], row[1], row[2], row[3]


def _posted(
    session: Session, post: ReplyPost, draft: Draft, *, by: str, how: str, now: datetime
) -> None:
    post.status, post.posted_at, post.posted_by, post.last_error = "posted", now, by, None
    draft.status, draft.posted_at = "posted", now
    action = "posted" if by == BY_SYSTEM else "confirmed"
    _log(session, post.draft_id, post.review_id, action, how, by=by)


def _log(
    session: Session,
    draft_id: int,
    review_id: int,
    action: str,
    detail: str = "",
    *,
    by: str = BY_SYSTEM,
) -> None:
    audit.record(
        session=session, actor=by, action=action, draft_id=draft_id, review_id=review_id,
        detail=detail,
    )  # fmt: skip


def _failed(session: Session, post: ReplyPost, reason: str, now: datetime, *, again: bool) -> None:
    """Keep a post that did not go: ``again`` (a time-out, a server error) after a backoff; else
    (refused credentials, a refused text, a review that is gone) it waits for a person, who can
    try again after fixing the cause or paste it by hand."""
    post.attempts, post.last_error = post.attempts + 1, reason
    post.status = "queued" if again else "failed"
    post.not_before = now + backoff(post.attempts)
    _log(session, post.draft_id, post.review_id, "post_failed", reason)
    logger.warning("Reply for draft %s not posted: %s", post.draft_id, reason)


def _stop(session: Session, post: ReplyPost, reason: str) -> None:
    post.status, post.last_error = "cancelled", reason
    _log(session, post.draft_id, post.review_id, "cancelled", reason)


def post_replies(
    *,
    engine: Engine,
    settings: Settings,
    now: datetime | None = None,
    draft_ids: Sequence[int] | None = None,
    make_poster: PosterFactory | None = None,
    transport: Any = None,
) -> PostRound:
    """Queue approved drafts, then send every due post (only those of ``draft_ids`` when given),
    each in its own commit. A failure is kept on the post (``attempts``, ``last_error`` in Dutch)
    and tried again after a backoff; nothing is ever dropped in silence."""
    now = now or utcnow()
    redact = make_redactor(settings.secrets())
    make_poster = make_poster or (
        lambda kind, conf, label: default_poster(kind, conf, label, settings)
    )
    transport = transport or SmtpTransport(settings)
    done = PostRound()
    with session_scope(engine) as session:
        done.refused = queue_approved(
            session=session, settings=settings, now=now, draft_ids=draft_ids
        )[1]
        session.commit()
        query = select(ReplyPost.id).where(
            col(ReplyPost.status).in_(("queued", "sending")), col(ReplyPost.not_before) <= now
        )
        if draft_ids is not None:
            query = query.where(col(ReplyPost.draft_id).in_(list(draft_ids)))
        ready = select(func.count()).select_from(ReplyPost).where(ReplyPost.status == "ready")
        done.ready = session.exec(ready).one()[0]
        for post_id in session.exec(query.order_by(ReplyPost.id)).scalars().all():
            if not _claim(session, post_id, now):
                continue  # taken by another process meanwhile
            post, draft, review, label = _load(session, post_id)
            try:
                approved_wording(draft=draft, review=review, post=post)
                how = _send(post, review, label, settings, make_poster, transport)
            except NotApproved as exc:
                _stop(session, post, str(exc))
                done.refused += 1
            except AlreadyAnswered as exc:
                _stop(session, post, str(exc))
                done.failed += 1
            except SourceError as exc:
                _failed(session, post, redact(exc.explain()), now, again=may_retry(exc))
                done.failed += 1
            except DeliveryError as exc:
                _failed(session, post, redact(str(exc)), now, again=True)
                done.failed += 1
            except Exception as exc:  # a bug must not stop the other posts, nor lose this one
                logger.exception("Reply post %s could not be sent", post_id)
                reason = f"Interne fout bij het plaatsen ({type(exc).__name__})."
                _failed(session, post, reason, now, again=True)
                done.failed += 1
            else:
                _posted(session, post, draft, by=BY_SYSTEM, how=how, now=now)
                done.posted += 1
            session.commit()
    return done


# ---------------------------------------------------------------- by hand


def post_of(*, session: Session, draft_id: int) -> ReplyPost | None:
    return session.exec(select(ReplyPost).where(ReplyPost.draft_id == draft_id)).scalars().first()


def confirm_posted(*, session: Session, draft_id: int, by: str) -> ReplyPost:
    """A person pasted a ready reply at the platform and says so; the approval must still hold."""
    draft = session.get(Draft, draft_id)
    post = post_of(session=session, draft_id=draft_id)
    if draft is not None:
        review = session.get(Review, draft.review_id)
        assert review is not None
        approved_wording(draft=draft, review=review, post=post)
    if draft is None or post is None or post.route != "manual" or post.status != "ready":
        raise InvalidTransition(f"Concept {draft_id} staat niet klaar om met de hand te plaatsen.")
    _posted(session, post, draft, by=by, how="met de hand geplakt", now=utcnow())
    return post


def retry_now(*, session: Session, draft_id: int) -> ReplyPost:
    """A failed post is tried again at the next round, without waiting for its backoff."""
    post = post_of(session=session, draft_id=draft_id)
    if post is None or post.status not in ("queued", "failed") or not post.attempts:
        raise InvalidTransition(f"Concept {draft_id} heeft geen mislukte plaatsing om te herhalen.")
    post.status, post.not_before = "queued", utcnow()
    return post


def paste_instead(*, session: Session, draft_id: int, by: str) -> ReplyPost:
    """A post that failed is handed over to paste by hand instead."""
    post = post_of(session=session, draft_id=draft_id)
    if post is None or post.status not in ("queued", "failed") or not post.attempts:
        raise InvalidTransition(f"Concept {draft_id} heeft geen mislukte plaatsing.")
    post.route, post.status = "manual", "ready"
    _log(
        session, draft_id, post.review_id, "ready", "met de hand, na een mislukte plaatsing", by=by
    )
    return post


def failing_posts(*, session: Session) -> list[ReplyPost]:
    """Posts that failed: waiting for a retry, or for a person (``status = "failed"``)."""
    query = select(ReplyPost).where(
        or_(
            (ReplyPost.status == "queued") & (ReplyPost.attempts > 0),
            ReplyPost.status == "failed",
        )
    )
    return list(session.exec(query.order_by(ReplyPost.id)).scalars())
