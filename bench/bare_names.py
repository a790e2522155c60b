"""The bare names and aliases of the reference CSL: those that, once normalised, are only a
number, two letters or digits or fewer, only a legal form, only words that name no one, or only a
place (`screening.features.bare_name`). The matcher lets such a name match only a query of the
same core; this lists which names that rule touches, by what they are.

    PYTHONPATH=src .venv/bin/python bench/bare_names.py [--all]
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import load_entries


def bare_names(entries: list) -> dict[str, list[tuple[str, str, str, str]]]:
    """{what the name is: [(entry key, origin, name as indexed, normalised core)]}, each listed
    name or alias of each entry (and its variant without brackets, as the index keeps it) once
    per distinct core."""
    from exportguard.names.normalize import name_forms
    from exportguard.screening.features import bare_name
    from exportguard.screening.index import name_variants

    found: dict[str, list[tuple[str, str, str, str]]] = defaultdict(list)
    for entry in entries:
        for origin, texts in (("name", (entry.name,)), ("alias", entry.alt_names)):
            seen: set[tuple[str, ...]] = set()
            for text in name_variants(texts):
                for form in name_forms(text, every=False):
                    what = bare_name(form)
                    if what is not None and form.tokens not in seen:
                        seen.add(form.tokens)
                        found[what].append((entry.key, origin, text, form.core))
    return dict(found)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="print every name, not 10 a kind")
    args = parser.parse_args(argv)
    entries = load_entries()
    found = bare_names(entries)
    names = sum(1 + len(e.alt_names) for e in entries)
    print(f"{sum(map(len, found.values())):,} bare names of {names:,} names and aliases "
          f"({len(entries):,} entries)")
    for what, rows in sorted(found.items(), key=lambda item: -len(item[1])):
        print(f"\n{what}: {len(rows)}")
        for key, origin, text, core in rows if args.all else rows[:10]:
            print(f"  {key:24} {origin:5} {text!r} -> '{core}'")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
