"""Batch files: the format comes from the extension and is checked against the content before any
work; input is streamed in chunks of rows and output assembled part by part, so no file is ever
held whole in memory.

Every chunk is an Arrow table of the input columns plus one reader problem per row (a broken
encoding, a ragged or oversized CSV row, a JSON line that is not an object): such rows are kept
and reported in the output, never dropped. JSON Lines cells are kept as JSON text (the column
carries `JSON_FIELD` metadata) so numbers, booleans and nested values come back unchanged in JSON
Lines output and as text in CSV or Parquet.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from exportguard.errors import InputError
from exportguard.lists.base import MAX_LINE_CHARS

FORMATS = {".csv": "csv", ".parquet": "parquet", ".jsonl": "jsonl", ".ndjson": "jsonl"}
JSON_FIELD = b"exportguard.json"
_PARQUET_MAGIC = b"PAR1"
_SNIFF_BYTES = 65_536
# Lone surrogates are what `surrogateescape` makes of bytes that are not UTF-8.
_BROKEN = re.compile("[\udc80-\udcff]")
_TEXT_TYPES = (pa.string(), pa.large_string())


def format_of(path: Path, field: str) -> str:
    """The format named by the file's extension; anything else is refused before any work."""
    found = FORMATS.get(path.suffix.lower())
    if found is None:
        raise InputError(field, f"'{path}' has the unknown extension '{path.suffix}'; use .csv, "
                         ".parquet, .jsonl or .ndjson")
    return found


@dataclass(slots=True)
class Piece:
    """Some consecutive input rows and a reader problem (or None) for each."""

    table: pa.Table
    problems: list[str | None]


@dataclass(slots=True)
class InputChunk:
    """`chunk_size` consecutive rows (fewer at the end) starting at row `first_row` (0-based)."""

    number: int
    first_row: int
    table: pa.Table
    problems: list[str | None]


class InputFile:
    """An input file opened for batch screening: content checked, columns known, rows streamed."""

    def __init__(self, path: Path, field: str = "input") -> None:
        if not path.is_file():
            raise InputError(field, f"'{path}' does not exist or is not a file")
        self.path = path
        self.format = format_of(path, field)
        self.field = field
        self.schema = _SCHEMA_READERS[self.format](path, field)

    @property
    def columns(self) -> list[str]:
        return self.schema.names

    def chunks(self, size: int, skip_rows: int = 0) -> Iterator[InputChunk]:
        """Chunks of exactly `size` rows (the last may be shorter), numbered from the start of
        the file, beginning after the first `skip_rows` rows (a resumed run)."""
        pieces = _PIECE_READERS[self.format](self.path, self.schema, size)
        return rechunk(pieces, size, skip_rows)


def is_json_field(field: pa.Field) -> bool:
    return bool(field.metadata and field.metadata.get(JSON_FIELD))


