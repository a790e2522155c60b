"""Same decisions before and after a speed change: screens a fixed sample of queries against the
full reference CSL (with the curated local names, as `current_screener` builds it) and writes
every match (entry key, score to 9 decimals, matched name, query form, feature contributions)
to a JSON Lines file, or compares with such a file written by another source tree.

The sample: the labelled set's queries (bench/labelled.py: variants of listed names, Chinese
characters and pinyin, the negatives), the queries of bench/data/names_eval_*.csv, and the first
300 negatives of data/negatives.txt with a country. Each query is screened at the default
threshold (limit 100), at 0.5 (limit 100), at 0.0 (limit 5, as names_eval.py does), and with
--country CN at the default threshold.

    PYTHONPATH=OLD/src .venv/bin/python bench/equal_decisions.py --write /tmp/before.jsonl
    PYTHONPATH=src .venv/bin/python bench/equal_decisions.py --compare /tmp/before.jsonl
"""

from __future__ import annotations

import argparse
import copy
import csv
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import DATA_DIR, load_entries, read_negatives

RUNS: tuple[tuple[str, dict[str, object]], ...] = (
    ("default", {"limit": 100}),
    ("0.5", {"limit": 100, "min_score": 0.5}),
    ("0.0", {"limit": 5, "min_score": 0.0}),
    ("CN", {"limit": 100, "country": "CN"}),
)


def queries(entries: list) -> list[str]:
    from labelled import build_labelled_set

    found = [p.query for p in build_labelled_set(entries)]
    for name in ("names_eval_zh.csv", "names_eval_pairs.csv"):
        with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
            found += [row["query"] for row in csv.DictReader(handle)]
    found += read_negatives()[:300]
    return list(dict.fromkeys(found))


def dump(screener, texts: list[str]) -> list[dict[str, object]]:
    rows = []
    for text in texts:
        for label, options in RUNS:
            result = screener.screen(text, **options)
            rows.append({
                "query": text, "run": label, "decision": result.decision, "more": result.more,
                "matches": [
                    [m.entry_id, f"{m.score:.9f}", m.matched_name, m.query_form,
                     [[f.name, f"{f.contribution:.9f}", f.detail] for f in m.features]]
                    for m in result.matches],
            })
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Dump or compare screening decisions.")
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--write", type=Path, help="write the dump here")
    action.add_argument("--compare", type=Path, help="compare with this dump")
    parser.add_argument("--show", type=int, default=5, help="differences printed")
    parser.add_argument("--forms-cache", type=Path, help="build the index with the normalised "
                        "forms kept in this folder (screening/forms_cache.py), and keep them")
    args = parser.parse_args(argv)

    from exportguard.lists.starter import with_local_names
    from exportguard.screening import Screener

    entries = load_entries()
    listed = [with_local_names(copy.deepcopy(e)) for e in entries]
    if args.forms_cache:
        from exportguard.screening.forms_cache import NameForms
        from exportguard.screening.index import NameIndex

        forms = NameForms.load(args.forms_cache)
        known = len(forms._known)
        screener = Screener(NameIndex(listed, forms=forms))
        print(f"forms cache: {known:,} names kept, {forms.added:,} names and words normalised")
        forms.save(args.forms_cache)
    else:
        screener = Screener.from_entries(listed)
    texts = queries(entries)
    start = time.perf_counter()
    rows = dump(screener, texts)
    seconds = time.perf_counter() - start
    print(f"{len(texts):,} queries, {len(rows):,} screens in {seconds:.1f} s")
    if args.write:
        with args.write.open("w", encoding="utf-8") as handle:
            for row in rows:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        print(f"wrote {args.write}")
        return 0
    with args.compare.open(encoding="utf-8") as handle:
        before = [json.loads(line) for line in handle]
    if [(r["query"], r["run"]) for r in before] != [(r["query"], r["run"]) for r in rows]:
        print("the dumps screen different queries: regenerate the reference")
        return 2
    differ = [(old, new) for old, new in zip(before, rows, strict=True) if old != new]
    for old, new in differ[: args.show]:
        print(json.dumps({"before": old, "after": new}, ensure_ascii=False, indent=1))
    print(f"{len(differ):,} of {len(rows):,} screens differ")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
