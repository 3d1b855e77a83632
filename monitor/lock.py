"""The run lock: two runs of the pipeline on one database never overlap, also across processes
(a cron run next to the daemon, or two terminals)."""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.pool import NullPool

from monitor.config import Settings
from monitor.db import safe_url
from monitor.dutch import when
from monitor.errors import DatabaseError, RunLocked
from monitor.models import utcnow

logger = logging.getLogger(__name__)

# pg_try_advisory_lock takes one signed 64-bit key; this one is the same in every process.
ADVISORY_KEY = int.from_bytes(hashlib.sha256(b"reviewwacht").digest()[:8], "big", signed=True)
CONNECT_TIMEOUT_SECONDS = 10


@contextmanager
def run_lock(settings: Settings) -> Iterator[None]:
    """Hold the run lock of the configured database for the duration of the ``with`` block, or
    raise ``RunLocked`` at once when another run holds it (it never waits).

    SQLite: an exclusive ``flock`` on ``<database file>.lock``, which also records the holder's
    pid and start time. PostgreSQL: a session-level advisory lock on a connection of its own,
    held until the block ends. Either way the operating system or the server releases the lock
    when the holding process dies, so a crash never leaves it stuck."""
    url = make_url(settings.database_url)
    if url.drivername.startswith("sqlite"):
        if not url.database or url.database == ":memory:":
            yield  # a private in-memory database: no other process can reach it
            return
        with _file_lock(Path(url.database + ".lock"), settings):
            yield
    else:
        with _advisory_lock(settings):
            yield


@contextmanager
def _file_lock(path: Path, settings: Settings) -> Iterator[None]:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise DatabaseError(
            f"Het slotbestand {path} kan niet worden geopend ({exc.strerror or exc})."
        ) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RunLocked(_locked_message(settings, *_holder(path))) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n{utcnow().isoformat()}\n".encode())
        logger.debug("Run lock taken: %s", path)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)  # before unlocking: the next holder writes its own details
            fcntl.flock(fd, fcntl.LOCK_UN)
            logger.debug("Run lock released: %s", path)
    finally:
        os.close(fd)


def _holder(path: Path) -> tuple[datetime | None, int | None]:
    """The start time and pid the holder wrote into the lock file (None where unreadable)."""
    try:
        pid_text, started_text = path.read_text(encoding="utf-8").split()[:2]
        return datetime.fromisoformat(started_text), int(pid_text)
    except (OSError, ValueError):
        return None, None


@contextmanager
def _advisory_lock(settings: Settings) -> Iterator[None]:
    url = make_url(settings.database_url)
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    # A connection of its own, closed (and so unlocked) when the block ends; autocommit, so it
    # does not sit "idle in transaction" for the length of a run.
    engine = create_engine(
        url,
        poolclass=NullPool,
        isolation_level="AUTOCOMMIT",
        connect_args={
            "connect_timeout": CONNECT_TIMEOUT_SECONDS,
            "application_name": "reviewwacht",
        },
    )
    try:
        with _connect(engine, settings) as connection:
            taken = connection.execute(
                text("SELECT pg_try_advisory_lock(:key)"), {"key": ADVISORY_KEY}
            ).scalar()
            if not taken:
                raise RunLocked(_locked_message(settings, _holder_since(connection), None))
            logger.debug("Run lock taken: advisory lock %d", ADVISORY_KEY)
            try:
                yield
            finally:
                try:
                    connection.execute(
                        text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_KEY}
                    )
                except SQLAlchemyError:  # the session is gone, and its lock with it
                    logger.warning("Could not unlock the run lock; its connection was lost")
                logger.debug("Run lock released: advisory lock %d", ADVISORY_KEY)
    finally:
        engine.dispose()


@contextmanager
def _connect(engine: Engine, settings: Settings) -> Iterator[Connection]:
    """The lock's connection, closed afterwards; an unreachable server is a DatabaseError."""
    try:
        connection = engine.connect()
    except OperationalError as exc:
        raise DatabaseError(
            f"De database {safe_url(settings.database_url)} is niet bereikbaar of niet te "
            f"openen ({exc.orig.__class__.__name__})."
        ) from None
    with connection:
        yield connection


def _holder_since(connection: Connection) -> datetime | None:
    """When the session holding the advisory lock connected (it connects to take the lock);
    None where the server does not show it (another role's session, say)."""
    high, low = (ADVISORY_KEY >> 32) & 0xFFFFFFFF, ADVISORY_KEY & 0xFFFFFFFF
    started = connection.execute(
        text(
            "SELECT a.backend_start FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE l.locktype = 'advisory' AND l.granted AND l.database = "
            "(SELECT oid FROM pg_database WHERE datname = current_database()) "
            "AND l.classid = :high AND l.objid = :low AND l.objsubid = 1"
        ),
        {"high": high, "low": low},
    ).scalar()
    return started if isinstance(started, datetime) else None


def _locked_message(settings: Settings, since: datetime | None, pid: int | None) -> str:
    if since is None:
        return "Er loopt al een run voor deze database; probeer het zo opnieuw."
    holder = f"sinds {when(since, settings.shop.zone)}"
    if pid is not None:
        holder += f", proces {pid}"
    return f"Er loopt al een run voor deze database ({holder}); probeer het zo opnieuw."
