"""Batch screening throughput and peak memory against the full reference CSL.

Each run is the real command (`python -m exportguard batch`) in a fresh process on a synthetic
book (`_common.synthetic_book`: real unlisted company names, recombinations, 2 % variants of
listed names), so start-up, reading, writing and the index load are all counted. The index is
built and cached once beforehand, as a user's second run finds it.

    .venv/bin/python bench/batch.py --rows 100000                  # local 1 and 2 workers, spark
    .venv/bin/python bench/batch.py --rows 100000 --shares         # + fork vs load comparison
    .venv/bin/python bench/batch.py --rows 1000000 --runs local2   # one configuration
    .venv/bin/python bench/batch.py --rows 100000 --runs local2 --books repeated,distinct \
        --reference /tmp/eg-main                                    # beside another checkout

Books (`--books`): `mixed` is `synthetic_book` as it comes (8 % of its rows repeat a (name,
country) pair); `repeated` writes `rows / 5` distinct counterparties five times on average, each
time as a clerk might (as is, upper case, punctuation dropped, spaces doubled, title case), as
real books hold the same party from several branches; `distinct` keeps only names that no earlier
row has, even after case, punctuation and legal forms are dropped (`simple_norm`). `--reference
DIR` runs every configuration a second time with `DIR/src` first on the path (e.g. a
`git archive` of main), in the same run, so the two are measured under the same load.

Peak memory is sampled by the run itself (psutil): RSS summed over the process and its
children, and PSS, which counts pages shared by forked workers once.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import (
    BENCH_DIR,
    CSL_COMPACT,
    entries_cached,
    matcher_fingerprint,
    simple_norm,
    synthetic_book,
)

OUT = BENCH_DIR / "out"
RUNS = {
    "local1": ["--engine", "local", "--workers", "1"],
    "local2": ["--engine", "local", "--workers", "2"],
    "local2-load": ["--engine", "local", "--workers", "2", "--share", "load"],
    "spark2": ["--engine", "spark", "--workers", "2"],
}


BOOKS = ("mixed", "repeated", "distinct")


def write_book(rows: int, path: Path, kind: str = "mixed") -> None:
    if path.exists():
        return
    book = _book(rows, kind)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name", "country"])
        writer.writerows(book)


def _book(rows: int, kind: str) -> list[tuple[str, str, str]]:
    entries = entries_cached()
    if kind == "mixed":
        return synthetic_book(rows, entries)
    if kind == "distinct":
        seen: set[str] = set()
        book: list[tuple[str, str, str]] = []
        seed = 7
        while len(book) < rows:
            for _, name, country in synthetic_book(rows, entries, seed=seed):
                key = simple_norm(name)
                if key not in seen and len(book) < rows:
                    seen.add(key)
                    book.append((f"C{len(book):07d}", name, country))
            seed += 1
        return book
    rng = random.Random(11)
    parties = synthetic_book(max(1, rows // 5), entries, seed=13)
    return [(f"C{number:07d}", _as_written(name, rng), country)
            for number, (_, name, country) in enumerate(rng.choice(parties)
                                                        for _ in range(rows))]


def _as_written(name: str, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.5:
        return name
    if roll < 0.65:
        return name.upper()
    if roll < 0.8:
        return name.replace(",", "").replace(".", "")
    if roll < 0.9:
        return "  ".join(name.split()) + " "
    return name.title()


def prepare_store(home: Path, src: Path) -> dict[str, str]:
    """A fresh data directory with the full CSL loaded and its index cached, for the code in
    `src`."""
    env = {**os.environ, "EXPORTGUARD_HOME": str(home), "PYTHONPATH": str(src)}
    env.pop("EXPORTGUARD_DB", None)
    for command in (["load", str(CSL_COMPACT)], ["screen", "Huawei Technologies"]):
        subprocess.run([sys.executable, "-m", "exportguard", *command], env=env, check=True,
                       stdout=subprocess.DEVNULL)
    return env


def run(name: str, source: Path, env: dict[str, str], chunk_size: int,
        code: str = "this") -> dict:
    output = OUT / f"batch-{name}-{code}-{source.stem}.parquet"
    command = [sys.executable, "-m", "exportguard", "batch", str(source), "--out", str(output),
               "--restart", "--json", "--chunk-size", str(chunk_size), *RUNS[name]]
    started = time.perf_counter()
    done = subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    wall = time.perf_counter() - started
    meta = json.loads(done.stdout)
    return {"run": name, "code": code, "book": source.stem.split("-")[2], "rows": meta["rows"],
            "wall_seconds": round(wall, 1),
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
    parser.add_argument("--books", default="mixed", help=f"comma-separated, of {', '.join(BOOKS)}")
    parser.add_argument("--reference", type=Path,
                        help="a checkout (its src/) to run beside this one, e.g. main")
    parser.add_argument("--json", type=Path, help="write the results here too")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    names = args.runs.split(",") + (["local2-load"] if args.shares else [])
    codes = {"this": BENCH_DIR.parent / "src"}
    if args.reference:
        codes["reference"] = args.reference / "src"
    results = []
    for code, src in codes.items():
        with tempfile.TemporaryDirectory(prefix="eg-bench-batch-") as home:
            env = prepare_store(Path(home), src)
            for book in args.books.split(","):
                source = OUT / f"book-{args.rows}-{book}.csv"
                write_book(args.rows, source, book)
                for name in names:
                    results.append(run(name, source, env, args.chunk_size, code))
                    print(json.dumps(results[-1]), file=sys.stderr, flush=True)
    base = next((r for r in results if r["run"] == "local1"), None)
    print(f"{args.rows:,} synthetic names against {CSL_COMPACT.name}; "
          f"matcher {matcher_fingerprint()}")
    print("| book | code | run | rows/s | wall s | peak RSS sum MiB | peak PSS MiB | processes "
          "| vs 1 worker |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in results:
        scale = f"{r['rows_per_second'] / base['rows_per_second']:.2f}x" if base else "-"
        print(f"| {r['book']} | {r['code']} | {r['run']} | {r['rows_per_second']:,.0f} | "
              f"{r['wall_seconds']:,.1f} | "
              f"{r['peak_rss_mib']:,.0f} | {r['peak_pss_mib']:,.0f} | {r['processes']} | "
              f"{scale} |")
    for r in results:
        print(f"decisions ({r['book']}, {r['code']}, {r['run']}): {r['decisions']}")
    if args.json:
        args.json.write_text(json.dumps({"matcher_fingerprint": matcher_fingerprint(),
                                         "rows": args.rows, "results": results}, indent=2))


if __name__ == "__main__":
    main()
