"""Telling a list file's format from its first bytes (or from --format)."""

from __future__ import annotations

import re
from pathlib import Path

from exportguard.errors import InputError, ListFileError
from exportguard.lists.base import ListParser
from exportguard.lists.csl import CslCompactParser, CslCsvParser, CslJsonParser

PARSERS: dict[str, type[ListParser]] = {
    "csl-csv": CslCsvParser,
    "csl-json": CslJsonParser,
    "csl-compact": CslCompactParser,
}
_DTD = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)


def parser_for(path: Path, format: str | None = None) -> ListParser:
    if format is not None:
        if format not in PARSERS:
            raise InputError("format", f"unknown format '{format}'; known: {', '.join(PARSERS)}")
        return PARSERS[format]()
    return PARSERS[detect_format(path)]()


def detect_format(path: Path) -> str:
    if not path.exists():
        raise ListFileError(str(path), "no such file")
    if not path.is_file():
        raise ListFileError(str(path), "is not a file")
    with path.open("rb") as handle:
        head = handle.read(65536)
    body = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not body:
        raise ListFileError(str(path), "is empty")
    if body.startswith(b"<"):
        if _DTD.search(head):
            raise ListFileError(
                str(path), "is XML with a DTD or entity declaration; refused (entities are never "
                "resolved)", line=1,
            )
        raise ListFileError(
            str(path), "is XML; this version loads the Consolidated Screening List as CSV or JSON "
            "(use --format csl-csv, csl-json or csl-compact)", line=1,
        )
    if body[:1] in (b"{", b"["):
        if b'"fieldKey"' in head or b'"tables"' in head:
            return "csl-compact"
        return "csl-json"
    first_line = body.split(b"\n", 1)[0].lower()
    if b"source" in first_line and b"name" in first_line and b"," in first_line:
        return "csl-csv"
    raise ListFileError(
        str(path), "cannot tell the format: not a CSL CSV header nor JSON; pass --format "
        f"({', '.join(PARSERS)})", line=1,
    )
