"""Batch screening throughput and peak memory against the full reference CSL.

Each run is the real command (`python -m exportguard batch`) in a fresh process on a synthetic
book (`_common.synthetic_book`: real unlisted company names, recombinations, 2 % variants of
listed names), so start-up, reading, writing and the index load are all counted. The index is
built and cached once beforehand, as a user's second run finds it.

    .venv/bin/python bench/batch.py --rows 100000                  # local 1 and 2 workers, spark
    .venv/bin/python bench/batch.py --rows 100000 --shares         # + fork vs load comparison
    .venv/bin/python bench/batch.py --rows 1000000 --runs local2   # one configuration

Peak memory is sampled by the run itself (psutil): RSS summed over the process and its
children, and PSS, which counts pages shared by forked workers once.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import BENCH_DIR, CSL_COMPACT, entries_cached, matcher_fingerprint, synthetic_book

OUT = BENCH_DIR / "out"
RUNS = {
    "local1": ["--engine", "local", "--workers", "1"],
    "local2": ["--engine", "local", "--workers", "2"],
    "local2-load": ["--engine", "local", "--workers", "2", "--share", "load"],
    "spark2": ["--engine", "spark", "--workers", "2"],
}


def write_book(rows: int, path: Path) -> None:
    if path.exists():
        return
    book = synthetic_book(rows, entries_cached())
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name", "country"])
        writer.writerows(book)


def prepare_store(home: Path) -> dict[str, str]:
    """A fresh data directory with the full CSL loaded and its index cached."""
    env = {**os.environ, "EXPORTGUARD_HOME": str(home)}
    env.pop("EXPORTGUARD_DB", None)
    for command in (["load", str(CSL_COMPACT)], ["screen", "Huawei Technologies"]):
        subprocess.run([sys.executable, "-m", "exportguard", *command], env=env, check=True,
                       stdout=subprocess.DEVNULL)
    return env


def run(name: str, source: Path, env: dict[str, str], chunk_size: int) -> dict:
    output = OUT / f"batch-{name}-{source.stem}.parquet"
    command = [sys.executable, "-m", "exportguard", "batch", str(source), "--out", str(output),
               "--restart", "--json", "--chunk-size", str(chunk_size), *RUNS[name]]
    started = time.perf_counter()
    done = subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    wall = time.perf_counter() - started
    meta = json.loads(done.stdout)
    return {"run": name, "rows": meta["rows"], "wall_seconds": round(wall, 1),
            "screen_seconds": meta["seconds"], "rows_per_second": round(meta["rows"] / wall, 1),
            "peak_rss_mib": meta["peak_memory"]["rss_mib"],
            "peak_pss_mib": meta["peak_memory"]["pss_mib"],
            "processes": meta["peak_memory"]["processes"], "decisions": meta["decisions"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", default="local1,local2,spark2",
                        help=f"comma-separated, of {', '.join(RUNS)}")
    parser.add_argument("--shares", action="store_true", help="add local2-load")
    parser.add_argument("--chunk-size", type=int, default=2_000)
    parser.add_argument("--json", type=Path, help="write the results here too")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    source = OUT / f"book-{args.rows}.csv"
    write_book(args.rows, source)
    names = args.runs.split(",") + (["local2-load"] if args.shares else [])
    results = []
    with tempfile.TemporaryDirectory(prefix="eg-bench-batch-") as home:
        env = prepare_store(Path(home))
        for name in names:
            results.append(run(name, source, env, args.chunk_size))
            print(json.dumps(results[-1]), file=sys.stderr, flush=True)
    base = next((r for r in results if r["run"] == "local1"), None)
    print(f"{args.rows:,} synthetic names against {CSL_COMPACT.name}; "
          f"matcher {matcher_fingerprint()}")
    print("| run | rows/s | wall s | peak RSS sum MiB | peak PSS MiB | processes | vs 1 worker |")
    print("|---|---|---|---|---|---|---|")
    for r in results:
        scale = f"{r['rows_per_second'] / base['rows_per_second']:.2f}x" if base else "-"
        print(f"| {r['run']} | {r['rows_per_second']:,.0f} | {r['wall_seconds']:,.1f} | "
              f"{r['peak_rss_mib']:,.0f} | {r['peak_pss_mib']:,.0f} | {r['processes']} | "
              f"{scale} |")
    if results:
        print(f"decisions: {results[0]['decisions']}")
    if args.json:
        args.json.write_text(json.dumps({"matcher_fingerprint": matcher_fingerprint(),
                                         "rows": args.rows, "results": results}, indent=2))


if __name__ == "__main__":
    main()
