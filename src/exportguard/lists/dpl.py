"""Parser for the BIS Denied Persons List text file (https://www.bis.doc.gov/dpl/dpl.txt).

Tab-separated, every field double-quoted, one header row:
"Name" "Street_Address" "City" "State" "Country" "Postal_Code" "Effective_Date" "Expiration_Date"
"Standard_Order" "Last_Update" "Action" "FR_Citation". Dates are MM/DD/YYYY, Last_Update YYYY-MM-DD.

One party, one entry: the file gives a row per address, so consecutive rows with the same name and
effective date (one denial order) are merged into one entry with several addresses (the reference
file: 546 rows, 417 parties, 91 of them on 2 to 7 rows; every such group is contiguous). The same
name under two effective dates is two orders and stays two entries. Rows of one party that are not
adjacent are not merged (the loader's `unique_keys` then keeps their keys apart).

Text is UTF-8; a byte that is not valid UTF-8 is read as Windows-1252 (older BIS files were
Latin-1/Windows-1252), so a file in either encoding decodes correctly.
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TextIO

from exportguard.countries import is_country_code
from exportguard.errors import ListFileError
from exportguard.lists.base import (
    ListMeta,
    bounded_lines,
    countries_of,
    fallback_key,
    parse_iso_date,
)
from exportguard.lists.codes import LIST_NAMES
from exportguard.model import Address, ListEntry

COLUMNS = (
    "Name",
    "Street_Address",
    "City",
    "State",
    "Country",
    "Postal_Code",
    "Effective_Date",
    "Expiration_Date",
    "Standard_Order",
    "Last_Update",
    "Action",
    "FR_Citation",
)
SOURCE_LIST_URL = "https://www.bis.gov/licensing/end-user-guidance/denied-persons-list-dpl"
MAX_FIELD_CHARS = 1_000_000

# Country cells that are not ISO codes but whose meaning is plain.
_COUNTRY_ALIASES = {"PRC": "CN", "UK": "GB"}
_US_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_SPACES = re.compile(r"\s+")
# One Federal Register citation as the DPL writes them: '68 F.R. 38290 6/27/03', '81.F.R. 22576',
# '83F.R. 28801', '80 F.R 57572', '82 F.R. 16788, 16789 4/6/2017' (two pages), 'F.R. 30823
# 7/3/2017' (no volume), '72 F.R. 1/30/07' (no page).
_FR_CITE = re.compile(
    r"(?:(?<![\d/])(?P<vol>\d{1,3})\s*\.?\s*)?F\s*\.?\s*R\b\.?"
    r"(?:\s*(?P<page>\d{1,6})(?![\d/])(?:\s*,\s*\d{1,6}(?![\d/]|\s*\.?\s*F))?)?"
    r"(?:\s*,?\s*(?P<date>\d{1,2}/\d{1,2}/\d{2,4})(?!\d))?",
    re.IGNORECASE,
)
# 'A/K/A' or 'A.K.A.' inside a name cell; bracketed '(A.K.A. X)' or 'X A/K/A Y'.
_AKA_BRACKET = re.compile(r"\(\s*A\s*[./]\s*K\s*[./]\s*A\s*\.?\s+([^)]+?)\s*\)", re.IGNORECASE)
_AKA_SPLIT = re.compile(r"\s+A\s*[./]\s*K\s*[./]\s*A\s*\.?\s+", re.IGNORECASE)
# Legal forms that make a name obviously an organisation.
_LEGAL_FORM = re.compile(
    r"(?:^|[\s,])(?:LLC|L\.L\.C\.|INC|INCORPORATED|CORP|CORPORATION|COMPANY|CO\.|LTD|LIMITED|GMBH"
    r"|S\.A\.|S\.A\.R\.L\.|SARL|S\.R\.L\.|B\.V\.|N\.V\.|PLC|FZE|FZCO|FZ-LLC|LLP|PTE|PVT)"
    r"(?=$|[\s,.)])"
    # Short forms only as the last word ('ELMONT AG', 'DATASAAB CONTRACTING AB').
    r"|\s(?:AG|AB|KG|BV|NV|SPA)\.?$",
    re.IGNORECASE,
)
_FALLBACK_ERRORS = "exportguard-cp1252-fallback"
_CP1252_UNDEFINED = {0x81, 0x8D, 0x8F, 0x90, 0x9D}


def _cp1252_fallback(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    bad = exc.object[exc.start:exc.end]
    text = "".join(
        bytes([b]).decode("cp1252", errors="strict") if b not in _CP1252_UNDEFINED else chr(b)
        for b in bad
    )
    return text, exc.end


codecs.register_error(_FALLBACK_ERRORS, _cp1252_fallback)


def open_dpl(path: Path) -> TextIO:
    """The file as text: UTF-8 (BOM allowed), any invalid byte read as Windows-1252."""
    return path.open("r", encoding="utf-8-sig", errors=_FALLBACK_ERRORS, newline="")


def split_fr_citations(text: str | None) -> list[str]:
    """The citations of a FR_Citation cell in the form '68 FR 38290, 6/27/03'.

    'F.R.' becomes 'FR' and the date follows a comma (the form `lists.listing_dates` reads). A
    missing volume is taken from the citation's year (FR volume N is year 1935 + N); a second page
    ('16788, 16789') is dropped (a document is cited by its first page); a citation with no page
    is kept as '72 FR (no page), 1/30/07'; text that is no citation is left out (it stays in raw).
    """
    if not text:
        return []
    out: list[str] = []
    for found in _FR_CITE.finditer(text):
        vol, page, when = found["vol"], found["page"], found["date"]
        if vol is None and when is not None:
            year = int(when.rsplit("/", 1)[1])
            year += 2000 if year < 50 else (1900 if year < 100 else 0)
            vol = str(year - 1935) if year > 1935 else None
        if vol is None or (page is None and when is None):
            continue
        cite = f"{int(vol)} FR {page if page is not None else '(no page)'}"
        if when:
            cite += f", {when}"
        if cite not in out:
            out.append(cite)
    return out


def _us_date(value: str, *, path: Path, field: str, line: int) -> date | None:
    text = value.strip()
    if not text:
        return None
    found = _US_DATE.fullmatch(text)
    try:
        if found is None:
            raise ValueError
        month, day, year = (int(g) for g in found.groups())
        return date(year, month, day)
    except ValueError:
        raise ListFileError(
            str(path), f"'{text}' is not a date (MM/DD/YYYY)", line=line, field=field
        ) from None


def _split_aka(name: str) -> tuple[str, list[str]]:
    """'FUYI SUN A/K/A FRANK SUN' -> ('FUYI SUN', ['FRANK SUN']);
    'PEARL (A.K.A. NEI-CHIEN CHU) LI' -> ('PEARL LI', ['NEI-CHIEN CHU'])."""
    aliases = [a.strip() for a in _AKA_BRACKET.findall(name)]
    rest = _SPACES.sub(" ", _AKA_BRACKET.sub(" ", name)).strip()
    parts = [p.strip() for p in _AKA_SPLIT.split(rest) if p.strip()]
    if not parts:
        return name, []
    return parts[0], [*aliases, *parts[1:]]


@dataclass(slots=True)
class _Row:
    line: int
    cells: dict[str, str]


@dataclass(slots=True)
class _Party:
    """Rows of one denial order (same name and effective date), merged."""

    group: tuple[str, str]
    published: str
    start: date | None
    lines: list[int] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    end_dates: list[date | None] = field(default_factory=list)
    citations: list[str] = field(default_factory=list)
    fr_text: list[str] = field(default_factory=list)
    standard_orders: list[str] = field(default_factory=list)
    last_updates: list[str] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)


def _drop_pageless(citations: list[str]) -> list[str]:
    """Leave out '72 FR (no page), 1/30/07' when the same party also cites a page of volume 72
    on that date ('72 FR 4236, 1/30/07'): it is the same notice, written incompletely."""
    paged = {(c.split(" ", 1)[0], c.rsplit(", ", 1)[-1]) for c in citations
             if "(no page)" not in c and ", " in c}
    return [c for c in citations
            if "(no page)" not in c or (c.split(" ", 1)[0], c.rsplit(", ", 1)[-1]) not in paged]


def _add(values: list, value: object) -> None:
    if value not in values:
        values.append(value)


class DplTxtParser:
    """BIS Denied Persons List, dpl.txt (tab-separated, quoted)."""

    format = "dpl-txt"

    @staticmethod
    def sniff(path: Path, head: bytes) -> bool:
        first = head.removeprefix(b"\xef\xbb\xbf").split(b"\n", 1)[0]
        return b"\t" in first and b"Name" in first and b"Effective_Date" in first

    def meta(self, path: Path) -> ListMeta:
        """Reads the whole file (it is small): the newest Last_Update goes into `extra`.
        A Last_Update after today (the reference file has '3017-08-22') is a typo, not the
        file's date: it is listed apart and left out of the maximum."""
        today = date.today()
        rows = 0
        newest: date | None = None
        future: list[str] = []
        for row in self._rows(path):
            rows += 1
            value = parse_iso_date(row.cells["Last_Update"], path=path, field="Last_Update",
                                   line=row.line)
            if value is None:
                continue
            if value > today:
                _add(future, value.isoformat())
            elif newest is None or value > newest:
                newest = value
        extra: dict[str, object] = {"rows": rows}
        if newest is not None:
            extra["last_update_max"] = newest.isoformat()
        if future:
            extra["last_update_future"] = sorted(future)
        return ListMeta(source="dpl", format=self.format, generated_at=None, declared_count=None,
                        extra=extra)

    def entries(self, path: Path) -> Iterator[ListEntry]:
        party: _Party | None = None
        for row in self._rows(path):
            cells, line = row.cells, row.line
            published = _SPACES.sub(" ", cells["Name"]).strip()
            if not published:
                raise ListFileError(str(path), "is empty", line=line, field="Name")
            effective = cells["Effective_Date"].strip()
            group = (published.casefold(), effective)
            if party is None or party.group != group:
                if party is not None:
                    yield self._entry(party)
                start = _us_date(effective, path=path, field="Effective_Date", line=line)
                party = _Party(group=group, published=published, start=start)
            self._merge(party, cells, path, line)
        if party is not None:
            yield self._entry(party)

    def _rows(self, path: Path) -> Iterator[_Row]:
        csv.field_size_limit(MAX_FIELD_CHARS)
        with open_dpl(path) as handle:
            reader = csv.reader(bounded_lines(handle, path), delimiter="\t", strict=True)
            try:
                header = [h.strip() for h in next(reader, [])]
                if not any(header):
                    raise ListFileError(str(path), "is empty: no header row", line=1)
                missing = [c for c in COLUMNS if c not in header]
                if missing:
                    raise ListFileError(
                        str(path), f"header lacks DPL column(s) {', '.join(missing)}", line=1,
                        field=missing[0],
                    )
                for cells in reader:
                    line = reader.line_num
                    if not cells or (len(cells) == 1 and not cells[0].strip()):
                        continue
                    if len(cells) != len(header):
                        raise ListFileError(
                            str(path), f"row has {len(cells)} fields but the header has "
                            f"{len(header)} (truncated or malformed row)", line=line,
                        )
                    yield _Row(line, dict(zip(header, cells, strict=True)))
            except csv.Error as exc:
                raise ListFileError(
                    str(path), f"malformed tab-separated text: {exc}", line=reader.line_num
                ) from None

    @staticmethod
    def _merge(party: _Party, cells: dict[str, str], path: Path, line: int) -> None:
        party.lines.append(line)
        country_cell = cells["Country"].strip().upper()
        country = _COUNTRY_ALIASES.get(country_cell, country_cell)
        if country and not is_country_code(country):
            _add(party.unmapped, cells["Country"].strip())
            country = ""
        address = Address(
            address=_SPACES.sub(" ", cells["Street_Address"]).strip() or None,
            city=cells["City"].strip() or None,
            state=cells["State"].strip() or None,
            postal_code=cells["Postal_Code"].strip() or None,
            country=country or None,
        )
        if any(address.to_dict().values()):
            _add(party.addresses, address)
        _add(party.end_dates,
             _us_date(cells["Expiration_Date"], path=path, field="Expiration_Date", line=line))
        last = parse_iso_date(cells["Last_Update"], path=path, field="Last_Update", line=line)
        if last is not None:
            _add(party.last_updates, last.isoformat())
        fr = cells["FR_Citation"].strip()
        if fr:
            _add(party.fr_text, fr)
            for cite in split_fr_citations(fr):
                _add(party.citations, cite)
        order = cells["Standard_Order"].strip()
        if order:
            _add(party.standard_orders, order)
        action = _SPACES.sub(" ", cells["Action"]).strip()
        if action:
            _add(party.actions, action)

    @staticmethod
    def _entry(party: _Party) -> ListEntry:
        name, aliases = _split_aka(party.published)
        dated = [d for d in party.end_dates if d is not None]
        # One order has one expiry; should rows disagree, the latest is in force (all in raw).
        end = max(dated) if dated else None
        raw: dict[str, object] = {
            "standard_order": ", ".join(party.standard_orders) or None,
            "last_update": max(party.last_updates) if party.last_updates else None,
            "action": party.actions,
            "fr_citation": party.fr_text,
            "lines": party.lines,
        }
        if name != party.published:
            raw["name_as_published"] = party.published
        if len(party.end_dates) > 1:
            raw["expiration_dates"] = [d.isoformat() if d else None for d in party.end_dates]
        if len(party.last_updates) > 1:
            raw["last_updates"] = sorted(party.last_updates)
        if party.unmapped:
            raw["unmapped_countries"] = party.unmapped
        return ListEntry(
            list_code="DPL",
            name=name,
            source_name=LIST_NAMES["DPL"],
            type="Entity" if _LEGAL_FORM.search(party.published) else None,
            alt_names=[a for a in aliases if a.casefold() != name.casefold()],
            addresses=party.addresses,
            countries=countries_of(party.addresses),
            federal_register=_drop_pageless(party.citations),
            start_date=party.start,
            end_date=end,
            source_list_url=SOURCE_LIST_URL,
            key=fallback_key("DPL", party.published, party.start),
            raw={k: v for k, v in raw.items() if v not in (None, [], "")},
        )
