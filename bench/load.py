"""Load time of the full reference CSL: parse + validate + store (one transaction) into a fresh
SQLite database, then the screener built from the store, cold and from the on-disk index cache.

    .venv/bin/python bench/load.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

import psutil

from _common import CSL_COMPACT
from exportguard.lists.loader import load_file
from exportguard.screening.loaded import current_screener
from exportguard.store import Store


def one_run(work: Path) -> dict[str, float]:
    store = Store(f"sqlite:///{work / 'eg.db'}")
    start = time.perf_counter()
    snapshot = load_file(store, CSL_COMPACT).snapshot
    loaded = time.perf_counter() - start
    start = time.perf_counter()
    current_screener(store, cache=False)
    cold = time.perf_counter() - start
    current_screener(store)  # writes the cache
    start = time.perf_counter()
    current_screener(store)
    warm = time.perf_counter() - start
    store.close()
    assert snapshot.entry_count == 25921
    return {"load_s": loaded, "screener_cold_s": cold, "screener_cached_s": warm}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    runs = []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as work:


            os.environ["EXPORTGUARD_HOME"] = work
            runs.append(one_run(Path(work)))
    rss = psutil.Process().memory_info().rss / 2**20
    print(f"{'measure':<28}{'median':>10}{'min':>10}{'max':>10}")
    for key in runs[0]:
        values = [r[key] for r in runs]
        print(f"{key:<28}{statistics.median(values):>9.2f}s{min(values):>9.2f}s"
              f"{max(values):>9.2f}s")
    print(f"{'resident memory (end)':<28}{rss:>9.0f}MiB")


if __name__ == "__main__":
    main()
