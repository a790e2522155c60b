"""Parsers for OFAC's own list files: the legacy CSV of the SDN list and of the consolidated non-SDN
list, and the legacy SDN XML. Both stream: entries are yielded one at a time.

Formats: https://ofac.treasury.gov/specially-designated-nationals-list-data-formats-data-schemas
(the "dat_spec.txt" data specification of the legacy files, and the sdn.xsd schema).

Legacy CSV (checked against ../shared/reference/ofac, the SDN files of 2021, and OFAC's
consolidated files of late 2023 as copied in moov-io/watchman's test data): no header row, fields
quoted with `"`, CRLF line ends, `-0-` (always followed by a space in the files seen) for an empty
field, and a lone DOS end-of-file character (0x1A) as the last "line".

- `sdn.csv` / `cons_prim.csv`, one row per listed party, 12 columns: ent_num, SDN_Name, SDN_Type
  (`individual`, `vessel`, `aircraft`, or `-0-` for an entity), Program (the tags joined by
  `] [`, e.g. `IRAN] [SDGT] [IRGC] [IFSR`, brackets of the first and last tag left off), Title,
  Call_Sign, Vess_type, Tonnage, GRT, Vess_flag, Vess_owner, Remarks (at most 1,000 characters).
- `alt.csv` / `cons_alt.csv`, aliases, 5 columns: ent_num, alt_num, alt_type (`aka`, `fka`,
  `nka`), alt_name, alt_remarks. Only "strong" aliases are here; OFAC's weak aliases ("a.k.a.
  'BNC'") are written into Remarks.
- `add.csv` / `cons_add.csv`, addresses, 6 columns: ent_num, add_num, address, "city/state/
  province/postal code" in one field, country (OFAC's country name, e.g. "Korea, North"),
  add_remarks. Rows with every field empty occur (an entity with no known address).
- `sdn_comments.csv` / `cons_comments.csv`, 2 columns: ent_num, the continuation of a Remarks
  cell longer than 1,000 characters (cut mid-word; the two are joined without a separator).

Encoding: the reference files are plain ASCII. A file that is valid UTF-8 throughout is read as
UTF-8; any other is read as Windows-1252 (OFAC's historic code page). A byte Windows-1252 leaves
undefined, or a file mixing UTF-8 and Windows-1252 lines, is refused with the line it is on.

The files are named by OFAC (`SDN.CSV` and `CONS_PRIM.CSV` from the Sanctions List Service, lower
case from the old treasury.gov URLs); sibling files are found next to the primary file whatever
their case. Legacy CSV carries no publication date, no record count and no listing dates (except
the "Listing Date (CMIC)" OFAC writes into the Remarks of NS-CMIC rows, used as start_date).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, BinaryIO
from xml.etree.ElementTree import Element

from exportguard.countries import country_from_name, spellings
from exportguard.errors import ListFileError
from exportguard.lists.base import (
    MAX_LINE_CHARS,
    ListMeta,
    bounded_lines,
    countries_of,
    open_text,
    xml_events,
)
from exportguard.lists.codes import LIST_NAMES
from exportguard.model import Address, ListEntry

SOURCE_LIST_URL = "https://sanctionssearch.ofac.treas.gov/"

PRIMARY_COLUMNS = (
    "ent_num", "SDN_Name", "SDN_Type", "Program", "Title", "Call_Sign", "Vess_type", "Tonnage",
    "GRT", "Vess_flag", "Vess_owner", "Remarks",
)
ALT_COLUMNS = ("ent_num", "alt_num", "alt_type", "alt_name", "alt_remarks")
ADD_COLUMNS = ("ent_num", "add_num", "address", "city_state_postal", "country", "add_remarks")
COMMENT_COLUMNS = ("ent_num", "remarks")

MAX_FIELD_CHARS = 1_000_000
# A UTF-8 character is at most 4 bytes: the byte-level scan allows as much as bounded_lines will.
_MAX_LINE_BYTES = 4 * MAX_LINE_CHARS
# Alias, address and comment rows that name an ent_num the primary file does not hold mean the
# files come from different releases. A stray one is counted (ListMeta.extra["orphan_rows"]); more
# than this share of a file's rows refuses the load.
MAX_ORPHAN_SHARE = 0.01


@dataclass(frozen=True, slots=True)
class _Layout:
    source: str  # ListMeta.source
    list: str  # "sdn" or "cons"
    alt: str
    add: str
    comments: str


_LAYOUTS = {
    "sdn.csv": _Layout("ofac-sdn", "sdn", "alt.csv", "add.csv", "sdn_comments.csv"),
    "cons_prim.csv": _Layout("ofac-cons", "cons", "cons_alt.csv", "cons_add.csv",
                             "cons_comments.csv"),
}

_TYPES = {"individual": "Individual", "vessel": "Vessel", "aircraft": "Aircraft",
          "entity": "Entity"}

# --- consolidated list: which non-SDN list a row is on -------------------------------------------
#
# The legacy consolidated CSV has no list column; the program tag is what names the list. Each tag
# below appears on exactly one list in the U.S. Consolidated Screening List of 2026-07-31
# (../shared/reference/csl, built by trade.gov from OFAC's data, which states list membership):
# CMIC-EO13959 on all 68 CMIC rows; NS-PLC on all 78 PLC rows; 561-Related (Part 561 of the Iranian
# Financial Sanctions Regulations) on the CAP row; UKRAINE-EO13662 (E.O. 13662, the sectoral
# directives) on all 285 SSI rows; HKAA, CAATSA - RUSSIA, BURMA-EO14014 and ILLICIT-DRUGS-EO14059
# only on NS-MBS rows. FSE-IR and FSE-SY are the tags of the Foreign Sanctions Evaders list
# (E.O. 13608, Iran and Syria); the CSL of 2026 has no FSE row, FSE-SY is seen in the 2021 sdn.csv.
# Tags that only accompany one of these (SDGT on PLC rows; VENEZUELA-EO13850, UKRAINE-EO13685 and
# IRAN-CON-ARMS-EO on SSI rows) decide nothing.
CONS_PROGRAM_LISTS: dict[str, str] = {
    "CMIC-EO13959": "CMIC",
    "NS-PLC": "PLC",
    "561-Related": "CAP",
    "UKRAINE-EO13662": "SSI",
    "HKAA": "NS-MBS",
    "CAATSA - RUSSIA": "NS-MBS",
    "BURMA-EO14014": "NS-MBS",
    "ILLICIT-DRUGS-EO14059": "NS-MBS",
    "FSE-IR": "FSE",
    "FSE-SY": "FSE",
}
# RUSSIA-EO14024 is the authority of several directives that put a party on different lists: on
# the CSL it appears alone on NS-MBS rows (the E.O. 14024 Directive 4 parties: Central Bank,
# National Wealth Fund, Ministry of Finance) and beside UKRAINE-EO13662 on SSI rows. OFAC's Remarks
# say which E.O. 14024 directive a row is subject to: Directive 2 (correspondent and payable-through
# accounts) is the CAPTA list, Directives 3 (new debt and equity) and 4 the NS-MBS list. A row with
# RUSSIA-EO14024 and no other list is NS-MBS.
_EO14024 = "RUSSIA-EO14024"
_EO14024_DIRECTIVE = re.compile(
    r"\(EO 14024 Directive (\d+[a-z]?)\)|14024 Directive Information -? ?Subject to Directive "
    r"(\d+[a-z]?)"
)
_EO14024_LISTS = {"2": "CAP", "3": "NS-MBS", "4": "NS-MBS"}
# Tags only the consolidated list carries; on an SDN file they mean the wrong file was given.
_NON_SDN_ONLY = frozenset({"CMIC-EO13959", "HKAA", "561-Related"})

_CMIC_LISTING = re.compile(r"Listing Date \(CMIC\):? (\d{1,2} [A-Z][a-z]{2} \d{4})")

# --- country names --------------------------------------------------------------------------------
#
# OFAC writes country names, not codes. Names pycountry knows (by name, official or common name,
# accents and punctuation ignored) resolve through it; these are OFAC's other spellings. A name
# found in neither keeps its address with country None (the name stays in raw["addresses"]);
# "undetermined", "None Identified", "Netherlands Antilles" (no ISO code since 2010) and "Region:
# Kafia Kingi" (disputed between Sudan and South Sudan) are left unmapped on purpose.
OFAC_COUNTRY_NAMES: dict[str, str] = {
    "bahamas, the": "BS",
    "the bahamas": "BS",
    "brunei": "BN",
    "burma": "MM",
    "cape verde": "CV",
    "congo, democratic republic of the": "CD",
    "congo, republic of the": "CG",
    "gambia, the": "GM",
    "the gambia": "GM",
    "holy see": "VA",
    "ivory coast": "CI",
    "korea, north": "KP",
    "north korea": "KP",
    "korea, south": "KR",
    "south korea": "KR",
    "kosovo": "XK",
    "macau": "MO",
    "macedonia": "MK",
    "micronesia": "FM",
    "palestine": "PS",
    "palestinian": "PS",
    "region: gaza": "PS",
    "gaza": "PS",
    "west bank": "PS",
    "region: crimea": "UA",
    "region: northern mali": "ML",
    "russia": "RU",
    "sint maarten": "SX",
    "st. kitts & nevis": "KN",
    "st. kitts and nevis": "KN",
    "st. lucia": "LC",
    "st. vincent and the grenadines": "VC",
    "swaziland": "SZ",
    "turkey": "TR",
}


_OFAC_SPELLINGS = spellings(OFAC_COUNTRY_NAMES)


def ofac_country_code(name: str | None) -> str | None:
    """ISO 3166-1 alpha-2 code for a country name as OFAC writes it, or None if unknown."""
    return country_from_name(name, _OFAC_SPELLINGS)


# --- shared helpers -------------------------------------------------------------------------------


def _value(text: str | None) -> str | None:
    """A legacy CSV cell, None for `-0-` or empty."""
    if text is None:
        return None
    value = text.strip()
    return None if not value or value == "-0-" else value


def split_programs(text: str | None) -> list[str]:
    """'IRAN] [SDGT] [IRGC' (or '[IRAN] [SDGT]') -> ['IRAN', 'SDGT', 'IRGC']."""
    value = _value(text)
    if value is None:
        return []
    value = value.strip().removeprefix("[").removesuffix("]")
    return [p.strip() for p in value.split("] [") if p.strip()]


_WEAK_ALIAS = re.compile(r"^([afn])\.k\.a\. '(.+)'\.?$")
_DOB = re.compile(r"^(?:alt\. )?DOB (.+?)\.?$")


def _remark_segments(remarks: str | None) -> list[str]:
    return [s.strip() for s in (remarks or "").split("; ") if s.strip()]


def weak_aliases_from_remarks(remarks: str | None) -> list[dict[str, str]]:
    """OFAC's weak aliases, which the legacy CSV writes into Remarks: "a.k.a. 'BNC'"."""
    out = []
    for segment in _remark_segments(remarks):
        found = _WEAK_ALIAS.match(segment)
        if found:
            out.append({"type": f"{found.group(1)}ka", "name": found.group(2).strip()})
    return out


