"""Limits on what a list file may hold, enforced while it streams, before memory is spent.

No real list comes near these limits; a file over one is corrupt or hostile, and reading it on
would cost memory or time out of proportion (a 100,000-deep JSON array costs ijson memory in the
square of the depth; a 200 MB JSON string is buffered whole). Each refusal is a ListFileError
naming the file, the position and the limit.
"""

from __future__ import annotations

import json
import re
from typing import IO, Any

from exportguard.errors import ListFileError

# CSL JSON nests four levels (results, record, addresses, address); XML lists about ten.
MAX_JSON_DEPTH = 32
MAX_XML_DEPTH = 256
# The README's promise for lines, kept for every JSON string and bare token (number, literal).
MAX_VALUE_CHARS = 1_000_000
# The largest list read (OpenSanctions' full FtM export) has about 1.5 million entities.
MAX_ENTRIES = 5_000_000

_OUTSIDE = re.compile(rb'[\[\]{}"]')
_INSIDE = re.compile(rb'["\\]')
_BLOCK = 1 << 16


class JsonGuard:
    """A binary file wrapper that scans the JSON bytes it hands to the parser and refuses nesting
    deeper than `max_depth` or a string or bare token longer than `max_value` bytes."""

    def __init__(self, handle: IO[bytes], path: str, *, max_depth: int = MAX_JSON_DEPTH,
                 max_value: int = MAX_VALUE_CHARS) -> None:
        self._handle = handle
        self._path = path
        self._max_depth = max_depth
        self._max_value = max_value
        self._offset = 0  # bytes handed out before the current block
        self._lines = 1  # line number at the start of the current block
        self._depth = 0
        self._in_string = False
        self._escape = False
        self._run = 0  # length of the string or bare token being read

    def read(self, size: int = -1) -> bytes:
        block = self._handle.read(size if size >= 0 else _BLOCK)
        self._scan(block)
        self._offset += len(block)
        self._lines += block.count(b"\n")
        return block

    def _refuse(self, block: bytes, pos: int, what: str) -> None:
        line = self._lines + block.count(b"\n", 0, pos)
        raise ListFileError(
            self._path, f"{what} at byte {self._offset + pos:,}; refused (corrupt or hostile "
            "file)", line=line,
        )

    def _scan(self, block: bytes) -> None:
        pos, end = 0, len(block)
        while pos < end:
            if self._in_string:
                if self._escape:
                    self._escape = False
                    self._run += 1
                    pos += 1
                    continue
                match = _INSIDE.search(block, pos)
                stop = match.start() if match else end
                self._run += stop - pos
                if self._run > self._max_value:
                    self._refuse(block, stop, f"a string longer than {self._max_value:,} bytes")
                if match is None:
                    return
                if block[stop] == 0x5C:  # backslash
                    self._escape = True
                    self._run += 1
                else:
                    self._in_string = False
                    self._run = 0
                pos = stop + 1
                continue
            match = _OUTSIDE.search(block, pos)
            stop = match.start() if match else end
            self._run += stop - pos
            if self._run > self._max_value:
                self._refuse(block, stop, f"a value longer than {self._max_value:,} bytes")
            if match is None:
                return
            self._run = 0
            char = block[stop]
            if char == 0x22:  # quote
                self._in_string = True
            elif char in (0x5B, 0x7B):  # [ {
                self._depth += 1
                if self._depth > self._max_depth:
                    self._refuse(block, stop, f"nesting deeper than {self._max_depth} levels")
            else:
                self._depth -= 1
            pos = stop + 1


class XmlGuard:
    """A binary file wrapper that refuses a run of more than `max_value` bytes without a tag (a
    text node or attribute the parser would buffer whole)."""

    def __init__(self, handle: IO[bytes], path: str, *,
                 max_value: int = MAX_VALUE_CHARS) -> None:
        self._handle = handle
        self._path = path
        self._max_value = max_value
        self._offset = 0
        self._run = 0

    def read(self, size: int = -1) -> bytes:
        block = self._handle.read(size if size >= 0 else _BLOCK)
        first = block.find(b"<")
        if first < 0:
            self._run += len(block)
        else:
            self._run += first
        if self._run > self._max_value:
            raise ListFileError(
                self._path, f"a text longer than {self._max_value:,} bytes at byte "
                f"{self._offset + max(first, 0):,}; refused (corrupt or hostile file)",
            )
        if first >= 0:
            self._run = len(block) - block.rfind(b"<") - 1
        self._offset += len(block)
        return block


def json_line(text: str, path: str, line: int) -> Any:
    """One JSON document of a line-per-record file (FtM), with its depth bounded."""
    try:
        return json.loads(text)
    except RecursionError:
        raise ListFileError(
            path, f"nesting deeper than the parser's limit (a record nests {MAX_JSON_DEPTH} "
            "levels at most); refused (corrupt or hostile file)", line=line,
        ) from None

