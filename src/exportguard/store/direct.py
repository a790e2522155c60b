"""A SQLite store opened with the standard library's sqlite3: what a one-shot `screen` needs
(the snapshots, list counts and key spans of `store.reads`, the ownership graph's reads, one
audit append) without importing SQLAlchemy and its ORM, a fifth of a cold `screen`.

It is used only for a SQLite file whose schema is stamped with the head revision of the
migration files; anything else (PostgreSQL, a new or older database) opens the full `Store`,
which migrates. The few writes a screen can need besides its audit record (the starter set's
first load, the entries of an index not yet cached) go to the full `Store`, opened then."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from exportguard.audit_chain import AuditRecord, next_record
from exportguard.config import database_url
from exportguard.model import ListEntry, Snapshot, SnapshotHeader
from exportguard.store import reads
from exportguard.store.revision import stamped_head

if TYPE_CHECKING:
    from exportguard.store.snapshots import Store

_AUDIT_HEAD = "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1"
_AUDIT_INSERT = ("INSERT INTO audit_log (seq, at, actor, action, subject, request_id, detail, "
                 "prev_hash, hash) VALUES (:seq, :at, :actor, :action, :subject, :request_id, "
                 ":detail, :prev_hash, :hash)")


def open_for_screening(url: str | None = None) -> Store | DirectSqlite:
    """The store a `screen` reads: `DirectSqlite` for a current SQLite file, else `Store`."""
    url = url or database_url()
    path = sqlite_file(url)
    if path is not None and path.is_file():
        direct = DirectSqlite(url, path)
        if direct.schema_is_current():
            return direct
        direct.close()
    from exportguard.store.snapshots import Store

    return Store(url)


def sqlite_file(url: str) -> Path | None:
    """The database file of a plain `sqlite:///PATH` URL; None for any other URL (PostgreSQL,
    in memory, a `file:` URI, query options or another SQLite driver)."""
    if not url.startswith("sqlite:///") or "?" in url:
        return None
    database = url.removeprefix("sqlite:///")
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database).expanduser()


class DirectSqlite:
    def __init__(self, url: str, path: Path) -> None:
        self.url = url
        # Autocommit: reads take no lock beyond their statement; writes open their own
        # transaction (`_write`). The same pragmas as the full store's connections.
        self._connection = sqlite3.connect(path, timeout=30, isolation_level=None)
        self._connection.execute("PRAGMA journal_mode=WAL")
        self._connection.execute("PRAGMA foreign_keys=ON")
        self._connection.execute("PRAGMA synchronous=NORMAL")
        self._full: Store | None = None

    def close(self) -> None:
        self._connection.close()
        if self._full is not None:
            self._full.close()

    def schema_is_current(self) -> bool:
        """Whether the database is stamped with the migration files' head revision."""
        head = stamped_head()
        try:
            rows = self.rows("SELECT version_num FROM alembic_version")
        except sqlite3.Error:
            return False
        return head is not None and rows == [(head,)]

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]:
        return self._connection.execute(sql, dict(params or {})).fetchall()

    # --- the reads of `store.reads` ------------------------------------------------------------

    def snapshots(self, source: str | None = None) -> list[Snapshot]:
        return reads.snapshots(self, source)

    def current_snapshots(self, on: date | None = None) -> list[Snapshot]:
        return reads.current_of(self.snapshots(), on)

    def list_counts(self, snapshot_ids: Iterable[int]) -> dict[tuple[int, str], int]:
        return reads.list_counts(self, snapshot_ids)

    def key_spans(self, keys: Iterable[str]) -> dict[str, tuple[int, int]]:
        return reads.key_spans(self, keys)

    # --- the audit record ----------------------------------------------------------------------

    def append_audit(self, actor: str, action: str, subject: str, request_id: str,
                     detail: str) -> AuditRecord:
        """Append one record at the head of the chain. The head is read inside the write lock
        (BEGIN IMMEDIATE), so no other writer can take the same place."""
        with self._write():
            record = next_record(self._connection.execute(_AUDIT_HEAD).fetchone(), actor,
                                 action, subject, request_id, detail)
            self._connection.execute(_AUDIT_INSERT, record.to_dict())
        return record

    @contextmanager
    def _write(self) -> Iterator[None]:
        self._connection.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._connection.execute("ROLLBACK")
            raise
        self._connection.execute("COMMIT")

    # --- what the full store does --------------------------------------------------------------

    def full(self) -> Store:
        """The SQLAlchemy store on the same database, opened on first use."""
        if self._full is None:
            from exportguard.store.snapshots import Store

            self._full = Store(self.url)
        return self._full

    def screening_entries(self, snapshot_ids: Iterable[int],
                          keys: Iterable[str] | None = None) -> list[ListEntry]:
        return self.full().screening_entries(snapshot_ids, keys)

    def save_snapshot(self, header: SnapshotHeader, entries: Iterable[ListEntry]) -> Snapshot:
        return self.full().save_snapshot(header, entries)