def dates_of_birth_from_remarks(remarks: str | None) -> list[str]:
    """The "DOB ..." and "alt. DOB ..." segments of Remarks, as written ("12 Jul 1986", "1938")."""
    out = []
    for segment in _remark_segments(remarks):
        found = _DOB.match(segment)
        if found:
            out.append(found.group(1).strip())
    return out


def consolidated_list_codes(
    programs: list[str], remarks: str | None, *, path: Path, line: int | None = None,
    record: int | None = None,
) -> list[str]:
    """The non-SDN list codes (CMIC, SSI, ...) of one consolidated row; see CONS_PROGRAM_LISTS.
    A row whose tags name no known list is refused rather than guessed at."""
    codes = {CONS_PROGRAM_LISTS[p] for p in programs if p in CONS_PROGRAM_LISTS}
    if _EO14024 in programs:
        for found in _EO14024_DIRECTIVE.finditer(remarks or ""):
            directive = found.group(1) or found.group(2)
            if directive in _EO14024_LISTS:
                codes.add(_EO14024_LISTS[directive])
        if not codes:
            codes.add("NS-MBS")
    if not codes:
        raise ListFileError(
            str(path), f"program(s) {', '.join(programs) or '(none)'} name no consolidated "
            "non-SDN list this version knows (CMIC, SSI, PLC, CAP, NS-MBS, FSE); refused rather "
            "than mislabelled", line=line, record=record, field="Program",
        )
    order = ("CMIC", "SSI", "CAP", "NS-MBS", "PLC", "FSE")
    return sorted(codes, key=order.index)


