"""Logging in and out: a CSRF token on the login form too, failed logins rate-limited per name
and per address, session cookies HttpOnly and SameSite (and Secure over https)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session

from monitor.models import utcnow
from monitor.users import authenticate
from monitor.web import sessions
from monitor.web.app import (
    LOGIN_COOKIE,
    SESSION_COOKIE,
    Ctx,
    context,
    database,
    error_page,
    secure,
)

router = APIRouter()


def _next(value: str | None) -> str:
    """Only a path on this site (never //host or a full address) is followed after login."""
    if value and value.startswith("/") and not value.startswith(("//", "/\\")):
        return value
    return "/inbox"


def _login_page(request: Request, status: int = 200, **values: object) -> HTMLResponse:
    token = request.cookies.get(LOGIN_COOKIE) or sessions.new_token()
    values.update(user=None, csrf=token, next=_next(request.query_params.get("next")))
    response = request.app.state.templates.TemplateResponse(
        request, "login.html", values, status_code=status
    )
    response.set_cookie(
        LOGIN_COOKIE, token, httponly=True, samesite="strict", secure=secure(request)
    )
    return response


@router.get("/login")
def login_form(request: Request) -> Response:
    return _login_page(request)


@router.post("/login")
async def login(request: Request, db: Session = Depends(database)) -> Response:  # noqa: B008
    form = await request.form()
    if not sessions.same_token(
        str(form.get("csrf") or ""), request.cookies.get(LOGIN_COOKIE) or ""
    ):
        return error_page(request, 403, "Het formulier is verlopen. Laad de inlogpagina opnieuw.")
    username = str(form.get("username") or "").strip()
    password = str(form.get("password") or "")
    address = request.client.host if request.client else "onbekend"
    web = request.app.state.settings.web
    now = utcnow()
    wait = sessions.wait_minutes(session=db, username=username, address=address, now=now, web=web)
    if wait:
        message = f"Te veel mislukte pogingen. Probeer het over {wait} minuten opnieuw."
        return _login_page(request, 429, error=message, username=username)
    user = authenticate(session=db, username=username, password=password) if username else None
    if user is None:
        sessions.failed(session=db, username=username, address=address, now=now, web=web)
        db.commit()
        return _login_page(
            request, 401, error="Onbekende naam of verkeerd wachtwoord.", username=username
        )
    token = sessions.start(session=db, user=user, now=now, web=web)
    db.commit()
    response = RedirectResponse(_next(str(form.get("next") or "")), status_code=303)
    response.set_cookie(
        SESSION_COOKIE, token, max_age=web.session_hours * 3600, httponly=True,
        samesite="lax", secure=secure(request), path="/",
    )  # fmt: skip
    response.delete_cookie(LOGIN_COOKIE)
    return response


@router.post("/logout")
async def logout(request: Request, ctx: Ctx = Depends(context)) -> Response:  # noqa: B008
    await ctx.form()
    sessions.end(session=ctx.db, token=request.cookies.get(SESSION_COOKIE))
    ctx.db.commit()
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/")
def home() -> Response:
    return RedirectResponse("/inbox", status_code=303)
