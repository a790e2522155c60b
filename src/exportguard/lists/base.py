"""What every list parser returns, and small helpers for the fields the formats share."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Protocol, TextIO

from exportguard.countries import is_country_code
from exportguard.errors import ListFileError
from exportguard.lists.bounds import MAX_VALUE_CHARS, MAX_XML_DEPTH, XmlGuard
from exportguard.model import Address, ListEntry

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element


@dataclass(slots=True)
class ListMeta:
    """What a file says about itself, read before its entries."""

    source: str
    format: str
    generated_at: datetime | None = None
    retrieved_at: datetime | None = None
    declared_count: int | None = None
    extra: dict[str, object] = field(default_factory=dict)


class ListParser(Protocol):
    format: str

    def meta(self, path: Path) -> ListMeta: ...

    def entries(self, path: Path) -> Iterator[ListEntry]: ...


_MULTI_SPLIT = re.compile(r"\s*;\s*")


def split_multi(value: str | None) -> list[str]:
    """Split a '; '-separated CSL cell into its non-empty parts."""
    if not value:
        return []
    return [part for part in (p.strip() for p in _MULTI_SPLIT.split(value)) if part]


def parse_iso_date(
    value: str | None, *, path: Path, field: str, line: int | None = None, record: int | None = None
) -> date | None:
    if value is None or not str(value).strip():
        return None
    text = str(value).strip()
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        raise ListFileError(
            str(path), f"'{text}' is not an ISO date (YYYY-MM-DD)", line=line, record=record,
            field=field,
        ) from None


def parse_timestamp(value: object) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None


def address_from_text(text: str) -> Address:
    """A CSL address cell 'street, city, state, postal, CC': the last part is the country code."""
    parts = [p.strip() for p in text.split(",")]
    country = parts[-1].upper() if parts and is_country_code(parts[-1]) else None
    return Address(address=text.strip(), country=country)


def countries_of(addresses: list[Address]) -> list[str]:
    seen: dict[str, None] = {}
    for address in addresses:
        if address.country:
            seen.setdefault(address.country, None)
    return list(seen)


def fallback_key(list_code: str, name: str, start: date | None) -> str:
    """Identity of an entry that carries no id: list, name and start date."""
    digest = hashlib.sha1(f"{list_code}|{name.strip().casefold()}|{start}".encode()).hexdigest()
    return f"{list_code}:n{digest[:16]}"


# No line of a list file is anywhere near this long; a longer one is a corrupt or hostile file, and
# reading it whole would hold it in memory. Parsers read lines through `bounded_lines`.
MAX_LINE_CHARS = 1_000_000


def open_text(path: Path, encoding: str = "utf-8-sig") -> TextIO:
    """A list file opened as text for the csv module (universal newlines left to csv)."""
    return path.open("r", encoding=encoding, newline="")


def bounded_lines(
    handle: TextIO, path: Path, limit: int = MAX_LINE_CHARS
) -> Iterator[str]:
    """The lines of `handle`, refusing (without reading it whole) any line over `limit`
    characters, and turning a decoding error into a ListFileError naming the line."""
    number = 0
    while True:
        try:
            line = handle.readline(limit + 1)
        except UnicodeDecodeError as exc:
            # The text layer decodes ahead in blocks: the bad byte is on this line or a
            # little further on.
            raise ListFileError(
                str(path), f"is not valid {handle.encoding} text ({exc.reason}) at or after "
                f"line {number + 1}",
            ) from None
        if not line:
            return
        number += 1
        if len(line) > limit:
            raise ListFileError(
                str(path), f"has a line longer than {limit:,} characters; refused (corrupt or "
                "hostile file)", line=number,
            )
        yield line


def xml_events(
    handle: IO[bytes], path: Path, events: tuple[str, ...] = ("start", "end")
) -> Iterator[tuple[str, Element]]:
    """Stream an XML list file with defusedxml: a DTD, entity declaration or external reference
    is refused (never resolved: no XXE, no entity expansion), and malformed or truncated XML
    becomes a ListFileError with its line. Nesting deeper than MAX_XML_DEPTH and an element text
    longer than MAX_VALUE_CHARS are refused."""
    from xml.etree.ElementTree import ParseError  # XML lists only: not on a screen's path

    import defusedxml
    import defusedxml.ElementTree as SafeET

    depth = 0
    try:
        stream = SafeET.iterparse(XmlGuard(handle, str(path)), ("start", "end"),
                                  forbid_dtd=True, forbid_entities=True, forbid_external=True)
        for event, elem in stream:
            if event == "start":
                depth += 1
                if depth > MAX_XML_DEPTH:
                    raise ListFileError(
                        str(path), f"nesting deeper than {MAX_XML_DEPTH} levels; refused "
                        "(corrupt or hostile file)", field=elem.tag,
                    )
            else:
                depth -= 1
                if elem.text is not None and len(elem.text) > MAX_VALUE_CHARS:
                    raise ListFileError(
                        str(path), f"text longer than {MAX_VALUE_CHARS:,} characters; refused "
                        "(corrupt or hostile file)", field=elem.tag,
                    )
            if event in events:
                yield event, elem
    except defusedxml.DefusedXmlException as exc:
        raise ListFileError(
            str(path), f"XML with a DTD or entity declaration ({type(exc).__name__}); "
            "DTD/entities are refused (never resolved)",
        ) from None
    except ParseError as exc:
        line, column = getattr(exc, "position", (None, None))
        raise ListFileError(
            str(path), f"malformed or truncated XML: {exc} (column {column})", line=line,
        ) from None


def file_checksum(path: Path) -> str:
    """SHA-256 of a file; of a folder (multi-file formats), of its files' names and contents."""
    digest = hashlib.sha256()
    files = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path]
    for file in files:
        if path.is_dir():
            digest.update(f"{file.name}\0".encode())
        with file.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def unique_keys(entries: Iterator[ListEntry]) -> Iterator[ListEntry]:
    """Entries whose derived key repeats within one file (same list, same name, no id) get an
    occurrence suffix, so every entry of a snapshot has its own key."""
    seen: dict[str, int] = {}
    for entry in entries:
        count = seen.get(entry.key, 0) + 1
        seen[entry.key] = count
        if count > 1:
            entry.key = f"{entry.key}#{count}"
        yield entry
