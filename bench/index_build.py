"""Cost of building the name index from the full reference CSL: a cold build (a new process, as
the service's child process that indexes a new list pays it) and a rebuild in the same process
(the names' normalised forms already cached in memory), in CPU time (what a loaded machine
distorts least) and wall time. `--before SRC` runs the same from another source tree (e.g.
`git archive OLD src | tar -x -C DIR`), each round one process per tree, interleaved.

A tree with `screening/forms_cache.py` is also timed building in a new process with the names'
normalised forms kept by an earlier build (the file `loaded.py` keeps in the data directory):
`update`, the cache made from the list without the 140 Entity List entries of
bench/watch_delta.py (a list update: only the new names are normalised), and `same`, the cache
made from the full list (a rebuild after the normaliser's inputs are unchanged but the index file
is gone, or for another date). Both include reading the cache file.

    .venv/bin/python bench/index_build.py [--rounds 3] [--before DIR/src] [--json out.json]

`--profile` instead times one cold build in this process under pyinstrument (the bench extra)
and prints its call tree (`--profile-depth` frames deep).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import BENCH_DIR, REPO_ROOT, load_entries


def measure_cached(folder: Path) -> dict[str, float]:
    """One build in this process with the forms cached in `folder` (the cache is not written)."""
    os.environ["EXPORTGUARD_HOME"] = str(folder)
    from exportguard.screening.forms_cache import NameForms
    from exportguard.screening.index import NameIndex

    entries = load_entries()
    wall, cpu = time.perf_counter(), time.process_time()
    forms = NameForms.load()
    NameIndex(entries, forms=forms)
    return {"cpu_s": time.process_time() - cpu, "wall_s": time.perf_counter() - wall,
            "normalised": forms.added}


def prepare_cache(folder: Path, without_update: bool) -> None:
    os.environ["EXPORTGUARD_HOME"] = str(folder)
    from exportguard.screening.forms_cache import NameForms
    from exportguard.screening.index import NameIndex
    from watch_delta import removed_entries

    entries = load_entries()
    if without_update:
        keys = {e.key for e in removed_entries(entries)}
        entries = [e for e in entries if e.key not in keys]
    forms = NameForms.load()
    NameIndex(entries, forms=forms)
    forms.save()


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


def profile(depth: int) -> None:
    """One cold build under pyinstrument, its call tree printed."""
    from pyinstrument import Profiler

    from exportguard.screening.index import NameIndex

    entries = load_entries()
    profiler = Profiler(interval=0.0005)
    cpu = time.process_time()
    profiler.start()
    NameIndex(entries)
    profiler.stop()
    print(f"cold build under the profiler: {time.process_time() - cpu:.2f} CPU s")
    text = profiler.output_text(unicode=False, color=False, show_all=False)
    print("\n".join(line for line in text.splitlines() if line.count("|") <= depth
                    or not line.lstrip(" |`-").strip()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Index build time, cold and rebuilt.")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--before", type=Path, help="another source tree's src directory")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--cached", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--prepare", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--without-update", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--profile", action="store_true",
                        help="one cold build under pyinstrument, its call tree printed")
    parser.add_argument("--profile-depth", type=int, default=9)
    args = parser.parse_args(argv)
    if args.profile:
        profile(args.profile_depth)
        return 0
    if args.one:
        print(json.dumps(measure_cached(args.cached) if args.cached else measure()))
        return 0
    if args.prepare:
        prepare_cache(args.prepare, args.without_update)
        return 0
    trees = {"this tree": REPO_ROOT / "src"}
    if args.before:
        trees = {"before": args.before.resolve(), **trees}
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in trees}
    cached: dict[str, list[dict[str, float]]] = {}
    script = str(BENCH_DIR / "index_build.py")
    with tempfile.TemporaryDirectory() as work:
        folders: dict[tuple[str, str], Path] = {}
        for name, src in trees.items():
            if not (src / "exportguard" / "screening" / "forms_cache.py").is_file():
                continue
            env = {**os.environ, "PYTHONPATH": str(src)}
            for kind in ("update", "same"):
                folder = folders[name, kind] = Path(work) / f"{len(folders)}"
                subprocess.run([sys.executable, script, "--prepare", str(folder),
                                *(["--without-update"] if kind == "update" else [])],
                               env=env, check=True, capture_output=True)
                cached[f"{name}, {kind}"] = []
        for _ in range(args.rounds):
            for name, src in trees.items():
                env = {**os.environ, "PYTHONPATH": str(src)}
                done = subprocess.run(["taskset", "-c", "1", sys.executable, script, "--one"],
                                      env=env, check=True, capture_output=True, text=True)
                runs[name].append(json.loads(done.stdout.splitlines()[-1]))
                for (tree, kind), folder in folders.items():
                    if tree != name:
                        continue
                    done = subprocess.run(["taskset", "-c", "1", sys.executable, script, "--one",
                                           "--cached", str(folder)],
                                          env=env, check=True, capture_output=True, text=True)
                    cached[f"{name}, {kind}"].append(json.loads(done.stdout.splitlines()[-1]))
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
    if cached:
        print(f"{'new process, forms cached':<26} {'CPU s':>11} {'wall s':>12} "
              f"{'new names + words':>17}")
    for name, rows in cached.items():
        summary[name] = {key: statistics.median(r[key] for r in rows) for key in rows[0]}
        cells = [f"{statistics.median(r[k] for r in rows):.2f} ({min(r[k] for r in rows):.2f})"
                 for k in ("cpu_s", "wall_s")]
        print(f"{name:<26} {cells[0]:>11} {cells[1]:>12} {rows[0]['normalised']:>17,}")
    if args.json:
        args.json.write_text(json.dumps({"load": load, "runs": runs, "cached": cached,
                                         "median": summary},
                                        indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
