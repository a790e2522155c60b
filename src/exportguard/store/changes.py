"""What a snapshot changed against the one before it of its source, recorded when it is written.

A load already holds the new entries' fingerprints; comparing them there with the previous
snapshot's costs the load a few tens of milliseconds and spares every later diff of the pair
(the delta re-screen after an update) reading and comparing both snapshots' fingerprints: it
reads one row. What is recorded is the keys to read from each side, not the diff itself: the
diff (`lists.history.diff_snapshots`) still reads those entries and compares their fields.

The comparison is of 'key<TAB>fingerprint' lines as sets (`differing_keys`). A key held by
several rows (the CSL repeats some) is read whenever any of its rows differs: a few more
entries read than a comparison of each key's last row, the same diff. Nothing is recorded when
the snapshot before has rows without a fingerprint (stored before they were kept) or a key
holds a tab or a newline; a diff then compares the fingerprints itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

# SQLAlchemy is imported by the functions that write and read the table: `differing_keys` is on
# the path of a screen (`lists.history`), which reads a current store without it (store/direct.py).

@dataclass(frozen=True, slots=True)
class KeysToRead:
    """The keys a diff of two snapshots must read: `before` from the older (only there, or
    differing), `after` from the newer (only there, or differing), with each `after` key's
    positions among the newer snapshot's rows (in row order)."""

    before: frozenset[str]
    after: frozenset[str]
    positions: dict[str, list[int]]


def differing_keys(before: Sequence[str], after: Sequence[str]) -> KeysToRead:
    """The keys to read, from two snapshots' 'key<TAB>fingerprint' lines in row order."""
    old_lines, new_lines = set(before), set(after)
    fresh = {line[:line.index("\t")] for line in new_lines - old_lines}
    positions: dict[str, list[int]] = {}
    if fresh:
        for number, line in enumerate(after):
            key = line[:line.index("\t")]
            if key in fresh:
                positions.setdefault(key, []).append(number)
    return KeysToRead(frozenset(line[:line.index("\t")] for line in old_lines - new_lines),
                      frozenset(fresh), positions)


def entry_line(key: str, fingerprint: str | None) -> str | None:
    """A row's line as `differing_keys` compares it; None when it cannot be one."""
    if fingerprint is None or "\t" in key or "\n" in key:
        return None
    return f"{key}\t{fingerprint}"


def changes_against_latest(connection: Any, source: str, lines: Sequence[str | None],
                           below: int | None = None) -> tuple[int, KeysToRead] | None:
    """The latest stored snapshot of `source` (of those numbered below `below`, when given:
    the new one, already in the transaction) and the keys a diff of it against new rows reads;
    `lines` are the new rows' lines in row order (`entry_line`). None when there is no
    snapshot of the source, or a line is missing. (Made before the write transaction on
    SQLite, so the store's write lock is not held while both snapshots are compared.)"""
    from sqlalchemy import text

    if any(line is None for line in lines):
        return None
    base = connection.execute(text(
        "SELECT max(id) FROM snapshots WHERE source = :source AND id < :below"),
        {"source": source, "below": below if below is not None else 2**62}).scalar()
    if base is None:
        return None
    rows = connection.execute(text(
        "SELECT key, fingerprint FROM list_entries WHERE snapshot_id = :id ORDER BY id"),
        {"id": base})
    before = [entry_line(key, fingerprint) for key, fingerprint in rows]
    if any(line is None for line in before):
        return None
    return base, differing_keys(before, lines)  # type: ignore[arg-type]


def record_changes(connection: Any, snapshot_id: int, source: str,
                   changes: tuple[int, KeysToRead] | None) -> None:
    """Record, in the transaction that writes snapshot `snapshot_id`, the `changes` made
    against the snapshot before it of its `source` (`changes_against_latest`): only when that
    is still the one before it (another load of the source may have come in between)."""
    from sqlalchemy import insert, text

    from exportguard.store.tables import SnapshotChangeRow

    if changes is None:
        return
    base, keys = changes
    before = connection.execute(text(
        "SELECT max(id) FROM snapshots WHERE source = :source AND id < :id"),
        {"source": source, "id": snapshot_id}).scalar()
    if before != base:
        return
    connection.execute(insert(SnapshotChangeRow.__table__).values(
        snapshot_id=snapshot_id, base_id=base, keys_before=sorted(keys.before),
        keys_after=sorted(keys.after), positions=keys.positions))


def recorded_changes(connection: Any, old_id: int, new_id: int) -> KeysToRead | None:
    """The keys recorded when `new_id` was written, if it was compared with `old_id`."""
    from sqlalchemy import select

    from exportguard.store.tables import SnapshotChangeRow

    table = SnapshotChangeRow.__table__
    row = connection.execute(
        select(table.c.keys_before, table.c.keys_after, table.c.positions)
        .where(table.c.snapshot_id == int(new_id), table.c.base_id == int(old_id))).first()
    if row is None:
        return None
    return KeysToRead(frozenset(row[0]), frozenset(row[1]),
                      {key: list(at) for key, at in row[2].items()})