def _check_sdn_programs(programs: list[str], *, path: Path, line: int | None = None,
                        record: int | None = None) -> None:
    foreign = sorted(set(programs) & _NON_SDN_ONLY)
    if foreign:
        raise ListFileError(
            str(path), f"program {foreign[0]} belongs to OFAC's consolidated non-SDN list, not the "
            "SDN list; this looks like the consolidated file under an SDN name (name it "
            "cons_prim.csv / consolidated.xml)", line=line, record=record, field="Program",
        )


def _cmic_listing_date(remarks: str | None) -> date | None:
    found = _CMIC_LISTING.search(remarks or "")
    if not found:
        return None
    try:
        return datetime.strptime(found.group(1), "%d %b %Y").date()
    except ValueError:
        return None


def _unique(names: list[str], exclude: str) -> list[str]:
    seen: dict[str, None] = {}
    for name in names:
        if name and name != exclude:
            seen.setdefault(name, None)
    return list(seen)


def _entry(
    code: str, ent_num: int, name: str, type_: str, programs: list[str], remarks: str | None,
    aliases: list[dict[str, str]], weak: list[dict[str, str]], addresses: list[Address],
    raw_addresses: list[dict[str, Any]], extra: dict[str, Any],
) -> ListEntry:
    raw: dict[str, Any] = {"ent_num": ent_num}
    raw.update({k: v for k, v in extra.items() if v})
    if remarks:
        raw["remarks"] = remarks
    if aliases:
        raw["aliases"] = aliases
    if weak:
        raw["weak_aliases"] = weak
    if raw_addresses:
        raw["addresses"] = raw_addresses
    return ListEntry(
        list_code=code,
        name=name,
        source_name=LIST_NAMES[code],
        entity_number=str(ent_num),
        type=type_,
        alt_names=_unique([a["name"] for a in aliases], name),
        addresses=addresses,
        countries=countries_of(addresses),
        programs=programs,
        start_date=_cmic_listing_date(remarks) if code == "CMIC" else None,
        source_list_url=SOURCE_LIST_URL,
        key=f"{code}:{ent_num}",
        raw=raw,
    )


