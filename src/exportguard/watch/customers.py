"""Reading a customer file for the watchlist (CSV with a header row)."""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from exportguard.countries import parse_country
from exportguard.errors import InputError, ListFileError
from exportguard.lists.base import bounded_lines, open_text
from exportguard.screening.screener import validate_query

MAX_CUSTOMERS = 5_000_000
_SHOWN_ERRORS = 10


@dataclass(frozen=True, slots=True)
class CustomerRecord:
    ref: str
    name: str
    country: str | None
    attributes: dict[str, Any]

    def row(self) -> tuple[str, str, str | None, dict[str, Any]]:
        return self.ref, self.name, self.country, self.attributes


def read_customers(
    path: Path,
    *,
    id_column: str = "id",
    name_column: str = "name",
    country_column: str = "country",
) -> list[CustomerRecord]:
    """All rows of a customer CSV, validated. Any bad row refuses the whole file (nothing is
    imported) with every problem listed by line and column, up to ten."""
    if not path.is_file():
        raise ListFileError(str(path), "no such file")
    records: list[CustomerRecord] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    with open_text(path) as handle:
        reader = csv.reader(bounded_lines(handle, path))
        try:
            header = [h.strip() for h in next(reader)]
        except StopIteration:
            raise ListFileError(str(path), "is empty: no header row", line=1) from None
        except csv.Error as exc:
            raise ListFileError(str(path), f"malformed CSV header: {exc}", line=1) from None
        if name_column not in header:
            raise ListFileError(str(path), f"has no '{name_column}' column (columns: "
                                f"{', '.join(header)}); use --name-column", line=1,
                                field=name_column)
        has_id = id_column in header
        has_country = country_column in header
        try:
            for row in reader:
                line = reader.line_num
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) != len(header):
                    problems.append(f"line {line}: {len(row)} fields, the header has "
                                    f"{len(header)}")
                    continue
                values = dict(zip(header, row, strict=True))
                try:
                    record = _record(values, has_id, has_country, id_column, name_column,
                                     country_column)
                except InputError as exc:
                    problems.append(f"line {line}, column '{exc.field}': {exc.message}")
                    continue
                if record.ref in seen:
                    problems.append(f"line {line}, column '{id_column}': id '{record.ref}' "
                                    f"repeats line {seen[record.ref]}")
                    continue
                seen[record.ref] = line
                records.append(record)
                if len(records) > MAX_CUSTOMERS:
                    raise ListFileError(str(path), f"holds more than {MAX_CUSTOMERS:,} "
                                        "customers; split it")
        except csv.Error as exc:
            raise ListFileError(str(path), f"malformed CSV: {exc}", line=reader.line_num) \
                from None
    if problems:
        shown = "; ".join(problems[:_SHOWN_ERRORS])
        more = f" (and {len(problems) - _SHOWN_ERRORS} more)" if len(problems) > _SHOWN_ERRORS \
            else ""
        raise ListFileError(str(path), f"{len(problems)} bad row(s), nothing imported: "
                            f"{shown}{more}")
    if not records:
        raise ListFileError(str(path), "holds no customers")
    return records


def _record(values: dict[str, str], has_id: bool, has_country: bool, id_column: str,
            name_column: str, country_column: str) -> CustomerRecord:
    raw_name = values[name_column]
    try:
        name = validate_query(raw_name)
    except InputError as exc:
        raise InputError(name_column, exc.message) from None
    country_text = values[country_column].strip() if has_country else ""
    country = parse_country(country_text, country_column) if country_text else None
    if has_id:
        ref = values[id_column].strip()
        if not ref:
            raise InputError(id_column, "is empty")
        if len(ref) > 200:
            raise InputError(id_column, "is longer than 200 characters")
    else:
        # No id column: the name and country identify the customer across imports.
        ref = "n:" + hashlib.sha1(f"{name.casefold()}|{country}".encode()).hexdigest()[:16]
    attributes = {k: v for k, v in values.items()
                  if k not in (id_column, name_column, country_column) and v}
    return CustomerRecord(ref, name, country, attributes)
