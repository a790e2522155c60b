"""Parser for the Entity List as the CFR publishes it: 15 CFR Part 744, Supplement No. 4, as XML.

Input: the eCFR XML of Part 744 (https://www.ecfr.gov/api/versioner/v1/full/{date}/title-15.xml
?part=744), the whole of Title 15 (GPO bulk data, https://www.govinfo.gov/bulkdata/ECFR), or the
supplement alone. The supplement is `<DIV9 N="Supplement No. 4 to Part 744" TYPE="APPENDIX">`
headed `<HEAD>Supplement No. 4 to Part 744—Entity List</HEAD>`. The eCFR renders its table as HTML
(`<TABLE><TR><TH>Country</TH><TH>Entity</TH><TH>License requirement</TH><TH>License review
policy</TH><TH>Federal Register citation</TH></TR><TR><TD>...`; eCFR XML user guide,
github.com/usgpo/bulk-data ECFR-XML-User-Guide.md); the annual CFR and the Federal Register use
GPO's table markup (`<GPOTABLE><BOXHD><CHED>..</CHED></BOXHD><ROW><ENT>..</ENT></ROW>`). Both are
read. A row whose Country cell is empty continues the country above it. The printed table puts
one line per row: a row holding only an Entity cell that is a further line of the entry above (an
'—alias' line, the address after the aliases, a line after one ending in ':', ';' or 'and') is
joined to it; any other Entity-only row is an entry of its own sharing the licence cells and
citations above it (raw['cells_from_row']). A one-cell row spanning the table is a note, kept in
ListMeta.extra['table_notes'].

The Entity cell holds the name, the aliases ('Name, a.k.a., the following two aliases: —Alias 1;
and —Alias 2.') and then the address(es). The table has no start date: the Federal Register
citations ('84 FR 54002, 10/9/19') date each entry (see lists/listing_dates.py). Footnote markers
(`<SU>4</SU>`) are kept apart from the cell text, in raw['footnotes'].

The XML is streamed with defusedxml's iterparse: a DTD and any entity (internal or external) are
refused, and each table row is cleared once read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

from exportguard.countries import country_from_name, spellings
from exportguard.errors import ListFileError
from exportguard.lists.base import ListMeta, fallback_key, xml_events
from exportguard.lists.codes import LIST_NAMES
from exportguard.model import Address, ListEntry

SUPPLEMENT = "Supplement No. 4 to Part 744"
SOURCE_LIST_URL = (
    "https://www.ecfr.gov/current/title-15/subtitle-B/chapter-VII/subchapter-C/part-744/"
    "appendix-Supplement%20No.%204%20to%20Part%20744"
)
# Title 15 as one eCFR XML file is far smaller; a bigger file is not an eCFR part.
MAX_FILE_BYTES = 256 << 20

_COLUMNS = {
    "country": "country",
    "entity": "entity",
    "license requirement": "license_requirement",
    "license review policy": "license_policy",
    "federal register citation": "federal_register",
}
_ORDER = ("country", "entity", "license_requirement", "license_policy", "federal_register")
_ROW_TAGS = {"TR", "ROW"}
_CELL_TAGS = {"TD", "TH", "ENT"}
_HEAD_TAGS = {"HEAD", "HD"}
_SUPERSCRIPT = {"SU", "SUP", "FTREF"}
_BLOCKS = {"P", "FP", "PSPACE", "DIV", "LI", "FP-1", "FP-2", "FP-DASH"}

# Country names as the Entity List writes them (upper case) that pycountry does not resolve.
_EL_COUNTRIES: dict[str, str] = {
    "CHINA, PEOPLE'S REPUBLIC OF": "CN",
    "CHINA": "CN",
    "HONG KONG": "HK",
    "MACAU": "MO",
    "TAIWAN": "TW",
    "RUSSIA": "RU",
    "IRAN": "IR",
    "SYRIA": "SY",
    "KOREA, NORTH": "KP",
    "KOREA, SOUTH": "KR",
    "NORTH KOREA": "KP",
    "SOUTH KOREA": "KR",
    "BURMA": "MM",
    "VIETNAM": "VN",
    "LAOS": "LA",
    "MOLDOVA": "MD",
    "BOLIVIA": "BO",
    "VENEZUELA": "VE",
    "TANZANIA": "TZ",
    "TURKEY": "TR",
    "TURKIYE": "TR",
    "TÜRKIYE": "TR",
    "UNITED KINGDOM": "GB",
    "UNITED ARAB EMIRATES": "AE",
    "CZECH REPUBLIC": "CZ",
    "CRIMEA REGION OF UKRAINE": "UA",
    "CRIMEA (OCCUPIED) REGION OF UKRAINE": "UA",
    "KOSOVO": "XK",
    "WEST BANK": "PS",
    "GAZA": "PS",
    "BRUNEI": "BN",
    "CONGO, DEMOCRATIC REPUBLIC OF THE": "CD",
    "CONGO, REPUBLIC OF THE": "CG",
    "COTE D'IVOIRE": "CI",
    "IVORY COAST": "CI",
    "MICRONESIA": "FM",
    "NETHERLANDS ANTILLES": "CW",
    "SAINT KITTS AND NEVIS": "KN",
}

# 'a.k.a.' with the Entity List's wordings: ', a.k.a., the following two aliases:' (then
# '—Alias;' items), ', a.k.a., Alias,' and '(a.k.a. Alias)'.
_AKA = re.compile(
    r",?\s*(?P<paren>\()?\s*a\.k\.a\.?,?\s*"
    r"(?:the\s+following\s+(?P<count>[\w-]+)\s+alias(?:es)?\s*:)?\s*",
    re.IGNORECASE,
)
_DASH = re.compile(r"[—–]")
_COUNT_WORDS = {w: i for i, w in enumerate((
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
    "twenty"))}
# Words a period follows inside a name or an address, not at its end.
_NON_FINAL = {"co", "no", "nos", "st", "rd", "ave", "bldg", "blvd", "apt", "fl", "mr", "mrs",
              "ms", "dr", "prof", "gen", "lt", "col", "ul", "pr", "str", "sq", "vol", "rm", "tel"}
# Words that keep their period at the end of a name ('Co., Ltd.', 'Inc.').
_KEEP_PERIOD = {"co", "ltd", "inc", "corp", "ltda", "pvt", "pte", "bhd", "jr", "sr", "cie", "cia",
                "mfg", "intl", "bros", "plc", "llc", "lda", "sdn", "no", "st"}
# What may follow a comma inside a company name ('Huawei Technologies Co., Ltd.').
_NAME_SUFFIX = re.compile(
    r"(?:Ltd|LTD|Ltda|Limited|LIMITED|Inc|INC|Incorporated|LLC|L\.L\.C|LLP|L\.P|LP|Co\b|Corp|"
    r"Company|S\.A|S\.L|S\.R\.L|s\.r\.o|S\.p\.A|SpA|SA\b|SL\b|GmbH|A\.G|AG\b|B\.V|BV\b|N\.V|NV\b|"
    r"Pte|Pvt|PVT|Sdn|Bhd|JSC|PJSC|OJSC|CJSC|OOO|AO\b|PAO|ZAO|FZE|FZC|FZCO|PLC|plc|Jr|Sr|d\.o\.o|"
    r"a\.s|A\.S|Lda|K\.K|S\.A\.S|SAS|S\.A\.R\.L|SARL|SRL|U\.A)"
)
_CITATION = re.compile(
    r"(?P<vol>\d{1,3})\s*F\.?\s?R\.?\s*(?P<page>\d{1,6})"
    r"(?:\s*,?\s*(?P<date>\d{1,2}/\d{1,2}/\d{2,4}))?"
)
_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}
_AMDDATE = re.compile(r"([A-Za-z]+)\.?\s+(\d{1,2}),\s*(\d{4})")
_SPACES = re.compile(r"\s+")


@dataclass(slots=True)
class _Cells:
    """One table row as read: the text of each column, the Entity cell's lines, footnotes."""

    number: int
    values: dict[str, str]
    entity_lines: list[str]
    footnotes: dict[str, list[str]] = field(default_factory=dict)


