"""The owner's signals: the patterns found in the reviews, with their evidence, and dismissing one
with a reason (kept, and not told again)."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import RedirectResponse, Response

from monitor.errors import ReviewwachtError
from monitor.models import utcnow
from monitor.queries_flags import dismiss_flag, list_flags
from monitor.web.app import Ctx, context

router = APIRouter()
CONTEXT = Depends(context)
SHOWN = 200


@router.get("/flags")
def flags_page(ctx: Ctx = CONTEXT) -> Response:
    ctx.require_owner()
    closed = ctx.request.query_params.get("all") == "1"
    flags = list_flags(session=ctx.db, include_closed=closed)[:SHOWN]
    message = ctx.request.query_params.get("msg")
    return ctx.page("flags.html", flags=flags, closed=closed, message=message)


@router.post("/flags/{flag_id}/dismiss")
async def dismiss(flag_id: int, ctx: Ctx = CONTEXT) -> Response:
    form = await ctx.form()
    ctx.require_owner()
    try:
        dismiss_flag(session=ctx.db, flag_id=flag_id, reason=form.get("reason", ""),
                     by=ctx.user.username, now=utcnow())  # fmt: skip
    except ReviewwachtError as exc:
        ctx.db.rollback()
        flags = list_flags(session=ctx.db)[:SHOWN]
        return ctx.page("flags.html", flags=flags, closed=False, error=str(exc), status=422)
    ctx.db.commit()
    return RedirectResponse("/flags?msg=dismissed", status_code=303)
