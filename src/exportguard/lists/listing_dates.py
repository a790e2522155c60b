"""When a list entry took effect, for answering "was this party listed on date D?".

A list record's own start date is used when it has one. Many records (the compact CSL) carry only
their Federal Register citations. The earliest citation then dates the listing: exactly when the
citation carries its date ('84 FR 54002, 10/9/19'); otherwise the Federal Register page table
(`lists.fr_dates`) bounds the page's publication between dated pages around it, giving a window of
days. A date before the window is "not yet listed", a date on or after its last day is "listed",
and a date inside it is undecided and reported with the window, never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from exportguard.lists.fr_dates import CITATION, FrDates, cited_date
from exportguard.model import ListEntry


@dataclass(frozen=True)
class ListingDate:
    """The listing's start: an exact day, a window of days, or nothing known."""

    day: date | None
    year: int | None
    basis: str
    window: tuple[date, date] | None = None

    def listed_on(self, when: date) -> bool | None:
        if self.day is not None:
            return when >= self.day
        if self.window is not None:
            earliest, latest = self.window
            if when < earliest:
                return False
            return True if when >= latest else None
        if self.year is None:
            return True  # no date at all: the entry is in force as published
        if when.year == self.year:
            return None
        return when.year > self.year

    @property
    def listed_from(self) -> str | int | None:
        """The JSON `listed_from`: the day, or the year when only a window or a year is known."""
        return self.day.isoformat() if self.day else self.year

    def window_dict(self) -> dict[str, Any] | None:
        """The JSON `listing_window` of a listing dated by a window of days."""
        if self.window is None:
            return None
        earliest, latest = self.window
        return {"earliest": earliest.isoformat(), "latest": latest.isoformat(),
                "days": (latest - earliest).days + 1}


def listing_date(entry: ListEntry, fr: FrDates | None = None) -> ListingDate:
    """When `entry` was listed; `fr` is the page table to date citations with (the built-in one
    when omitted; a screener passes the one that also knows its own lists' dated citations)."""
    if entry.start_date is not None:
        return ListingDate(entry.start_date, None, "the list record's start date")
    if entry.list_code == "CMIC":  # CSL rows carry no date: the built-in NS-CMIC data has it
        from exportguard.invest import ns_cmic_listing

        known = ns_cmic_listing(entry.entity_number, entry.name)
        if known is not None:
            return ListingDate(known[0], None, known[1])
    table = fr if fr is not None else FrDates.builtin()
    # (earliest, latest, label, how) per citation
    found: list[tuple[date, date, str, str]] = []
    for text in entry.federal_register:
        for cite in CITATION.finditer(text):
            vol, page = int(cite["vol"]), int(cite["page"])
            label = f"{vol} FR {page}"
            written = cited_date(cite)
            known = table.effective(vol, page)
            # A known document's effective date beats the printing date written in the record.
            if written is not None and (known is None or not known.in_document):
                found.append((written, written, label, "dated in the record"))
            elif known is not None:
                found.append((known.earliest, known.latest, label, known.basis))
    if not found:
        return ListingDate(None, None, "no date in the list record")
    # The listing began with its earliest notice: no earlier than the smallest lower bound and
    # no later than the smallest upper bound.
    first = min(found, key=lambda f: (f[0], f[1]))
    earliest = first[0]
    latest = min(f[1] for f in found)
    if earliest == latest:
        return ListingDate(earliest, None,
                           f"the earliest Federal Register notice ({first[2]}; {first[3]})")
    bound = min(found, key=lambda f: f[1])
    basis = (f"the earliest Federal Register notice ({first[2]}) was published between "
             f"{earliest.isoformat()} and {latest.isoformat()}: {first[3]}")
    if bound is not first:
        basis += f"; and no later than {bound[2]} ({bound[3]})"
    basis += (" (a publication window: a rule may take effect on public inspection a day or more "
              "before it is printed)")
    return ListingDate(None, earliest.year if earliest.year == latest.year else None, basis,
                       (earliest, latest))
