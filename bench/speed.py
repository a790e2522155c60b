"""Speed and memory of exportguard's Screener on the full reference CSL.

Measures: parse time (compact JSON -> ListEntry), index build time (Screener.from_entries), resident
memory (psutil RSS) before/after each step, single-name latency p50/p99 over ~2,000 queries from
the labelled set (time.perf_counter around each screen() call, in-process, after one warm-up
pass over 50 queries; also in this thread's CPU time, which a shared machine distorts less), and
names per second on one core (BLAS/OpenMP pools pinned to 1 thread).

    .venv/bin/python bench/speed.py [--queries 2000] [--json out.json]
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # one core: before numpy is imported anywhere

import argparse  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import CSL_COMPACT, import_screener, load_entries, matcher_fingerprint, percentile  # noqa: E402


def rss_mib() -> float:
    import psutil

    return psutil.Process().memory_info().rss / 2**20


def _index_file_times(screener) -> dict[str, float]:
    """Write the built index as the CLI's cache file, read it back memory-mapped and screen one
    name on it: what a new `exportguard screen` process pays for the index."""
    import tempfile

    from exportguard.screening import Screener
    from exportguard.screening.index import NameIndex

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "index.flat"
        t0 = time.perf_counter()
        screener.index.write(path)
        write_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        index = NameIndex.read(path)
        read_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        Screener(index).screen("Megvii Technology")
        first_s = time.perf_counter() - t0
        size = path.stat().st_size
    return {"index_write_s": write_s, "index_read_s": read_s,
            "first_screen_after_read_s": first_s, "index_file_mib": size / 2**20}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Screener speed and memory.")
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)

    try:
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # really one core
        pinned = True
    except (AttributeError, OSError):
        pinned = False

    gc.collect()
    rss_start = rss_mib()
    Screener, _ = import_screener()
    import exportguard.lists.csl  # noqa: F401  (import cost kept out of the parse time)

    gc.collect()
    rss_imported = rss_mib()
    t0 = time.perf_counter()
    entries = load_entries(CSL_COMPACT)
    parse_s = time.perf_counter() - t0
    gc.collect()
    rss_parsed = rss_mib()
    t0 = time.perf_counter()
    c0 = time.process_time()
    screener = Screener.from_entries(entries)
    build_cpu_s = time.process_time() - c0
    build_s = time.perf_counter() - t0
    gc.collect()
    rss_built = rss_mib()
    flat_s = _index_file_times(screener)

    from labelled import build_labelled_set

    pairs = build_labelled_set(entries)
    queries = [p.query for p in pairs]
    rng = random.Random(7)
    rng.shuffle(queries)
    while len(queries) < args.queries:
        queries += queries
    queries = queries[: args.queries]

    for q in queries[:50]:  # warm-up (lazy caches, first-call costs)
        screener.screen(q, limit=10)
    lat: list[float] = []
    lat_cpu: list[float] = []  # this thread's CPU time: less sensitive to a shared machine
    t_all = time.perf_counter()
    cpu0 = time.process_time()
    for q in queries:
        t = time.perf_counter()
        c = time.thread_time()
        screener.screen(q, limit=10)
        lat_cpu.append(time.thread_time() - c)
        lat.append(time.perf_counter() - t)
    wall = time.perf_counter() - t_all
    cpu = time.process_time() - cpu0
    lat.sort()
    lat_cpu.sort()
    rss_after = rss_mib()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux

    stats = {
        "matcher_fingerprint": matcher_fingerprint(),
        "entries": len(entries),
        "names_indexed": sum(1 + len(e.alt_names) for e in entries),
        "parse_s": parse_s,
        "build_s": build_s,
        "build_cpu_s": build_cpu_s,
        "load_s": parse_s + build_s,
        **flat_s,
        "queries": len(queries),
        "p50_ms": percentile(lat, 0.50) * 1000,
        "p90_ms": percentile(lat, 0.90) * 1000,
        "p99_ms": percentile(lat, 0.99) * 1000,
        "max_ms": lat[-1] * 1000,
        "cpu_p50_ms": percentile(lat_cpu, 0.50) * 1000,
        "cpu_p99_ms": percentile(lat_cpu, 0.99) * 1000,
        "mean_ms": sum(lat) / len(lat) * 1000,
        "names_per_s": len(queries) / wall,
        "cpu_per_wall": cpu / wall if wall else float("nan"),
        "pinned_one_core": pinned,
        "rss_start_mib": rss_start,
        "rss_imported_mib": rss_imported,
        "rss_parsed_mib": rss_parsed,
        "rss_built_mib": rss_built,
        "rss_after_queries_mib": rss_after,
        "index_mib": rss_built - rss_parsed,
        "entries_mib": rss_parsed - rss_imported,
        "peak_rss_mib": peak,
    }
    rows = [
        ("matcher source fingerprint", stats["matcher_fingerprint"]),
        ("load average at the end (1 / 5 / 15 min)",
         " / ".join(f"{v:.1f}" for v in os.getloadavg())),
        ("CSL entries / names+aliases", f"{stats['entries']:,} / {stats['names_indexed']:,}"),
        ("parse (compact JSON -> entries)", f"{parse_s:.2f} s"),
        ("build index (Screener.from_entries), wall / CPU", f"{build_s:.2f} / {build_cpu_s:.2f} s"),
        ("load time (parse + build)", f"{parse_s + build_s:.2f} s"),
        ("index file: write / read (mmap) / first screen after read",
         f"{flat_s['index_write_s']:.2f} s / {flat_s['index_read_s'] * 1000:.1f} ms / "
         f"{flat_s['first_screen_after_read_s'] * 1000:.1f} ms "
         f"({flat_s['index_file_mib']:.0f} MiB)"),
        ("queries timed", f"{len(queries):,} (limit=10, default threshold)"),
        (
            "latency p50 / p90 / p99 / max",
            f"{stats['p50_ms']:.2f} / {stats['p90_ms']:.2f} / {stats['p99_ms']:.2f} / "
            f"{stats['max_ms']:.1f} ms",
        ),
        ("latency in CPU time p50 / p99",
         f"{stats['cpu_p50_ms']:.2f} / {stats['cpu_p99_ms']:.2f} ms"),
        (
            "throughput, one core",
            f"{stats['names_per_s']:,.0f} names/s "
            f"(cpu/wall {stats['cpu_per_wall']:.2f}{', pinned' if pinned else ''})",
        ),
        (
            "RSS: start / imports / parsed / built / after queries",
            f"{rss_start:.0f} / {rss_imported:.0f} / {rss_parsed:.0f} / {rss_built:.0f} / "
            f"{rss_after:.0f} MiB",
        ),
        ("RSS of entries / of index", f"{stats['entries_mib']:.0f} / {stats['index_mib']:.0f} MiB"),
        ("peak RSS", f"{peak:.0f} MiB"),
    ]
    try:
        from rich.console import Console
        from rich.table import Table

        table = Table(title="exportguard Screener: speed and memory (full reference CSL)")
        table.add_column("measure")
        table.add_column("value")
        for r in rows:
            table.add_row(*r)
        Console(width=160).print(table)
    except ImportError:
        for r in rows:
            print(f"{r[0]:<50} {r[1]}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(stats, indent=1), encoding="utf-8")
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
