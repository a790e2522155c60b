"""Saving and reading list snapshots. A snapshot becomes visible in one transaction, so a load
that fails or is killed part-way leaves the store exactly as it was.

With SQLite (one writer at a time) the entries are first written to a staging database file of their
own next to the store (`<db>.load-<pid>-<token>.staging`, attached to the load's connection): the
long part of a load (parsing, checking, encoding rows) then holds no lock on the store, and the
screens' audit writes go on. The final transaction copies the staged rows in with one `INSERT ...
SELECT` (well under a second for the full CSL) and adds the snapshot row. A killed load leaves only
its staging file, removed by the next load. PostgreSQL writers do not block each other, so there the
entries are written straight into the one transaction."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Column, Engine, MetaData, Table, func, insert, select, text
from sqlalchemy.exc import SQLAlchemyError

from exportguard.config import database_url
from exportguard.errors import InputError, StoreError
from exportguard.model import Address, ListEntry, Snapshot, SnapshotHeader, entry_fingerprint
from exportguard.processes import process_alive
from exportguard.store import reads
from exportguard.store.changes import (
    KeysToRead,
    changes_against_latest,
    entry_line,
    record_changes,
    recorded_changes,
)
from exportguard.store.db import create_store_engine, migrate, session_factory
from exportguard.store.reads import current_of
from exportguard.store.tables import ListEntryRow, SnapshotRow

_BATCH = 2000


class Store:
    def __init__(self, url: str | None = None) -> None:
        self.url = url or database_url()
        self.engine: Engine = create_store_engine(self.url)
        migrate(self.engine)
        self._sessions = session_factory(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]:
        """One plain SQL statement (`:name` parameters), as `store.reads` writes them."""
        with self.engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(sql), dict(params or {}))]

    # --- writing -------------------------------------------------------------------------------

    def save_snapshot(
        self,
        header: SnapshotHeader,
        entries: Iterable[ListEntry],
        *,
        progress: Callable[[int], None] | None = None,
    ) -> Snapshot:
        """Store a snapshot and all its entries atomically; any exception rolls everything back."""
        staging = _staging_path(self.url)
        if staging is not None:
            return self._save_staged(header, entries, staging, progress)
        loaded_at = datetime.now(UTC)
        try:
            with self._sessions.begin() as session:
                row = SnapshotRow(
                    source=header.source, format=header.format, origin=header.origin,
                    checksum=header.checksum, entry_count=0, lists=[],
                    generated_at=header.generated_at, retrieved_at=header.retrieved_at,
                    edition=header.edition,
                    loaded_at=loaded_at,
                )
                session.add(row)
                session.flush()
                count, lists, lines = _stage(session, ListEntryRow.__table__, entries, progress,
                                             row.id)
                row.entry_count = count
                row.lists = sorted(lists)
                session.flush()
                record_changes(session.connection(), row.id, header.source,
                               changes_against_latest(session.connection(), header.source,
                                                      lines, below=row.id))
                return _snapshot(row)
        except SQLAlchemyError as exc:
            raise StoreError(f"could not store the snapshot: {exc}") from None

    def _save_staged(
        self,
        header: SnapshotHeader,
        entries: Iterable[ListEntry],
        staging: Path,
        progress: Callable[[int], None] | None,
    ) -> Snapshot:
        """SQLite: stage the entries in a file of their own (no lock on the store), then copy
        them in and add the snapshot row in one short transaction."""
        for stale in staging.parent.glob(f"{staging.name.split('.load-')[0]}.load-*.staging"):
            if not _pid_alive(stale):
                stale.unlink(missing_ok=True)
        staging.unlink(missing_ok=True)
        table = _staging_table()
        names = [c.name for c in table.columns]
        loaded_at = datetime.now(UTC)
        try:
            with self.engine.connect() as connection:
                connection.exec_driver_sql(f"ATTACH DATABASE '{_quoted(staging)}' AS staging")
                try:
                    connection.exec_driver_sql("PRAGMA staging.journal_mode=OFF")
                    connection.exec_driver_sql("PRAGMA staging.synchronous=OFF")
                    table.create(connection)
                    connection.commit()
                    count, lists, lines = _stage(connection, table, entries, progress)
                    connection.commit()
                    changes = changes_against_latest(connection, header.source, lines)
                    connection.commit()
                    # The one write transaction on the store: a snapshot row and a copy in C.
                    connection.exec_driver_sql("BEGIN IMMEDIATE")
                    row = SnapshotRow.__table__
                    snapshot_id = connection.execute(insert(row).values(
                        source=header.source, format=header.format, origin=header.origin,
                        checksum=header.checksum, entry_count=count, lists=sorted(lists),
                        generated_at=header.generated_at, retrieved_at=header.retrieved_at,
                        edition=header.edition, loaded_at=loaded_at,
                    )).inserted_primary_key[0]
                    columns = ", ".join(f'"{n}"' for n in names)
                    picked = ", ".join(":sid" if n == "snapshot_id" else f'"{n}"'
                                       for n in names)
                    connection.execute(text(
                        f"INSERT INTO list_entries ({columns}) SELECT {picked} "
                        "FROM staging.entries ORDER BY rowid"), {"sid": snapshot_id})
                    record_changes(connection, snapshot_id, header.source, changes)
                    connection.commit()
                finally:
                    connection.rollback()
                    connection.exec_driver_sql("DETACH DATABASE staging")
        except SQLAlchemyError as exc:
            raise StoreError(f"could not store the snapshot: {exc}") from None
        finally:
            staging.unlink(missing_ok=True)
        return self.snapshot(snapshot_id)

    # --- reading -------------------------------------------------------------------------------

    def current_snapshots(self, on: date | None = None) -> list[Snapshot]:
        """The snapshot of each source in force (see `current_of`)."""
        return current_of(self.snapshots(), on)

    def snapshots(self, source: str | None = None) -> list[Snapshot]:
        return reads.snapshots(self, source)

    def snapshot(self, snapshot_id: int, field: str = "snapshot") -> Snapshot:
        # A plain query, not the ORM's `get`: a process's first ORM query configures the
        # mappers (some 13 ms), and a delta re-screen makes no other.
        table = SnapshotRow.__table__
        with self.engine.connect() as connection:
            row = connection.execute(select(table).where(table.c.id == int(snapshot_id))).first()
        if row is None:
            raise InputError(field, f"there is no snapshot #{snapshot_id}")
        return _snapshot(row)

    def entry_count(self, snapshot_id: int) -> int:
        with self._sessions() as session:
            return session.scalar(
                select(func.count()).select_from(ListEntryRow)
                .where(ListEntryRow.snapshot_id == snapshot_id)
            ) or 0

    def screening_entries(
        self, snapshot_ids: Iterable[int], keys: Iterable[str] | None = None
    ) -> list[ListEntry]:
        """Entries of the given snapshots (only those with `keys` when given) without their raw
        records: what screening needs, read with one plain query (several times faster than
        loading ORM objects)."""
        ids = list(snapshot_ids)
        if not ids:
            return []
        table = ListEntryRow.__table__
        columns = [table.c[name] for name in _SCREENING_COLUMNS]
        query = select(*columns).where(table.c.snapshot_id.in_(ids)).order_by(table.c.id)
        out: list[ListEntry] = []
        with self.engine.connect() as connection:
            if keys is None:
                out.extend(_screening_entry(row) for row in connection.execute(query))
                return out
            # A few keys of a large snapshot: found through the key's index, not by reading
            # the snapshot's rows (`+ 0` keeps SQLite off the snapshot's index, which it would
            # otherwise choose: 10 ms against under 1 ms for the 140 keys of an update).
            query = select(*columns).where((table.c.snapshot_id + 0).in_(ids)).order_by(
                table.c.id)
            wanted = sorted(set(keys))
            for start in range(0, len(wanted), 500):
                rows = connection.execute(query.where(table.c.key.in_(wanted[start:start + 500])))
                out.extend(_screening_entry(row) for row in rows)
        return out

    def fingerprints(self, snapshot_id: int) -> dict[str, str | None]:
        """key -> fingerprint of every entry of a snapshot (None for rows stored before
        fingerprints were kept)."""
        table = ListEntryRow.__table__
        statement = select(table.c.key, table.c.fingerprint).where(
            table.c.snapshot_id == int(snapshot_id))
        # Tens of thousands of pairs: read through the driver's cursor, without a result row
        # object per pair (about half the time of a diff of two snapshots); the id is an int.
        sql = str(statement.compile(dialect=self.engine.dialect,
                                    compile_kwargs={"literal_binds": True}))
        with self.engine.connect() as connection:
            cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
            try:
                cursor.execute(sql)
                return dict(cursor.fetchall())
            finally:
                cursor.close()

    def fingerprint_lines(self, snapshot_id: int) -> list[str] | None:
        """'key<TAB>fingerprint' of every entry of a snapshot, in row order, made and joined by
        SQLite in one string (a diff compares these as whole strings: a third of the time of
        reading the pairs as Python objects); None on another database, or when a row has no
        fingerprint (stored before they were kept) or a key holds a tab or a newline."""
        if self.engine.dialect.name != "sqlite":
            return None
        sql = ("SELECT count(*), count(fingerprint), "
               "group_concat(key || char(9) || fingerprint, char(10)) FROM "
               "(SELECT key, fingerprint FROM list_entries WHERE snapshot_id = ? ORDER BY id)")
        with self.engine.connect() as connection:
            cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
            try:
                cursor.execute(sql, (int(snapshot_id),))
                count, printed, joined = cursor.fetchone()
            finally:
                cursor.close()
        if count != printed:
            return None
        lines = joined.split("\n") if joined else []
        if len(lines) != count or any(line.count("\t") != 1 for line in lines):
            return None
        return lines

    def recorded_changes(self, old_id: int, new_id: int) -> KeysToRead | None:
        """The keys a diff of the two snapshots reads, as recorded when `new_id` was written
        (`store/changes.py`); None when it was not compared with `old_id` then."""
        with self.engine.connect() as connection:
            return recorded_changes(connection, old_id, new_id)

    def list_counts(self, snapshot_ids: Iterable[int]) -> dict[tuple[int, str], int]:
        """Entries per (snapshot, list code)."""
        return reads.list_counts(self, snapshot_ids)

    def key_spans(self, keys: Iterable[str]) -> dict[str, tuple[int, int]]:
        """First and last snapshot holding each key."""
        return reads.key_spans(self, keys)

    def entry_versions(self, keys: Iterable[str]) -> list[tuple[int, ListEntry]]:
        """(snapshot id, entry) for every stored version of the entries with these keys, oldest
        snapshot first: the raw material of an entry's history."""
        wanted = sorted(set(keys))
        if not wanted:
            return []
        table = ListEntryRow.__table__
        columns = [table.c.snapshot_id, *(table.c[name] for name in _SCREENING_COLUMNS)]
        out: list[tuple[int, ListEntry]] = []
        with self.engine.connect() as connection:
            for start in range(0, len(wanted), 500):
                rows = connection.execute(
                    select(*columns).where(table.c.key.in_(wanted[start:start + 500]))
                )
                out.extend((row[0], _screening_entry(row[1:])) for row in rows)
        out.sort(key=lambda item: item[0])
        return out

    def latest_versions(self) -> list[ListEntry]:
        """The most recent stored version of every entry key ever loaded, from any snapshot: what
        a search over the whole history matches against."""
        table = ListEntryRow.__table__
        latest = select(func.max(table.c.id)).group_by(table.c.key).scalar_subquery()
        columns = [table.c[name] for name in _SCREENING_COLUMNS]
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(*columns).where(table.c.id.in_(latest)).order_by(table.c.id)
            )
            return [_screening_entry(row) for row in rows]

    def entries(self, snapshot_ids: Iterable[int]) -> Iterator[tuple[int, ListEntry]]:
        """(row id, entry) for every entry of the given snapshots, in storage order."""
        ids = list(snapshot_ids)
        if not ids:
            return
        with self._sessions() as session:
            result = session.execute(
                select(ListEntryRow).where(ListEntryRow.snapshot_id.in_(ids))
                .order_by(ListEntryRow.id)
                .execution_options(yield_per=5000)
            )
            for (row,) in result:
                yield row.id, _entry(row)


