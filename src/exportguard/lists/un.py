"""Parser for the UN Security Council Consolidated List as XML.

Source: https://scsanctions.un.org/resources/xml/en/consolidated.xml, schema
https://www.un.org/sc/resources/sc-sanctions.xsd. The file is
`<CONSOLIDATED_LIST dateGenerated=...><INDIVIDUALS><INDIVIDUAL>... <ENTITIES><ENTITY>...`.

The file is read with defusedxml's `iterparse`: a DTD (and with it any entity, internal or
external) is refused, and each record is cleared and detached once yielded, so memory stays flat
whatever the size of the file.

Data notes (reference file of 2026-02-27): a few LISTED_ON values carry a time-zone offset
('2015-07-01-04:00', valid xs:date); names and NAME_ORIGINAL_SCRIPT values carry stray spaces and
line breaks (collapsed here); some records repeat an alias (kept once); one NATIONALITY is 'na'
(treated as absent) and one is 'former Soviet Union' (no ISO code: kept in raw, country None).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

from exportguard.countries import country_from_name, spellings
from exportguard.errors import ListFileError
from exportguard.lists.base import (
    ListMeta,
    countries_of,
    fallback_key,
    parse_timestamp,
    xml_events,
)
from exportguard.lists.codes import LIST_NAMES
from exportguard.model import Address, ListEntry

ROOT_TAG = "CONSOLIDATED_LIST"
SOURCE_LIST_URL = "https://main.un.org/securitycouncil/en/content/un-sc-consolidated-list"
_CONTAINERS = {"INDIVIDUALS": "INDIVIDUAL", "ENTITIES": "ENTITY"}
_NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")

# UN English short names that pycountry's name / official_name / common_name do not give.
_UN_COUNTRY_NAMES: dict[str, str] = {
    "Democratic People's Republic of Korea": "KP",
    "Republic of Korea": "KR",
    "Iran (Islamic Republic of)": "IR",
    "Syrian Arab Republic": "SY",
    "Russian Federation": "RU",
    "Türkiye": "TR",
    "Turkey": "TR",
    "United Republic of Tanzania": "TZ",
    "State of Palestine": "PS",
    "Democratic Republic of the Congo": "CD",
    "Congo": "CG",
    "China, Hong Kong Special Administrative Region": "HK",
    "China, Macao Special Administrative Region": "MO",
    "Lao People's Democratic Republic": "LA",
    "Republic of Moldova": "MD",
    "Bolivia (Plurinational State of)": "BO",
    "Venezuela (Bolivarian Republic of)": "VE",
    "Micronesia (Federated States of)": "FM",
    "Viet Nam": "VN",
    "British Virgin Islands": "VG",
    "United Kingdom of Great Britain and Northern Ireland": "GB",
    "United States of America": "US",
    "Kosovo": "XK",
    "Côte d'Ivoire": "CI",
    "Netherlands": "NL",
    "Czechia": "CZ",
    "Eswatini": "SZ",
}
# Values the list uses for "not known": neither a country nor an unmapped name.
_NO_COUNTRY = {"na", "n/a", "n.a.", "unknown", "-"}
# xs:date, optionally with a time-zone offset ('2015-07-01-04:00', '2015-07-01Z').
_XS_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:Z|[+-]\d{2}:\d{2})?")
_SPACES = re.compile(r"\s+")


_UN_SPELLINGS = spellings(_UN_COUNTRY_NAMES)


def country_code(name: str | None) -> str | None:
    """ISO-2 code for an English country name as the UN list spells it; None when unknown.
    Never matches codes ('NA' is Namibia as a code, but 'na' in the list means 'not known')."""
    return country_from_name(name, _UN_SPELLINGS)


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    value = _SPACES.sub(" ", text).strip()
    return value or None


def _text(elem: Element, tag: str) -> str | None:
    child = elem.find(tag)
    return _clean(child.text) if child is not None else None


def _values(elem: Element, path: str) -> list[str]:
    return [v for v in (_clean(c.text) for c in elem.findall(path)) if v]


def _leaves(elem: Element) -> dict[str, str]:
    """The non-empty leaf children of `elem` ({'TYPE_OF_DATE': 'EXACT', 'YEAR': '1971'})."""
    out: dict[str, str] = {}
    for child in elem:
        value = _clean(child.text)
        if value and len(child) == 0:
            out[child.tag] = value
    return out


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


class UnXmlParser:
    """UN Security Council Consolidated List, XML (INDIVIDUAL and ENTITY records)."""

    format = "un-xml"

    @staticmethod
    def sniff(path: Path, head: bytes) -> bool:
        return b"<CONSOLIDATED_LIST" in head

    def meta(self, path: Path) -> ListMeta:
        with path.open("rb") as handle:
            for _event, elem in xml_events(handle, path, ("start",)):
                self._check_root(elem, path)
                generated = elem.get("dateGenerated")
                return ListMeta(
                    source="un", format=self.format, generated_at=parse_timestamp(generated),
                    declared_count=None,
                    extra={"date_generated": generated} if generated else {},
                )
        raise ListFileError(str(path), "is empty: no XML root element", line=1)

    def entries(self, path: Path) -> Iterator[ListEntry]:
        record = 0
        stack: list[Element] = []
        with path.open("rb") as handle:
            for event, elem in xml_events(handle, path):
                if event == "start":
                    if not stack:
                        self._check_root(elem, path)
                    stack.append(elem)
                    continue
                stack.pop()
                depth = len(stack)  # 0: the root itself, 1: a container, 2: a record
                if depth == 2:
                    container = _local(stack[1].tag)
                    expected = _CONTAINERS.get(container)
                    if expected is not None:
                        if _local(elem.tag) != expected:
                            raise ListFileError(
                                str(path), f"unexpected <{elem.tag}> inside <{container}> "
                                f"(expected <{expected}>)", record=record + 1,
                            )
                        record += 1
                        yield self._entry(elem, expected, path, record)
                if depth in (1, 2):
                    # Done with it: free the subtree and detach it so the tree never grows.
                    elem.clear()
                    stack[-1].remove(elem)

    @staticmethod
    def _check_root(elem: Element, path: Path) -> None:
        if _local(elem.tag) != ROOT_TAG:
            raise ListFileError(
                str(path), f"root element is <{elem.tag}>, not <{ROOT_TAG}>: not a UN "
                "Consolidated List", line=1,
            )

    @staticmethod
    def _entry(elem: Element, kind: str, path: Path, record: int) -> ListEntry:
        reference = _text(elem, "REFERENCE_NUMBER")
        dataid = _text(elem, "DATAID")
        where = f" ({reference or dataid or 'no REFERENCE_NUMBER'})"
        if kind == "INDIVIDUAL":
            parts = [p for p in (_text(elem, tag) for tag in _NAME_PARTS) if p]
            name = " ".join(parts)
        else:
            name = _text(elem, "FIRST_NAME") or ""
        if not name:
            raise ListFileError(str(path), f"record has no name{where}", record=record,
                                field="FIRST_NAME")
        listed_text = _text(elem, "LISTED_ON")
        start = _listed_on(listed_text, path, record, where)

        raw: dict[str, Any] = {"dataid": dataid, "versionnum": _text(elem, "VERSIONNUM"),
                               "reference_number": reference}

        # Aliases: every quality goes to alt_names; 'Low' ones are also listed as weak.
        folded_name = name.casefold()
        alt_names: list[str] = []
        seen = {folded_name}
        weak: list[str] = []
        former: list[str] = []
        for alias in elem.findall(f"{kind}_ALIAS"):
            alias_name = _text(alias, "ALIAS_NAME")
            if not alias_name:
                continue
            quality = (_text(alias, "QUALITY") or "").casefold()
            if quality == "low":
                weak.append(alias_name)
            elif quality == "f.k.a.":
                former.append(alias_name)
            if alias_name.casefold() not in seen:
                seen.add(alias_name.casefold())
                alt_names.append(alias_name)

        unmapped: list[str] = []

        def code_of(country: str | None) -> str | None:
            if not country or country.casefold() in _NO_COUNTRY:
                return None
            code = country_code(country)
            if code is None and country not in unmapped:
                unmapped.append(country)
            return code

        addresses: list[Address] = []
        notes: list[str] = []
        for node in elem.findall(f"{kind}_ADDRESS"):
            country_text = _text(node, "COUNTRY")
            address = Address(
                address=_text(node, "STREET"), city=_text(node, "CITY"),
                state=_text(node, "STATE_PROVINCE"), postal_code=_text(node, "ZIP_CODE"),
                country=code_of(country_text),
            )
            note = _text(node, "NOTE")
            if note:
                notes.append(note)
            if any(address.to_dict().values()) and address not in addresses:
                addresses.append(address)
        nationality = _values(elem, "NATIONALITY/VALUE")
        countries = countries_of(addresses)
        for value in nationality:
            code = code_of(value)
            if code and code not in countries:
                countries.append(code)

        local = _text(elem, "NAME_ORIGINAL_SCRIPT")
        local_names = [local] if local and local.casefold() != folded_name else []

        optional: dict[str, Any] = {
            "comments": _text(elem, "COMMENTS1"),
            "listed_on": listed_text,
            "last_updated": _values(elem, "LAST_DAY_UPDATED/VALUE"),
            "list_type": _values(elem, "LIST_TYPE/VALUE"),
            "un_list_type": _text(elem, "UN_LIST_TYPE"),
            "nationality": nationality,
            "designation": _values(elem, "DESIGNATION/VALUE"),
            "title": _values(elem, "TITLE/VALUE"),
            "gender": _text(elem, "GENDER"),
            "weak_aliases": weak,
            "former_names": former,
            "address_notes": notes,
            "unmapped_countries": unmapped,
            "dates_of_birth": [d for d in map(_leaves, elem.findall(f"{kind}_DATE_OF_BIRTH")) if d],
            "places_of_birth": [
                p for p in map(_leaves, elem.findall(f"{kind}_PLACE_OF_BIRTH")) if p
            ],
            "documents": [d for d in map(_leaves, elem.findall(f"{kind}_DOCUMENT")) if d],
        }
        raw.update({k: v for k, v in optional.items() if v})
        raw = {k: v for k, v in raw.items() if v is not None}

        if reference:
            key = f"UN:{reference}"
        elif dataid:
            key = f"UN:DATAID{dataid}"
        else:
            key = fallback_key("UN", name, start)
        program = _text(elem, "UN_LIST_TYPE")
        return ListEntry(
            list_code="UN",
            name=name,
            source_name=LIST_NAMES["UN"],
            entity_number=reference,
            type="Individual" if kind == "INDIVIDUAL" else "Entity",
            alt_names=alt_names,
            local_names=local_names,
            addresses=addresses,
            countries=countries,
            programs=[program] if program else [],
            start_date=start,
            source_list_url=SOURCE_LIST_URL,
            key=key,
            raw=raw,
        )


def _listed_on(text: str | None, path: Path, record: int, where: str) -> date | None:
    if not text:
        return None
    found = _XS_DATE.fullmatch(text)
    try:
        if found is None:
            raise ValueError
        return date.fromisoformat(found.group(1))
    except ValueError:
        raise ListFileError(
            str(path), f"'{text}' is not a date (YYYY-MM-DD, optionally with a time zone){where}",
            record=record, field="LISTED_ON",
        ) from None
