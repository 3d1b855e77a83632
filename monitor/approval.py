"""The one check a reply passes before it leaves: approved by a person in exactly this wording,
for the version of the review it answers."""

from __future__ import annotations

from monitor.errors import NotApproved
from monitor.models import Draft, Review
from monitor.models_web import ReplyPost


def same_text(a: str, b: str) -> bool:
    """Equal but for white space."""
    return " ".join(a.split()) == " ".join(b.split())


def answers_current(draft: Draft, review: Review) -> bool:
    """The draft answers the review as it stands: the same version, not answered at the source
    meanwhile, not gone from it."""
    return (
        review.content_hash == draft.content_hash
        and not review.reply_text
        and not review.removed_at
    )


def approved_wording(*, draft: Draft, review: Review, post: ReplyPost | None = None) -> str:
    """The text that may leave for this draft, or ``NotApproved`` saying why nothing may: the
    draft must be approved by a person, not edited since, not superseded by a changed review or a
    reply at the source, and the post must carry exactly the approved wording."""
    where = f"Antwoord op review {review.id} (concept {draft.id})"
    if draft.status != "approved" or not draft.approved_text or not draft.decided_by:
        raise NotApproved(f"{where} is niet goedgekeurd en wordt niet verstuurd.")
    if draft.edited_text is not None and not same_text(draft.edited_text, draft.approved_text):
        raise NotApproved(f"{where} is na de goedkeuring aangepast; keur het opnieuw goed.")
    if not answers_current(draft, review):
        raise NotApproved(
            f"{where}: de review veranderde, kreeg al antwoord bij de bron of is weg; het "
            "goedgekeurde antwoord past er niet meer bij en wordt niet verstuurd."
        )
    if post is not None and post.text != draft.approved_text:
        raise NotApproved(f"{where}: de tekst wijkt af van wat is goedgekeurd; niet verstuurd.")
    return draft.approved_text
