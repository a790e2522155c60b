"""Screen the Chinese names of curated records against the reference CSL, without and with the
curated names, and say what the records change.

For every local name of the chosen files (data/local_names/*.yaml; default: all), the name is
screened twice against the full reference CSL (../shared/reference/csl/csl-2026-07-31.compact.json):
once on the official entries alone (the reference: what the matcher finds by reading the name)
and once on the entries with the curated names added (`with_local_names`, as the product does).
It prints the decision of each (match / review / clear), whether the best match with the curated
names is an entry that carries the record's listed_name (compared after casefolding and dropping
punctuation), and the counts. A record whose best match is another party is printed as
WRONG PARTY and makes the exit status 1; a record whose listed_name no CSL entry carries (a
name of the starter set only) is printed as NOT ON THE CSL and counted apart.
Used to check a curation batch; not part of the product.

    python bench/local_names_check.py [--file sdn_2026_12_n13.yaml] [--quiet]
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from exportguard.lists.csl import CslCompactParser  # noqa: E402
from exportguard.lists.starter import (  # noqa: E402
    local_name_records,
    local_names_files,
    with_local_names,
)
from exportguard.screening import Screener  # noqa: E402

CSL = ROOT.parent / "shared" / "reference" / "csl" / "csl-2026-07-31.compact.json"


def fold(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text.casefold()).strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", action="append",
                        help="a file name of data/local_names (repeatable; default: every file)")
    parser.add_argument("--quiet", action="store_true", help="print the counts only")
    args = parser.parse_args(argv)
    files = local_names_files()
    if args.file:
        known = {f.name for f in files}
        unknown = [name for name in args.file if name not in known]
        if unknown:
            parser.error(f"--file: no such file in data/local_names: {', '.join(unknown)}")
        files = [f for f in files if f.name in args.file]
    entries = list(CslCompactParser().entries(CSL))
    reference = Screener.from_entries(entries)
    curated = Screener.from_entries([with_local_names(e) for e in entries])
    on_csl = {fold(n) for e in entries for n in (e.name, *e.alt_names)}
    counts: Counter[tuple[str, str]] = Counter()
    wrong = 0
    absent = 0
    names = 0
    for record in local_name_records(files):
        listed = fold(record["listed_name"])
        for text in record["local_names"]:
            names += 1
            if listed not in on_csl:
                absent += 1
                if not args.quiet:
                    print(f"NOT ON THE CSL  {text}  [{record['listed_name']}]")
                continue
            before = reference.screen(text)
            after = curated.screen(text)
            top = after.matches[0].entry if after.matches else None
            right = top is not None and listed in {fold(n) for n in (top.name, *top.alt_names)}
            if after.matches and not right:
                # the record's party may share the top score with another entry of that name
                best = after.matches[0].score
                right = any(listed in {fold(n) for n in (m.entry.name, *m.entry.alt_names)}
                            for m in after.matches if m.score == best)
            counts[(before.decision, after.decision)] += 1
            if not right:
                wrong += 1
            if not args.quiet or not right:
                party = top.name if top else "-"
                flag = "" if right else "  WRONG PARTY"
                print(f"{before.decision:6} -> {after.decision:6} {text}  [{record['listed_name']}"
                      f" -> {party}]{flag}")
    print(f"{names} local names in {len(files)} file(s): " + ", ".join(
        f"{b}->{a} {n}" for (b, a), n in sorted(counts.items()))
        + f"; wrong party {wrong}; listed name not on the CSL {absent}",
        file=sys.stderr)
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
