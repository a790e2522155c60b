"""Speed and memory of exportguard's Screener on the full reference CSL.

Measures: parse time (compact JSON -> ListEntry), index build time (Screener.from_entries), resident
memory (psutil RSS) before/after each step, single-name latency p50/p99 over ~2,000 queries from
the labelled set (time.perf_counter around each screen() call, in-process, after one warm-up
pass over 50 queries; also in this thread's CPU time, which a shared machine distorts less), and
names per second on one core (BLAS/OpenMP pools pinned to 1 thread).

    .venv/bin/python bench/speed.py [--queries 2000] [--json out.json]

`--profile-tail 0.05` profiles only the slowest 5 % of the timed queries: after the warm-up the
process forks; the child times the queries as usual (and prints the table), the parent, whose
caches are as the child's were before its first timed query, then screens the same queries in
the same order with cProfile (CPU-time timer) on only those that were slowest in the child's
CPU time, and prints cProfile's top lines (`--profile-top`, by own time and by cumulative time).
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

from _common import (  # noqa: E402
    CSL_COMPACT,
    import_screener,
    load_entries,
    matcher_fingerprint,
    percentile,
    profile_some,
)


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
    parser.add_argument("--profile-tail", type=float, metavar="SHARE",
                        help="profile the slowest SHARE of the queries (e.g. 0.05), see above")
    parser.add_argument("--profile-top", type=int, default=25, help="profile lines printed")
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
    if args.profile_tail:
        return _profile_tail(screener, queries, args)
    lat: list[float] = []
    lat_cpu: list[float] = []  # this thread's CPU time: less sensitive to a shared machine
    stats = _timed(screener, queries, lat, lat_cpu)
    stats.update({
        "matcher_fingerprint": matcher_fingerprint(),
        "entries": len(entries),
        "names_indexed": sum(1 + len(e.alt_names) for e in entries),
        "parse_s": parse_s,
        "build_s": build_s,
        "build_cpu_s": build_cpu_s,
        "load_s": parse_s + build_s,
        **flat_s,
        "pinned_one_core": pinned,
        "rss_start_mib": rss_start,
        "rss_imported_mib": rss_imported,
        "rss_parsed_mib": rss_parsed,
        "rss_built_mib": rss_built,
        "index_mib": rss_built - rss_parsed,
        "entries_mib": rss_parsed - rss_imported,
    })
    _report(stats, args)
    return 0


def _timed(screener, queries: list[str], lat: list[float], lat_cpu: list[float]) -> dict:
    """Screens `queries` one by one, appending each one's wall and CPU time (in query order) to
    `lat` and `lat_cpu`; the latency statistics."""
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
    lat = sorted(lat)
    lat_cpu = sorted(lat_cpu)
    return {
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
        "rss_after_queries_mib": rss_mib(),
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,  # KiB
    }


def _profile_tail(screener, queries: list[str], args: argparse.Namespace) -> int:
    """See the module's docstring: the child times, the parent profiles the slow tail."""
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # the timed run, as without the option
        os.close(read)
        lat: list[float] = []
        lat_cpu: list[float] = []
        stats = _timed(screener, queries, lat, lat_cpu)
        stats["pinned_one_core"] = True
        _report(stats, args, brief=True)
        sys.stdout.flush()
        with os.fdopen(write, "w") as handle:
            json.dump(lat_cpu, handle)
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as handle:
        lat_cpu = json.load(handle)
    os.waitpid(child, 0)
    count = max(1, round(len(queries) * args.profile_tail))
    slow = set(sorted(range(len(queries)), key=lambda i: -lat_cpu[i])[:count])
    tail_cpu = sorted(lat_cpu[i] for i in slow)
    in_han = sum(1 for i in slow if any("\u4e00" <= c <= "\u9fff" for c in queries[i]))
    print(f"\nslowest {count} queries ({args.profile_tail:.0%}) by CPU time in the timed run: "
          f"{tail_cpu[0] * 1000:.2f}-{tail_cpu[-1] * 1000:.2f} ms, sum "
          f"{sum(tail_cpu) * 1000:.0f} ms of {sum(lat_cpu) * 1000:.0f} ms; "
          f"{in_han} of them in Chinese characters")
    profile_some(screener, queries, slow, ("tottime", "cumulative"), args.profile_top,
                 "those queries")
    return 0


def _report(stats: dict, args: argparse.Namespace, brief: bool = False) -> None:
    pinned = stats["pinned_one_core"]
    latency_rows = [
        ("queries timed", f"{stats['queries']:,} (limit=10, default threshold)"),
        ("latency p50 / p90 / p99 / max",
         f"{stats['p50_ms']:.2f} / {stats['p90_ms']:.2f} / {stats['p99_ms']:.2f} / "
         f"{stats['max_ms']:.1f} ms"),
        ("latency in CPU time p50 / p99",
         f"{stats['cpu_p50_ms']:.2f} / {stats['cpu_p99_ms']:.2f} ms"),
        ("throughput, one core",
         f"{stats['names_per_s']:,.0f} names/s "
         f"(cpu/wall {stats['cpu_per_wall']:.2f}{', pinned' if pinned else ''})"),
    ]
    if brief:
        rows = [("load average at the end (1 / 5 / 15 min)",
                 " / ".join(f"{v:.1f}" for v in os.getloadavg())), *latency_rows]
    else:
        rows = _full_rows(stats, latency_rows)
    _print_rows(rows)
    if args.json and not brief:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(stats, indent=1), encoding="utf-8")
        print(f"wrote {args.json}")


def _full_rows(stats: dict, latency_rows: list) -> list:
    parse_s, build_s, build_cpu_s = stats["parse_s"], stats["build_s"], stats["build_cpu_s"]
    rss = " / ".join(f"{stats[f'rss_{k}_mib']:.0f}" for k in (
        "start", "imported", "parsed", "built", "after_queries"))
    return [
        ("matcher source fingerprint", stats["matcher_fingerprint"]),
        ("load average at the end (1 / 5 / 15 min)",
         " / ".join(f"{v:.1f}" for v in os.getloadavg())),
        ("CSL entries / names+aliases", f"{stats['entries']:,} / {stats['names_indexed']:,}"),
        ("parse (compact JSON -> entries)", f"{parse_s:.2f} s"),
        ("build index (Screener.from_entries), wall / CPU", f"{build_s:.2f} / {build_cpu_s:.2f} s"),
        ("load time (parse + build)", f"{parse_s + build_s:.2f} s"),
        ("index file: write / read (mmap) / first screen after read",
         f"{stats['index_write_s']:.2f} s / {stats['index_read_s'] * 1000:.1f} ms / "
         f"{stats['first_screen_after_read_s'] * 1000:.1f} ms "
         f"({stats['index_file_mib']:.0f} MiB)"),
        *latency_rows,
        ("RSS: start / imports / parsed / built / after queries", f"{rss} MiB"),
        ("RSS of entries / of index", f"{stats['entries_mib']:.0f} / {stats['index_mib']:.0f} MiB"),
        ("peak RSS", f"{stats['peak_rss_mib']:.0f} MiB"),
    ]


def _print_rows(rows: list) -> None:
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


if __name__ == "__main__":
    sys.exit(main())
