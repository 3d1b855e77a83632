"""The tables of people and their actions: users, web sessions, failed logins, the audit trail
and replies on their way out to a platform, a mailbox or a person who pastes them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from monitor.models import _when, utcnow


class User(SQLModel, table=True):
    """Someone who may log in to the web app: an owner (everything) or marketing (compliments
    and questions only). The password is kept only as an argon2 hash."""

    __tablename__ = "app_user"  # "user" is a reserved word in PostgreSQL

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=100, unique=True)
    password_hash: str = Field(max_length=200)
    role: str = Field(max_length=10)
    active: bool = True
    created_at: datetime = _when(nullable=False, default=utcnow)
    last_login_at: datetime | None = _when()


class WebSession(SQLModel, table=True):
    """A logged-in browser: the cookie holds a random token, the table only its SHA-256, so a
    copy of the database does not log anyone in. Each session has its own CSRF token."""

    __tablename__ = "web_session"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    csrf_token: str = Field(max_length=64)
    created_at: datetime = _when(nullable=False, default=utcnow)
    expires_at: datetime = _when(nullable=False)
    last_seen_at: datetime = _when(nullable=False, default=utcnow)


class LoginFailure(SQLModel, table=True):
    """A failed login, by name and address: too many in a short time and logging in waits."""

    __tablename__ = "login_failure"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=100, index=True)
    address: str = Field(max_length=64, index=True)
    at: datetime = _when(nullable=False, index=True, default=utcnow)


class AuditEvent(SQLModel, table=True):
    """Who did what to a reply, and when: drafted, edited, approved, rejected, answered
    elsewhere, posted, a failed post, a confirmation that it was pasted. Never changed."""

    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = _when(nullable=False, index=True, default=utcnow)
    actor: str = Field(max_length=100)
    action: str = Field(max_length=30)
    draft_id: int | None = Field(default=None, foreign_key="draft.id", index=True)
    review_id: int | None = Field(default=None, foreign_key="review.id")
    detail: str = Field(default="", sa_type=Text)


class ReplyPost(SQLModel, table=True):
    """An approved reply on its way out, one per draft (the unique key is what makes a reply go
    out once): by a platform's API, by mail, or by hand (``route = "manual"``: ready to paste,
    until a person confirms it is posted). ``text`` is the approved wording, copied at approval;
    it is posted only while it still equals the draft's ``approved_text``."""

    __tablename__ = "reply_post"
    __table_args__ = (UniqueConstraint("draft_id"),)

    id: int | None = Field(default=None, primary_key=True)
    draft_id: int = Field(foreign_key="draft.id")
    review_id: int = Field(foreign_key="review.id", index=True)
    route: str = Field(max_length=10)  # api, mail, manual
    platform: str = Field(default="", max_length=30)  # the source type, for the API route
    text: str = Field(sa_type=Text)
    # queued -> sending -> posted; failed attempts go back to queued with a later not_before;
    # manual posts wait as "ready" until confirmed; "cancelled" when the approval no longer holds.
    status: str = Field(default="queued", max_length=10, index=True)
    attempts: int = 0
    last_error: str | None = Field(default=None, sa_type=Text)
    not_before: datetime = _when(nullable=False, default=utcnow)
    created_at: datetime = _when(nullable=False, default=utcnow)
    posted_at: datetime | None = _when()
    posted_by: str | None = Field(default=None, max_length=100)
