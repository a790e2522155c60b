"""A Screener over what the store holds now: the current snapshot of each source, with the
starter set standing in only for lists no official snapshot covers."""

from __future__ import annotations

from exportguard.lists.loader import ensure_starter
from exportguard.lists.starter import STARTER_SOURCE, with_local_names
from exportguard.screening.screener import Screener
from exportguard.store import Store


def current_screener(store: Store) -> Screener:
    ensure_starter(store)
    snapshots = store.current_snapshots()
    official = [s for s in snapshots if s.source != STARTER_SOURCE]
    starter = [s for s in snapshots if s.source == STARTER_SOURCE]
    covered = {code for s in official for code in s.lists}
    entries = store.screening_entries([s.id for s in official])
    starter_entries = [
        e for e in store.screening_entries([s.id for s in starter]) if e.list_code not in covered
    ]
    used = official + ([s for s in starter] if starter_entries else [])
    entries = [with_local_names(e) for e in [*entries, *starter_entries]]
    return Screener.from_entries(entries, used, starter_only=not official)