@dataclass(slots=True)
class _Row:
    """One Entity List entry: its row(s), country and cells."""

    number: int
    country: str
    cells: dict[str, str]
    entity_lines: list[str]
    footnotes: dict[str, list[str]] = field(default_factory=dict)
    cells_from: int | None = None


@dataclass(slots=True)
class _State:
    """What a pass over the file saw besides rows: the supplement, the amendment date."""

    found: bool = False
    amddate: str | None = None
    notes: list[str] = field(default_factory=list)


def _span(cell: Element) -> int:
    value = cell.get("colspan") or cell.get("COLSPAN") or "1"
    return int(value) if value.isdigit() else 1


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1].upper() if isinstance(tag, str) else ""


def _clean(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _cell(elem: Element) -> tuple[list[str], list[str]]:
    """The cell's lines (a <br/> or a paragraph ends a line) and its footnote markers."""
    parts: list[str] = []
    notes: list[str] = []

    def walk(node: Element) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            tag = _local(child.tag)
            if tag in _SUPERSCRIPT or (tag == "E" and child.get("T") == "51"):
                mark = _clean("".join(child.itertext()))
                if mark:
                    notes.append(mark)
            elif tag == "BR":
                parts.append("\n")
            elif tag in _BLOCKS:
                parts.append("\n")
                walk(child)
                parts.append("\n")
            else:
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(elem)
    lines = [_clean(line) for line in "".join(parts).split("\n")]
    return [line for line in lines if line], notes


_EL_SPELLINGS = spellings(_EL_COUNTRIES)


def country_code(text: str) -> str | None:
    """ISO-2 code for a country as the Entity List writes it ('CHINA, PEOPLE'S REPUBLIC OF')."""
    name = _clean(text.replace("’", "'")).rstrip(" *0123456789")
    return country_from_name(name, _EL_SPELLINGS) if name else None


def split_citations(text: str) -> list[str]:
    """'84 FR 22963, 5/21/19. 85 FR 51603, 8/20/20.' -> ['84 FR 22963, 5/21/19',
    '85 FR 51603, 8/20/20'] (the form lists/listing_dates.py reads)."""
    found: list[str] = []
    for cite in _CITATION.finditer(text):
        value = f"{int(cite['vol'])} FR {int(cite['page'])}"
        if cite["date"]:
            value += f", {cite['date']}"
        if value not in found:
            found.append(value)
    return found


def _ends_name(word: str) -> bool:
    """Does a period after `word` end the text (rather than abbreviate inside it)?"""
    bare = word.rstrip(".").casefold()
    return not (bare in _NON_FINAL or len(bare) <= 1)


def _strip_end(text: str) -> str:
    """Trailing separators off a name or alias: '; and', ';', ',', and a period that is not part
    of an abbreviation ('Sense Time.' -> 'Sense Time', 'Co., Ltd.' stays)."""
    value = text.strip()
    while True:
        before = value
        value = re.sub(r"(?:[;,]\s*)?\band$", "", value).strip()
        value = value.rstrip(";,").strip()
        if value == before:
            break
    if value.endswith(".") and not value.endswith(".."):
        last = value[:-1].rsplit(" ", 1)[-1]
        bare = last.casefold().rstrip(".")
        if not (bare in _KEEP_PERIOD or len(bare) <= 1 or "." in last):
            value = value[:-1].rstrip()
    return value


def _split_name(text: str) -> tuple[str, str]:
    """'Dahua Technology, No. 1199 Bin'an Road, ...' -> name, address. A comma followed by a
    company suffix ('Co., Ltd.') stays inside the name."""
    start = 0
    while True:
        index = text.find(",", start)
        if index == -1:
            return _strip_end(text), ""
        after = text[index + 1:].lstrip()
        if _NAME_SUFFIX.match(after):
            start = index + 1
            continue
        return _strip_end(text[:index]), after.strip()


def _split_alias_address(text: str) -> tuple[str, str]:
    """The last alias and the address after it, on one line ('Sense Time. Room 1803, ...'):
    the first period that ends a word which is not an abbreviation."""
    for stop in re.finditer(r"\.(?:\s+|$)", text):
        word = text[:stop.start()].rsplit(" ", 1)[-1]
        if _ends_name(word):
            return text[:stop.start() + 1], text[stop.end():].strip()
    return text, ""


@dataclass(slots=True)
class ParsedEntity:
    name: str
    aliases: list[str]
    addresses: list[str]
    declared_aliases: int | None = None


def parse_entity_cell(lines: list[str]) -> ParsedEntity:
    """Name, aliases and address(es) of an Entity List 'Entity' cell."""
    text = "\n".join(lines)
    aka = _AKA.search(text)
    aliases: list[str] = []
    declared: int | None = None
    if aka is None:
        first, _, later = text.partition("\n")
        name, address = _split_name(first)
        rest = "\n".join(p for p in (address, later) if p)
    else:
        name = _strip_end(text[:aka.start()])
        after = text[aka.end():]
        if aka["count"]:
            count = aka["count"].casefold()
            declared = int(count) if count.isdigit() else _COUNT_WORDS.get(count)
            pieces = _DASH.split(after)
            lead, items = pieces[0], pieces[1:]
            if lead.strip() and not items:  # 'the following alias: X' without the dash
                items, lead = [lead], ""
            rest = ""
            for index, item in enumerate(items):
                if index < len(items) - 1:
                    alias = item
                else:
                    alias, _, tail = item.strip().partition("\n")
                    if not tail:
                        alias, tail = _split_alias_address(alias)
                    rest = tail
                alias = " ".join(alias.split())
                if index == len(items) - 1 and alias.endswith(".") and not alias.endswith(".."):
                    alias = alias[:-1]  # the period that ends the alias list
                alias = _strip_end(alias)
                if alias:
                    aliases.append(alias)
        elif aka["paren"]:
            inner, _, tail = after.partition(")")
            aliases = [_strip_end(a) for a in re.split(r";", inner) if _strip_end(a)]
            rest = tail.lstrip(" ,;.\n")
        else:
            alias, _, tail = after.partition("\n")
            alias, sep, same_line = alias.partition(",")
            aliases = [_strip_end(alias)] if _strip_end(alias) else []
            rest = "\n".join(p for p in (same_line.strip() if sep else "", tail) if p)
    addresses = [
        a for a in (_strip_end(part) for part in
                    re.split(r";\s*(?:and\s+)?|\n", rest.strip()) if part.strip())
        if a
    ]
    return ParsedEntity(name=name, aliases=aliases, addresses=addresses, declared_aliases=declared)


def _continues(previous: str, line: str) -> bool:
    """Is `line` (an Entity cell alone on its row) a further line of the entry whose last line
    is `previous`?"""
    if _DASH.match(line) or _DASH.match(previous):
        return True
    return previous.rstrip().endswith((":", ";", ",")) or re.search(r"\band$", previous) is not None


def _amddate(text: str) -> datetime | None:
    """'Jul. 23, 2026' (also 'July 23, 2026', 'Dec. 29, 2022(fm)') -> 2026-07-23T00:00Z."""
    found = _AMDDATE.search(text)
    if not found:
        return None
    month = _MONTHS.get(found[1][:3].casefold())
    if month is None:
        return None
    try:
        return datetime(int(found[3]), month, int(found[2]), tzinfo=UTC)
    except ValueError:
        return None


class EcfrEntityListParser:
    """The Entity List table of 15 CFR Part 744 Supplement No. 4, from eCFR (or CFR/FR) XML."""

    format = "ecfr-el"

    def __init__(self) -> None:
        self._metas: dict[Path, ListMeta] = {}

    @staticmethod
    def sniff(path: Path, head: bytes) -> bool:
        text = head.decode("utf-8", "replace").casefold()
        if SUPPLEMENT.casefold() in text and any(
            tag in text for tag in ("<gpotable", "<div", "<table")
        ):
            return True
        if re.search(r'<div5\b[^>]*\bn="744"', text):
            return True  # Part 744 from the eCFR API: the supplement lies beyond the head
        # Title 15 as GPO's bulk file ('<DLPSTEXTCLASS>... Title 15: Commerce and Foreign Trade').
        return "<dlpstextclass" in text and re.search(r"title 15\b", text) is not None

    def meta(self, path: Path) -> ListMeta:
        """Reads up to the supplement's first table row (so a file without one is refused here).
        A later `entries` pass adds to its `extra` the entry count and any note rows spanning the
        whole table (a footnote row: not an entry)."""
        state = _State()
        rows = self._rows(path, state)
        try:
            if next(rows, None) is None:
                self._no_table(path, state)
        finally:
            rows.close()
        extra: dict[str, object] = {}
        if state.amddate:
            extra["amddate"] = state.amddate
        meta = ListMeta(source="ecfr-el", format=self.format,
                        generated_at=_amddate(state.amddate) if state.amddate else None,
                        extra=extra)
        self._metas[path] = meta
        return meta

    def entries(self, path: Path) -> Iterator[ListEntry]:
        state = _State()
        count = 0
        for row in self._rows(path, state):
            entry = self._entry(row, path)
            if entry is not None:
                count += 1
                yield entry
        if count == 0:
            self._no_table(path, state)
        meta = self._metas.get(path)
        if meta is not None:  # what only a full pass sees
            meta.extra["entries"] = count
            if state.notes:
                meta.extra["table_notes"] = state.notes

    @staticmethod
    def _no_table(path: Path, state: _State) -> None:
        if not state.found:
            raise ListFileError(str(path), f"has no {SUPPLEMENT} (Entity List)")
        raise ListFileError(str(path), f"{SUPPLEMENT} holds no Entity List table rows")

    def _rows(self, path: Path, state: _State) -> Iterator[_Row]:
        """The supplement's entries, each with its country, Entity-only rows joined to the entry
        above or sharing its cells (see the module's docstring)."""
        pending: _Row | None = None
        country = ""
        for cells in self._cells(path, state):
            if cells.values["country"]:
                country = cells.values["country"]
            entity = cells.values["entity"]
            others = [v for k, v in cells.values.items() if k not in ("country", "entity") and v]
            if not entity or entity.strip("[]. ").casefold() == "reserved":
                if entity or not others:
                    continue  # '[Reserved]', a country heading or an empty row
                raise ListFileError(str(path), f"{SUPPLEMENT} table row has no Entity but other "
                                    "cells", record=cells.number, field="entity")
            if not country:
                raise ListFileError(str(path), f"{SUPPLEMENT} table row has no country and none "
                                    "above it", record=cells.number, field="country")
            if pending is not None and not others and not cells.values["country"]:
                if _continues(pending.entity_lines[-1], cells.entity_lines[0]):
                    pending.entity_lines.extend(cells.entity_lines)
                    pending.cells["entity"] = " ".join(pending.entity_lines)
                    for column, notes in cells.footnotes.items():
                        pending.footnotes.setdefault(column, []).extend(notes)
                    continue
                shared = {k: v for k, v in pending.cells.items() if k != "entity"}
                row = _Row(number=cells.number, country=country,
                           cells={**shared, "entity": entity}, entity_lines=cells.entity_lines,
                           footnotes=dict(cells.footnotes), cells_from=pending.number)
            else:
                row = _Row(number=cells.number, country=country, cells=dict(cells.values),
                           entity_lines=cells.entity_lines, footnotes=dict(cells.footnotes))
            if pending is not None:
                yield pending
            pending = row
        if pending is not None:
            yield pending

    def _cells(self, path: Path, state: _State) -> Iterator[_Cells]:
        """The data rows of the supplement's table, streamed."""
        if not path.is_file():
            raise ListFileError(str(path), "no such file")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ListFileError(
                str(path), f"is {size:,} bytes, over the {MAX_FILE_BYTES:,} an eCFR part can be; "
                "refused",
            )
        stack: list[Element] = []
        supp_depth: int | None = None
        header: list[str] | None = None
        number = 0
        with path.open("rb") as handle:
            for event, elem in xml_events(handle, path):
                if event == "start":
                    stack.append(elem)
                    if supp_depth is None and _clean(elem.get("N", "")).casefold() == \
                            SUPPLEMENT.casefold():
                        supp_depth = len(stack) - 1
                        state.found = True
                    continue
                stack.pop()
                tag = _local(elem.tag)
                if supp_depth is None:
                    if tag == "AMDDATE" and state.amddate is None:
                        state.amddate = _clean("".join(elem.itertext()))
                    elif tag in _HEAD_TAGS and stack and _clean(
                        "".join(elem.itertext())
                    ).casefold().startswith(SUPPLEMENT.casefold()):
                        supp_depth = len(stack) - 1
                        state.found = True
                    elif tag.startswith("DIV") or tag in ("SECTION", "APPENDIX"):
                        elem.clear()  # a section before the supplement: not needed
                    continue
                if len(stack) == supp_depth:
                    return  # the end of the supplement
                if tag == "BOXHD":
                    header = self._header(
                        [c for c in elem if _local(c.tag) == "CHED"], path, number + 1
                    )
                    elem.clear()
                elif tag in _ROW_TAGS:
                    cells = [c for c in elem if _local(c.tag) in _CELL_TAGS]
                    if cells and all(_local(c.tag) == "TH" for c in cells):
                        header = self._header(cells, path, number + 1)
                    elif len(cells) == 1 and _span(cells[0]) > 1:
                        # A note across the whole table (a footnote row), not an entry.
                        state.notes.append(" ".join(_cell(cells[0])[0]))
                    elif cells:
                        number += 1
                        yield self._read_cells(cells, header, path, number)
                    elem.clear()

    @staticmethod
    def _header(cells: list[Element], path: Path, row: int) -> list[str]:
        names: list[str] = []
        for cell in cells:
            lines, _notes = _cell(cell)
            label = " ".join(lines).strip(" *").casefold()
            column = _COLUMNS.get(label)
            if column is None:
                raise ListFileError(
                    str(path), f"{SUPPLEMENT} table has an unexpected column '{' '.join(lines)}' "
                    f"(expected {', '.join(k.capitalize() for k in _COLUMNS)})", record=row,
                )
            names.append(column)
        missing = [c for c in _ORDER if c not in names]
        if missing:
            raise ListFileError(str(path), f"{SUPPLEMENT} table lacks the column(s) "
                                f"{', '.join(missing)}", record=row)
        return names

    @staticmethod
    def _read_cells(cells: list[Element], header: list[str] | None, path: Path,
                    number: int) -> _Cells:
        columns = header or list(_ORDER)
        if len(cells) != len(columns):
            raise ListFileError(
                str(path), f"{SUPPLEMENT} table row has {len(cells)} cells, the table "
                f"{len(columns)}", record=number,
            )
        read = _Cells(number=number, values={}, entity_lines=[])
        for column, cell in zip(columns, cells, strict=True):
            lines, notes = _cell(cell)
            read.values[column] = " ".join(lines)
            if column == "entity":
                read.entity_lines = lines
            if notes:
                read.footnotes[column] = notes
        return read

    @staticmethod
    def _entry(row: _Row, path: Path) -> ListEntry | None:
        parsed = parse_entity_cell(row.entity_lines)
        if not parsed.name:
            raise ListFileError(str(path), f"{SUPPLEMENT} table row: no name in the Entity "
                                f"cell '{row.cells['entity'][:80]}'", record=row.number,
                                field="entity")
        iso2 = country_code(row.country)
        addresses = [Address(address=a, country=iso2) for a in parsed.addresses]
        raw: dict[str, Any] = {
            "row": row.number,
            "country": row.country,
            "entity_text": row.cells["entity"],
        }
        optional: dict[str, Any] = {
            "federal_register_text": row.cells["federal_register"],
            "footnotes": row.footnotes,
            "cells_from_row": row.cells_from,
            "unmapped_country": row.country if iso2 is None else None,
            "declared_alias_count": parsed.declared_aliases
            if parsed.declared_aliases is not None
            and parsed.declared_aliases != len(parsed.aliases) else None,
        }
        raw.update({k: v for k, v in optional.items() if v})
        return ListEntry(
            list_code="EL",
            name=parsed.name,
            source_name=LIST_NAMES["EL"],
            alt_names=parsed.aliases,
            addresses=addresses,
            countries=[iso2] if iso2 else [],
            license_requirement=row.cells["license_requirement"] or None,
            license_policy=row.cells["license_policy"] or None,
            federal_register=split_citations(row.cells["federal_register"]),
            start_date=None,
            source_list_url=SOURCE_LIST_URL,
            key=fallback_key("EL", f"{iso2 or row.country}|{parsed.name}", None),
            raw=raw,
        )