# --- legacy CSV -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OfacFiles:
    """The files of one legacy CSV release; a sibling is None when absent."""

    layout: _Layout
    primary: Path
    alt: Path | None
    add: Path | None
    comments: Path | None

    def present(self) -> list[Path]:
        return [p for p in (self.primary, self.alt, self.add, self.comments) if p is not None]


def _listing(directory: Path) -> dict[str, Path]:
    try:
        return {p.name.lower(): p for p in directory.iterdir() if p.is_file()}
    except OSError as exc:
        raise ListFileError(str(directory), f"cannot list the directory: {exc.strerror}") from None


def ofac_files(path: Path) -> OfacFiles:
    """The primary file and its siblings for `path` (a primary file or a directory holding one)."""
    if path.is_dir():
        listing = _listing(path)
        found = [listing[name] for name in _LAYOUTS if name in listing]
        if not found:
            raise ListFileError(str(path), "holds neither sdn.csv nor cons_prim.csv")
        if len(found) > 1:
            raise ListFileError(
                str(path), "holds both sdn.csv and cons_prim.csv; pass the one to load"
            )
        primary = found[0]
    elif path.is_file():
        primary = path
        listing = _listing(path.parent)
    else:
        raise ListFileError(str(path), "no such file")
    layout = _LAYOUTS.get(primary.name.lower())
    if layout is None:
        raise ListFileError(
            str(path), "an OFAC legacy CSV primary file must be named sdn.csv or cons_prim.csv "
            "(its aliases, addresses and comments are found by name next to it); rename it or "
            "pass its directory",
        )
    return OfacFiles(layout, primary, listing.get(layout.alt), listing.get(layout.add),
                     listing.get(layout.comments))


