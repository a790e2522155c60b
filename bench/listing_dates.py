"""How well the Entity List entries of the reference CSL are dated: by the record's own date, by a
Federal Register citation dated exactly (a dated citation, a known document, an issue whose pages
were read) or by a window of days between dated pages, beside the year-only dating the project
used before (the reference: the citation's volume gives its year).

    python bench/listing_dates.py
"""

from __future__ import annotations

import time
from collections import Counter

from _common import CSL_COMPACT
from exportguard.lists.csl import CslCompactParser
from exportguard.lists.fr_dates import FrDates
from exportguard.lists.listing_dates import ListingDate, listing_date

KINDS = ("exact day", "window <= 7 days", "window 8-31 days", "window > 31 days", "year only",
         "no date")


def kind(when: ListingDate) -> str:
    if when.day is not None:
        return "exact day"
    if when.window is not None:
        days = (when.window[1] - when.window[0]).days + 1
        return ("window <= 7 days" if days <= 7 else
                "window 8-31 days" if days <= 31 else "window > 31 days")
    return "year only" if when.year is not None else "no date"


def main() -> None:
    entries = list(CslCompactParser().entries(CSL_COMPACT))
    started = time.perf_counter()
    table = FrDates.builtin().with_entries(entries)
    built = time.perf_counter() - started
    no_table = FrDates([])  # the reference: no anchors, so every undated citation is year-only
    groups = {"all EL": lambda e: True,
              "EL, China": lambda e: "CN" in e.countries,
              "EL, China, first cited 2019-2023": lambda e: "CN" in e.countries and any(
                  f.lstrip().startswith(("84 FR", "85 FR", "86 FR", "87 FR", "88 FR"))
                  for f in e.federal_register[:1])}
    el = [e for e in entries if e.list_code == "EL"]
    print(f"page table: {len(table)} anchors ({len(table.dropped)} dropped as inconsistent), "
          f"built in {built:.2f} s from the built-in data and {len(entries):,} CSL entries\n")
    print("| entries | dating | " + " | ".join(KINDS) + " |")
    print("|---|---|" + "---|" * len(KINDS))
    for label, wanted in groups.items():
        chosen = [e for e in el if wanted(e)]
        for name, fr in (("written dates, else the year", no_table), ("page table", table)):
            counts = Counter(kind(_year_only(e) if fr is no_table else listing_date(e, fr))
                             for e in chosen)
            print(f"| {label} ({len(chosen):,}) | {name} | "
                  + " | ".join(f"{counts[k]:,}" for k in KINDS) + " |")


def _year_only(entry) -> ListingDate:
    """What the project answered before: the written date of a citation, else the year."""
    from exportguard.lists.fr_dates import CITATION, cited_date

    if entry.start_date is not None:
        return ListingDate(entry.start_date, None, "start date")
    found = []
    for text in entry.federal_register:
        for cite in CITATION.finditer(text):
            day = cited_date(cite)
            found.append((day, 1935 + int(cite["vol"])) if day else (None, 1935 + int(cite["vol"])))
    if not found:
        return ListingDate(None, None, "none")
    first = min(found, key=lambda f: (f[1], f[0] is None))
    return ListingDate(first[0], None if first[0] else first[1], "year")


if __name__ == "__main__":
    main()
