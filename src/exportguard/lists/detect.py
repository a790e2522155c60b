"""Telling a list file's format from its first bytes (or from --format)."""

from __future__ import annotations

import re
from pathlib import Path

from exportguard.errors import InputError, ListFileError
from exportguard.lists.base import ListParser
from exportguard.lists.csl import CslCompactParser, CslCsvParser, CslJsonParser
from exportguard.lists.dpl import DplTxtParser
from exportguard.lists.ecfr import EcfrEntityListParser
from exportguard.lists.fcc import FccCoveredListParser
from exportguard.lists.ftm import FtmParser
from exportguard.lists.ofac import OfacCsvParser, OfacXmlParser
from exportguard.lists.un import UnXmlParser

# In the order formats are tried when none is given. Parsers with a `sniff(path, head)` say
# themselves whether a file is theirs; the CSL formats are told apart below.
PARSERS: dict[str, type[ListParser]] = {
    "csl-csv": CslCsvParser,
    "csl-json": CslJsonParser,
    "csl-compact": CslCompactParser,
    "ofac-sdn-xml": OfacXmlParser,
    "un-xml": UnXmlParser,
    "ecfr-el": EcfrEntityListParser,
    "fcc-covered": FccCoveredListParser,
    "ofac-csv": OfacCsvParser,
    "dpl-txt": DplTxtParser,
    "ftm-json": FtmParser,
}
_DTD = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
_HEAD_BYTES = 65536


def parser_for(path: Path, format: str | None = None) -> ListParser:
    if format is not None:
        if format not in PARSERS:
            raise InputError("format", f"unknown format '{format}'; known: {', '.join(PARSERS)}")
        if not path.exists():
            raise ListFileError(str(path), "no such file")
        return PARSERS[format]()
    return PARSERS[detect_format(path)]()


def detect_format(path: Path) -> str:
    if not path.exists():
        raise ListFileError(str(path), "no such file")
    head = b""
    if path.is_file():
        with path.open("rb") as handle:
            head = handle.read(_HEAD_BYTES)
    elif not path.is_dir():
        raise ListFileError(str(path), "is not a file")
    for name, parser in PARSERS.items():
        sniff = getattr(parser, "sniff", None)
        if sniff is not None and sniff(path, head):
            return name
    if path.is_dir():
        raise ListFileError(str(path), "is a folder that holds no list this version reads "
                            "(an OFAC legacy CSV folder has sdn.csv or cons_prim.csv)")
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
            str(path), "is XML of no known list format; pass --format "
            f"({', '.join(PARSERS)})", line=1,
        )
    if body[:1] in (b"{", b"["):
        if b'"fieldKey"' in head or b'"tables"' in head:
            return "csl-compact"
        return "csl-json"
    first_line = body.split(b"\n", 1)[0].lower()
    if b"source" in first_line and b"name" in first_line and b"," in first_line:
        return "csl-csv"
    raise ListFileError(
        str(path), "cannot tell the format; pass --format "
        f"({', '.join(PARSERS)})", line=1,
    )
