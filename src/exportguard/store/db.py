"""Opening the database: SQLite (WAL) by default, PostgreSQL for a shared deployment.

The schema is owned by Alembic; opening a store brings it to the latest revision. Alembic itself
is imported only when the database's stamp (its `alembic_version` row) is not the head revision
of the migration files: importing it costs more than half a second on every command.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from exportguard.errors import StoreError
from exportguard.store.revision import MIGRATIONS, stamped_head

if TYPE_CHECKING:
    from alembic.config import Config


def _alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


def _stamp(engine: Engine) -> str | None:
    """The revision the database says it is at; None when it has no stamp yet (or it cannot be
    read: the Alembic path then gives the real error)."""
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    except SQLAlchemyError:
        return None
    return rows[0][0] if len(rows) == 1 else None


def create_store_engine(url: str) -> Engine:
    try:
        if url.startswith("sqlite"):
            database = url.split("///", 1)[1] if "///" in url else ""
            if database and database != ":memory:":
                Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url, connect_args={"timeout": 30})
            event.listen(engine, "connect", _sqlite_pragmas)
        else:
            engine = create_engine(url, pool_pre_ping=True)
    except (ArgumentError, ImportError, ValueError) as exc:
        raise StoreError(f"EXPORTGUARD_DB: cannot use database URL '{url}': {exc}") from None
    return engine


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def migrate(engine: Engine) -> None:
    """Bring the schema to the latest revision (no-op when it is already there)."""
    head = stamped_head()
    if head is not None and _stamp(engine) == head:
        return
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.util import CommandError

    try:
        with engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
        if current == head_revision():
            return
        with engine.begin() as connection:
            config = _alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except CommandError as exc:
        raise StoreError(f"database {engine.url!r}: its schema revision is not one this version "
                         f"of exportguard knows (a newer version wrote it?): {exc}") from None
    except OperationalError as exc:
        raise StoreError(f"cannot open the database {engine.url!r}: {exc.orig}") from None
    except SQLAlchemyError as exc:
        raise StoreError(f"database {engine.url!r}: {exc}") from None


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
