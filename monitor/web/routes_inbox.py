"""The inbox and one draft: read the review beside its draft, edit (the tone check explains what
it blocks), approve, reject with a reason, mark answered elsewhere, and follow the posting."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import RedirectResponse, Response
from starlette.background import BackgroundTask

from monitor import decisions, posting
from monitor.audit import ACTION_WORDS
from monitor.errors import InvalidTransition, ToneBlocked
from monitor.inbox import PAGE, ROLE_KINDS, VIEWS, Filters, draft_page, filter_choices, inbox
from monitor.models import utcnow
from monitor.replies import STATUS_WORDS, get_draft
from monitor.web.app import Ctx, Forbidden, context
from monitor.web.words import KIND_WORDS, MESSAGES, POST_WORDS

router = APIRouter()
CONTEXT = Depends(context)


def _int(value: str | None, low: int, high: int) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if low <= number <= high else None


@router.get("/inbox")
def inbox_page(ctx: Ctx = CONTEXT) -> Response:
    query = ctx.request.query_params
    kinds = ROLE_KINDS[ctx.user.role]
    filters = Filters(
        view=query.get("view") if query.get("view") in VIEWS else "todo",  # type: ignore[arg-type]
        source=query.get("source", "")[:100],
        kind=query.get("kind", "") if query.get("kind") in kinds else "",
        aspect=query.get("aspect", "")[:60],
        stars=_int(query.get("stars"), 1, 5),
    )
    page = _int(query.get("page"), 1, 100_000) or 1
    rows, total = inbox(
        session=ctx.db, role=ctx.user.role, filters=filters,
        promise_hours=ctx.settings.report.promise_hours, offset=(page - 1) * PAGE,
    )  # fmt: skip
    return ctx.page(
        "inbox.html", rows=rows, total=total, filters=filters, page=page, pages=-(-total // PAGE),
        choices=filter_choices(session=ctx.db), kinds=kinds, kind_words=KIND_WORDS,
        post_words=POST_WORDS, views=VIEWS, now=utcnow(),
    )  # fmt: skip


def _draft_view(ctx: Ctx, draft_id: int, status: int = 200, **values: Any) -> Response:
    page = draft_page(session=ctx.db, draft_id=draft_id, role=ctx.user.role)
    if page.draft.kind not in ROLE_KINDS[ctx.user.role]:
        raise Forbidden()
    message = MESSAGES.get(ctx.request.query_params.get("msg", ""))
    values.setdefault("text", decisions.wording_of(page.draft))
    return ctx.page(
        "draft.html", status, p=page, message=message, kind_words=KIND_WORDS,
        status_words=STATUS_WORDS, post_words=POST_WORDS, action_words=ACTION_WORDS, **values,
    )  # fmt: skip


@router.get("/drafts/{draft_id}")
def draft(draft_id: int, ctx: Ctx = CONTEXT) -> Response:
    return _draft_view(ctx, draft_id)


def _allowed(ctx: Ctx, draft_id: int) -> None:
    if get_draft(session=ctx.db, draft_id=draft_id).kind not in ROLE_KINDS[ctx.user.role]:
        raise Forbidden()


def _done(draft_id: int, message: str, task: BackgroundTask | None = None) -> Response:
    return RedirectResponse(f"/drafts/{draft_id}?msg={message}", status_code=303, background=task)


def _refused(ctx: Ctx, draft_id: int, exc: Exception, text: str | None = None) -> Response:
    """Nothing changed: the page again, with why, and the person's own text kept."""
    ctx.db.rollback()
    values: dict[str, Any] = {"error": str(exc).split("\n", 1)[0]}
    if isinstance(exc, ToneBlocked):
        values["reasons"] = exc.reasons
    if text is not None:
        values["text"] = text
    return _draft_view(ctx, draft_id, 422 if isinstance(exc, ToneBlocked) else 409, **values)


def _shop_words(ctx: Ctx) -> tuple[str, ...]:
    return tuple(ctx.settings.reply_policy().own_words)


