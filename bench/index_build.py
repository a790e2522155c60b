"""Cost of building the name index from the full reference CSL: a cold build (a new process, as
the service's child process that indexes a new list pays it) and a rebuild in the same process
(the names' normalised forms already cached in memory), in CPU time (what a loaded machine
distorts least) and wall time. `--before SRC` runs the same from another source tree (e.g.
`git archive OLD src | tar -x -C DIR`), each round one process per tree, interleaved.

    .venv/bin/python bench/index_build.py [--rounds 3] [--before DIR/src] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _common import BENCH_DIR, REPO_ROOT, load_entries


def measure() -> dict[str, float]:
    """One cold build and one rebuild in this process."""
    from exportguard.screening.index import NameIndex

    entries = load_entries()
    out: dict[str, float] = {}
    for label in ("cold", "rebuild"):
        wall, cpu = time.perf_counter(), time.process_time()
        NameIndex(entries)
        out[f"{label}_cpu_s"] = time.process_time() - cpu
        out[f"{label}_wall_s"] = time.perf_counter() - wall
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Index build time, cold and rebuilt.")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--before", type=Path, help="another source tree's src directory")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(measure()))
        return 0
    trees = {"this tree": REPO_ROOT / "src"}
    if args.before:
        trees = {"before": args.before.resolve(), **trees}
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in trees}
    for _ in range(args.rounds):
        for name, src in trees.items():
            env = {**os.environ, "PYTHONPATH": str(src)}
            done = subprocess.run(["taskset", "-c", "1", sys.executable,
                                   str(BENCH_DIR / "index_build.py"), "--one"],
                                  env=env, check=True, capture_output=True, text=True)
            runs[name].append(json.loads(done.stdout.splitlines()[-1]))
    load = " / ".join(f"{v:.1f}" for v in os.getloadavg())
    print(f"index build, full reference CSL, {args.rounds} interleaved rounds, one core; "
          f"load average at the end {load}")
    print(f"{'tree':<10} {'cold CPU s':>11} {'cold wall s':>12} {'rebuild CPU s':>14} "
          f"{'rebuild wall s':>15}   (median; min in brackets)")
    summary: dict[str, dict[str, float]] = {}
    for name, rows in runs.items():
        summary[name] = {key: statistics.median(r[key] for r in rows) for key in rows[0]}
        cells = [f"{statistics.median(r[k] for r in rows):.2f} ({min(r[k] for r in rows):.2f})"
                 for k in ("cold_cpu_s", "cold_wall_s", "rebuild_cpu_s", "rebuild_wall_s")]
        print(f"{name:<10} {cells[0]:>11} {cells[1]:>12} {cells[2]:>14} {cells[3]:>15}")
    if args.json:
        args.json.write_text(json.dumps({"load": load, "runs": runs, "median": summary},
                                        indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
