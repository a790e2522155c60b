"""Reading a user's CSV file (customers, ownership) all or nothing: every bad row is collected
with its line and column, and any bad row refuses the whole file, listing up to ten."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from exportguard.errors import InputError, ListFileError
from exportguard.lists.base import bounded_lines, open_text

T = TypeVar("T")
SHOWN_PROBLEMS = 10


def read_csv_records(
    path: Path,
    check_header: Callable[[list[str]], None],
    record: Callable[[int, dict[str, str]], T],
) -> list[T]:
    """`check_header(columns)` raises a ListFileError for a header it cannot use;
    `record(line, values)` turns one row into a record or raises InputError(column, message)."""
    if not path.is_file():
        raise ListFileError(str(path), "no such file")
    records: list[T] = []
    problems: list[str] = []
    with open_text(path) as handle:
        reader = csv.reader(bounded_lines(handle, path))
        try:
            header = [h.strip() for h in next(reader)]
        except StopIteration:
            raise ListFileError(str(path), "is empty: no header row", line=1) from None
        except csv.Error as exc:
            raise ListFileError(str(path), f"malformed CSV header: {exc}", line=1) from None
        check_header(header)
        try:
            for row in reader:
                line = reader.line_num
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) != len(header):
                    problems.append(f"line {line}: {len(row)} fields, the header has "
                                    f"{len(header)}")
                    continue
                try:
                    records.append(record(line, dict(zip(header, row, strict=True))))
                except InputError as exc:
                    problems.append(f"line {line}, column '{exc.field}': {exc.message}")
        except csv.Error as exc:
            raise ListFileError(str(path), f"malformed CSV: {exc}", line=reader.line_num) \
                from None
    refuse_bad_rows(path, problems)
    return records


def refuse_bad_rows(path: Path, problems: list[str]) -> None:
    if problems:
        shown = "; ".join(problems[:SHOWN_PROBLEMS])
        more = (f" (and {len(problems) - SHOWN_PROBLEMS} more)"
                if len(problems) > SHOWN_PROBLEMS else "")
        raise ListFileError(str(path), f"{len(problems)} bad row(s), nothing imported: "
                            f"{shown}{more}")
