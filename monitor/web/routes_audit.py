"""The audit trail for the owner: the latest events on a page, all of them as CSV."""

from __future__ import annotations

import io

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from monitor.audit import ACTION_WORDS, EXPORT_COLUMNS, events, export_rows, write_csv
from monitor.models import utcnow
from monitor.posting import failing_posts
from monitor.web.app import Ctx, context

router = APIRouter()
SHOWN = 300


@router.get("/audit")
def audit_page(ctx: Ctx = Depends(context)) -> Response:  # noqa: B008
    ctx.require_owner()
    trail = events(session=ctx.db, limit=SHOWN)
    failing = failing_posts(session=ctx.db)
    return ctx.page("audit.html", trail=trail, words=ACTION_WORDS, shown=SHOWN, failing=failing)


@router.get("/audit.csv")
def audit_export(ctx: Ctx = Depends(context)) -> Response:  # noqa: B008
    ctx.require_owner()
    buffer = io.StringIO()
    write_csv(export_rows(events(session=ctx.db)), buffer, header=EXPORT_COLUMNS)
    name = f"reviewwacht-audit-{utcnow():%Y%m%d}.csv"
    return Response(
        "\ufeff" + buffer.getvalue(),  # a BOM, so spreadsheet programs read UTF-8
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
