"""Logins that last: random session tokens (only their hash is stored), a CSRF token per
session, and failed logins counted per name and per address to slow down guessing."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, select
from sqlmodel import Session

from monitor.config_web import WebSettings
from monitor.models_web import LoginFailure, User, WebSession

SEEN_EVERY = timedelta(minutes=5)  # last_seen_at is written at most this often


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


def same_token(given: str | None, expected: str) -> bool:
    return bool(given) and hmac.compare_digest(str(given).encode(), expected.encode())


def start(*, session: Session, user: User, now: datetime, web: WebSettings) -> str:
    """A new session for ``user``; returns the token for the cookie (never stored as such)."""
    token = new_token()
    session.add(
        WebSession(
            token_hash=_digest(token),
            user_id=user.id,  # type: ignore[arg-type]
            csrf_token=new_token(),
            created_at=now,
            expires_at=now + timedelta(hours=web.session_hours),
            last_seen_at=now,
        )
    )
    # Expired sessions of anyone are cleared on each login, so the table stays small.
    session.exec(delete(WebSession).where(WebSession.expires_at < now))
    return token


def lookup(*, session: Session, token: str | None, now: datetime) -> tuple[User, WebSession] | None:
    """The active user and session for a cookie's token, or None (unknown, expired, disabled)."""
    if not token or len(token) > 100:
        return None
    row = session.exec(
        select(User, WebSession)
        .join(WebSession, WebSession.user_id == User.id)
        .where(WebSession.token_hash == _digest(token))
    ).first()
    if row is None:
        return None
    user, web_session = row
    if web_session.expires_at <= now or not user.active:
        return None
    if now - web_session.last_seen_at > SEEN_EVERY:
        web_session.last_seen_at = now
    return user, web_session


def end(*, session: Session, token: str | None) -> None:
    if token:
        session.exec(delete(WebSession).where(WebSession.token_hash == _digest(token)))


def end_all(*, session: Session, user_id: int) -> None:
    """Log a user out everywhere (a new password, a disabled account)."""
    session.exec(delete(WebSession).where(WebSession.user_id == user_id))


def failed(
    *, session: Session, username: str, address: str, now: datetime, web: WebSettings
) -> None:
    """Count a failed login; failures older than the window no longer count and are removed."""
    session.exec(
        delete(LoginFailure).where(
            LoginFailure.at < now - timedelta(minutes=web.login_window_minutes)
        )
    )
    session.add(LoginFailure(username=username.strip().lower()[:100], address=address[:64], at=now))


def wait_minutes(
    *, session: Session, username: str, address: str, now: datetime, web: WebSettings
) -> int:
    """0 when a login may be tried; else the minutes until the oldest counted failure of this
    name or this address leaves the window."""
    since = now - timedelta(minutes=web.login_window_minutes)
    recent = or_(
        LoginFailure.username == username.strip().lower()[:100],
        LoginFailure.address == address[:64],
    )
    count, oldest = session.exec(
        select(func.count(), func.min(LoginFailure.at)).where(recent, LoginFailure.at >= since)
    ).one()
    if count < web.login_attempts or oldest is None:
        return 0
    left = oldest + timedelta(minutes=web.login_window_minutes) - now
    return max(1, int(left.total_seconds() // 60) + 1)
