"""Loading a list file into the store as a new snapshot, atomically."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from exportguard.errors import ListFileError
from exportguard.lists.base import file_checksum, unique_keys
from exportguard.lists.bounds import MAX_ENTRIES
from exportguard.lists.starter import STARTER_SOURCE, starter_checksum, starter_entries
from exportguard.model import ListEntry, Snapshot, SnapshotHeader

if TYPE_CHECKING:
    from exportguard.store import Store
    from exportguard.store.direct import DirectSqlite


@dataclass(frozen=True, slots=True)
class LoadResult:
    snapshot: Snapshot
    unchanged: bool  # the file equals the source's current snapshot; nothing was written


def load_file(
    store: Store,
    path: Path,
    format: str | None = None,
    *,
    force: bool = False,
    progress: Callable[[int, int | None], None] | None = None,
    expected_source: str | None = None,
    min_entries: int = 1,
    origin: str | None = None,
    retrieved_at: datetime | None = None,
    speaks_for: date | None = None,
) -> LoadResult:
    """Parse and store `path` (a file, or a folder for multi-file formats). Any parse or
    validation error leaves the store as it was. `progress(done, declared_total)` is called as
    entries are stored. `expected_source` refuses a file of another list; fewer than
    `min_entries` entries are refused whatever the previous snapshot held. `speaks_for` dates a
    past edition whose file does not say its own date."""
    from exportguard.lists.detect import parser_for  # every parser: not for a screen

    parser = parser_for(path, format)
    meta = parser.meta(path)
    if expected_source is not None and meta.source != expected_source:
        raise ListFileError(str(path), f"holds the '{meta.source}' list, not the expected "
                            f"'{expected_source}'; refused")
    checksum = file_checksum(path)
    # The snapshot this one follows: in force today, or for a past edition on its day.
    current = {s.source: s for s in store.current_snapshots(speaks_for)}.get(meta.source)
    if current is not None and current.checksum == checksum and not force:
        return LoadResult(current, unchanged=True)
    header = SnapshotHeader(
        source=meta.source, format=meta.format, origin=origin or str(path.resolve()),
        checksum=checksum, generated_at=meta.generated_at, edition=speaks_for,
        retrieved_at=retrieved_at or meta.retrieved_at,
    )
    floor = 0 if force or current is None else int(current.entry_count * (1 - MAX_DROP))
    snapshot = store.save_snapshot(
        header, _checked(unique_keys(parser.entries(path)), path, min_entries, floor, current),
        progress=(lambda done: progress(done, meta.declared_count)) if progress else None,
    )
    return LoadResult(snapshot, unchanged=False)


# A new snapshot with more than this share fewer entries than the one in force is refused unless
# forced: it is far more often a partial file or a sample than a real mass delisting.
MAX_DROP = 0.10


def _checked(
    entries: Iterator[ListEntry], path: Path, min_entries: int, floor: int,
    current: Snapshot | None,
) -> Iterator[ListEntry]:
    """Pass entries through; raising at the end (inside the store's transaction) rolls back."""
    count = 0
    for entry in entries:
        count += 1
        if count > MAX_ENTRIES:
            raise ListFileError(str(path), f"holds more than {MAX_ENTRIES:,} entries; refused "
                                "(corrupt or hostile file)", record=count)
        yield entry
    if count == 0:
        raise ListFileError(str(path), "holds no list entries")
    if count < min_entries:
        raise ListFileError(str(path), f"holds {count:,} entries, fewer than the "
                            f"{min_entries:,} a real copy of this list has; refused as "
                            "implausible")
    if current is not None and count < floor:
        raise ListFileError(
            str(path),
            f"holds {count:,} entries, more than {MAX_DROP:.0%} fewer than the "
            f"{current.entry_count:,} of snapshot #{current.id} in force; refused (use --force "
            "if the lists really shrank)",
        )


def ensure_starter(store: Store | DirectSqlite) -> Snapshot:
    """Load the built-in starter set unless the store already holds this version of it."""
    checksum = starter_checksum()
    for snapshot in store.current_snapshots():
        if snapshot.source == STARTER_SOURCE and snapshot.checksum == checksum:
            return snapshot
    header = SnapshotHeader(source=STARTER_SOURCE, format="exportguard-yaml",
                            origin="exportguard/data/starter_entities.yaml", checksum=checksum)
    return store.save_snapshot(header, starter_entries())