def _staging_path(url: str) -> Path | None:
    """Where a SQLite store's loads stage their entries; None for PostgreSQL and in-memory
    databases (written in the one transaction)."""
    if not url.startswith("sqlite") or "///" not in url:
        return None
    database = url.split("///", 1)[1].split("?", 1)[0]
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    # The pid tells a later load whether the owner still runs; the token keeps two loads of
    # one process (threads) apart.
    return Path(database).expanduser().with_name(
        f"{Path(database).name}.load-{os.getpid()}-{secrets.token_hex(4)}.staging")


def _pid_alive(staging: Path) -> bool:
    """Whether the load that owns a staging file (its pid in the name) still runs; this
    process's own counts as running (another thread's load, or removed by its own load)."""
    try:
        pid = int(staging.name.rsplit(".load-", 1)[1].split("-", 1)[0])
    except (IndexError, ValueError):
        return False
    return process_alive(pid)


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")


def _staging_table() -> Table:
    """list_entries' columns but its id, in the attached staging database."""
    columns = [Column(c.name, c.type) for c in ListEntryRow.__table__.columns if c.name != "id"]
    return Table("entries", MetaData(), *columns, schema="staging")


def _stage(
    connection: Any, table: Table, entries: Iterable[ListEntry],
    progress: Callable[[int], None] | None, snapshot_id: int = 0,
) -> tuple[int, dict[str, None], list[str | None]]:
    """Insert the entries into `table` in batches of _BATCH (the staging table, whose rows get
    their snapshot when copied in, or list_entries itself under `snapshot_id`); the count, the
    lists seen, in order, and the rows' lines in row order (`changes.entry_line`)."""
    count = 0
    lists: dict[str, None] = {}
    lines: list[str | None] = []
    batch: list[dict[str, Any]] = []
    for entry in entries:
        lists.setdefault(entry.list_code, None)
        values = _entry_values(snapshot_id, entry)
        lines.append(entry_line(values["key"], values["fingerprint"]))
        batch.append(values)
        if len(batch) >= _BATCH:
            connection.execute(insert(table), batch)
            count += len(batch)
            batch = []
            if progress:
                progress(count)
    if batch:
        connection.execute(insert(table), batch)
        count += len(batch)
        if progress:
            progress(count)
    return count, lists, lines


