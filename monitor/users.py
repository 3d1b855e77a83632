"""The people who may use the web app: added from the command line, passwords kept only as an
argon2id hash (argon2-cffi), roles owner and marketing."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlmodel import Session

from monitor.errors import InvalidTransition, NotFound, ReviewwachtError
from monitor.models import utcnow
from monitor.models_web import User

ROLES = ("owner", "marketing")
ROLE_WORDS = {"owner": "eigenaar", "marketing": "marketing"}
MIN_PASSWORD = 10
_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
# Verified against when a name is unknown, so a wrong name takes as long as a wrong password.
_DUMMY = _hasher.hash("reviewwacht: no such user")


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise ReviewwachtError(f"Een wachtwoord heeft minstens {MIN_PASSWORD} tekens.")


def _name(username: str) -> str:
    name = username.strip().lower()
    if not name or len(name) > 100 or any(ch.isspace() for ch in name):
        raise ReviewwachtError("Een gebruikersnaam is 1 tot 100 tekens, zonder spaties.")
    return name


def get_user(*, session: Session, username: str) -> User | None:
    query = select(User).where(User.username == username.strip().lower())
    return session.exec(query).scalars().first()


def add_user(*, session: Session, username: str, password: str, role: str) -> User:
    if role not in ROLES:
        raise ReviewwachtError(f"Onbekende rol {role!r}; kies uit {', '.join(ROLES)}.")
    name = _name(username)
    check_password(password)
    if get_user(session=session, username=name) is not None:
        raise InvalidTransition(f"De gebruiker {name} bestaat al.")
    user = User(username=name, password_hash=_hasher.hash(password), role=role)
    session.add(user)
    session.flush()
    return user


def _existing(session: Session, username: str) -> User:
    user = get_user(session=session, username=username)
    if user is None:
        raise NotFound(f"De gebruiker {username.strip().lower()} bestaat niet.")
    return user


def set_password(*, session: Session, username: str, password: str) -> User:
    check_password(password)
    user = _existing(session, username)
    user.password_hash = _hasher.hash(password)
    return user


def set_active(*, session: Session, username: str, active: bool) -> User:
    user = _existing(session, username)
    user.active = active
    return user


def list_users(*, session: Session) -> list[User]:
    return list(session.exec(select(User).order_by(User.username)).scalars())


def authenticate(*, session: Session, username: str, password: str) -> User | None:
    """The active user with this name and password, or None. Always verifies one hash, so the
    answer takes as long for an unknown name; a hash with outdated parameters is renewed."""
    user = get_user(session=session, username=username)
    try:
        _hasher.verify(user.password_hash if user else _DUMMY, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    user.last_login_at = utcnow()
    return user