def _encoding(path: Path) -> str:
    """UTF-8 if every line is valid UTF-8 (ASCII included), else Windows-1252, decided in one
    pass over the raw lines before the text is parsed, so that a refusal names the right line:
    a line that is neither, a file mixing the two, and a line longer than bounded_lines allows
    (refused without reading it whole)."""
    try:
        handle: BinaryIO = path.open("rb")
    except OSError as exc:
        raise ListFileError(str(path), f"cannot be read: {exc.strerror}") from None
    first_utf8 = first_cp1252 = None
    with handle:
        number = 0
        while line := handle.readline(_MAX_LINE_BYTES + 1):
            number += 1
            if len(line) > _MAX_LINE_BYTES:
                raise ListFileError(
                    str(path), f"has a line longer than {MAX_LINE_CHARS:,} characters; refused "
                    "(corrupt or hostile file)", line=number,
                )
            if line.isascii():
                continue
            try:
                line.decode("utf-8")
                first_utf8 = first_utf8 or number
            except UnicodeDecodeError:
                try:
                    line.decode("cp1252")
                except UnicodeDecodeError as exc:
                    raise ListFileError(
                        str(path), f"is neither UTF-8 nor Windows-1252 (cp1252) text: byte "
                        f"0x{line[exc.start]:02X} at column {exc.start + 1}", line=number,
                    ) from None
                first_cp1252 = first_cp1252 or number
            if first_utf8 and first_cp1252:
                raise ListFileError(
                    str(path), f"mixes encodings: line {first_utf8} is UTF-8 text, line "
                    f"{first_cp1252} is not (Windows-1252?); refused rather than mis-decoded",
                    line=max(first_utf8, first_cp1252),
                )
    return "cp1252" if first_cp1252 else "utf-8-sig"


def _rows(path: Path, columns: tuple[str, ...]) -> Iterator[tuple[int, list[str]]]:
    """(line, row) for each record of a legacy CSV file, every row with exactly len(columns)
    fields; blank lines and the trailing end-of-file character are skipped."""
    encoding = _encoding(path)
    csv.field_size_limit(MAX_FIELD_CHARS)
    with open_text(path, encoding) as handle:
        reader = csv.reader(bounded_lines(handle, path), strict=True)
        try:
            for row in reader:
                if all(not cell.strip(" \t\r\n\x1a") for cell in row):
                    continue
                if len(row) != len(columns):
                    raise ListFileError(
                        str(path), f"row has {len(row)} fields, expected {len(columns)} "
                        f"({', '.join(columns)}): truncated or malformed row",
                        line=reader.line_num,
                    )
                yield reader.line_num, row
        except csv.Error as exc:
            raise ListFileError(str(path), f"malformed CSV: {exc}", line=reader.line_num) \
                from None


def _ent_num(text: str, path: Path, line: int) -> int:
    value = text.strip()
    if not value.isdigit():
        raise ListFileError(str(path), f"'{value}' is not an OFAC entry number", line=line,
                            field="ent_num")
    return int(value)


@dataclass(slots=True)
class _Index:
    """Rows of one sibling file by ent_num, and how many rows it had."""

    path: Path | None
    rows: dict[int, list[Any]]
    total: int = 0


def _alt_index(path: Path | None) -> _Index:
    index = _Index(path, {})
    if path is None:
        return index
    for line, row in _rows(path, ALT_COLUMNS):
        ent = _ent_num(row[0], path, line)
        name = _value(row[3])
        if name is None:
            raise ListFileError(str(path), "is empty", line=line, field="alt_name")
        alias = {"type": (_value(row[2]) or "aka").replace(".", "").lower(), "name": name}
        if remark := _value(row[4]):
            alias["remarks"] = remark
        index.rows.setdefault(ent, []).append(alias)
        index.total += 1
    return index


def _add_index(path: Path | None) -> _Index:
    index = _Index(path, {})
    if path is None:
        return index
    for line, row in _rows(path, ADD_COLUMNS):
        ent = _ent_num(row[0], path, line)
        fields = {"address": _value(row[2]), "city": _value(row[3]), "country": _value(row[4]),
                  "remarks": _value(row[5])}
        # An all-empty row (an entry with no known address) is kept as {} for the row count.
        index.rows.setdefault(ent, []).append({k: v for k, v in fields.items() if v})
        index.total += 1
    return index


def _comment_index(path: Path | None) -> _Index:
    index = _Index(path, {})
    if path is None:
        return index
    for line, row in _rows(path, COMMENT_COLUMNS):
        ent = _ent_num(row[0], path, line)
        index.rows.setdefault(ent, []).append(row[1])
        index.total += 1
    return index


