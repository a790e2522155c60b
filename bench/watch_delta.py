"""Delta re-screening of a customer book after a list update, against a full re-screen.

The book: N synthetic-but-realistic counterparties (bench/_common.synthetic_book), 2 % of them
variants of listed names, a few hundred of those variants of the entries the update adds. The
update: the reference CSL without 140 Entity List entries (the 138 whose first notice is
89 FR 96837, the 2024-12-02 additions, and 2 of 89 FR 68548), then the full CSL.

    .venv/bin/python bench/watch_delta.py [--customers 100000]

Prints the time of the import (every customer screened), of the delta re-screen, and of a full
re-screen, and whether the delta left the same hits as the full re-screen.

    .venv/bin/python bench/watch_delta.py --customers 20000 --store /tmp/wd20k --rounds 3 \
        --reference /tmp/before

sets a store up once for this tree and once for the --reference tree (another checkout's root,
e.g. `git archive <commit> | tar -x -C /tmp/before`), each by a process of that tree, in
--store/this and --store/reference (kept for later runs: the CSL without the 140 entries, the
book imported, the full CSL loaded; each tree's store as its code writes it, e.g. with the keys
of a snapshot's changes recorded at write time, and of the schema revision it knows). Then,
each round, for the two trees in turn, it copies the tree's store to one path and times, in a
new process of that tree, the delta re-screen and then a full re-screen (process CPU seconds).
Before the timing the process builds the new lists' index (with the normalised forms kept, as
`update` does before its re-screen; a name in characters is read as that build reads the new
names) and normalises the customers' names (as the import in the same process leaves them in
the single run). Prints the load (1 min average) before each run and a row per run.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from _common import REPO_ROOT, entries_cached, synthetic_book
from exportguard.screening.loaded import current_screener
from exportguard.store import Store
from exportguard.store.snapshots import SnapshotHeader
from exportguard.store.watchlist import WatchlistStore
from exportguard.watch import import_customers, read_customers, rescreen

# Set a store up in a new process of the tree measured (its own `src` first on the path).
_SET_UP = r"""
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from watch_delta import set_up
set_up(Path(sys.argv[2]), int(sys.argv[3]))
"""

# Run in a new process of the tree measured (its own `src` first on the path).
_CHILD = r"""
import json, os, sys, time
from pathlib import Path
work = Path(sys.argv[1])
os.environ["EXPORTGUARD_HOME"] = str(work)
from exportguard.lists.starter import local_names_by_name
from exportguard.names.normalize import name_forms
from exportguard.screening.loaded import current_screener
from exportguard.screening.screener import validate_query
from exportguard.store import Store
from exportguard.store.watchlist import WatchlistStore
from exportguard.watch import rescreen
for built in work.glob("index-*.flat"):
    built.unlink()  # built here, as `update` builds it before its re-screen
store = Store(f"sqlite:///{work / 'eg.db'}")
current_screener(store)
local_names_by_name()
name_forms("北京旷视科技有限公司", every=False)  # characters read, as a build of new names
watch = WatchlistStore(store)
for customer in watch.customers():
    validate_query(customer.name)
# What the import left for the delta (this tree: the customers' kept forms; older trees: an
# index of the customer names), made here so that both trees find theirs.
try:
    from exportguard.watch.rescreen import kept_customer_forms
    def prepared(store, watch):
        return kept_customer_forms(store, watch, current_screener(store).index)
except ImportError:
    from exportguard.watch.rescreen import customer_index as prepared
prepared(store, watch)
added = set(json.loads((work / "added.json").read_text()))
started, clock = time.process_time(), time.perf_counter()
delta = rescreen(store)
delta_cpu, delta_wall = time.process_time() - started, time.perf_counter() - clock
delta_hits = watch.hits()
started, clock = time.process_time(), time.perf_counter()
full = rescreen(store, full=True)
full_cpu, full_wall = time.process_time() - started, time.perf_counter() - clock
full_hits = watch.hits()
def on_added(hits):
    return {(c, k, round(h.score, 9)) for c, by in hits.items() for k, h in by.items()
            if k in added}
print(json.dumps({"delta_cpu": delta_cpu, "delta_wall": delta_wall, "full_cpu": full_cpu,
                  "full_wall": full_wall, "screened": delta.customers_screened,
                  "new_hits": delta.new_hits, "full_screened": full.customers_screened,
                  "added_hits": len(on_added(full_hits)),
                  "added_differ": len(on_added(delta_hits) ^ on_added(full_hits))}))
