"""Which names make the single-name tail: each of `bench/speed.py`'s queries (the labelled set,
seeded shuffle, same warm-up) timed in CPU time in several forked children, each query's least
time kept (a query preempted or slowed in one child is read from another), then the slowest share
listed with what they are (script, words, forms, candidates, scored names) and, with
`--profile`, cProfile (CPU-time timer) over only those queries.

    PYTHONPATH=src .venv/bin/python bench/tail.py [--queries 2000] [--children 3] [--share 0.02]
        [--json out.json] [--profile] [--top 30]

Run it pinned (`taskset -c 1`) from each tree for a before/after of per-query times.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (  # noqa: E402
    CSL_COMPACT,
    import_screener,
    load_entries,
    percentile,
    profile_some,
)


def speed_queries(entries: list, count: int) -> list[str]:
    """speed.py's queries: the labelled set's, shuffled with seed 7, repeated up to `count`."""
    from labelled import build_labelled_set

    queries = [p.query for p in build_labelled_set(entries)]
    random.Random(7).shuffle(queries)
    while len(queries) < count:
        queries += queries
    return queries[:count]


def _times(screener, queries: list[str]) -> list[float]:
    out = []
    for q in queries:
        c = time.thread_time()
        screener.screen(q, limit=10)
        out.append(time.thread_time() - c)
    return out


def _in_children(screener, queries: list[str], children: int) -> list[list[float]]:
    """Each child's per-query CPU times, the children run one after another from the same
    warmed-up state."""
    runs = []
    for _ in range(children):
        read, write = os.pipe()
        child = os.fork()
        if child == 0:
            os.close(read)
            times = _times(screener, queries)
            with os.fdopen(write, "w") as handle:
                json.dump(times, handle)
            os._exit(0)
        os.close(write)
        with os.fdopen(read) as handle:
            runs.append(json.load(handle))
        os.waitpid(child, 0)
    return runs


def _script(text: str) -> str:
    if any("\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf" for c in text):
        return "han"
    if any("\u3040" <= c <= "\u30ff" for c in text):
        return "kana"
    if any("\uac00" <= c <= "\ud7af" for c in text):
        return "hangul"
    if text.isascii():
        return "latin"
    if any("\u0400" <= c <= "\u04ff" for c in text):
        return "cyrillic"
    if any("\u0600" <= c <= "\u06ff" for c in text):
        return "arabic"
    return "other"


def _describe(screener, query: str) -> dict:
    """What the screen of one query does: its forms, candidates per form, names scored."""
    from exportguard.screening import screener as module

    counts = {"forms": 0, "candidates": 0, "scored": 0}
    original = module.score

    def counting(*args):
        counts["scored"] += 1
        return original(*args)

    original_forms = screener._score_forms

    def forms_counting(forms, *args):
        counts["forms"] += len(forms)
        for form in forms:
            counts["candidates"] += len(screener.index.candidates(form, module._CANDIDATES))
        return original_forms(forms, *args)

    module.score = counting
    screener._score_forms = forms_counting
    try:
        result = screener.screen(query, limit=10)
    finally:
        module.score = original
        del screener._score_forms
    return {**counts, "matches": len(result.matches), "decision": result.decision}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="The slow tail of single-name screens.")
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--children", type=int, default=3)
    parser.add_argument("--share", type=float, default=0.02)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--sort", default="cumulative")
    args = parser.parse_args(argv)

    Screener, _ = import_screener()
    entries = load_entries(CSL_COMPACT)
    screener = Screener.from_entries(entries)
    queries = speed_queries(entries, args.queries)
    for q in queries[:50]:
        screener.screen(q, limit=10)
    runs = _in_children(screener, queries, args.children)
    least = [min(times) for times in zip(*runs, strict=True)]
    ordered = sorted(least)
    print(f"load {' / '.join(f'{v:.1f}' for v in os.getloadavg())}; {len(queries)} queries, "
          f"{args.children} children, each query's least CPU time")
    for number, times in enumerate(runs):
        s = sorted(times)
        print(f"  child {number}: CPU p50 {percentile(s, 0.5) * 1000:.3f} ms, "
              f"p99 {percentile(s, 0.99) * 1000:.3f} ms, sum {sum(s) * 1000:.0f} ms")
    print(f"  least: CPU p50 {percentile(ordered, 0.5) * 1000:.3f} ms, p99 "
          f"{percentile(ordered, 0.99) * 1000:.3f} ms, sum {sum(ordered) * 1000:.0f} ms")
    count = max(1, round(len(queries) * args.share))
    slow = sorted(range(len(queries)), key=lambda i: -least[i])[:count]
    by_script: dict[str, list[float]] = {}
    for i, t in enumerate(least):
        by_script.setdefault(_script(queries[i]), []).append(t)
    print("by script (count, sum ms, mean ms, in the slowest share):")
    tail = [_script(queries[i]) for i in slow]
    for script, times in sorted(by_script.items(), key=lambda kv: -sum(kv[1])):
        print(f"  {script:<9} {len(times):>5} {sum(times) * 1000:>8.1f} "
              f"{sum(times) / len(times) * 1000:>7.3f}  {tail.count(script)}")
    print(f"\nslowest {count} ({args.share:.0%}), least CPU ms, script, forms / candidates / "
          "scored, matches:")
    rows = []
    for i in slow:
        # Described in a fork, so the description's screen leaves no caches behind for the
        # profile.
        read, write = os.pipe()
        child = os.fork()
        if child == 0:
            os.close(read)
            with os.fdopen(write, "w") as handle:
                json.dump(_describe(screener, queries[i]), handle)
            os._exit(0)
        os.close(write)
        with os.fdopen(read) as handle:
            facts = json.load(handle)
        os.waitpid(child, 0)
        rows.append({"query": queries[i], "position": i, "cpu_ms": least[i] * 1000,
                     "script": _script(queries[i]), **facts})
        print(f"  {least[i] * 1000:6.2f}  {_script(queries[i]):<7} {facts['forms']:>2} / "
              f"{facts['candidates']:>4} / {facts['scored']:>4}  {facts['matches']:>2}  "
              f"{queries[i]!r}")
    if args.json:
        args.json.write_text(json.dumps({"least_ms": [t * 1000 for t in least],
                                         "queries": queries, "slow": rows}, ensure_ascii=False,
                                        indent=1), encoding="utf-8")
    if args.profile:
        profile_some(screener, queries, set(slow), ("tottime", args.sort), args.top,
                     f"the slowest {count}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