def _addresses(raw: list[dict[str, Any]]) -> list[Address]:
    return [
        Address(address=a.get("address"), city=a.get("city"), state=a.get("state"),
                postal_code=a.get("postal_code"), country=ofac_country_code(a.get("country")))
        for a in raw
    ]


class OfacCsvParser:
    """OFAC legacy CSV: sdn.csv (list SDN) or cons_prim.csv (the consolidated non-SDN lists),
    with their alias, address and comment files found next to them.

    `path` is the primary file or a directory holding it. Alias and address files may be absent
    (ListMeta.extra["missing"] says so) but must parse when present. Sibling rows pointing at an
    entry the primary file does not hold are counted in ListMeta.extra["orphan_rows"] once the
    entries are read; more than 1% of a file's rows refuses the load (files of different releases).
    """

    format = "ofac-csv"

    def __init__(self) -> None:
        self._metas: dict[Path, ListMeta] = {}

    @staticmethod
    def sniff(path: Path, head: bytes) -> bool:
        """True for sdn.csv / cons_prim.csv (or a directory holding one), or a file whose first
        line reads like a legacy primary row: `<int>,"<name>",...` with `-0-` fields."""
        if path.is_dir():
            names = {p.name.lower() for p in path.iterdir()} if path.exists() else set()
            return any(name in names for name in _LAYOUTS)
        if path.name.lower() in _LAYOUTS:
            return True
        first = head.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0]
        return bool(re.match(rb'\d+,"[^"]+",', first)) and b"-0-" in first

    @staticmethod
    def files(path: Path) -> list[Path]:
        """Every file the load reads (for a checksum over all of them)."""
        return ofac_files(path).present()

    def meta(self, path: Path) -> ListMeta:
        if path not in self._metas:
            files = ofac_files(path)
            missing = [name for name, p in (
                (files.layout.alt, files.alt), (files.layout.add, files.add),
                (files.layout.comments, files.comments)) if p is None]
            self._metas[path] = ListMeta(
                source=files.layout.source, format=self.format,
                extra={"list": files.layout.list, "primary": files.primary.name,
                       "files": [p.name for p in files.present()], "missing": missing},
            )
        return self._metas[path]

    def entries(self, path: Path) -> Iterator[ListEntry]:
        meta = self.meta(path)
        files = ofac_files(path)
        aliases = _alt_index(files.alt)
        addresses = _add_index(files.add)
        comments = _comment_index(files.comments)
        seen: set[int] = set()
        for line, row in _rows(files.primary, PRIMARY_COLUMNS):
            ent = _ent_num(row[0], files.primary, line)
            if ent in seen:
                raise ListFileError(str(files.primary), f"entry number {ent} appears twice",
                                    line=line, field="ent_num")
            seen.add(ent)
            yield from self._entries(
                files, row, ent, line, aliases.rows.pop(ent, []), addresses.rows.pop(ent, []),
                "".join(comments.rows.pop(ent, [])),
            )
        orphans: dict[str, int] = {}
        for index in (aliases, addresses, comments):
            if index.path is None:
                continue
            count = sum(len(v) for v in index.rows.values())
            orphans[index.path.name] = count
            if count and count > MAX_ORPHAN_SHARE * index.total:
                sample = ", ".join(str(e) for e in sorted(index.rows)[:5])
                raise ListFileError(
                    str(index.path), f"{count:,} of its {index.total:,} rows point at entry "
                    f"numbers {files.primary.name} does not hold (e.g. {sample}): the files are "
                    "not from the same release", field="ent_num",
                )
        meta.extra["orphan_rows"] = orphans

    @staticmethod
    def _entries(files: OfacFiles, row: list[str], ent: int, line: int,
                 aliases: list[dict[str, str]], raw_addresses: list[dict[str, Any]],
                 continuation: str) -> Iterator[ListEntry]:
        path = files.primary
        name = _value(row[1])
        if name is None:
            raise ListFileError(str(path), "is empty", line=line, field="SDN_Name")
        kind = _value(row[2])
        type_ = _TYPES.get(kind.lower(), kind.title()) if kind else "Entity"
        programs = split_programs(row[3])
        remarks = ((_value(row[11]) or "") + continuation).strip() or None
        if files.layout.list == "sdn":
            _check_sdn_programs(programs, path=path, line=line)
            codes = ["SDN"]
        else:
            codes = consolidated_list_codes(programs, remarks, path=path, line=line)
        extra = {
            "title": _value(row[4]),
            "vessel": {k: v for k, v in (
                ("call_sign", _value(row[5])), ("vessel_type", _value(row[6])),
                ("tonnage", _value(row[7])), ("gross_registered_tonnage", _value(row[8])),
                ("flag", _value(row[9])), ("owner", _value(row[10]))) if v},
            "dates_of_birth": dates_of_birth_from_remarks(remarks),
        }
        weak = weak_aliases_from_remarks(remarks)
        raw_addresses = [a for a in raw_addresses if a.keys() - {"remarks"}]
        for code in codes:
            yield _entry(code, ent, name, type_, programs, remarks, aliases, weak,
                         _addresses(raw_addresses), raw_addresses, extra)


