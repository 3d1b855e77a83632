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
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
            render_item=render_item,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations()
