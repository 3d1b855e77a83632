"""Opening the database: the engine (SQLite in WAL mode, or PostgreSQL) and schema migrations."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError
from sqlmodel import Session

from monitor import models_web  # noqa: F401 - registers the tables of people and posts
from monitor.errors import DatabaseError

logger = logging.getLogger(__name__)


IN_CHUNK = 900  # ids per IN (...): under every driver's parameter limit (SQLite, psycopg)


def in_chunks(ids: Sequence[Any], size: int = IN_CHUNK) -> Iterator[Sequence[Any]]:
    """An id list in slices small enough for one ``IN (...)``."""
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


SECRET_QUERY_KEYS = ("password", "sslpassword", "passfile", "token", "secret")


def url_secrets(url: str) -> list[str]:
    """The secrets in a database URL: the password, and query values like ``?password=``."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        return []
    found = [parsed.password] if parsed.password else []
    for key, value in parsed.query.items():
        if any(word in key.lower() for word in SECRET_QUERY_KEYS):
            found.extend([value] if isinstance(value, str) else list(value))
    return [str(value) for value in found if value]


def safe_url(url: str) -> str:
    """The URL as it may be shown: the password, and secrets in the query, replaced by ***."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        return "<onleesbaar database-adres>"
    query = {
        key: "***" if any(word in key.lower() for word in SECRET_QUERY_KEYS) else value
        for key, value in parsed.query.items()
    }
    shown = parsed.set(query=query).render_as_string(hide_password=True)
    return shown.replace("%2A%2A%2A", "***")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for ``url``; for SQLite the folder is created and WAL mode switched on."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseError(f"Het database-adres {safe_url(url)} is niet geldig.") from None
    if parsed.drivername.startswith("sqlite"):
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if parsed.drivername == "postgresql":
        url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    return create_engine(url, pool_pre_ping=True)


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(resources.files("monitor") / "migrations"))
    config.attributes["engine"] = engine
    return config


def head_revision() -> str | None:
    script = ScriptDirectory.from_config(alembic_config(create_engine("sqlite://")))
    return script.get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def _sqlite_file(engine: Engine) -> Path | None:
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        return None
    path = Path(database)
    return path if path.is_file() and path.stat().st_size > 0 else None


def _copy_sqlite(source: Path, target: Path) -> None:
    """A consistent copy of an SQLite database (the backup API: WAL contents included)."""
    with closing(sqlite3.connect(source)) as origin, closing(sqlite3.connect(target)) as copy:
        origin.backup(copy)


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest migration (creates it in an empty database). An SQLite
    file is copied first and put back when the upgrade fails halfway (SQLite cannot roll back
    every schema change), so a failed upgrade leaves the shop's database as it was."""
    try:
        if current_revision(engine) == head_revision():
            return
        logger.info("Upgrading database schema at %s", safe_url(str(engine.url)))
        existing = _sqlite_file(engine)
        if existing is None:
            command.upgrade(alembic_config(engine), "head")
            refresh_statistics(engine)
            return
        backup = existing.with_name(existing.name + ".voor-upgrade")
        engine.dispose()
        _copy_sqlite(existing, backup)
        try:
            command.upgrade(alembic_config(engine), "head")
        except Exception:
            engine.dispose()
            _copy_sqlite(backup, existing)
            logger.exception("Upgrade failed; the database was put back as it was")
            raise DatabaseError(
                f"De database {existing} kon niet worden bijgewerkt naar de nieuwe versie; hij "
                f"is teruggezet zoals hij was (een kopie staat in {backup}). Meld dit bij de "
                "beheerder."
            ) from None
        backup.unlink(missing_ok=True)
        refresh_statistics(engine)
    except OperationalError as exc:
        raise DatabaseError(
            f"De database {safe_url(str(engine.url))} is niet bereikbaar of niet te openen "
            f"({exc.orig.__class__.__name__})."
        ) from None
    except SQLAlchemyError as exc:
        raise DatabaseError(
            f"De database kon niet worden bijgewerkt: {exc.__class__.__name__}."
        ) from None


STATISTICS_DRIFT = 0.25  # re-analyse once the number of reviews changed by a quarter ...
STATISTICS_MIN_CHANGE = 1000  # ... and by this many (for a small table plans hardly matter)


def refresh_statistics(engine: Engine) -> bool:
    """Give SQLite's query planner table statistics (``ANALYZE``) when it has none or the review
    table grew or shrank by a quarter since. Without them it may walk a million-row index where
    a 30-day range would do. PostgreSQL's autovacuum keeps its own. Returns whether it ran."""
    if engine.dialect.name != "sqlite":
        return False
    try:
        with engine.connect() as connection:
            has_stats = connection.exec_driver_sql(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'"
            ).first()
            analysed = None
            if has_stats:
                stats = connection.exec_driver_sql(
                    "SELECT stat FROM sqlite_stat1 WHERE tbl = 'review'"
                ).scalars()
                analysed = max((int(stat.split()[0]) for stat in stats if stat), default=0)
            count = connection.exec_driver_sql("SELECT count(*) FROM review").scalar_one()
            allowed = max(STATISTICS_DRIFT * (analysed or 0), STATISTICS_MIN_CHANGE)
            if analysed is not None and abs(count - analysed) < allowed:
                return False
            connection.exec_driver_sql("ANALYZE")
            connection.commit()
    except SQLAlchemyError as exc:  # an optimisation: never a reason to stop a run
        logger.warning("Could not refresh SQLite statistics: %s", exc.__class__.__name__)
        return False
    logger.info("Refreshed SQLite query statistics (%d reviews)", count)
    return True


def open_store(url: str) -> Engine:
    """An engine with an up-to-date schema: what every command that uses the database calls."""
    engine = make_engine(url)
    upgrade(engine)
    return engine


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session whose objects stay readable after commit; rolled back on error."""
    session = Session(engine, expire_on_commit=False)
    try:
        yield session
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
