"""When a list entry took effect, for answering "was this party listed on date D?".

A list record's own start date is used when it has one. Many records (the compact CSL) carry only
their Federal Register citations. The earliest citation then dates the listing: exactly when the
citation carries its date ('84 FR 54002, 10/9/19') or when the built-in starter records date the
same document; otherwise only its year is known, from the volume (volume N is year 1935 + N), and
a date inside that year is reported as undecided rather than guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache

from exportguard.model import ListEntry

_CITE = re.compile(
    r"(?P<vol>\d{1,3})\s*F\.?\s?R\.?\s*(?P<page>\d{1,6})"
    r"(?:\s*,?\s*(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{2,4}))?"
)


@dataclass(frozen=True)
class ListingDate:
    """The listing's start: an exact day, or only a year when nothing finer is known."""

    day: date | None
    year: int | None
    basis: str

    def listed_on(self, when: date) -> bool | None:
        if self.day is not None:
            return when >= self.day
        if self.year is None:
            return True  # no date at all: the entry is in force as published
        if when.year == self.year:
            return None
        return when.year > self.year


def listing_date(entry: ListEntry) -> ListingDate:
    if entry.start_date is not None:
        return ListingDate(entry.start_date, None, "the list record's start date")
    found: list[tuple[date, bool, str]] = []
    for text in entry.federal_register:
        for cite in _CITE.finditer(text):
            vol, page = int(cite["vol"]), int(cite["page"])
            label = f"{vol} FR {page}"
            known = _cited_date(cite) or known_document_dates().get((vol, page))
            if known:
                found.append((known, True, label))
            elif 1 <= vol <= 200:
                found.append((date(1935 + vol, 1, 1), False, label))
    if not found:
        return ListingDate(None, None, "no date in the list record")
    first = min(found, key=lambda f: f[0])
    if first[1]:
        return ListingDate(first[0], None, f"the earliest Federal Register notice ({first[2]})")
    return ListingDate(
        None, first[0].year, f"the year of the earliest Federal Register notice ({first[2]})"
    )


@cache
def known_document_dates() -> dict[tuple[int, int], date]:
    """FR documents dated by the built-in starter records ('84 FR 54002, 10/9/19')."""
    from exportguard.lists.starter import starter_entries

    table: dict[tuple[int, int], date] = {}
    for entry in starter_entries():
        for text in entry.federal_register:
            for cite in _CITE.finditer(text):
                day = _cited_date(cite)
                if day:
                    table.setdefault((int(cite["vol"]), int(cite["page"])), day)
    return table


def _cited_date(cite: re.Match[str]) -> date | None:
    """The date written after a citation ('84 FR 54002, 10/9/19'), if any and valid."""
    if not cite["y"]:
        return None
    year = int(cite["y"])
    year += 2000 if year < 50 else (1900 if year < 100 else 0)
    try:
        return date(year, int(cite["m"]), int(cite["d"]))
    except ValueError:
        return None
