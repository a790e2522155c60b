"""Check the bench's hand-written data against the reference CSL.

1. bench/data/negatives.txt: reports every negative whose normalised name (casefold, punctuation
   stripped, legal forms dropped) equals a CSL name or alias; `--write` removes them from the file.
   It also lists near misses (RapidFuzz token_sort_ratio >= --near) for a human to review: these are
   kept, since names that merely resemble listed ones are what tests precision honestly.
2. bench/data/chinese_names.csv: every listed_name must be exactly a CSL name or alias.

Exit status 1 when chinese_names.csv has a listed_name that is not in the CSL; colliding negatives
are only reported (bench/labelled.py drops them at run time anyway), or removed with --write.

    .venv/bin/python bench/check_data.py [--write] [--near 95]
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    CHINESE_NAMES,
    NEGATIVES,
    filter_negatives,
    load_entries,
    names_of,
    read_negatives,
    simple_norm,
)


def check_negatives(entries: list, *, write: bool, near: float) -> int:
    negatives = read_negatives()
    kept, dropped = filter_negatives(negatives, entries)
    print(
        f"negatives.txt: {len(negatives)} names, {len(dropped)} equal a CSL name or alias "
        f"after normalisation, {len(kept)} kept"
    )
    for neg, hit in dropped:
        print(f"  DROP {neg!r}  ==  {hit}")
    if near < 100:
        from rapidfuzz import fuzz, process

        norms = sorted({simple_norm(n) for e in entries for n in names_of(e) if simple_norm(n)})
        print(f"near misses (token_sort_ratio >= {near}; kept, for review):")
        for neg in kept:
            best = process.extractOne(
                simple_norm(neg), norms, scorer=fuzz.token_sort_ratio, score_cutoff=near
            )
            if best:
                print(f"  near {neg!r} ~ {best[0]!r} ({best[1]:.0f})")
    if dropped and write:
        drop = {d for d, _ in dropped}
        lines = NEGATIVES.read_text(encoding="utf-8").splitlines()
        out = [ln for ln in lines if ln.strip() not in drop]
        NEGATIVES.write_text("\n".join(out) + "\n", encoding="utf-8")
        print(f"  removed {len(drop)} line(s) from {NEGATIVES}")
    return 0


def check_chinese(entries: list) -> int:
    exact = {n for e in entries for n in names_of(e)}
    bad = 0
    rows = 0
    with CHINESE_NAMES.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            rows += 1
            if row["listed_name"] not in exact:
                bad += 1
                print(f"  NOT IN CSL: {row['listed_name']!r} ({row['chinese_name']})")
            if not row.get("source", "").strip():
                bad += 1
                print(f"  NO SOURCE: {row['listed_name']!r}")
    print(f"chinese_names.csv: {rows} rows, {rows - bad} verified against the CSL")
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="remove colliding negatives")
    parser.add_argument("--near", type=float, default=95.0, help="near-miss report cutoff")
    args = parser.parse_args(argv)
    entries = load_entries()
    status = check_negatives(entries, write=args.write, near=args.near)
    status |= check_chinese(entries)
    return status


if __name__ == "__main__":
    sys.exit(main())