# --- legacy XML -----------------------------------------------------------------------------------


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1]


def _children(element: Element | None, name: str) -> list[Element]:
    if element is None:
        return []
    return [child for child in element if _local(child.tag) == name]


def _child(element: Element | None, name: str) -> Element | None:
    found = _children(element, name)
    return found[0] if found else None


def _text(element: Element | None, name: str | None = None) -> str | None:
    node = _child(element, name) if name is not None else element
    if node is None or node.text is None:
        return None
    return node.text.strip() or None


def _publish_date(text: str | None, path: Path) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.strptime(text.strip(), "%m/%d/%Y").replace(tzinfo=UTC)
    except ValueError:
        raise ListFileError(str(path), f"'{text}' is not a date (MM/DD/YYYY)",
                            field="Publish_Date") from None


def _record_count(text: str | None, path: Path) -> int | None:
    if not text:
        return None
    if not text.strip().isdigit():
        raise ListFileError(str(path), f"'{text}' is not a count", field="Record_Count")
    return int(text)


class OfacXmlParser:
    """OFAC's legacy SDN.XML (schema sdn.xsd), any namespace. Parsed with defusedxml, DTDs
    refused, one sdnEntry at a time. The publication's Record_Count is checked against the entries
    read. A file whose name contains "cons" (consolidated.xml, the same schema) is read as the
    consolidated non-SDN list, its list codes decided as for cons_prim.csv.
    """

    format = "ofac-sdn-xml"

    def __init__(self) -> None:
        self._metas: dict[Path, ListMeta] = {}

    @staticmethod
    def sniff(path: Path, head: bytes) -> bool:
        return path.is_file() and b"<sdnList" in head

    @staticmethod
    def _is_consolidated(path: Path) -> bool:
        return "cons" in path.name.lower()

    def meta(self, path: Path) -> ListMeta:
        if path not in self._metas:
            self._metas[path] = self._read_head(path)
        return self._metas[path]

    def _read_head(self, path: Path) -> ListMeta:
        consolidated = self._is_consolidated(path)
        meta = ListMeta(source="ofac-cons" if consolidated else "ofac-sdn", format=self.format,
                        extra={"list": "cons" if consolidated else "sdn"})
        events = self._events(path)
        try:
            for event, element in events:
                if event == "start":
                    if meta.extra.get("namespace") is None:
                        meta.extra["namespace"] = self._root_namespace(element, path)
                    if _local(element.tag) == "sdnEntry":
                        break
                    continue
                if _local(element.tag) == "publshInformation":
                    meta.generated_at = _publish_date(_text(element, "Publish_Date"), path)
                    meta.declared_count = _record_count(_text(element, "Record_Count"), path)
                    break
        finally:
            events.close()
        return meta

    @staticmethod
    def _root_namespace(element: Element, path: Path) -> str:
        if _local(element.tag) != "sdnList":
            raise ListFileError(str(path), f"root element is <{_local(element.tag)}>, not "
                                "<sdnList> (OFAC legacy XML)", line=1)
        tag = str(element.tag)
        return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""

    @staticmethod
    def _events(path: Path) -> Iterator[tuple[str, Element]]:
        try:
            handle = path.open("rb")
        except OSError as exc:
            raise ListFileError(str(path), f"cannot be read: {exc.strerror}") from None
        with handle:
            yield from xml_events(handle, path)

    def entries(self, path: Path) -> Iterator[ListEntry]:
        meta = self.meta(path)
        consolidated = self._is_consolidated(path)
        root: Element | None = None
        count = 0
        for event, element in self._events(path):
            if event == "start":
                if root is None:
                    self._root_namespace(element, path)
                    root = element
                continue
            if _local(element.tag) != "sdnEntry":
                continue
            count += 1
            yield from self._entries(element, path, count, consolidated)
            if root is not None:
                root.clear()  # the entry and everything read before it
        if count == 0:
            raise ListFileError(str(path), "holds no sdnEntry")
        if meta.declared_count is not None and count != meta.declared_count:
            raise ListFileError(
                str(path), f"declares {meta.declared_count:,} entries but holds {count:,} "
                "(truncated or altered file)", field="Record_Count",
            )

    @staticmethod
    def _entries(element: Element, path: Path, record: int,
                 consolidated: bool) -> Iterator[ListEntry]:
        uid = _text(element, "uid")
        if uid is None or not uid.isdigit():
            raise ListFileError(str(path), f"'{uid or ''}' is not an OFAC entry number",
                                record=record, field="uid")
        ent = int(uid)
        last, first = _text(element, "lastName"), _text(element, "firstName")
        name = f"{last}, {first}" if last and first else (last or first)
        if not name:
            raise ListFileError(str(path), "is empty", record=record, field="lastName")
        kind = _text(element, "sdnType")
        type_ = _TYPES.get(kind.lower(), kind) if kind else "Entity"
        programs = [p for p in (_text(n) for n in
                                _children(_child(element, "programList"), "program")) if p]
        remarks = _text(element, "remarks")
        aliases, weak = [], []
        for aka in _children(_child(element, "akaList"), "aka"):
            a_last, a_first = _text(aka, "lastName"), _text(aka, "firstName")
            a_name = f"{a_last}, {a_first}" if a_last and a_first else (a_last or a_first)
            if not a_name:
                continue
            alias = {"type": (_text(aka, "type") or "a.k.a.").replace(".", "").lower(),
                     "name": a_name}
            (weak if (_text(aka, "category") or "").lower() == "weak" else aliases).append(alias)
        raw_addresses = []
        for node in _children(_child(element, "addressList"), "address"):
            lines = [t for t in (_text(node, f"address{i}") for i in (1, 2, 3)) if t]
            fields = {"address": ", ".join(lines) or None, "city": _text(node, "city"),
                      "state": _text(node, "stateOrProvince"),
                      "postal_code": _text(node, "postalCode"), "country": _text(node, "country")}
            if any(fields.values()):
                raw_addresses.append({k: v for k, v in fields.items() if v})
        if consolidated:
            codes = consolidated_list_codes(programs, remarks, path=path, record=record)
        else:
            _check_sdn_programs(programs, path=path, record=record)
            codes = ["SDN"]
        vessel = _child(element, "vesselInfo")
        extra = {
            "title": _text(element, "title"),
            "vessel": {k: v for k, v in (
                ("call_sign", _text(vessel, "callSign")),
                ("vessel_type", _text(vessel, "vesselType")),
                ("tonnage", _text(vessel, "tonnage")),
                ("gross_registered_tonnage", _text(vessel, "grossRegisteredTonnage")),
                ("flag", _text(vessel, "vesselFlag")), ("owner", _text(vessel, "vesselOwner")),
            ) if v} if vessel is not None else {},
            "dates_of_birth": [d for d in (_text(n, "dateOfBirth") for n in _children(
                _child(element, "dateOfBirthList"), "dateOfBirthItem")) if d],
            "places_of_birth": [p for p in (_text(n, "placeOfBirth") for n in _children(
                _child(element, "placeOfBirthList"), "placeOfBirthItem")) if p],
            "nationalities": [c for c in (_text(n, "country") for n in _children(
                _child(element, "nationalityList"), "nationality")) if c],
            "citizenships": [c for c in (_text(n, "country") for n in _children(
                _child(element, "citizenshipList"), "citizenship")) if c],
            "ids": [{k: v for k, v in (("type", _text(n, "idType")),
                                         ("number", _text(n, "idNumber")),
                                         ("country", _text(n, "idCountry"))) if v}
                    for n in _children(_child(element, "idList"), "id")],
        }
        for code in codes:
            yield _entry(code, ent, name, type_, programs, remarks, aliases, weak,
                         _addresses(raw_addresses), raw_addresses, extra)
