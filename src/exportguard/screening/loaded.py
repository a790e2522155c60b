"""A Screener over what the store holds: the snapshot of each source in force on the date asked
(the latest when no date is given), each list served by one snapshot (see
`lists.history.serving_snapshots`), the starter set standing in only for lists no official
snapshot covers.

Building the index for the full CSL takes a few seconds, so the built index is cached on disk next
to the database, keyed by the snapshots it was built from and everything its names' forms depend on
(`forms_cache.normaliser_fingerprint`). A build keeps the names' normalised forms
(`forms_cache`), so the index of a list update normalises only the names it has not seen.
"""

from __future__ import annotations

import hashlib
import threading
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from exportguard.config import data_dir
from exportguard.lists.history import serving_in_store, snapshots_in_force
from exportguard.lists.loader import ensure_starter
from exportguard.lists.starter import (
    STARTER_KEY_PREFIX,
    STARTER_SOURCE,
    local_names_files,
    with_local_names,
)
from exportguard.model import ListEntry, Snapshot
from exportguard.screening.forms_cache import NameForms, normaliser_fingerprint
from exportguard.screening.index import NameIndex
from exportguard.screening.screener import Screener

if TYPE_CHECKING:
    from exportguard.store import Store
    from exportguard.store.direct import DirectSqlite

_CACHE_PREFIX = "index-"
_CACHE_SUFFIX = ".flat"
_CACHES_KEPT = 3
# The index files this process read, newest last (at most _CACHES_KEPT): path -> the file's
# inode, size and modification time when read, and the index read.
_READ: dict[Path, tuple[tuple[int, int, int], NameIndex]] = {}
_READ_LOCK = threading.Lock()


def current_screener(store: Store, *, cache: bool = True) -> Screener:
    """Screen against the latest snapshot of every source."""
    return screener_for(store, None, cache=cache)


def screener_for(
    store: Store | DirectSqlite, on: date | None, *, filter_dates: bool = True, cache: bool = True
) -> Screener:
    """Screen against the lists as they stood on `on`: for each source the snapshot in force that
    day, and of its entries only those listed by then (see lists.history). None means today's
    latest snapshots with no date filter. `filter_dates=False` picks the snapshots of `on` but
    leaves judging each entry's listing date to the caller (the licence check reports entries
    listed later as such rather than hiding them)."""
    ensure_starter(store)
    in_force = snapshots_in_force(store, on)
    serving = serving_in_store(store, [f.snapshot for f in in_force])
    used_ids = sorted(set(serving.values()))
    used = [f for f in in_force if f.snapshot.id in used_ids]
    snapshots = [f.snapshot for f in used]
    path = _cache_path(store, snapshots, serving) if cache else None
    index = _read_cache(path) if path else None
    if index is None:
        entries = [e for sid in used_ids for e in store.screening_entries([sid])
                   if serving.get(e.list_code) == sid]
        index = _build([with_local_names(e) for e in entries], cache)
        if path:
            _write_cache(path, index)
    official = [s for s in snapshots if s.source != STARTER_SOURCE]
    return Screener(index, snapshots, starter_only=not official,
                    on=on if filter_dates else None,
                    in_force=[f for f in used if f.snapshot.source != STARTER_SOURCE])


def history_screener(store: Store, *, cache: bool = True) -> Screener:
    """A screener over the latest stored version of every entry ever loaded, removed ones
    included: what `history NAME` searches."""
    snapshots = [s for s in store.snapshots() if s.source != STARTER_SOURCE]
    path = _cache_path(store, snapshots, {"history": 1}) if cache else None
    index = _read_cache(path) if path else None
    if index is None:
        index = _build([e for e in store.latest_versions()
                        if not e.key.startswith(STARTER_KEY_PREFIX)], cache)
        if path:
            _write_cache(path, index)
    return Screener(index, snapshots)


def _build(entries: list[ListEntry], cache: bool) -> NameIndex:
    """The index of `entries`; with `cache`, the names' normalised forms kept by earlier builds
    are used and the new ones kept (`forms_cache`: the same index, only the names not seen
    before are normalised)."""
    if not cache:
        return NameIndex(entries)
    forms = NameForms.load()
    index = NameIndex(entries, forms=forms)
    forms.save()
    return index


def _cache_path(store: Store | DirectSqlite, snapshots: list[Snapshot],
                serving: dict[str, int]) -> Path:
    digest = hashlib.sha256()
    digest.update(store.url.encode())
    for snapshot in snapshots:
        digest.update(f"{snapshot.id}:{snapshot.checksum};".encode())
    digest.update(repr(sorted(serving.items())).encode())
    # Everything the names' forms depend on (the normalising code, its data files, the versions
    # of the packages it calls: a few milliseconds), the curated names, and the code that
    # shapes the index.
    digest.update(normaliser_fingerprint().encode())
    for file in local_names_files():
        digest.update(file.name.encode())
        digest.update(file.read_bytes())
    for module in ("index.py", "flat.py", "../lists/starter.py"):
        digest.update(Path(__file__).parent.joinpath(module).read_bytes())
    return data_dir() / f"{_CACHE_PREFIX}{digest.hexdigest()[:24]}{_CACHE_SUFFIX}"


def _read_cache(path: Path) -> NameIndex | None:
    """The index file, memory-mapped (a few milliseconds); None when absent or unreadable. An
    index this process read from the same file (the same inode, size and modification time: the
    file is written whole under a new name, then renamed) is reused: a re-screen after the
    screener that chose its customers reads no file again."""
    try:
        stat = path.stat()
        seen = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
        with _READ_LOCK:
            kept = _READ.get(path)
        if kept is not None and kept[0] == seen:
            return kept[1]
        index = NameIndex.read(path)
    except (OSError, ValueError):
        return None
    with _READ_LOCK:
        _READ.pop(path, None)
        _READ[path] = (seen, index)
        while len(_READ) > _CACHES_KEPT:
            del _READ[next(iter(_READ))]
    return index


def _write_cache(path: Path, index: NameIndex) -> None:
    """Write atomically and keep the few newest caches (today's lists and a date or two asked
    with --as-of); a failure only costs speed."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        index.write(path)
        for stale in path.parent.glob(f"{_CACHE_PREFIX}*.pickle"):  # the format before 2026-12
            stale.unlink(missing_ok=True)
        caches = sorted(path.parent.glob(f"{_CACHE_PREFIX}*{_CACHE_SUFFIX}"),
                        key=lambda p: p.stat().st_mtime, reverse=True)
        for old in caches[_CACHES_KEPT:]:
            old.unlink(missing_ok=True)
    except OSError:
        return
