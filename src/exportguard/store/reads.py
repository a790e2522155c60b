"""The store reads a screen makes, written once as plain SQL over any `Rows` executor: the full
`Store` runs them through SQLAlchemy (SQLite or PostgreSQL), `DirectSqlite` through the standard
library's sqlite3 (no SQLAlchemy import: a fifth of a cold `screen`). No SQLAlchemy here.

Values come back as the driver gives them: PostgreSQL decodes JSON and dates, SQLite hands back
the text SQLAlchemy stored (JSON, `2026-12-04 15:32:28.196544` for a datetime, naive, in UTC).
The converters below accept both."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any, Protocol

from exportguard.model import Snapshot

_SNAPSHOT_COLUMNS = ("id, source, format, origin, checksum, entry_count, lists, generated_at, "
                     "retrieved_at, loaded_at, edition")
# Bound parameters per statement: SQLite's default limit is 999 (older builds), PostgreSQL's
# 65,535.
_CHUNK = 500


class Rows(Protocol):
    """Runs one SQL statement with `:name` parameters and returns its rows as tuples."""

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]:
        ...


def snapshots(db: Rows, source: str | None = None) -> list[Snapshot]:
    """Every snapshot (of `source` when given), oldest first."""
    where = " WHERE source = :source" if source else ""
    rows = db.rows(f"SELECT {_SNAPSHOT_COLUMNS} FROM snapshots{where} ORDER BY id",
                   {"source": source} if source else None)
    return [_snapshot(row) for row in rows]


def list_counts(db: Rows, snapshot_ids: Iterable[int]) -> dict[tuple[int, str], int]:
    """Entries per (snapshot, list code)."""
    ids = sorted(set(snapshot_ids))
    out: dict[tuple[int, str], int] = {}
    for start in range(0, len(ids), _CHUNK):
        marks, params = in_list("s", ids[start:start + _CHUNK])
        out.update({(sid, code): n for sid, code, n in db.rows(
            f"SELECT snapshot_id, list_code, COUNT(*) FROM list_entries WHERE snapshot_id IN "
            f"({marks}) GROUP BY snapshot_id, list_code", params)})
    return out


def key_spans(db: Rows, keys: Iterable[str]) -> dict[str, tuple[int, int]]:
    """First and last snapshot holding each key."""
    wanted = sorted(set(keys))
    out: dict[str, tuple[int, int]] = {}
    for start in range(0, len(wanted), _CHUNK):
        marks, params = in_list("k", wanted[start:start + _CHUNK])
        out.update({key: (first, last) for key, first, last in db.rows(
            f"SELECT key, MIN(snapshot_id), MAX(snapshot_id) FROM list_entries WHERE key IN "
            f"({marks}) GROUP BY key", params)})
    return out


def in_list(prefix: str, values: Sequence[Any]) -> tuple[str, dict[str, Any]]:
    """`:p0, :p1, ...` and their values, for an `IN (...)` of `values`."""
    params = {f"{prefix}{i}": value for i, value in enumerate(values)}
    return ", ".join(f":{name}" for name in params), params


def current_of(snapshots: Iterable[Snapshot], on: date | None = None) -> list[Snapshot]:
    """The snapshot of each source in force: with no date, the latest load (a past edition
    loaded to fill in history never displaces a regular load); on a date, the snapshot that
    speaks for the latest day up to then. Sources with no snapshot that old are left out."""
    latest: dict[str, Snapshot] = {}
    for snapshot in snapshots:
        if on is not None and snapshot.speaks_for > on:
            continue
        known = latest.get(snapshot.source)
        if known is None or _rank(snapshot, on) > _rank(known, on):
            latest[snapshot.source] = snapshot
    return sorted(latest.values(), key=lambda s: s.id)


def _rank(snapshot: Snapshot, on: date | None) -> tuple[Any, ...]:
    if on is None:
        return (snapshot.edition is None, snapshot.edition or date.min, snapshot.id)
    return (snapshot.speaks_for, snapshot.id)


def _snapshot(row: Sequence[Any]) -> Snapshot:
    (sid, source, fmt, origin, checksum, count, lists, generated_at, retrieved_at, loaded_at,
     edition) = row
    return Snapshot(
        id=sid, source=source, format=fmt, origin=origin, checksum=checksum, entry_count=count,
        lists=tuple(json_value(lists) or ()), generated_at=utc(generated_at),
        retrieved_at=utc(retrieved_at), loaded_at=utc(loaded_at),  # type: ignore[arg-type]
        edition=day(edition),
    )


def json_value(value: Any) -> Any:
    """A JSON column: decoded by PostgreSQL's driver, text from SQLite."""
    return json.loads(value) if isinstance(value, str) else value


def utc(value: datetime | str | None) -> datetime | None:
    """A stored datetime, aware: SQLite hands back naive text; it was stored as UTC."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def day(value: date | str | None) -> date | None:
    """A stored date (text from SQLite)."""
    return date.fromisoformat(value) if isinstance(value, str) else value
