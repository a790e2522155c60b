"""Delta re-screening of a customer book after a list update, against a full re-screen.

The book: N synthetic-but-realistic counterparties (bench/_common.synthetic_book), 2 % of them
variants of listed names, a few hundred of those variants of the entries the update adds. The
update: the reference CSL without 140 Entity List entries (the 138 whose first notice is
89 FR 96837, the 2024-12-02 additions, and 2 of 89 FR 68548), then the full CSL.

    .venv/bin/python bench/watch_delta.py [--customers 100000]

Prints the time of the import (every customer screened), of the delta re-screen, and of a full
re-screen, and whether the delta left the same hits as the full re-screen.
"""

from __future__ import annotations

import argparse
import csv
import platform
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from _common import entries_cached, synthetic_book
from exportguard.screening.loaded import current_screener
from exportguard.store import Store
from exportguard.store.snapshots import SnapshotHeader
from exportguard.store.watchlist import WatchlistStore
from exportguard.watch import import_customers, read_customers, rescreen


def removed_entries(entries: list) -> list:
    first = [e for e in entries if e.list_code == "EL" and e.federal_register
             and e.federal_register[0].startswith("89 FR 96837")]
    more = [e for e in entries if e.list_code == "EL" and e.federal_register
            and e.federal_register[0].startswith("89 FR 68548")]
    return (first + more)[:140]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=100_000)
    args = parser.parse_args()
    entries = entries_cached()
    update = removed_entries(entries)
    keys = {e.key for e in update}
    assert len(update) == 140
    with tempfile.TemporaryDirectory() as work:
        import os

        os.environ["EXPORTGUARD_HOME"] = work
        store = Store(f"sqlite:///{Path(work) / 'eg.db'}")
        header = SnapshotHeader("csl", "csl-compact", "bench", "old",
                                generated_at=datetime(2024, 12, 1, tzinfo=UTC))
        store.save_snapshot(header, [e for e in entries if e.key not in keys])
        book = synthetic_book(args.customers, entries)
        book += synthetic_book(max(args.customers // 500, 10), entries, listed_share=1.0,
                               seed=11, variants_of=update)
        path = Path(work) / "customers.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["id", "name", "country"])
            writer.writerows([(f"{i}-{n}", name, cc) for n, (i, name, cc) in enumerate(book)])
        records = read_customers(path)
        started = time.perf_counter()
        first, _ = import_customers(store, records)  # also builds the customer-name index
        import_seconds = time.perf_counter() - started

        header = SnapshotHeader("csl", "csl-compact", "bench", "new",
                                generated_at=datetime(2024, 12, 5, tzinfo=UTC))
        store.save_snapshot(header, entries)
        started = time.perf_counter()
        current_screener(store)  # the new lists' index: built once, used by both re-screens
        index_seconds = time.perf_counter() - started
        started = time.perf_counter()
        delta = rescreen(store)
        delta_seconds = time.perf_counter() - started
        watch = WatchlistStore(store)
        delta_hits = {c: set(h) for c, h in watch.hits().items()}
        started = time.perf_counter()
        full = rescreen(store, full=True)
        full_seconds = time.perf_counter() - started
        full_hits = {c: set(h) for c, h in watch.hits().items()}
    touched = keys  # the keys the update added
    differing = sum(1 for c in set(delta_hits) | set(full_hits)
                    if delta_hits.get(c, set()) != full_hits.get(c, set()))
    differing_touched = sum(
        1 for c in set(delta_hits) | set(full_hits)
        if delta_hits.get(c, set()) & touched != full_hits.get(c, set()) & touched)
    print(f"machine: {platform.node()} {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores; {len(records):,} customers; update of {len(update)} entries")
    print("| step | customers screened | seconds | hits new / cleared |")
    print("|---|---|---|---|")
    print(f"| import (full screening) | {first.customers_screened:,} | {import_seconds:.1f} | "
          f"{first.new_hits:,} / 0 |")
    print(f"| index of the new lists (built once, cached) | - | {index_seconds:.1f} | - |")
    print(f"| delta re-screen after the update | {delta.customers_screened:,} | "
          f"{delta_seconds:.1f} | {delta.new_hits:,} / {delta.cleared_hits:,} |")
    print(f"| full re-screen | {full.customers_screened:,} | {full_seconds:.1f} | "
          f"{full.new_hits:,} / {full.cleared_hits:,} |")
    print(f"delta is {full_seconds / delta_seconds:.1f}x faster than a full re-screen")
    print(f"customers whose hits on the 140 added entries differ between delta and full: "
          f"{differing_touched}; whose hits on untouched entries differ (score drift from the "
          f"new token weights): {differing - differing_touched}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