def rechunk(pieces: Iterable[Piece], size: int, skip_rows: int = 0) -> Iterator[InputChunk]:
    """Re-cut pieces of any length into chunks of exactly `size` rows, so chunk boundaries (and
    the parts written for them) do not depend on how a reader happened to batch the rows."""
    buffered: list[Piece] = []
    held = 0
    row = 0  # rows consumed so far, skipped ones included

    def cut(count: int) -> Piece:
        nonlocal buffered, held
        table = pa.concat_tables([p.table for p in buffered]) if len(buffered) > 1 \
            else buffered[0].table
        problems = [q for p in buffered for q in p.problems]
        head = Piece(table.slice(0, count), problems[:count])
        rest = Piece(table.slice(count), problems[count:])
        buffered, held = ([rest], len(rest.problems)) if rest.problems else ([], 0)
        return head

    for piece in pieces:
        buffered.append(piece)
        held += len(piece.problems)
        while held and row < skip_rows:
            dropped = cut(min(held, skip_rows - row))
            row += len(dropped.problems)
        while held >= size:
            chunk = cut(size)
            yield InputChunk(row // size, row, chunk.table, chunk.problems)
            row += size
    if held:
        chunk = cut(held)
        yield InputChunk(row // size, row, chunk.table, chunk.problems)


def text_values(column: pa.ChunkedArray, json_text: bool) -> list[tuple[str | None, str | None]]:
    """(text, problem) for each cell of a name or country column: bytes that are not UTF-8 and
    JSON values that are not text become problems of their row."""
    values: list[tuple[str | None, str | None]] = []
    if json_text:
        for cell in column.to_pylist():
            value = None if cell is None else json.loads(cell)
            if value is None or isinstance(value, str):
                values.append((value, None))
            else:
                values.append((None, f"holds {type(value).__name__} {cell[:40]}, not text"))
        return values
    for cell in column.cast(pa.large_binary()).to_pylist():
        if cell is None:
            values.append((None, None))
            continue
        try:
            values.append((cell.decode("utf-8"), None))
        except UnicodeDecodeError as exc:
            values.append((None, f"invalid UTF-8 byte 0x{cell[exc.start]:02x} at byte "
                                 f"{exc.start}"))
    return values


def check_text_column(schema: pa.Schema, name: str, field: str) -> None:
    """A name or country column must hold text (Parquet: string, possibly dictionary-encoded)."""
    kind = schema.field(name).type
    if pa.types.is_dictionary(kind):
        kind = kind.value_type
    if kind not in _TEXT_TYPES:
        raise InputError(field, f"column '{name}' holds {kind}, not text")


# ---- reading: schema first (fail fast), then pieces ------------------------------------------


def _head(path: Path, size: int = _SNIFF_BYTES) -> bytes:
    with path.open("rb") as handle:
        return handle.read(size)


def _looks_binary(head: bytes) -> bool:
    return head.startswith(_PARQUET_MAGIC) or b"\x00" in head


def _csv_schema(path: Path, field: str) -> pa.Schema:
    head = _head(path)
    if _looks_binary(head):
        raise InputError(field, f"'{path}' is binary (Parquet or other), not CSV text")
    with _text(path) as handle:
        try:
            header = next(csv.reader(_Lines(handle)), None)
        except csv.Error as exc:
            raise InputError(field, f"'{path}': malformed CSV header ({exc})") from None
    if not header or not any(h.strip() for h in header):
        raise InputError(field, f"'{path}' is empty: no header row")
    if any(_BROKEN.search(h) for h in header):
        raise InputError(field, f"'{path}': the header row is not UTF-8 text")
    columns = [h.strip() for h in header]
    _refuse_repeats(columns, field, path)
    return pa.schema([pa.field(c, pa.string()) for c in columns])


def _parquet_schema(path: Path, field: str) -> pa.Schema:
    head = _head(path, 4)
    with path.open("rb") as handle:
        handle.seek(max(0, path.stat().st_size - 4))
        tail = handle.read(4)
    if head != _PARQUET_MAGIC or tail != _PARQUET_MAGIC:
        looks = "binary data" if _looks_binary(_head(path)) else "text (CSV or JSON?)"
        raise InputError(field, f"'{path}' is not a Parquet file: it holds {looks}")
    try:
        schema = pq.ParquetFile(path).schema_arrow
    except (pa.ArrowException, OSError) as exc:
        raise InputError(field, f"'{path}' is not a readable Parquet file ({exc})") from None
    _refuse_repeats(schema.names, field, path)
    return schema


def _jsonl_schema(path: Path, field: str) -> pa.Schema:
    if _looks_binary(_head(path)):
        raise InputError(field, f"'{path}' is binary (Parquet or other), not JSON Lines text")
    with path.open("rb") as handle:
        for raw in _bounded_binary_lines(handle):
            if raw is None or not raw.strip():
                continue
            try:
                first = json.loads(raw)
            except ValueError as exc:
                raise InputError(field, f"'{path}': the first line is not JSON ({exc})") from None
            if not isinstance(first, dict) or not first:
                raise InputError(field, f"'{path}': the first line is not a JSON object with "
                                 "fields")
            return pa.schema([pa.field(str(k), pa.string(), metadata={JSON_FIELD: b"1"})
                              for k in first])
    raise InputError(field, f"'{path}' is empty: no JSON object")


def _refuse_repeats(columns: list[str], field: str, path: Path) -> None:
    repeated = sorted({c for c in columns if columns.count(c) > 1})
    if repeated:
        raise InputError(field, f"'{path}': column(s) {', '.join(repeated)} appear twice")


def _text(path: Path, errors: str = "surrogateescape") -> io.TextIOWrapper:
    """UTF-8 (a BOM is skipped); with `surrogateescape`, bytes that are not UTF-8 survive as lone
    surrogates so the row holding them can be reported instead of failing the file."""
    return io.TextIOWrapper(path.open("rb"), encoding="utf-8-sig", errors=errors, newline="")


class _Lines:
    """Lines of a text file, each read at most `limit` characters at a time: a longer line is
    skipped to its end and stands as an empty line whose number is remembered, so one oversized
    row is reported while the rest of the file is still read (and never held whole)."""

    def __init__(self, handle: io.TextIOBase, limit: int = MAX_LINE_CHARS) -> None:
        self.handle = handle
        self.limit = limit
        self.number = 0
        self.too_long: set[int] = set()

    def __iter__(self) -> Iterator[str]:
        while True:
            line = self.handle.readline(self.limit + 1)
            if not line:
                return
            self.number += 1
            if len(line) > self.limit:
                while line and not line.endswith(("\n", "\r")):
                    line = self.handle.readline(self.limit + 1)
                self.too_long.add(self.number)
                yield "\n"
                continue
            yield line


def _csv_pieces(path: Path, schema: pa.Schema, size: int) -> Iterator[Piece]:
    columns = schema.names
    width = len(columns)
    with _text(path) as handle:
        lines = _Lines(handle)
        reader = csv.reader(lines)
        next(reader)  # the header, checked by _csv_schema
        rows: list[list[str]] = []
        problems: list[str | None] = []
        while True:
            try:
                row = next(reader)
                line = reader.line_num
            except StopIteration:
                break
            except csv.Error as exc:
                rows.append([""] * width)
                problems.append(f"line {reader.line_num}: malformed CSV ({exc})")
            else:
                if not row and line in lines.too_long:
                    rows.append([""] * width)
                    problems.append(f"line {line}: longer than {MAX_LINE_CHARS:,} characters; "
                                    "not read")
                elif not any(cell.strip() for cell in row):
                    continue  # a blank line is not a record
                else:
                    rows.append(row)
                    problems.append(_row_problem(row, columns, line))
            if len(rows) >= size:
                yield _text_piece(rows, problems, schema)
                rows, problems = [], []
        if rows:
            yield _text_piece(rows, problems, schema)


def _row_problem(row: list[str], columns: list[str], line: int) -> str | None:
    """What is wrong with a CSV row (fixed in place: padded, cut, bad bytes shown as U+FFFD)."""
    found: list[str] = []
    if len(row) != len(columns):
        found.append(f"{len(row)} fields, the header has {len(columns)}")
        del row[len(columns):]
        row.extend([""] * (len(columns) - len(row)))
    broken = [i for i, cell in enumerate(row) if _BROKEN.search(cell)]
    for i in broken:
        row[i] = row[i].encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    if broken:
        names = ", ".join(f"'{columns[i]}'" for i in broken)
        found.append(f"bytes that are not UTF-8 in column(s) {names} (shown as U+FFFD)")
    return f"line {line}: {'; '.join(found)}" if found else None


def _text_piece(cells: list[list[str]] | list[list[str | None]], problems: list[str | None],
                schema: pa.Schema) -> Piece:
    """Rows of text cells (CSV, JSON Lines) as an Arrow piece of string columns."""
    columns = list(zip(*cells, strict=True))
    arrays = [pa.array(columns[i], pa.string()) for i in range(len(schema))]
    return Piece(pa.Table.from_arrays(arrays, schema=schema), problems)


def _parquet_pieces(path: Path, schema: pa.Schema, size: int) -> Iterator[Piece]:
    for batch in pq.ParquetFile(path).iter_batches(batch_size=size):
        yield Piece(pa.Table.from_batches([batch], schema=schema), [None] * batch.num_rows)


def _bounded_binary_lines(handle: BinaryIO, limit: int = MAX_LINE_CHARS) -> Iterator[bytes | None]:
    """Raw lines of at most `limit` bytes; None stands for a longer line (skipped, not held)."""
    while True:
        line = handle.readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):
                line = handle.readline(limit + 1)
            yield None
            continue
        yield line


def _jsonl_pieces(path: Path, schema: pa.Schema, size: int) -> Iterator[Piece]:
    columns = schema.names
    cells: list[list[str | None]] = []
    problems: list[str | None] = []
    with path.open("rb") as handle:
        for number, raw in enumerate(_bounded_binary_lines(handle), start=1):
            if raw is not None and not raw.strip():
                continue
            values, problem = _json_row(raw, columns)
            cells.append(values)
            problems.append(f"line {number}: {problem}" if problem else None)
            if len(cells) >= size:
                yield _text_piece(cells, problems, schema)
                cells, problems = [], []
    if cells:
        yield _text_piece(cells, problems, schema)


def _json_row(raw: bytes | None, columns: list[str]) -> tuple[list[str | None], str | None]:
    empty: list[str | None] = [None] * len(columns)
    if raw is None:
        return empty, f"longer than {MAX_LINE_CHARS:,} bytes; not read"
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return empty, f"invalid UTF-8 byte 0x{raw[exc.start]:02x} at byte {exc.start}"
    try:
        record = json.loads(text)
    except ValueError as exc:
        return empty, f"not JSON ({exc})"
    if not isinstance(record, dict):
        return empty, f"a JSON {type(record).__name__}, not an object"
    extra = [k for k in record if k not in columns]
    values = [None if k not in record else json.dumps(record[k], ensure_ascii=False)
              for k in columns]
    if extra:
        return values, (f"field(s) {', '.join(extra)} are not among the columns (taken from the "
                        "first line) and are not kept")
    return values, None


_SCHEMA_READERS = {"csv": _csv_schema, "parquet": _parquet_schema, "jsonl": _jsonl_schema}
_PIECE_READERS = {"csv": _csv_pieces, "parquet": _parquet_pieces, "jsonl": _jsonl_pieces}


# ---- writing: the parts (Parquet) assembled into the output format ----------------------------


def check_output_schema(schema: pa.Schema, fmt: str, field: str = "out") -> None:
    """CSV cannot hold nested values: refuse before any work rather than fail at the end."""
    if fmt != "csv":
        return
    nested = [f.name for f in schema if pa.types.is_nested(f.type)]
    if nested:
        raise InputError(field, f"column(s) {', '.join(nested)} hold nested values a .csv output "
                         "cannot hold; write .parquet or .jsonl")


def write_part(table: pa.Table, path: Path) -> None:
    """One part, durable before it counts: written aside, synced, renamed into place."""
    temporary = path.with_name(path.name + ".tmp")
    pq.write_table(table, temporary, compression="zstd")
    _sync(temporary)
    temporary.replace(path)


def _sync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def plain_text(table: pa.Table) -> pa.Table:
    """JSON-text columns (JSON Lines input) as plain text: a JSON string becomes its text, other
    values stay JSON; the metadata marking them is dropped."""
    for position, field in enumerate(table.schema):
        if is_json_field(field):
            values = [None if c is None else _json_as_text(c)
                      for c in table.column(position).to_pylist()]
            table = table.set_column(position, pa.field(field.name, pa.string()),
                                     pa.array(values, pa.string()))
    return table


def _json_as_text(cell: str) -> str:
    value = json.loads(cell)
    return value if isinstance(value, str) else cell


class OutputWriter:
    """Streams tables into the output file in its format."""

    def __init__(self, path: Path, fmt: str) -> None:
        self.path = path
        self.format = fmt
        self._parquet: pq.ParquetWriter | None = None
        self._csv: pacsv.CSVWriter | None = None
        self._lines: BinaryIO | None = None

    def write(self, table: pa.Table) -> None:
        if self.format == "jsonl":
            self._write_lines(table)
            return
        table = plain_text(table)
        if self.format == "parquet":
            if self._parquet is None:
                self._parquet = pq.ParquetWriter(self.path, table.schema, compression="zstd")
            self._parquet.write_table(table)
        else:
            if self._csv is None:
                self._csv = pacsv.CSVWriter(self.path, table.schema)
            self._csv.write_table(table)

    def _write_lines(self, table: pa.Table) -> None:
        if self._lines is None:
            self._lines = self.path.open("wb")
        encoded = [is_json_field(f) for f in table.schema]
        names = table.column_names
        for batch in table.to_batches(max_chunksize=10_000):
            columns = [batch.column(i).to_pylist() for i in range(batch.num_columns)]
            out = io.StringIO()
            for values in zip(*columns, strict=True):
                record: dict[str, Any] = {}
                for name, value, is_json in zip(names, values, encoded, strict=True):
                    if is_json:
                        if value is not None:  # a key absent from the input line stays absent
                            record[name] = json.loads(value)
                    else:
                        record[name] = value
                out.write(json.dumps(record, ensure_ascii=False, default=str))
                out.write("\n")
            self._lines.write(out.getvalue().encode("utf-8"))

    def close(self, empty_schema: pa.Schema) -> None:
        """Finish the file; with no rows at all, still a valid file with the columns."""
        if self._parquet is None and self._csv is None and self._lines is None:
            self.write(empty_schema.empty_table())
        for handle in (self._parquet, self._csv, self._lines):
            if handle is not None:
                handle.close()
        _sync(self.path)

