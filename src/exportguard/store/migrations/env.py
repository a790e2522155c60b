"""Alembic environment: runs on the connection exportguard hands it (see store.db.migrate)."""

from __future__ import annotations

from alembic import context

from exportguard.store.tables import Base

connection = context.config.attributes.get("connection")
if connection is None:  # `alembic` command line: build an engine from the configured URL
    from sqlalchemy import create_engine

    from exportguard.config import database_url

    connection = create_engine(context.config.get_main_option("sqlalchemy.url") or database_url())\
        .connect()

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
