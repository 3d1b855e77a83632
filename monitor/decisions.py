"""What a person decides about a draft: edit, approve, reject, answered elsewhere, reopen. Each
decision passes its checks first (the tone check on any wording that could leave) and is written
to the audit trail in the same transaction."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlmodel import Session

from drafts import check_tone
from monitor import audit
from monitor.approval import answers_current
from monitor.errors import InvalidTransition, ToneBlocked
from monitor.models import DiscountCode, Draft, Review, utcnow
from monitor.models_web import ReplyPost
from monitor.queries import get_review
from monitor.replies import STATUS_WORDS, get_draft

# A reply that is being posted right now, or was, can no longer be changed or taken back.
POST_LOCKED = ("sending", "posted")


def _pending(session: Session, draft_id: int, verb: str) -> Draft:
    draft = get_draft(session=session, draft_id=draft_id)
    if draft.status != "pending":
        raise InvalidTransition(
            f"Concept {draft_id} is al {STATUS_WORDS.get(draft.status, draft.status)}; "
            f"alleen een openstaand concept kan worden {verb}."
        )
    return draft


def _current_review(session: Session, draft: Draft) -> Review:
    review = get_review(session=session, review_id=draft.review_id)
    if not answers_current(draft, review):
        raise InvalidTransition(
            f"Concept {draft.id} antwoordt op een versie van de review die niet meer geldt (de "
            "klant paste de tekst aan, de winkel reageerde al bij de bron, of de review is weg)."
        )
    return review


def _vet(
    session: Session, review: Review, wording: str, shop_contacts: Sequence[str], refused: str
) -> None:
    """The tone check on wording that could leave; the shop's own words and the review's codes
    are not personal data. ``refused`` says what did not happen."""
    codes = session.exec(select(DiscountCode.code).where(DiscountCode.review_id == review.id))
    allowed = [*shop_contacts, *codes.scalars().all()]
    tone = check_tone(wording, public=review.channel == "review", allowed=allowed)
    if not tone.ok:
        raise ToneBlocked(
            f"{refused}: de tekst houdt zich niet aan de regels voor een goed antwoord.",
            [problem.reason for problem in tone.problems],
        )


def _log(session: Session, draft: Draft, by: str, action: str, detail: str = "") -> None:
    audit.record(
        session=session, actor=by, action=action, draft_id=draft.id, review_id=draft.review_id,
        detail=detail,
    )  # fmt: skip


def plain_lines(text: str) -> str:
    """A browser sends a textarea's line breaks as CRLF; the reply is stored and sent with LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def wording_of(draft: Draft) -> str:
    """The text a person would approve now: their edit, else the suggestion."""
    return draft.edited_text or draft.text


def edit_draft(
    *, session: Session, draft_id: int, by: str, text: str, shop_contacts: Sequence[str] = ()
) -> Draft:
    """Store a person's own wording for a pending draft, after the tone check (a blocked edit is
    not stored; ``ToneBlocked`` lists why). The draft stays pending: editing is not approving."""
    draft = _pending(session, draft_id, "aangepast")
    review = _current_review(session, draft)
    wording = plain_lines(text).strip()
    if not wording:
        raise InvalidTransition(f"Concept {draft_id}: een leeg antwoord kan niet.")
    _vet(session, review, wording, shop_contacts, f"Concept {draft_id} is niet aangepast")
    draft.edited_text = None if wording == draft.text.strip() else wording
    _log(session, draft, by, "edited", wording)
    return draft


def approve_draft(
    *,
    session: Session,
    draft_id: int,
    by: str,
    text: str | None = None,
    shop_contacts: Sequence[str] = (),
) -> Draft:
    """A person approves a pending draft, optionally in their own wording: ``approved_text`` is
    exactly what was approved, the only text that may ever be sent. The wording passes the tone
    check first, an edit as much as the drafted text; ``shop_contacts`` (the shop's own name,
    address and signatures: ``Policy.own_words``) and the review's discount codes are not
    personal data."""
    draft = _pending(session, draft_id, "goedgekeurd")
    try:
        review = _current_review(session, draft)
    except InvalidTransition as exc:
        raise InvalidTransition(f"{exc} Het is niet goedgekeurd.") from None
    own = plain_lines(text).strip() if text is not None else ""
    edited = bool(own) and own != wording_of(draft).strip()
    wording = own if edited else wording_of(draft)
    _vet(session, review, wording, shop_contacts, f"Concept {draft_id} is niet goedgekeurd")
    if edited:
        draft.edited_text = wording
        _log(session, draft, by, "edited", wording)
    draft.approved_text = wording
    draft.status = "approved"
    draft.decided_by = by
    draft.decided_at = utcnow()
    _log(session, draft, by, "approved", wording)
    return draft


def reject_draft(*, session: Session, draft_id: int, by: str, reason: str) -> Draft:
    """A person rejects a pending draft, with a reason; nothing will be sent for it."""
    draft = _pending(session, draft_id, "afgewezen")
    if not reason.strip():
        raise InvalidTransition("Geef een reden bij het afwijzen.")
    draft.status = "rejected"
    draft.reject_reason = reason.strip()
    draft.decided_by = by
    draft.decided_at = utcnow()
    _log(session, draft, by, "rejected", reason.strip())
    return draft


def answered_elsewhere(*, session: Session, draft_id: int, by: str, note: str = "") -> Draft:
    """The customer got an answer another way (by phone, in the platform's own dashboard): the
    draft is closed, the review counts as answered, and nothing is sent."""
    draft = _pending(session, draft_id, "als elders beantwoord gemarkeerd")
    draft.status = "answered"
    draft.reject_reason = note.strip() or None
    draft.decided_by = by
    draft.decided_at = utcnow()
    _log(session, draft, by, "answered", note.strip())
    return draft


def reopen_draft(*, session: Session, draft_id: int, by: str) -> Draft:
    """Take back an approval that has not been posted yet: the draft is pending again (with the
    approved wording as its edit) and its queued post is cancelled. A reply that is being posted
    or was posted cannot be taken back here."""
    draft = get_draft(session=session, draft_id=draft_id)
    if draft.status != "approved":
        raise InvalidTransition(
            f"Concept {draft_id} is {STATUS_WORDS.get(draft.status, draft.status)}; alleen een "
            "goedgekeurd antwoord dat nog niet geplaatst is, kan worden teruggezet."
        )
    post = session.exec(select(ReplyPost).where(ReplyPost.draft_id == draft_id)).scalars().first()
    if post is not None and post.status in POST_LOCKED:
        raise InvalidTransition(
            f"Concept {draft_id} wordt op dit moment geplaatst of is al geplaatst; het kan niet "
            "meer worden teruggezet."
        )
    if post is not None:
        post.status = "cancelled"
    if draft.approved_text and draft.approved_text != draft.text:
        draft.edited_text = draft.approved_text
    draft.approved_text = None
    draft.status = "pending"
    draft.decided_by = None
    draft.decided_at = None
    _log(session, draft, by, "reopened")
    return draft
