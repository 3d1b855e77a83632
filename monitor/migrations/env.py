"""Alembic environment: runs migrations on the engine that ``monitor.db`` hands over."""

from typing import Any

import sqlmodel
from alembic import context
from sqlmodel import SQLModel

from monitor import models

target_metadata = SQLModel.metadata


def render_item(kind: str, item: Any, autogen_context: Any) -> str | bool:
    """Render the models' own column types as plain SQLAlchemy types, so a migration never
    imports the application (old migrations must keep working when the models change)."""
    if kind == "type" and isinstance(item, models.UTCDateTime):
        return "sa.DateTime()"
    if kind == "type" and isinstance(item, sqlmodel.sql.sqltypes.AutoString):
        return f"sa.String(length={item.length})" if item.length else "sa.String()"
    return False


def run_migrations() -> None:
    engine = context.config.attributes["engine"]
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # SQLite changes a table by copying it into a new one and dropping the old; with
            # foreign keys enforced, dropping a table other rows point to fails. Off for the
            # migration (outside any transaction, where the pragma works), checked after.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=sqlite,
            compare_type=True,
            render_item=render_item,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()
        if sqlite:
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            if broken:
                raise RuntimeError(f"foreign keys broken by the migration: {broken[:5]}")


run_migrations()
