"""A Screener over what the store holds now: the current snapshot of each source, with the
starter set standing in only for lists no official snapshot covers.

Building the index for the full CSL takes a few seconds, so the built index is cached on disk next
to the database, keyed by the snapshots it was built from and the vocabulary it was built with.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
from importlib import resources
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from exportguard.config import data_dir
from exportguard.lists.loader import ensure_starter
from exportguard.lists.starter import STARTER_KEY_PREFIX, STARTER_SOURCE, with_local_names
from exportguard.model import Snapshot
from exportguard.screening.index import NameIndex
from exportguard.screening.screener import Screener
from exportguard.store import Store

_CACHE_PREFIX = "index-"


def current_screener(store: Store, *, cache: bool = True) -> Screener:
    ensure_starter(store)
    snapshots = store.current_snapshots()
    official = [s for s in snapshots if s.source != STARTER_SOURCE]
    starter = [s for s in snapshots if s.source == STARTER_SOURCE]
    covered = {code for s in official for code in s.lists}
    used = official + starter
    path = _cache_path(store, used) if cache else None
    index = _read_cache(path) if path else None
    if index is None:
        entries = store.screening_entries([s.id for s in official])
        entries += [e for e in store.screening_entries([s.id for s in starter])
                    if e.list_code not in covered]
        index = NameIndex([with_local_names(e) for e in entries])
        if path:
            _write_cache(path, index)
    if not any(e.key.startswith(STARTER_KEY_PREFIX) for e in index.entries):
        used = official
    return Screener(index, used, starter_only=not official)


def _cache_path(store: Store, snapshots: list[Snapshot]) -> Path:
    digest = hashlib.sha256()
    digest.update(store.url.encode())
    for snapshot in snapshots:
        digest.update(f"{snapshot.id}:{snapshot.checksum};".encode())
    with contextlib.suppress(PackageNotFoundError):
        digest.update(version("exportguard").encode())
    data = resources.files("exportguard").joinpath("data")
    for name in ("name_terms.yaml", "local_names.yaml"):
        digest.update(data.joinpath(name).read_bytes())
    for module in ("index.py", "../names/normalize.py"):
        digest.update(Path(__file__).parent.joinpath(module).read_bytes())
    return data_dir() / f"{_CACHE_PREFIX}{digest.hexdigest()[:24]}.pickle"


def _read_cache(path: Path) -> NameIndex | None:
    try:
        with path.open("rb") as handle:
            index = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None
    return index if isinstance(index, NameIndex) else None


def _write_cache(path: Path, index: NameIndex) -> None:
    """Write atomically and keep only the newest cache; a failure only costs speed."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        with temporary.open("wb") as handle:
            pickle.dump(index, handle, protocol=pickle.HIGHEST_PROTOCOL)
        temporary.replace(path)
        for old in path.parent.glob(f"{_CACHE_PREFIX}*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        return
