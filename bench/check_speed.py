"""Latency of `classify` and `check` in-process, with the full reference CSL loaded.

Runs the catalog through `classify` on several dates and a mix of `check` transactions (catalog
items, ECCNs, listed and unlisted parties, headquarters rules) and prints p50/p99 per call.
With `--reference SRC` it also runs the same calls in a second process over another checkout's
`src` (e.g. a worktree of the commit before a change), so both rows come from the same run.
Usage: python bench/check_speed.py [--rounds N] [--reference ../old/src]
"""

from __future__ import annotations

import argparse
import inspect
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _common import CSL_COMPACT
from exportguard.check import Party, check
from exportguard.items import catalog, classify
from exportguard.lists.csl import CslCompactParser
from exportguard.lists.starter import with_local_names
from exportguard.screening import Screener

DATES = ["2022-06-01", "2023-01-10", "2024-06-01", "2025-06-01", "2026-02-01"]
TRANSACTIONS = [
    {"destination": "CN", "parties": [Party("Megvii Technology")], "item_eccn": "EAR99"},
    {"destination": "CN", "parties": [Party("Shenzhen Example Trading Co.", country="CN")],
     "item": "H800"},
    {"destination": "JP", "parties": [Party("Example Japan KK", country="JP",
                                            parent="Example Group", parent_hq="CN")],
     "item": "A100"},
    {"destination": "CN", "parties": [Party("Beijing Sensetime Technology Development Co.")],
     "item": "H200"},
    {"destination": "DE", "parties": [Party("Siemens AG", country="DE")], "item": "B200"},
]


def _timed(calls):
    times = []
    for call in calls:
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.99) - 1], len(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--reference", help="another checkout's src directory to compare with")
    parser.add_argument("--rows-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    entries = [with_local_names(e) for e in CslCompactParser().entries(CSL_COMPACT)]
    screener = Screener.from_entries(entries)
    items = catalog().items
    classify_calls = [lambda i=i, d=d: classify(i, d)
                      for _ in range(args.rounds) for i in items for d in DATES]
    one = _caller(screener)
    check_calls = [lambda t=t, d=d: one(t, d)
                   for _ in range(args.rounds) for t in TRANSACTIONS for d in DATES]
    rows = [("classify (catalog item)", *_timed(classify_calls)),
            ("check (item x party x destination)", *_timed(check_calls))]
    if args.rows_only:
        for name, p50, p99, n in rows:
            print(f"{name}\t{p50}\t{p99}\t{n}")
        return
    if args.reference:
        env = {**os.environ, "PYTHONPATH": f"{Path(args.reference).resolve()}"}
        found = subprocess.run([sys.executable, __file__, "--rounds", str(args.rounds),
                                "--rows-only"], env=env, check=True, capture_output=True,
                               text=True).stdout
        rows += [(f"reference: {name}", float(p50), float(p99), int(n))
                 for name, p50, p99, n in (line.split("\t") for line in found.splitlines())]
    print(f"machine: {platform.processor() or platform.machine()}, python "
          f"{platform.python_version()}, CSL entries {len(entries):,}")
    print(f"{'call':49} {'p50 ms':>8} {'p99 ms':>8} {'calls':>7}")
    for name, p50, p99, n in rows:
        print(f"{name:49} {p50:8.2f} {p99:8.2f} {n:7,}")


def _caller(screener):
    """One check call, in the request form of this code, or the keyword form of code before
    `CheckRequest` (a `--reference` checkout)."""
    if "request" not in inspect.signature(check).parameters:
        return lambda t, d: check(on=d, screener=screener, **t)
    from exportguard.check import CheckRequest

    return lambda t, d: check(CheckRequest(date=d, **{**t, "parties": tuple(t["parties"])}),
                              screener_for=lambda _day: screener)


if __name__ == "__main__":
    main()
