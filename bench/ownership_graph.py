"""Ownership queries on a graph of 100,000 companies, against the full reference CSL.

The graph: groups of 2 to 60 companies, each a tree a few levels deep (every company owned by 1 to
3 group members above it, shares from 10 % to 100 %), with cross-holdings between groups and a
few cycles; 2 % of the group roots are real listed names from the CSL (Entity List, MEU, SDN).

    .venv/bin/python bench/ownership_graph.py [--companies 100000] [--queries 300]

Prints the time to build the graph and the latency of `ownership_of` (owners up the graph,
screening of every owner on the date, the rules) for random companies.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from _common import entries_cached, percentile
from exportguard.lists.starter import with_local_names
from exportguard.ownership import ownership_of
from exportguard.screening import Screener
from exportguard.store import Store
from exportguard.store.ownership import OwnershipStore


def build(n: int, listed_names: list[tuple[str, str | None]], seed: int = 5):
    rng = random.Random(seed)
    companies: list[tuple[str, str | None, str | None, str]] = []
    edges = []
    group = 0
    while len(companies) < n:
        size = min(rng.randint(2, 60), n - len(companies))
        start = len(companies)
        if rng.random() < 0.02:
            root, country = rng.choice(listed_names)
        else:
            root, country = f"Group {group} Holdings Ltd", rng.choice(["CN", "HK"])
        companies.append((root, country, "HK", "bench"))
        for i in range(1, size):
            companies.append((f"Group {group} Subsidiary {i} Co Ltd",
                              rng.choice(["CN", "JP", "SG", "DE", "US"]), None, "bench"))
            owned = start + i
            owners = rng.sample(range(start, owned), k=min(rng.randint(1, 3), i))
            left = 100.0
            for owner in owners:
                share = round(rng.uniform(10, left), 1) if owner != owners[-1] else left
                left -= share
                edges.append((owner, owned, share if rng.random() > 0.02 else None, True,
                              date(2020, 1, 1), None, "bench"))
                if left <= 0:
                    break
        if group and rng.random() < 0.05:  # a cross-holding with the previous group
            edges.append((start, start - 1, 20.0, True, date(2020, 1, 1), None, "bench"))
            if rng.random() < 0.3:  # and back: a cycle
                edges.append((start - 1, start, 15.0, True, date(2020, 1, 1), None, "bench"))
        group += 1
    return companies, edges


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--companies", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args()
    entries = entries_cached()
    listed = [(e.name, next((c for c in e.countries if len(c) == 2), None)) for e in entries
              if e.list_code in ("EL", "MEU", "SDN") and e.type != "Individual"][:2000]
    screener = Screener.from_entries([with_local_names(e) for e in entries])
    with tempfile.TemporaryDirectory() as work:
        os.environ["EXPORTGUARD_HOME"] = work
        store = Store(f"sqlite:///{Path(work) / 'eg.db'}")
        owners = OwnershipStore(store)
        companies, edges = build(args.companies, listed)
        started = time.perf_counter()
        owners.add(companies, edges)
        load_seconds = time.perf_counter() - started
        rng = random.Random(9)
        names = [name for name, *_ in companies]
        sample = rng.sample(range(len(names)), args.queries)
        timings, owners_seen, covered = [], [], 0
        for number in sample:
            name, country = companies[number][0], companies[number][1]
            started = time.perf_counter()
            finding = ownership_of(owners, screener, name, country, date(2025, 10, 15))
            timings.append((time.perf_counter() - started) * 1000)
            owners_seen.append(len(finding.graph.companies) - 1)
            covered += finding.coverage["affiliates-rule"].covered
    timings.sort()
    print(f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores; "
          f"{len(companies):,} companies, {len(edges):,} edges")
    print("| measure | value |")
    print("|---|---|")
    print(f"| graph import (one transaction) | {load_seconds:.1f} s |")
    print(f"| owners per query, mean / max | {statistics.mean(owners_seen):.1f} / "
          f"{max(owners_seen)} |")
    print(f"| query latency p50 / p90 / p99 / max | {percentile(timings, 0.5):.1f} / "
          f"{percentile(timings, 0.9):.1f} / {percentile(timings, 0.99):.1f} / "
          f"{timings[-1]:.1f} ms |")
    print(f"| companies covered by the affiliates rule in the sample | {covered} of "
          f"{len(sample)} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