_SCREENING_COLUMNS = (
    "list_code", "source_name", "name", "entity_number", "type", "alt_names", "local_names",
    "addresses", "countries", "programs", "license_requirement", "license_policy",
    "federal_register", "start_date", "end_date", "source_list_url", "key",
)


def _screening_entry(row: Any) -> ListEntry:
    values = dict(zip(_SCREENING_COLUMNS, row, strict=True))
    values["addresses"] = [Address(**a) for a in values["addresses"] or []]
    return ListEntry(**values)


def _entry_values(snapshot_id: int, entry: ListEntry) -> dict[str, Any]:
    return {
        "snapshot_id": snapshot_id,
        "key": entry.key[:200],
        "fingerprint": entry_fingerprint(entry),
        "list_code": entry.list_code,
        "source_name": entry.source_name,
        "entity_number": entry.entity_number,
        "type": entry.type,
        "name": entry.name,
        "alt_names": entry.alt_names,
        "local_names": entry.local_names,
        "addresses": [a.to_dict() for a in entry.addresses],
        "countries": entry.countries,
        "programs": entry.programs,
        "license_requirement": entry.license_requirement,
        "license_policy": entry.license_policy,
        "federal_register": entry.federal_register,
        "start_date": entry.start_date,
        "end_date": entry.end_date,
        "source_list_url": entry.source_list_url,
        "raw": entry.raw,
    }


def _entry(row: ListEntryRow) -> ListEntry:
    return ListEntry(
        list_code=row.list_code,
        source_name=row.source_name,
        name=row.name,
        entity_number=row.entity_number,
        type=row.type,
        alt_names=list(row.alt_names or []),
        local_names=list(row.local_names or []),
        addresses=[Address(**a) for a in row.addresses or []],
        countries=list(row.countries or []),
        programs=list(row.programs or []),
        license_requirement=row.license_requirement,
        license_policy=row.license_policy,
        federal_register=list(row.federal_register or []),
        start_date=row.start_date,
        end_date=row.end_date,
        source_list_url=row.source_list_url,
        key=row.key,
        raw=dict(row.raw or {}),
    )


def _snapshot(row: Any) -> Snapshot:
    return Snapshot(
        id=row.id, source=row.source, format=row.format, origin=row.origin,
        checksum=row.checksum, entry_count=row.entry_count, lists=tuple(row.lists or ()),
        generated_at=_utc(row.generated_at), retrieved_at=_utc(row.retrieved_at),
        edition=row.edition,
        loaded_at=_utc(row.loaded_at),  # type: ignore[arg-type]
    )


def _utc(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; they were stored as UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value
