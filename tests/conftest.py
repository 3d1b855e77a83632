"""Shared fixtures: a database URL for SQLite and for PostgreSQL, and settings built the way the
CLI builds them."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from monitor.config import Settings, load_settings
from monitor.db import open_store
from tests.drafts.fake_llm import FakeLlmServer

REPO = Path(__file__).resolve().parent.parent
DEFAULT_PG = "postgresql+psycopg://127.0.0.1:5432/test"


def _pg_base_url() -> str:
    url = os.environ.get("REVIEWWACHT_TEST_DATABASE_URL", DEFAULT_PG)
    parsed = make_url(url)
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def pg_server() -> str:
    """The PostgreSQL server to test against, or a skip that says how to point at one."""
    url = _pg_base_url()
    engine = create_engine(url, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError:
        pytest.skip(
            f"no PostgreSQL server at {make_url(url).render_as_string(hide_password=True)}; "
            "set REVIEWWACHT_TEST_DATABASE_URL=postgresql://user@host/db to run these tests"
        )
    finally:
        engine.dispose()
    return url


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    """A fresh, empty schema on the test server for one test, dropped afterwards."""
    schema = f"rw_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(pg_server)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(pg_server).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each store and pipeline test runs once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.sqlite'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """The store at ``database_url``, migrated; disposed after the test."""
    engine = open_store(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def make_settings(tmp_path: Path) -> Callable[..., Settings]:
    """Settings from the shipped defaults plus ``overrides``, with no user file and no
    environment, writing into tmp_path."""

    def build(database_url: str | None = None, **overrides: Any) -> Settings:
        merged: dict[str, Any] = {
            "shop": {"name": "Testwinkel", "contact_email": "service@testwinkel.example"},
            "database": {"url": database_url or f"sqlite:///{tmp_path / 'rw.sqlite'}"},
            # Charts cost a quarter second a report; the report tests switch them on.
            "report": {"out_dir": str(tmp_path / "out"), "charts": False},
            "http": {"min_delay_seconds": 0, "retries": 0},
        }
        for key, value in overrides.items():
            merged[key] = {**merged.get(key, {}), **value} if isinstance(value, dict) else value
        return load_settings(discover=False, env={}, overrides=merged)

    return build


@pytest.fixture
def llm_server() -> Iterator[FakeLlmServer]:
    """A fake OpenAI-compatible model server on 127.0.0.1 with scripted answers."""
    fake = FakeLlmServer()
    yield fake
    fake.close()
