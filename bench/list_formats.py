"""Parse speed and counts of each list format on the reference files (and the fixtures where no
reference file exists): entries, aliases, seconds, entries per second.

    .venv/bin/python bench/list_formats.py
"""

from __future__ import annotations

import platform
import time
from pathlib import Path

from _common import REFERENCE_DIR, REPO_ROOT
from exportguard.lists.detect import detect_format, parser_for

FILES = [
    REFERENCE_DIR / "csl" / "csl-2026-07-31.compact.json",
    REFERENCE_DIR / "csl" / "csl-sample.csv",
    REFERENCE_DIR / "ofac",
    REFERENCE_DIR / "un" / "un-consolidated.xml",
    REFERENCE_DIR / "bis" / "dpl.txt",
    REPO_ROOT / "tests" / "fixtures" / "ofac" / "sdn_sample.xml",
    REPO_ROOT / "tests" / "fixtures" / "ofac" / "cons",
    REPO_ROOT / "tests" / "fixtures" / "ecfr" / "part744-supp4.xml",
    REPO_ROOT / "tests" / "fixtures" / "fcc" / "coveredlist.html",
    REPO_ROOT / "tests" / "fixtures" / "ftm" / "entities.ftm.json",
]


def main() -> int:
    print(f"machine: {platform.node()} {platform.machine()}, Python {platform.python_version()}")
    print("| file | format | entries | aliases | seconds | entries/s |")
    print("|---|---|---|---|---|---|")
    for path in FILES:
        fmt = detect_format(path)
        parser = parser_for(path, fmt)
        start = time.perf_counter()
        entries = list(parser.entries(path))
        seconds = time.perf_counter() - start
        aliases = sum(len(e.alt_names) for e in entries)
        name = path.relative_to(path.parents[1]) if path.is_file() else Path(path.name)
        print(f"| {name} | {fmt} | {len(entries):,} | {aliases:,} | {seconds:.2f} | "
              f"{len(entries) / seconds:,.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