def _posting(ctx: Ctx, draft_id: int) -> BackgroundTask:
    """Post right after the answer is sent; what fails is kept and retried by the daemon."""
    return BackgroundTask(
        posting.post_replies, engine=ctx.request.app.state.engine, settings=ctx.settings,
        draft_ids=[draft_id],
    )  # fmt: skip


async def _act(
    ctx: Ctx, draft_id: int, message: str, do: Callable[[dict[str, str]], object], *,
    post: bool = False,
) -> Response:  # fmt: skip
    """One action on a draft: the form's CSRF token, the role, the decision, the commit, and
    back to the draft's page; a refusal changes nothing and keeps the person's text."""
    form = await ctx.form()
    _allowed(ctx, draft_id)
    try:
        do(form)
    except (InvalidTransition, ToneBlocked) as exc:
        return _refused(ctx, draft_id, exc, form.get("text"))
    ctx.db.commit()
    return _done(draft_id, message, _posting(ctx, draft_id) if post else None)


@router.post("/drafts/{draft_id}/edit")
async def edit(draft_id: int, ctx: Ctx = CONTEXT) -> Response:
    return await _act(ctx, draft_id, "saved", lambda form: decisions.edit_draft(
        session=ctx.db, draft_id=draft_id, by=ctx.user.username, text=form.get("text", ""),
        shop_contacts=_shop_words(ctx),
    ))  # fmt: skip


@router.post("/drafts/{draft_id}/approve")
async def approve(draft_id: int, ctx: Ctx = CONTEXT) -> Response:
    return await _act(ctx, draft_id, "approved", lambda form: decisions.approve_draft(
        session=ctx.db, draft_id=draft_id, by=ctx.user.username, text=form.get("text"),
        shop_contacts=_shop_words(ctx),
    ), post=True)  # fmt: skip


@router.post("/drafts/{draft_id}/reject")
async def reject(draft_id: int, ctx: Ctx = CONTEXT) -> Response:
    return await _act(ctx, draft_id, "rejected", lambda form: decisions.reject_draft(
        session=ctx.db, draft_id=draft_id, by=ctx.user.username, reason=form.get("reason", ""),
    ))  # fmt: skip


@router.post("/drafts/{draft_id}/elsewhere")
async def elsewhere(draft_id: int, ctx: Ctx = CONTEXT) -> Response:
    return await _act(ctx, draft_id, "answered", lambda form: decisions.answered_elsewhere(
        session=ctx.db, draft_id=draft_id, by=ctx.user.username, note=form.get("note", ""),
    ))  # fmt: skip


@router.post("/drafts/{draft_id}/reopen")
async def reopen(draft_id: int, ctx: Ctx = CONTEXT) -> Response:
    return await _act(ctx, draft_id, "reopened", lambda form: decisions.reopen_draft(
        session=ctx.db, draft_id=draft_id, by=ctx.user.username,
    ))  # fmt: skip


@router.post("/drafts/{draft_id}/confirm")
async def confirm(draft_id: int, ctx: Ctx = CONTEXT) -> Response:
    return await _act(ctx, draft_id, "confirmed", lambda form: posting.confirm_posted(
        session=ctx.db, draft_id=draft_id, by=ctx.user.username,
    ))  # fmt: skip


@router.post("/drafts/{draft_id}/retry")
async def retry(draft_id: int, ctx: Ctx = CONTEXT) -> Response:
    return await _act(ctx, draft_id, "retrying", lambda form: posting.retry_now(
        session=ctx.db, draft_id=draft_id,
    ), post=True)  # fmt: skip


@router.post("/drafts/{draft_id}/paste")
async def paste(draft_id: int, ctx: Ctx = CONTEXT) -> Response:
    return await _act(ctx, draft_id, "ready", lambda form: posting.paste_instead(
        session=ctx.db, draft_id=draft_id, by=ctx.user.username,
    ))  # fmt: skip
