"""The FastAPI application: templates that always escape, security headers on every answer,
the database session and the logged-in user as dependencies, and errors shown as pages."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from fastapi import Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import Engine
from sqlmodel import Session

from monitor.config import Settings
from monitor.db import open_store
from monitor.dutch import number
from monitor.errors import NotFound
from monitor.models import utcnow
from monitor.models_web import User, WebSession
from monitor.web import sessions

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE.parent / "templates" / "web"
STATIC = HERE.parent / "static"
SESSION_COOKIE = "reviewwacht_session"
LOGIN_COOKIE = "reviewwacht_login"  # the CSRF token of the login form (no session yet)
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)


class LoginRequired(Exception):
    """No valid session: the answer is the login page (a redirect for a page, 401 otherwise)."""


class Forbidden(Exception):
    """The user's role may not see or do this."""


class CsrfFailed(Exception):
    """A form came without this session's CSRF token (another site, or an old page)."""


def safe_link(url: str | None) -> str | None:
    """A link from a review or a source, only when it is http or https (never javascript:)."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


def local_time(settings: Settings) -> Any:
    def render(moment: datetime | None, pattern: str = "%d-%m-%Y %H:%M") -> str:
        return moment.astimezone(settings.shop.zone).strftime(pattern) if moment else ""

    return render


def template_env(settings: Settings) -> Environment:
    """Autoescape is switched on explicitly (a plain Jinja2 Environment does not escape)."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(enabled_extensions=("html",), default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["local"] = local_time(settings)
    env.filters["number"] = number
    env.filters["safe_link"] = safe_link
    return env


class Ctx:
    """What a request handler needs: settings, a database session, the user and their session."""

    def __init__(self, request: Request, db: Session, user: User, web_session: WebSession) -> None:
        self.request = request
        self.db = db
        self.user = user
        self.web_session = web_session
        self.settings: Settings = request.app.state.settings

    def page(self, name: str, status: int = 200, **values: Any) -> HTMLResponse:
        templates: Jinja2Templates = self.request.app.state.templates
        values.update(user=self.user, csrf=self.web_session.csrf_token, shop=self.settings.shop)
        return templates.TemplateResponse(self.request, name, values, status_code=status)

    async def form(self) -> dict[str, str]:
        """The posted form, after its CSRF token is checked against this session's."""
        form = await self.request.form()
        if not sessions.same_token(str(form.get("csrf") or ""), self.web_session.csrf_token):
            raise CsrfFailed()
        return {key: str(value) for key, value in form.items()}

    def require_owner(self) -> None:
        if self.user.role != "owner":
            raise Forbidden()


def database(request: Request) -> Iterator[Session]:
    with Session(request.app.state.engine) as session:
        yield session


def context(request: Request, db: Session = Depends(database)) -> Ctx:  # noqa: B008
    found = sessions.lookup(session=db, token=request.cookies.get(SESSION_COOKIE), now=utcnow())
    if found is None:
        raise LoginRequired()
    db.commit()  # last_seen_at
    return Ctx(request, db, *found)


def secure(request: Request) -> bool:
    mode = request.app.state.settings.web.secure_cookies
    return mode == "always" or (mode == "auto" and request.url.scheme == "https")


def create_app(settings: Settings, engine: Engine | None = None) -> FastAPI:
    from monitor.web import routes_audit, routes_auth, routes_flags, routes_inbox

    app = FastAPI(title="reviewwacht", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.settings = settings
    app.state.engine = engine or open_store(settings.database_url)
    app.state.templates = Jinja2Templates(env=template_env(settings))
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(routes_auth.router)
    app.include_router(routes_inbox.router)
    app.include_router(routes_audit.router)
    app.include_router(routes_flags.router)

    @app.middleware("http")
    async def headers(request: Request, call_next: Any) -> Response:
        response: Response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if not request.url.path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired) -> Response:
        if request.method == "GET":
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/login?next={quote(target)}", status_code=303)
        return error_page(request, 401, "U bent niet (meer) ingelogd. Log opnieuw in.")

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden) -> Response:
        return error_page(request, 403, "Deze pagina of handeling is niet voor uw rol.")

    @app.exception_handler(CsrfFailed)
    async def csrf_failed(request: Request, exc: CsrfFailed) -> Response:
        message = "Het formulier is verlopen of komt niet van deze site. Laad de pagina opnieuw."
        return error_page(request, 403, message)

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Response:
        return error_page(request, 404, str(exc))

    return app


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(
        request, "error.html", {"message": message, "status": status, "user": None},
        status_code=status,
    )  # fmt: skip
