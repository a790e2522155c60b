"""Start-up cost of the CLI beside the interpreter's own: each command run as a fresh process,
the commands interleaved (one round runs each once), min and median wall time over the rounds
and the median CPU time (user + system: what a loaded machine distorts least). Bytecode is
cached as for an installed package (PYTHONDONTWRITEBYTECODE is dropped for the runs).

The store is a fresh EXPORTGUARD_HOME with the full reference CSL loaded and the index cache
written once beforehand (what a user has after `exportguard load`), so `screen` is measured warm
on disk but cold in memory: a new process, as a user typing the command gets. `--before SRC`
runs every command also from another source tree (e.g. `git archive OLD src | tar -x -C DIR`)
with a home of its own, interleaved with this one, for a before/after in the same run.

    .venv/bin/python bench/startup.py [--rounds 10] [--home DIR] [--before DIR/src] [--json f]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from _common import CSL_COMPACT, REPO_ROOT, matcher_fingerprint

PYTHON = sys.executable
COMMANDS: dict[str, list[str]] = {
    "python -c pass (reference)": [PYTHON, "-c", "pass"],
    "python -c 'import exportguard.cli'": [PYTHON, "-c", "import exportguard.cli"],
    "exportguard --help": [PYTHON, "-m", "exportguard.cli", "--help"],
    "exportguard screen 'Megvii Technology' --json": [
        PYTHON, "-m", "exportguard.cli", "screen", "Megvii Technology", "--json"],
    "exportguard screen '北京旷视科技有限公司' --json": [
        PYTHON, "-m", "exportguard.cli", "screen", "北京旷视科技有限公司", "--json"],
    "exportguard classify H20 --date 2025-01-01": [
        PYTHON, "-m", "exportguard.cli", "classify", "H20", "--date", "2025-01-01"],
}


def _env(home: Path, src: Path) -> dict[str, str]:
    env = {**os.environ, "EXPORTGUARD_HOME": str(home), "PYTHONPATH": str(src)}
    env.pop("EXPORTGUARD_DB", None)
    # An installed package runs from cached bytecode; without it every run compiles the
    # project's modules again (about 0.1 s), which no user pays after the first run.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _prepare(env: dict[str, str], home: Path) -> None:
    """Load the full CSL and warm the on-disk caches (index, pinyin readings) once."""
    if not (home / "exportguard.db").exists():
        subprocess.run([PYTHON, "-m", "exportguard.cli", "load", str(CSL_COMPACT), "--json"],
                       env=env, check=True, stdout=subprocess.DEVNULL)
    for args in COMMANDS.values():
        subprocess.run(args, env=env, check=True, stdout=subprocess.DEVNULL)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="CLI start-up beside `python -c pass`.")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--home", type=Path, help="an EXPORTGUARD_HOME to reuse")
    parser.add_argument("--src", type=Path, default=REPO_ROOT / "src",
                        help="the src/ measured (default: this checkout's)")
    parser.add_argument("--before", type=Path, help="another src/ to run beside this one")
    parser.add_argument("--before-home", type=Path, help="an EXPORTGUARD_HOME for --before")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)

    home = args.home or Path(tempfile.mkdtemp(prefix="eg-startup-"))
    trees = {"": _env(home, args.src.resolve())}
    if args.before:
        before_home = args.before_home or Path(tempfile.mkdtemp(prefix="eg-startup-before-"))
        trees["before: "] = _env(before_home, args.before.resolve())
    for env in trees.values():
        _prepare(env, Path(env["EXPORTGUARD_HOME"]))
    times: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}  # user + system: less sensitive to a shared machine
    for _ in range(args.rounds):
        for name, command in COMMANDS.items():
            for label, env in trees.items():
                if label and name.startswith("python -c pass"):
                    continue
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                start = time.perf_counter()
                subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
                times.setdefault(label + name, []).append(time.perf_counter() - start)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu.setdefault(label + name, []).append(
                    after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)

    load = os.getloadavg()
    print(f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.machine()} {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, load average {load[0]:.1f} / {load[1]:.1f}; "
          f"{args.rounds} rounds, interleaved; matcher {matcher_fingerprint()}")
    print("| command | min s | median s | median - python | median CPU s |\n|---|---|---|---|---|")
    base = statistics.median(times["python -c pass (reference)"])
    summary = {}
    for name, values in times.items():
        median = statistics.median(values)
        used = statistics.median(cpu[name])
        summary[name] = {"min": min(values), "median": median, "runs": values,
                         "cpu_median": used, "cpu_runs": cpu[name]}
        print(f"| `{name}` | {min(values):.3f} | {median:.3f} | {median - base:+.3f} | "
              f"{used:.3f} |")
    if args.json:
        args.json.write_text(json.dumps({"load_average": load, "rounds": args.rounds,
                                         "matcher_fingerprint": matcher_fingerprint(),
                                         "commands": summary}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
