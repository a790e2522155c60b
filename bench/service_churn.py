"""Screen latency while the lists change: a steady stream of /api/v1/screen requests, first on
its own (the reference), then while a full list load runs (a new snapshot of the whole CSL, so
every screener is indexed again) and an API batch is screened.

    .venv/bin/python bench/service_churn.py [--db URL] [--rate 20] [--batch-rows 5000]

The server is `exportguard serve` (one worker) on a fresh store (SQLite by default; `--db` for
PostgreSQL, in a schema of its own dropped afterwards) holding the compact CSL of 2026-07-31.
One client thread sends screens at `--rate` per second (names from bench/_common.synthetic_book)
and records each latency; a screen is late when it takes over 1 s. Prints one table row per
phase: screens, p50/p99/max, screens over 1 s, errors. The client, the load and the server share
the machine's cores.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid

import httpx

from _common import CSL_COMPACT, REPO_ROOT, entries_cached, synthetic_book
from service_load import EXPORTGUARD, _free_port, _run, _wait


class Screens(threading.Thread):
    """Screens at a steady rate until stopped; latencies by phase."""

    def __init__(self, base: str, secret: str, bodies: list[dict], rate: float) -> None:
        super().__init__(daemon=True)
        self.base, self.bodies, self.rate = base, bodies, rate
        self.headers = {"Authorization": f"Bearer {secret}"}
        self.phase = "reference"
        self.results: dict[str, list[float]] = {}
        self.errors: dict[str, int] = {}
        self.snapshot_ids: list[int] = []
        self.stop = threading.Event()

    def run(self) -> None:
        with httpx.Client(base_url=self.base, timeout=120) as client:
            n = 0
            while not self.stop.is_set():
                started = time.monotonic()
                phase = self.phase
                try:
                    answer = client.post("/api/v1/screen", json=self.bodies[n % len(self.bodies)],
                                         headers=self.headers)
                    ok = answer.status_code == 200
                    if ok:
                        self.snapshot_ids = answer.json()["snapshot"]["ids"]
                except httpx.HTTPError:
                    ok = False
                elapsed = time.monotonic() - started
                self.results.setdefault(phase, []).append(elapsed)
                if not ok:
                    self.errors[phase] = self.errors.get(phase, 0) + 1
                n += 1
                time.sleep(max(0.0, 1.0 / self.rate - elapsed))


def _pg_schema(url: str) -> tuple[str, str]:
    from sqlalchemy import create_engine, text

    schema = f"eg_bench_{uuid.uuid4().hex[:8]}"
    with create_engine(url).begin() as connection:
        connection.execute(text(f'create schema "{schema}"'))
    return f"{url}?options=-csearch_path%3D{schema}", schema


def _drop_schema(url: str, schema: str) -> None:
    from sqlalchemy import create_engine, text

    with create_engine(url).begin() as connection:
        connection.execute(text(f'drop schema "{schema}" cascade'))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", help="A PostgreSQL URL (default: SQLite in a temporary folder)")
    parser.add_argument("--rate", type=float, default=20.0, help="screens per second")
    parser.add_argument("--reference-seconds", type=float, default=30.0)
    parser.add_argument("--batch-rows", type=int, default=5000)
    args = parser.parse_args()
    book = synthetic_book(2000, entries_cached(), seed=29)
    bodies = [{"name": name, "country": country or None, "customer_id": ref}
              for ref, name, country in book]
    schema = None
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as work:
        env = {**os.environ, "EXPORTGUARD_HOME": work, "EXPORTGUARD_RATE_PER_SECOND": "100000"}
        if args.db:
            env["EXPORTGUARD_DB"], schema = _pg_schema(args.db)
        try:
            _run([str(EXPORTGUARD), "load", str(CSL_COMPACT), "--no-audit"], env)
            secret = json.loads(_run([str(EXPORTGUARD), "keys", "create", "churn", "--role",
                                      "screener", "--json"], env))["secret"]
            port = _free_port()
            server = subprocess.Popen(
                [str(EXPORTGUARD), "serve", "--port", str(port), "--workers", "1"], env=env,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            base = f"http://127.0.0.1:{port}"
            try:
                _wait(f"{base}/api/v1/health")
                screens = Screens(base, secret, bodies, args.rate)
                screens.start()
                time.sleep(args.reference_seconds)
                before = list(screens.snapshot_ids)

                screens.phase = "full load + batch"
                started = time.monotonic()
                rows = [{"id": str(i), "name": bodies[i % len(bodies)]["name"]}
                        for i in range(args.batch_rows)]
                submitted = httpx.post(f"{base}/api/v1/batches", json={"rows": rows},
                                       headers={"Authorization": f"Bearer {secret}"},
                                       timeout=120).json()
                load = subprocess.run([str(EXPORTGUARD), "load", str(CSL_COMPACT), "--force",
                                       "--no-audit"], env=env, capture_output=True, text=True)
                loaded_after = time.monotonic() - started
                if load.returncode != 0:
                    raise SystemExit(load.stderr)
                batch_after = swapped_after = None
                while time.monotonic() - started < 600 and (batch_after is None
                                                             or swapped_after is None):
                    if swapped_after is None and screens.snapshot_ids != before:
                        swapped_after = time.monotonic() - started
                    if batch_after is None:
                        status = httpx.get(f"{base}{submitted['status_url']}",
                                           params={"results": "false"},
                                           headers={"Authorization": f"Bearer {secret}"},
                                           timeout=120).json()
                        if status["status"] in ("done", "failed"):
                            batch_after = time.monotonic() - started
                    time.sleep(0.5)
                screens.phase = "after"
                time.sleep(10)
                screens.stop.set()
                screens.join(130)
            finally:
                server.terminate()
                server.wait(30)
        finally:
            if schema is not None:
                _drop_schema(args.db, schema)
    database = "PostgreSQL" if args.db else "SQLite"
    print(f"\nScreens during list changes, {time.strftime('%Y-%m-%d')}, {platform.node()}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}; {database}; one worker; "
          f"{args.rate:g} screens/s; CSL {CSL_COMPACT.name}. Full load done after "
          f"{loaded_after:.1f} s, new index serving after {swapped_after or float('nan'):.1f} s, "
          f"batch of {args.batch_rows:,} rows done after {batch_after or float('nan'):.1f} s; "
          f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after\n")
    print("| phase | screens | p50 ms | p99 ms | max ms | over 1 s | errors |")
    print("|---|---|---|---|---|---|---|")
    for phase, times in screens.results.items():
        ordered = sorted(times)
        p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
        print(f"| {phase} | {len(times):,} | {statistics.median(times) * 1000:.0f} | "
              f"{p99 * 1000:.0f} | {max(times) * 1000:.0f} | "
              f"{sum(t > 1.0 for t in times)} | {screens.errors.get(phase, 0)} |")
    return 0


if __name__ == "__main__":
    os.chdir(REPO_ROOT)
    sys.exit(main())