"""


def removed_entries(entries: list) -> list:
    first = [e for e in entries if e.list_code == "EL" and e.federal_register
             and e.federal_register[0].startswith("89 FR 96837")]
    more = [e for e in entries if e.list_code == "EL" and e.federal_register
            and e.federal_register[0].startswith("89 FR 68548")]
    return (first + more)[:140]


def set_up(work: Path, customers: int) -> None:
    """The store of a run: the CSL without the 140 entries, the book imported (which builds
    the customers' kept forms), the full CSL loaded and its index built."""
    os.environ["EXPORTGUARD_HOME"] = str(work)
    entries = entries_cached()
    update = removed_entries(entries)
    keys = {e.key for e in update}
    store = Store(f"sqlite:///{work / 'eg.db'}")
    store.save_snapshot(SnapshotHeader("csl", "csl-compact", "bench", "old",
                                       generated_at=datetime(2024, 12, 1, tzinfo=UTC)),
                        [e for e in entries if e.key not in keys])
    book = synthetic_book(customers, entries)
    book += synthetic_book(max(customers // 500, 10), entries, listed_share=1.0, seed=11,
                           variants_of=update)
    path = work / "customers.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name", "country"])
        writer.writerows([(f"{i}-{n}", name, cc) for n, (i, name, cc) in enumerate(book)])
    import_customers(store, read_customers(path))
    store.save_snapshot(SnapshotHeader("csl", "csl-compact", "bench", "new",
                                       generated_at=datetime(2024, 12, 5, tzinfo=UTC)), entries)
    current_screener(store)
    (work / "added.json").write_text(json.dumps(sorted(keys)))
    store.close()


def rounds(args: argparse.Namespace) -> int:
    stores = Path(args.store)
    # One path for every run, the set-ups' too: the kept forms file (an older tree's index of
    # the customer names) is keyed by the store's URL.
    work = stores.with_name(stores.name + "-run")
    trees = [("this", REPO_ROOT)] + ([("reference", Path(args.reference))]
                                      if args.reference else [])
    for label, tree in trees:
        pristine = stores / label
        if (pristine / "added.json").is_file():
            continue
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        started = time.perf_counter()
        env = {**os.environ, "PYTHONPATH": str(tree / "src")}
        subprocess.run([sys.executable, "-c", _SET_UP, str(Path(__file__).resolve().parent),
                        str(work), str(args.customers)], env=env, check=True)
        shutil.copytree(work, pristine, dirs_exist_ok=True)
        print(f"set up {pristine} in {time.perf_counter() - started:.0f} s", flush=True)
    print("| round | tree | load (1 min) | delta CPU s | full CPU s | delta / full | delta wall s "
          "| full wall s | customers re-screened | hits on added entries (full) | differ |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for number in range(1, args.rounds + 1):
        order = trees if number % 2 else trees[::-1]
        for label, tree in order:
            shutil.rmtree(work, ignore_errors=True)
            shutil.copytree(stores / label, work)
            load = os.getloadavg()[0]
            env = {**os.environ, "PYTHONPATH": str(tree / "src")}
            out = subprocess.run([sys.executable, "-c", _CHILD, str(work)], env=env, check=True,
                                 capture_output=True, text=True).stdout
            r = json.loads(out.strip().splitlines()[-1])
            print(f"| {number} | {label} | {load:.1f} | {r['delta_cpu']:.3f} | "
                  f"{r['full_cpu']:.2f} | {100 * r['delta_cpu'] / r['full_cpu']:.2f} % | "
                  f"{r['delta_wall']:.3f} | {r['full_wall']:.2f} | {r['screened']:,} of "
                  f"{r['full_screened']:,} | {r['added_hits']} | {r['added_differ']} |",
                  flush=True)
    shutil.rmtree(work, ignore_errors=True)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--store", help="set the store up here once and time runs on copies")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--reference", help="root of another tree to time in the same rounds")
    args = parser.parse_args()
    if args.store:
        return rounds(args)
    entries = entries_cached()
    update = removed_entries(entries)
    keys = {e.key for e in update}
    assert len(update) == 140
    with tempfile.TemporaryDirectory() as work:
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
        first, _ = import_customers(store, records)  # also keeps the customers' forms
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
